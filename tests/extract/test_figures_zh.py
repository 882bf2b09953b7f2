"""Chinese casualty and strength figures: loss words before or after the figure,
qualifiers (约, 近, 超过, 不足, 余), units counted (两个骑兵军, 四个集团军), equipment,
and what is not a figure (anaphora, partitives, ratios, the indefinite 一个师, the count
of a list of designations).

Sentences written for these tests, in Traditional and Simplified.  Spans are checked
against the ORIGINAL text.  Conventions (NOTES.md): the span is the number plus its
noun, with the qualifiers that set low/high; exact words (只有, 共计) stay outside.
"""
from __future__ import annotations

import json
import re

import pytest

from pipeline import resources
from pipeline.nlp import extractor


@pytest.fixture(scope="module")
def zh():
    return extractor("zh")


def _figures(zh, text, type_=None):
    _, mentions = zh.extract(text)
    out = [m.model_dump() for m in mentions if m.type in ((type_,) if type_ else ("casualty", "strength"))]
    for f in out:
        assert text[f["start"]:f["end"]] == f["text"], "offsets must index the original text"
    return out


def _one(zh, text, span, type_):
    fs = _figures(zh, text)
    hits = [f for f in fs if f["text"] == span]
    assert len(hits) == 1, f"expected one figure {span!r}, got {[(f['type'], f['text']) for f in fs]}"
    assert hits[0]["start"] == text.index(span)
    assert hits[0]["type"] == type_
    return hits[0]


@pytest.mark.parametrize("text,span,low,high,approx,category", [
    # loss word before the figure
    ("蘇軍陣亡8萬人，負傷20萬人，失蹤3萬人。", "8萬人", 80000, 80000, False, "killed"),
    ("蘇軍陣亡8萬人，負傷20萬人，失蹤3萬人。", "20萬人", 200000, 200000, False, "wounded"),
    ("蘇軍陣亡8萬人，負傷20萬人，失蹤3萬人。", "3萬人", 30000, 30000, False, "missing"),
    ("德军伤亡约5000人。", "约5000人", 5000, 5000, True, "total"),
    ("據統計，蘇軍的傷亡超過50萬人。", "超過50萬人", 500000, None, False, "total"),
    ("德軍損失不到3000人。", "不到3000人", None, 3000, False, "total"),
    ("德军俘虏了苏军65万人。", "65万人", 650000, 650000, False, "captured"),
    # compound categories before their parts
    ("苏军阵亡或失踪5万人。", "5万人", 50000, 50000, False, "killed_or_missing"),
    ("苏军的不可恢复损失为30万人，卫生减员为60万人。", "30万人", 300000, 300000, False, "killed_or_captured"),
    ("苏军的不可恢复损失为30万人，卫生减员为60万人。", "60万人", 600000, 600000, False, "wounded_or_sick"),
    # loss word after the figure; 余 between number and noun = more than
    ("德軍有3萬人被俘，另有1萬餘人陣亡。", "3萬人", 30000, 30000, False, "captured"),
    ("德軍有3萬人被俘，另有1萬餘人陣亡。", "1萬餘人", 10000, None, False, "killed"),
    ("这一战役中，德军有五千余人阵亡，近万人负伤。", "五千余人", 5000, None, False, "killed"),
    ("这一战役中，德军有五千余人阵亡，近万人负伤。", "近万人", 10000, 10000, True, "wounded"),
    ("德军有近2000人投降。", "近2000人", 2000, 2000, True, "captured"),
    ("共有2000余名士兵在突围中阵亡。", "2000余名士兵", 2000, None, False, "killed"),
    # a figure right after a comma (，folds to ",": not a thousands separator after a word)
    ("德軍傷亡5000人，3000人被俘。", "3000人", 3000, 3000, False, "captured"),
    # each member of a list with its own loss word
    ("此役德軍陣亡5000人、負傷2000人。", "2000人", 2000, 2000, False, "wounded"),
    # a noun that is itself a loss word
    ("據說該集團軍只有五千名倖存者逃向南方。", "五千名倖存者", 5000, 5000, False, "survivors"),
    ("战役结束时共有9万名俘虏。", "9万名俘虏", 90000, 90000, False, "captured"),
    ("该集团军只剩下不足3000人突出重围。", "不足3000人", None, 3000, False, "survivors"),
])
def test_casualties(zh, text, span, low, high, approx, category):
    f = _one(zh, text, span, "casualty")
    assert (f["low"], f["high"], f["approx"], f["category"]) == (low, high, approx, category)


@pytest.mark.parametrize("text,span,low,high,equipment", [
    ("此役德军损失坦克300余辆。", "坦克300余辆", 300, None, "tanks"),
    ("第2坦克集团军损失了约300辆坦克。", "约300辆坦克", 300, 300, "tanks"),
    ("蘇軍擊毀德軍戰車120輛。", "戰車120輛", 120, 120, "tanks"),
    ("此役德軍損失坦克300輛、火炮200門和飛機50架。", "火炮200門", 200, 200, "guns"),
    ("此役德軍損失坦克300輛、火炮200門和飛機50架。", "飛機50架", 50, 50, "aircraft"),
    ("苏军缴获坦克120辆、汽车3000辆。", "汽车3000辆", 3000, 3000, "vehicles"),
])
def test_equipment_losses(zh, text, span, low, high, equipment):
    f = _one(zh, text, span, "casualty")
    assert (f["low"], f["high"], f["category"], f["equipment"]) == (low, high, "equipment", equipment)


