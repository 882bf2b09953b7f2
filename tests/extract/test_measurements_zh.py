"""Chinese distances: 公里/千米/英里/里(裡)/米/公尺 with Arabic or Chinese numerals,
ranges and qualifiers; and the words that only look like units (城里, 米哈伊尔).

Spans are checked against the ORIGINAL text (Traditional or Simplified).
km_* follow NOTES.md: mi x 1.609344, li x 0.5, rounded to 0.1.
"""
from __future__ import annotations

import pytest

from pipeline.nlp import Extractor


@pytest.fixture(scope="module")
def extract():
    """The zh pipeline with only the components these tests are about."""
    ex = Extractor("zh", components=["muster_dates", "muster_measurements"])

    def run(text: str) -> list[dict]:
        out = [m.model_dump() for m in ex.extract(text)[1] if m.type == "measurement"]
        for d in out:
            assert text[d["start"]:d["end"]] == d["text"], "offsets must index the original text"
        return out

    return run


def _one(extract, text, span):
    found = extract(text)
    hits = [d for d in found if d["text"] == span]
    assert len(hits) == 1, f"expected one distance {span!r}, got {[d['text'] for d in found]}"
    assert hits[0]["start"] == text.index(span)
    return hits[0]


def _vals(d):
    return d["low"], d["high"], d["unit"], d["km_low"], d["km_high"], d.get("approx", False)


@pytest.mark.parametrize("text,span,expected", [
    # km
    ("騎兵軍一天推進了30公里。", "30公里", (30, 30, "km", 30.0, 30.0, False)),
    ("骑兵军一天推进了三十公里。", "三十公里", (30, 30, "km", 30.0, 30.0, False)),
    ("戰線向西移動了１２０公里。", "１２０公里", (120, 120, "km", 120.0, 120.0, False)),
    ("坦克集团军纵深突破了25千米。", "25千米", (25, 25, "km", 25.0, 25.0, False)),
    ("補給線長達1,200公里。", "1,200公里", (1200, 1200, "km", 1200.0, 1200.0, False)),
    ("前锋距离城市只剩8km。", "8km", (8, 8, "km", 8.0, 8.0, False)),
    # miles
    ("部隊在一條一百二十英里長的公路上行軍。", "一百二十英里", (120, 120, "mi", 193.1, 193.1, False)),
    ("部队在一条455英里长的公路上行军。", "455英里", (455, 455, "mi", 732.3, 732.3, False)),
    ("戰車軍團前進了60哩。", "60哩", (60, 60, "mi", 96.6, 96.6, False)),
    # li: 裡 (Traditional), 里 (Simplified), Chinese numerals
    ("騎兵在距離城鎮60裡的地方停下。", "60裡", (60, 60, "li", 30.0, 30.0, False)),
    ("骑兵在距离城镇六十里的地方停下。", "六十里", (60, 60, "li", 30.0, 30.0, False)),
    ("他們又走了一百五十裏。", "一百五十裏", (150, 150, "li", 75.0, 75.0, False)),
    # metres
    ("前沿陣地寬800米。", "800米", (800, 800, "m", 0.8, 0.8, False)),
    ("前沿阵地宽八百公尺。", "八百公尺", (800, 800, "m", 0.8, 0.8, False)),
    ("雷区纵深3千米。", "3千米", (3, 3, "km", 3.0, 3.0, False)),
    # versts and yards of translated Russian and British sources
    ("防線長12俄里。", "12俄里", (12, 12, "verst", 12.8, 12.8, False)),
    ("戰壕距河岸300碼。", "300碼", (300, 300, "yd", 0.3, 0.3, False)),
    # ranges and fractions of a scraped page
    ("前鋒推進了10至15公里。", "10至15公里", (10, 15, "km", 10.0, 15.0, False)),
    ("縱深三點五公里。", "三點五公里", (3.5, 3.5, "km", 3.5, 3.5, False)),
])
def test_single_distances(extract, text, span, expected):
    assert _vals(_one(extract, text, span)) == expected


