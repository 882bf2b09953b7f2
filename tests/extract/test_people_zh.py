"""Chinese person mentions: knowledge-base names, unknown transliterated names found by
their context (rank, command verbs and posts, possessive before a formation), Latin
initials, ranks, and what is not a person.

Sentences written for these tests, in Traditional and Simplified.  Spans are checked
against the ORIGINAL text.  Conventions (NOTES.md): the span is the name as written,
without rank or possessive; 司令员 is a post, not a rank; an unknown name is rendered
in pinyin with name_known false.
"""
from __future__ import annotations

import pytest

from pipeline import resources
from pipeline.nlp import extractor


@pytest.fixture(scope="module")
def zh():
    return extractor("zh")


def _people(zh, text):
    _, mentions = zh.extract(text)
    out = [m.model_dump() for m in mentions if m.type == "person"]
    for p in out:
        assert text[p["start"]:p["end"]] == p["text"], "offsets must index the original text"
    return out


def _one(zh, text, span):
    ps = _people(zh, text)
    hits = [p for p in ps if p["text"] == span]
    assert len(hits) == 1, f"expected one person {span!r}, got {[p['text'] for p in ps]}"
    assert hits[0]["start"] == text.index(span)
    return hits[0]


@pytest.mark.parametrize("text,span,name,rank", [
    # rank after the name, rank before it; both scripts
    ("曼施坦因元帥命令第4裝甲軍團向北突擊。", "曼施坦因", "Erich von Manstein", "元帅"),
    ("曼施坦因元帅命令第4装甲集团军向北突击。", "曼施坦因", "Erich von Manstein", "元帅"),
    ("苏联元帅罗科索夫斯基指挥白俄罗斯第二方面军。", "罗科索夫斯基", "Konstantin Rokossovsky", "苏联元帅"),
    ("朱可夫大將在莫斯科城下指揮反攻。", "朱可夫", "Georgy Zhukov", "大将"),
    ("第11装甲师师长巴尔克少将率领部队突入。", "巴尔克", "Hermann Balck", "少将"),
    ("古德里安將軍的第2裝甲集團軍向圖拉推進。", "古德里安", "Heinz Guderian", "将军"),
    # a post is not a rank
    ("西方方面军司令员朱可夫下令进攻。", "朱可夫", "Georgy Zhukov", None),
    # a full name the knowledge base knows is taken whole
    ("瓦西里·崔可夫中將指揮第62集團軍。", "瓦西里·崔可夫", "Vasily Chuikov", "中将"),
    # a given-name spelling the knowledge base lacks: the name is taken whole, known by its surname
    ("季米特里·列柳申科将军的第3近卫坦克集团军。", "季米特里·列柳申科", "Dmitry Lelyushenko", "将军"),
    ("德米特里·达尼洛维奇·列柳申科将军到达前线。", "德米特里·达尼洛维奇·列柳申科", "Dmitry Lelyushenko", "将军"),
])
def test_known_people_with_ranks(zh, text, span, name, rank):
    p = _one(zh, text, span)
    assert (p["name"], p["rank"], p["name_known"]) == (name, rank, True)


def test_latin_initial_is_part_of_the_span_and_picks_the_namesake(zh):
    text = "最高統帥部將V庫茲涅佐夫的第1突擊集團軍撤走。"
    p = _one(zh, text, "V庫茲涅佐夫")
    assert p["name"] == "Vasily Kuznetsov"


@pytest.mark.parametrize("text,span,pinyin", [
    # unknown transliterated names, found by their context
    ("在沃罗比约夫的指挥下,该师守住了渡口。", "沃罗比约夫", "Wo Luobiyuefu"),
    ("扎哈爾琴科少將率領騎兵突入敵後。", "扎哈爾琴科", None),
    ("任命斯捷潘诺夫为第16集团军司令员。", "斯捷潘诺夫", None),
    ("巴拉诺夫斯基的第5骑兵军向西推进。", "巴拉诺夫斯基", None),
])
def test_unknown_names_from_context(zh, text, span, pinyin):
    p = _one(zh, text, span)
    assert p["name_known"] is False
    assert p["name"].isascii() and " " in p["name"]
    if pinyin:
        assert p["name"] == pinyin


