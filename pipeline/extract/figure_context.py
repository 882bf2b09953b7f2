"""What stands around a figure: loss and force words, labels, clauses and sections.

All words come from `models/lexicon/<lang>/figures.json`; the section patterns (role
"section") from `models/patterns/<lang>/figures.jsonl`.  Nothing here knows a language:
Chinese differs by its data (no word boundaries, its own clause marks and joiners).

- A **cue** is one loss word (killed, 陣亡) or force word (numbered, 兵力) with its
  category and the positions it may take (before the number, after it, head).
- Cues joined by a joiner of the lexicon ("killed, missing or captured", 陣亡、受傷或失蹤,
  "KIA and MIA") are one `CueHit` whose category is the `combinations` entry for the set
  of its parts' categories (a set not listed there is `total`).
- A **section** is the extent of an infobox row ("- Casualties2: ...", scope "line") or of a
  heading and the list lines under it (傷亡與損失, "Strength |||", scope "block": up to the
  next heading or the first line of running prose).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline import resources


@dataclass(frozen=True)
class Cue:
    phrase: str
    category: str | None          # None: a neutral word ("total", 因傷病) that decides nothing
    where: frozenset[str]         # before | after | head
    strength: bool = False        # a force word: the figure is a strength


@dataclass(frozen=True)
class CueHit:
    start: int
    end: int
    category: str | None
    where: frozenset[str]
    strength: bool


@dataclass(frozen=True)
class Section:
    start: int
    end: int
    role: str                     # casualty | strength
    column: int | None            # the infobox column ("Casualties2" -> 2), when the row says


class Context:
    def __init__(self, lang: str, section_patterns):
        lex = resources.lexicon(lang, "figures")
        self.bounded = lex.get("word_boundaries", True)
        self.cues = {_key(k): Cue(k, v.get("category"), frozenset(v.get("where", ["before", "after"])),
                                  bool(v.get("strength")))
                     for k, v in lex["cues"].items() if not k.startswith("_")}
        self.cue_re = _phrases(self.cues, self.bounded)
        self.joiners = {_key(j) for j in lex.get("cue_joiners", [])}
        self.combinations = {frozenset(c["parts"]): c["category"] for c in lex.get("combinations", [])}
        self.breaks = lex.get("clause_breaks", [])
        self.label_mark = lex.get("label_mark", ":")
        self.list_joiners = {_key(j) for j in lex.get("list_joiners", [])}
        self.sections_lex = {_key(k): v for k, v in lex.get("sections", {}).items()}
        self.other_headings = {_key(k) for k in lex.get("other_headings", [])}
        prose = lex.get("prose_line", {})
        self.prose_min, self.prose_end = prose.get("min_chars", 120), prose.get("sentence_end", ". ")
        self.section_patterns = section_patterns

    # -- cues ----------------------------------------------------------------------------
    def hits(self, text: str, start: int, end: int) -> list[CueHit]:
        """The cues in text[start:end], joined ones merged into one hit."""
        out: list[CueHit] = []
        parts: list[list] = []
        for m in self.cue_re.finditer(text, start, end):
            cue = self.cues.get(_key(m.group()))
            if cue is None:
                continue
            gap = text[parts[-1][-1][1]:m.start()] if parts else "\n"
            # a neutral word ("total") never joins a loss word: "wounded or sick, Total: 9,000"
            same_kind = bool(parts) and (cue.category is None) == (parts[-1][-1][2].category is None)
            if "\n" not in gap and _key(gap) in self.joiners and same_kind:
                parts[-1].append((m.start(), m.end(), cue))
            else:
                parts.append([(m.start(), m.end(), cue)])
        for group in parts:
            out.append(self._merge(group))
        return out

    def _merge(self, group) -> CueHit:
        cats = [c.category for _, _, c in group if c.category]
        where = frozenset().union(*(c.where for _, _, c in group))
        strength = any(c.strength for _, _, c in group) and not cats
        if not cats:
            category = None
        elif len(set(cats)) == 1 and len(cats) == 1:
            category = cats[0]
        else:
            category = self.combinations.get(frozenset(cats), "total")
        return CueHit(group[0][0], group[-1][1], category, where, strength)

    def head(self, text: str, start: int, end: int) -> CueHit | None:
        hs = self.hits(text, start, end)
        return hs[0] if hs else None

    def first_cue(self, text: str, start: int, limit: int, where: str, allowed=None) -> CueHit | None:
        """The first cue of the clause after `start` (a compound may run past a clause mark: 陣亡、受傷或失蹤)."""
        end = self.clause_end(text, start, limit)
        for h in self.hits(text, start, limit):
            if h.start >= end:
                break
            if where in h.where and (h.category or h.strength) and (allowed is None or allowed(h)):
                return h
        return None

    def last_cue(self, text: str, lo: int, end: int, where: str, allowed=None) -> CueHit | None:
        """The last cue of the clause before `end` (text from `lo` on)."""
        start = self.clause_start(text, lo, end)
        for h in reversed(self.hits(text, lo, end)):
            if h.end <= start:
                break
            if where in h.where and (h.category or h.strength) and (allowed is None or allowed(h)):
                return h
        return None

    def any_cue(self, text: str, start: int, end: int) -> CueHit | None:
        for h in reversed(self.hits(text, start, end)):
            if h.category or h.strength:
                return h
        return None

    # -- clauses and labels --------------------------------------------------------------
    def clause_end(self, text: str, start: int, limit: int) -> int:
        seg = text[start:limit]
        pos = [seg.find(b) for b in self.breaks if b and seg.find(b) >= 0]
        return start + (min(pos) if pos else len(seg))

    def clause_start(self, text: str, lo: int, end: int) -> int:
        seg = text[lo:end]
        pos = [seg.rfind(b) + len(b) for b in self.breaks if b and seg.rfind(b) >= 0]
        return lo + (max(pos) if pos else 0)

    def label(self, text: str, lo: int, start: int) -> tuple[int, int] | None:
        """(start, end) of a label right before a figure: "Total: 474,000", "被俘:40,598"."""
        j = start
        while j > lo and text[j - 1] in " \t,":
            j -= 1
        if j <= lo or text[j - 1] != self.label_mark:
            return None
        return self.clause_start(text, lo, j - 1), j - 1

    def joined(self, text: str, end: int, start: int) -> bool:
        """Only a list joiner between two figures: "128 tanks and 13,695 men", 15萬、10萬."""
        return _key(text[end:start]) in self.list_joiners

    def summed(self, text: str, end: int, start: int) -> bool:
        """A total right after the figures it sums: "3,120 killed, 4,010 wounded, a total of 7,130 men"."""
        gap = text[end:start]
        words = [h for h in self.hits(text, end, start) if h.category is None and not h.strength]
        if not words or len(gap) > 20:
            return False
        rest = gap[:words[0].start - end] + gap[words[-1].end - end:]
        return _key(rest.strip(" ,;")) in self.list_joiners | {""}

    @staticmethod
    def restated(text: str, end: int, start: int) -> bool:
        """A figure in brackets right after another: "117,871 casualties, (39,537 in February)"."""
        gap = text[end:start]
        return bool(re.match(r"^[\s,]*\(", gap)) and len(gap) <= 8

    # -- sections ------------------------------------------------------------------------
    def sections(self, text: str) -> list[Section]:
        found: list[tuple[int, int, str | None, str, int | None]] = []   # heading start, its end, role, scope, column
        for pat in self.section_patterns:
            for m in pat.finditer(text):
                label = _key(m.group("label"))
                if label in self.sections_lex:
                    role = self.sections_lex[label]
                elif label in self.other_headings:
                    role = None
                else:
                    continue
                col = m.groupdict().get("column")
                found.append((m.start(), m.end(), role, pat.attrs.get("scope", "block"), int(col) if col else None))
        found.sort()
        out = []
        for i, (hs, he, role, scope, col) in enumerate(found):
            if role is None:
                continue
            if scope == "line":
                end = text.find("\n", he)
                out.append(Section(he, len(text) if end < 0 else end, role, col))
                continue
            limit = found[i + 1][0] if i + 1 < len(found) else len(text)
            out.append(Section(he, self._block_end(text, he, limit), role, col))
        return out

    def _block_end(self, text: str, start: int, limit: int) -> int:
        pos = start
        while pos < limit:
            nl = text.find("\n", pos + 1)
            line_end = limit if nl < 0 or nl > limit else nl
            line = text[pos:line_end].strip()
            if len(line) >= self.prose_min and self.prose_end in line:
                return pos
            pos = line_end
        return limit

    @staticmethod
    def section_at(sections: list[Section], pos: int) -> Section | None:
        for s in sections:
            if s.start <= pos < s.end:
                return s
        return None


def _key(s: str) -> str:
    return " ".join(s.lower().split())


def _phrases(words, bounded: bool) -> re.Pattern:
    alts = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(words, key=len, reverse=True))
    lb, rb = (r"(?<!\w)", r"(?!\w)") if bounded else ("", "")
    return re.compile(rf"{lb}(?:{alts}){rb}", re.I) if alts else re.compile(r"(?!)")
