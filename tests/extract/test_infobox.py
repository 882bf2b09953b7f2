"""Names listed under an infobox's commanders heading or field are people, one an item."""
import pytest

from pipeline.nlp import extractor


def people(lang, text):
    _, mentions = extractor(lang).extract(text)
    return [(m.text, m.side) for m in mentions if m.type == "person"]


def test_english_field_lines_give_each_listed_name_with_the_column_side():
    text = ("Infobox\n- Combatant1: Soviet Union\n- Combatant2: Germany\n"
            "- Commander1: Pavel OrlovKIA, Semyon Dorin\n- Commander2: Otto Brenner (WIA) | Kurt Adler\n"
            "The fighting began in the spring.")
    found = people("en", text)
    assert ("Pavel Orlov", "SU") in found and ("Semyon Dorin", "SU") in found
    assert ("Otto Brenner", "DE") in found and ("Kurt Adler", "DE") in found


def test_english_heading_section_ends_at_the_next_heading():
    text = "Commanders and leaders\nArvid Lenz\nStrength\n20,000 men\nThe town held for a week.\n"
    assert people("en", text) == [("Arvid Lenz", None)]


@pytest.mark.parametrize("lang,text,expected", [
    ("zh-Hant", "指揮官與領導者\n中華民國 王大明 (第8軍軍長)\n大日本帝國 山田太郎投降\n兵力\n約3萬人\n",
     [("王大明", "CN"), ("山田太郎", "JP")]),
    ("zh-Hans", "指挥官与领导者\n苏联伊万·彼得罗维奇·彼得罗夫\n兵力\n约3万人\n",
     [("伊万·彼得罗维奇·彼得罗夫", "SU")]),
    ("zh-Hant", "指揮官與領導者\n鈴木一郎日語鈴木一郎\n兵力\n", [("鈴木一郎", None), ("鈴木一郎", None)]),
])
def test_chinese_commander_lines(lang, text, expected):
    assert people(lang, text) == expected


def test_a_japanese_princes_title_is_left_out_of_the_name():
    found = people("zh-Hant", "指揮官與領導者\n大日本帝國 朝香宮鳩彥王\n兵力\n")
    assert found == [("朝香宮鳩彥", "JP")]


def test_lines_that_are_not_names_are_not_people():
    text = "指揮官與領導者\n第五師團\n3,000人\n兵力\n"
    assert people("zh-Hant", text) == []
