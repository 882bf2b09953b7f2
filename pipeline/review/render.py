"""HTML pieces shared by the review page and the static report.

Every piece of document text goes through `esc()`; highlighting splits the text on the server
into escaped segments at code-point offsets (`highlight()`), so the browser never does offset
arithmetic (JavaScript counts UTF-16 units, Python code points) and never parses document text
as markup.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from pipeline.review.words import date_words, formation_words, side_words

KIND_LABELS = {
    "conversion_mismatch": "Conversion mismatch",
    "unit_mislabel": "Unit mislabelled",
    "name_variant": "Name variant",
    "date_out_of_range": "Date out of range",
    "commander_conflict": "Commander conflict",
    "arithmetic_mismatch": "Figures do not add up",
    "corrupt_text": "Garbled text",
    "cross_source_conflict": "Sources disagree",
}
KIND_HELP = {
    "conversion_mismatch": "two renderings of one quantity (miles and km) disagree",
    "unit_mislabel": "a stated conversion has the same or the wrong unit on one side",
    "name_variant": "one person seems to be written two different ways",
    "date_out_of_range": "an event is dated outside the period the document itself states",
    "commander_conflict": "one formation is given two commanders for the same period",
    "arithmetic_mismatch": "parts and whole, losses and strength, or a ratio and its figures disagree",
    "corrupt_text": "the source text is garbled here, so values read here are unreliable",
    "cross_source_conflict": "two documents give different values for the same fact",
}
STATUS_LABELS = {"open": "open", "accepted": "accepted", "dismissed": "dismissed", "stale": "stale"}
MENTION_TYPES = ("date", "formation", "person", "casualty", "strength", "measurement", "place")


LANG_WORDS = {"en": "English", "zh-Hant": "Chinese (Traditional)", "zh-Hans": "Chinese (Simplified)", "zh": "Chinese"}


def text_lang(lang: str | None) -> str:
    """The HTML lang of a document's text: en, zh-Hant, zh-Hans as the run recorded it; "und" if unknown."""
    return lang if lang else "und"


def lang_words(lang: str | None) -> str:
    return LANG_WORDS.get(lang or "", lang or "language unknown")


def lang_attr(lang: str | None) -> str:
    return f' lang="{esc(text_lang(lang))}"'


def esc(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


@dataclass
class Mark:
    start: int
    end: int
    cls: str
    title: str | None = None


def highlight(text: str, start: int, end: int, marks: list[Mark]) -> str:
    """text[start:end] as escaped HTML, with <mark> around every (possibly overlapping) span.

    The text is cut at every mark boundary; each piece is escaped and wrapped in one <mark>
    carrying the classes and titles of all marks covering it, so overlaps never nest badly.
    """
    marks = [m for m in marks if m.start < m.end and m.end > start and m.start < end]
    bounds = {start, end}
    for m in marks:
        bounds.add(max(start, m.start))
        bounds.add(min(end, m.end))
    cuts = sorted(bounds)
    starts = sorted(marks, key=lambda m: m.start)
    active: list[Mark] = []
    k = 0
    out = []
    for a, b in zip(cuts, cuts[1:]):
        while k < len(starts) and starts[k].start <= a:
            active.append(starts[k])
            k += 1
        active = [m for m in active if m.end > a]
        piece = esc(text[a:b])
        if not active:
            out.append(piece)
            continue
        classes = " ".join(dict.fromkeys(c for m in active for c in m.cls.split()))
        titles = "; ".join(dict.fromkeys(m.title for m in active if m.title))
        title = f' title="{esc(titles)}"' if titles else ""
        out.append(f'<mark class="{esc(classes)}"{title}>{piece}</mark>')
    return "".join(out)


def mention_title(m: dict) -> str:
    """A mention's normalized value in words (no internal codes)."""
    t = m.get("type")
    if t == "date":
        return f"date: {date_words(m.get('value'))}"
    if t == "formation":
        return "formation: " + formation_words(m)
    if t == "person":
        return f"person: {m.get('name')}" + (f" ({m['rank']})" if m.get("rank") else "")
    if t in ("casualty", "strength"):
        lo, hi = m.get("low"), m.get("high")
        val = f"{lo:,}" if lo == hi and lo is not None else f"{lo if lo is not None else '…'}–{hi if hi is not None else '…'}"
        what = m.get("category") if t == "casualty" else m.get("what")
        what = (what or "").replace("_", " ")
        if m.get("equipment"):
            what = f"{what}: {m['equipment']}"
        side = side_words(m.get("side"))
        return f"{t}: {val} {what}" + (" (approx.)" if m.get("approx") else "") + (f", {side}" if side else "")
    if t == "measurement":
        return f"distance: {m.get('low')}–{m.get('high')} {m.get('unit')} = {m.get('km_low')}–{m.get('km_high')} km"
    if t == "place":
        return f"place: {m.get('name')}"
    return str(t)


def entity_words(e: dict) -> str:
    """An entity's name in words: formations from their key ("5th Army (side unknown)")."""
    if e.get("type") == "formation" and isinstance(e.get("key"), dict):
        return formation_words(e["key"])
    return str(e.get("name") or "")


BASE_CSS = """
:root { --ink:#1f2328; --muted:#5b6470; --line:#d9dde3; --paper:#fbfaf7; --panel:#ffffff;
  --accent:#1d4e89; --ok:#1a7f37; --no:#8a5a00; --stale:#8250df; --open:#57606a;
  --ev:#ffe08a; --ev-line:#d4a017; }
* { box-sizing: border-box; }
body { margin:0; color:var(--ink); background:var(--paper);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
.doctext, .para { font-family: Georgia, "Noto Serif", "DejaVu Serif", "Liberation Serif", "Times New Roman", serif;
  font-size:16px; line-height:1.7; white-space: pre-wrap; overflow-wrap: anywhere; }
:lang(zh-Hant) { font-family: "Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC", "Microsoft JhengHei", sans-serif; }
:lang(zh-Hans) { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
.para:lang(zh-Hant), .doctext:lang(zh-Hant) { font-family: "Noto Serif CJK TC", "Source Han Serif TC", "Songti TC",
  "PMingLiU", serif; }
.para:lang(zh-Hans), .doctext:lang(zh-Hans) { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC",
  "SimSun", serif; }
.pill { display:inline-block; padding:1px 8px; border-radius:999px; font-size:12px; font-weight:600;
  border:1px solid currentColor; white-space:nowrap; }
.st-open { color:var(--open); } .st-accepted { color:var(--ok); } .st-dismissed { color:var(--no); }
.st-stale { color:var(--stale); }
.sev { font-size:12px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
.sev-error { color:#b42318; } .sev-warning { color:#9a6700; }
mark { background:none; color:inherit; padding:0; }
mark.ev { background:var(--ev); box-shadow: inset 0 -2px 0 var(--ev-line); border-radius:2px; }
mark.m-date { background:#dbeafe; } mark.m-formation { background:#dcfce7; } mark.m-person { background:#fce7f3; }
mark.m-casualty { background:#fee2e2; } mark.m-strength { background:#ffedd5; }
mark.m-measurement { background:#e0f2fe; } mark.m-place { background:#ede9fe; }
mark.m-corrupt { background: repeating-linear-gradient(135deg,#f3f4f6 0 4px,#e5e7eb 4px 8px);
  outline:1px dashed #9ca3af; }
mark.flagged { text-decoration: underline wavy #d4a017; text-underline-offset: 3px; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size:12px; }
"""
