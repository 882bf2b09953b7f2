"""cross_source_conflict for figures: two documents give different losses for the same formation.

A casualty figure belongs to the formation named last before it in its sentence
("The 2nd Tank Army lost 128 tanks"). Two documents conflict when they give the
same formation, category and side ranges that do not overlap even after allowing
for how each writer rounded.  Figures are grouped by a sweep over their ranges, so a
fact reported by many sources costs n log n and gives one flag, not one per pair.
"""
from __future__ import annotations

from pipeline.checks import DocumentView, Finding, corpus_check
from pipeline.checks.conversions import granularity
from pipeline.reconcile.relations import unit_key
from pipeline.records import Evidence

def _owners(d: DocumentView):
    """(casualty, the formation named last within 120 characters before it), in one pass."""
    last = None
    for m in sorted(d.mentions, key=lambda m: m.start):
        if m.type == "formation":
            last = m
        elif m.type == "casualty" and last is not None and 0 <= m.start - last.end < 120:
            yield m, last


def _range(m) -> tuple[float, float]:
    lo = m.low if m.low is not None else 0
    hi = m.high if m.high is not None else float("inf")
    slack_lo = granularity(lo) / 2 if m.low is not None else 0
    slack_hi = granularity(hi) / 2 if m.high is not None else 0
    if m.approx:
        slack_lo, slack_hi = max(slack_lo, 0.1 * lo), max(slack_hi, 0.1 * hi)
    return lo - slack_lo, hi + slack_hi


def _clusters(items):
    """Groups of figures whose ranges overlap (sorted sweep: n log n)."""
    ordered = sorted(items, key=lambda it: _range(it[2])[0])
    groups, hi = [], None
    for it in ordered:
        lo, h = _range(it[2])
        if groups and lo <= hi:
            groups[-1].append(it)
            hi = max(hi, h)
        else:
            groups.append([it])
            hi = h
    return groups


@corpus_check("figure_sources")
def check(docs: list[DocumentView]) -> list[Finding]:
    """One flag per fact (formation, category, side) whose sources fall into disagreeing groups."""
    facts: dict[tuple, list] = {}
    for d in docs:
        for m, owner in _owners(d):
            key = (unit_key(owner), m.category, m.equipment, m.side)
            facts.setdefault(key, []).append((d, owner, m))
    out = []
    for key, items in facts.items():
        if len({d.name for d, _, _ in items}) < 2:
            continue
        groups = _clusters(items)
        if len(groups) < 2:
            continue
        readings = "; ".join(
            " = ".join(f"'{m.text}' ({d.name})" for d, _, m in g[:5]) + (" ..." if len(g) > 5 else "")
            for g in groups)
        out.append(Finding(
            "cross_source_conflict",
            f"Sources disagree on {key[1]} of '{items[0][1].text}': {readings}.",
            [Evidence(doc=d.name, start=m.start, end=m.end, text=m.text) for g in groups for d, _, m in g[:5]]))
    return out
