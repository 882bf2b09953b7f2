"""date_out_of_range: an event dated outside the period the document states for its operation.

**The stated period** is the operation's own period, never a sub-phase's or a preliminary
action's: the first interval of, in this order, the infobox date line ("- Date: 29 December
1944 – 13 February 1945", 日期1937年12月 - 1938年5月19日), the title line, the first sentence of
prose, a sentence that names the document's own operation (its title), and only then any
sentence that names no other operation.  Partial dates count ("1937年12月 - 1938年5月19日"
runs from 1 December).

**Which dates are judged.** A date belongs to the operation of its sentence: a sentence that
names another operation ("the Demyansk Offensive Operation ... from 7 January until 20 May")
dates that one, and is not judged against this one.  Years alone ("1939–1945", a book's
title, a war) are context, never events.  Sentences about the aftermath (lexicon) are not
judged.

**When a date is out of range.** Each date is read as the days it allows (a month: all of
them; "early July": 1-10 July) and judged at its own precision, with one unit of that
precision as slack (a day: none, a third of a month: 10 days, a month: 31 days), so "February
to June" of a battle that ended on 19 May is the writer counting in months, "early July" is
not.  After the end: flagged up to AFTER_END_WINDOW later (further on, a date is an epilogue,
not an event of the operation).  Before the start: flagged only when the sentence says the
operation itself began or ended then ("the siege began when ... was encircled on 26
December"), since dates before the start are otherwise background (a directive, an earlier
offensive, a strength return).

Language-specific words (the date line label, the title, boundary and aftermath words) are
in `models/lexicon/<lang>/periods.json`.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from pipeline import resources
from pipeline.checks import DocumentView, Finding, document_check, evidence
from pipeline.lang import get_profile

AFTER_END_WINDOW = timedelta(days=365)
TITLE_LENGTH = 80           # a longer first line is prose, not a title
SLACK = {"day": timedelta(0), "third": timedelta(days=10), "month": timedelta(days=31)}
_THIRDS = {"E": (1, 10), "M": (11, 20), "L": (21, None)}
_SENTENCE_END = re.compile(r"[。！？!?；;]|\.(?=\s|$)|\n")


@dataclass(frozen=True)
class Days:
    """The days a (partial) date allows, and the precision it was written at."""
    first: date
    last: date
    precision: str          # day, third, month, year


def days(value: str) -> Days | None:
    """'1943-02-25', '1938-07-E', '1944-12', '1942' -> the days they allow; None for XXXX."""
    parts = value.split("-")
    if not parts[0].isdigit():
        return None
    y = int(parts[0])
    try:
        if len(parts) == 1:
            return Days(date(y, 1, 1), date(y, 12, 31), "year")
        if not parts[1].isdigit():
            return None
        mo = int(parts[1])
        last_day = calendar.monthrange(y, mo)[1]
        if len(parts) == 2:
            return Days(date(y, mo, 1), date(y, mo, last_day), "month")
        if parts[2] in _THIRDS:
            a, b = _THIRDS[parts[2]]
            return Days(date(y, mo, a), date(y, mo, b or last_day), "third")
        if parts[2].isdigit():
            d = date(y, mo, int(parts[2]))
            return Days(d, d, "day")
    except ValueError:
        return None
    return None


def interval(value: str) -> tuple[Days, Days] | None:
    """(start, end) of a date value, a point being its own start and end."""
    a, _, b = value.partition("/")
    da = days(a)
    db = days(b) if b else da
    if da is None or db is None:
        return None
    return da, db


@lru_cache(maxsize=None)
def _lexicon(code: str) -> dict:
    lex = resources.optional_lexicon(code, "periods")
    return {
        "date_line": re.compile(lex["date_line"]) if lex.get("date_line") else None,
        "title": re.compile(lex["title"]) if lex.get("title") else None,
        "boundary": [re.compile(p, re.I) for p in lex.get("boundary", [])],
        "aftermath": [re.compile(p, re.I) for p in lex.get("aftermath", [])],
        "generic": re.compile(lex.get("generic") or r"(?!)", re.I),
        "own_reference": re.compile(lex.get("own_reference") or r"(?!)", re.I),
    }


def _lex(doc: DocumentView) -> dict:
    return _lexicon(get_profile(doc.lang).code)


def _line(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, (len(text) if e < 0 else e)


def sentence_span(text: str, pos: int) -> tuple[int, int]:
    """The sentence around pos (a newline always ends one)."""
    s = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        s = m.end()
    m = _SENTENCE_END.search(text, pos)
    return s, (m.end() if m else len(text))


def title(doc: DocumentView) -> tuple[str, int, int] | None:
    """(name, start, end) of the document's title: its first non-blank line, by the lexicon."""
    rx = _lex(doc)["title"]
    if rx is None or not doc.text:
        return None
    pos = len(doc.text) - len(doc.text.lstrip())
    s, e = _line(doc.text, pos)
    m = rx.match(doc.text[s:e])
    if not m or not m.group("name").strip() or len(m.group("name")) > TITLE_LENGTH:
        return None
    return m.group("name").strip(), s + m.start("name"), s + m.end("name")


def _fold(doc: DocumentView, name: str) -> str:
    """Case, punctuation and script folded by the document's language (Traditional = Simplified)."""
    return re.sub(r"[\W_]+", "", get_profile(doc.lang).normalize(name).text.casefold())


