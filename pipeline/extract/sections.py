"""Infobox sections of scraped pages: a heading line ("Commanders and leaders", 指挥官与领导者,
"Strength", 兵力, "Casualties and losses") and the short lines under it, or a template
field on one line ("- Commander1: Ivan Petrov, Pavel Orlov").

A section runs from its heading to the next heading line or the first line of prose,
so a list keeps the role its heading gives it ("Ivan Petrov" under "Commanders" is a
person; "30,000" under "Casualties" is a loss). Headings are per-language data in
`models/lexicon/<lang>/sections.json`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from pipeline import resources
from pipeline.extract import base


@dataclass(frozen=True)
class Section:
    kind: str          # commanders, strength, casualties, units, belligerents, other
    heading: tuple[int, int]
    start: int         # first character after the heading line (or of a field's value)
    end: int           # end of the last line of the section
    column: int | None = None    # the infobox column of a field ("Commander2": 2)

    def lines(self, text: str) -> list[tuple[int, int]]:
        """[start, end) of every non-blank line of the section."""
        out, pos = [], self.start
        while pos < self.end:
            nl = text.find("\n", pos, self.end)
            stop = self.end if nl < 0 else nl
            if text[pos:stop].strip():
                out.append((pos, stop))
            pos = stop + 1
        return out


class SectionReader:
    """The sections of a text, from one language's heading lexicon."""

    def __init__(self, lang: str):
        lex = resources.optional_lexicon(lang, "sections")
        self.kinds = {h.casefold(): kind for kind, heads in lex.get("headings", {}).items() for h in heads}
        self.residue = re.compile(lex.get("residue", r"\s*") + "$")
        self.prose_length = lex.get("prose_length", 120)
        self.sentence_end = re.compile(lex.get("sentence_end", r"[.!?]$"))
        self.field = re.compile(lex["field"]) if lex.get("field") else None
        self.field_kinds = {**self.kinds, **lex.get("field_names", {})}
        self.separators = lex.get("separators", [])
        self.group_label = re.compile(lex["group_label"]) if lex.get("group_label") else None
        totals = lex.get("total_labels", [])
        self.total_label = re.compile("(?i:" + "|".join(map(re.escape, totals)) + ")") if totals else None

    def starts_group(self, gap: str) -> bool:
        """Does the text between two figures of a section begin another breakdown? ("..., 1st Army:",
        a sub-heading line; not "Total:", which introduces the group's own total)."""
        if self.group_label is None or not self.group_label.search(gap):
            return False
        return self.total_label is None or not self.total_label.search(gap)

    def field_section(self, line: str, start: int) -> Section | None:
        """A template field line whose label names a section ("- Casualties1: ...")."""
        m = self.field.match(line) if self.field else None
        kind = self.field_kinds.get(m.group("label").strip().casefold()) if m else None
        if kind is None:
            return None
        column = int(m.group("column")) if m.group("column") else None
        return Section(kind, (start + m.start(), start + m.start("value")), start + m.start("value"),
                       start + m.end("value"), column)

    def heading(self, line: str) -> str | None:
        """The kind of section a line heads, or None."""
        bare = line[:self.residue.search(line).start()].strip().casefold()
        return self.kinds.get(bare)

    def is_prose(self, line: str) -> bool:
        line = line.strip()
        return len(line) > self.prose_length or bool(self.sentence_end.search(line))

    def read(self, text: str, fold=None) -> list[Section]:
        """The sections of `text`. `fold` normalizes a short line before its heading is looked up,
        so an original text (Traditional: 傷亡與損失) is read with offsets of its own."""
        if not self.kinds:
            return []
        out: list[Section] = []
        open_kind, heading, last_end = None, (0, 0), 0

        def close():
            if open_kind is not None and last_end > heading[1] + 1:
                out.append(Section(open_kind, heading, heading[1] + 1, last_end))

        pos = 0
        for line in text.split("\n"):
            start, end = pos, pos + len(line)
            pos = end + 1
            field = self.field_section(line, start)
            kind = self.heading(fold(line) if fold else line) if field is None and len(line) <= 60 else None
            if field is not None or kind is not None or (open_kind is not None and line.strip()
                                                         and self.is_prose(line)):
                close()
                open_kind, heading, last_end = kind, (start, end), end
                if field is not None:
                    out.append(field)
            elif open_kind is not None and line.strip():
                last_end = end
        close()
        return out


@lru_cache(maxsize=None)
def reader(lang: str) -> SectionReader:
    return SectionReader(lang)


def sections(doc: Doc) -> list[Section]:
    """The document's sections, read once per Doc."""
    found = doc.user_data.get("muster_sections")
    if found is None:
        found = doc.user_data["muster_sections"] = reader(doc._.profile.code).read(base.text_of(doc))
    return found


def section_at(doc: Doc, pos: int) -> Section | None:
    return next((s for s in sections(doc) if s.start <= pos < s.end), None)
