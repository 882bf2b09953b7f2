"""commander_conflict: one formation given two different commanders for the same period.

Relations are read from the text ("Batov's 65th Army", 弗拉索夫的第20集團軍) and from infobox
commander lists with the post after the name ("Erhard Raus, (4th Panzer Army)", see
`pipeline.reconcile.relations.listed`).  Formations are compared on the knowledge-base-repaired
key (see reconcile.relations).  Two commanders of one formation conflict when:

- **the periods meet**: within a document, their date contexts fall in the same month or either
  has none; across documents, only when both are dated in the same year and month (two sources
  about different years are not in conflict);
- **they are two people**: two spellings of one name (similar surnames, as name_variant judges
  them) are one person written two ways, a name_variant, not two commanders;
- **neither is a commander above the formation**: "Manstein's 4th Panzer Army" names the army
  group commander over the army; a person the knowledge base knows as the commander of a higher
  echelon at that time is hierarchy, not a conflict.
"""
from __future__ import annotations

from pipeline.checks import DocumentView, Finding, corpus_check
from pipeline.checks.names import similarity
from pipeline.reconcile import names
from pipeline.reconcile.relations import commanded, listed
from pipeline.records import Evidence

# a group has no fixed rank (a cavalry group, a Panzergruppe, a Chinese 兵團 of 1938 over army groups)
RANK = {"battalion": 0, "regiment": 1, "brigade": 2, "division": 3, "corps": 4, "army": 5,
        "army_group": 6, "front": 6}
SAME_PERSON = 80          # surname similarity from which two commanders are one person spelled two ways


def _ev(doc: str, m) -> Evidence:
    return Evidence(doc=doc, start=m.start, end=m.end, text=m.text)


def same_period(a, b) -> bool:
    if a.doc == b.doc:
        return a.month is None or b.month is None or a.month == b.month
    return a.month is not None and a.month == b.month and not a.month.startswith("X")


def one_person(a: str, b: str) -> bool:
    ta, tb = names.fold(a).split(), names.fold(b).split()
    return bool(ta and tb) and similarity(ta[-1], tb[-1]) >= SAME_PERSON


def commands_above(name: str, echelon: str, when: str | None) -> bool:
    """Whether the knowledge base has `name` commanding a formation above `echelon` at `when`."""
    if echelon not in RANK:
        return False    # the rank of a group is unknown: no hierarchy explains two commanders
    kb = names.knowledge_base()
    rank = RANK[echelon]
    on = when if when and not when.startswith("X") and "-X" not in when else None
    for pid in names.person_ids(name):
        for cmd in kb.person(pid).commands:
            if not kb.has_formation(cmd.formation):
                continue
            if RANK.get(kb.formation(cmd.formation).echelon, 0) > rank and (on is None or cmd.covers(on[:10])):
                return True
    return False


@corpus_check("commanders")
def check(docs: list[DocumentView]) -> list[Finding]:
    by_unit: dict[tuple, list] = {}
    for d in docs:
        for r in commanded(d.name, d.mentions) + listed(d.name, d.mentions):
            by_unit.setdefault(r.unit_key, []).append(r)
    from pipeline.checks.figures import near_duplicates

    copies = near_duplicates(docs)
    out = []
    for rels in by_unit.values():
        reported = set()
        for i, a in enumerate(rels):
            for b in rels[i + 1:]:
                if a.commander == b.commander or not same_period(a, b) or one_person(a.commander, b.commander):
                    continue
                if frozenset((a.doc, b.doc)) in copies:
                    continue      # an edited copy and its original: said once, as a copy
                pair = frozenset((a.commander, b.commander))
                if pair in reported:
                    continue
                echelon = a.formation.echelon
                if commands_above(a.commander, echelon, a.when) or commands_above(b.commander, echelon, b.when):
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
