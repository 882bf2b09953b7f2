"""Commander-of relations, each with the date context it was stated in.

A relation comes from a formation mention whose `commander` was read from the text
("Batov's 65th Army", "the 2nd Tank Army under Rodin", 弗拉索夫的第20集團軍, 在隆美爾的指揮下).
Its date context is the nearest date mentioned before it in the same document.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.reconcile import entities as ent
from pipeline.reconcile.names import knowledge_base


@dataclass
class Commanded:
    doc: str
    formation: object          # FormationMention
    person: object | None      # the PersonMention of the commander, when found next to it
    commander: str             # canonical name
    when: str | None           # ISO value of the date context (may be XXXX-..)
    unit_key: tuple            # formation identity, repaired by the knowledge base (see below)

    @property
    def month(self) -> str | None:
        return self.when[:7] if self.when and len(self.when) >= 7 else None


def unit_key(m) -> tuple:
    """The formation key, with an echelon the knowledge base does not know replaced by one it does.

    A text may call a numbered panzer army a 'panzer army group' (第四裝甲集團軍羣): no such German
    army group existed, but the panzer army did, and the text means it.
    """
    key = ent.formation_key(m)
    side, echelon, number, branch, guards, name = key
    kb = knowledge_base()
    if number is None or kb.formation_by_key(*key) is not None:
        return key
    for alt in ("army", "army_group", "corps", "group"):
        if alt != echelon and kb.formation_by_key(side, alt, number, branch, guards, name) is not None:
            return (side, alt, number, branch, guards, name)
    return key


def commanded(doc_name: str, mentions: list) -> list[Commanded]:
    ordered = sorted(mentions, key=lambda m: m.start)
    dates = [m for m in ordered if m.type == "date"]
    people = [m for m in ordered if m.type == "person"]
    out = []
    for m in ordered:
        if m.type != "formation" or not m.commander:
            continue
        person = min((p for p in people if p.name == m.commander),
                     key=lambda p: abs(p.start - m.start), default=None)
        before = [d for d in dates if d.end <= m.start]
        when = before[-1].value.split("/")[0] if before else None
        out.append(Commanded(doc_name, m, person, m.commander, when, unit_key(m)))
    return out
