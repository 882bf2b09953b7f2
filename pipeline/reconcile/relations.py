"""Commander-of relations, each with the date context it was stated in.

A relation comes from a formation mention whose `commander` was read from the text
("Batov's 65th Army", "the 2nd Tank Army under Rodin", 弗拉索夫的第20集團軍, 在隆美爾的指揮下).
Its date context is the nearest date mentioned before it in the same document.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

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
    return _repaired(ent.formation_key(m))


@lru_cache(maxsize=1 << 14)     # one knowledge-base look-up per distinct key, not per mention
def _repaired(key: tuple) -> tuple:
    side, echelon, number, branch, guards, name = key
    kb = knowledge_base()
    if number is None or kb.formation_by_key(*key) is not None:
        return key
    for alt in ("army", "army_group", "corps", "group"):
        if alt != echelon and kb.formation_by_key(side, alt, number, branch, guards, name) is not None:
            return (side, alt, number, branch, guards, name)
    return key


def commanded(doc_name: str, mentions: list) -> list[Commanded]:
    """Relations in one document, in text order.

    Each formation's commander mention (the nearest person of that name; the earlier one on a
    tie) and date context (the last date, in text order, that ends before the formation) are
    found by binary search, so a document with many formations and dates costs
    O(n log n), not formations x dates."""
    ordered = sorted(mentions, key=lambda m: m.start)
    dates = [m for m in ordered if m.type == "date"]
    people: dict[str, list] = {}
    for m in ordered:
        if m.type == "person":
            people.setdefault(m.name, []).append(m)
    starts = {name: [p.start for p in ps] for name, ps in people.items()}
    # dates by end; a sweep over formations in start order adds the dates that end before each
    by_end = sorted(range(len(dates)), key=lambda i: dates[i].end)
    k, last = 0, -1
    out = []
    for m in ordered:
        if m.type != "formation":
            continue
        while k < len(by_end) and dates[by_end[k]].end <= m.start:
            last = max(last, by_end[k])
            k += 1
        if not m.commander:
            continue
        person = _nearest(people.get(m.commander, []), starts.get(m.commander, []), m.start)
        when = dates[last].value.split("/")[0] if last >= 0 else None
        out.append(Commanded(doc_name, m, person, m.commander, when, unit_key(m)))
    return out


LISTED_GAP = 3      # characters between a listed commander and the formation after it: ", (", "("


def listed(doc_name: str, mentions: list) -> list[Commanded]:
    """Relations of infobox commander lists, where a post follows the name: "Erhard Raus, (4th Panzer
    Army)", 寺內壽一(華北方面軍司令官).  A person immediately followed by a formation (at most
    LISTED_GAP characters, no other mention between) that names no commander of its own; the date
    context as in `commanded`."""
    ordered = sorted(mentions, key=lambda m: m.start)
    out, last_date = [], None
    for a, b in zip(ordered, ordered[1:]):
        if a.type == "date":
            last_date = a
        if a.type == "person" and b.type == "formation" and not b.commander and 0 <= b.start - a.end <= LISTED_GAP:
            when = last_date.value.split("/")[0] if last_date is not None else None
            out.append(Commanded(doc_name, b, a, a.name, when, unit_key(b)))
    return out


def _nearest(items: list, starts: list[int], x: int):
    """The item whose start is nearest to x; of two equally near, the first in order."""
    if not items:
        return None
    right = bisect_right(starts, x)          # first start > x
    best = None
    if right > 0:
        best = bisect_left(starts, starts[right - 1])   # first item at the nearest start <= x
    if right < len(items) and (best is None or starts[right] - x < x - starts[best]):
        best = right
    return items[best]
