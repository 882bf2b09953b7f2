"""arithmetic_mismatch: figures in one document that cannot all be true together.

Four narrow rules. Each flags only a clear contradiction between figures the text itself
ties together, never a reading of loose prose:

1. **Breakdown that does not add up.** A whole marked as a total ("a total of 13,695 men",
   "in all", 共, 共計, 合計, 總計) followed by a colon or "comprising / consisting of / made up
   of / namely" (分別為) and its parts ("3,520 killed, 8,000 wounded and 2,175 missing"), or parts
   followed by their total ("3,000 killed, 4,000 wounded and 1,000 missing, a total of 9,000
   men", "...,共9000人"). The parts must be at least two figures of disjoint categories (killed,
   wounded, missing, captured, sick and their "or" pairs without overlap) in one sentence.
2. **Parts larger than the whole.** A whole followed by a subset cue ("of which", "of whom",
   "including", "among them", 其中, 包括): any single part larger than the whole is flagged;
   the parts' sum is compared only when they are casualties of disjoint categories. A bare
   partitive count counts as a part ("six divisions, of which seven were Hungarian").
3. **Losses larger than the strength of the same formation.** A formation's losses (men, or
   tanks/guns for equipment losses) larger than the LARGEST strength this document gives for the
   SAME formation (same formation key, `pipeline.reconcile.relations.unit_key`). A figure belongs
   to the formation named last before it in its sentence (at most 80 characters back); a
   strength said of several units ("the three armies, which together had 256,820 men") belongs
   to none.
5. **An infobox breakdown that does not add up.** In a casualties section or field
   ("Casualties and losses", "- Casualties2:", 傷亡與損失), the figures of one group (a group ends
   at a label such as "1st Panzer Army, 1-31 January 1944:", at a line without figures, and after
   a total that follows its parts) with exactly one total and at least two parts of disjoint
   categories: the parts must add up to the total, given before or after them.
4. **A ratio that contradicts its figures.** "one in ten", "one out of every 10", "a third",
   "half", "40 per cent", 十分之一, 三分之一, 百分之四十, 一半, compared with every pair of a loss
   figure and a strength figure (same measure) in its sentence and the two sentences before it
   in the same paragraph. Flagged only when EVERY pair's ratio is off by more than a factor of
   2 (`RATIO_FACTOR`) after rounding; with no such pair nothing is checked.

Tolerances (how writers round):

- A stated figure is a range, not a point: its value ± half the rounding step the writer used
  (`pipeline.checks.conversions.granularity`: "70,000" → ± 5,000, "13,695" → ± 0.5,
  "some 3,000" → ± 500). A figure marked approximate ("about", "some", 約, 餘) gets at least
  ± 10 % (`APPROX_SHARE`). "at least X" has no upper end, "fewer than X" no lower end.
- A sum of parts is the range of the sums of the parts' ranges.
- Rule 1 flags when the parts' range and the whole's range do not meet: a total given as
  "some 70,000" is not contradicted by parts summing to 70,407 (70,000 is written to the
  nearest 10,000); "a total of 13,695" is contradicted by parts summing to 13,000.
- Rules 2 and 3 flag when the part's (loss's) lowest reading is above the whole's (strength's)
  highest reading.
- Rule 4: see above; a ratio claim is itself rounded by the writer, hence the factor of 2.

What is deliberately not flagged (the English seed, gold NOTES): 30,439 losses against 256,820
men as "one in ten" (11.9 %, and the 256,820 are only three armies' strength); 3,520 inside
13,695; 15,000 + 3,520 against 30,439 (different formations, no breakdown cue).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import resources
from pipeline.checks import DocumentView, Finding, document_check, evidence
from pipeline.checks.conversions import granularity
from pipeline.extract.grammar import alternation
from pipeline.lang import data_language, get_profile
from pipeline.records import Evidence

APPROX_SHARE = 0.10          # an approximate figure is at least ± 10 %
RATIO_FACTOR = 2.0           # a ratio claim must be off by more than this factor to be flagged
OWNER_REACH = 80             # characters back from a figure to the formation it belongs to
CUE_REACH = 40               # characters between a whole and its cue, and between two parts
RATIO_WINDOW = 2             # sentences before a ratio claim that its figures may come from

# Casualty categories as sets of elementary outcomes: parts may be added up only when disjoint.
_ATOMS = {
    "killed": {"k"}, "wounded": {"w"}, "missing": {"m"}, "captured": {"c"}, "sick": {"s"},
    "killed_or_missing": {"k", "m"}, "killed_or_captured": {"k", "c"}, "wounded_or_sick": {"w", "s"},
    "total": {"k", "w", "m", "c", "s"},
}
_ALL = _ATOMS["total"]


@dataclass(frozen=True)
class _Cues:
    """One language's cue words (models/lexicon/<lang>/arithmetic.json) as the regexes the rules use."""
    subset: re.Pattern
    complete: re.Pattern
    total_before: re.Pattern
    total_inside: re.Pattern
    total_after: re.Pattern
    list_end: re.Pattern
    parts_then_total: re.Pattern
    several_units: re.Pattern
    sentence_end: re.Pattern

    def part_gap(self, gap: str) -> bool:
        """Only words between two parts of one list: no number, no sentence end."""
        return not re.search(r"\d", gap) and not self.sentence_end.search(gap)