@pytest.mark.parametrize("text,span,expected", [
    ("突破口寬30至40公里。", "30至40公里", (30, 40, "km", 30.0, 40.0, False)),
    ("突破口宽三十到四十公里。", "三十到四十公里", (30, 40, "km", 30.0, 40.0, False)),
    ("突破口寬30-40公里。", "30-40公里", (30, 40, "km", 30.0, 40.0, False)),
    ("突破口寬３０～４０公里。", "３０～４０公里", (30, 40, "km", 30.0, 40.0, False)),
    ("集團軍在270公里至300公里寬的正面上展開。", "270公里至300公里", (270, 300, "km", 270.0, 300.0, False)),
    ("骑兵每天走80或90里。", "80或90里", (80, 90, "li", 40.0, 45.0, False)),
])
def test_ranges(extract, text, span, expected):
    assert _vals(_one(extract, text, span)) == expected


@pytest.mark.parametrize("text,span,expected", [
    ("先頭部隊向前推進了三四十公里。", "三四十公里", (30, 40, "km", 30.0, 40.0, True)),
    ("先头部队向前推进了数十公里。", "数十公里", (20, 90, "km", 20.0, 90.0, True)),
])
def test_approximate_chinese_ranges(extract, text, span, expected):
    assert _vals(_one(extract, text, span)) == expected


@pytest.mark.parametrize("text,span,low,high,approx", [
    ("新的目標在約100裡遠處。", "約100裡", 100, 100, True),
    ("新的目标在约100里远处。", "约100里", 100, 100, True),
    ("部隊後撤了大約二十公里。", "大約二十公里", 20, 20, True),
    ("前鋒距離莫斯科將近150公里。", "將近150公里", 150, 150, True),
    ("前锋距离莫斯科近150公里。", "近150公里", 150, 150, True),
    ("缺口寬30公里左右。", "30公里左右", 30, 30, True),
    ("骑兵又走了十来里。", "十来里", 10, 10, True),
    ("突破縱深超過50公里。", "超過50公里", 50, None, False),
    ("突破纵深逾50公里。", "逾50公里", 50, None, False),
    ("突破纵深至少50公里。", "至少50公里", 50, None, False),
    ("部隊又前進了三十餘公里。", "三十餘公里", 30, None, False),
    ("部队又前进了三十多公里。", "三十多公里", 30, None, False),
    ("雙方陣地相距不足5公里。", "不足5公里", None, 5, False),
    ("双方阵地相距不到5公里。", "不到5公里", None, 5, False),
])
def test_qualifiers(extract, text, span, low, high, approx):
    d = _one(extract, text, span)
    assert (d["low"], d["high"], d.get("approx", False)) == (low, high, approx)


def test_paired_renderings_are_two_mentions(extract):
    text = "這條補給線長455英里(700公里)。"
    found = extract(text)
    assert [(d["text"], d["unit"], d["low"]) for d in found] == [("455英里", "mi", 455), ("700公里", "km", 700)]


@pytest.mark.parametrize("text", [
    "他們在城里找到了補給。",                      # 城里: "in the town"
    "在那裡,騎兵等待命令。",                      # 那裡: "there"
    "部队在这里休整了三天。",
    "米哈伊爾·卡圖科夫指揮第1坦克集團軍。",          # 米 as a name
    "第1坦克集團軍的3米哈伊爾連。",                  # even right after a digit
    "部隊在十里鋪宿營。",                          # 十里铺: a place name
    "敵人從三里河方向撤退。",
    "他們走了萬里長征。",                          # 万里: an idiom, not 10000 li
    "第321步兵師在公路邊堅守。",                    # a bare number
    "第3公里處",                                  # an ordinal
    "他們在里面等待。",
    "5000人向200海里外的島嶼撤退",                   # nautical miles: no contract unit
    "坦克以時速50公里前進。",                        # a speed
    "部隊日行百里。",                               # a rate
    "速度達到每小時30公里。",
])
def test_not_distances(extract, text):
    assert extract(text) == []


def test_kilometre_is_not_read_as_li(extract):
    found = extract("前進了100公里。")
    assert [(d["text"], d["unit"]) for d in found] == [("100公里", "km")]


def test_dates_are_not_distances(extract):
    assert extract("3月20日，部隊又前進了。") == []
