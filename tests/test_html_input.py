"""HTML input: text from the markup (selectolax), offsets into that text, which is saved next to the outputs."""
import json

import pytest

from pipeline import batch, ingest
from pipeline.ingest import html_text

PAGE = """<!DOCTYPE html>
<html><head><title>Report</title><style>p { color: red }</style>
<script>var x = "On 1 May 1999 the 9th Army";</script></head>
<body>
<h1>The Dmitriev-Sevsk operation</h1>
<p>On 5 March 1943 the <b>3rd Tank Army</b> advanced
   40&nbsp;km (25 miles) towards Kharkov.</p>
<!-- On 6 June 1944 nothing -->
<ul><li>General Pavel I. Batov&rsquo;s 65th Army</li><li>lost 1,200 men</li></ul>
<table><tr><th>unit</th><th>strength</th></tr><tr><td>70th Army</td><td>96,000 men</td></tr></table>
</body></html>
"""


def test_html_text_lays_out_blocks_and_drops_scripts_styles_and_comments():
    text = html_text(PAGE)
    assert text.splitlines() == [
        "The Dmitriev-Sevsk operation",
        "On 5 March 1943 the 3rd Tank Army advanced 40\xa0km (25 miles) towards Kharkov.",
        "General Pavel I. Batov\u2019s 65th Army",
        "lost 1,200 men",
        "unit\tstrength",
        "70th Army\t96,000 men",
    ]
    assert "1999" not in text and "1944" not in text and "color" not in text


@pytest.mark.parametrize("markup, expected", [
    ("a<br>b<br/><br>c", "a\nb\n\nc\n"),
    ("<pre>x\n   y</pre>z", "x\n   y\nz\n"),
    ("<p>  spaced \n\t out  </p><p>next</p>", "spaced out\nnext\n"),
    ("in<i>line</i> <b>words</b>", "inline words\n"),
    ("no markup &amp; entities &lt;ok&gt;", "no markup & entities <ok>\n"),
    ("<div>" * 3000 + "deep" + "</div>" * 3000, "deep\n"),       # no recursion limit
    ("<p>unclosed <b>bold<p>next", "unclosed bold\nnext\n"),       # HTML5 error recovery
    ("", ""),
])
def test_html_text_cases(markup, expected):
    assert html_text(markup) == expected


def test_html_documents_record_their_format_and_offsets_index_the_saved_text(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "page.html").write_text(PAGE, encoding="utf-8")
    (src / "zh.htm").write_bytes(
        '<html><head><meta charset="big5"></head><body><p>1943年3月5日,羅科索夫斯基的第65集團軍推進了80公里。</p>'
        '</body></html>'.encode("big5"))
    out = tmp_path / "out"
    summary = batch.run([str(src)], out)           # directories: .html and .htm are picked up
    assert summary.processed == 2 and not summary.errors
    for name in ("page.html", "zh.htm"):
        doc = json.loads((out / "documents" / f"{name}.json").read_text(encoding="utf-8"))
        info = doc["doc"]
        assert info["source_format"] == "html"
        assert info["text_path"] == f"texts/{name}.txt"
        with open(out / info["text_path"], encoding="utf-8", newline="") as f:
            text = f.read()
        assert len(text) == info["chars"]
        assert doc["mentions"]
        for m in doc["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"], m
    zh = json.loads((out / "documents" / "zh.htm.json").read_text(encoding="utf-8"))
    assert zh["doc"]["encoding"] == "big5hkscs" and zh["doc"]["lang"] == "zh-Hant"
    page = json.loads((out / "documents" / "page.html.json").read_text(encoding="utf-8"))
    assert {"date", "formation", "measurement", "person"} <= {m["type"] for m in page["mentions"]}
    assert not any(m["type"] == "date" and m["text"].endswith("1999") for m in page["mentions"])


@pytest.mark.parametrize("markup, words", [
    (b"<html><head><script>var a = 1;</script></head><body>  </body></html>", "empty HTML"),
    (b"", "empty"),
])
def test_html_without_text_is_a_clear_error(tmp_path, markup, words):
    p = tmp_path / "x.html"
    p.write_bytes(markup)
    with pytest.raises(ingest.IngestError, match=words):
        ingest.read(p)


def test_meta_charset_is_honoured_for_non_utf8_bytes():
    data = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>第65集团军</p>'.encode("gb18030")
    assert ingest.declared_charset(data) == "gb18030"
    text, enc = ingest.decode(data, declared=ingest.declared_charset(data))
    assert "第65集团军" in text and enc == "gb18030"
