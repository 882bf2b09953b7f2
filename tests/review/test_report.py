"""OUT/report.html: offline (no script, no external asset), every document text escaped, mentions
highlighted by type, flags with their review status, a timeline and casualty bars as inline SVG."""
from __future__ import annotations

import re
from datetime import date

from pipeline.review.report import parse_date, write_report
from pipeline.review.store import ReviewStore


def test_report_content(run_out, flags_of, texts):
    conv = flags_of(run_out, "conversion_mismatch")
    with ReviewStore(run_out) as store:
        store.record(conv, "accepted", note="455 mi is 732 km, not 700")
    path = write_report(run_out)
    assert path == run_out / "report.html"
    html = path.read_text(encoding="utf-8")
    # offline and inert: no script element, no external reference, a policy forbidding scripts
    assert "<script" not in html.lower().replace("&lt;script", "")
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)
    assert "default-src 'none'" in html
    # the payload is shown as text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in html
    # mentions highlighted by type, flags with review status and note
    assert '<mark class="m-formation"' in html and '<mark class="m-date"' in html
    assert "accepted" in html and "455 mi is 732 km, not 700" in html
    # pictures: a timeline per document with the stated period shaded, flagged dates marked; casualty bars
    assert html.count('class="timeline"') == 2
    assert "stated period 2 February 1943 – 3 March 1943" in html
    assert "⚑ 6 March" in html
    assert 'class="bars"' in html and "2nd Tank Army" in html and "sources disagree" in html


def test_report_without_source_files_shows_evidence_and_mentions(run_out, tmp_path, texts):
    import json

    for p in (run_out / "documents").glob("*.json"):
        d = json.loads(p.read_text(encoding="utf-8"))
        d["doc"]["path"] = str(tmp_path / "gone" / d["doc"]["name"])
        p.write_text(json.dumps(d), encoding="utf-8")
    html = write_report(run_out).read_text(encoding="utf-8")
    assert html.count("is gone") == 2
    assert "<td>formation</td><td>2nd Tank Army</td>" in html          # the mentions, listed instead
    assert texts.PAYLOAD_SCRIPT not in html


def test_report_of_an_empty_directory(tmp_path):
    html = write_report(tmp_path).read_text(encoding="utf-8")
    assert "No flags." in html and "flags.json is missing" in html


def test_parse_date_forms():
    assert parse_date("1943-02-25") == (date(1943, 2, 25), date(1943, 2, 25), True)
    assert parse_date("1943-03-L") == (date(1943, 3, 21), date(1943, 3, 31), True)
    assert parse_date("XXXX-03-21", 1942) == (date(1942, 3, 21), date(1942, 3, 21), False)
    assert parse_date("1943-02-25/1943-03-26") == (date(1943, 2, 25), date(1943, 3, 26), True)
    assert parse_date("1943-02") == (date(1943, 2, 1), date(1943, 2, 28), True)
    assert parse_date("1943") is None and parse_date("XXXX-XX-21") is None


def test_html_documents_are_shown_from_their_extracted_text(tmp_path):
    from pipeline import batch
    from pipeline.review.corpus import Corpus

    src = tmp_path / "in"
    src.mkdir()
    (src / "page.html").write_text(
        "<html><body><h1>March</h1><p>On 5 March 1943 the <b>3rd Tank Army</b> advanced 455 miles "
        "(700 km) towards Kharkov.</p></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    batch.run([str(src)], out)
    corpus = Corpus(out)
    (item,) = [i for i in corpus.items() if i.kind == "conversion_mismatch"]
    source = corpus.source_for("page.html", item.evidence)
    assert source.text is not None and "<b>" not in source.text
    html = write_report(out).read_text(encoding="utf-8")
    assert '<mark class="m-formation" title="formation: Soviet 3rd Tank Army">3rd Tank Army</mark>' in html
