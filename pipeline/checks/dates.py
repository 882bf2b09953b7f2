"""date_out_of_range: an event dated after the end of the period the document states.

The stated period is the first interval date of the document ("25 February/26 March
1943" in a heading, "from 8 January to 20 April 1942").  Day-precise dates up to 90
days after its end are flagged; dates before the start are background and
preparation (a directive, a plan) far more often than errors, so they are not.
"""
from __future__ import annotations

from datetime import date, timedelta

from pipeline.checks import DocumentView, Finding, document_check, evidence

AFTER_END_WINDOW = timedelta(days=90)


def _day(value: str) -> date | None:
    parts = value.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def stated_period(doc: DocumentView):
    for m in sorted((m for m in doc.mentions if m.type == "date"), key=lambda m: m.start):
        if "/" in m.value:
            a, b = m.value.split("/", 1)
            start, end = _day(a), _day(b)
            if start and end and end > start:
                return m, start, end
    return None


@document_check("date_range")
def check(doc: DocumentView) -> list[Finding]:
    period = stated_period(doc)
    if period is None:
        return []
    pm, start, end = period
    out = []
    for m in doc.mentions:
        if m.type != "date" or m is pm or "/" in m.value:
            continue
        d = _day(m.value)
        if d and end < d <= end + AFTER_END_WINDOW:
            out.append(Finding(
                "date_out_of_range",
                f"'{m.text}' ({d.isoformat()}) lies after the end of the period the text states "
                f"('{pm.text}', ending {end.isoformat()}).",
                [evidence(doc, m), evidence(doc, pm)]))
    return out
