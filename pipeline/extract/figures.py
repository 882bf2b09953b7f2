"""Casualty and strength figures: a number, what it counts, and the role it plays.

Three steps, each with its own typed value:

1. **Counted** (`Counted`): the templates of `models/patterns/<lang>/figures.jsonl` (role
   "figure") find a number with the language's number reader, its qualifier ("about",
   约, 余, 以上) and what it counts: a noun of the lexicon ("men", 人, 辆坦克, "rifle
   divisions"), or a loss word that heads it ("26,856 killed", 五千名幸存者), or nothing
   (a bare figure, kept only when a cue or a section makes it one).  Templates run in
   windows around numerals.
2. **Context** (`pipeline.extract.figure_context`): loss words and force words of the
   lexicon (`Cue`), joined into compounds ("killed, missing or captured"), in the clause
   after and before the figure; a label ("Total:", 被俘:); the infobox row or list
   heading the figure stands under (`Section`: "Casualties2:", 傷亡與損失, "Strength").
3. **Verdict**: head, then the clause after, then the clause before, then the label,
   then a figure it is listed with, then the section decide casualty (with its category)
   or strength; what remains is a strength when it counts something, else nothing.

Ratios ("one in every 10 men"), partitives ("two of the armies") and anaphora ("the
three armies", 这两个集团军) are not figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import resources
from pipeline.extract import base
from pipeline.extract.figure_context import Context, CueHit, Section
from pipeline.extract.grammar import grammar
from pipeline.extract.quantities import bounds, number_value, read_quantity
from pipeline.lang.reading import Reading


@dataclass(frozen=True)
class Counted:
    """A number and what it counts, as a template found it (offsets into the normalized text)."""
    start: int
    end: int
    num_start: int
    num_end: int
    reading: Reading
    qualifier: str | None        # approx | min | max | exact (the lexicon's kinds)
    what: str | None             # men, tanks, divisions ... (None: a bare figure)
    head: CueHit | None          # a loss word that is the counted word ("killed", 幸存者)
    unit_branch: str | None
    pattern: str
    bare: bool


@dataclass(frozen=True)
class Verdict:
    type: str                    # casualty | strength
    category: str | None
    why: str                     # which cue decided: head, after, before, label, list, section, noun
    what: str | None = None      # what a label says is counted ("火砲:6,723", "Tanks: 400")


class FigureExtractor:
    def __init__(self, nlp: Language, name: str, *, lang: str):
        self.name = name
        g = grammar(lang)
        pats = g.patterns("figures")
        self.templates = [p for p in pats if p.attrs.get("role", "figure") == "figure"]
        self.context = Context(lang, [p for p in pats if p.attrs.get("role") == "section"])
        self.anchor = g.compile("{FIGANCHOR}")   # a numeral starts here: templates run in windows around it
        lex = resources.lexicon(lang, "figures")
        self.qualifiers = {" ".join(k.lower().split()): v for k, v in lex["qualifiers"].items()}
        self.nouns = {k.lower(): v for k, v in {**lex.get("nouns", {}), **lex.get("equipment_nouns", {}),
                                                **lex.get("units", {})}.items()}
        self._nouns_longest = sorted(self.nouns, key=len, reverse=True)
        self.classifiers = lex.get("classifiers", {})
        self.unit_whats = set(lex.get("unit_whats", []))
        self.equipment = set(lex.get("equipment", []))
        self.branches = {k: v for k, v in resources.lexicon(lang, "formations").get("branches", {}).items()
                         if not k.startswith("_") and v}
        b = lex.get("word_boundaries", True)
        self.skip_before = _edge_regex(lex.get("skip_before", []), b, tail=True)
        self.ratio_before = _edge_regex(lex.get("ratio_before", []), b, tail=True)
        self.partitive_after = _edge_regex(lex.get("partitive_after", []), b, tail=False)
        self.bare_prefixes = _edge_regex(lex.get("bare_prefixes", []), b, tail=True)

    # -- 1. numbers and what they count ------------------------------------------------
    def counted(self, doc: Doc, text: str) -> list[Counted]:
        spans = base.windows(text, self.anchor, 30, 80)
        found: list[tuple[int, Counted]] = []
        for order, (pat, m) in enumerate(base.matches_in(self.templates, text, spans)):
            c = self._read(doc, text, pat, m)
            if c is not None:
                found.append((self.templates.index(pat), c))
        found.sort(key=lambda x: (x[1].start, -(x[1].end - x[1].start), x[0]))
        kept: list[Counted] = []
        for _, c in found:
            if kept and c.start < kept[-1].end:
                continue
            kept.append(c)
        return kept

    def _read(self, doc: Doc, text: str, pat, m: re.Match) -> Counted | None:
        g = {k: v for k, v in m.groupdict().items() if v is not None}
        s, e = m.span("span") if "span" in g else m.span()
        ns, ne = m.span("num")
        if base.is_claimed(doc, ns, ne, ("date", "measurement", "formation")):
            return None
        num = g["num"] + g.get("scale", "")
        r = read_quantity(doc._.profile, num, g.get("high"))
        if r is None or r.low is None:
            return None
        before = text[max(0, s - 30):s]
        if self.ratio_before.search(before):
            return None
        if r.low < 100 and (self.skip_before.search(before)
                            or self.partitive_after.match(text[ne:ne + 12])):
            return None   # "the three armies", "two of the armies"; "15,000 of its men" is a figure
        qual = None
        for key in ("qual", "qual_mid", "qual_post"):
            kind = self.qualifiers.get(" ".join(g.get(key, "").lower().split()))
            if kind and (qual is None or qual == "exact"):
                qual = kind
        if self.qualifiers.get(" ".join(g.get("qual", "").lower().split())) == "exact":
            s = ns   # "only 900 survivors": a word that sets no bound stays out of the span
        head = self.context.head(text, *m.span("head")) if "head" in g else None
        what = self._what(g.get("noun"), g.get("cls"))
        if head is not None and what is None:
            what = "men"
        branch = self._branch(g.get("mods", "")) if what in self.unit_whats else None
        return Counted(s, e, ns, ne, r, qual, what, head, branch, pat.id,
                       bool(pat.attrs.get("bare")) and what is None and head is None)

    def _what(self, noun: str | None, cls: str | None, default: str | None = "men") -> str | None:
        if noun:
            key = " ".join(noun.lower().split())
            if key in self.nouns:
                return self.nouns[key]
            for n in self._nouns_longest:   # a chain of nouns: 国军将士先烈
                if key.startswith(n) or key.endswith(n):
                    return self.nouns[n]
            return default
        if cls:
            return self.classifiers.get(cls)
        return None

    def _branch(self, mods: str) -> str | None:
        low = mods.lower()
        for word in sorted(self.branches, key=len, reverse=True):
            if word in low:
                return self.branches[word]
        return None

    # -- 2 and 3. context and verdict --------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = base.text_of(doc)
        figures = self.counted(doc, text)
        if not figures:
            return doc
        sections = self.context.sections(text)
        verdicts: list[Verdict | None] = []
        consumed = 0       # end of the last cue a figure took: a later figure does not take it again
        for i, c in enumerate(figures):
            prev = figures[i - 1] if i else None
            nxt = figures[i + 1] if i + 1 < len(figures) else None
            v, consumed = self._verdict(doc, text, c, prev, nxt, verdicts, consumed, sections)
            verdicts.append(v)
        for i, c in enumerate(figures):   # "3,000 men and 200 tanks were lost": the first takes the cue of the second
            nxt = figures[i + 1] if i + 1 < len(figures) else None
            if verdicts[i] is None and nxt is not None and verdicts[i + 1] is not None \
                    and verdicts[i + 1].why == "after" and self.context.joined(text, c.end, nxt.start):
                verdicts[i] = replace(verdicts[i + 1], why="list")
        for i, (c, v) in enumerate(zip(figures, verdicts)):
            cand = self._candidate(text, c, v, figures[i - 1] if i else None)
            if cand is not None:
                base.add(doc, cand)
        return doc

    def _verdict(self, doc, text, c: Counted, prev, nxt, verdicts, consumed, sections):
        ctx = self.context
        if c.head is not None and (c.head.category or c.head.strength):
            return _from_cue(c.head, "head"), consumed
        hit = ctx.first_cue(text, c.end, nxt.start if nxt else len(text), "after", self._not_the_next(doc, c, nxt))
        if hit is not None:
            return _from_cue(hit, "after"), hit.end
        lo = max(consumed, prev.end if prev else 0)
        hit = ctx.last_cue(text, lo, c.start, "before", _allowed(doc, c))
        if hit is not None:
            return _from_cue(hit, "before"), consumed
        label = ctx.label(text, lo, c.start)
        what = self._what(text[label[0]:label[1]].strip(), None, None) if label and c.what is None else None
        if label is not None:
            hit = ctx.any_cue(text, *label)
            if hit is not None:
                return replace(_from_cue(hit, "label"), what=what), consumed
        last = verdicts[-1] if verdicts else None
        if prev is not None and last is not None and last.why != "head" \
                and (ctx.joined(text, prev.end, c.start) or ctx.restated(text, prev.end, c.start)):
            return replace(last, why="list"), consumed
        if prev is not None and last is not None and last.type == "casualty" and ctx.summed(text, prev.end, c.start):
            return Verdict("casualty", "total", "list"), consumed
        section = ctx.section_at(sections, c.start)
        if section is not None:
            if section.role == "casualty":
                return Verdict("casualty", "total", "section", what), consumed
            return Verdict("strength", None, "section", what), consumed
        return None, consumed

    @staticmethod
    def _not_the_next(doc: Doc, c: Counted, nxt: Counted | None):
        """A loss word after a figure that the parse puts in the next figure's clause is the next one's."""
        if nxt is None or not doc.has_annotation("DEP"):
            return None
        mine, next_clause = _verb_clause(doc, c.num_start, c.start), _verb_clause(doc, nxt.num_start, nxt.start)
        shared = mine is not None and next_clause is not None and mine[0] == next_clause[0]
        theirs = None if shared else _allowed(doc, nxt)

        def ok(h: CueHit) -> bool:
            if _governs(doc, h.start, c.num_start):
                return True
            return not (_governs(doc, h.start, nxt.num_start) or (theirs is not None and theirs(h)))
        return ok

    def _candidate(self, text: str, c: Counted, v: Verdict | None, prev: Counted | None) -> base.Candidate | None:
        what = c.what or (v.what if v else None)
        if c.bare and what is None and prev is not None and prev.what and prev.what not in self.unit_whats:
            between = text[prev.end:c.num_start]
            if len(between) < 40 and not re.search(r"[.;]", between) and self.bare_prefixes.search(between):
                what = prev.what       # "of 240 tanks, only 35": the bare number repeats the noun
        if v is None:
            if what is None:
                return None
            v = Verdict("strength", None, "noun")
        if c.bare and what is None and v.why in ("after", "before", "list") and not self._large(text, c):
            return None    # a small bare number next to a loss word in running text: a date, a count of days
        lo, hi, approx = bounds(c.reading.low, c.reading.high, c.qualifier)
        fields = {"low": _n(lo), "high": _n(hi), "approx": approx or c.reading.approx}
        if v.type == "casualty":
            if what in self.equipment:
                fields.update(category="equipment", equipment=what)
            else:
                fields["category"] = v.category or "total"
            return base.Candidate("casualty", c.start, c.end, fields, c.pattern)
        fields["what"] = what or "men"
        if c.unit_branch:
            fields["unit_branch"] = c.unit_branch
        return base.Candidate("strength", c.start, c.end, fields, c.pattern)

    @staticmethod
    def _large(text: str, c: Counted) -> bool:
        return (c.reading.low or 0) >= 100 or "," in text[c.num_start:c.num_end] or c.qualifier is not None


def _allowed(doc: Doc, c: Counted):
    """Which loss words before a figure belong to its clause: those from its verb on, and its subject."""
    clause = _verb_clause(doc, c.num_start, c.start)
    if clause is None:
        return None
    verb, subject = clause
    return lambda h: h.start >= verb or any(a <= h.start < b for a, b in subject)


def _from_cue(hit: CueHit, why: str) -> Verdict:
    if hit.category is None and hit.strength:
        return Verdict("strength", None, why)
    return Verdict("casualty", hit.category, why)


def _verb_clause(doc: Doc, num_start: int, span_start: int) -> tuple[int, list[tuple[int, int]]] | None:
    """The verb that governs a figure's noun, when the parse has one before the figure:
    (where the verb starts, the character ranges of its subject without clauses inside it).

    "The Germans, who had lost heavily, brought up 300 tanks": "lost" is in a relative
    clause, not the subject, so it does not decide; in "Losses in the bridgehead amounted
    to 2,100 men" the loss word is the subject and does.  Docs without a dependency parse
    (Chinese: jieba tokens only) give None: every loss word of the clause counts.
    """
    if not doc.has_annotation("DEP"):
        return None
    span = doc.char_span(num_start, num_start + 1, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span[0]
    for _ in range(4):   # number -> noun (nummod, compound, quantmod, prep) -> its verb
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX") or tok.idx >= span_start:
        return None
    subject: list[tuple[int, int]] = []
    if tok.dep_ == "acl":   # "casualties estimated between ...": the noun the verb describes
        subject.append((tok.head.idx, tok.head.idx + len(tok.head)))
    for child in tok.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            for t in child.subtree:
                if not any(a.dep_ in ("relcl", "acl", "advcl") and a.i != child.i for a in _path(t, child)):
                    subject.append((t.idx, t.idx + len(t)))
    return tok.idx, subject


def _governs(doc: Doc, head_char: int, dep_char: int) -> bool:
    """Is the word at `head_char` an ancestor of the word at `dep_char` in the parse?

    "474,000 men, against Wehrmacht casualties estimated between 12,157 and 67,244":
    "casualties" governs the second figure, so it is that figure's loss word, not the first's.
    """
    if not doc.has_annotation("DEP"):
        return False
    a = doc.char_span(head_char, head_char + 1, alignment_mode="expand")
    b = doc.char_span(dep_char, dep_char + 1, alignment_mode="expand")
    return bool(a is not None and b is not None and len(a) and len(b) and a[0].is_ancestor(b[0]))


def _path(tok, top):
    """The tokens from `tok` up to `top` (both included)."""
    out = [tok]
    while tok.i != top.i and tok.head.i != tok.i:
        tok = tok.head
        out.append(tok)
    return out


def _n(x):
    return None if x is None else number_value(x)


def _edge_regex(phrases, bounded: bool = True, *, tail: bool) -> re.Pattern:
    """Any of `phrases` at the end (tail) or start of a string."""
    if not phrases:
        return re.compile(r"(?!)")
    alts = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
    lb, rb = (r"(?<!\w)", r"(?!\w)") if bounded else ("", "")
    if tail:
        return re.compile(rf"{lb}(?:{alts})\s*$", re.I)
    return re.compile(rf"^\s*(?:{alts}){rb}", re.I)


@Language.factory("muster_figures", default_config={"lang": "en"})
def make_figure_extractor(nlp: Language, name: str, lang: str) -> FigureExtractor:
    return FigureExtractor(nlp, name, lang=lang)
