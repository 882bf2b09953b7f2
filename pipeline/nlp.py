"""One spaCy pipeline per language, with muster's extraction components after it.

`Extractor.extract(text)` normalizes the original text into a `TextView`, runs the
pipeline on the normalized copy and turns candidates into typed mention records
whose offsets and text come from the original. `analyze_many` does the same for a
stream of texts through `nlp.pipe`, so the statistical components run in batches.

Long texts are processed in pieces of at most `PIECE_CHARS` characters, cut at a blank line
where there is one (else a sentence end, a line break, a space), each piece normalized and run
through the pipeline on its own with the document's context (century, slash order) carried from
one piece to the next; offsets are shifted back, so they are exact in the whole text.  A run of
more than `RUN_CHARS` characters without white space is tokenized in slices (spaCy's tokenizer
takes time quadratic in the length of a punctuation run).  A document's cost is linear in its
length: the limit on a document's size is the batch's `--max-bytes`, never spaCy's `max_length`.
"""
from __future__ import annotations

import contextlib
import re
from collections import deque
from collections.abc import Iterable, Iterator
from functools import lru_cache

from pydantic import TypeAdapter

from pipeline import records
from pipeline.extract import COMPONENTS, base
from pipeline.extract import corruption, dates, echelons, figures, formations, measurements, people, sides  # noqa: F401  (registers the factories)
from pipeline.lang import get_profile
from pipeline.textview import TextView

_MENTION = TypeAdapter(records.Mention)

PIECE_CHARS = 50_000      # longest text run through the pipeline as one Doc
CONTEXT_CHARS = 1_000     # text either side of a piece that the pipeline sees with it
RUN_CHARS = 200           # longest run without white space handed to the tokenizer as one
_SLICE = 100              # ... it is cut into slices of this many characters
_LONG_RUN = re.compile(r"\S{%d,}" % (RUN_CHARS + 1))
_WORDLIKE = re.compile(r"[^\W_]")
_SPACE = re.compile(r"\s+")
# Where a long text may be cut, best first: a blank line, a sentence end, a line break, a space.
_CUTS = (re.compile(r"\n[^\S\n]*\n\s*"), re.compile(r"(?<=[.!?。！？])[\"'”’)\]」』]*\s+|(?<=[。！？])"),
         re.compile(r"\n"), re.compile(r"\s+"))


def _context_start(text: str, a: int, margin: int) -> int:
    """Where the text before a piece starting at `a` begins: after the first space at most
    `margin` characters before it (a word is not cut), else exactly that far."""
    lo = max(0, a - margin)
    m = _SPACE.search(text, lo, a)
    return m.end() if m else lo


def _context_end(text: str, b: int, margin: int) -> int:
    """Where the text after a piece ending at `b` ends: at the last space at most `margin`
    characters after it, else exactly that far."""
    hi = min(len(text), b + margin)
    if hi == len(text):
        return hi
    last = None
    for last in _SPACE.finditer(text, b, hi):
        pass
    return last.start() if last is not None and last.start() > b else hi