def test_possessive_sets_the_commander(zh):
    _, mentions = zh.extract("戈利科夫的第3坦克集團軍與第40集團軍一道向哈爾科夫推進。")
    people = [m for m in mentions if m.type == "person"]
    forms = {m.text: m for m in mentions if m.type == "formation"}
    assert [p.text for p in people] == ["戈利科夫"]
    assert people[0].name == "Filipp Golikov"
    assert forms["第3坦克集團軍"].commander == "Filipp Golikov"
    assert forms["第40集團軍"].commander is None


@pytest.mark.parametrize("text,unit,commander", [
    ("第62集團軍在崔可夫的指揮下堅守城市。", "第62集團軍", "Vasily Chuikov"),
    ("第四装甲集团军群已经在隆美尔的指挥下集中了兵力。", "第四装甲集团军群", "Erwin Rommel"),
    ("季米特里·列柳申科将军的第3近卫坦克集团军。", "第3近卫坦克集团军", "Dmitry Lelyushenko"),
])
def test_commander_around_the_unit(zh, text, unit, commander):
    _, mentions = zh.extract(text)
    forms = {m.text: m for m in mentions if m.type == "formation"}
    assert forms[unit].commander == commander
    assert [m.name for m in mentions if m.type == "person"] == [commander]


def test_commander_in_parentheses_after_the_unit(zh):
    _, mentions = zh.extract("德軍第6集團軍(保盧斯)被包圍。")
    forms = [m for m in mentions if m.type == "formation"]
    assert forms[0].commander == "Friedrich Paulus"


@pytest.mark.parametrize("text", [
    # places and countries that read like transliterated names
    "在卡盧加的第50集團軍堅守陣地。",
    "斯摩棱斯克的德軍指揮部下令撤退。",
    "苏联命令第5集团军后撤。",
    # ordinary words before an anchor
    "他们统一指挥了这次战役。",
    "坦克的第一次冲击失败了。",
    "德军将军队调往南线。",
    # a lone Chinese word is not a name without the knowledge base
    "部队立刻意识到危险。",
])
def test_not_people(zh, text):
    assert _people(zh, text) == []


def test_name_is_not_read_across_a_rank(zh):
    ps = _people(zh, "德军第9集团军司令莫德尔大将和第2装甲集团军。")
    assert [(p["text"], p["name"], p["rank"]) for p in ps] == [("莫德尔", "Walter Model", "大将")]


# -- the data stays consistent ---------------------------------------------------------
def test_a_name_the_knowledge_base_writes_is_taken_whole_after_a_rank(zh):
    """The rank patterns read the knowledge base's Chinese names themselves (no copy to go stale):
    every full name it writes is one mention, never cut to a transliteration run."""
    from pipeline.extract.grammar import grammar, kb_names

    known = grammar("zh").compile("^{PKNOWN}$")
    assert all(known.match(n) for n in kb_names("zh_hans+zh_full_hans"))
    p = _one(zh, "元帥格奧爾基·朱可夫下令進攻。", "格奧爾基·朱可夫")
    assert p["name"] == "Georgy Zhukov"


def test_ranks_are_simplified_and_posts_are_not_ranks():
    lex = resources.lexicon("zh", "people")
    for post in ("司令员", "司令", "军长", "师长", "参谋长"):
        assert post not in lex["ranks"]
    for rank in ("元帅", "大将", "上将", "中将", "少将", "将军"):
        assert rank in lex["ranks"]


@pytest.mark.parametrize("text,spans", [
    # native names need a rank, a post or a verb of command around them
    ("第8軍軍長劉萬山率部渡河。", ["劉萬山"]),
    ("日本陸軍中將山口健次指揮第3師團。", ["山口健次"]),
    ("当时驻守此地的为第5军王汉章将军所部。", ["王汉章"]),
    # the same name again, its courtesy name, its surname before a title
    ("守將孫振邦，字靜遠，山東人。孫振邦率部死守。孫將軍陣亡。", ["孫振邦", "靜遠", "孫振邦", "孫"]),
    # a list of owners: one item found by context, the others follow
    ("遷來的有何德民的大同機器廠、宋子平、錢立仁的華光電器廠等。", ["何德民", "宋子平", "錢立仁"]),
])
def test_native_chinese_and_japanese_names_by_context(zh, text, spans):
    assert [p["text"] for p in _people(zh, text)] == spans


def test_no_person_in_an_ordinary_clause_before_a_post(zh):
    assert _people(zh, "高層決定撤退，方面軍司令官下令。") == []
