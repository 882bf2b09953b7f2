"""Garbled text: stray symbols, fused numbers, missing numerals, unreadable dates.

Patterns are data: `models/patterns/<lang>/corruption.jsonl` (rows with `define`
are macros local to that file; the global macros of `macros.json` work too).  Each
hit becomes a candidate of type `"corrupt"` with `{"reason", "note"}`: the source
text is broken there, so any value read from it is unreliable.  `pipeline.nlp`
keeps these candidates out of the mentions (they are `CorruptSpan`s) and the
`corruption` check turns each into a `corrupt_text` flag.

A pattern may name a `check` (see `_CHECKS`): a test in code that vetoes a hit or
sharpens its note.  One of them, `fused_date`, also **recovers** dates whose 月/日
were lost (Chinese web text: 321日 = 3月21日, "于325前" = before 3月25日) as date
candidates with `recovered: true`, but only when the reading is certain:

- the narrative month is known: the month of the nearest earlier date that the date
  component read, else the one month most of the text's dates use;
- exactly one split of the digits into month + day is a valid date (321 -> 3|21;
  32|1 is no month), and its month is the narrative month;
- a bare number (no 日) has three digits, stands where a date stands (clause start or
  after 于/在/...) and is followed by punctuation, 前, 被, ... (never by a counter such
  as 人/辆/师, never after 第).

A date-like number that fails these tests (224 in a March narrative: 2月24日 would be
out of sequence) becomes a `corrupt` candidate and no date.  A bare number that is not
date-like at all is left alone: it may be an ordinary number.

This component runs after `muster_dates`; spans the date component already read are
not touched.  Date candidates inside a garbled date span (3日和23日这两天) are removed.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import resources
from pipeline.extract import base
from pipeline.extract.grammar import grammar

_LOCAL_REF = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_MONTH_OF_VALUE = re.compile(r"^(?:\d{4}|XXXX)-(\d{2})")
_YEAR_OF_VALUE = re.compile(r"^(\d{4})")
_DAYS_IN_MONTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
_BRACKETS = {"[": "]", "【": "】", "]": "[", "】": "【"}
_OPENING = {"[", "【"}


@dataclass(frozen=True)
class Rule:
    id: str
    regex: re.Pattern
    attrs: dict[str, Any] = field(default_factory=dict)


def load_rules(lang: str) -> list[Rule]:
    """The rules of `models/patterns/<lang>/corruption.jsonl`, local macros expanded."""
    rows = resources.patterns(lang, "corruption")
    local = {r["define"]: r["regex"] for r in rows if "define" in r}
    g = grammar(lang)

    def expand(regex: str, depth: int = 0) -> str:
        if depth > 10:
            raise resources.ResourceError(f"models/patterns/{lang}/corruption.jsonl: macros nest too deep")
        return _LOCAL_REF.sub(
            lambda m: "(?:" + expand(local[m.group(1)], depth + 1) + ")" if m.group(1) in local else m.group(0),
            regex)

    rules = []
    for row in rows:
        if "define" in row:
            continue
        if "id" not in row or "regex" not in row:
            raise resources.ResourceError(f"models/patterns/{lang}/corruption.jsonl: row without id/regex: {row}")
        attrs = {k: v for k, v in row.items() if k not in ("id", "regex", "flags")}
        for key in [k for k in attrs if k.endswith("_re")]:
            attrs[key] = g.compile(expand(attrs[key]))
        if attrs.get("check") and attrs["check"] not in _CHECKS:
            raise resources.ResourceError(
                f"models/patterns/{lang}/corruption.jsonl: {row['id']}: unknown check {attrs['check']!r}")
        rules.append(Rule(row["id"], g.compile(expand(row["regex"]), row.get("flags", "")), attrs))
    return rules


# --------------------------------------------------------------------------- date context
@dataclass
class DateContext:
    """Months and years of the dates the date component read (not of recovered ones)."""
    months: list[tuple[int, int]]      # (position, month)
    years: list[tuple[int, int]]       # (position, year)

    @classmethod
    def of(cls, doc: Doc) -> "DateContext":
        months, years = [], []
        for c in base.of_type(doc, "date"):
            for part in str(c.fields.get("value", "")).split("/"):
                m = _MONTH_OF_VALUE.match(part)
                if m and 1 <= int(m.group(1)) <= 12:
                    months.append((c.start, int(m.group(1))))
                y = _YEAR_OF_VALUE.match(part)
                if y:
                    years.append((c.start, int(y.group(1))))
        return cls(sorted(months), sorted(years))

    def month(self, pos: int) -> int | None:
        """The narrative month at `pos`: the nearest earlier date's, else the text's usual month."""
        before = [m for p, m in self.months if p < pos]
        if before:
            return before[-1]
        counts = Counter(m for _, m in self.months).most_common(2)
        if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
            return None
        return counts[0][0]

    def year(self, pos: int) -> int | None:
        before = [y for p, y in self.years if p < pos]
        after = [y for p, y in self.years if p > pos]
        return before[-1] if before else (after[0] if after else None)


def date_splits(digits: str, *, single_digit_month: bool = False) -> list[tuple[int, int]]:
    """The valid (month, day) readings of fused digits: '321' -> [(3, 21)], '111' -> [(1, 11), (11, 1)]."""
    out = []
    for k in ((1,) if single_digit_month else (1, 2)):
        m, d = digits[:k], digits[k:]
        if not d or len(d) > 2:
            continue
        month, day = int(m), int(d)
        if 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month]:
            out.append((month, day))
    return out


# --------------------------------------------------------------------------- the component
@dataclass
class _Hit:
    rule: Rule
    match: re.Match
    start: int
    end: int
    note: str
    text: str         # the whole normalized text (doc.text is rebuilt from tokens on every access)


Check = Callable[["CorruptionDetector", Doc, _Hit, DateContext], "str | None | base.Candidate"]


class CorruptionDetector:
    """Adds `corrupt` candidates (and recovered `date` candidates) to the Doc."""

    def __init__(self, nlp: Language, name: str, *, lang: str):
        self.name = name
        self.lang = lang
        self.rules = load_rules(lang)
        self.mods = {k.lower(): v for k, v in
                     resources.lexicon(lang, "dates").get("mods", {}).items()}

    def __call__(self, doc: Doc) -> Doc:
        text = base.text_of(doc)
        ctx = DateContext.of(doc)
        corrupt: list[base.Candidate] = []
        dates: list[base.Candidate] = []
        for rule in self.rules:
            hits = []
            for m in rule.regex.finditer(text):
                s, e = m.span("span") if "span" in m.groupdict() and m.group("span") is not None else m.span()
                over_dates = rule.attrs.get("drop") or rule.attrs.get("keep_dates")
                if s >= e or base.is_claimed(doc, s, e, ("date",)) and not over_dates:
                    continue
                hit = _Hit(rule, m, s, e, rule.attrs.get("note", ""), text)
                check = _CHECKS.get(rule.attrs.get("check", ""))
                outcome = check(self, doc, hit, ctx) if check else hit.note
                if outcome is None:
                    continue
                if isinstance(outcome, base.Candidate):
                    dates.append(outcome)
                    continue
                extra = {}
                if isinstance(outcome, tuple):
                    outcome, extra = outcome
                hits.append(base.Candidate("corrupt", s, e, {
                    "reason": rule.attrs.get("reason", "garbled text"), "note": outcome, **extra}, rule.id))
            corrupt.extend(self._limit(rule, text, hits))
        corrupt = base.resolve_overlaps(corrupt)
        self._drop_dates(doc, corrupt)
        for c in corrupt:
            base.add(doc, c)
        for d in base.resolve_overlaps(dates):
            if not any(c.overlaps(d.start, d.end) for c in corrupt) and not base.is_claimed(doc, d.start, d.end, ("date",)):
                base.add(doc, d)
        return doc

    def _limit(self, rule: Rule, text: str, hits: list[base.Candidate]) -> list[base.Candidate]:
        """A pattern with `max_share` gives nothing when it fires on too many of the text's line breaks."""
        share = rule.attrs.get("max_share")
        if share is None or not hits:
            return hits
        breaks = text.count("\n")
        return hits if len(hits) <= max(1.0, share * breaks) else []

    def _drop_dates(self, doc: Doc, corrupt: list[base.Candidate]) -> None:
        by_rule = {r.id: r for r in self.rules}
        cands = base.candidates(doc)
        for c in corrupt:
            drop = set(by_rule[c.rule].attrs.get("drop", ())) if c.rule in by_rule else set()
            if drop:
                cands[:] = [d for d in cands if not (d.type in drop and d.overlaps(c.start, c.end))]

    # -- reading fused dates -------------------------------------------------
    def read_fused_date(self, doc: Doc, hit: _Hit, ctx: DateContext):
        """A recovered date candidate, a note (corrupt), or None (not a date: leave it)."""
        g = hit.match.groupdict()
        digits = g["fused"]
        bare = hit.rule.attrs.get("form") == "bare"
        splits = date_splits(digits, single_digit_month=bare)
        if not splits:
            return None  # not date-like: an ordinary number, or a "100日" of days
        month = ctx.month(hit.start)
        if month is None and bare:
            return None  # no dates around: a bare number is not evidence of a date
        readings = "、".join(f"{m}月{d}日" for m, d in splits)
        if month is None:
            return f"{hit.note}: '{digits}' reads as {readings}, but the text gives no month to confirm it"
        fitting = [(m, d) for m, d in splits if m == month]
        if len(splits) == 1 and fitting:
            m, d = fitting[0]
            year = ctx.year(hit.start)
            fields = {"value": f"{year:04d}-{m:02d}-{d:02d}" if year else f"XXXX-{m:02d}-{d:02d}",
                      "recovered": True}
            mod = self.mods.get((g.get("mod") or "").lower())
            if mod:
                fields["mod"] = mod
            return base.Candidate("date", hit.start, hit.end, fields, hit.rule.id)
        if fitting:
            return (f"{hit.note}: '{digits}' could be {readings}; more than one reading fits, "
                    f"so no date is given")
        return (f"{hit.note}: '{digits}' would be {readings}, out of sequence with the "
                f"text's month {month}; no date is given")


