"""corrupt_text: a span where the source text is garbled, so values there are unreliable.

The spans come from the `muster_corruption` component (`pipeline.extract.corruption`):
stray symbols ("|:.7||", a lone "[" or "+"), fused numbers ("334950团军"), missing
numerals ("第师"), date-like numbers that cannot be read ("224" in a March narrative),
lines broken mid-clause.  The check sees them as `DocumentView.corrupt` (records
with `start, end, text, reason` and, when present, `note`, in original offsets).

Neighbouring spans of one region become ONE flag with every span as evidence, so a reviewer
judges a garbled sentence once: two spans are neighbours when they lie in the same sentence
(no sentence end 。！？!?；; or ". " and no line break between them) and at most
`REGION_GAP` code points apart.  A span with no neighbour stays a flag of its own, with the
same message and id as before aggregation.  Fused dates that were recovered with certainty (321日 ->
XXXX-03-21) are mentions with `recovered: true`, not flags.
"""
from __future__ import annotations

import re

from pipeline.checks import DocumentView, Finding, document_check
from pipeline.records import Evidence

REGION_GAP = 40                      # code points between two spans of one region, at most
_REGION_BREAK = re.compile(r"[。！？!?；;\n\r]|\.(?:\s|$)")


def _get(span, key, default=None):
    return span.get(key, default) if isinstance(span, dict) else getattr(span, key, default)


def message(text: str, reason: str | None, note: str | None) -> str:
    shown = text.replace("\n", "\\n").replace("\r", "\\r")
    what = reason or "garbled text"
    detail = f": {note}" if note else ""
    return f"Garbled source text '{shown}' ({what}){detail}. Values read at this place are unreliable."


def region_message(items: list[tuple[str, str | None]]) -> str:
    shown = ", ".join(f"'{t.replace(chr(10), chr(92) + 'n').replace(chr(13), chr(92) + 'r')}' ({r or 'garbled text'})"
                      for t, r in items)
    return (f"Garbled source text in {len(items)} places of one passage: {shown}. "
            f"Values read in this passage are unreliable.")


def _neighbours(doc: DocumentView, a_end: int, b_start: int) -> bool:
    if b_start - a_end > REGION_GAP:
        return False
    gap = doc.text[a_end:b_start] if doc.text else ""
    return not _REGION_BREAK.search(gap)


@document_check("corruption")
def check(doc: DocumentView) -> list[Finding]:
    spans = []
    seen = set()
    for span in sorted(getattr(doc, "corrupt", None) or [], key=lambda s: (_get(s, "start"), _get(s, "end"))):
        start, end = _get(span, "start"), _get(span, "end")
        if start is None or end is None or start >= end or (start, end) in seen:
            continue
        seen.add((start, end))
        text = _get(span, "text")
        if text is None:
            text = doc.text[start:end]
        spans.append((start, end, text, _get(span, "reason"), _get(span, "note")))
    regions: list[list[tuple]] = []
    for sp in spans:
        if regions and doc.text and _neighbours(doc, max(s[1] for s in regions[-1]), sp[0]):
            regions[-1].append(sp)
        else:
            regions.append([sp])
    out = []
    for region in regions:
        ev = [Evidence(doc=doc.name, start=s, end=e, text=t) for s, e, t, _, _ in region]
        if len(region) == 1:
            _, _, text, reason, note = region[0]
            msg = message(text, reason, note)
        else:
            msg = region_message([(t, r) for _, _, t, r, _ in region])
        out.append(Finding("corrupt_text", msg, ev))
    return out
