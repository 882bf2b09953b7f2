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


def list_item(item: Item) -> str:
    docs = item.docs
    return (
        f'<li class="item" role="option" tabindex="-1" data-id="{esc(item.id)}" data-kind="{esc(item.kind)}" '
        f'data-severity="{esc(item.severity)}" data-status="{esc(item.status)}" '
        f'data-docs="{esc(json.dumps([str(d) for d in docs], ensure_ascii=False))}" data-present="{"1" if item.present else "0"}">'
        f'<div class="row1"><span class="pill st-{esc(item.status)}" data-role="status">{esc(item.status)}</span>'
        f'<span class="kind">{esc(kind_label(item.kind))}</span>'
        f'<span class="sev sev-{esc(item.severity)}">{esc(item.severity)}</span></div>'
        f'<div class="msg">{esc(item.message)}</div>'
        f'<div class="docs">{esc(", ".join(str(d) for d in docs))}</div></li>')


def _options(name: str, label: str, values: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{esc(v)}">{esc(t)}</option>' for v, t in values)
    return (f'<label>{esc(label)} <select id="f-{name}" data-filter="{name}">'
            f'<option value="">all</option>{opts}</select></label>')


def page(corpus: Corpus, *, token: str, nonce: str, reviewer: str) -> str:
    items = corpus.items()
    counts = corpus.counts()
    kinds = sorted({i.kind for i in items})
    docs = sorted({d for i in items for d in i.docs if d})
    count_html = "".join(
        f'<span class="pill st-{s}" data-count="{s}">{counts.get(s, 0)} {s}</span>' for s in counts)
    problems = "".join(f'<p class="problem">{esc(p)}</p>' for p in corpus.problems)
    filters = (
        _options("status", "status", [(s, s) for s in ("open", "accepted", "dismissed", "stale")])
        + _options("kind", "kind", [(k, kind_label(k)) for k in kinds])
        + _options("severity", "severity", [(s, s) for s in SEVERITIES])
        + _options("doc", "document", [(d, d) for d in docs]))
    rows = "".join(list_item(i) for i in items)
    empty = "" if items else '<p class="empty">No flags in this output directory.</p>'
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="muster-token" content="{esc(token)}">
<title>muster review · {esc(corpus.out_dir.name or str(corpus.out_dir))}</title>
<style nonce="{esc(nonce)}">{BASE_CSS}{REVIEW_CSS}</style></head>
<body>
<header class="top">
  <div class="brand">muster <span>review</span></div>
  <div class="where mono" title="{esc(corpus.out_dir)}">{esc(corpus.out_dir)}</div>
  <div class="counts">{count_html}</div>
  <div class="who">reviewer <b>{esc(reviewer)}</b></div>
  <button type="button" class="help-btn" data-action="help" title="keyboard shortcuts">?</button>
</header>
<nav class="filters">{filters}<span class="shown" id="shown"></span>
  <span class="keys"><kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> accept · <kbd>d</kbd> dismiss ·
  <kbd>n</kbd> note · <kbd>u</kbd> reopen</span></nav>
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
  <tr><td><kbd>?</kbd></td><td>this help</td></tr></table>
  <p>Every decision is saved at once to <code>muster.sqlite</code> and <code>reviews.json</code>
  in the output directory, and survives re-runs.</p>
</div>
<script nonce="{esc(nonce)}">{REVIEW_JS}</script>
</body></html>"""


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
    return (f'<article class="flag" data-id="{esc(item.id)}" data-present="{"1" if item.present else "0"}">'
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
@media (max-width: 900px) { main { grid-template-columns: 1fr; } .list { max-height:38vh; } .panes.two { grid-template-columns:1fr; } }
"""

REVIEW_JS = r"""
(() => {
  'use strict';
  const token = document.querySelector('meta[name="muster-token"]').content;
  const list = document.getElementById('list');
  const detail = document.getElementById('detail');
  const toastEl = document.getElementById('toast');
  const help = document.getElementById('help');
  const filters = [...document.querySelectorAll('[data-filter]')];
  let current = null, toastTimer = null, loadSeq = 0;

  const items = () => [...list.querySelectorAll('li.item')];
  const visible = () => items().filter(li => !li.hidden);

  function toast(text, bad) {
    toastEl.textContent = text;
    toastEl.className = 'toast show' + (bad ? ' bad' : '');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { toastEl.className = 'toast'; }, 1800);
  }

  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    for (const s of filters) { if (p.has(s.dataset.filter)) s.value = p.get(s.dataset.filter); }
    return p.get('flag');
  }
  function writeHash() {
    const p = new URLSearchParams();
    for (const s of filters) { if (s.value) p.set(s.dataset.filter, s.value); }
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
    return true;
  }
  function applyFilters(keepCurrent) {
    for (const li of items()) li.hidden = !matches(li);
    const v = visible();
    document.getElementById('shown').textContent = v.length + ' of ' + items().length + ' shown';
    if (!keepCurrent && current && current.hidden) select(v[0] || null);
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
    const r = await fetch('/flag/' + encodeURIComponent(li.dataset.id), {cache: 'no-store'});
    if (seq !== loadSeq) return;
    detail.innerHTML = r.ok ? await r.text() : '<p class="missing">This flag could not be loaded.</p>';
    detail.scrollTop = 0;
  }

  function move(step) {
    const v = visible();
    if (!v.length) return;
    let i = v.indexOf(current);
    i = i < 0 ? 0 : Math.min(v.length - 1, Math.max(0, i + step));
    select(v[i]);
  }

  function setStatus(li, status) {
    li.dataset.status = status;
    const pill = li.querySelector('[data-role="status"]');
    pill.textContent = status;
    pill.className = 'pill st-' + status;
  }
  function setCounts(counts) {
    for (const [k, n] of Object.entries(counts)) {
      const el = document.querySelector('[data-count="' + k + '"]');
      if (el) el.textContent = n + ' ' + k;
    }
  }

  async function decide(decision, note) {
    const li = current;
    if (!li) return;
    if (li.dataset.present !== '1') { toast('This flag is gone from the latest run; its decision is kept.', true); return; }
    let r;
    try {
      r = await fetch('/api/decision', {
        method: 'POST', cache: 'no-store',
        headers: {'Content-Type': 'application/json', 'X-Muster-Token': token},
        body: JSON.stringify({flag_id: li.dataset.id, decision: decision, note: note || null}),
      });
    } catch (e) { toast('Not saved: the review server cannot be reached.', true); return; }
    if (!r.ok) { toast('Not saved: ' + (await r.text()), true); return; }
    const res = await r.json();
    setStatus(li, res.status);
    setCounts(res.counts);
    toast(decision === 'note' ? 'Note saved' : (decision === 'reopened' ? 'Reopened' : decision[0].toUpperCase() + decision.slice(1)) + ' — saved');
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
    else if (b.dataset.action) decide(b.dataset.action);
  });
  detail.addEventListener('keydown', e => {
    if (e.target.id !== 'note-text') return;
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
  for (const s of filters) s.addEventListener('change', () => applyFilters(false));

  document.addEventListener('keydown', e => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || t.tagName === 'SELECT')) return;
    const k = e.key;
    if (k === 'j' || k === 'ArrowDown') { e.preventDefault(); move(1); }
    else if (k === 'k' || k === 'ArrowUp') { e.preventDefault(); move(-1); }
    else if (k === 'a') { e.preventDefault(); decide('accepted'); }
    else if (k === 'd') { e.preventDefault(); decide('dismissed'); }
    else if (k === 'u') { e.preventDefault(); decide('reopened'); }
    else if (k === 'n') { e.preventDefault(); openNote(); }
    else if (k === '?') { help.hidden = !help.hidden; }
    else if (k === 'Escape') { help.hidden = true; }
  });

  const wanted = readHash();
  applyFilters(true);
  const start = (wanted && items().find(li => li.dataset.id === wanted && !li.hidden)) || visible()[0];
  if (start) select(start);
  document.body.dataset.ready = '1';
})();
"""
