"""`OUT/report.html`: a static, offline report of a run (no scripts, no external assets).

Per document: the text with every mention highlighted by type, its entities, its flags with
their review status, and a timeline of its dated events (inline SVG: the stated period
`doc.period` shaded, events after it that were flagged in red, other events outside it
outlined).  Across documents: the casualty figures of one formation (or, for figures no
formation owns, of the document's operation) side by side per source (inline SVG bars).

The page has a Content-Security-Policy that allows no script at all, and every piece of
document text is escaped (`render.esc`/`render.highlight`).  `write_report(out_dir)` is called
at the end of every run; it reads only the run's JSON outputs, the source files and the reviews.
"""
from __future__ import annotations

import bisect
import calendar
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

from pipeline.review.corpus import Corpus, DocData, Item
from pipeline.writer import write_text
from pipeline.review.render import (BASE_CSS, KIND_HELP, MENTION_TYPES, Mark, entity_words, esc, highlight,
                                    kind_label, lang_attr, lang_words, mention_title)
from pipeline.review.words import date_words, formation_words, side_words

REPORT_NAME = "report.html"
MAX_TEXT_CHARS = 1_500_000     # full document texts shown up to this many characters; then flagged paragraphs only
MAX_DOC_SECTIONS = 400         # documents drawn in full; the rest are listed with their flags only
MAX_GROUPS = 60                 # casualty comparison groups drawn (multi-source groups first)
OPEN_ALL_UP_TO = 6              # with more documents than this, their sections start closed
STATUS_ORDER = {"open": 0, "stale": 1, "accepted": 2, "dismissed": 3}
_MENTION_DEFAULTS = dict(entity=None, approx=False, side=None, sides=None, equipment=None, what=None, category=None,
                         guards=False, branch=None, name=None, number=None, echelon=None, low=None, high=None,
                         value=None, text="")


def write_report(out_dir: Path) -> Path:
    """Write OUT/report.html (atomically) from the run's outputs and the review decisions."""
    out_dir = Path(out_dir)
    corpus = Corpus(out_dir)
    html = build(corpus)
    path = out_dir / REPORT_NAME
    write_text(path, html)
    return path


def _ns(m: dict) -> SimpleNamespace:
    return SimpleNamespace(**{**_MENTION_DEFAULTS, **m})


def _anchor(i: int) -> str:
    return f"doc-{i}"


# ------------------------------------------------------------------------------------------ build

_LANGS: dict[str, str] = {}


def _doc_lang(name) -> str | None:
    return _LANGS.get(name)


