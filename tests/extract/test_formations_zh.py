"""Chinese formations: designation spans, echelon/number/branch/guards, names and sides.

Sentences written for these tests, in Traditional and Simplified, with mainland
(集团军, 坦克) and Taiwan (軍團, 戰車) vocabulary and the compressed forms of web
texts (4甲集团军, 32团军, 4降军).  Spans are checked against the ORIGINAL text.
Conventions (NOTES.md): the span is the designation only (no 德军/苏军/苏, no
possessive owner); anaphora (该集团军, 这两个集团军, 各骑兵军) and theatres are not
formations; 第39和第22两集团军 gives two armies.
"""
from __future__ import annotations

import json
import re

import pytest

from pipeline import resources
from pipeline.nlp import extractor

KEYS = ("echelon", "number", "branch", "guards", "side", "name")


@pytest.fixture(scope="module")
def zh():
    return extractor("zh")


def _formations(zh, text):
    _, mentions = zh.extract(text)
    out = [m.model_dump() for m in mentions if m.type == "formation"]
    for f in out:
        assert text[f["start"]:f["end"]] == f["text"], "offsets must index the original text"
    return out


def _one(zh, text, span):
    fs = _formations(zh, text)
    hits = [f for f in fs if f["text"] == span]
    assert len(hits) == 1, f"expected one formation {span!r}, got {[f['text'] for f in fs]}"
    assert hits[0]["start"] == text.index(span)
    return hits[0]


def _key(f):
    return tuple(f[k] for k in KEYS)


@pytest.mark.parametrize("text,span,key", [
    # numbered, Arabic and Chinese numerals, both scripts
    ("1941年12月，第29集團軍在加裡寧以南轉入進攻。", "第29集團軍", ("army", 29, None, False, None, None)),
    ("1941年12月，第二十九集团军在加里宁以南转入进攻。", "第二十九集团军", ("army", 29, None, False, None, None)),
    # 集团军群 is an army group, 集团军 an army: the echelon follows the characters
    ("第二裝甲集團軍羣向圖拉推進。", "第二裝甲集團軍羣", ("army_group", 2, "panzer", False, "DE", None)),
    ("第二装甲集团军向图拉推进。", "第二装甲集团军", ("army", 2, "panzer", False, "DE", None)),
    # Taiwan: 軍團 = army, 戰車 = tank
    ("第3戰車軍團在1943年夏季投入反攻。", "第3戰車軍團", ("army", 3, "tank", False, "SU", None)),
    ("第3坦克集团军在1943年夏季投入反攻。", "第3坦克集团军", ("army", 3, "tank", False, "SU", None)),
    ("德軍第6軍團在伏爾加河畔覆滅。", "第6軍團", ("army", 6, None, False, "DE", None)),
    # guards, before or after the number; branch words before 第N
    ("近衛坦克第5集團軍於7月12日投入戰鬥。", "近衛坦克第5集團軍", ("army", 5, "tank", True, "SU", None)),
    ("第5近卫坦克集团军于7月12日投入战斗。", "第5近卫坦克集团军", ("army", 5, "tank", True, "SU", None)),
    ("第8近衛集團軍沿河岸展開。", "第8近衛集團軍", ("army", 8, None, True, "SU", None)),
    ("騎兵第7軍沿公路向西追擊。", "騎兵第7軍", ("corps", 7, "cavalry", False, "SU", None)),
    ("第7骑兵军沿公路向西追击。", "第7骑兵军", ("corps", 7, "cavalry", False, "SU", None)),
    ("第2近卫骑兵军在林中集结。", "第2近卫骑兵军", ("corps", 2, "cavalry", True, "SU", None)),
    ("第5突擊集團軍突破了防線。", "第5突擊集團軍", ("army", 5, "shock", False, "SU", None)),
    ("第3机械化军和第18坦克军", "第3机械化军", ("corps", 3, "mechanized", False, "SU", None)),
    ("第3机械化军和第18坦克军", "第18坦克军", ("corps", 18, "tank", False, "SU", None)),
    ("第5空降軍被空投到敵後。", "第5空降軍", ("corps", 5, "airborne", False, "SU", None)),
    ("第48摩托化军向南推进。", "第48摩托化军", ("corps", 48, "motorized", False, None, None)),
    ("第7装甲师的坦克抵达河边。", "第7装甲师", ("division", 7, "panzer", False, "DE", None)),
    ("第258步兵師守衛着渡口。", "第258步兵師", ("division", 258, "infantry", False, None, None)),
    ("第44坦克旅在村莊以東。", "第44坦克旅", ("brigade", 44, "tank", False, "SU", None)),
    ("第1052步兵團堅守高地。", "第1052步兵團", ("regiment", 1052, "infantry", False, None, None)),
    ("第3突击集群从北面迂回。", "第3突击集群", ("group", 3, "shock", False, "SU", None)),
    ("第1装甲集群向基辅推进。", "第1装甲集群", ("group", 1, "panzer", False, "DE", None)),
    # the SS in the designation
    ("黨衛軍第2裝甲軍在哈爾科夫以北集結。", "黨衛軍第2裝甲軍", ("corps", 2, "panzer", False, "DE", None)),
])
def test_numbered_designations(zh, text, span, key):
    assert _key(_one(zh, text, span)) == key


