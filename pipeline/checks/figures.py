"""cross_source_conflict for figures: two documents give different losses for the same formation.

A casualty figure belongs to the formation named last before it in its sentence
("The 2nd Tank Army lost 128 tanks"). Two documents conflict when they give the
same formation, category and side ranges that do not overlap even after allowing
for how each writer rounded.
"""
from __future__ import annotations

import re

from pipeline.checks import DocumentView, Finding, corpus_check
from pipeline.checks.conversions import granularity
from pipeline.reconcile.relations import unit_key
from pipeline.records import Evidence

_SENTENCE_GAP = re.compile(r"[.!?。！？;；]")


def _owner(d: DocumentView, m):
    forms = [f for f in d.mentions if f.type == "formation" and f.end <= m.start and m.start - f.end < 120]
    return forms[-1] if forms else None


def _range(m) -> tuple[float, float]:
    lo = m.low if m.low is not None else 0
    hi = m.high if m.high is not None else float("inf")
    slack_lo = granularity(lo) / 2 if m.low is not None else 0
    slack_hi = granularity(hi) / 2 if m.high is not None else 0
    if m.approx:
        slack_lo, slack_hi = max(slack_lo, 0.1 * lo), max(slack_hi, 0.1 * hi)
    return lo - slack_lo, hi + slack_hi


@corpus_check("figure_sources")
def check(docs: list[DocumentView]) -> list[Finding]:
    facts: dict[tuple, list] = {}
    for d in docs:
        for m in d.mentions:
            if m.type != "casualty":
                continue
            owner = _owner(d, m)
            if owner is None:
                continue
            key = (unit_key(owner), m.category, m.equipment, m.side)
            facts.setdefault(key, []).append((d, owner, m))
    out = []
    for key, items in facts.items():
        for i, (da, fa, a) in enumerate(items):
            for db, fb, b in items[i + 1:]:
                if da.name == db.name:
                    continue
                (alo, ahi), (blo, bhi) = _range(a), _range(b)
                if alo <= bhi and blo <= ahi:
                    continue
                out.append(Finding(
                    "cross_source_conflict",
                    f"{da.name} gives '{a.text}' ({a.category}) for '{fa.text}', {db.name} gives "
                    f"'{b.text}' for '{fb.text}': the figures do not agree.",
                    [Evidence(doc=da.name, start=a.start, end=a.end, text=a.text),
                     Evidence(doc=db.name, start=b.start, end=b.end, text=b.text)]))
    return out
