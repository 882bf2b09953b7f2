"""Formations of every army the sources write about: coordinated lists, US-style ordinals and
footnote digits in English; the Chinese theatre's echelons, read by the side that owns the unit."""
import pytest

from pipeline.nlp import extractor


def units(lang, text):
    _, mentions = extractor(lang).extract(text)
    return [(m.text, m.echelon, m.number, m.side, m.name) for m in mentions if m.type == "formation"]


@pytest.mark.parametrize("text,expected", [
    ("The 1st and 2nd Belorussian Fronts closed the ring.",
     [("1st", "front", 1, "SU", "Belorussian"), ("2nd Belorussian Fronts", "front", 2, "SU", "Belorussian")]),
    ("The 3rd, 5th and 10th Armies fell back.",
     [("3rd", "army", 3, "SU", None), ("5th", "army", 5, "SU", None), ("10th Armies", "army", 10, "SU", None)]),
    ("The 52d Division crossed; the VII Corps12 waited.",
     [("52d Division", "division", 52, None, None), ("VII Corps", "corps", 7, None, None)]),
])
def test_english_lists_ordinals_and_footnotes(text, expected):
    got = units("en", text)
    assert [g[:3] for g in got] == [e[:3] for e in expected]
    assert [g[4] for g in got] == [e[4] for e in expected]


def test_an_army_group_takes_the_name_written_after_it():
    assert units("en", "Army Group Weser withdrew.") == [("Army Group Weser", "army_group", None, "DE", "Weser")]


def test_a_front_list_ending_in_one_front_word_still_lists_every_front():
    got = units("en", "It struck the Western, Kalinin and Bryansk Front at once.")
    assert [g[4] for g in got] == ["West", "Kalinin", "Bryansk"]


@pytest.mark.parametrize("text,expected", [
    # the Japanese 軍 is an army, the Chinese 軍 a corps and 集團軍 an army group
    ("日軍第13軍向南推進。", [("第13軍", "army", 13, "JP")]),
    ("國軍第18軍與第33集團軍固守。", [("第18軍", "corps", 18, "CN"), ("第33集團軍", "army_group", 33, "CN")]),
    ("蘇軍第5集團軍渡河。", [("第5集團軍", "army", 5, "SU")]),
    # war areas, divisions of the Japanese army, the 1938 groups
    ("第三戰區與第七戰區協同作戰。", [("第三戰區", "front", 3, "CN"), ("第七戰區", "front", 7, "CN")]),
    ("日軍第六師團與第101師團會合。", [("第六師團", "division", 6, "JP"), ("第101師團", "division", 101, "JP")]),
    ("第2、第4戰區部隊撤退。", [("第2", "front", 2, "CN"), ("第4戰區", "front", 4, "CN")]),
])
def test_chinese_theatre_echelons(text, expected):
    assert [u[:4] for u in units("zh-Hant", text)] == expected


def test_japanese_area_armies_are_named_units_not_soviet_fronts():
    got = units("zh-Hant", "華北方面軍與華中方面軍南北對進，關東軍增援。")
    assert got == [("華北方面軍", "army_group", None, "JP", "North China Area Army"),
                   ("華中方面軍", "army_group", None, "JP", "Central China Area Army"),
                   ("關東軍", "army", None, "JP", "Kwantung Army")]


def test_a_unit_takes_the_side_of_the_known_unit_before_it_in_its_sentence():
    # the document's majority (Japanese) must not decide a Chinese army group of a Chinese list
    text = ("日軍第3師團、第6師團與第13師團南下。第五戰區司令長官決定以第20集團軍、第31集團軍阻擊。")
    got = {u[0]: (u[1], u[3]) for u in units("zh-Hant", text)}
    assert got["第31集團軍"] == ("army_group", "CN")
