"""Chinese dates: spans, ISO values, vague thirds, ranges, ROC years, and what is not a date.

The component runs on the normalized (Simplified, half-width) text; spans are
checked against the ORIGINAL text, in Traditional and Simplified input alike.
No year in the text -> XXXX; a bare number is never a date.
"""
from __future__ import annotations

import pytest

from pipeline.nlp import Extractor


@pytest.fixture(scope="module")
def extract():
    """The zh pipeline with only the components these tests are about."""
    ex = Extractor("zh", components=["muster_dates", "muster_date_context", "muster_measurements"])

    def run(text: str) -> list[dict]:
        out = [m.model_dump() for m in ex.extract(text)[1] if m.type == "date"]
        for d in out:
            assert text[d["start"]:d["end"]] == d["text"], "offsets must index the original text"
        return out

    return run


def _one(extract, text, span):
    found = extract(text)
    hits = [d for d in found if d["text"] == span]
    assert len(hits) == 1, f"expected one date {span!r}, got {[d['text'] for d in found]}"
    assert hits[0]["start"] == text.index(span)
    return hits[0]


@pytest.mark.parametrize("text,span,value", [
    # day and month, Arabic and Chinese numerals, both scripts
    ("3月21日，第65集團軍轉入防禦。", "3月21日", "XXXX-03-21"),
    ("3月21日,第65集团军转入防御。", "3月21日", "XXXX-03-21"),
    ("部隊於三月二十一日拂曉出發。", "三月二十一日", "XXXX-03-21"),
    ("部队于十二月三十一日渡过顿河。", "十二月三十一日", "XXXX-12-31"),
    ("戰車軍團在３月２日到達集結地域。", "３月２日", "XXXX-03-02"),
    # with a year
    ("1943年3月21日，中央方面軍停止了進攻。", "1943年3月21日", "1943-03-21"),
    ("一九四三年三月二十一日,中央方面军停止了进攻。", "一九四三年三月二十一日", "1943-03-21"),
    ("1943年3月，泥濘季節開始了。", "1943年3月", "1943-03"),
    ("一九四三年三月,泥泞季节开始了。", "一九四三年三月", "1943-03"),
    ("1942年12月，頓河方面軍收緊了包圍圈。", "1942年12月", "1942-12"),
    ("1943年，戰線穩定在奧廖爾以南。", "1943年", "1943"),
    # ROC years
    ("民國三十二年三月，國軍在鄂西會戰中反攻。", "民國三十二年三月", "1943-03"),
    ("民国32年3月21日,国军在鄂西反攻。", "民国32年3月21日", "1943-03-21"),
    ("民國三十一年至三十二年間，戰事膠著。", "民國三十一年至三十二年", "1942/1943"),
    # thirds of a month
    ("3月底，第65集團軍撤到謝夫河東岸。", "3月底", "XXXX-03-L"),
    ("3月初，騎兵軍進抵杰斯納河。", "3月初", "XXXX-03-E"),
    ("三月上旬,骑兵军进抵杰斯纳河。", "三月上旬", "XXXX-03-E"),
    ("3月中旬，泥濘使補給中斷。", "3月中旬", "XXXX-03-M"),
    ("1943年3月下旬，德軍反擊謝夫斯克。", "1943年3月下旬", "1943-03-L"),
    ("1943年2月末，第2坦克集团军投入战斗。", "1943年2月末", "1943-02-L"),
    # compressed but readable: month digit + 中旬
    ("3中旬，兩個騎兵軍轉入防禦。", "3中旬", "XXXX-03-M"),
    # a day without 日 when the month is explicit and a non-digit follows
    ("3月20，第2坦克集團軍撤回謝夫斯克。", "3月20", "XXXX-03-20"),
    ("3月20,第2坦克集团军撤回谢夫斯克。", "3月20", "XXXX-03-20"),
    # numeric
    ("命令的日期是1943.3.21。", "1943.3.21", "1943-03-21"),
])
def test_dates_value(extract, text, span, value):
    assert _one(extract, text, span)["value"] == value


@pytest.mark.parametrize("text,span,value", [
    ("3月21日至25日，兩個騎兵軍向西推進。", "3月21日至25日", "XXXX-03-21/XXXX-03-25"),
    ("3月21日-25日,两个骑兵军向西推进。", "3月21日-25日", "XXXX-03-21/XXXX-03-25"),
    ("3月21至25日，兩個騎兵軍向西推進。", "3月21至25日", "XXXX-03-21/XXXX-03-25"),
    ("三月二十一日至二十五日,两个骑兵军向西推进。", "三月二十一日至二十五日", "XXXX-03-21/XXXX-03-25"),
    ("1943年2月25日至3月28日，中央方面軍在謝夫斯克方向作戰。", "1943年2月25日至3月28日",
     "1943-02-25/1943-03-28"),
    ("1942年1月8日至1943年3月22日的戰役中，雙方損失慘重。", "1942年1月8日至1943年3月22日",
     "1942-01-08/1943-03-22"),
    ("一九四二年一月八日至一九四三年三月二十二日的战役中", "一九四二年一月八日至一九四三年三月二十二日",
     "1942-01-08/1943-03-22"),
    ("1943年3月至5月，前線處於停頓狀態。", "1943年3月至5月", "1943-03/1943-05"),
    ("1941年至1943年，該師一直在東線作戰。", "1941年至1943年", "1941/1943"),
    ("1941-1943年,该师一直在东线作战。", "1941-1943年", "1941/1943"),
])
def test_dates_interval_value(extract, text, span, value):
    assert _one(extract, text, span)["value"] == value


