"""corrupt_text: one flag per garbled span, whose message says values there are unreliable."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from pipeline import checks
from pipeline.checks import DocumentView, make_flags, run_document_checks
from pipeline.checks import corruption as corruption_check  # noqa: F401  (registers the check)
from pipeline.extract import base, corruption, dates  # noqa: F401  (registers the factories)
from pipeline.lang import get_profile


def _view(name, text, lang, spans, mentions=()):
    view = DocumentView(name, text, list(mentions), lang)
    view.corrupt = spans          # what pipeline.nlp hands over (records.CorruptSpan in a real run)
    return view


def _corrupt_spans(text: str, lang: str):
    """The corrupt spans of a text, in original offsets, as the extractor would record them."""
    prof = get_profile(lang)
    nlp = prof.make_nlp()
    nlp.add_pipe("muster_dates", config={"lang": prof.code})
    nlp.add_pipe("muster_corruption", config={"lang": prof.code})
    view = prof.normalize(text)
    doc = nlp.make_doc(view.text)
    doc._.profile = prof
    doc._.candidates = []
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    out = []
    for c in base.of_type(doc, "corrupt"):
        s, e = view.to_original(c.start, c.end)
        out.append(SimpleNamespace(start=s, end=e, text=text[s:e], reason=c.fields["reason"],
                                   note=c.fields["note"], rule=c.rule))
    return out


def _corrupt_findings(view):
    return [f for f in run_document_checks(view) if f.kind == "corrupt_text"]


TEXT_ZH = ("3月5日,德軍開始集結。321日,德軍的戰線上出現了變化。兩個騎兵軍正在追擊德軍第師,"
           "而德軍第4裝甲集|:.7||聯繫。北方的5集團軍(第12、214365團軍)發起攻擊。"
           "並切斷了蘇軍部隊與後方的聯繫。224。德軍從東西兩面發起進攻。1943年,第3集團軍有30000人。")


def test_chinese_end_to_end():
    spans = _corrupt_spans(TEXT_ZH, "zh-Hant")
    found = _corrupt_findings(_view("zh.txt", TEXT_ZH, "zh-Hant", spans))
    texts = [f.evidence[0].text for f in found]
    assert texts == ["第師", "|:.7||", "214365團軍", "224"]
    for f in found:
        ev = f.evidence[0]
        assert ev.doc == "zh.txt" and TEXT_ZH[ev.start:ev.end] == ev.text
        assert "unreliable" in f.message and f.severity == "warning"
    # the recovered 321日 is a date, not a flag
    assert not any("321" in t for t in texts)


def test_english_end_to_end():
    text = "The 4th Panzer Army|:.7|| contact with the 9th Army (Model) was restored on 3 March 1943."
    found = _corrupt_findings(_view("en.txt", text, "en", _corrupt_spans(text, "en")))
    assert [f.evidence[0].text for f in found] == ["|:.7||"]
    assert "stray symbols" in found[0].message


@pytest.mark.parametrize("text,lang", [
    ("1943年3月21日,第3集團軍轉入防禦,歼敌30000人。", "zh-Hant"),
    ("The 21st Army (Chistyakov) attacked on 25 February 1943 (see map 3).", "en"),
])
def test_clean_text_gives_no_flag(text, lang):
    assert _corrupt_findings(_view("clean.txt", text, lang, _corrupt_spans(text, lang))) == []


def test_message_and_stable_flags():
    text = "德军第4装甲集|:.7||联系。"
    s = text.index("|")
    span = {"start": s, "end": s + 6, "text": "|:.7||", "reason": "stray symbols",
            "note": "a run of junk symbols replaces part of the sentence"}
    view = _view("a.txt", text, "zh-Hans", [span, dict(span)])   # a duplicate gives one flag
    found = _corrupt_findings(view)
    assert len(found) == 1
    assert found[0].message == ("Garbled source text '|:.7||' (stray symbols): a run of junk symbols "
                                "replaces part of the sentence. Values read at this place are unreliable.")
    flags = make_flags(found)
    assert flags[0].kind == "corrupt_text"
    assert flags[0].id == make_flags(_corrupt_findings(view))[0].id


def test_spans_without_note_or_text():
    text = "要求他們\n軍徹底的擊垮。"
    span = SimpleNamespace(start=2, end=6, reason="lost text", rule="zh.corrupt.lost_line")
    found = _corrupt_findings(_view("b.txt", text, "zh-Hant", [span]))
    assert found[0].evidence[0].text == "他們\n軍"
    assert "'他們\\n軍' (lost text)." in found[0].message


def test_no_corrupt_attribute_no_flags():
    view = DocumentView("c.txt", "text", [], "en")
    if hasattr(view, "corrupt"):
        view.corrupt = []
    assert _corrupt_findings(view) == []
    assert "corruption" in checks.DOCUMENT_CHECKS