_LEAD = r"^(?:\s*[A-Za-z]+){0,2}"     # the last part's own word: "1,000 missing, a total of"


@lru_cache(maxsize=None)
def cues(lang: str) -> _Cues:
    """The cues of a document's language (a text of no known language reads as English)."""
    lex = resources.lexicon(data_language(lang), "arithmetic")
    b, e = (r"\b", r"(?!\w)") if lex.get("word_boundaries", True) else ("", "")

    def words(key: str) -> str:
        return alternation(lex.get(key, []))

    marks = "[" + "".join(re.escape(m) for m in lex["list_marks"]) + "]"
    return _Cues(
        subset=re.compile(b + words("subset"), re.I),
        complete=re.compile(r"^\s*(?:" + alternation(lex["complete_marks"], flexible_space=False)
                            + r"|[,，]?\s*" + words("complete") + e + ")", re.I),
        total_before=re.compile(b + words("total_before") + r"\s*[,:：]?\s*$", re.I),
        total_inside=re.compile("^" + words("total_inside") + e, re.I),
        total_after=re.compile(r"^\s*" + words("total_after") + e, re.I),
        list_end=re.compile(_LEAD + r"\s*" + marks + r"\s*$"),
        parts_then_total=re.compile(_LEAD + r"\s*" + marks + r"?\s*" + words("parts_then_total")
                                    + r"\s*[,:：]?\s*$", re.I),
        several_units=re.compile(b + words("several_units") + e, re.I),
        sentence_end=re.compile(lex["sentence_end"]))


# ---------------------------------------------------------------------------------------- helpers

