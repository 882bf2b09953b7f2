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

NEAR_DUPLICATE = 0.9     # share of mentions in common (in order) from which a document is a copy
SHARED_FIGURES = 2       # figures written to the unit that two documents of one operation share ...
SIGNIFICANT = 4          # ... or one with this many significant digits (4,799; 341,073)


def _owners(d: DocumentView):
    """(casualty, the formation named last within 120 characters before it on its line), in one pass."""
    last = None
    for m in sorted(d.mentions, key=lambda m: m.start):
        if m.type == "formation":
            last = m
        elif m.type == "casualty" and last is not None and 0 <= m.start - last.end < 120 \
                and "\n" not in d.text[last.end:m.start]:     # another line is another statement
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


def _figures(d: DocumentView) -> list:
    return [m for m in d.mentions if m.type in ("casualty", "strength")]


def _exact(m) -> int | None:
    """The value of a figure written to the unit (341,073, not 400,000): such figures are
    shared by two texts only when they report one source."""
    if m.low is None or m.low != m.high or m.approx or not float(m.low).is_integer():
        return None
    v = int(m.low)
    return v if v >= 100 and granularity(v) < 100 else None


def _signature(d: DocumentView) -> list[tuple]:
    return [(m.type, m.text) for m in sorted(d.mentions, key=lambda m: m.start) if m.type != "place"]


def near_duplicates(docs: list[DocumentView]) -> set[frozenset]:
    """Pairs of documents one of which is an edited copy of the other: the same language and
    nearly the same mentions in the same order (NEAR_DUPLICATE of them)."""
    from difflib import SequenceMatcher

    sigs = {d.name: _signature(d) for d in docs}
    out = set()
    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            sa, sb = sigs[a.name], sigs[b.name]
            if a.lang != b.lang or not sa or not sb or min(len(sa), len(sb)) < NEAR_DUPLICATE * max(len(sa), len(sb)):
                continue
            if SequenceMatcher(None, sa, sb, autojunk=False).ratio() >= NEAR_DUPLICATE:
                out.add(frozenset((a.name, b.name)))
    return out


def _same_operation(a: DocumentView, b: DocumentView) -> bool:
    """Two documents report one operation when they share at least SHARED_FIGURES figures written
    to the unit (or one of SIGNIFICANT digits), and their stated periods (where both state one) meet."""
    pa = a.info.period if a.info is not None else None
    pb = b.info.period if b.info is not None else None
    if pa and pb:
        from pipeline.checks.dates import interval

        ia, ib = interval(pa), interval(pb)
        if ia and ib and (ia[1].last < ib[0].first or ib[1].last < ia[0].first):
            return False
    va = {_exact(m) for m in _figures(a)} - {None}
    vb = {_exact(m) for m in _figures(b)} - {None}
    shared = va & vb
    return len(shared) >= SHARED_FIGURES or any(len(str(v).rstrip("0")) >= SIGNIFICANT for v in shared)


def _fact(m) -> tuple:
    if m.type == "casualty":
        return ("casualty", m.category, m.equipment, m.side)
    return ("strength", m.what, m.unit_branch, m.side)


def _pair_conflicts(a: DocumentView, b: DocumentView) -> list[Finding]:
    """Loss facts (category, equipment, side) that each document gives exactly once, with readings
    that do not meet after each writer's rounding (and ranges)."""
    def once(d):
        seen: dict[tuple, list] = {}
        # losses only: a force is counted at different dates and scopes (initial, reinforced, in the
        # city), so two strengths of one side are seldom one fact
        for m in _figures(d):
            if m.side is not None and m.type == "casualty":   # a figure of no known side is no fact
                seen.setdefault(_fact(m), []).append(m)
        return {k: v[0] for k, v in seen.items() if len(v) == 1}

    fa, fb = once(a), once(b)
    out = []
    for key in sorted(fa.keys() & fb.keys(), key=str):
        x, y = fa[key], fb[key]
        (xl, xh), (yl, yh) = _range(x), _range(y)
        if xh < yl or yh < xl:
            what = key[2] or key[1]
            out.append(Finding(
                "cross_source_conflict",
                f"{a.name} and {b.name} report the same operation (they share figures written to the unit) "
                f"but differ on {what} ({key[3]}): '{x.text}' against '{y.text}'.",
                [Evidence(doc=a.name, start=x.start, end=x.end, text=x.text),
                 Evidence(doc=b.name, start=y.start, end=y.end, text=y.text)]))
    return out


def _copy_finding(a: DocumentView, b: DocumentView) -> Finding | None:
    """One finding for an edited copy: the mentions that differ, not a conflict per fact."""
    from difflib import SequenceMatcher

    fa = sorted((m for m in a.mentions if m.type != "place"), key=lambda m: m.start)
    fb = sorted((m for m in b.mentions if m.type != "place"), key=lambda m: m.start)
    sm = SequenceMatcher(None, [m.text for m in fa], [m.text for m in fb], autojunk=False)
    changed = [(fa[i], fb[j]) for op, i1, i2, j1, j2 in sm.get_opcodes() if op == "replace"
               for i, j in zip(range(i1, i2), range(j1, j2))]
    if not changed:
        return None
    listed = "; ".join(f"'{x.text}' / '{y.text}'" for x, y in changed[:5])
    ev = [e for x, y in changed[:5] for e in (Evidence(doc=a.name, start=x.start, end=x.end, text=x.text),
                                                Evidence(doc=b.name, start=y.start, end=y.end, text=y.text))]
    return Finding("cross_source_conflict",
                   f"{a.name} and {b.name} are one text, one an edited copy of the other: compare them as one source; "
                   f"what differs: {listed}.", ev, severity="info")


@corpus_check("figure_pairs")
def check_pairs(docs: list[DocumentView]) -> list[Finding]:
    """Documents of one operation compared pairwise; an edited copy said so once."""
    dups = near_duplicates(docs)
    out = []
    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            if frozenset((a.name, b.name)) in dups:
                f = _copy_finding(a, b)
                out.extend([f] if f else [])
            elif _same_operation(a, b):
                out.extend(_pair_conflicts(a, b))
    return out


@corpus_check("figure_sources")
def check(docs: list[DocumentView]) -> list[Finding]:
    """One flag per fact (formation, category, side) whose sources fall into disagreeing groups."""
    dups = near_duplicates(docs)
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
        names_ = [{d.name for d, _, _ in g} for g in groups]
        if all(frozenset((x, y)) in dups or x == y for i, g in enumerate(names_) for h in names_[i + 1:]
               for x in g for y in h):
            continue      # only an edited copy disagrees with its original: said once by figure_pairs
        readings = "; ".join(
            " = ".join(f"'{m.text}' ({d.name})" for d, _, m in g[:5]) + (" ..." if len(g) > 5 else "")
            for g in groups)
        out.append(Finding(
            "cross_source_conflict",
            f"Sources disagree on {key[1]} of '{items[0][1].text}': {readings}.",
            # every source: the flag keeps a few per reading and counts the rest (checks.bound_evidence)
            [Evidence(doc=d.name, start=m.start, end=m.end, text=m.text) for g in groups for d, _, m in g]))
    return out
