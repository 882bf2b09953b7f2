"""Names listed under an infobox's "commanders" heading, one person a line.

A line reads `[flag caption] NAME [status] [(post)] [footnote]`: "Ivan PetrovPOW",
"日本 山田太郎 (第5师团师团长)", "X日语X" (an interlanguage label between two renderings).
What is left after the caption, status, post and title must look like a name of the
language (the `infobox` block of `models/lexicon/<lang>/people.json`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from pipeline import resources
from pipeline.extract import base
from pipeline.extract.grammar import alternation
from pipeline.extract.sections import reader as section_reader, sections

_BRACKETED = re.compile(r"\s*(?:\([^()\n]*\)|（[^（）\n]*）|\[[^\[\]\n]*\])")


@dataclass(frozen=True)
class ListedName:
    start: int
    end: int
    side: str | None      # from the flag caption before it


class InfoboxNames:
    def __init__(self, lang: str):
        lex = resources.lexicon(lang, "people").get("infobox", {})
        side_words = resources.lexicon(lang, "formations").get("side_words", {})
        # null side words block a shorter caption inside a name (德米特里 is not 德 + name)
        self.captions = {w: s for w, s in side_words.items() if not w.startswith("_")}
        self.captions.update(lex.get("polities", {}))
        self.caption_re = re.compile(alternation(self.captions) + r"\s*") if self.captions else None
        status = lex.get("status", [])
        self.status_re = re.compile(r"\s*" + alternation(status) + r"\s*$") if status else None
        labels = lex.get("language_labels", [])
        self.label_re = re.compile(alternation(labels)) if labels else None
        self.titles = lex.get("titles", {})
        self.name_re = re.compile(lex.get("name", r"^\S+$"))
        self.max_words = lex.get("max_words", 6)
        self.lowercase = set(lex.get("lowercase_words", []))

    def items(self, text: str, start: int, end: int, separators: list[str]) -> list[tuple[int, int]]:
        """The parts of a line between separators outside brackets ("A (x, y), B" -> A (x, y) | B)."""
        masked = _BRACKETED.sub(lambda m: " " * len(m.group()), text[start:end])
        if not separators:
            return [(start, end)]
        out, pos = [], 0
        for m in re.finditer(alternation(separators, flexible_space=False), masked):
            out.append((start + pos, start + m.start()))
            pos = m.end()
        out.append((start + pos, end))
        return out

    def side_of(self, text: str) -> str | None:
        """The one side a belligerents field names ("Germany, Hungary" -> None: two sides)."""
        sides = {self.captions[m.group().strip()] for m in self.caption_re.finditer(text)} - {None} \
            if self.caption_re else set()
        return sides.pop() if len(sides) == 1 else None

    def in_line(self, text: str, start: int, end: int) -> list[ListedName]:
        line = text[start:end]
        side = None
        m = self.caption_re.match(line) if self.caption_re else None
        word = m.group().strip() if m else ""
        if m and m.end() < len(line) and self.captions[word] and (len(word) > 1 or m.group() != word):
            side = self.captions[word]
            start += m.end()
            line = line[m.end():]
        pieces = [(start, line)]
        if self.label_re is not None:
            pieces = []
            pos = 0
            for lab in self.label_re.finditer(line):
                pieces.append((start + pos, line[pos:lab.start()]))
                pos = lab.end()
            pieces.append((start + pos, line[pos:]))
        out = []
        for s, piece in pieces:
            span = self._name(s, piece)
            if span is not None:
                out.append(ListedName(span[0], span[1], side))
        return out

    def _name(self, start: int, piece: str) -> tuple[int, int] | None:
        piece = _BRACKETED.sub(lambda m: " " * len(m.group()), piece)   # keep offsets
        changed = True
        while changed:
            changed = False
            stripped = piece.rstrip()
            if self.status_re is not None:
                m = self.status_re.search(stripped)
                if m and m.start() > 0:
                    stripped, changed = stripped[:m.start()], True
            for title, needs in self.titles.items():
                if stripped.endswith(title) and len(stripped) > len(title) + 1 and (needs is None or needs in stripped[:-len(title)]):
                    stripped, changed = stripped[:-len(title)], True
                    break
            piece = stripped
        lead = len(piece) - len(piece.lstrip())
        name = piece.strip()
        words = name.split()
        if not name or len(words) > self.max_words or not self.name_re.match(name) or \
                any(w[0].islower() and w not in self.lowercase for w in words):
            return None
        return start + lead, start + lead + len(name)


@lru_cache(maxsize=None)
def _reader(lang: str) -> InfoboxNames:
    return InfoboxNames(lang)


def captions(lang: str) -> dict[str, str | None]:
    """Side words and state names of a language (a flag caption, "Germany", 中華民國) -> side."""
    return _reader(lang).captions


def column_sides(doc: Doc) -> dict[int, str | None]:
    """The side of each infobox column: the one its belligerents field names ("- Combatant2: Soviet
    Union"), else the one side of the units and commanders its fields list ("- Units2: Northwestern Front")."""
    text = base.text_of(doc)
    reader = _reader(doc._.profile.code)
    fields = [s for s in sections(doc) if s.column is not None]
    out = {s.column: reader.side_of(text[s.start:s.end]) for s in fields if s.kind == "belligerents"}
    for column in {s.column for s in fields} - {c for c, side in out.items() if side}:
        listed = [s for s in fields if s.column == column and s.kind in ("units", "commanders")]
        found = {c.fields.get("side") for c in base.of_type(doc, "formation", "person")
                 if any(s.start <= c.start < s.end for s in listed)} - {None}
        out[column] = found.pop() if len(found) == 1 else None
    return out


def side_at(doc: Doc, pos: int, sides: dict[int, str | None]) -> str | None:
    """The side (of `column_sides`) of the infobox column whose field holds `pos`."""
    section = next((s for s in sections(doc) if s.column is not None and s.start <= pos < s.end), None)
    return sides.get(section.column) if section is not None else None


def listed_names(doc: Doc) -> list[ListedName]:
    """Every name listed under a commanders heading or field of the document; a field's column
    takes the side its belligerents field names ("Combatant2: Soviet Union")."""
    text = base.text_of(doc)
    lang = doc._.profile.code
    reader, seps = _reader(lang), section_reader(lang).separators
    found = sections(doc)
    sides = column_sides(doc)
    out: list[ListedName] = []
    for section in found:
        if section.kind != "commanders":
            continue
        for a, b in section.lines(text):
            for i, j in reader.items(text, a, b, seps):
                for name in reader.in_line(text, i, j):
                    if name.side is None and sides.get(section.column):
                        name = ListedName(name.start, name.end, sides[section.column])
                    out.append(name)
    return out