# --------------------------------------------------------------------------- checks
def _mixed_symbols(det, doc, hit, ctx):
    """At least two different symbols ('|:', ':.'); one symbol repeated ('||', '...') is table
    residue or punctuation, not junk."""
    symbols = {ch for ch in hit.text[hit.start:hit.end] if not ch.isdigit() and not ch.isspace()}
    return hit.note if len(symbols) >= 2 else None


def _min_length(det, doc, hit, ctx):
    return hit.note if hit.end - hit.start >= hit.rule.attrs.get("min_length", 1) else None


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, (len(text) if e < 0 else e)


def _prose(line: str, attrs: dict) -> bool:
    """A line of running text: at least `min_line` long, `prose_re` in it, not a list item (`item_re`)."""
    if len(line.strip()) < attrs.get("min_line", 30):
        return False
    prose, item = attrs.get("prose_re"), attrs.get("item_re")
    return (prose is None or prose.search(line) is not None) and (item is None or item.match(line) is None)


def _prose_before(det, doc, hit, ctx):
    """Vetoes a hit unless the line just before it (white space skipped) is running text."""
    text, p = hit.text, hit.start
    while p > 0 and text[p - 1].isspace():
        p -= 1
    ls, le = _line_bounds(text, max(0, p - 1))
    return hit.note if _prose(text[ls:le], hit.rule.attrs) else None