@pytest.mark.parametrize("text,span,key", [
    # 第 dropped in web texts
    ("德军5装甲师也从南面赶到河边。", "5装甲师", ("division", 5, "panzer", False, "DE", None)),
    ("苏军29集团军正攻向河的南岸。", "29集团军", ("army", 29, None, False, "SU", None)),
    ("戰線南部，29集團軍正攻向河的南岸。", "29集團軍", ("army", 29, None, False, None, None)),
    # 甲 = 装甲, 团军 = 集团军, 击 = 突击, 降 = 空降
    ("這樣就減輕了4甲集團軍東面的壓力。", "4甲集團軍", ("army", 4, "panzer", False, "DE", None)),
    ("第3甲集团军顶住了敌人的进攻。", "第3甲集团军", ("army", 3, "panzer", False, "DE", None)),
    ("德軍7團軍撤向西面。", "7團軍", ("army", 7, None, False, "DE", None)),
    ("在城中坚守的苏军第43团军面临被包围的危险。", "第43团军", ("army", 43, None, False, "SU", None)),
    ("葉廖緬科的3擊集團軍運動極為緩慢。", "3擊集團軍", ("army", 3, "shock", False, "SU", None)),
    ("苏军5降军之一部被包围在林中。", "5降军", ("corps", 5, "airborne", False, "SU", None)),
])
def test_compressed_forms(zh, text, span, key):
    assert _key(_one(zh, text, span)) == key


@pytest.mark.parametrize("text,span,key", [
    ("西方方面軍從莫斯科以西發起反攻。", "西方方面軍", ("front", None, None, False, "SU", "West")),
    ("西方面军从莫斯科以西发起反攻。", "西方面军", ("front", None, None, False, "SU", "West")),
    ("加里宁方面军从北面配合。", "加里宁方面军", ("front", None, None, False, "SU", "Kalinin")),
    ("布良斯克方面軍在奧廖爾以東。", "布良斯克方面軍", ("front", None, None, False, "SU", "Bryansk")),
    ("中央方面軍在庫爾斯克以北防禦。", "中央方面軍", ("front", None, None, False, "SU", "Central")),
    ("西南方面军和南方面军同时进攻。", "西南方面军", ("front", None, None, False, "SU", "Southwest")),
    ("南方面军同时从东面进攻。", "南方面军", ("front", None, None, False, "SU", "South")),
    ("白俄罗斯第一方面军直指柏林。", "白俄罗斯第一方面军", ("front", 1, None, False, "SU", "Belorussian")),
    ("第1烏克蘭方面軍從南面推進。", "第1烏克蘭方面軍", ("front", 1, None, False, "SU", "Ukrainian")),
    ("中央集團軍群被迫後撤。", "中央集團軍群", ("army_group", None, None, False, "DE", "Mitte")),
    ("北方集团军群包围了列宁格勒。", "北方集团军群", ("army_group", None, None, False, "DE", "Nord")),
    # Taiwan: 中央集團軍 (without 群) is Army Group Centre
    ("中央集團軍在莫斯科城下受挫。", "中央集團軍", ("army_group", None, None, False, "DE", "Mitte")),
    ("裝甲教導師在諾曼第損失慘重。", "裝甲教導師", ("division", None, "panzer", False, "DE", "Panzer Lehr")),
    ("大德意志师在别尔哥罗德以北。", "大德意志师", ("division", None, "panzergrenadier", False, "DE", "Grossdeutschland")),
])
def test_named_units(zh, text, span, key):
    assert _key(_one(zh, text, span)) == key


