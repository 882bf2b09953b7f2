"""commander_conflict: one formation given two different commanders for the same period.

Within a document, two commanders of one formation conflict when their date contexts
fall in the same month or either has none; across documents, only when both are dated
in the same year and month (two sources about different years are not in conflict).
Formations are compared on the knowledge-base-repaired key (see reconcile.relations).
"""
from __future__ import annotations

from pipeline.checks import DocumentView, Finding, corpus_check
from pipeline.reconcile.relations import commanded
from pipeline.records import Evidence


def _ev(doc: str, m) -> Evidence:
    return Evidence(doc=doc, start=m.start, end=m.end, text=m.text)


def same_period(a, b) -> bool:
    if a.doc == b.doc:
        return a.month is None or b.month is None or a.month == b.month
    return a.month is not None and a.month == b.month and not a.month.startswith("X")


@corpus_check("commanders")
def check(docs: list[DocumentView]) -> list[Finding]:
    by_unit: dict[tuple, list] = {}
    for d in docs:
        for r in commanded(d.name, d.mentions):
            by_unit.setdefault(r.unit_key, []).append(r)
    out = []
    for rels in by_unit.values():
        reported = set()
        for i, a in enumerate(rels):
            for b in rels[i + 1:]:
                if a.commander == b.commander or not same_period(a, b):
                    continue
                pair = frozenset((a.commander, b.commander))
                if pair in reported:
                    continue
                reported.add(pair)
                group = [r for r in rels if r.commander in pair]
                evidence = []
                for r in group:
                    evidence.append(_ev(r.doc, r.formation))
                    if r.person is not None:
                        evidence.append(_ev(r.doc, r.person))
                when = lambda r: f" ({r.when})" if r.when else ""  # noqa: E731
                kind = "commander_conflict" if a.doc == b.doc else "cross_source_conflict"
                out.append(Finding(
                    kind,
                    f"'{a.formation.text}' is commanded by {a.commander}{when(a)} and, for the same "
                    f"period, '{b.formation.text}' by {b.commander}{when(b)}"
                    f"{'' if a.doc == b.doc else f' in {b.doc}'}.",
                    evidence))
                if kind == "cross_source_conflict":
                    out.append(Finding("commander_conflict", out[-1].message, evidence))
    return out