def _cut_numeral(det, doc, hit, ctx):
    """A numeral that ends the text inside running text (`_prose_before`), unless the text up to
    its end reads as a complete value (`complete_re`, searched just before the end: a full year)."""
    complete = hit.rule.attrs.get("complete_re")
    if complete is not None and complete.search(hit.text, max(0, hit.start - 20), hit.end):
        return None
    return _prose_before(det, doc, hit, ctx)


def _label_value(det, doc, hit, ctx):
    """Vetoes an entry 'label:value': a short label starts the line or clause before the hit
    (`label_re`, matched from the line start) and the value ends where the hit ends (`value_end_re`)."""
    ls, _ = _line_bounds(hit.text, hit.start)
    label, value_end = hit.rule.attrs.get("label_re"), hit.rule.attrs.get("value_end_re")
    if label is None or not label.fullmatch(hit.text, ls, hit.start):
        return hit.note
    return None if value_end is None or value_end.match(hit.text, hit.end) else hit.note


def _unbalanced(det, doc, hit, ctx):
    text = hit.text
    ch = text[hit.start]
    partner = _BRACKETS[ch]
    ls, le = _line_bounds(text, hit.start)
    depth = 0
    if ch in _OPENING:
        for c in text[hit.start:le]:
            depth += (c == ch) - (c == partner)
            if depth == 0:
                return None
    else:
        for c in reversed(text[ls:hit.start + 1]):
            depth += (c == ch) - (c == partner)
            if depth == 0:
                return None
    return hit.note