def test_group_named_after_its_commander(zh):
    text = "普利耶夫騎機集羣則仍在向西面進攻。"
    f = _one(zh, text, "普利耶夫騎機集羣")
    assert _key(f) == ("group", None, "cavalry_mechanized", False, "SU", "Pliyev")
    f = _one(zh, "古德里安装甲集群向南旋转。", "古德里安装甲集群")
    assert (f["echelon"], f["branch"], f["name"], f["side"]) == ("group", "panzer", "Guderian", "DE")


@pytest.mark.parametrize("text,spans,key", [
    # 两 after a list is the count of the list, each number is an army
    ("德軍將蘇第39和第22兩集團軍分割開來。", ["第39", "第22"], ("army", None, False, "SU")),
    ("第13、第48、第70集团军在奥廖尔方向作战。", ["第13", "第48", "第70集团军"], ("army", None, False, None)),
    ("第1、第2近卫坦克军投入战斗。", ["第1", "第2近卫坦克军"], ("corps", "tank", True, "SU")),
])
def test_lists(zh, text, spans, key):
    fs = _formations(zh, text)
    assert [f["text"] for f in fs] == spans
    for f in fs:
        assert (f["echelon"], f["branch"], f["guards"], f["side"]) == key
    assert [f["number"] for f in fs] == [int(re.sub(r"\D", "", s)) for s in spans]


@pytest.mark.parametrize("text,span,side", [
    # a side word right before the designation wins over what its branch implies
    ("德军第1骑兵师在普里皮亚季沼泽作战。", "第1骑兵师", "DE"),
    ("匈牙利第1裝甲師在頓河畔被擊潰。", "第1裝甲師", "HU"),
    ("羅馬尼亞第3集團軍的防線被突破。", "第3集團軍", "RO"),
    ("意大利第8集团军沿顿河防守。", "第8集团军", "IT"),
    ("蘇軍第2集團軍在沃爾霍夫作戰。", "第2集團軍", "SU"),
    ("德軍第2集團軍在沃羅涅日作戰。", "第2集團軍", "DE"),
    # a side from the sentence when nothing is adjacent
    ("苏军在城北投入了新锐的第10集团军。", "第10集团军", "SU"),
])
def test_sides(zh, text, span, side):
    assert _one(zh, text, span)["side"] == side


def test_side_words_are_not_read_inside_place_names(zh):
    # 苏 in 苏希尼奇 is not "Soviet": the unit keeps the side it had earlier in the text
    fs = _formations(zh, "德军第4集团军撤出了尤赫诺夫。在苏希尼奇以北,第4集团军的后卫仍在抵抗。")
    assert [(f["text"], f["side"]) for f in fs] == [("第4集团军", "DE"), ("第4集团军", "DE")]


