"""Dates: explicit, partial, vague (early/mid/late) and intervals, with year context.

Values are ISO 8601 strings: `1943-02-25`, `1943-03`, `1943-03-L`, `XXXX-03-21`,
`1943-02-25/1943-03-26`.  The patterns of `models/patterns/<lang>/dates.jsonl` find
single expressions; two of them joined by a range word of the language (`to`, `until`,
`-`, 至, 到, 一直到: `range_words` in the dates lexicon) become one interval, whichever
shapes its ends have ("October 1944–8 May 1945", "1939年5月11日至6月上旬"), and an end
written without a year or month takes it from the other end, a year later when the
months run backwards ("3 November–11 February 1945").

**Year resolution.**  A date written without a year takes it from the document's own
frame, in this order:
1. the last explicit year written earlier in the same paragraph, moved one year
   forward when the narrative has passed the end of that year (an earlier month after
   a later one) and the document's stated period says the later year;
2. the stated period of the document (its first interval with explicit years, as an
   infobox date line, a title or a first sentence gives it): the year that puts the
   date inside the period, else the one that puts it nearest before or after it;
3. the nearest explicit year earlier in the document, else the first one later;
4. no year anywhere: `XXXX`.  A year is never guessed.
A missing month (下旬, "late in the month") is taken from the nearest earlier date, and
only then.  A slashed numeric date (25/01/1945) is read day-first or month-first by the
document's own convention (a slashed date whose first number is over 12 settles it);
with no convention it is left out.
"""
from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import resources
from pipeline.extract import base
from pipeline.extract.grammar import grammar


@dataclass
class _Point:
    year: int | None
    month: int | None
    day: int | None = None
    part: str | None = None      # E / M / L third of a month
    year_explicit: bool = False
    decade: str | None = None    # "194" for "the 1940s" -> 194X

    def iso(self) -> str:
        if self.decade:
            return f"{self.decade}X"
        y = f"{self.year:04d}" if self.year is not None else "XXXX"
        if self.month is None:
            return y
        s = f"{y}-{self.month:02d}"
        if self.day is not None:
            s += f"-{self.day:02d}"
        elif self.part:
            s += f"-{self.part}"
        return s


def _valid_day(year: int | None, month: int | None, day: int) -> bool:
    """30 February is no date; with the year unknown, 29 February is allowed."""
    if month is None or not 1 <= month <= 12:
        return 1 <= day <= 31
    return 1 <= day <= calendar.monthrange(year if year else 2000, month)[1]


if not Doc.has_extension("pending_dates"):
    Doc.set_extension("pending_dates", default=None)


def pending(doc: Doc) -> list:
    if doc._.pending_dates is None:
        doc._.pending_dates = []
    return doc._.pending_dates


def add_date(doc: Doc, s: int, e: int, p1: _Point, p2: _Point | None, mod: str | None, rule: str,
             *, recovered: bool = False) -> None:
    fields = {"value": p1.iso() if p2 is None else f"{p1.iso()}/{p2.iso()}"}
    if mod:
        fields["mod"] = mod
    if recovered:
        fields["recovered"] = True
    base.add(doc, base.Candidate("date", s, e, fields, rule))