def _fused_units(det, doc, hit, ctx):
    """Adds a possible reading when the list before gives the width of its items (第31、334950)."""
    digits = hit.match.group("digits")
    before = hit.text[max(0, hit.start - 8):hit.start]
    m = re.search(r"(\d+)、$", before)
    if m and len(digits) % len(m.group(1)) == 0:
        w = len(m.group(1))
        parts = [digits[i:i + w] for i in range(0, len(digits), w)]
        return f"{hit.note} (after {m.group(1)}、 perhaps {'、'.join(parts)}, not certain)"
    return hit.note


def _fused_year(det, doc, hit, ctx):
    """A year the text's dates use, run together with a count: 19418000 = 1941 + 8000."""
    year, count = hit.match.group("year"), hit.match.group("count")
    if int(year) not in {y for _, y in ctx.years}:
        return None
    return f"{hit.note}: '{year}{count}' is probably the year {year} followed by {count}, not certain"


def _letter_digits(det, doc, hit, ctx):
    """Letters printed for digits inside a numeral ('3OOO', 'l944', per the `letters` table).

    Vetoed when the repaired string is no numeral, when letters outnumber the digits of a token
    that does not start with a digit ('Il2'), or when the letters only trail the digits as a unit
    would ('10l').  The reading goes on the span as `recovered`.
    """
    span = hit.text[hit.start:hit.end]
    table = hit.rule.attrs.get("letters", {})
    letters = [i for i, ch in enumerate(span) if ch in table]
    digits = sum(ch.isdigit() for ch in span)
    if not letters or not digits or len(span.replace(",", "")) < 3:
        return None
    if letters[0] > 0 and set(span[letters[0]:]) <= set(hit.rule.attrs.get("unit_letters", "")):
        return None
    if len(letters) > digits and not span[0].isdigit():
        return None
    repaired = "".join(table.get(ch, ch) for ch in span)
    if doc._.profile is None or doc._.profile.parse_number(repaired) is None:
        return None
    return f"{hit.note}: '{span}' reads {repaired}", {"recovered": repaired}


def _day_pair(det, doc, hit, ctx):
    parse = doc._.profile.parse_number if doc._.profile else (lambda s: float(s) if s.isdigit() else None)
    d1, d2 = parse(hit.match.group("d1")), parse(hit.match.group("d2"))
    if d1 is None or d2 is None:
        return hit.note
    d1, d2 = int(d1), int(d2)
    if d2 == d1 + 1 or (d1 >= 28 and d2 == 1):
        return None
    return f"{hit.note} ({d1}日 and {d2}日)"


def _fused_date(det, doc, hit, ctx):
    return det.read_fused_date(doc, hit, ctx)


def _inside_word(doc: Doc, text: str, brk: int, reach: int = 6) -> bool:
    """True when the segmenter reads a word across the line break at `brk` (国\n军 = 国军)."""
    if doc._.profile is None:
        return False
    left = text[max(0, brk - reach):brk].rstrip("\r").rsplit("\n", 1)[-1]
    right = text[brk + 1:brk + 1 + reach].split("\n", 1)[0]
    pos, bounds = 0, {0}
    for word in doc._.profile.segment(left + right):
        pos += len(word)
        bounds.add(pos)
    return len(left) not in bounds


def _broken_line(det, doc, hit, ctx):
    """A running-text line that stops mid-clause while the next line goes on: text lost there.

    Not when the first line is no running text (an infobox value, a list item: `_prose`), when the
    next line is no continuation (a heading or label: `next_re` not in it), or when the break
    falls inside a word (a wrap: nothing is lost).
    """
    text, attrs = hit.text, hit.rule.attrs
    brk = text.index("\n", hit.start, hit.end)
    ls, le = _line_bounds(text, hit.start)
    ns, ne = _line_bounds(text, brk + 1)
    nxt = attrs.get("next_re")
    if not _prose(text[ls:le], attrs) or (nxt is not None and not nxt.search(text, ns, ne)):
        return None
    return None if _inside_word(doc, text, brk) else hit.note


_CHECKS: dict[str, Check] = {
    "mixed_symbols": _mixed_symbols,
    "min_length": _min_length,
    "unbalanced": _unbalanced,
    "fused_units": _fused_units,
    "day_pair": _day_pair,
    "fused_date": _fused_date,
    "broken_line": _broken_line,
    "prose_before": _prose_before,
    "cut_numeral": _cut_numeral,
    "label_value": _label_value,
    "fused_year": _fused_year,
    "letter_digits": _letter_digits,
}


@Language.factory("muster_corruption", default_config={"lang": "en"})
def make_corruption_detector(nlp: Language, name: str, lang: str) -> CorruptionDetector:
    return CorruptionDetector(nlp, name, lang=lang)