def build(corpus: Corpus) -> str:
    _LANGS.clear()
    _LANGS.update({d.name: d.info.get("lang") for d in corpus.docs.values()})
    items = corpus.items()
    docs = list(corpus.docs.values())
    anchors = {d.name: _anchor(i) for i, d in enumerate(docs) if i < MAX_DOC_SECTIONS}
    counts = corpus.counts()
    mention_total = sum(len(d.mentions) for d in docs)
    by_doc: dict[str, list[Item]] = defaultdict(list)
    for it in items:
        for name in it.docs:
            by_doc[name].append(it)
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    summary = (f'<p class="lede">{len(docs)} documents · {mention_total:,} mentions · {len(corpus.entities)} entities · '
               f'{len(corpus.flags)} flags: ' + " · ".join(
                   f'<span class="pill st-{s}">{n} {s}</span>' for s, n in counts.items()) + "</p>"
               + _as_of(corpus, generated))
    problems = "".join(f'<p class="problem">{esc(p)}</p>' for p in corpus.problems)
    toc = "".join(
        (f'<li><a href="#{anchors[d.name]}">{esc(d.name)}</a>' if d.name in anchors else f'<li>{esc(d.name)}')
        + f' <span class="muted">{esc(lang_words(d.info.get("lang")))}'
        f'{" · error" if d.info.get("status") == "error" else ""} · {len(by_doc.get(d.name, []))} flags</span></li>'
        for d in docs)
    sections = [f'<nav class="toc"><h2>Documents</h2><ol>{toc}</ol></nav>' if docs else "",
                _flags_section(items, anchors),
                _casualty_section(corpus, anchors)]
    open_all = len(docs) <= OPEN_ALL_UP_TO
    budget = MAX_TEXT_CHARS
    for i, d in enumerate(docs):
        if i == MAX_DOC_SECTIONS:
            sections.append(f'<p class="problem">{len(docs) - MAX_DOC_SECTIONS} more documents are listed above '
                            f'with their flags but not drawn here; `muster review` shows any of them.</p>')
            break
        chars = int(d.info.get("chars") or 0)
        full = chars <= budget
        budget -= chars if full else 0
        try:
            sections.append(_document_section(corpus, d, anchors[d.name], by_doc.get(d.name, []), open_all, full))
        except Exception as e:  # noqa: BLE001 - one odd record must not cost the whole report
            sections.append(f'<section id="{anchors[d.name]}" class="doc"><h2>{esc(d.name)}</h2>'
                            f'<p class="problem">This document could not be shown: {esc(type(e).__name__)}: '
                            f'{esc(e)}</p></section>')
    legend = "".join(f'<mark class="m-{t}">{t}</mark> ' for t in MENTION_TYPES) + \
        '<mark class="m-corrupt">garbled</mark> <mark class="ev">flag evidence</mark>'
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>muster report · {esc(corpus.out_dir.name or corpus.out_dir)}</title>
<style>{BASE_CSS}{REPORT_CSS}</style></head>
<body><div class="wrap">
<header class="top"><h1>muster report</h1><div class="muted mono">{esc(corpus.out_dir)} · {esc(generated)}</div></header>
{summary}{problems}
<p class="legend">{legend}</p>
{"".join(sections)}
<footer class="muted">Review decisions: <code>muster review --out {esc(corpus.out_dir)}</code>.
This page runs no script and loads nothing from the network.</footer>
</div></body></html>"""


def _as_of(corpus: Corpus, generated: str) -> str:
    """Statuses are frozen when the page is written: say when, and where the current ones are."""
    last = max((d.created_at for r in corpus.reviews.values() for d in r.history), default=None)
    latest = f" (latest decision included: {esc(last[:16].replace('T', ' '))} UTC)" if last else ""
    return (f'<p class="as-of" id="statuses-as-of">Review statuses as of {esc(generated)}{latest}. This page is '
            f'written by each run and is not updated by later decisions: <code>muster review</code> shows the '
            f'current ones.</p>')


def _evidence_list(it: Item, anchors: dict[str, str]) -> str:
    out = []
    for e in it.evidence:
        a = anchors.get(e.get("doc"))
        doc = f'<a href="#{a}">{esc(e.get("doc"))}</a>' if a else esc(e.get("doc"))
        out.append(f'<span class="chip"{lang_attr(_doc_lang(e.get("doc")))}>{esc(e.get("text"))}</span> '
                   f'<span class="muted mono">{doc}</span>')
    for value, n in (it.more_evidence or {}).items():
        out.append(f'<span class="muted">and {n:,} more of <span class="chip">{esc(value)}</span></span>')
    return "<br>".join(out)


def _flag_rows(items: list[Item], anchors: dict[str, str]) -> str:
    rows = []
    for it in sorted(items, key=lambda i: (STATUS_ORDER.get(i.status, 9), i.kind, i.id)):
        r = it.review
        note = f'<div class="note">“{esc(r.note)}”</div>' if r and r.note else ""
        who = (f'<div class="muted small">{esc(r.last.reviewer)}, {esc(r.last.created_at[:10])}</div>'
               if r and r.history else "")
        stale = f'<div class="stale small">{esc(it.stale_reason)}</div>' if it.stale_reason else ""
        rows.append(f'<tr><td><span class="pill st-{esc(it.status)}">{esc(it.status)}</span>{who}</td>'
                    f'<td><b>{esc(kind_label(it.kind))}</b><div class="sev sev-{esc(it.severity)}">{esc(it.severity)}</div></td>'
                    f'<td>{esc(it.message)}{note}{stale}</td><td>{_evidence_list(it, anchors)}</td>'
                    f'<td class="mono small">{esc(it.id)}</td></tr>')
    return "".join(rows)


def _flags_section(items: list[Item], anchors: dict[str, str]) -> str:
    if not items:
        return '<section><h2>Flags</h2><p class="muted">No flags.</p></section>'
    kinds = sorted({i.kind for i in items})
    help_ = "".join(f"<li><b>{esc(kind_label(k))}</b>: {esc(KIND_HELP.get(k, ''))}</li>" for k in kinds)
    return (f'<section><h2>Flags</h2><ul class="kinds">{help_}</ul>'
            f'<p class="muted small">Statuses as of the time at the top of this page.</p>'
            f'<table class="flags"><thead><tr><th>status</th><th>kind</th><th>message</th><th>evidence</th><th>id</th>'
            f'</tr></thead><tbody>{_flag_rows(items, anchors)}</tbody></table></section>')


# ------------------------------------------------------------------------------------------ document

def _document_section(corpus: Corpus, d: DocData, anchor: str, items: list[Item], open_: bool,
                      full: bool = True) -> str:
    info = d.info
    counts = defaultdict(int)
    for m in d.mentions:
        counts[m.get("type")] += 1
    stats = " · ".join(f"{n} {t}" for t, n in counts.items())
    meta = [esc(lang_words(info.get("lang"))), f'{info.get("chars", 0):,} characters']
    if info.get("period"):
        meta.append(f'stated period {esc(date_words(info["period"]))}')
    if info.get("operation"):
        meta.append(f'operation {esc(info["operation"].get("name"))}')
    head = (f'<summary><span class="docname">{esc(d.name)}</span> <span class="muted">{" · ".join(meta)}</span>'
            f'<div class="muted small">{esc(stats)} · {len(items)} flags</div></summary>')
    if info.get("status") == "error":
        return (f'<section class="doc"><details open>{head}<p class="problem" id="{anchor}">Not processed: '
                f'{esc(info.get("error"))}</p></details></section>')
    body = []
    flagged_spans = [(e["start"], e["end"], it) for it in items for e in it.evidence
                     if e.get("doc") == d.name and isinstance(e.get("start"), int)]
    timeline = _timeline(d, flagged_spans)
    if timeline:
        body.append(f'<h3>Timeline</h3>{timeline}')
    if items:
        body.append(f'<h3>Flags</h3><table class="flags compact"><tbody>{_flag_rows(items, {})}</tbody></table>')
    ents, n_ents = _entities_table(corpus, d)
    if ents:
        body.append(f'<details class="ents-box"><summary><h3>Entities ({n_ents})</h3></summary>{ents}</details>')
    body.append(f'<h3>Text</h3>{_doc_text(corpus, d, flagged_spans, full)}')
    # the anchor is inside <details>: following a link to it opens the section (no script needed)
    return (f'<section class="doc"><details{" open" if open_ else ""}>{head}<div class="doc-body" id="{anchor}">'
            f'{"".join(body)}</div></details></section>')


def _doc_text(corpus: Corpus, d: DocData, flagged_spans, full: bool = True) -> str:
    src = corpus.source(d.name)
    if src.text is None:
        rows = "".join(f'<tr><td>{esc(m.get("type"))}</td><td>{esc(m.get("text"))}</td><td>{esc(mention_title(m))}</td></tr>'
                       for m in d.mentions)
        return (f'<p class="problem">The text is not shown: {esc(src.problem)}. The mentions found in it:</p>'
                f'<table class="ents"><tbody>{rows}</tbody></table>')
    text = src.text
    marks = [Mark(m["start"], m["end"], f'm-{m.get("type")}', mention_title(m)) for m in d.mentions
             if isinstance(m.get("start"), int) and isinstance(m.get("end"), int)
             and text[m["start"]:m["end"]] == m.get("text")]
    marks += [Mark(c["start"], c["end"], "m-corrupt", f'garbled: {c.get("reason") or ""}') for c in d.corrupt
              if isinstance(c.get("start"), int)]
    marks += [Mark(s, e, "flagged", f'flag: {kind_label(it.kind)} ({it.status})') for s, e, it in flagged_spans
              if text[s:e] == next((ev.get("text") for ev in it.evidence
                                    if ev.get("doc") == d.name and ev.get("start") == s), text[s:e])]
    paras = src.paragraphs
    keep = range(len(paras))
    note = ""
    if not full:
        hot = [(s, e) for s, e, _ in flagged_spans] + [(c["start"], c["end"]) for c in d.corrupt
                                                          if isinstance(c.get("start"), int)]
        ends = [b for _, b in paras]
        found = set()
        for s, e in hot:                   # the paragraphs each span touches, found by bisection
            i = bisect.bisect_right(ends, s)
            while i < len(paras) and paras[i][0] < max(e, s + 1):
                found.add(i)
                i += 1
        keep = sorted(found)
        note = (f'<p class="muted small">This report shows whole texts up to {MAX_TEXT_CHARS:,} characters in all; '
                f'here only the paragraphs with flags ({len(keep)} of {len(paras)}). `muster review` shows any paragraph.</p>')
    out, prev = [], None
    # one sweep over the marks in text order: each paragraph gets the marks that reach into it
    # (in their original order), never the whole document's list
    ordered = sorted(marks, key=lambda m: m.start)
    k, active = 0, []
    for i in keep:
        if prev is not None and i - prev > 1:
            out.append('<p class="gap muted">⋯</p>')
        a, b = paras[i]
        while k < len(ordered) and ordered[k].start < b:
            active.append(ordered[k])
            k += 1
        active = [m for m in active if m.end > a]
        out.append(f'<p class="para">{highlight(text, a, b, active)}</p>')
        prev = i
    return f'{note}<div class="doctext-wrap"{lang_attr(d.info.get("lang"))}>{"".join(out)}</div>'


def _entities_table(corpus: Corpus, d: DocData) -> str:
    rows = []
    for e in corpus.entities:
        here = [m for m in e.get("mentions") or [] if m.get("doc") == d.name]
        if not here:
            continue
        others = sorted({m.get("doc") for m in e.get("mentions") or [] if m.get("doc") != d.name})
        aliases = sorted({a for v in (e.get("aliases") or {}).values() for a in (v or [])})
        rows.append((e.get("type") or "", entity_words(e), len(here), aliases, others))
    if not rows:
        return "", 0
    rows.sort(key=lambda r: (r[0], -r[2], r[1]))
    body = "".join(
        f'<tr><td><mark class="m-{esc(t)}">{esc(t)}</mark></td><td><b>{esc(n)}</b></td><td class="num">{c}</td>'
        f'<td>{esc(", ".join(a[:12]) + (" …" if len(a) > 12 else ""))}</td><td class="small">{esc(_also_in(o))}</td></tr>'
        for t, n, c, a, o in rows)
    return (f'<table class="ents"><thead><tr><th>type</th><th>name</th><th>mentions</th><th>written as</th>'
            f'<th>also in</th></tr></thead><tbody>{body}</tbody></table>', len(rows))


def _also_in(others: list[str]) -> str:
    if not others:
        return "—"
    if len(others) <= 3:
        return ", ".join(others)
    return f"{len(others)} documents: {', '.join(others[:3])}, …"


# ------------------------------------------------------------------------------------------ timeline

@dataclass
class _Event:
    start: date
    end: date
    label: str
    value: str
    yearless: bool
    flagged: bool
    outside: bool
    count: int = 1


_THIRDS = {"E": (1, 10), "M": (11, 20), "L": (21, 31)}
PLACEHOLDER_YEAR = 2000          # a leap year: 29 February exists


def parse_date(value: str, year: int | None = None) -> tuple[date, date, bool] | None:
    """(first day, last day, year stated?) of an ISO-like date value, or None if it is too vague."""
    if not value:
        return None
    if "/" in value:
        a, b = value.split("/", 1)
        pa, pb = parse_date(a, year), parse_date(b, year)
        if pa and pb and pa[0] <= pb[1]:
            return pa[0], pb[1], pa[2] and pb[2]
        return None
    m = re.fullmatch(r"(\d{4}|XXXX)-(\d{2})(?:-(\d{2}|[EML]))?", value)
    if not m:
        return None
    y_s, mo_s, d_s = m.groups()
    has_year = y_s != "XXXX"
    y = int(y_s) if has_year else (year or PLACEHOLDER_YEAR)
    mo = int(mo_s)
    if not 1 <= mo <= 12:
        return None
    last = calendar.monthrange(y, mo)[1]
    try:
        if d_s is None:
            return date(y, mo, 1), date(y, mo, last), has_year
        if d_s in _THIRDS:
            a, b = _THIRDS[d_s]
            return date(y, mo, a), date(y, mo, min(b, last)), has_year
        day = date(y, mo, int(d_s))
        return day, day, has_year
    except ValueError:
        return None


def _timeline(d: DocData, flagged_spans) -> str:
    period = parse_date(d.info.get("period") or "")
    year = d.info.get("anchor_year")
    flagged_dates = {(s, e) for s, e, it in flagged_spans if it.kind == "date_out_of_range"}
    events: dict[tuple, _Event] = {}
    for m in sorted((m for m in d.mentions if m.get("type") == "date"), key=lambda m: m.get("start", 0)):
        if d.info.get("period") and m.get("value") == d.info.get("period"):
            continue
        p = parse_date(m.get("value") or "", year)
        if p is None:
            continue
        a, b, has_year = p
        flagged = (m.get("start"), m.get("end")) in flagged_dates
        outside = bool(period) and (b < period[0] or a > period[1])
        key = (a, b)
        if key in events:
            ev = events[key]
            ev.count += 1
            ev.flagged |= flagged
            continue
        events[key] = _Event(a, b, m.get("text", ""), m.get("value", ""), not has_year, flagged, outside)
    if not events:
        return ""
    evs = sorted(events.values(), key=lambda e: (e.start, e.end))
    lo = min([e.start for e in evs] + ([period[0]] if period else []))
    hi = max([e.end for e in evs] + ([period[1]] if period else []))
    pad = max(2, (hi - lo).days // 20)
    lo, hi = lo - timedelta(days=pad), hi + timedelta(days=pad + 1)
    span = max(1, (hi - lo).days)
    W, L, R = 940, 20, 20
    inner = W - L - R

    def x(dt: date) -> float:
        return L + inner * (dt - lo).days / span

    # lanes for labels, so they never overlap
    lanes: list[float] = []
    placed = []
    for e in evs:
        label = e.label if len(e.label) <= 28 else e.label[:27] + "…"
        if e.count > 1:
            label += f" ×{e.count}"
        x0 = x(e.start)
        width = 7.2 * len(label) + 12
        lane = next((i for i, end in enumerate(lanes) if end < x0), None)
        if lane is None:
            lane = len(lanes)
            lanes.append(0)
        lanes[lane] = x0 + width
        placed.append((e, label, lane))
    axis_y = 34 + 20 * len(lanes)
    H = axis_y + 46
    parts = [f'<svg class="timeline" viewBox="0 0 {W} {H}" width="100%" role="img" '
             f'aria-label="timeline of the dated events of {esc(d.name)}" xmlns="http://www.w3.org/2000/svg">']
    if period:
        px0, px1 = x(period[0]), x(period[1] + timedelta(days=1))
        parts.append(f'<rect x="{px0:.1f}" y="8" width="{max(2, px1 - px0):.1f}" height="{axis_y - 8}" '
                     f'fill="#dbeafe" opacity="0.7"><title>stated period {esc(date_words(d.info.get("period")))}</title></rect>')
        parts.append(f'<text x="{px0 + 4:.1f}" y="20" font-size="11" fill="#1d4e89">stated period</text>')
    parts.append(f'<line x1="{L}" y1="{axis_y}" x2="{W - R}" y2="{axis_y}" stroke="#57606a"/>')
    for t, lab in _ticks(lo, hi):
        tx = x(t)
        parts.append(f'<line x1="{tx:.1f}" y1="{axis_y}" x2="{tx:.1f}" y2="{axis_y + 5}" stroke="#57606a"/>'
                     f'<text x="{tx:.1f}" y="{axis_y + 18}" font-size="11" text-anchor="middle" fill="#57606a">'
                     f'{esc(lab)}</text>')
    for e, label, lane in placed:
        x0, x1 = x(e.start), x(e.end + timedelta(days=1))
        y = 30 + 20 * lane
        color = "#b42318" if e.flagged else ("#9a6700" if e.outside else "#1f2328")
        tip = f"{e.label} = {date_words(e.value)}" + \
            (" — flagged: after the stated period" if e.flagged else " — outside the stated period" if e.outside else "")
        parts.append(f'<g><title>{esc(tip)}</title>')
        parts.append(f'<line x1="{x0:.1f}" y1="{y + 3}" x2="{x0:.1f}" y2="{axis_y}" stroke="{color}" stroke-opacity="0.35" '
                     f'stroke-dasharray="2 2"/>')
        if e.end > e.start and x1 - x0 > 6:
            parts.append(f'<rect x="{x0:.1f}" y="{axis_y - 5}" width="{x1 - x0:.1f}" height="10" rx="3" fill="{color}" '
                         f'fill-opacity="0.25" stroke="{color}"/>')
        fill = "white" if e.outside and not e.flagged else color
        parts.append(f'<circle cx="{x0:.1f}" cy="{axis_y}" r="{5 if e.flagged else 4}" fill="{fill}" stroke="{color}" '
                     f'stroke-width="1.5"/>')
        mark = "⚑ " if e.flagged else ""
        weight = ' font-weight="600"' if e.flagged else ""
        parts.append(f'<text x="{x0 + 4:.1f}" y="{y}" font-size="12" fill="{color}"{weight}>'
                     f'{esc(mark + label)}</text></g>')
    parts.append("</svg>")
    legend = ('<div class="muted small">Shaded: the period the document states. '
              '<span class="red">⚑ red</span>: flagged as after that period; '
              '<span class="amber">hollow</span>: outside it but not flagged (background, plans).'
              + (" Dates without a year are placed in the document's year." if any(e.yearless for e in evs) else "")
              + "</div>")
    return "".join(parts) + legend


def _ticks(lo: date, hi: date) -> list[tuple[date, str]]:
    days = (hi - lo).days
    out = []
    if days > 900:
        for y in range(lo.year + 1, hi.year + 1):
            out.append((date(y, 1, 1), str(y)))
        return out
    if days > 75:
        y, mo = lo.year, lo.month
        while True:
            mo += 1
            if mo > 12:
                y, mo = y + 1, 1
            t = date(y, mo, 1)
            if t > hi:
                break
            out.append((t, t.strftime("%b %Y") if mo == 1 or not out else t.strftime("%b")))
        return out
    step = 1 if days <= 16 else 7 if days <= 120 else 14
    t = lo + timedelta(days=1)
    if step == 7:
        t += timedelta(days=(7 - t.weekday()) % 7)      # Mondays
    while t < hi:
        out.append((t, f"{t.day} {t.strftime('%b')}"))
        t += timedelta(days=step)
    return out


# ------------------------------------------------------------------------------------------ casualties

def _casualty_groups(corpus: Corpus):
    from pipeline.checks import DocumentView
    from pipeline.checks.arithmetic import owner, sentences

    ent_names = {e.get("id"): entity_words(e) for e in corpus.entities}
    groups: dict[tuple, dict] = {}
    for d in corpus.docs.values():
        if d.info.get("status") == "error":
            continue
        src = corpus.source(d.name)
        text = src.text or ""
        ms = [_ns(m) for m in d.mentions]
        view = DocumentView(d.name, text, ms, d.info.get("lang") or "und")
        spans = sentences(text, view.lang) if text else []
        op = (d.info.get("operation") or {}).get("name")
        for m in ms:
            if m.type != "casualty":
                continue
            o = owner(view, m, spans) if text else None
            if o is not None:
                key = ("formation", o.entity or f"{o.side}|{o.echelon}|{o.number}|{o.branch}|{o.guards}|{o.name}")
                name = ent_names.get(o.entity) or formation_words(o)
                label = f"{o.text} ({name})" if name and name != o.text else o.text
            elif op:
                key = ("operation", op.lower())
                label = op
            else:
                continue
            side = m.side or ("+".join(m.sides) if m.sides else None)
            what = m.category.replace("_", " ") + (f": {m.equipment}" if m.equipment else "")
            gkey = key + (m.category, m.equipment, side)
            g = groups.setdefault(gkey, {"label": label, "what": what, "side": side, "rows": []})
            g["rows"].append((d.name, m))
    return groups


def _casualty_section(corpus: Corpus, anchors: dict[str, str]) -> str:
    groups = _casualty_groups(corpus)
    if not groups:
        return ('<section><h2>Casualty figures across sources</h2><p class="muted">No casualty figure could be tied '
                'to a formation or an operation.</p></section>')
    conflict_spans = {(e.get("doc"), e.get("start")) for f in corpus.flags if f.get("kind") == "cross_source_conflict"
                      for e in f.get("evidence") or []}
    ordered = sorted(groups.values(), key=lambda g: (-len({r[0] for r in g["rows"]}), g["label"], g["what"]))
    multi = [g for g in ordered if len({r[0] for r in g["rows"]}) > 1]
    note = ("" if multi else '<p class="muted small">No formation or operation has casualty figures in more than one '
            'source yet; each figure is shown with its source.</p>')
    shown = ordered[:MAX_GROUPS]
    more = (f'<p class="muted small">{len(ordered) - MAX_GROUPS} more groups are not drawn.</p>'
            if len(ordered) > MAX_GROUPS else "")
    docs = sorted({r[0] for g in shown for r in g["rows"]})
    palette = ["#1d4e89", "#c2410c", "#15803d", "#7e22ce", "#0e7490", "#a16207", "#be123c", "#4d7c0f"]
    colour = {name: palette[i % len(palette)] for i, name in enumerate(docs)}
    return ('<section><h2>Casualty figures across sources</h2>'
            '<p class="muted small">Each group is one formation (or, for figures no formation owns, the operation the '
            'document describes), one category and side; one bar per figure, coloured by source, scaled within the '
            'group. A lighter bar end is the upper end of a range; ≈ marks an approximate figure; → one with no upper '
            'bound.</p>' + note + _bars_svg(shown, colour, conflict_spans) + more +
            '<p class="small">' + " ".join(f'<span class="swatch" style="background:{c}"></span>{esc(n)}'
                                           for n, c in colour.items()) + '</p></section>')


def _bars_svg(groups: list[dict], colour: dict[str, str], conflict_spans: set) -> str:
    W, LABEL, RIGHT = 940, 300, 150
    inner = W - LABEL - RIGHT
    row_h, head_h = 22, 24
    height = sum(head_h + row_h * len(g["rows"]) + 8 for g in groups) + 8
    parts = [f'<svg class="bars" viewBox="0 0 {W} {height}" width="100%" role="img" '
             f'aria-label="casualty figures by formation and source" xmlns="http://www.w3.org/2000/svg">']
    y = 8
    for g in groups:
        disagree = any((doc, m.start) in conflict_spans for doc, m in g["rows"])
        side = f' ({" and ".join(side_words(x) for x in g["side"].split("+"))})' if g["side"] else ""
        title = f'{g["label"]} — {g["what"]}{side}'
        parts.append(f'<text x="0" y="{y + 15}" font-size="13" font-weight="600" fill="#1f2328">{esc(title)}</text>')
        if disagree:
            parts.append(f'<text x="{W}" y="{y + 15}" font-size="12" text-anchor="end" fill="#b42318">'
                         f'sources disagree</text>')
        y += head_h
        top = max((m.high if m.high is not None else m.low or 0) for _, m in g["rows"]) or 1
        for doc, m in g["rows"]:
            c = colour.get(doc, "#57606a")
            lo = m.low if m.low is not None else 0
            hi = m.high
            w_lo = inner * lo / top
            parts.append(f'<g><title>{esc(doc)}: {esc(m.text)}</title>')
            parts.append(f'<text x="{LABEL - 8}" y="{y + 15}" font-size="12" text-anchor="end" fill="#57606a">'
                         f'{esc(_short(doc, 40))}</text>')
            opacity = ' fill-opacity="0.6"' if m.approx else ""
            parts.append(f'<rect x="{LABEL}" y="{y + 4}" width="{max(1.5, w_lo):.1f}" height="14" rx="2" fill="{c}"'
                         f'{opacity}/>')
            end = LABEL + w_lo
            if hi is not None and hi > lo:
                w_hi = inner * (hi - lo) / top
                parts.append(f'<rect x="{end:.1f}" y="{y + 4}" width="{w_hi:.1f}" height="14" rx="2" fill="{c}" '
                             f'fill-opacity="0.25"/>')
                end += w_hi
            value = _value_text(m)
            parts.append(f'<text x="{end + 6:.1f}" y="{y + 15}" font-size="12" fill="#1f2328">{esc(value)}</text></g>')
            y += row_h
        y += 8
    parts.append("</svg>")
    return "".join(parts)


def _value_text(m) -> str:
    lo, hi = m.low, m.high
    approx = "≈ " if m.approx else ""
    if lo is not None and hi is not None and lo != hi:
        return f"{approx}{lo:,.0f}–{hi:,.0f}"
    if lo is not None and hi is None:
        return f"≥ {lo:,.0f} →"
    if lo is None and hi is not None:
        return f"< {hi:,.0f}"
    return f"{approx}{lo:,.0f}" if lo is not None else "?"


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


REPORT_CSS = """
.wrap { max-width: 1100px; margin: 0 auto; padding: 20px 28px 60px; }
.top h1 { margin: 0; font-size: 26px; } .top { border-bottom: 2px solid #16283d; padding-bottom: 8px; margin-bottom: 10px; }
.muted { color: var(--muted); } .small { font-size: 12px; } .num { text-align: right; }
.lede { font-size: 15px; } .legend mark { padding: 1px 5px; border-radius: 3px; font-size: 12px; }
.problem { background:#fff4e5; color:#7a4b00; padding:6px 10px; border-radius:6px; font-size:13px; }
h2 { font-size: 20px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; color: #16283d; }
.toc ol { columns: 2; font-size: 13px; } .toc a { color: var(--accent); }
.kinds { font-size: 13px; color: #343a40; padding-left: 20px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; background: #fff; }
th, td { border-bottom: 1px solid #eef0f3; padding: 6px 8px; text-align: left; vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: #f6f8fa; }
.flags td:first-child { white-space: nowrap; }
.chip { background:#fff8dc; border:1px solid #ecd27e; border-radius:5px; padding:0 5px; white-space:pre-wrap; }
.note { font-style: italic; margin-top: 3px; color: #0b6e99; } .stale { color: var(--stale); margin-top: 3px; }
.as-of { font-size: 13px; background:#eef4fb; border-left: 4px solid var(--accent); padding: 6px 10px; }
.doc details { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px 16px; margin: 14px 0; }
.doc summary { cursor: pointer; font-size: 15px; } .docname { font-family: ui-monospace, monospace; font-weight: 700; }
.ents-box summary { cursor: pointer; } .ents-box summary h3 { display: inline; } .para { margin: 10px 0; max-width: 80ch; }
.para mark { border-radius: 2px; padding: 0 1px; }
svg { display:block; margin: 6px 0; font-family: system-ui, sans-serif; }
.red { color:#b42318; } .amber { color:#9a6700; }
.swatch { display:inline-block; width:10px; height:10px; border-radius:2px; margin: 0 4px 0 12px; }
footer { margin-top: 40px; font-size: 12px; }
@media print { .doc details { border: none; } }
"""