class DateContextResolver:
    """Gives a month-less date (下旬, 在22日) the month of the nearest earlier date, or drops it."""

    def __init__(self, nlp: Language, name: str, *, lang: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        for s, e, p1, p2, mod, rule in pending(doc):
            if base.is_claimed(doc, s, e, ("date", "corrupt")):
                continue
            months = [(c.start, _month_of(c.fields.get("value", ""))) for c in base.of_type(doc, "date")
                      if c.start < s]
            months = [m for m in months if m[1] is not None]
            if not months:
                continue   # no month in reach: not a date we can state
            p1.month = max(months)[1]
            add_date(doc, s, e, p1, p2, mod, rule)
        doc._.pending_dates = []
        return doc


def _month_of(value: str) -> int | None:
    last = value.split("/")[-1]
    parts = last.split("-")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


class DateExtractor:
    """Finds date expressions with the patterns of `models/patterns/<lang>/dates.jsonl`."""

    def __init__(self, nlp: Language, name: str, *, lang: str):
        self.name = name
        self.lang = lang
        self.patterns = grammar(lang).patterns("dates")
        # every date has a digit, a numeral or a month word: the patterns run only near one
        self.anchor = grammar(lang).compile("{DATEANCHOR}")
        lex = resources.lexicon(lang, "dates")
        self.months = {k.lower(): v for k, v in lex.get("months", {}).items()}
        self.parts = {k.lower(): v for k, v in lex.get("parts", {}).items()}
        self.mods = {k.lower(): v for k, v in lex.get("mods", {}).items()}
        self.eras = lex.get("eras", {})
        numbers = resources.optional_lexicon(lang, "numbers", {})
        self.ordinals = {k.lower(): v for k, v in numbers.get("ordinals", {}).items()}   # "the fifth of May"
        joins = lex.get("range_words", [])
        self.range_words = re.compile(r"^\s*(?:" + "|".join(
            re.escape(w).replace(r"\ ", r"\s+") for w in sorted(joins, key=len, reverse=True)) + r")\s*$",
            re.I) if joins else None
        self.paragraph_break = re.compile(lex.get("paragraph_break", r"\n\s*\n"))
        between = lex.get("between_words", [])
        self.between = re.compile(r"\b(?:" + "|".join(map(re.escape, between)) + r")\s+$", re.I) if between else None

    # -- reading groups ------------------------------------------------------
    def _num(self, doc: Doc, s: str | None) -> int | None:
        if not s:
            return None
        key = " ".join(s.lower().replace("the ", "").split())
        if key in self.ordinals:
            return self.ordinals[key]
        digits = "".join(ch for ch in s if ch.isdigit())
        if digits:
            return int(digits)
        v = doc._.profile.parse_number(s) if doc._.profile else None
        return int(v) if v is not None else None

    def _month(self, doc: Doc, s: str | None) -> int | None:
        if not s:
            return None
        m = self.months.get(s.lower()) or self.months.get(s.lower().rstrip("."))
        if m is not None:
            return m
        v = self._num(doc, s)
        return v if v is not None and 1 <= v <= 12 else None

    def _year(self, doc: Doc, g: dict, key: str) -> int | None:
        y = self._num(doc, g.get(key))
        if y is None:
            era = g.get("era_" + key) or (g.get("era_year") if g.get("eranum_" + key) else None)
            if era is not None:
                n = 1 if g.get("eranum_" + key) in ("元", None) else self._num(doc, g.get("eranum_" + key))
                offset = self.eras.get(era)
                return n + offset if n is not None and offset is not None else None
            short = _digit_by_digit(doc, g.get("short_" + key))
            if short is not None and doc._.context is not None and doc._.context.get("century"):
                return doc._.context["century"] * 100 + short
            return None
        if y < 100 and key == "year2" and g.get("year"):
            # "1941-45": the century of the first year
            y += int(g["year"][:2]) * 100 if g["year"][:2].isdigit() else 1900
        return y

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, dict, str, dict]] = []
        text = base.text_of(doc)
        for pat, m in base.matches_in(self.patterns, text, base.windows(text, self.anchor, 80, 60)):
            g = {k: v for k, v in m.groupdict().items() if v is not None}
            s, e = m.span("span") if "span" in m.groupdict() and m.group("span") else m.span()
            found.append((s, e, g, pat.id, pat.attrs))
        self._set_context(doc, found)
        # read every expression first, so a longer one that is no date ("1943-03" as years)
        # does not hide a shorter one that is; then longest first, so "25 February/26 March
        # 1943" beats "26 March 1943"
        read = []
        for s, e, g, pid, attrs in found:
            pts = self._points(doc, g, attrs)
            if pts is not None:
                mod = self.mods.get(g["mod"].lower()) if g.get("mod") else None
                read.append([s, e, pts[0], pts[1], mod, pid, attrs])
        read.sort(key=lambda r: (-(r[1] - r[0]), r[0]))
        taken: list[tuple[int, int]] = []
        chosen = []
        for r in read:
            if any(r[0] < te and ts < r[1] for ts, te in taken):
                continue
            taken.append((r[0], r[1]))
            chosen.append(r)
        chosen.sort(key=lambda r: r[0])
        self._resolve(doc, self._joined(doc, text, chosen))
        return doc

    def _set_context(self, doc: Doc, found) -> None:
        """The century of the document's four-digit years (for 四三年, 43年) and its slash convention."""
        ctx = doc._.context if doc._.context is not None else {}
        centuries = [int(g["year"]) // 100 for s, e, g, pid, attrs in found
                     if g.get("year", "").isdigit() and len(g["year"]) == 4]
        if centuries:
            ctx.setdefault("century", max(set(centuries), key=centuries.count))
        pairs = [(int(g["a"]), int(g["b"])) for s, e, g, pid, attrs in found if g.get("a") and g.get("b")]
        dmy, mdy = any(a > 12 for a, b in pairs), any(b > 12 for a, b in pairs)
        ctx["slash_order"] = "dmy" if dmy and not mdy else "mdy" if mdy and not dmy else None
        doc._.context = ctx

    def _joined(self, doc: Doc, text: str, read: list[list]) -> list[list]:
        """Two dates joined by a range word are one interval: 'October 1944 - 8 May 1945'."""
        if self.range_words is None:
            return read
        out: list[list] = []
        for item in read:
            prev = out[-1] if out else None
            if (prev is not None and prev[3] is None and item[3] is None
                    and not prev[2].decade and not item[2].decade
                    and (self.range_words.match(text[prev[1]:item[0]])
                         or (self.between is not None and re.fullmatch(r"\s+and\s+", text[prev[1]:item[0]])
                             and self.between.search(text[max(0, prev[0] - 12):prev[0]])))
                    and _joinable(prev[2], item[2])):
                a, b = prev[2], item[2]
                if a.year is None and b.year is not None:
                    a.year = b.year - (1 if a.month and b.month and a.month > b.month else 0)
                    a.year_explicit = True
                elif b.year is None and a.year is not None and b.month is not None:
                    b.year = a.year + (1 if a.month and b.month < a.month else 0)
                if b.month is None and b.day is not None:
                    b.month = a.month
                out[-1] = [prev[0], item[1], a, b, prev[4], prev[5] + "+" + item[5], prev[6]]
                continue
            out.append(item)
        return out

    def _resolve(self, doc: Doc, read: list[list]) -> None:
        text = base.text_of(doc)
        explicit = [(s, p1.year, p1.month) for s, e, p1, p2, mod, pid, attrs in read
                    if p1.year is not None and p1.year_explicit]
        period = _stated_period(read)
        paragraphs = [m.end() for m in self.paragraph_break.finditer(text)]
        for s, e, p1, p2, mod, pid, attrs in read:
            if p1.year is None and not p1.decade:
                p1.year = self._year_for(s, p1, explicit, period, paragraphs)
                if p2 is not None and p2.year is None:
                    p2.year = None if p1.year is None else \
                        p1.year + (1 if p1.month and p2.month and p2.month < p1.month else 0)
            elif p2 is not None and p2.year is None:
                p2.year = p1.year
            if p1.month is None and (p1.part or p1.day is not None):
                # 下旬, 在22日: the month comes from the dates around it, once every reader
                # (the corruption reader's recovered dates too) has run: see DateContextResolver
                pending(doc).append((s, e, p1, p2, mod, pid))
                continue
            add_date(doc, s, e, p1, p2, mod, pid, recovered=bool(attrs.get("recovered")))

    @staticmethod
    def _year_for(pos: int, p: _Point, explicit, period, paragraphs) -> int | None:
        i = bisect.bisect_right(paragraphs, pos)
        para_start = paragraphs[i - 1] if i else 0
        local = [(y, m) for at, y, m in explicit if para_start <= at < pos]
        if local:
            y, m = local[-1]
            if p.month and m and p.month < m and period and _inside(y + 1, p.month, period) \
                    and not _inside(y, p.month, period):
                return y + 1
            return y
        if period is not None and p.month:
            (y1, m1), (y2, m2) = period
            inside = [y for y in range(y1, y2 + 1) if _inside(y, p.month, period)]
            if inside:
                return inside[0]
            return min(range(y1 - 1, y2 + 2), key=lambda y: _distance(y, p.month, period))
        before = [y for at, y, m in explicit if at < pos]
        after = [y for at, y, m in explicit if at > pos]
        return before[-1] if before else (after[0] if after else None)

    def _points(self, doc: Doc, g: dict, attrs: dict):
        if g.get("a") and g.get("b"):           # 25/01/1945: by the document's convention
            order = (doc._.context or {}).get("slash_order")
            if order is None:
                return None
            g = dict(g, day=g["a"] if order == "dmy" else g["b"], monthnum=g["b"] if order == "dmy" else g["a"])
        month = self._month(doc, g.get("month")) or self._month(doc, g.get("monthnum"))
        year = self._year(doc, g, "year")
        day = self._num(doc, g.get("day"))
        part = self.parts.get(" ".join(g["part"].lower().split())) if g.get("part") else attrs.get("part")
        if g.get("yearpart"):
            part = None  # "late 1942": the year, not a third of a month
        if g.get("decade"):
            return _Point(None, None, decade=g["decade"], year_explicit=True), None
        if g.get("decade_in_century") and attrs.get("century"):   # 上世纪40年代 -> 194X
            return _Point(None, None, decade=attrs["century"] + g["decade_in_century"][0],
                          year_explicit=True), None
        if g.get("fused"):
            return None  # fused month+day digits are read by the corruption-aware reader
        if day is not None and not _valid_day(year, month, day):
            return None
        p1 = _Point(year, month, day, part if day is None else None, year is not None)
        if month is None and day is not None and not attrs.get("month_from_context"):
            return None
        if month is None and year is None and not part and day is None:
            return None
        p2 = None
        if any(k in g for k in ("day2", "month2", "year2", "eranum_year2", "short_year2")):
            month2 = self._month(doc, g.get("month2"))
            if attrs.get("adjacent_months") and (month is None or month2 != month + 1):
                return None    # 五六月 is May-June; 五八月 is nothing
            year2 = self._year(doc, g, "year2")
            day2 = self._num(doc, g.get("day2"))
            if day2 is not None and not _valid_day(year2 or year, month2 or month, day2):
                return None
            if p1.year is None and year2 is not None:
                p1.year, p1.year_explicit = year2, True   # "25 February/26 March 1943"
                if month and month2 and month > month2:
                    p1.year -= 1                          # "3 November - 11 February 1945"
            if day2 is None and month2 is None:
                if year2 is None or year is None or year2 <= year:
                    return None                            # "1943-03" is no range of years
                p2 = _Point(year2, None)                   # "1941-45"
            else:
                p2 = _Point(year2, month2 or month, day2)  # "20-25 February": the same month
                if p2.year is None and p1.year is not None:
                    p2.year = p1.year + (1 if p2.month and month and p2.month < month else 0)
                if _before(p2, p1):
                    return None   # "18-5 January" runs backwards: not an interval
        return p1, p2