def test_year_context_fills_later_dates(extract):
    found = extract("1943年2月，中央方面軍開始進攻。3月7日，騎兵軍到達謝夫斯克。")
    assert [(d["text"], d["value"]) for d in found] == [("1943年2月", "1943-02"), ("3月7日", "1943-03-07")]


def test_no_year_anywhere_gives_xxxx(extract):
    found = extract("3月7日，騎兵軍到達謝夫斯克；3月底，攻勢停頓。")
    assert [d["value"] for d in found] == ["XXXX-03-07", "XXXX-03-L"]


def test_bare_third_takes_the_month_of_the_nearest_earlier_date(extract):
    text = "1943年3月2日，德軍開始反擊。到了下旬，補給狀況才有所好轉。"
    d = _one(extract, text, "下旬")
    assert d["value"] == "1943-03-L"
    text = "4月5日戰線穩定了下來。到月底,补给已经恢复。"
    assert _one(extract, text, "月底")["value"] == "XXXX-04-L"


def test_bare_third_with_no_month_in_reach_is_not_a_date(extract):
    assert extract("到了下旬，補給狀況才有所好轉。") == []


def test_modifier_after_the_date_is_kept_out_of_the_span(extract):
    d = _one(extract, "部隊必須在3月22日前到達集結地域。", "3月22日")
    assert d["mod"] == "before"
    d = _one(extract, "3月22日以後，德軍轉入防禦。", "3月22日")
    assert d["mod"] == "after"


def test_advance_is_not_before(extract):
    # 前进 (advance) after a date is not 前 (before)
    d = _one(extract, "先頭部隊於3月25日前進到杰斯納河畔。", "3月25日")
    assert d.get("mod") is None


@pytest.mark.parametrize("text", [
    "第321步兵師在那裡堅守。",              # a bare number
    "該團有1943名士兵。",                    # a year-like number without 年
    "321日",                                # fused digits: left to the corruption reader
    "部隊激戰了3個月。",                     # a duration
    "第3月",                                # an ordinal, not a month
    "三十二日",                             # no such day
    "在这两周里,双方都在补充兵员。",
])
def test_not_dates(extract, text):
    assert extract(text) == []


def test_fused_digits_are_not_read(extract):
    # days without a month in reach produce nothing (and fused 321日 is not read here)
    assert extract("双方在5日和17日都发动了进攻,321日又停了下来") == []


def test_day_without_month_takes_the_month_from_context(extract):
    text = "3月21日，兩個騎兵軍出發；而在22日，德軍發起反擊。"
    assert _one(extract, text, "22日")["value"] == "XXXX-03-22"


@pytest.mark.parametrize("text, span, value", [
    ("1940年代的坦克。", "1940年代", "194X"),
    ("上世紀40年代的蘇聯坦克。", "上世紀40年代", "194X"),
])
def test_decades_are_partial_dates(extract, text, span, value):
    assert _one(extract, text, span)["value"] == value


# -- any text: one table, positives and negatives side by side ---------------------------------
# (sentence, [(span, value), ...]): every date the sentence holds; [] means "no date here".
READINGS = [
    # era years
    ("民國二十七年六月，日軍進犯武漢。", [("民國二十七年六月", "1938-06")]),
    ("民國27年10月25日，漢口失守。", [("民國27年10月25日", "1938-10-25")]),
    ("昭和十三年五月，第二軍渡河。", [("昭和十三年五月", "1938-05")]),
    ("民國元年一月一日臨時政府成立。", [("民國元年一月一日", "1912-01-01")]),
    # two-digit years: the century of the document's four-digit years
    ("1943年間戰事不斷,四三年春日軍再犯。", [("1943年", "1943"), ("四三年春", "1943")]),
    ("四三年春日軍再犯。", []),                  # no four-digit year: the century is not clear
    # thirds, beginnings and ends
    ("1937年10月初,日軍進攻。10月中旬雙方激戰,月底戰況緩和。",
     [("1937年10月初", "1937-10-E"), ("10月中旬", "1937-10-M"), ("月底", "1937-10-L")]),
    ("1944年初日軍發動攻勢,1944年底結束。", [("1944年初", "1944"), ("1944年底", "1944")]),
    ("1941年冬季,德軍兵臨城下。", [("1941年冬季", "1941")]),
    # intervals
    ("1944年6月23日─8月29日,蘇軍發動攻勢。", [("1944年6月23日─8月29日", "1944-06-23/1944-08-29")]),
    ("1942年11月19日一直到1943年2月2日,會戰持續。",
     [("1942年11月19日一直到1943年2月2日", "1942-11-19/1943-02-02")]),
    ("1938年6月11日至7月上旬,日軍沿江推進。", [("1938年6月11日至7月上旬", "1938-06-11/1938-07-E")]),
    ("1938年,五六月間戰事膠著。", [("1938年", "1938"), ("五六月", "1938-05/1938-06")]),
    ("1937年12月 - 1938年5月19日為會戰期間。", [("1937年12月 - 1938年5月19日", "1937-12/1938-05-19")]),
    # spaced digits of a scraped page
    ("1937年,日軍於1 0月1日抵達。", [("1937年", "1937"), ("1 0月1日", "1937-10-01")]),
    # not dates
    ("五八月", []),
    ("該戰役持續47日。", []),
    ("全軍抗戰八年。", []),
    ("第三十二年度預算。", []),
]


@pytest.mark.parametrize("text,expected", READINGS)
def test_dates_on_any_text(extract, text, expected):
    assert [(d["text"], d["value"]) for d in extract(text)] == expected


def test_year_comes_from_the_stated_period_across_a_new_year(extract):
    text = "日期\n1944年11月3日至1945年2月13日\n\n1月20日,解圍失敗。"
    assert _one(extract, text, "1月20日")["value"] == "1945-01-20"
