"""The review page and report.html in a real browser (Debian's chromium driven by playwright; no
browser download): keyboard review whose decision survives a re-run, and script payloads in a
document that never run. Screenshots go to test-artifacts/ for a person to look at.

`make test` installs chromium first (the Makefile's `browser` target). Without it these tests
are skipped locally, and fail under CI, where a missing browser must not pass silently.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.review.report import write_report
from pipeline.review.server import make_server

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


def _require_browser():
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -e '.[test]')")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing.append("chromium (make browser)")
    if missing:
        if os.environ.get("CI"):
            pytest.fail("browser tests need " + " and ".join(missing))
        pytest.skip("browser tests need " + " and ".join(missing))


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                              args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def serve():
    servers = []

    def start(out: Path, reviewer: str = "tess"):
        server, app, url = make_server(out, port=0, reviewer=reviewer)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return app, url

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


def _open(browser, url, reviewer="tess", context=None):
    page = context.new_page() if context else browser.new_page(viewport={"width": 1360, "height": 900})
    if reviewer:      # the name a browser reviews under, as if asked before
        page.add_init_script(f"localStorage.setItem('muster-reviewer', {reviewer!r})")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    page.wait_for_selector("#detail article.flag")
    return page, errors


def test_keyboard_review_survives_a_rerun(browser, serve, template_run, run_out, flags_of):
    src, _ = template_run
    app, url = serve(run_out)
    page, errors = _open(browser, url)
    first = page.get_attribute("li.item[aria-selected='true']", "data-id")
    second = page.eval_on_selector_all("li.item", "els => els.map(e => e.dataset.id)")[1]

    page.keyboard.press("j")                      # move down, then back up
    page.wait_for_selector(f"#detail article.flag[data-id='{second}']")
    page.keyboard.press("k")
    page.wait_for_selector(f"#detail article.flag[data-id='{first}']")

    page.keyboard.press("a")                      # accept: saved at once, selection moves on
    page.wait_for_selector(f"li.item[data-id='{first}'][data-status='accepted']")
    page.wait_for_selector(f"#detail article.flag[data-id='{second}']")
    page.keyboard.press("n")                      # a note on the second flag
    page.keyboard.type("figures of different dates")
    page.keyboard.press("Enter")
    page.wait_for_selector("#detail .note-text")
    page.keyboard.press("d")
    page.wait_for_selector(f"li.item[data-id='{second}'][data-status='dismissed']")

    batch.run([str(src)], run_out)                # a re-run rewrites flags.json and documents/
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.get_attribute(f"li.item[data-id='{first}']", "data-status") == "accepted"
    assert page.get_attribute(f"li.item[data-id='{second}']", "data-status") == "dismissed"
    page.click(f"li.item[data-id='{second}']")
    page.wait_for_selector(f"#detail article.flag[data-id='{second}'] .note-text")
    assert "figures of different dates" in page.inner_text("#detail .history")
    assert page.inner_text("[data-count='accepted']").startswith("1 ")

    # filters: only what is still open
    page.select_option("#f-status", "open")
    shown = page.eval_on_selector_all("li.item:not([hidden])", "els => els.map(e => e.dataset.status)")
    assert shown and set(shown) == {"open"}
    page.select_option("#f-status", "")
    # a flag across two documents shows both side by side, with the evidence highlighted in its paragraph
    conflict = flags_of(run_out, "cross_source_conflict")["id"]
    page.click(f"li.item[data-id='{conflict}']")
    page.wait_for_selector(f"#detail article.flag[data-id='{conflict}'] .panes.two")
    marks = page.eval_on_selector_all("#detail mark.ev", "els => els.map(e => e.textContent)")
    assert sorted(marks) == ["128 tanks", "300 tanks"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-page.png"))
    assert errors == []
    page.close()


def test_script_payloads_never_run(browser, serve, run_out, flags_of, texts):
    # a flag whose message and evidence are the payload itself, besides the run's own flags
    import json

    b = texts.B
    s = b.index(texts.PAYLOAD_SCRIPT)
    fs = flags_of(run_out)
    fs.insert(0, {"id": "payload0000000001", "kind": "corrupt_text", "severity": "warning",
                  "message": f"Garbled source text '{texts.PAYLOAD_SCRIPT}' {texts.PAYLOAD_IMG}",
                  "evidence": [{"doc": "b.txt", "start": s, "end": s + len(texts.PAYLOAD_SCRIPT),
                                "text": texts.PAYLOAD_SCRIPT}]})
    (run_out / "flags.json").write_text(json.dumps({"flags": fs}), encoding="utf-8")
    app, url = serve(run_out)
    page, errors = _open(browser, url)
    assert page.get_attribute("li.item[aria-selected='true']", "data-id") == "payload0000000001"
    assert texts.PAYLOAD_SCRIPT in page.inner_text("#detail .message")
    assert page.eval_on_selector_all("#detail mark.ev", "els => els.map(e => e.textContent)") == [texts.PAYLOAD_SCRIPT]
    date_flag = flags_of(run_out, "date_out_of_range")["id"]
    page.click(f"li.item[data-id='{date_flag}']")
    page.wait_for_selector(f"#detail article.flag[data-id='{date_flag}']")
    assert texts.PAYLOAD_IMG in page.inner_text("#detail .paras")
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.eval_on_selector_all("#detail img, #detail .paras script", "els => els.length") == 0
    page.close()

    report = write_report(run_out)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.eval_on_selector_all("img", "els => els.length") == 0
    assert texts.PAYLOAD_IMG in page.inner_text("body")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"))
    page.locator("section.doc").nth(1).screenshot(path=str(ARTIFACTS / "report-document.png"))
    page.close()
    assert errors == []


ZH_HANT = "1943年3月5日，第2坦克集團軍向哈爾科夫前進了455英里（700公里）。羅科索夫斯基的部隊“固守”陣地。\n"
ZH_HANS = "1943年3月5日，第2坦克集团军向哈尔科夫前进了455英里（700公里）。罗科索夫斯基的部队“固守”阵地。\n"
EN_QUOTES = "On 5 March 1943 Kryukov’s 2nd Tank Army advanced 455 miles (700 km) towards Kharkov.\n"


@pytest.fixture(scope="module")
def three_languages(tmp_path_factory):
    base = tmp_path_factory.mktemp("langs")
    src = base / "in"
    src.mkdir()
    for name, text in (("en.txt", EN_QUOTES), ("hant.txt", ZH_HANT), ("hans.txt", ZH_HANS)):
        (src / name).write_text(text, encoding="utf-8")
    out = base / "out"
    batch.run([str(src)], out)
    return out


FONTS_JS = """els => els.map(e => [e.closest('[lang]') ? e.closest('[lang]').getAttribute('lang') : null,
                             getComputedStyle(e).fontFamily])"""


def _no_cjk_before_latin(family: str) -> bool:
    names = [f.strip().strip('"').lower() for f in family.split(",")]
    return not any("cjk" in n or "song" in n or "ming" in n or "hei" in n for n in names)


def test_text_has_its_language_and_english_no_cjk_font(browser, serve, three_languages):
    out = three_languages
    langs = {json_doc["doc"]["name"]: json_doc["doc"]["lang"] for json_doc in
             (__import__("json").loads(p.read_text(encoding="utf-8")) for p in (out / "documents").glob("*.json"))}
    assert langs == {"en.txt": "en", "hant.txt": "zh-Hant", "hans.txt": "zh-Hans"}
    report = write_report(out)
    page = browser.new_page()
    page.goto(report.as_uri())
    got = page.eval_on_selector_all(".doctext-wrap .para", FONTS_JS)
    by_lang = {lang: fam for lang, fam in got}
    assert set(by_lang) == {"en", "zh-Hant", "zh-Hans"}
    # English text (and the page's own) in Latin fonts only: a CJK font draws ’ full-width ("Kryukov’ s")
    assert _no_cjk_before_latin(by_lang["en"]), by_lang["en"]
    assert _no_cjk_before_latin(page.evaluate("getComputedStyle(document.body).fontFamily"))
    assert "CJK TC" in by_lang["zh-Hant"] and "CJK SC" in by_lang["zh-Hans"]
    page.close()

    app, url = serve(out)
    page, errors = _open(browser, url)
    for li in page.eval_on_selector_all("li.item", "els => els.map(e => e.dataset.id)"):
        page.click(f"li.item[data-id='{li}']")
        page.wait_for_selector(f"#detail article.flag[data-id='{li}']")
        for lang, fam in page.eval_on_selector_all("#detail .paras .para, #detail .chip", FONTS_JS):
            assert lang in ("en", "zh-Hant", "zh-Hans")
            if lang == "en":
                assert _no_cjk_before_latin(fam), fam
            else:
                assert "CJK" in fam.split(",")[0], fam
    assert errors == []
    page.close()


def test_report_links_open_collapsed_sections(browser, run_out, monkeypatch):
    from pipeline.review import report as report_mod

    monkeypatch.setattr(report_mod, "OPEN_ALL_UP_TO", 0)       # every document section starts closed
    path = write_report(run_out)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.as_uri())
    assert page.eval_on_selector_all("section.doc details[open]", "els => els.length") == 0
    page.click("nav.toc a >> nth=1")
    page.wait_for_function("document.querySelectorAll('section.doc > details[open]').length === 1")
    opened = page.eval_on_selector("section.doc > details[open] .docname", "e => e.textContent")
    assert opened == "b.txt"
    page.goto(path.as_uri() + "#doc-0")                         # a link from elsewhere opens it too
    page.wait_for_function("document.querySelector('section.doc > details').open")
    page.close()


# -- team review ------------------------------------------------------------------------------

def _rows(out, fid):
    from pipeline.review.store import ReviewStore

    with ReviewStore(out) as store:
        return [(d.decision, d.reviewer) for d in store.decisions(fid)]


def test_two_reviewers_one_flag_nothing_overwritten(browser, serve, run_out):
    app, url = serve(run_out)
    ctx_a, ctx_b = browser.new_context(), browser.new_context()
    app.poll_ms = 600_000          # B's list does not refresh: it decides on what it loaded
    pb, errors = _open(browser, url, reviewer="Ben Ito", context=ctx_b)
    app.poll_ms = 300              # A's does
    # the first browser is asked for a name once; it is kept
    pa = ctx_a.new_page()
    pa.goto(url)
    pa.wait_for_selector("#who-form:not([hidden])")
    pa.fill("#who-input", "Ana Petrova")
    pa.press("#who-input", "Enter")
    pa.wait_for_selector("#who-form", state="hidden")
    pa.wait_for_selector("#detail article.flag")
    assert pa.inner_text("#who-name") == "Ana Petrova"
    fid = pa.get_attribute("li.item[aria-selected='true']", "data-id")
    assert pb.get_attribute("li.item[aria-selected='true']", "data-id") == fid

    pa.keyboard.press("a")
    pa.wait_for_selector(f"li.item[data-id='{fid}'][data-status='accepted']")
    # B still shows the old state if it decides right away (before its list refreshes)
    pb.keyboard.press("d")
    pb.wait_for_selector("#conflict:not([hidden])")
    assert "Ana Petrova accepted this flag" in pb.inner_text("#conflict")
    pb.wait_for_selector(f"li.item[data-id='{fid}'][data-status='accepted']")
    assert _rows(run_out, fid) == [("accepted", "Ana Petrova")]
    # now B decides on what it sees: recorded under B's name; the history shows both
    pb.keyboard.press("d")
    pb.wait_for_selector(f"li.item[data-id='{fid}'][data-status='dismissed']")
    assert _rows(run_out, fid) == [("accepted", "Ana Petrova"), ("dismissed", "Ben Ito")]
    # A's list refreshes by itself
    pa.wait_for_selector(f"li.item[data-id='{fid}'][data-status='dismissed']", timeout=5000)
    pa.click(f"li.item[data-id='{fid}']")
    pa.wait_for_selector(f"#detail article.flag[data-id='{fid}'] .history")
    hist = pa.inner_text("#detail .history")
    assert "Ana Petrova" in hist and "Ben Ito" in hist
    # a reload keeps the name (localStorage)
    pa.reload()
    pa.wait_for_selector("body[data-ready='1']")
    assert pa.is_hidden("#who-form") and pa.inner_text("#who-name") == "Ana Petrova"
    assert errors == []
    ctx_a.close()
    ctx_b.close()


def test_restart_under_an_open_tab(browser, run_out):
    server, app, url = make_server(run_out, port=0, reviewer="tess")
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page, errors = _open(browser, url)
    fid = page.get_attribute("li.item[aria-selected='true']", "data-id")
    server.shutdown()
    server.server_close()
    server2, app2, _ = make_server(run_out, port=port, reviewer="tess")     # a new token
    threading.Thread(target=server2.serve_forever, daemon=True).start()
    try:
        assert app2.token != app.token
        page.keyboard.press("a")                     # the pending action is sent again with the new token
        page.wait_for_selector(f"li.item[data-id='{fid}'][data-status='accepted']")
        assert _rows(run_out, fid) == [("accepted", "tess")]
        assert page.is_hidden("#banner")
        # a server that stays away: the page says so and offers a reload, nothing is recorded
        server2.shutdown()
        server2.server_close()
        page.keyboard.press("d")
        page.wait_for_selector("#banner:not([hidden]) button", timeout=15000)
        assert "Reload" in page.inner_text("#banner")
    finally:
        server2.server_close()
    assert _rows(run_out, fid) == [("accepted", "tess")]
    page.close()


def test_keys_double_a_u_undecided_filters_by_mouse_and_ime(browser, serve, run_out):
    app, url = serve(run_out)
    page, errors = _open(browser, url)
    fid = page.get_attribute("li.item[aria-selected='true']", "data-id")
    page.keyboard.press("u")                          # reopen an undecided flag: no row
    page.wait_for_timeout(300)
    assert _rows(run_out, fid) == []
    page.keyboard.press("a")
    page.keyboard.press("a")                          # twice, fast
    page.wait_for_selector(f"li.item[data-id='{fid}'][data-status='accepted']")
    page.wait_for_timeout(500)
    assert _rows(run_out, fid) == [("accepted", "tess")]
    assert page.get_attribute(f"li.item[data-id='{fid}']", "data-status") == "accepted"
    # a filter picked with the mouse: the keys work right after
    page.select_option("#f-status", "open")
    page.keyboard.press("j")
    second = page.get_attribute("li.item[aria-selected='true']", "data-id")
    page.keyboard.press("d")
    page.wait_for_selector(f"li.item[data-id='{second}'][data-status='dismissed']", state="attached")
    assert ("dismissed", "tess") in _rows(run_out, second)
    # Enter while an input method is composing does not save the note
    page.keyboard.press("n")
    page.wait_for_selector("#note-text:focus")
    page.keyboard.type("羅科索夫")
    page.evaluate("""() => document.getElementById('note-text').dispatchEvent(new KeyboardEvent('keydown',
                     {key: 'Enter', isComposing: true, keyCode: 229, bubbles: true, cancelable: true}))""")
    page.wait_for_timeout(300)
    cur = page.get_attribute("li.item[aria-selected='true']", "data-id")
    assert not [r for r in _rows(run_out, cur) if r[0] == "note"]
    page.keyboard.press("Enter")                      # composition over: Enter saves
    page.wait_for_selector("#detail .note-text")
    assert [r for r in _rows(run_out, cur) if r[0] == "note"]
    assert page.get_attribute(f"li.item[data-id='{cur}']", "data-note") == "1"
    assert errors == []
    page.close()


def test_search_sort_progress_bulk_and_one_undo(browser, serve, run_out, flags_of):
    app, url = serve(run_out)
    page, errors = _open(browser, url)
    total = len(flags_of(run_out))
    assert page.inner_text("#progress-text") == f"0 / {total} decided"
    page.fill("#f-q", "tanks")
    shown = page.eval_on_selector_all("li.item:not([hidden])", "els => els.map(e => e.dataset.id)")
    assert 0 < len(shown) < total
    page.press("#f-q", "Enter")
    page.select_option("#sort", "kind")
    kinds = page.eval_on_selector_all("li.item", "els => els.map(e => e.dataset.kind)")
    assert kinds == sorted(kinds)
    page.once("dialog", lambda d: d.accept())
    page.click("button[data-bulk='accepted']")
    page.wait_for_selector(f"#progress-text:text-is('{len(shown)} / {total} decided')")
    for fid in shown:
        assert _rows(run_out, fid) == [("accepted", "tess")]
    page.keyboard.press("z")                          # one undo takes the whole bulk action back
    page.wait_for_selector(f"#progress-text:text-is('0 / {total} decided')")
    assert {s for s in page.eval_on_selector_all("li.item", "els => els.map(e => e.dataset.status)")} == {"open"}
    # skip moves to the next open flag without deciding
    page.fill("#f-q", "")
    page.press("#f-q", "Escape")
    before = page.get_attribute("li.item[aria-selected='true']", "data-id")
    page.keyboard.press("s")
    page.wait_for_selector(f"li.item[aria-selected='true']:not([data-id='{before}'])")
    assert _rows(run_out, before) == [("accepted", "tess"), ("reopened", "tess")] or _rows(run_out, before) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-team.png"))
    assert errors == []
    page.close()
