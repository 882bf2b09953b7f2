"""One spaCy pipeline per language, with muster's extraction components after it.

`Extractor.extract(text)` normalizes the original text into a `TextView`, runs the
pipeline on the normalized copy and turns candidates into typed mention records
whose offsets and text come from the original. `analyze_many` does the same for a
stream of texts through `nlp.pipe`, so the statistical components run in batches.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from pydantic import TypeAdapter

from pipeline import records
from pipeline.extract import COMPONENTS, base
from pipeline.extract import corruption, dates, echelons, figures, formations, measurements, people, sides  # noqa: F401  (registers the factories)
from pipeline.lang import get_profile
from pipeline.textview import TextView

_MENTION = TypeAdapter(records.Mention)


class Extractor:
    """Loads a language's pipeline once; extracts mentions from many texts."""

    def __init__(self, lang: str, components: list[str] | None = None):
        """`components`: a subset of the extraction components, in pipeline order (tests, tools)."""
        self.profile = get_profile(lang)
        self.nlp = self.profile.make_nlp()
        for component in components if components is not None else COMPONENTS:
            self.nlp.add_pipe(component, config={"lang": self.profile.code})

    def analyze(self, original: str) -> Analysis:
        view = self.profile.normalize(original)
        doc = self._doc(view)
        for _, proc in self.nlp.pipeline:
            doc = proc(doc)
        return _analysis(view, doc)

    def analyze_many(self, originals: Iterable[str], batch_size: int = 64) -> Iterator[Analysis]:
        """`analyze` of each text, in order; at most `batch_size` texts are held at once."""
        views: deque[TextView] = deque()

        def docs():
            for original in originals:
                views.append(self.profile.normalize(original))
                yield self._doc(views[-1])

        for doc in self.nlp.pipe(docs(), batch_size=batch_size):
            yield _analysis(views.popleft(), doc)

    def _doc(self, view: TextView):
        doc = self.nlp.make_doc(view.text)
        doc._.profile = self.profile
        doc._.candidates = []
        return doc

    def extract(self, original: str) -> tuple[TextView, list]:
        a = self.analyze(original)
        return a.view, a.mentions


@dataclass
class Analysis:
    view: TextView
    mentions: list
    corrupt: list


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
