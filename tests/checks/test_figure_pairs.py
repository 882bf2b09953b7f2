"""cross_source_conflict between documents of one operation, and edited copies said once."""
from __future__ import annotations

from pipeline.checks import DocumentView, run_corpus_checks
from pipeline.records import CasualtyMention, DocInfo


def _cas(text, span, low, high=None, **kw):
    s = text.index(span)
    return CasualtyMention(start=s, end=s + len(span), text=span, low=low, high=low if high is None else high, **kw)


EN = "Soviet losses: 512,338 men, 3,914 tanks and 1,240 aircraft."
ZH = "蘇軍損失:512,338人、3,914輛坦克、1,380架飛機。"


def _views(zh_aircraft=1380, zh_text=ZH):
    en = DocumentView("a_en.txt", "", [
        _cas(EN, "512,338 men", 512338, category="total", side="SU"),
        _cas(EN, "3,914 tanks", 3914, category="equipment", equipment="tanks", side="SU"),
        _cas(EN, "1,240 aircraft", 1240, category="equipment", equipment="aircraft", side="SU")], "en",
        info=DocInfo(name="a_en.txt", lang="en", period="1943-07-05/1943-08-23"))
    span = f"{zh_aircraft:,}架飛機"
    zh = DocumentView("b_zh.txt", "", [
        _cas(zh_text, "512,338人", 512338, category="total", side="SU"),
        _cas(zh_text, "3,914輛坦克", 3914, category="equipment", equipment="tanks", side="SU"),
        _cas(zh_text, span, zh_aircraft, category="equipment", equipment="aircraft", side="SU")], "zh-Hant",
        info=DocInfo(name="b_zh.txt", lang="zh-Hant", period="1943-07-05/1943-08-23"))
    return en, zh


def _cross(views):
    return [f for f in run_corpus_checks(list(views)) if f.kind == "cross_source_conflict"]


def test_an_english_and_a_chinese_page_of_one_operation_disagree_on_losses():
    fs = _cross(_views())
    assert [[e.text for e in f.evidence] for f in fs] == [["1,240 aircraft", "1,380架飛機"]]


def test_a_figure_within_the_writers_rounding_is_no_conflict():
    text = ZH.replace("1,380", "1,200")
    en, zh = _views(1200, text)
    en.mentions[2] = _cas(EN, "1,240 aircraft", 1240, category="equipment", equipment="aircraft", side="SU",
                          approx=True)
    assert _cross([en, zh]) == []


def test_documents_without_a_shared_figure_are_not_compared():
    en, zh = _views()
    zh.mentions[:2] = [_cas(ZH, "512,338人", 498000, category="total", side="SU"),
                       _cas(ZH, "3,914輛坦克", 3000, category="equipment", equipment="tanks", side="SU")]
    assert _cross([en, zh]) == []


def test_an_edited_copy_is_said_once_not_flagged_fact_by_fact():
    items = [(f"{n:,} killed", n) for n in range(1101, 1111)]
    text = ", ".join(t for t, _ in items)
    ms = [_cas(text, t, v, category="killed", side="DE") for t, v in items]
    copy_text = text.replace("1,105 killed", "1,905 killed")
    copy_ms = [_cas(copy_text, t.replace("1,105", "1,905"), 1905 if v == 1105 else v, category="killed", side="DE")
               for t, v in items]
    a = DocumentView("a.txt", "", ms, "en", info=DocInfo(name="a.txt", lang="en"))
    b = DocumentView("a_copy.txt", "", copy_ms, "en", info=DocInfo(name="a_copy.txt", lang="en"))
    fs = _cross([a, b])
    assert len(fs) == 1 and "edited copy" in fs[0].message and fs[0].severity == "info"
    assert [e.text for e in fs[0].evidence] == ["1,105 killed", "1,905 killed"]