def sentences(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """Sentence spans [start, end) of a text; a newline always ends one (paragraphs never mix)."""
    out, start = [], 0
    for m in cues(lang).sentence_end.finditer(text):
        end = m.end()
        if text[start:end].strip():
            out.append((start, end))
        start = end
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(spans) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s, e = spans[mid]
        if pos < s:
            hi = mid - 1
        elif pos >= e:
            lo = mid + 1
        else:
            return mid
    return -1


def measure(m) -> str | None:
    """What a figure counts, comparable between losses and strengths: 'men', 'tanks', ..."""
    if m.type == "casualty":
        if m.category == "survivors":
            return None
        if m.category == "equipment":
            return _noun(m.equipment or "equipment")
        return "men"
    if m.type == "strength":
        return _noun(m.what or "men")
    return None


# `what` values that count people (the records' vocabulary, whatever the document's language)
_MEN_WHATS = frozenset({"men", "man", "troops", "soldiers", "personnel", "people", "persons"})


def _noun(word: str) -> str:
    w = word.lower().strip()
    if w in _MEN_WHATS:
        return "men"
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def bounds(m) -> tuple[float, float]:
    """The readings a stated figure allows: value ± half its rounding step (± 10 % if approximate)."""
    lo = m.low if m.low is not None else None
    hi = m.high if m.high is not None else None
    if lo is None and hi is None:
        return 0.0, float("inf")
    if lo is None:
        return 0.0, hi + _slack(hi, m.approx)
    if hi is None:
        return lo - _slack(lo, m.approx), float("inf")
    return lo - _slack(lo, m.approx), hi + _slack(hi, m.approx)


def _slack(v: float, approx: bool) -> float:
    s = granularity(v) / 2
    return max(s, APPROX_SHARE * abs(v)) if approx else s


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def _value(m) -> float:
    return m.low if m.low is not None else m.high


def _atoms(m, *, total_marked: bool = False) -> set[str] | None:
    if m.type == "casualty":
        if total_marked:
            return set(_ALL)
        return _ATOMS.get(m.category)
    return set(_ALL) if measure(m) == "men" else None


def _disjoint(sets: list[set[str] | None]) -> bool:
    seen: set[str] = set()
    for s in sets:
        if s is None or s & seen:
            return False
        seen |= s
    return True


def _total_marked(doc: DocumentView, m) -> bool:
    c = cues(doc.lang)
    before = doc.text[max(0, m.start - 20):m.start]
    return bool(c.total_inside.search(m.text) or c.total_before.search(before)
                or c.total_after.match(doc.text[m.end:m.end + 20]))


def owner(doc: DocumentView, m, sentence_spans=None):
    """The formation a figure belongs to: the one named last before it in its sentence, if close
    enough and if nothing between them says the figure covers several units."""
    spans = sentence_spans if sentence_spans is not None else sentences(doc.text, doc.lang)
    si = _sentence_of(spans, m.start)
    if si < 0:
        return None
    s0 = spans[si][0]
    ends, order = _formations_by_end(doc)
    lo, hi = bisect.bisect_left(ends, m.start - OWNER_REACH), bisect.bisect_right(ends, m.start)
    forms = [f for _, f in sorted(order[lo:hi], key=lambda x: x[0]) if s0 <= f.start]
    if not forms:
        return None
    f = max(forms, key=lambda f: f.end)
    if cues(doc.lang).several_units.search(doc.text[f.end:m.start]):
        return None
    return f


def _formations_by_end(doc: DocumentView):
    """The document's formations ordered by end (ends, [(position in doc.mentions, mention)]),
    kept on the view while its mentions are the same list: `owner` looks up the few formations
    within reach of a figure instead of scanning every mention."""
    key = (id(doc.mentions), len(doc.mentions))
    cached = doc.__dict__.get("_formations_by_end")
    if cached is None or cached[0] != key:
        order = sorted(((i, f) for i, f in enumerate(doc.mentions) if f.type == "formation"),
                       key=lambda x: (x[1].end, x[0]))
        cached = doc.__dict__["_formations_by_end"] = (key, [f.end for _, f in order], order)
    return cached[1], cached[2]


def _by_sentence(figs: list) -> dict[int, list[int]]:
    """Positions in `figs` of each sentence's figures: the checks look up a figure's neighbours
    instead of scanning every figure."""
    groups: dict[int, list[int]] = {}
    for j, f in enumerate(figs):
        groups.setdefault(f.sentence, []).append(j)
    return groups


@dataclass
class _Fig:
    m: object
    sentence: int


# ---------------------------------------------------------------------------------------- rules

def _breakdowns(doc: DocumentView, figs: list[_Fig]) -> list[Finding]:
    out = []
    text = doc.text
    c = cues(doc.lang)
    by_sentence = _by_sentence(figs)
    for i, w in enumerate(figs):
        mu = measure(w.m)
        if mu is None:
            continue
        # 1a. total, then a colon / "comprising", then its parts
        if _total_marked(doc, w.m) and c.complete.match(text[w.m.end:w.m.end + CUE_REACH]):
            parts = _chain(doc, figs[i + 1:], w.sentence, mu, after=w.m.end, typ=w.m.type)
            out.extend(_sum_check(doc, w.m, parts, complete=True))
            continue
        # 1b. parts, then "a total of" their total
        prev = [figs[j] for j in by_sentence.get(w.sentence, ()) if j < i]
        if not prev:
            continue
        gap = text[prev[-1].m.end:w.m.start]
        if len(gap) <= CUE_REACH and (c.parts_then_total.match(gap) or (
                c.total_inside.search(w.m.text) and c.list_end.match(gap))):
            out.extend(_sum_check(doc, w.m, _chain_back(doc, prev, mu, typ=w.m.type), complete=True))
    return out


def _chain(doc: DocumentView, after_figs: list[_Fig], sentence: int, mu: str, *, after: int, typ: str) -> list:
    """The parts listed right after a total: same measure and type, short gaps, one sentence."""
    parts, pos = [], after
    for f in after_figs:
        if f.sentence != sentence:
            break
        gap = doc.text[pos:f.m.start]
        c = cues(doc.lang)
        if len(gap) > CUE_REACH or not c.part_gap(gap) or (parts and c.subset.search(gap)):
            break
        if measure(f.m) != mu or f.m.type != typ:
            break
        parts.append(f.m)
        pos = f.m.end
    return parts


def _chain_back(doc: DocumentView, before: list[_Fig], mu: str, *, typ: str) -> list:
    """The parts listed right before a total ("3,120 killed, 4,010 wounded ..., a total of")."""
    parts = []
    nxt = None
    for f in reversed(before):
        if nxt is not None:
            gap = doc.text[f.m.end:nxt.start]
            if len(gap) > CUE_REACH or not cues(doc.lang).part_gap(gap):
                break
        if measure(f.m) != mu or f.m.type != typ:
            break
        parts.insert(0, f.m)
        nxt = f.m
    return parts


def _sum_check(doc: DocumentView, whole, parts: list, *, complete: bool) -> list[Finding]:
    if len(parts) < 2:
        return []
    atoms = [_atoms(p) for p in parts]
    if not _disjoint(atoms):
        return []
    wlo, whi = bounds(whole)
    plo = sum(bounds(p)[0] for p in parts)
    phi = sum(bounds(p)[1] for p in parts)
    total = sum(_value(p) for p in parts)
    listed = " + ".join(_fmt(_value(p)) for p in parts)
    ev = [evidence(doc, whole)] + [evidence(doc, p) for p in parts]
    if plo > whi:
        return [Finding("arithmetic_mismatch",
                        f"The parts given for '{whole.text}' add up to {_fmt(total)} ({listed}), more than "
                        f"the whole ({_fmt(_value(whole))}).", ev)]
    if complete and phi < wlo:
        return [Finding("arithmetic_mismatch",
                        f"'{whole.text}' is given as the total of {listed}, but these add up to "
                        f"{_fmt(total)}, not {_fmt(_value(whole))}.", ev)]
    return []


def _subsets(doc: DocumentView, figs: list[_Fig], sentence_spans) -> list[Finding]:
    out = []
    text = doc.text
    c = cues(doc.lang)
    for cue in c.subset.finditer(text):
        si = _sentence_of(sentence_spans, cue.start())
        if si < 0:
            continue
        before = [f for f in figs if f.sentence == si and f.m.end <= cue.start()]
        if not before:
            continue
        whole = before[-1].m
        gap = text[whole.end:cue.start()]
        if len(gap) > CUE_REACH or re.search(r"\d", gap):
            continue
        mu = measure(whole)
        if mu is None:
            continue
        # a whole that is itself a subset of a total ("13,695 men, the latter including") is fine
        after = [f for f in figs if f.sentence == si and f.m.start >= cue.end()]
        parts = []
        pos = cue.end()
        for f in after:
            g = text[pos:f.m.start]
            if len(g) > CUE_REACH or not c.part_gap(g) or (parts and c.subset.search(g)):
                break
            if measure(f.m) == mu:
                parts.append(f.m)
            pos = f.m.end
        whole_lo, whole_hi = bounds(whole)
        for p in parts:
            plo, _ = bounds(p)
            if plo > whole_hi:
                out.append(Finding(
                    "arithmetic_mismatch",
                    f"'{p.text}' is given as part of '{whole.text}' but is larger than it "
                    f"({_fmt(_value(p))} > {_fmt(_value(whole))}).", [evidence(doc, whole), evidence(doc, p)]))
                break
        else:
            if parts:
                wa = _atoms(whole, total_marked=_total_marked(doc, whole))
                pa = [_atoms(p) for p in parts]
                if wa is not None and all(a is not None and a <= wa for a in pa):
                    out.extend(_sum_check(doc, whole, parts, complete=False))
            elif not any(f.m.start < cue.end() + 12 for f in after):
                bare = get_profile(doc.lang).leading_number(text[cue.end():cue.end() + 20])
                if bare and whole.type == "strength" and whole.low is not None and whole.low == whole.high:
                    bs, be, n = bare
                    if n > whole.high + _slack(whole.high, whole.approx):
                        s, e = cue.end() + bs, cue.end() + be
                        out.append(Finding(
                            "arithmetic_mismatch",
                            f"'{text[s:e]}' of '{whole.text}' is more than the whole ({_fmt(n)} > "
                            f"{_fmt(_value(whole))}).",
                            [evidence(doc, whole), Evidence(doc=doc.name, start=s, end=e, text=text[s:e])]))
    return out


def _losses_vs_strength(doc: DocumentView, figs: list[_Fig], sentence_spans) -> list[Finding]:
    from pipeline.reconcile.relations import unit_key

    strengths: dict[tuple, list] = {}
    losses: list[tuple[tuple, object, object]] = []
    for f in figs:
        mu = measure(f.m)
        if mu is None:
            continue
        o = owner(doc, f.m, sentence_spans)
        if o is None:
            continue
        try:
            key = unit_key(o)
        except Exception:  # noqa: BLE001 - an unusual formation record: no key, no check
            continue
        if f.m.type == "strength":
            strengths.setdefault((key, mu), []).append((o, f.m))
        elif f.m.type == "casualty":
            losses.append(((key, mu), o, f.m))
    out = []
    for k, o, loss in losses:
        if k not in strengths:
            continue
        so, strongest = max(strengths[k], key=lambda x: bounds(x[1])[1])
        if loss.side and strongest.side and loss.side != strongest.side:
            continue
        if bounds(loss)[0] > bounds(strongest)[1]:
            out.append(Finding(
                "arithmetic_mismatch",
                f"'{o.text}' is said to have lost {_fmt(_value(loss))} ('{loss.text}'), more than the "
                f"largest strength this text gives it ({_fmt(_value(strongest))}, '{strongest.text}').",
                [evidence(doc, so), evidence(doc, strongest), evidence(doc, o), evidence(doc, loss)]))
    return out


def _ratios(doc: DocumentView, figs: list[_Fig], sentence_spans) -> list[Finding]:
    out = []
    text = doc.text
    by_sentence = _by_sentence(figs)
    for rs, re_, r in get_profile(doc.lang).ratios(text):
        if not 0 < r < 1:
            continue
        si = _sentence_of(sentence_spans, rs)
        if si < 0:
            continue
        # the window: this sentence and up to RATIO_WINDOW before it, within one paragraph
        first = si
        while first > max(0, si - RATIO_WINDOW) and "\n" not in text[sentence_spans[first - 1][1] - 1:
                                                                       sentence_spans[first][0]]:
            first -= 1
        near = sorted(j for k in range(first, si + 1) for j in by_sentence.get(k, ()))
        window = [f for f in (figs[j] for j in near) if f.m.start < rs and not (rs <= f.m.start < re_)]
        nums = [f.m for f in window if f.m.type == "casualty" and measure(f.m)]
        dens = [f.m for f in window if f.m.type == "strength" and measure(f.m)]
        pairs = [(n, d) for n in nums for d in dens if measure(n) == measure(d)]
        if not pairs:
            continue
        lo_ok, hi_ok = r / RATIO_FACTOR, r * RATIO_FACTOR

        def contradicts(n, d) -> bool:
            nlo, nhi = bounds(n)
            dlo, dhi = bounds(d)
            if dhi == float("inf") or dlo <= 0:
                return False
            return nhi / dlo < lo_ok or nlo / dhi > hi_ok

        if all(contradicts(n, d) for n, d in pairs):
            n, d = min(pairs, key=lambda p: (rs - p[0].start) + (rs - p[1].start))
            actual = _value(n) / _value(d)
            out.append(Finding(
                "arithmetic_mismatch",
                f"'{text[rs:re_]}' ({r:.0%}) does not fit the figures it summarizes: {_fmt(_value(n))} "
                f"('{n.text}') of {_fmt(_value(d))} ('{d.text}') is {actual:.0%}, more than a factor of "
                f"{RATIO_FACTOR:g} away.",
                [evidence(doc, _Span(rs, re_, text[rs:re_])), evidence(doc, n), evidence(doc, d)],
                severity="info"))
    return out


@dataclass
class _Span:
    start: int
    end: int
    text: str


def _listed_breakdowns(doc: DocumentView) -> list[Finding]:
    from pipeline.extract.sections import reader

    losses = sorted((m for m in doc.mentions if m.type == "casualty" and m.category not in ("equipment", "survivors")
                     and not getattr(m, "civilian", False)), key=lambda m: m.start)
    if len(losses) < 3:
        return []
    profile = get_profile(doc.lang)
    sections = reader(profile.code)

    def fold(s: str) -> str:          # only short lines and gaps are normalized, never the whole text
        return profile.normalize(s).text

    out: list[Finding] = []
    for sec in sections.read(doc.text, fold):
        if sec.kind != "casualties":
            continue
        inside = [m for m in losses if sec.start <= m.start and m.end <= sec.end]
        groups: list[list] = []
        for m in inside:
            last = groups[-1] if groups else None
            closed = last is not None and last[-1].category == "total" and len(last) > 1   # parts, then their total
            if last is None or closed or sections.starts_group(fold(doc.text[last[-1].end:m.start])):
                groups.append([])
            groups[-1].append(m)
        for group in groups:
            wholes = [m for m in group if m.category == "total"]
            parts = [m for m in group if m.category != "total"]
            if len(wholes) == 1:
                out += _sum_check(doc, wholes[0], parts, complete=True)
    return out


@document_check("arithmetic")
def check(doc: DocumentView) -> list[Finding]:
    if not doc.text:
        return []
    spans = sentences(doc.text, doc.lang)
    figs = [_Fig(m, _sentence_of(spans, m.start))
            for m in sorted(doc.mentions, key=lambda m: m.start) if m.type in ("casualty", "strength")]
    figs = [f for f in figs if f.sentence >= 0]
    out = _breakdowns(doc, figs) + _subsets(doc, figs, spans) + _losses_vs_strength(doc, figs, spans)
    out += _ratios(doc, figs, spans) + _listed_breakdowns(doc)
    seen, unique = set(), []
    for f in out:
        key = tuple((e.start, e.end) for e in f.evidence)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
