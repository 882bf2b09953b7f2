"""cross_source_conflict for dates: two documents give different periods for one operation.

An operation is named in the sentence that states a document's period ("The 'Dmitriev-Sevsk
Offensive Operation' ... (25 February/26 March 1943)", "Operation Kutuzov (12 July - 18 August
1943)", 勒熱夫戰役(1942年1月8日至4月20日)). Names are compared folded (case, quotes, dashes,
Traditional/Simplified through the normalized text), and two documents conflict when their
periods for the same name differ.
"""
from __future__ import annotations

import re

from pipeline import resources
from pipeline.lang import get_profile
from pipeline.checks import DocumentView, Finding, corpus_check
from pipeline.checks.dates import stated_period
from pipeline.records import Evidence


def operation_names(doc: DocumentView, start: int, end: int):
    """(name, start, end) of operation names in text[start:end], by the language's patterns."""
    lex = resources.optional_lexicon(get_profile(doc.lang).code, "operations")
    for rx in lex.get("patterns", []):
        for m in re.finditer(rx, doc.text[start:end]):
            yield m.group("name"), start + m.start("name"), start + m.end("name")


def _fold(name: str) -> str:
    """Case, quotes, dashes and script folded: 勒熱夫戰役 and 勒热夫战役 meet."""
    from pipeline.lang.zh import normalize

    return re.sub(r"[\W_]+", "", normalize(name).text.casefold())


def _sentence(text: str, pos: int) -> tuple[int, int]:
    s = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), text.rfind("。", 0, pos)) + 1
    ends = [i for i in (text.find(". ", pos), text.find("\n", pos), text.find("。", pos)) if i >= 0]
    return s, (min(ends) if ends else len(text))


def stated_operation(doc: DocumentView):
    """(name, start, end) of the operation named where the document states its period, or None."""
    period = stated_period(doc)
    if period is None or not doc.text:
        return None
    s, e = _sentence(doc.text, period[0].start)
    return next(operation_names(doc, s, e), None)


@corpus_check("periods")
def check(docs: list[DocumentView]) -> list[Finding]:
    stated: dict[str, list] = {}
    for d in docs:
        op = d.info.operation if d.info is not None else None
        if not op or not d.info.period:
            continue
        pm = next((m for m in d.mentions if m.type == "date" and m.value == d.info.period), None)
        if pm is not None:
            stated.setdefault(_fold(op.name), []).append((d, pm, op))
    out = []
    for items in stated.values():
        for i, (da, a, oa) in enumerate(items):
            for db, b, ob in items[i + 1:]:
                if da.name == db.name or a.value == b.value:
                    continue
                out.append(Finding(
                    "cross_source_conflict",
                    f"{da.name} dates '{oa.name}' {a.value} ('{a.text}'), {db.name} dates it {b.value} ('{b.text}').",
                    [Evidence(doc=da.name, start=a.start, end=a.end, text=a.text),
                     Evidence(doc=da.name, start=oa.start, end=oa.end, text=oa.name),
                     Evidence(doc=db.name, start=b.start, end=b.end, text=b.text),
                     Evidence(doc=db.name, start=ob.start, end=ob.end, text=ob.name)]))
    return out
