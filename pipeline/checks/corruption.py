"""corrupt_text: a span where the source text is garbled, so values there are unreliable.

The spans come from the `muster_corruption` component (`pipeline.extract.corruption`):
stray symbols ("|:.7||", a lone "[" or "+"), fused numbers ("334950团军"), missing
numerals ("第师"), date-like numbers that cannot be read ("224" in a March narrative),
lines broken mid-clause.  The check sees them as `DocumentView.corrupt` (records
with `start, end, text, reason` and, when present, `note`, in original offsets) and
makes one flag per span.  Fused dates that were recovered with certainty (321日 ->
XXXX-03-21) are mentions with `recovered: true`, not flags.
"""
from __future__ import annotations

from pipeline.checks import DocumentView, Finding, document_check
from pipeline.records import Evidence


def _get(span, key, default=None):
    return span.get(key, default) if isinstance(span, dict) else getattr(span, key, default)


def message(text: str, reason: str | None, note: str | None) -> str:
    shown = text.replace("\n", "\\n").replace("\r", "\\r")
    what = reason or "garbled text"
    detail = f": {note}" if note else ""
    return f"Garbled source text '{shown}' ({what}){detail}. Values read at this place are unreliable."


@document_check("corruption")
def check(doc: DocumentView) -> list[Finding]:
    out = []
    seen = set()
    for span in sorted(getattr(doc, "corrupt", None) or [], key=lambda s: (_get(s, "start"), _get(s, "end"))):
        start, end = _get(span, "start"), _get(span, "end")
        if start is None or end is None or start >= end or (start, end) in seen:
            continue
        seen.add((start, end))
        text = _get(span, "text")
        if text is None:
            text = doc.text[start:end]
        out.append(Finding("corrupt_text", message(text, _get(span, "reason"), _get(span, "note")),
                           [Evidence(doc=doc.name, start=start, end=end, text=text)]))
    return out