def pieces(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """[start, end) pieces covering `text`, each at most `limit` characters, cut at the best
    boundary in the second half of the window (a hard cut, between two characters that are not
    a CR LF pair or a base and its combining mark, only when there is none)."""
    import unicodedata

    limit = max(limit or PIECE_CHARS, 2)
    out, pos, n = [], 0, len(text)
    while n - pos > limit:
        lo, hi = pos + limit // 2, pos + limit
        cut = None
        for pat in _CUTS:
            for m in pat.finditer(text, lo, hi):
                cut = m.end()
            if cut is not None and cut > pos:
                break
        if cut is None or cut <= pos:
            cut = hi
            while cut > lo and (unicodedata.combining(text[cut]) or text[cut - 1:cut + 1] == "\r\n"
                                or "\ud800" <= text[cut] <= "\udfff"):
                cut -= 1
        out.append((pos, cut))
        pos = cut
    out.append((pos, n))
    return out


class Extractor:
    """Loads a language's pipeline once; extracts mentions from many texts."""

    def __init__(self, lang: str, components: list[str] | None = None):
        """`components`: a subset of the extraction components, in pipeline order (tests, tools)."""
        self.profile = get_profile(lang)
        self.nlp = self.profile.make_nlp()
        for component in components if components is not None else COMPONENTS:
            self.nlp.add_pipe(component, config={"lang": self.profile.code})

    def analyze(self, original: str, *, memory_zone: bool = False) -> Analysis:
        """`memory_zone`: the strings spaCy interns for the text leave its vocabulary afterwards
        (for a text in pieces, after each piece: memory stays that of one piece)."""
        limit = min(PIECE_CHARS, self.nlp.max_length)
        zone = self.nlp.memory_zone if memory_zone else contextlib.nullcontext
        if len(original) <= limit:
            with zone():
                view = self.profile.normalize(original)
                return _analysis(view, self._run(self._doc(view)))
        mentions, corrupt, context = [], [], None
        margin = min(CONTEXT_CHARS, limit // 4)
        cuts = pieces(original, limit - 2 * margin)
        for i, (a, b) in enumerate(cuts):
            # the piece with some text either side (what the statistical models see around a word),
            # keeping what starts inside the piece: a mention across a cut comes from one piece whole
            wa = _context_start(original, a, margin) if i else 0
            wb = _context_end(original, b, margin) if i < len(cuts) - 1 else len(original)
            with zone():
                view = self.profile.normalize(original[wa:wb])
                doc = self._doc(view)
                doc._.context = context
                part = _analysis(view, self._run(doc))
                context = dict(doc._.context or {})      # plain values, outside the zone
                mentions.extend(_shifted(m, wa) for m in part.mentions if a <= m.start + wa < b)
                corrupt.extend(_shifted(c, wa) for c in part.corrupt if a <= c.start + wa < b)
                del part, doc, view
        return Analysis(None, mentions, corrupt, original=original, profile=self.profile)

    def _run(self, doc):
        for _, proc in self.nlp.pipeline:
            doc = proc(doc)
        return doc

    def analyze_many(self, originals: Iterable[str], batch_size: int = 64) -> Iterator[Analysis]:
        """`analyze` of each text, in order; at most `batch_size` texts are held at once."""
        views: deque[TextView] = deque()

        long: deque[Analysis] = deque()     # long texts are analyzed in pieces, in their turn

        def docs():
            for original in originals:
                if len(original) > min(PIECE_CHARS, self.nlp.max_length):
                    views.append(None)
                    long.append(self.analyze(original))
                    yield self._doc(self.profile.normalize(""))   # holds its place in the stream
                    continue
                views.append(self.profile.normalize(original))
                yield self._doc(views[-1])

        for doc in self.nlp.pipe(docs(), batch_size=batch_size):
            view = views.popleft()
            yield long.popleft() if view is None else _analysis(view, doc)

    def _doc(self, view: TextView):
        doc = self._make_doc(view.text)
        doc._.profile = self.profile
        doc._.candidates = []
        return doc

    def _make_doc(self, text: str):
        """The tokenized Doc of `text`.  A run without white space longer than RUN_CHARS is cut in
        slices of `_SLICE` characters: a slice with a letter or digit is tokenized, one of
        punctuation and symbols only is one token; the Docs are joined (same text, character for
        character)."""
        if not _LONG_RUN.search(text):
            return self.nlp.make_doc(text)
        from spacy.tokens import Doc

        docs, pos = [], 0

        def tokenized(part: str):
            if part:
                docs.append(self.nlp.make_doc(part))

        for m in _LONG_RUN.finditer(text):
            tokenized(text[pos:m.start()])
            for i in range(m.start(), m.end(), _SLICE):
                part = text[i:min(i + _SLICE, m.end())]
                if _WORDLIKE.search(part):
                    tokenized(part)
                else:
                    docs.append(Doc(self.nlp.vocab, words=[part], spaces=[False]))
            pos = m.end()
        tokenized(text[pos:])
        doc = Doc.from_docs([d for d in docs if len(d)], ensure_whitespace=False)
        if doc.text != text:        # a tokenizer that drops characters: take the text whole
            return self.nlp.make_doc(text)
        return doc

    def extract(self, original: str) -> tuple[TextView, list]:
        a = self.analyze(original)
        return a.view, a.mentions


class Analysis:
    """Mentions and corrupt spans of one text, offsets into the original; `view` is the
    normalized text (made on demand for a text that was analyzed in pieces)."""

    def __init__(self, view: TextView | None, mentions: list, corrupt: list, *, original: str | None = None,
                 profile=None):
        self._view, self.mentions, self.corrupt = view, mentions, corrupt
        self._original, self._profile = original, profile

    @property
    def view(self) -> TextView:
        if self._view is None:
            self._view = self._profile.normalize(self._original)
        return self._view


def _shifted(rec, offset: int):
    if offset:
        rec.start += offset
        rec.end += offset
    return rec


def _analysis(view: TextView, doc) -> Analysis:
    cands = base.candidates(doc)
    return Analysis(view, to_mentions(view, [c for c in cands if c.type != "corrupt"]),
                    to_corrupt(view, [c for c in cands if c.type == "corrupt"]))


def to_corrupt(view: TextView, cands: list[base.Candidate]) -> list[records.CorruptSpan]:
    out, seen = [], set()
    for c in sorted(cands, key=lambda c: (c.start, c.end)):
        start, end = view.to_original(c.start, c.end)
        if (start, end) in seen or start >= end:
            continue
        seen.add((start, end))
        out.append(records.CorruptSpan(start=start, end=end, text=view.original[start:end],
                                       reason=c.fields.get("reason", "garbled text"),
                                       note=c.fields.get("note"), rule=c.rule,
                                       recovered=c.fields.get("recovered")))
    return out


def to_mentions(view: TextView, cands: list[base.Candidate]) -> list:
    out = []
    seen = set()
    for c in base.resolve_overlaps(cands):
        start, end = view.to_original(c.start, c.end)
        key = (c.type, start, end)
        if key in seen or start >= end:
            continue
        seen.add(key)
        fields = {k: v for k, v in c.fields.items() if not k.startswith("_")}
        out.append(_MENTION.validate_python({
            "type": c.type, "start": start, "end": end, "text": view.original[start:end],
            "rule": c.rule, **fields}))
    return out


@lru_cache(maxsize=None)
def extractor(lang: str) -> Extractor:
    """The process-wide extractor of a language (models are loaded once)."""
    return Extractor(get_profile(lang).code)