@pytest.mark.parametrize("text,span,key", [
    # garbled web text: junk cuts the echelon, numbers missing or fused -> no unreliable value
    ("第4裝甲集|:.7||聯繫,並切斷了後方。", "第4裝甲集", ("army", 4, "panzer", False, "DE", None)),
    ("正在追擊德軍第師的騎兵。", "第師", ("division", None, None, False, "DE", None)),
    ("在中部4集團軍(第31、334950團軍)繼續攻擊。", "334950團軍", ("army", None, None, False, None, None)),
])
def test_garbled_designations(zh, text, span, key):
    f = _one(zh, text, span)
    assert _key(f)[:4] == key[:4]


@pytest.mark.parametrize("text", [
    "他是第一個到達前線的人，第二天就返回了。",
    "這支部隊的第一次進攻失敗了。",
    "第三帝國的軍隊在東線作戰。",
    "該集團軍開始後撤，各騎兵軍正忙於保持包圍圈。",
    "这两个集团军都在口袋之中。",
    "莫斯科軍區和第1軍區的部隊被調往前線。",
    "第一师范学校的学生参加了民兵。",
    "他参加了旅行团，获得第2团体赛冠军。",
    "朱可夫擔任了西戰區司令員。",
    "德军从斯摩棱斯克向东北猛插的一个师到达了别雷。",
    "德軍的裝甲部隊和空降部隊一起行動。",
    # counts are strengths, not designations
    "共计3摩托化军和2个步兵军接到了新的命令。",
    "苏军投入了四个集团军。",
])
def test_not_formations(zh, text):
    fs = _formations(zh, text)
    assert fs == [], [f["text"] for f in fs]


def test_count_before_a_list_is_not_a_formation(zh):
    fs = _formations(zh, "在北方战线中部4集团军(第31、33、49、50集团军)继续攻击。")
    assert [f["text"] for f in fs] == ["第31", "33", "49", "50集团军"]
    assert [f["number"] for f in fs] == [31, 33, 49, 50]


def test_possessive_owner_is_the_commander_not_part_of_the_span(zh):
    text = "巴托夫的第65集團軍和羅科索夫斯基的頓河方面軍包圍了保盧斯的第6集團軍。"
    fs = {f["text"]: f for f in _formations(zh, text)}
    assert set(fs) == {"第65集團軍", "頓河方面軍", "第6集團軍"}
    assert fs["第65集團軍"]["commander"] == "Pavel Batov"
    assert fs["頓河方面軍"]["commander"] == "Konstantin Rokossovsky"
    assert fs["第6集團軍"]["commander"] == "Friedrich Paulus"
    assert fs["第6集團軍"]["side"] == "DE"


# -- the data stays consistent ---------------------------------------------------------
def test_echelon_words_of_the_patterns_are_in_the_lexicon():
    lex = resources.lexicon("zh", "formations")
    macros = resources.load_json("patterns/zh/macros.json")
    words = set(re.findall(r"[\u4e00-\u9fff]+", re.sub(r"\(\?![^)]*\)", "", macros["FECH"])))
    assert words <= set(lex["echelons"])
    assert set(lex["prefix_branches"]) <= set(lex["branches"])
    assert all(len(w) > 1 for w in lex["prefix_branches"]), "one-character compressed forms only after the number"
    assert lex["word_boundaries"] is False


def test_front_names_are_canonical_english_names():
    lex = resources.lexicon("zh", "formations")
    en = resources.lexicon("en", "formations")
    english = set(en["names"].values()) | set(en["front_names"])
    for zh_name in lex["front_names"]:
        assert lex["names"][zh_name] in english | {"Moscow Reserve", "Far Eastern", "Trans-Baikal",
                                                   "Mozhaisk", "Orel", "Kursk", "Caucasus", "Crimean",
                                                   "Karelian", "Leningrad", "Volkhov", "Kalinin", "Bryansk",
                                                   "Voronezh", "Stalingrad", "Don"}


def test_formation_patterns_are_valid_json_lines():
    with open(resources.models_path("patterns", "zh", "formations.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("//"):
                row = json.loads(line)
                assert row["id"].startswith("zh.unit.")
