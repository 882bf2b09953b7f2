"""Sides from context: which army a formation, a loss or a strength belongs to.

Formations first keep what their own words say (Panzer -> DE, Front -> SU); the
rest take, in order: a side word right before them ("the German 2nd Army"), their
commander's side ("Weiss's 2nd Army"), the nearest side cue earlier in the sentence,
then in the paragraph, then the side most formations of the document have.
Figures take the nearest cue in the sentence, then the paragraph; "German and
Hungarian troops" gives `side: null, sides: ["DE", "HU"]`.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import resources
from pipeline.extract import base, infobox


@dataclass
class _Cue:
    start: int
    end: int
    sides: tuple[str, ...]


class SideResolver:
    def __init__(self, nlp: Language, name: str, *, lang: str):
        self.name = name
        lex = resources.lexicon(lang, "formations")
        self.words = lex.get("side_words", {})
        alts = "|".join(re.escape(w) for w in sorted(self.words, key=len, reverse=True))
        joiner = lex.get("side_joiner", r"\s*(?:,|and|or|與|和|及|、)\s*")
        lb, rb = (r"(?<![\w])", r"(?![\w])") if lex.get("word_boundaries", True) else ("", "")
        self.cue_re = re.compile(rf"{lb}(?:{alts})(?:{joiner}(?:{alts}))*{rb}") if alts else None
        self.word_re = re.compile(rf"{lb}(?:{alts}){rb}") if alts else None
        self.sentence_end = re.compile(lex.get("sentence_end", r"[.!?。！？]\s|\n"))

    def _cues(self, doc: Doc) -> list[_Cue]:
        cues = []
        if self.cue_re is not None:
            for m in self.cue_re.finditer(base.text_of(doc)):
                sides = tuple(dict.fromkeys(self.words[w.group()] for w in self.word_re.finditer(m.group())))
                cues.append(_Cue(m.start(), m.end(), sides))
        for c in base.of_type(doc, "formation", "person"):
            if c.fields.get("side"):
                cues.append(_Cue(c.start, c.end, (c.fields["side"],)))
        return sorted(cues, key=lambda c: c.start)

    def _bounds(self, text: str, pos: int) -> tuple[int, int]:
        """Start of the sentence and of the paragraph holding `pos`."""
        para = text.rfind("\n", 0, pos) + 1
        sent = para
        for m in self.sentence_end.finditer(text, para, pos):
            sent = m.end()
        return sent, para

    def __call__(self, doc: Doc) -> Doc:
        text = base.text_of(doc)
        cues = self._cues(doc)
        word_cues = [q for q in cues if q.end - q.start > 0 and self.word_re and self.word_re.search(text, q.start, q.end)]
        formations = base.of_type(doc, "formation")
        people = base.of_type(doc, "person")
        unsided = [f for f in formations if not f.fields.get("side")]
        for f in unsided:
            side = self._adjacent(text, f) or self._commander(text, f, people)
            if side is None:
                words = self._nearest(text, f, word_cues, sentence_only=True)
                side = words[0] if words and len(words) == 1 else None
            if side is None:
                # the nearest sided unit or person before it in the sentence ("第9戰區…以第15集團軍、第27集團軍")
                known = self._nearest(text, f, cues, sentence_only=True)
                side = known[0] if known and len(known) == 1 else None
            if side is None:
                # the same unit named earlier in the document with a side
                side = next((o.fields["side"] for o in formations if o.start < f.start and o.fields.get("side")
                             and all(o.fields.get(k) == f.fields.get(k) for k in ("echelon", "number", "branch", "name"))), None)
            f.fields["side"] = side
            if side:
                bisect.insort(cues, _Cue(f.start, f.end, (side,)), key=lambda q: q.start)
        # what is still open takes the side most formations of the document have
        majority = Counter(f.fields["side"] for f in formations if f.fields.get("side"))
        default = majority.most_common(1)[0][0] if majority else None
        for f in unsided:
            f.fields["side"] = f.fields["side"] or default
        columns = infobox.column_sides(doc)      # once: the units and people of each column are known now
        for c in base.of_type(doc, "casualty", "strength"):
            if c.fields.get("side") or c.fields.get("sides"):
                continue
            column = infobox.side_at(doc, c.start, columns)
            if column:          # "- Casualties2:" under "- Combatant2: Soviet Union"
                c.fields["side"] = column
                continue
            inside = self.cue_re.search(text, c.start, c.end) if self.cue_re else None
            if inside:   # "20,000 Hungarian soldiers", "100,000 German and Romanian troops"
                sides = tuple(dict.fromkeys(self.words[w.group()] for w in self.word_re.finditer(inside.group())))
            else:
                sides = self._nearest(text, c, cues)
            if sides and len(sides) == 1:
                c.fields["side"] = sides[0]
            elif sides:
                c.fields.update(side=None, sides=list(sides))
        return doc

    def _adjacent(self, text: str, f: base.Candidate) -> str | None:
        before = text[max(0, f.start - 30):f.start].rstrip()
        for word in sorted(self.words, key=len, reverse=True):
            if before.endswith(word) and (not self.word_re or self.word_re.search(before[-len(word) - 1:] + " ")):
                return self.words[word]
        return None

    @staticmethod
    def _commander(text: str, f: base.Candidate, people) -> str | None:
        for p in people:
            if 0 <= f.start - p.end <= 4 and p.fields.get("side"):
                return p.fields["side"]
        return None

    def _nearest(self, text: str, c: base.Candidate, cues, sentence_only: bool = False):
        sent, para = self._bounds(text, c.start)
        for lo in (sent,) if sentence_only else (sent, para):
            before = [q for q in cues if lo <= q.start and q.end <= c.start]
            if before:
                return before[-1].sides
        return None


@Language.factory("muster_sides", default_config={"lang": "en"})
def make_side_resolver(nlp: Language, name: str, lang: str) -> SideResolver:
    return SideResolver(nlp, name, lang=lang)
