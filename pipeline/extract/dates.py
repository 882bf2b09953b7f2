"""Dates: explicit, partial, vague (early/mid/late) and intervals, with year context.

Values are ISO 8601 strings: `1943-02-25`, `1943-03`, `1943-03-L`, `XXXX-03-21`,
`1943-02-25/1943-03-26`.  A missing year is taken from the nearest explicit year
earlier in the document (else the first one later); with no year anywhere it stays
`XXXX`: a year is never guessed.  A missing month (下旬, "late in the month") is
taken from the nearest earlier date, and only then.
"""
from __future__ import annotations

import calendar
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
        lex = resources.lexicon(lang, "dates")
        self.months = {k.lower(): v for k, v in lex.get("months", {}).items()}
        self.parts = {k.lower(): v for k, v in lex.get("parts", {}).items()}
        self.mods = {k.lower(): v for k, v in lex.get("mods", {}).items()}

    # -- reading groups ------------------------------------------------------
    def _num(self, doc: Doc, s: str | None) -> int | None:
        if not s:
            return None
        digits = "".join(ch for ch in s if ch.isdigit())
        if digits:
            return int(digits)
        v = doc._.profile.parse_number(s) if doc._.profile else None
        return int(v) if v is not None else None

    def _month(self, doc: Doc, s: str | None) -> int | None:
        if not s:
            return None
        m = self.months.get(s.lower())
        if m is not None:
            return m
        v = self._num(doc, s)
        return v if v is not None and 1 <= v <= 12 else None

    def _year(self, doc: Doc, g: dict, key: str) -> int | None:
        y = self._num(doc, g.get(key))
        if y is None:
            roc = self._num(doc, g.get("roc_" + key))
            return roc + 1911 if roc is not None else None
        if y < 100 and key == "year2" and g.get("year"):
            # "1941-45": the century of the first year
            y += int(g["year"][:2]) * 100 if g["year"][:2].isdigit() else 1900
        return y

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, dict, str, dict]] = []
        text = doc.text
        for pat in self.patterns:
            for m in pat.finditer(text):
                g = {k: v for k, v in m.groupdict().items() if v is not None}
                s, e = m.span("span") if "span" in m.groupdict() and m.group("span") else m.span()
                found.append((s, e, g, pat.id, pat.attrs))
        # longest first, so "25 February/26 March 1943" beats "26 March 1943"
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
        taken: list[tuple[int, int]] = []
        chosen = []
        for s, e, g, pid, attrs in found:
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            chosen.append((s, e, g, pid, attrs))
        chosen.sort(key=lambda f: f[0])
        self._resolve(doc, chosen)
        return doc

    def _resolve(self, doc: Doc, chosen) -> None:
        points = []
        for s, e, g, pid, attrs in chosen:
            a = self._points(doc, g, attrs)
            if a is None:
                continue
            points.append((s, e, g, pid, attrs, a))
        explicit_years = [(s, p[0].year) for s, e, g, pid, attrs, p in points
                          if p[0].year is not None and p[0].year_explicit]
        for s, e, g, pid, attrs, (p1, p2) in points:
            if p1.year is None:
                before = [y for pos, y in explicit_years if pos < s]
                after = [y for pos, y in explicit_years if pos > s]
                p1.year = before[-1] if before else (after[0] if after else None)
            if p2 is not None and p2.year is None:
                p2.year = p1.year
            mod = self.mods.get(g["mod"].lower()) if g.get("mod") else None
            if p1.month is None and (p1.part or p1.day is not None):
                # 下旬, 在22日: the month comes from the dates around it, once every reader
                # (the corruption reader's recovered dates too) has run: see DateContextResolver
                pending(doc).append((s, e, p1, p2, mod, pid))
                continue
            add_date(doc, s, e, p1, p2, mod, pid, recovered=bool(attrs.get("recovered")))

    def _points(self, doc: Doc, g: dict, attrs: dict):
        month = self._month(doc, g.get("month")) or self._month(doc, g.get("monthnum"))
        year = self._year(doc, g, "year")
        day = self._num(doc, g.get("day"))
        part = self.parts.get(g["part"].lower().strip()) if g.get("part") else attrs.get("part")
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
        if any(k in g for k in ("day2", "month2", "year2", "roc_year2")):
            month2 = self._month(doc, g.get("month2"))
            year2 = self._year(doc, g, "year2")
            day2 = self._num(doc, g.get("day2"))
            if day2 is not None and not _valid_day(year2 or year, month2 or month, day2):
                return None
            if p1.year is None and year2 is not None:
                p1.year, p1.year_explicit = year2, True   # "25 February/26 March 1943"
            if day2 is None and month2 is None:
                p2 = _Point(year2, None)                   # "1941-45"
            else:
                p2 = _Point(year2, month2 or month, day2)  # "20-25 February": the same month
        return p1, p2


@Language.factory("muster_date_context", default_config={"lang": "en"})
def make_date_context_resolver(nlp: Language, name: str, lang: str) -> DateContextResolver:
    return DateContextResolver(nlp, name, lang=lang)


@Language.factory("muster_dates", default_config={"lang": "en"})
def make_date_extractor(nlp: Language, name: str, lang: str) -> DateExtractor:
    return DateExtractor(nlp, name, lang=lang)
