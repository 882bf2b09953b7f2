"""name_variant: one person written two ways ("Vladimir V. Khryukin" / "Vladimir V. Kryukov").

Two Latin-script person mentions are flagged when their given names agree, their
patronymic initials agree (when both are written), their surnames differ but are
close: rapidfuzz similarity of the folded spellings >= 60 when patronymic initial and
rank agree too, >= 80 otherwise.  Two different people the knowledge base knows apart
are never flagged.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from pipeline.checks import DocumentView, Finding, corpus_check, evidence
from pipeline.reconcile import names

PARTICLES = {"von", "van", "der", "den", "de", "zu"}


def _parts(m):
    given, initials, surname = names.split_name(m.text, PARTICLES)
    return given, initials, surname


@corpus_check("name_variants")
def check(docs: list[DocumentView]) -> list[Finding]:
    people = []
    for d in docs:
        for m in d.mentions:
            if m.type == "person" and not re.search(r"[\u3400-\u9fff]", m.text):
                given, initials, surname = _parts(m)
                if given and surname:
                    people.append((d, m, given, initials, surname))
    # blocking: only mentions with the same folded given name are compared
    # ... and each distinct spelling (surname, patronymic initial, rank) only once, so the work
    # grows with the number of spellings, not with the number of mentions
    blocks: dict[str, dict] = {}
    for p in people:
        d, m, given, initials, surname = p
        spelling = (names.fold(surname), initials[0][0] if initials else "", m.rank)
        blocks.setdefault(names.fold(given), {}).setdefault(spelling, p)
    blocks = {k: list(v.values()) for k, v in blocks.items()}
    out, seen = [], set()
    for group in blocks.values():
        for i, (da, a, ga, ia, sa) in enumerate(group):
            for db, b, gb, ib, sb in group[i + 1:]:
                fa, fb = names.fold(sa), names.fold(sb)
                if fa == fb or frozenset((fa, fb)) in seen or a.name == b.name:
                    continue
                if ia and ib and ia[0] != ib[0]:
                    continue
                score = fuzz.ratio(fa, fb)
                same_rank = a.rank is not None and a.rank == b.rank
                strong = bool(ia and ib) and same_rank   # given name, patronymic and rank all agree
                if score < (60 if strong else 80) or names.known_apart(a.name, b.name):
                    continue
                seen.add(frozenset((fa, fb)))
                where = "" if da is db else f" (in {da.name} and {db.name})"
                out.append(Finding(
                    "name_variant",
                    f"'{a.text}' and '{b.text}'{where} share given name"
                    f"{', patronymic initial' if ia and ib else ''}{' and rank ' + a.rank if same_rank else ''}"
                    f" but spell the surname differently ({sa} / {sb}): probably one person.",
                    [evidence(da, a), evidence(db, b)]))
    return out
