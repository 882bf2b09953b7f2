"""The review page: the flag list, a flag's evidence in its paragraphs, and the keyboard script.

All HTML is made here on the server, with every document string escaped (`render.esc`,
`render.highlight`); the script only fetches these fragments, inserts them, and posts decisions
with the session token. The page's Content-Security-Policy (set by the server) allows only the
script and style carrying this session's nonce, so even text that slipped through escaping could
not run.
"""
from __future__ import annotations

import json

from pipeline.review.corpus import Corpus, Item, paragraph_range, window
from pipeline.review.render import BASE_CSS, KIND_HELP, Mark, esc, highlight, kind_label, lang_attr, lang_words

SEVERITIES = ("error", "warning", "info")


def _short_time(iso: str | None) -> str:
    if not iso:
        return ""
    return iso[:16].replace("T", " ") + " UTC"


SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def _version(item: Item) -> str:
    r = item.review
    return r.last.uid if r and r.history else ""


def list_item(item: Item, order: int = 0) -> str:
    docs = item.docs
    r = item.review
    has_note = bool(r and r.note)
    text = " ".join([item.id, item.message, kind_label(item.kind), *(str(d) for d in docs),
                     *(str(e.get("text") or "") for e in item.evidence), (r.note or "") if r else ""]).lower()
    conf = item.confidence if item.confidence is not None else ""
    return (
        f'<li class="item" role="option" tabindex="-1" data-id="{esc(item.id)}" data-kind="{esc(item.kind)}" '
        f'data-severity="{esc(item.severity)}" data-status="{esc(item.status)}" data-version="{esc(_version(item))}" '
        f'data-note="{"1" if has_note else "0"}" data-order="{order}" data-doc="{esc(docs[0] if docs else "")}" '
        f'data-sev-rank="{SEVERITY_RANK.get(item.severity, 9)}" data-confidence="{esc(conf)}" data-text="{esc(text)}" '
        f'data-docs="{esc(json.dumps([str(d) for d in docs], ensure_ascii=False))}" data-present="{"1" if item.present else "0"}">'
        f'<div class="row1"><span class="pill st-{esc(item.status)}" data-role="status">{esc(item.status)}</span>'
        f'<span class="kind">{esc(kind_label(item.kind))}</span>'
        f'<span class="has-note" title="has a note" aria-label="has a note">✎</span>'
        f'<span class="sev sev-{esc(item.severity)}">{esc(item.severity)}</span></div>'
        f'<div class="msg">{esc(item.message)}</div>'
        f'<div class="docs">{esc(", ".join(str(d) for d in docs))}</div></li>')


def login_page(*, nonce: str, problem: str = "") -> str:
    """The form asking for the secret `muster review --allow-remote` printed (or was given)."""
    bad = f'<p class="problem">{esc(problem)}</p>' if problem else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>muster review · log in</title><style nonce="{esc(nonce)}">{BASE_CSS}
