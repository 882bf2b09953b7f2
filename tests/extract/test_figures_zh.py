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
def test_every_loss_word_is_in_the_cue_lexicon_only():
    """No loss word is spelled out in a pattern or macro: templates take them from the lexicon."""
    cues = resources.lexicon("zh", "figures")["cues"]
    macros = json.dumps(resources.load_json("patterns/zh/macros.json"), ensure_ascii=False)
    patterns = " ".join(row["regex"] for row in resources.patterns("zh", "figures"))
    for word, cue in cues.items():
        if len(word) > 1 and cue.get("category"):
            assert word not in patterns, word
            assert f"|{word}|" not in macros and f"(?:{word}|" not in macros, word


def test_figure_words_map_to_whats_and_categories():
    from pipeline.records import CasualtyMention

    lex = resources.lexicon("zh", "figures")
    whats = set(lex["nouns"].values()) | set(lex["equipment_nouns"].values()) | set(lex["units"].values())
    assert set(lex["unit_whats"]) <= whats
    categories = set(CasualtyMention.model_fields["category"].annotation.__args__)
    for word, cue in lex["cues"].items():
        assert cue.get("category") in categories | {None}, word
        assert set(cue.get("where", [])) <= {"before", "after", "head"}, word
    for combo in lex["combinations"]:
        assert set(combo["parts"]) | {combo["category"]} <= categories


def test_qualifier_positions_are_the_qualifiers_split():
    lex = resources.lexicon("zh", "figures")
    split = {**lex["qualifiers_before"], **lex["qualifiers_between"], **lex["qualifiers_after"]}
    assert all(lex["qualifiers"][w] == kind for w, kind in split.items())


# -- sections, labels, compounds ----------------------------------------------------------------

def test_a_heading_carries_down_the_list_lines_under_it(zh):
    text = "兵力\n約90,000人\n420輛坦克\n傷亡與損失\n12,400人陣亡、受傷或失蹤\n被俘:3,150\n火砲:214\n德軍:6個師\n"
    rows = [(f["type"], f["text"], f.get("category"), f.get("equipment")) for f in _figures(zh, text)]
    assert rows == [("strength", "約90,000人", None, None), ("strength", "420輛坦克", None, None),
                    ("casualty", "12,400人", "total", None), ("casualty", "3,150", "captured", None),
                    ("casualty", "214", "equipment", "guns"), ("casualty", "6個師", "equipment", "divisions")]


@pytest.mark.parametrize("text,span,category", [
    ("此役蘇軍陣亡或失蹤7,300人。", "7,300人", "killed_or_missing"),
    ("德軍共有4,100人陣亡、失蹤和被俘。", "4,100人", "killed_or_missing"),
    ("該軍有2,600人負傷或生病。", "2,600人", "wounded_or_sick"),
    ("守軍有1,800人因傷病死亡。", "1,800人", "killed"),
    ("學界有作戰傷亡9萬、6萬等推論。", "6萬", "total"),
    ("雨季瘧疾流行，守軍非戰鬥減員達20,000以上。", "20,000以上", "sick"),
])
def test_compound_loss_words_and_lists_share_a_category(zh, text, span, category):
    f = _one(zh, text, span, "casualty")
    assert f["category"] == category


def test_a_force_word_nearer_than_a_loss_word_makes_a_strength(zh):
    f = _one(zh, "該師在損失慘重之後剩下的兵力約4000人。", "約4000人", "strength")
    assert (f["low"], f["approx"]) == (4000, True)
