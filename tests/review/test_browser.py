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


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1360, "height": 900})
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
