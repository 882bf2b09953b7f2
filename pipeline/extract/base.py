"""What every extraction component shares: candidates on the Doc, and claimed spans.

Components run on the normalized text of a `TextView`; they add `Candidate`s with
offsets into that text to `doc._.candidates`.  Records (original offsets, original
text) are made from them once, in `pipeline.nlp`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from spacy.tokens import Doc

if not Doc.has_extension("candidates"):
    Doc.set_extension("candidates", default=None)
if not Doc.has_extension("profile"):
    Doc.set_extension("profile", default=None)   # the LanguageProfile of the text
if not Doc.has_extension("context"):
    Doc.set_extension("context", default=None)   # document-level context (anchor year, ...)


@dataclass
class PersonEvidence:
    """What a component knows of a person candidate beyond its record fields."""
    surface: str                          # the name as read (normalized text), rank left out
    chinese: bool = False                 # written in Chinese characters
    commands: "Candidate | None" = None   # the formation the text says this person led
    kb: Any = None                        # the knowledge-base person, once the name is resolved


@dataclass
class FormationEvidence:
    """What a component knows of a formation candidate beyond its record fields."""
    echelon_word: str = ""                # the word that gave the echelon (军: army or corps by side)
    needs_parent: bool = False            # "the brigade of ...": kept only with a formation after it
    parent: "Candidate | None" = None


@dataclass
class Candidate:
    type: str
    start: int          # offsets into the normalized text (doc.text)
    end: int
    fields: dict[str, Any] = field(default_factory=dict)    # the record's fields, as written out
    rule: str | None = None
    evidence: PersonEvidence | FormationEvidence | None = None

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


def text_of(doc: Doc) -> str:
    """The Doc's text, built once: spaCy rebuilds `doc.text` from its tokens on every access."""
    text = doc.user_data.get("muster_text")
    if text is None:
        text = doc.user_data["muster_text"] = doc.text
    return text


def windows(text: str, anchor: re.Pattern, before: int, after: int) -> list[tuple[int, int]]:
    """Merged [start, end) windows around every match of `anchor` (a word every match needs)."""
    out: list[list[int]] = []
    for a in anchor.finditer(text):
        s, e = max(0, a.start() - before), min(len(text), a.end() + after)
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def matches_in(patterns, text: str, spans: list[tuple[int, int]]):
    """(pattern, match) of every pattern inside the windows, each match once."""
    for pat in patterns:
        seen = set()
        for a, b in spans:
            for m in pat.finditer(text, a, b):
                if m.span() not in seen:
                    seen.add(m.span())
                    yield pat, m


class CandidateList(list):
    """The Doc's candidates: a list that keeps an interval index for `is_claimed` up to date.

    An append (what `add` does) updates the index in O(log n); any other change (remove, slice
    assignment, ...) drops it, and the next query rebuilds it once."""

    __slots__ = ("_claims",)

    def __init__(self, items=()):
        super().__init__(items)
        self._claims: _Claims | None = None

    def append(self, c) -> None:
        super().append(c)
        if self._claims is not None:
            self._claims.add(c)

    def claims(self, size: int) -> _Claims:
        if self._claims is None or self._claims.size < size:
            self._claims = _Claims(size, self)
        return self._claims


def _invalidating(name):
    op = getattr(list, name)

    def method(self, *args, **kwargs):
        self._claims = None
        return op(self, *args, **kwargs)
    method.__name__ = name
    return method


for _name in ("extend", "insert", "remove", "pop", "clear", "sort", "reverse", "__setitem__",
              "__delitem__", "__iadd__", "__imul__"):
    setattr(CandidateList, _name, _invalidating(_name))


class _Claims:
    """Per type, a Fenwick tree over start offsets holding the largest end: "does any candidate
    of these types overlap [s, e)" is "is the largest end among candidates starting before e
    greater than s", answered in O(log n); adding a candidate is O(log n)."""

    def __init__(self, size: int, cands=()):
        self.size = size + 2
        self.trees: dict[str, list[int]] = {}
        for c in cands:
            self.add(c)

    def add(self, c: Candidate) -> None:
        tree = self.trees.get(c.type)
        if tree is None:
            tree = self.trees[c.type] = [0] * (self.size + 1)
        i, end, n = min(max(c.start, 0), self.size - 1) + 1, c.end, self.size
        while i <= n:
            if tree[i] < end:
                tree[i] = end
            i += i & -i

    def overlaps(self, start: int, end: int, types: Iterable[str] | None) -> bool:
        for t in (self.trees if types is None else types):
            tree = self.trees.get(t)
            if tree is None:
                continue
            best, i = 0, min(max(end, 0), self.size)    # candidates with start < end: positions 1..end
            while i > 0:
                if tree[i] > best:
                    best = tree[i]
                i -= i & -i
            if best > start:
                return True
        return False


def candidates(doc: Doc) -> list[Candidate]:
    cands = doc._.candidates
    if not isinstance(cands, CandidateList):
        cands = doc._.candidates = CandidateList(cands or ())
    return cands


def of_type(doc: Doc, *types: str) -> list[Candidate]:
    return [c for c in candidates(doc) if c.type in types]


def is_claimed(doc: Doc, start: int, end: int, types: Iterable[str] | None = None) -> bool:
    """True when an earlier component already took (part of) this span."""
    cands = candidates(doc)
    if not cands:
        return False
    wanted = None if types is None else set(types)
    return cands.claims(len(text_of(doc))).overlaps(start, end, wanted)


def add(doc: Doc, cand: Candidate) -> Candidate:
    candidates(doc).append(cand)
    return cand


def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Within one type keep the longest of overlapping candidates (then the earliest)."""
    # Kept candidates of one type never overlap each other, so, ordered by (start, end), their
    # ends rise too: [s, e) overlaps one of them iff the last one starting before e ends after s.
    # A sorted list per type makes this O(n log n) with the same result as comparing each
    # candidate with every kept one.
    kept: list[Candidate] = []
    by_type: dict[str, tuple[list, list]] = {}
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        keys, ends = by_type.setdefault(c.type, ([], []))
        i = bisect.bisect_left(keys, (c.end, -1))      # kept ones with start < c.end
        if i and ends[i - 1] > c.start:
            continue
        j = bisect.bisect_left(keys, (c.start, c.end))
        keys.insert(j, (c.start, c.end))
        ends.insert(j, c.end)
        kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end))
