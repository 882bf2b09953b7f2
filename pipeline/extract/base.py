"""What every extraction component shares: candidates on the Doc, and claimed spans.

Components run on the normalized text of a `TextView`; they add `Candidate`s with
offsets into that text to `doc._.candidates`.  Records (original offsets, original
text) are made from them once, in `pipeline.nlp`.
"""
from __future__ import annotations

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


def candidates(doc: Doc) -> list[Candidate]:
    if doc._.candidates is None:
        doc._.candidates = []
    return doc._.candidates


def of_type(doc: Doc, *types: str) -> list[Candidate]:
    return [c for c in candidates(doc) if c.type in types]


def is_claimed(doc: Doc, start: int, end: int, types: Iterable[str] | None = None) -> bool:
    """True when an earlier component already took (part of) this span."""
    wanted = set(types) if types is not None else None
    return any(c.overlaps(start, end) and (wanted is None or c.type in wanted)
               for c in candidates(doc))


def add(doc: Doc, cand: Candidate) -> Candidate:
    candidates(doc).append(cand)
    return cand


def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Within one type keep the longest of overlapping candidates (then the earliest)."""
    kept: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if not any(k.type == c.type and k.overlaps(c.start, c.end) for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end))