.login {{ max-width:420px; margin:12vh auto; background:#fff; border:1px solid var(--line); border-radius:10px; padding:18px 22px; }}
.login input {{ font:inherit; width:100%; padding:6px 8px; margin:6px 0 12px; }}
.problem {{ color:#b42318; }}</style></head>
<body><form class="login" method="post" action="/login"><h1>muster review</h1>{bad}
<label>Secret (printed by <code>muster review</code> when it started, or the one given to it)
<input type="password" name="secret" autocomplete="current-password" autofocus required></label>
<button type="submit">Log in</button></form></body></html>"""


def _options(name: str, label: str, values: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{esc(v)}">{esc(t)}</option>' for v, t in values)
    return (f'<label>{esc(label)} <select id="f-{name}" data-filter="{name}">'
            f'<option value="">all</option>{opts}</select></label>')


def page(corpus: Corpus, *, token: str, nonce: str, reviewer: str, poll_ms: int = 3000) -> str:
    items = corpus.items()
    counts = corpus.counts()
    kinds = sorted({i.kind for i in items})
    docs = sorted({d for i in items for d in i.docs if d})
    count_html = "".join(
        f'<span class="pill st-{s}" data-count="{s}">{counts.get(s, 0)} {s}</span>' for s in counts)
    problems = "".join(f'<p class="problem">{esc(p)}</p>' for p in corpus.problems)
    prog = progress(corpus)
    filters = (
        _options("status", "status", [(s, s) for s in ("open", "accepted", "dismissed", "stale")])
        + _options("kind", "kind", [(k, kind_label(k)) for k in kinds])
        + _options("severity", "severity", [(s, s) for s in SEVERITIES])
        + _options("doc", "document", [(d, d) for d in docs]))
    rows = "".join(list_item(i, n) for n, i in enumerate(items))
    sorts = "".join(f'<option value="{v}">{t}</option>' for v, t in SORTS)
    empty = "" if items else '<p class="empty">No flags in this output directory.</p>'
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="muster-token" content="{esc(token)}">
<meta name="muster-reviewer" content="{esc(reviewer)}">
<title>muster review · {esc(corpus.out_dir.name or str(corpus.out_dir))}</title>
<style nonce="{esc(nonce)}">{BASE_CSS}{REVIEW_CSS}</style></head>
<body data-poll="{int(poll_ms)}">
<header class="top">
  <div class="brand">muster <span>review</span></div>
  <div class="where mono" title="{esc(corpus.out_dir)}">{esc(corpus.out_dir)}</div>
  <div class="progress" id="progress" title="decided (accepted or dismissed) of the flags in the latest run">
    <progress id="progress-bar" max="{prog["total"]}" value="{prog["decided"]}"></progress>
    <span id="progress-text">{prog["decided"]} / {prog["total"]} decided</span></div>
  <div class="counts">{count_html}</div>
  <button type="button" class="who" id="who" title="change the name recorded with your decisions">reviewer
    <b id="who-name"></b></button>
  <button type="button" class="help-btn" data-action="help" title="keyboard shortcuts">?</button>
</header>
<nav class="filters">{filters}
  <label>search <input type="search" id="f-q" placeholder="message, evidence, note, id" autocomplete="off"></label>
  <label>sort <select id="sort">{sorts}</select></label>
  <span class="shown" id="shown"></span>
  <button type="button" class="bulk" data-bulk="accepted" title="accept every flag shown (asks first; z undoes)">Accept shown…</button>
  <button type="button" class="bulk" data-bulk="dismissed" title="dismiss every flag shown (asks first; z undoes)">Dismiss shown…</button>
  <span class="keys"><kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> accept · <kbd>d</kbd> dismiss · <kbd>s</kbd> skip ·
  <kbd>n</kbd> note · <kbd>u</kbd> reopen · <kbd>z</kbd> undo · <kbd>/</kbd> search</span></nav>
<div id="banner" class="banner" role="alert" hidden></div>
<form id="who-form" class="who-form" hidden><label>Your name, recorded with every decision you make in this browser
  <input id="who-input" maxlength="60" autocomplete="name" required></label>
  <button type="submit">Start reviewing</button></form>
{problems}
<main>
  <ul id="list" class="list" role="listbox" aria-label="flags">{rows}</ul>{empty}
  <section id="detail" class="detail" aria-live="polite"><p class="hint">Select a flag (or press <kbd>j</kbd>).</p></section>
</main>
<div id="toast" class="toast" role="status" aria-live="polite"></div>
<div id="help" class="help" hidden>
  <h2>Keyboard</h2>
  <table><tr><td><kbd>j</kbd> <kbd>↓</kbd></td><td>next flag</td></tr>
  <tr><td><kbd>k</kbd> <kbd>↑</kbd></td><td>previous flag</td></tr>
  <tr><td><kbd>a</kbd></td><td>accept: a real inconsistency (then next)</td></tr>
  <tr><td><kbd>d</kbd></td><td>dismiss: not an inconsistency (then next)</td></tr>
  <tr><td><kbd>n</kbd></td><td>write a note (<kbd>Enter</kbd> saves, <kbd>Shift+Enter</kbd> new line, <kbd>Esc</kbd> cancels)</td></tr>
  <tr><td><kbd>u</kbd></td><td>reopen (undecided again)</td></tr>
  <tr><td><kbd>s</kbd></td><td>skip: the next open flag, deciding nothing</td></tr>
  <tr><td><kbd>z</kbd></td><td>undo your last decision (or bulk action)</td></tr>
  <tr><td><kbd>/</kbd></td><td>search (<kbd>Enter</kbd> or <kbd>Esc</kbd> back to the list)</td></tr>
  <tr><td><kbd>?</kbd></td><td>this help</td></tr></table>
  <p>Every decision is saved at once to <code>muster.sqlite</code> and <code>reviews.json</code>
  in the output directory, and survives re-runs. The list follows other reviewers' decisions by
  itself; a decision on a flag someone else decided after you loaded it is refused, and you are told
  who decided what.</p>
</div>
<script nonce="{esc(nonce)}">{REVIEW_JS}</script>
</body></html>"""


SORTS = (("", "list order"), ("doc", "document"), ("kind", "kind"), ("confidence", "confidence"),
         ("severity", "severity"))


def progress(corpus: Corpus) -> dict:
    present = [i for i in corpus.items() if i.present]
    return {"decided": sum(i.status in ("accepted", "dismissed") for i in present), "total": len(present)}


def _group(evidence: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for e in evidence:
        out.setdefault(str(e.get("doc")), []).append(e)
    return out


def paragraph_html(corpus: Corpus, doc: str, evidence: list[dict], index: int) -> str | None:
    src = corpus.source_for(doc, evidence)
    if src.text is None or not 0 <= index < len(src.paragraphs):
        return None
    a, b = src.paragraphs[index]
    marks = [Mark(e["start"], e["end"], f"ev ev-{k}", "evidence") for k, e in enumerate(evidence)
             if e.get("doc") == doc and isinstance(e.get("start"), int) and isinstance(e.get("end"), int)]
    spans = [(m.start, m.end) for m in marks if m.end > a and m.start < b]
    lo, hi = window(src.text, a, b, spans)
    before = '<span class="cut">… </span>' if lo > a else ""
    after = '<span class="cut"> …</span>' if hi < b else ""
    return (f'<p class="para" data-para="{index}">{before}{highlight(src.text, lo, hi, marks)}{after}</p>')


def _pane(corpus: Corpus, item: Item, doc: str, evs: list[dict]) -> str:
    info = corpus.docs.get(doc)
    code = info.info.get("lang") if info else None
    lang = esc(lang_words(code)) if info else ""
    la = lang_attr(code)
    index = {id(e): k for k, e in enumerate(item.evidence)}
    spans = " ".join(f'<button type="button" class="chip" data-ev="{index.get(id(e), -1)}" title="show in the text">'
                     f'{esc(e.get("text"))}<span class="mono"> {esc(e.get("start"))}–{esc(e.get("end"))}</span></button>'
                     for e in evs)
    head = (f'<h3><span class="docname">{esc(doc)}</span> <span class="lang">{lang}</span></h3>'
            f'<div class="chips"{la}>{spans}</div>')
    src = corpus.source_for(doc, evs)
    if src.text is None:
        quotes = "".join(f'<p class="para alone"{la}><mark class="ev">{esc(e.get("text"))}</mark></p>' for e in evs)
        return (f'<section class="pane">{head}<p class="missing">Context not shown: {esc(src.problem)}. '
                f'The evidence text alone:</p>{quotes}</section>')
    idx: set[int] = set()
    for e in evs:
        first, last = paragraph_range(src.paragraphs, e["start"], e["end"])
        idx.update(range(first, last + 1))
    order = sorted(idx)
    parts = []
    for n, i in enumerate(order):
        if n and i - order[n - 1] > 1:
            parts.append('<p class="gap">⋯</p>')
        parts.append(paragraph_html(corpus, doc, item.evidence, i) or "")
    lo, hi = order[0], order[-1]
    total = len(src.paragraphs)
    nav_before = (f'<button type="button" class="more" data-more="before" data-doc="{esc(doc)}" '
                  f'data-para="{lo - 1}"{" disabled" if lo == 0 else ""}>▲ earlier paragraph</button>')
    nav_after = (f'<button type="button" class="more" data-more="after" data-doc="{esc(doc)}" '
                 f'data-para="{hi + 1}"{" disabled" if hi >= total - 1 else ""}>▼ later paragraph</button>')
    shown = [str(i + 1) for i in order]
    where = (f'paragraph {shown[0]}' if len(shown) == 1 else
             f'paragraphs {shown[0]}–{shown[-1]}' if order == list(range(lo, hi + 1)) else
             f'paragraphs {", ".join(shown)}') + f' of {total}'
    return (f'<section class="pane">{head}<div class="where-para">{esc(where)}</div>{nav_before}'
            f'<div class="paras"{la}>{"".join(parts)}</div>{nav_after}</section>')


def detail(corpus: Corpus, item: Item) -> str:
    groups = _group(item.evidence)
    panes = "".join(_pane(corpus, item, doc, evs) for doc, evs in groups.items())
    cols = "two" if len(groups) > 1 else "one"
    r = item.review
    history = ""
    if r and r.history:
        rows = "".join(
            f'<li><span class="pill st-{esc("open" if d.decision == "reopened" else d.decision if d.decision != "note" else "note")}">'
            f'{esc(d.decision)}</span> <b>{esc(d.reviewer)}</b> <span class="when">{esc(_short_time(d.created_at))}</span>'
            + (' <span class="tag">undo</span>' if d.undoes else "") + (' <span class="tag">bulk</span>' if d.batch and not d.undoes else "")
            + (f'<div class="note-text">{esc(d.note)}</div>' if d.note else "") + "</li>"
            for d in reversed(r.history))
        history = f'<section class="history"><h4>Decisions</h4><ol>{rows}</ol></section>'
    stale = f'<p class="stale-note">{esc(item.stale_reason)}</p>' if item.stale_reason else ""
    if item.present:
        actions = ('<div class="actions">'
                   '<button type="button" class="act accept" data-action="accepted"><kbd>a</kbd> Accept</button>'
                   '<button type="button" class="act dismiss" data-action="dismissed"><kbd>d</kbd> Dismiss</button>'
                   '<button type="button" class="act" data-action="note"><kbd>n</kbd> Note</button>'
                   '<button type="button" class="act" data-action="reopened"><kbd>u</kbd> Reopen</button>'
                   '</div>'
                   '<form class="note-form" id="note-form" hidden>'
                   '<textarea id="note-text" rows="3" placeholder="A note for this flag (Enter saves, Esc cancels)">'
                   f'{esc(r.note if r and r.note else "")}</textarea>'
                   '<div class="form-hint"><kbd>Enter</kbd> saves · <kbd>Shift+Enter</kbd> new line · '
                   '<kbd>Esc</kbd> cancels</div></form>')
    else:
        actions = '<p class="gone">This flag is not in the latest run, so there is nothing to decide; the decision is kept for the record.</p>'
    return (f'<article class="flag" data-id="{esc(item.id)}" data-version="{esc(_version(item))}" '
            f'data-present="{"1" if item.present else "0"}"><div class="conflict" id="conflict" role="alert" hidden></div>'
            f'<header><h2>{esc(kind_label(item.kind))}</h2>'
            f'<span class="pill st-{esc(item.status)}" data-role="status">{esc(item.status)}</span>'
            f'<span class="sev sev-{esc(item.severity)}">{esc(item.severity)}</span>'
            f'<span class="fid mono">{esc(item.id)}</span></header>'
            f'<p class="kind-help">{esc(KIND_HELP.get(item.kind, ""))}</p>'
            f'<p class="message">{esc(item.message)}</p>{stale}{actions}'
            f'<div class="panes {cols}">{panes}</div>{history}</article>')


REVIEW_CSS = """
body { height:100vh; display:flex; flex-direction:column; }
.top { display:flex; align-items:center; gap:16px; padding:10px 18px; background:#16283d; color:#eef2f6; }
.brand { font-weight:700; font-size:18px; letter-spacing:.02em; } .brand span { font-weight:400; opacity:.75; }
.where { opacity:.7; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; max-width:30vw; }
.counts { display:flex; gap:6px; margin-left:auto; } .counts .pill { background:#fff; }
.who { font-size:13px; opacity:.85; }
.help-btn { border:1px solid #6b7c90; background:transparent; color:#eef2f6; border-radius:50%; width:26px; height:26px; cursor:pointer; }
.filters { display:flex; flex-wrap:wrap; gap:14px; align-items:center; padding:8px 18px; background:#fff;
  border-bottom:1px solid var(--line); font-size:13px; color:var(--muted); }
.filters select { font:inherit; padding:3px 6px; border:1px solid var(--line); border-radius:6px; background:#fff; max-width:190px; }
.filters .keys { margin-left:auto; } kbd { font:11px ui-monospace,monospace; border:1px solid #c8cdd4; border-bottom-width:2px;
  border-radius:4px; padding:0 5px; background:#f6f8fa; color:var(--ink); }
.problem { margin:0; padding:6px 18px; background:#fff4e5; color:#7a4b00; font-size:13px; }
main { flex:1; display:grid; grid-template-columns: minmax(280px, 32%) 1fr; min-height:0; }
.list { list-style:none; margin:0; padding:0; overflow-y:auto; border-right:1px solid var(--line); background:#fff; }
.item { padding:10px 14px; border-bottom:1px solid #eef0f3; cursor:pointer; border-left:4px solid transparent; }
.item:hover { background:#f6f8fa; }
.item[aria-selected="true"] { background:#eaf2fc; border-left-color:var(--accent); }
.item .row1 { display:flex; gap:8px; align-items:center; }
.item .kind { font-weight:600; font-size:14px; }
.item .sev { margin-left:auto; }
.item .msg { font-size:13px; color:#343a40; margin-top:3px; display:-webkit-box; -webkit-line-clamp:2; -webkit-box-orient:vertical; overflow:hidden; }
.item .docs { font-size:11px; color:var(--muted); margin-top:2px; font-family:ui-monospace,monospace; }
.item[data-status="accepted"] .kind, .item[data-status="dismissed"] .kind { color:var(--muted); }
.empty, .hint { color:var(--muted); padding:24px; }
.detail { overflow-y:auto; padding:18px 26px 40px; }
.flag header { display:flex; gap:10px; align-items:center; flex-wrap:wrap; }
.flag h2 { margin:0; font-size:21px; }
.flag .fid { color:var(--muted); margin-left:auto; }
.kind-help { margin:2px 0 8px; color:var(--muted); font-size:13px; }
.message { font-size:16px; margin:6px 0 12px; max-width:80ch; }
.stale-note { background:#f3efff; border-left:4px solid var(--stale); padding:8px 12px; color:#4b2a91; }
.gone { color:var(--muted); font-style:italic; }
.actions { display:flex; gap:8px; margin:8px 0 14px; }
.act { font:inherit; font-size:14px; padding:6px 12px; border-radius:8px; border:1px solid var(--line); background:#fff; cursor:pointer; }
.act:hover { border-color:#9aa4b1; } .act.accept { border-color:#8cc79d; } .act.dismiss { border-color:#e0c27a; }
.note-form textarea { width:100%; max-width:80ch; font:inherit; padding:8px; border-radius:8px; border:1px solid #9aa4b1; margin-bottom:12px; }
.panes.two { display:grid; grid-template-columns: 1fr 1fr; gap:18px; }
.pane { background:var(--panel); border:1px solid var(--line); border-radius:10px; padding:12px 16px; margin-bottom:14px; min-width:0; }
.pane h3 { margin:0 0 4px; font-size:14px; font-family:ui-monospace,monospace; font-weight:600; }
.pane .lang { color:var(--muted); font-weight:400; }
.chips { display:flex; flex-wrap:wrap; gap:6px; margin-bottom:6px; }
.chip { background:#fff8dc; border:1px solid #ecd27e; border-radius:6px; padding:0 6px; font:inherit; font-size:13px;
  white-space:pre-wrap; cursor:pointer; color:inherit; }
.chip:hover { border-color:var(--ev-line); }
mark.ev.flash { outline:2px solid var(--accent); outline-offset:1px; }
.form-hint { font-size:12px; color:var(--muted); margin:-8px 0 12px; }
.chip .mono { color:var(--muted); }
.where-para { font-size:12px; color:var(--muted); }
.para { margin:8px 0; } .para.alone { padding:6px 10px; border-left:3px solid var(--ev-line); }
.gap { text-align:center; color:var(--muted); margin:0; }
.cut { color:var(--muted); }
.more { font:inherit; font-size:12px; color:var(--accent); background:none; border:none; cursor:pointer; padding:2px 0; }
.more[disabled] { color:#b0b7c0; cursor:default; }
.missing { color:#7a4b00; background:#fff4e5; padding:6px 10px; border-radius:6px; font-size:13px; }
.history h4 { margin:10px 0 4px; font-size:13px; color:var(--muted); text-transform:uppercase; letter-spacing:.05em; }
.history ol { list-style:none; padding:0; margin:0; font-size:13px; }
.history li { padding:4px 0; border-bottom:1px dotted var(--line); }
.history .when { color:var(--muted); } .note-text { white-space:pre-wrap; margin:2px 0 0 4px; }
.st-note { color:#0b6e99; }
.toast { position:fixed; bottom:16px; left:50%; transform:translateX(-50%); background:#16283d; color:#fff; padding:6px 14px;
  border-radius:8px; font-size:13px; opacity:0; transition:opacity .2s; pointer-events:none; }
.toast.show { opacity:.95; } .toast.bad { background:#b42318; }
.help { position:fixed; top:70px; right:24px; background:#fff; border:1px solid var(--line); border-radius:10px; padding:12px 18px;
  box-shadow:0 8px 30px rgba(0,0,0,.15); max-width:420px; font-size:13px; }
.help h2 { margin:0 0 6px; font-size:15px; } .help td { padding:2px 8px 2px 0; } .help td:first-child { white-space:nowrap; }
.progress { display:flex; align-items:center; gap:6px; font-size:13px; margin-left:auto; }
.progress progress { width:110px; height:8px; }
[hidden] { display:none !important; }
.counts { margin-left:0; }
button.who { font:inherit; font-size:13px; color:#eef2f6; background:transparent; border:1px solid #6b7c90; border-radius:6px; padding:2px 8px; cursor:pointer; }
.who-form { display:flex; gap:10px; align-items:end; padding:12px 18px; background:#fff8dc; border-bottom:1px solid #ecd27e; font-size:14px; }
.who-form input { font:inherit; padding:4px 8px; margin-left:8px; min-width:220px; }
.banner { padding:8px 18px; background:#fde8e8; color:#8a1c1c; font-size:14px; display:flex; gap:12px; align-items:center; }
.banner.info { background:#e8f1fd; color:#16283d; }
.banner button, .conflict button { font:inherit; font-size:13px; padding:2px 10px; border-radius:6px; border:1px solid currentColor; background:#fff; cursor:pointer; color:inherit; }
.conflict { background:#fde8e8; border-left:4px solid #b42318; color:#8a1c1c; padding:8px 12px; margin:6px 0 10px; }
#f-q { font:inherit; padding:3px 6px; border:1px solid var(--line); border-radius:6px; width:200px; }
.bulk { font:inherit; font-size:12px; padding:3px 8px; border-radius:6px; border:1px solid var(--line); background:#fff; cursor:pointer; }
.item .has-note { display:none; color:#0b6e99; font-size:13px; } .item[data-note="1"] .has-note { display:inline; }
.item.saving { opacity:.6; }
.tag { font-size:11px; color:var(--muted); border:1px solid var(--line); border-radius:4px; padding:0 4px; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } .list { max-height:38vh; } .panes.two { grid-template-columns:1fr; } }
"""

REVIEW_JS = r"""
(() => {
  'use strict';
  let token = document.querySelector('meta[name="muster-token"]').content;
  const defaultReviewer = document.querySelector('meta[name="muster-reviewer"]').content;
  const POLL_MS = Number(document.body.dataset.poll || 3000);
  const list = document.getElementById('list');
  const detail = document.getElementById('detail');
  const toastEl = document.getElementById('toast');
  const help = document.getElementById('help');
  const banner = document.getElementById('banner');
  const whoForm = document.getElementById('who-form');
  const whoInput = document.getElementById('who-input');
  const search = document.getElementById('f-q');
  const sortSel = document.getElementById('sort');
  const filters = [...document.querySelectorAll('[data-filter]')];
  let current = null, toastTimer = null, loadSeq = 0, busy = false, lastAction = null, runSig = null;
  let reviewer = '';
  try { reviewer = localStorage.getItem('muster-reviewer') || ''; } catch (e) { reviewer = ''; }

  const items = () => [...list.querySelectorAll('li.item')];
  const visible = () => items().filter(li => !li.hidden);
  const byId = id => items().find(li => li.dataset.id === id) || null;
  const sleep = ms => new Promise(r => setTimeout(r, ms));

  function toast(text, bad) {
    toastEl.textContent = text;
    toastEl.className = 'toast show' + (bad ? ' bad' : '');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { toastEl.className = 'toast'; }, bad ? 4000 : 1800);
  }
  function showBanner(text, reload, info) {
    banner.textContent = text;
    banner.className = 'banner' + (info ? ' info' : '');
    if (reload) {
      const b = document.createElement('button');
      b.type = 'button'; b.textContent = 'Reload the page'; b.addEventListener('click', () => location.reload());
      banner.appendChild(b);
    }
    banner.hidden = false;
  }
  function hideBanner() { if (!banner.classList.contains('info')) banner.hidden = true; }

  // ---------------------------------------------------------------- who is reviewing
  function setReviewer(name) {
    reviewer = name;
    try { localStorage.setItem('muster-reviewer', name); } catch (e) { /* private mode: this tab only */ }
    document.getElementById('who-name').textContent = name;
  }
  function askName() {
    whoForm.hidden = false;
    whoInput.value = reviewer || defaultReviewer;
    whoInput.focus();
    whoInput.select();
  }
  whoForm.addEventListener('submit', e => {
    e.preventDefault();
    const v = whoInput.value.trim();
    if (!v) return;
    setReviewer(v);
    whoForm.hidden = true;
    whoInput.blur();
  });
  document.getElementById('who').addEventListener('click', askName);

  // ---------------------------------------------------------------- talking to the server
  async function renewSession() {
    try {
      const r = await fetch('/api/session', {cache: 'no-store'});
      if (!r.ok) return false;
      token = (await r.json()).token;
      return true;
    } catch (e) { return false; }
  }
  // POST with the session token; a restarted server (new token) is recovered from once, an
  // unreachable one is retried for a few seconds, and the action is sent again, not lost.
  async function send(path, body) {
    let renewed = false;
    for (let tries = 0; tries < 12; tries++) {
      let r = null;
      try {
        r = await fetch(path, {method: 'POST', cache: 'no-store',
          headers: {'Content-Type': 'application/json', 'X-Muster-Token': token}, body: JSON.stringify(body)});
      } catch (e) { r = null; }
      if (r === null) {
        showBanner('The review server cannot be reached; trying again…');
        await sleep(500);
        continue;
      }
      const text = await r.text();
      let data = null;
      try { data = JSON.parse(text); } catch (e) { data = {message: text}; }
      if ((r.status === 403 || r.status === 401) && data && (data.error === 'session' || data.error === 'login')) {
        if (data.error === 'session' && !renewed) {
          renewed = true;
          if (await renewSession()) { toast('The review server was restarted: reconnected'); continue; }
        }
        showBanner('The review server was restarted and this page could not reconnect: reload the page. ' +
                   'Your last action was not saved.', true);
        return {ok: false, status: r.status, data: data, shown: true};
      }
      hideBanner();
      return {ok: r.ok, status: r.status, data: data};
    }
    showBanner('The review server cannot be reached: your last action was not saved. Reload the page when it is back.', true);
    return {ok: false, status: 0, data: null, shown: true};
  }

  // ---------------------------------------------------------------- list state
  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    for (const s of filters) { if (p.has(s.dataset.filter)) s.value = p.get(s.dataset.filter); }
    if (p.has('q')) search.value = p.get('q');
    if (p.has('sort')) sortSel.value = p.get('sort');
    return p.get('flag');
  }
  function writeHash() {
    const p = new URLSearchParams();
    for (const s of filters) { if (s.value) p.set(s.dataset.filter, s.value); }
    if (search.value) p.set('q', search.value);
    if (sortSel.value) p.set('sort', sortSel.value);
    if (current) p.set('flag', current.dataset.id);
    history.replaceState(null, '', '#' + p.toString());
  }

  function matches(li) {
    for (const s of filters) {
      const v = s.value, k = s.dataset.filter;
      if (!v) continue;
      if (k === 'doc') { if (!JSON.parse(li.dataset.docs).includes(v)) return false; }
      else if (li.dataset[k] !== v) return false;
    }
    const q = search.value.trim().toLowerCase();
    if (q && !q.split(/\s+/).every(w => li.dataset.text.includes(w))) return false;
    return true;
  }
  function applyFilters(keepCurrent) {
    for (const li of items()) li.hidden = !matches(li);
    const v = visible();
    document.getElementById('shown').textContent = v.length + ' of ' + items().length + ' shown';
    if (!keepCurrent && current && current.hidden) select(v[0] || null);
    writeHash();
  }
  const SORT_KEYS = {
    doc: li => li.dataset.doc, kind: li => li.dataset.kind, severity: li => li.dataset.sevRank,
    confidence: li => li.dataset.confidence === '' ? 2 : 1 - Number(li.dataset.confidence),
  };
  function sortList() {
    const key = SORT_KEYS[sortSel.value];
    const sorted = items().sort((a, b) => {
      if (key) { const x = key(a), y = key(b); if (x < y) return -1; if (x > y) return 1; }
      return Number(a.dataset.order) - Number(b.dataset.order);
    });
    for (const li of sorted) list.appendChild(li);
    writeHash();
  }

  async function select(li) {
    for (const x of items()) x.removeAttribute('aria-selected');
    current = li;
    writeHash();
    if (!li) { detail.innerHTML = '<p class="hint">No flag matches these filters.</p>'; return; }
    li.setAttribute('aria-selected', 'true');
    li.scrollIntoView({block: 'nearest'});
    const seq = ++loadSeq;
    let r = null;
    try { r = await fetch('/flag/' + encodeURIComponent(li.dataset.id), {cache: 'no-store'}); } catch (e) { r = null; }
    if (seq !== loadSeq) return;
    detail.innerHTML = r && r.ok ? await r.text() : '<p class="missing">This flag could not be loaded.</p>';
    detail.scrollTop = 0;
  }

  function move(step) {
    const v = visible();
    if (!v.length) return;
    let i = v.indexOf(current);
    i = i < 0 ? 0 : Math.min(v.length - 1, Math.max(0, i + step));
    select(v[i]);
  }
  function skip() {
    const v = visible();
    const i = v.indexOf(current);
    const next = v.slice(i + 1).find(li => li.dataset.status === 'open' && li.dataset.present === '1')
      || v.slice(0, Math.max(0, i)).find(li => li.dataset.status === 'open' && li.dataset.present === '1');
    if (next) select(next); else toast('No other open flag among those shown');
  }

  function applyState(li, f) {
    if (!li || !f) return;
    li.dataset.status = f.status;
    li.dataset.version = f.version;
    li.dataset.note = f.note ? '1' : '0';
    const pill = li.querySelector('[data-role="status"]');
    pill.textContent = f.status;
    pill.className = 'pill st-' + f.status;
  }
  function applyStates(flags) { for (const [id, f] of Object.entries(flags || {})) applyState(byId(id), f); }
  function setCounts(counts, progress) {
    for (const [k, n] of Object.entries(counts || {})) {
      const el = document.querySelector('[data-count="' + k + '"]');
      if (el) el.textContent = n + ' ' + k;
    }
    if (progress) {
      const bar = document.getElementById('progress-bar');
      bar.max = progress.total; bar.value = progress.decided;
      document.getElementById('progress-text').textContent = progress.decided + ' / ' + progress.total + ' decided';
    }
  }
  function showConflict(message) {
    const box = document.getElementById('conflict');
    if (box) { box.textContent = message + '. Your decision was not recorded; the flag is shown as it is now.'; box.hidden = false; }
    toast(message, true);
  }

  // ---------------------------------------------------------------- deciding
  const VERB = {accepted: 'Accepted', dismissed: 'Dismissed', reopened: 'Reopened', note: 'Note saved'};
  async function decide(decision, note) {
    const li = current;
    if (!li || busy) return;
    if (!reviewer) { askName(); return; }
    if (li.dataset.present !== '1') { toast('This flag is gone from the latest run; its decision is kept.', true); return; }
    const target = decision === 'reopened' ? 'open' : decision;
    if (decision !== 'note' && li.dataset.status === target) { toast('Already ' + target + ': nothing recorded'); return; }
    busy = true;
    li.classList.add('saving');
    let res;
    try {
      res = await send('/api/decision', {flag_id: li.dataset.id, decision: decision, note: note || null,
                                         reviewer: reviewer, base: li.dataset.version});
    } finally { busy = false; li.classList.remove('saving'); }
    if (!res.ok) {
      if (res.status === 409 && res.data) {
        applyState(li, res.data.flag);
        setCounts(res.data.counts, res.data.progress);
        await select(li);
        showConflict(res.data.message);
      } else if (!res.shown) toast('Not saved: ' + ((res.data && res.data.message) || res.status), true);
      return;
    }
    const d = res.data;
    applyStates(d.flags);
    setCounts(d.counts, d.progress);
    if (d.unchanged) { toast('Already ' + d.status + ': nothing recorded'); return; }
    if (decision !== 'note') lastAction = {uid: d.decision.uid, flag: li.dataset.id};
    toast(VERB[decision] + ' — saved' + (decision !== 'note' ? ' (z undoes)' : ''));
    if (decision === 'accepted' || decision === 'dismissed') {
      const v = visible();
      const next = v[v.indexOf(li) + 1];
      applyFilters(true);
      if (next && !next.hidden) select(next); else if (!li.hidden) select(li); else select(visible()[0] || null);
    } else {
      applyFilters(true);
      select(li.hidden ? (visible()[0] || null) : li);
    }
  }

  async function undo() {
    if (busy) return;
    if (!lastAction) { toast('Nothing to undo', true); return; }
    busy = true;
    let res;
    try {
      const body = lastAction.batch ? {batch: lastAction.batch} : {uid: lastAction.uid};
      body.reviewer = reviewer;
      res = await send('/api/undo', body);
    } finally { busy = false; }
    if (!res.ok) {
      if (res.status === 409 && res.data) { applyState(byId(res.data.flag_id), res.data.flag); toast('Not undone: ' + res.data.message, true); }
      else if (!res.shown) toast('Not undone: ' + ((res.data && res.data.message) || res.status), true);
      return;
    }
    applyStates(res.data.flags);
    setCounts(res.data.counts, res.data.progress);
    const back = lastAction.flag ? byId(lastAction.flag) : current;
    lastAction = null;
    toast('Undone (' + res.data.undone + (res.data.undone === 1 ? ' flag)' : ' flags)'));
    applyFilters(true);
    select(back && !back.hidden ? back : (current || visible()[0] || null));
  }

  async function bulk(decision) {
    if (busy) return;
    if (!reviewer) { askName(); return; }
    const verb = decision === 'accepted' ? 'Accept' : 'Dismiss';
    const target = visible().filter(li => li.dataset.present === '1' && li.dataset.status !== decision);
    if (!target.length) { toast('No flag shown to ' + verb.toLowerCase()); return; }
    if (!confirm(verb + ' all ' + target.length + ' flags shown (as ' + reviewer + ')? z undoes it in one step.')) return;
    busy = true;
    let res;
    try {
      res = await send('/api/bulk', {decision: decision, reviewer: reviewer,
                                     flags: target.map(li => ({id: li.dataset.id, base: li.dataset.version}))});
    } finally { busy = false; }
    if (!res.ok) {
      if (res.status === 409 && res.data) {
        applyState(byId(res.data.flag_id), res.data.flag);
        setCounts(res.data.counts, res.data.progress);
        toast('Nothing saved: ' + res.data.message, true);
      } else if (!res.shown) toast('Not saved: ' + ((res.data && res.data.message) || res.status), true);
      return;
    }
    applyStates(res.data.flags);
    setCounts(res.data.counts, res.data.progress);
    if (res.data.batch) lastAction = {batch: res.data.batch};
    toast(verb + 'ed ' + res.data.changed + ' flags — saved (z undoes)');
    applyFilters(true);
    if (current) select(current);
  }

  // ---------------------------------------------------------------- other reviewers
  async function poll() {
    try {
      if (!document.hidden) {
        const r = await fetch('/api/state', {cache: 'no-store'});
        if (r.ok) {
          const st = await r.json();
          if (runSig !== null && st.run !== runSig) {
            showBanner('The run changed (new results were written): reload the page to see them.', true, true);
          }
          runSig = st.run;
          let mine = null;
          for (const [id, f] of Object.entries(st.flags)) {
            const li = byId(id);
            if (!li || li.dataset.version === f.version) continue;
            applyState(li, f);
            if (li === current) mine = f;
          }
          setCounts(st.counts, st.progress);
          if (mine && !busy) {
            const box = detail.querySelector('.note-form:not([hidden])');
            if (!box) await select(current);
            toast((mine.by || 'someone') + ' ' + (mine.decision === 'note' ? 'wrote a note on' : mine.decision) + ' this flag');
          }
        }
      }
    } catch (e) { /* the server is away: the next decision says so */ }
    setTimeout(poll, POLL_MS);
  }

  // ---------------------------------------------------------------- the rest of the page
  function openNote() {
    const form = document.getElementById('note-form');
    if (!form) return;
    form.hidden = false;
    const ta = document.getElementById('note-text');
    ta.focus();
    ta.setSelectionRange(ta.value.length, ta.value.length);
  }

  async function more(btn) {
    const para = Number(btn.dataset.para);
    if (btn.disabled || para < 0) return;
    const url = '/context?flag=' + encodeURIComponent(current.dataset.id) + '&doc=' +
      encodeURIComponent(btn.dataset.doc) + '&para=' + para;
    const r = await fetch(url, {cache: 'no-store'});
    if (r.status === 204 || !r.ok) { btn.disabled = true; return; }
    const html = await r.text();
    const paras = btn.parentElement.querySelector('.paras');
    if (btn.dataset.more === 'before') {
      paras.insertAdjacentHTML('afterbegin', html);
      btn.dataset.para = para - 1;
      if (para - 1 < 0) btn.disabled = true;
    } else {
      paras.insertAdjacentHTML('beforeend', html);
      btn.dataset.para = para + 1;
      if (r.headers.get('X-Last-Paragraph') === '1') btn.disabled = true;
    }
  }

  list.addEventListener('click', e => { const li = e.target.closest('li.item'); if (li) select(li); });
  detail.addEventListener('click', e => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.dataset.ev !== undefined) {
      const m = b.closest('.pane').querySelector('mark.ev-' + Number(b.dataset.ev));
      if (m) {
        m.scrollIntoView({block: 'center', behavior: 'smooth'});
        m.classList.add('flash');
        setTimeout(() => m.classList.remove('flash'), 1200);
      }
    } else if (b.dataset.more) more(b);
    else if (b.dataset.action === 'note') openNote();
    else if (b.dataset.action) { b.blur(); decide(b.dataset.action); }
  });
  detail.addEventListener('keydown', e => {
    if (e.target.id !== 'note-text') return;
    if (e.isComposing || e.keyCode === 229) return;      // an input method is composing: Enter is its
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      const text = e.target.value.trim();
      if (text) decide('note', text); else document.getElementById('note-form').hidden = true;
    } else if (e.key === 'Escape') {
      e.preventDefault();
      document.getElementById('note-form').hidden = true;
      e.target.blur();
    }
  });
  document.querySelector('.help-btn').addEventListener('click', () => { help.hidden = !help.hidden; });
  // a filter picked with the mouse gives the focus back to the page, so the keys work at once
  for (const s of filters) s.addEventListener('change', () => { applyFilters(false); s.blur(); });
  sortSel.addEventListener('change', () => { sortList(); sortSel.blur(); });
  search.addEventListener('input', () => applyFilters(false));
  search.addEventListener('keydown', e => {
    if (e.isComposing || e.keyCode === 229) return;
    if (e.key === 'Enter' || e.key === 'Escape') { e.preventDefault(); search.blur(); if (!current) move(1); }
  });
  for (const b of document.querySelectorAll('[data-bulk]')) b.addEventListener('click', () => { b.blur(); bulk(b.dataset.bulk); });

  document.addEventListener('keydown', e => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if (t && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || t.tagName === 'SELECT')) return;
    const k = e.key;
    if (k === 'j' || k === 'ArrowDown') { e.preventDefault(); move(1); }
    else if (k === 'k' || k === 'ArrowUp') { e.preventDefault(); move(-1); }
    else if (k === 'a') { e.preventDefault(); decide('accepted'); }
    else if (k === 'd') { e.preventDefault(); decide('dismissed'); }
    else if (k === 'u') { e.preventDefault(); decide('reopened'); }
    else if (k === 'n') { e.preventDefault(); openNote(); }
    else if (k === 's') { e.preventDefault(); skip(); }
    else if (k === 'z') { e.preventDefault(); undo(); }
    else if (k === '/') { e.preventDefault(); search.focus(); search.select(); }
    else if (k === '?') { help.hidden = !help.hidden; }
    else if (k === 'Escape') { help.hidden = true; }
  });

  if (reviewer) document.getElementById('who-name').textContent = reviewer; else askName();
  const wanted = readHash();
  sortList();
  applyFilters(true);
  const start = (wanted && items().find(li => li.dataset.id === wanted && !li.hidden)) || visible()[0];
  if (start) select(start);
  setTimeout(poll, POLL_MS);
  document.body.dataset.ready = '1';
})();
"""