@pytest.mark.parametrize("text,span,low,high,approx,what,unit_branch", [
    ("蘇軍第四突擊集羣的兩個騎兵軍正沿公路追擊。", "兩個騎兵軍", 2, 2, False, "corps", "cavalry"),
    ("西方面军则以四个集团军沿公路发起攻击。", "四个集团军", 4, 4, False, "armies", None),
    ("4個快速兵團在運動中呈現出一字陣形。", "4個快速兵團", 4, 4, False, "formations", None),
    ("下屬部隊共計3摩托化軍和2個步兵軍。", "3摩托化軍", 3, 3, False, "corps", "motorized"),
    ("下屬部隊共計3摩托化軍和2個步兵軍。", "2個步兵軍", 2, 2, False, "corps", "infantry"),
    ("在北方战线中部4集团军(第31、33、49、50集团军)继续攻击。", "4集团军", 4, 4, False, "armies", None),
    ("距离前线约100公里处集结了3个步兵师。", "3个步兵师", 3, 3, False, "divisions", "infantry"),
    ("苏军投入了两个坦克军。", "两个坦克军", 2, 2, False, "corps", "tank"),
    ("第3集團軍共有25萬人、坦克400輛。", "25萬人", 250000, 250000, False, "men", None),
    ("第3集團軍共有25萬人、坦克400輛。", "坦克400輛", 400, 400, False, "tanks", None),
    ("蘇軍共約25萬人，坦克1000餘輛。", "約25萬人", 250000, 250000, True, "men", None),
    ("蘇軍共約25萬人，坦克1000餘輛。", "坦克1000餘輛", 1000, None, False, "tanks", None),
    ("当时该集团军约有8万人。", "约有8万人", 80000, 80000, True, "men", None),
    ("守軍3000至4000人。", "3000至4000人", 3000, 4000, False, "men", None),
    ("该师剩下的兵力在5000人左右。", "5000人左右", 5000, 5000, True, "men", None),
    ("德军集中了300辆坦克和2000门火炮。", "300辆坦克", 300, 300, False, "tanks", None),
    ("德军集中了300辆坦克和2000门火炮。", "2000门火炮", 2000, 2000, False, "guns", None),
])
def test_strengths(zh, text, span, low, high, approx, what, unit_branch):
    f = _one(zh, text, span, "strength")
    assert (f["low"], f["high"], f["approx"], f["what"], f["unit_branch"]) == (low, high, approx, what, unit_branch)


def test_side_of_a_figure_comes_from_the_nearest_side_word(zh):
    fs = _figures(zh, "德军伤亡约5000人，苏军阵亡1200人。")
    assert [(f["text"], f["side"]) for f in fs] == [("约5000人", "DE"), ("1200人", "SU")]


@pytest.mark.parametrize("text", [
    # anaphora, partitive, indefinite, ratio, the count of a list of designations
    "这两个集团军都在口袋之中。",
    "這兩個集團軍損失慘重。",
    "其中两个师是匈牙利的。",
    "德軍從斯摩棱斯克向東北猛插的一個師到達了別雷。",
    "每10人中就有1人陣亡。",
    "德軍將蘇第39和第22兩集團軍分割開來。",
    # "the two of them", not a force
    "两人都在战斗中阵亡。",
    "二人被俘。",
    # numbers that are dates, distances or designations
    "1942年3月21日,第29集团军转入防御。",
    "部队在距离城市80公里处停下。",
])
def test_not_figures(zh, text):
    assert _figures(zh, text) == [], [f["text"] for f in _figures(zh, text)]


# -- the data stays consistent ---------------------------------------------------------
def _alternatives(regex: str) -> set[str]:
    """The literal words of an alternation macro, lookarounds left out."""
    bare = re.sub(r"\(\?<?[=!](?:[^()]|\([^()]*\))*\)", "", regex)
    return set(re.findall(r"[\u4e00-\u9fff、]+", bare))


def test_cue_macros_and_lexicon_cues_agree():
    """The loss words inside the casualty patterns are the cues of the lexicon, by category."""
    macros = resources.load_json("patterns/zh/macros.json")
    cues = resources.lexicon("zh", "figures")["cues"]
    by_cat: dict[str, set[str]] = {}
    for c in cues:
        by_cat.setdefault(c["category"], set()).add(c["phrase"])
    for key, regex in macros.items():
        if key.startswith(("GCUEB_", "GCUEA_")):
            cat = key.split("_", 1)[1].lower()
            assert _alternatives(regex) <= by_cat[cat], key


def test_kept_qualifiers_set_low_or_high():
    """GQUALPRE (the qualifiers kept in a span) are qualifiers of the lexicon that set low/high."""
    macros = resources.load_json("patterns/zh/macros.json")
    quals = resources.lexicon("zh", "figures")["qualifiers_before"]
    words = _alternatives(macros["GQUALPRE"])
    assert words <= set(quals)
    assert all(quals[w] in ("approx", "min", "max") for w in words)


def test_figure_nouns_map_to_whats():
    lex = resources.lexicon("zh", "figures")
    assert set(lex["unit_nouns"]) <= set(lex["nouns"].values())
    assert set(lex["equipment"]) <= set(lex["nouns"].values())
    macros = resources.load_json("patterns/zh/macros.json")
    assert _alternatives(macros["GMEN"]) | _alternatives(macros["GEQUIP"]) <= set(lex["nouns"])


def test_casualty_patterns_come_before_strength_patterns():
    ids = []
    with open(resources.models_path("patterns", "zh", "figures.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("//"):
                ids.append(json.loads(line)["id"])
    last_casualty = max(i for i, x in enumerate(ids) if x.startswith("zh.casualty."))
    first_other = min(i for i, x in enumerate(ids) if not x.startswith("zh.casualty."))
    assert last_casualty < first_other