def _core(doc: DocumentView, name: str) -> str:
    """An operation name without its generic words: 'Siege of Budapest' -> 'budapest'."""
    return _fold(doc, _lex(doc)["generic"].sub(" ", get_profile(doc.lang).normalize(name).text))


def other_operation(doc: DocumentView, start: int, end: int, own: str | None) -> bool:
    """Whether text[start:end] names an operation other than the document's own."""
    from pipeline.checks.periods import operation_names

    mine = _core(doc, own) if own else None
    for name, _, _ in operation_names(doc, start, end):
        if _lex(doc)["own_reference"].search(name):
            continue
        f = _core(doc, name)
        if not f:
            continue
        if not mine or (f not in mine and mine not in f):
            return True
    return False


def _periods(doc: DocumentView):
    """Interval date mentions in the order the stated period is looked for (see the module doc)."""
    text = doc.text
    spans = sorted((m for m in doc.mentions if m.type == "date" and "/" in m.value
                    and interval(m.value) is not None), key=lambda m: m.start)
    if not spans:
        return
    lex = _lex(doc)
    if lex["date_line"] is not None:
        for m in spans:
            s, _ = _line(text, m.start)
            if lex["date_line"].match(text[s:m.start]):
                yield m
    t = title(doc)
    if t is not None:
        s, e = _line(text, t[1])
        yield from (m for m in spans if s <= m.start < e)
    first = _first_prose_sentence(text)
    if first is not None:
        yield from (m for m in spans if first[0] <= m.start < first[1])
    own = t[0] if t else None
    if own:
        f = _fold(doc, own)
        for m in spans:
            s, e = sentence_span(text, m.start)
            if f and f in _fold(doc, text[s:e]):
                yield m
    for m in spans:
        s, e = sentence_span(text, m.start)
        if not other_operation(doc, s, e, own):
            yield m


def _first_prose_sentence(text: str) -> tuple[int, int] | None:
    """The first sentence of running prose: a line of at least 80 characters, not a table row
    or a template field."""
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if len(stripped) >= 80 and "|" not in stripped and not re.match(r"[-*]\s*\w+\s*[:=]", stripped):
            s = pos + len(line) - len(line.lstrip())
            return s, sentence_span(text, s)[1]
        pos += len(line) + 1
    return None


def stated_period(doc: DocumentView):
    """(mention, first day, last day) of the period the document states, or None."""
    if not doc.text:
        # a view without its text (corpus checks over stored documents): the first interval
        for m in sorted((m for m in doc.mentions if m.type == "date" and "/" in m.value), key=lambda m: m.start):
            iv = interval(m.value)
            if iv and iv[1].last > iv[0].first:
                return m, iv[0].first, iv[1].last
        return None
    for m in _periods(doc):
        a, b = interval(m.value)
        if b.last > a.first and a.precision != "year":
            return m, a.first, b.last
    return None


def _judged(doc: DocumentView, m, own: str | None, lex: dict) -> tuple[bool, bool]:
    """(judged at all, a boundary statement: judged before the start too)."""
    s, e = sentence_span(doc.text, m.start)
    sentence = doc.text[s:e]
    if any(rx.search(sentence) for rx in lex["aftermath"]):
        return False, False
    if other_operation(doc, s, e, own):
        return False, False
    return True, any(rx.search(sentence) for rx in lex["boundary"])


@document_check("date_range")
def check(doc: DocumentView) -> list[Finding]:
    period = stated_period(doc)
    if period is None or not doc.text:
        return []
    pm, start, end = period
    lex = _lex(doc)
    t = title(doc)
    own = t[0] if t else None
    ps, pe = sentence_span(doc.text, pm.start)
    out = []
    last_year: tuple[object, Finding | None] | None = None   # the last date that wrote its year
    for m in sorted(doc.mentions, key=lambda m: m.start):
        if m.type != "date":
            continue
        yearless = m.value[:4] not in m.text
        if not yearless:
            last_year = (m, None)
        if m is pm or m.value == pm.value or ps <= m.start < pe:
            continue
        iv = interval(m.value)
        if iv is None or iv[0].precision == "year" or iv[1].precision == "year":
            continue
        a, b = iv
        after = b.first - SLACK[b.precision] > end and b.first - end <= AFTER_END_WINDOW
        before = a.last + SLACK[a.precision] < start
        if not (after or before):
            continue
        judged, boundary = _judged(doc, m, own, lex)
        if not judged or (before and not after and not boundary):
            continue
        if after:
            what = f"lies after the end of the period the text states ('{pm.text}', ending {end.isoformat()})"
        else:
            what = (f"is given as a start or end of the operation itself, before the start of the period the "
                    f"text states ('{pm.text}', starting {start.isoformat()})")
        if yearless and last_year is not None and last_year[1] is not None:
            # its year comes from a date already flagged: the same error, one more piece of evidence
            last_year[1].evidence.append(evidence(doc, m))
            continue
        f = Finding("date_out_of_range", f"'{m.text}' ({m.value}) {what}.", [evidence(doc, m), evidence(doc, pm)])
        out.append(f)
        if not yearless:
            last_year = (m, f)
    return out