def _digit_by_digit(doc: Doc, s: str | None) -> int | None:
    """A two-digit year written digit by digit: '43', '四三'."""
    if not s:
        return None
    digits = [ch if ch.isdigit() else doc._.profile.parse_number(ch) for ch in s]
    if any(d is None for d in digits):
        return None
    return int("".join(str(int(d)) for d in digits))


def _joinable(a: _Point, b: _Point) -> bool:
    """Two dates that can be the ends of one interval: the second has a month or a year."""
    if b.month is None and b.year is None:
        return False
    if a.month is None and a.year is None:
        return False
    return not _before(b, a)


def _before(b: _Point, a: _Point) -> bool:
    """True when b lies wholly before a (both years known, or both in one year)."""
    if a.year is not None and b.year is not None and a.year != b.year:
        return b.year < a.year
    if a.month is None or b.month is None:
        return False
    if b.month != a.month:
        return a.year is not None and b.year is not None and b.month < a.month
    return a.day is not None and b.day is not None and b.day < a.day


def _stated_period(read) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The document's stated period: its first interval with explicit years and months at both
    ends (an infobox date line, a first sentence), else its first interval with explicit years
    ("1942-1943", often the wider war the operation is part of).  ((year, month), (year, month))."""
    spans = [(p1, p2) for s, e, p1, p2, mod, pid, attrs in read
             if p2 is not None and p1.year_explicit and p1.year is not None and p2.year is not None]
    for p1, p2 in spans:
        if p1.month is not None and p2.month is not None:
            return (p1.year, p1.month), (p2.year, p2.month)
    for p1, p2 in spans:
        return (p1.year, p1.month or 1), (p2.year, p2.month or 12)
    return None


def _inside(year: int, month: int, period) -> bool:
    return period[0] <= (year, month) <= period[1]


def _distance(year: int, month: int, period) -> int:
    k = year * 12 + month
    lo, hi = period[0][0] * 12 + period[0][1], period[1][0] * 12 + period[1][1]
    return 0 if lo <= k <= hi else min(abs(k - lo), abs(k - hi))


@Language.factory("muster_date_context", default_config={"lang": "en"})
def make_date_context_resolver(nlp: Language, name: str, lang: str) -> DateContextResolver:
    return DateContextResolver(nlp, name, lang=lang)


@Language.factory("muster_dates", default_config={"lang": "en"})
def make_date_extractor(nlp: Language, name: str, lang: str) -> DateExtractor:
    return DateExtractor(nlp, name, lang=lang)
