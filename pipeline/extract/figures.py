"""Casualty and strength figures: "30,439 men ... killed or taken prisoner", "408 tanks",
"about 15,000", "at least 20,000 men had been lost", 五千名倖存者, 兩個騎兵軍.

A figure is a casualty when a loss word is in its clause (after it, or before it for
verbs like "lost"), with the category of the most specific word ("killed or
missing" before "killed"); otherwise it is a strength when it counts men, weapons
or units.  Ratios ("one in every 10 men"), partitives ("two of the armies") and
anaphora ("the three armies") are not figures.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import resources
from pipeline.extract import base
from pipeline.extract.grammar import grammar
from pipeline.extract.quantities import read_quantity
from pipeline.extract.quantities import bounds, number_value


def _phrase_regex(phrases, bounded: bool = True) -> re.Pattern:
    alts = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
    lb, rb = (r"(?<!\w)", r"(?!\w)") if bounded else ("", "")
    return re.compile(rf"{lb}(?:{alts}){rb}", re.I)


class FigureExtractor:
    def __init__(self, nlp: Language, name: str, *, lang: str):
        self.name = name
        self.patterns = grammar(lang).patterns("figures")
        lex = resources.lexicon(lang, "figures")
        self.qualifiers = {" ".join(k.lower().split()): v for k, v in lex["qualifiers"].items()}
        self.nouns = {k.lower(): v for k, v in lex.get("nouns", {}).items()}
        self.unit_nouns = set(lex.get("unit_nouns", []))
        self.equipment = set(lex.get("equipment", []))
        self.cues = lex.get("cues", [])
        # languages written without spaces (Chinese) match cue words inside longer runs of letters
        b = lex.get("word_boundaries", True)
        self.cue_re = _phrase_regex([c["phrase"] for c in self.cues], b)
        self.cue_by_phrase = {" ".join(c["phrase"].lower().split()): c for c in self.cues}
        self.break_literals = [b for b in lex.get("clause_breaks", [])]
        self.skip_before = _tail_regex(lex.get("skip_before", []), b)
        self.ratio_before = _tail_regex(lex.get("ratio_before", []), b)
        self.partitive_after = _head_regex(lex.get("partitive_after", []), b)
        self.bare_prefixes = _tail_regex(lex.get("bare_prefixes", ["only", "just", "but", "merely"]), b)

    def __call__(self, doc: Doc) -> Doc:
        text = base.text_of(doc)
        found = []
        for pat in self.patterns:
            for m in pat.finditer(text):
                g = {k: v for k, v in m.groupdict().items() if v is not None}
                s, e = m.span("span") if g.get("span") else m.span()
                num_s = m.start("num")
                if base.is_claimed(doc, num_s, m.end("num"), ("date", "measurement", "formation")):
                    continue
                r = read_quantity(doc._.profile, g["num"], g.get("high"))
                if r is None or r.low is None:
                    continue
                value, high, ranged = r.low, (r.high if r.high != r.low or r.approx else None), r.approx
                before = text[max(0, s - 30):s]
                if self.ratio_before.search(before):
                    continue
                if value < 100 and self.skip_before.search(before):
                    continue   # "the three armies", 其中两个: anaphora; "其中四万人阵亡" is a figure
                if value < 100 and self.partitive_after.match(text[m.end("num"):m.end("num") + 12]):
                    continue  # "two of the armies"; "15,000 of its men" is a figure
                noun = self.nouns.get(" ".join(g.get("noun", "").lower().split())) if g.get("noun") else None
                qual = self.qualifiers.get(" ".join(g.get("qual", "").lower().split()))
                if qual == "exact":
                    s = m.start("num")   # "only 900 survivors": a word that sets no bound stays out
                found.append(dict(ranged=ranged, s=s, e=e, num_s=m.start("num"), num_e=m.end("num"), value=value, high=high,
                                  qual=self.qualifiers.get(" ".join(g.get("qual", "").lower().split())),
                                  noun=noun, noun_text=(g.get("noun") or "").lower(),
                                  unit_branch=pat.attrs.get("unit_branch") or g.get("unit_branch"),
                                  bare=bool(pat.attrs.get("bare")), rule=pat.id, attrs=pat.attrs))
        found.sort(key=lambda f: (f["s"], -(f["e"] - f["s"])))
        kept = []
        for f in found:
            if kept and f["s"] < kept[-1]["e"]:
                continue
            kept.append(f)
        for i, f in enumerate(kept):
            cand = self._classify(doc, text, f, kept, i)
            if cand is not None:
                base.add(doc, cand)
        return doc

    # -- classification --------------------------------------------------------
    def _clause(self, text: str, f: dict, figures: list, i: int) -> tuple[str, str]:
        """Text after the figure up to the clause end or next figure, and before it likewise."""
        end = len(text)
        if i + 1 < len(figures):
            end = min(end, figures[i + 1]["s"])
        after = text[f["e"]:end]
        cut = _first_break(after, self.break_literals)
        after = after[:cut]
        prev = figures[i - 1] if i > 0 else None
        if prev is not None and re.fullmatch(r"\s*(?:,|and|or|,\s*and)\s*", text[prev["e"]:f["s"]]):
            # "lost 128 tanks and 13,695 men": coordinated figures share the words before the first
            return after, prev.get("before_ctx", "")
        before = text[max(prev["e"] if prev else 0, f["s"] - 120):f["s"]]
        before = before[_last_break(before, self.break_literals):]
        f["before_ctx"] = before
        return after, before

    def _category(self, after: str, before: str) -> str | None:
        for m in self.cue_re.finditer(after):
            cue = self.cue_by_phrase.get(" ".join(m.group().lower().split()))
            if cue and cue.get("where", "both") in ("both", "after"):
                return cue["category"]
        for m in reversed(list(self.cue_re.finditer(before))):
            cue = self.cue_by_phrase.get(" ".join(m.group().lower().split()))
            if cue and cue.get("where", "both") in ("both", "before"):
                return cue["category"]
        return None

    def _classify(self, doc: Doc, text: str, f: dict, figures: list, i: int) -> base.Candidate | None:
        after, before = self._clause(text, f, figures, i)
        noun = f["noun"]
        if f["bare"]:
            # a bare number repeats the noun of the figure just before it ("out of 408 tanks only 182")
            prev = figures[i - 1] if i > 0 else None
            between = text[prev["e"]:f["num_s"]] if prev else ""
            if prev and prev["noun"] and len(between) < 40 and not re.search(r"[.;]", between) \
                    and self.bare_prefixes.search(between):
                noun = prev["noun"]
            elif f["value"] < 10 or not f["qual"] and "," not in text[f["s"]:f["num_e"]] and f["value"] < 100:
                return None
        # a noun that is itself a loss word ("120,000 wounded", "2,000 prisoners") decides first
        noun_cue = self.cue_by_phrase.get(f["noun_text"])
        # read from the noun on, so "9,870 wounded or sick" finds the compound cue
        category = self._category(f["noun_text"] + after, "") if noun_cue else self._category(after, before)
        if f["attrs"].get("category"):
            category = f["attrs"]["category"]
        if category is None and f["attrs"].get("what") is None and noun is None:
            return None
        if f["bare"] and category is None and noun is None:
            return None
        lo, hi, approx = bounds(f["value"], f["high"], f["qual"])
        approx = approx or f.get("ranged", False)
        fields = {"low": _n(lo), "high": _n(hi), "approx": approx}
        if category is not None and noun not in self.unit_nouns:
            if noun in self.equipment:
                fields.update(category="equipment", equipment=noun)
            else:
                fields["category"] = category
            return base.Candidate("casualty", f["s"], f["e"], fields, f["rule"])
        what = f["attrs"].get("what") or noun
        if what is None:
            return None
        fields["what"] = what
        if f.get("unit_branch"):
            fields["unit_branch"] = f["unit_branch"]
        return base.Candidate("strength", f["s"], f["e"], fields, f["rule"])


def _n(x):
    return None if x is None else number_value(x)


def _tail_regex(phrases, bounded: bool = True) -> re.Pattern:
    if not phrases:
        return re.compile(r"(?!)")
    alts = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
    lb = r"(?<!\w)" if bounded else ""
    return re.compile(rf"{lb}(?:{alts})\s*$", re.I)


def _head_regex(phrases, bounded: bool = True) -> re.Pattern:
    if not phrases:
        return re.compile(r"(?!)")
    alts = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
    rb = r"(?!\w)" if bounded else ""
    return re.compile(rf"^\s*(?:{alts}){rb}", re.I)


def _first_break(s: str, breaks: list[str]) -> int:
    pos = [s.find(b) for b in breaks if b and s.find(b) >= 0]
    return min(pos) if pos else len(s)


def _last_break(s: str, breaks: list[str]) -> int:
    pos = [s.rfind(b) + len(b) for b in breaks if b and s.rfind(b) >= 0]
    return max(pos) if pos else 0


@Language.factory("muster_figures", default_config={"lang": "en"})
def make_figure_extractor(nlp: Language, name: str, lang: str) -> FigureExtractor:
    return FigureExtractor(nlp, name, lang=lang)
