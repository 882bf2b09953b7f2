"""English casualty and strength figures: spans, low/high/approx, category, what, side.

Conventions (NOTES.md): the span is the number plus its noun, with the qualifiers that
set low/high ("about 15,000", "at least 20,000 men", "fewer than 3,000 men");
"at least" gives low only, "fewer than" high only, "about"/"some" approx. Counts of
undesignated units that make up a force are strengths ("six divisions"); anaphora
("the three armies"), partitives ("two of the front's armies") and ratios ("one in
every ten men") are not figures.
"""
from __future__ import annotations

import pytest

CASUALTY = ("text", "low", "high", "approx", "category")
STRENGTH = ("text", "low", "high", "approx", "what")


def _figures(mentions_of, text, type_):
    fs = mentions_of(text, type_)
    for f in fs:
        assert text[f["start"]:f["end"]] == f["text"], "offsets must index the original text"
    return fs


def _rows(fs, keys):
    return [tuple(f[k] for k in keys) for f in fs]


# -- casualties ------------------------------------------------------------------

@pytest.mark.parametrize(
    "text,expected",
    [
        ("The 6th Army lost 12,000 men killed and 30,000 wounded in the first week.",
         [("12,000 men", 12000, 12000, False, "killed"), ("30,000 wounded", 30000, 30000, False, "wounded")]),
        ("By the end of the operation the front had suffered 47,000 casualties.",
         [("47,000 casualties", 47000, 47000, False, "total")]),
        ("About 8,000 men were killed or missing in the Barvenkovo pocket.",
         [("About 8,000 men", 8000, 8000, True, "killed_or_missing")]),
        ("The corps lost 4,512 men killed or captured before the relief column arrived.",
         [("4,512 men", 4512, 4512, False, "killed_or_captured")]),
        ("The corps had 9,870 men wounded or sick by the end of February.",
         [("9,870 men", 9870, 9870, False, "wounded_or_sick")]),
        ("Nearly 2,000 men were taken ill with typhus in the camps.",
         [("Nearly 2,000 men", 2000, 2000, True, "sick")]),
        ("Malinovsky’s front took 90,000 prisoners in the Kessel.",
         [("90,000 prisoners", 90000, 90000, False, "captured")]),
        ("Losses in the bridgehead amounted to 2,100 men.",
         [("2,100 men", 2100, 2100, False, "total")]),
        # a loss word that heads the figure is part of its span
        ("The division suffered 1,200 killed in action on the first day.",
         [("1,200 killed in action", 1200, 1200, False, "killed")]),
    ],
)
def test_figures_casualty_category(mentions_of, text, expected):
    assert _rows(_figures(mentions_of, text, "casualty"), CASUALTY) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("At least 5,000 prisoners were taken by the 65th Army.",
         ("At least 5,000 prisoners", 5000, None, False, "captured")),
        ("Fewer than 2,000 men escaped from the pocket at Korsun.",
         ("Fewer than 2,000 men", None, 2000, False, "survivors")),
        ("In the end some 4,000 men broke out to the west.",
         ("some 4,000 men", 4000, 4000, True, "survivors")),
        ("More than 6,000 soldiers perished in the encirclement.",
         ("More than 6,000 soldiers", 6000, None, False, "killed")),
    ],
)
def test_figures_casualty_qualifiers_set_bounds(mentions_of, text, expected):
    assert _rows(_figures(mentions_of, text, "casualty"), CASUALTY) == [expected]


@pytest.mark.parametrize(
    "text,span,equipment,side",
    [
        ("The Germans lost some 300 tanks in the salient.", "some 300 tanks", "tanks", "DE"),
        ("The Hungarians lost 600 guns on the Don.", "600 guns", "guns", "HU"),
        ("The Luftwaffe lost 150 aircraft destroyed on the ground.", "150 aircraft", "aircraft", None),
    ],
)
def test_figures_equipment_losses(mentions_of, text, span, equipment, side):
    [c] = _figures(mentions_of, text, "casualty")
    assert (c["text"], c["category"], c["equipment"], c["side"]) == (span, "equipment", equipment, side)


def test_figures_coordinated_losses_share_the_verb(mentions_of):
    text = "In two days the 3rd Tank Army lost 45 tanks and 3,100 men."
    cs = _figures(mentions_of, text, "casualty")
    assert [(c["text"], c["category"], c["equipment"]) for c in cs] == [
        ("45 tanks", "equipment", "tanks"), ("3,100 men", "total", None)]


def test_figures_casualty_offsets_survive_curly_quotes_and_dashes(mentions_of):
    text = "“Soviet losses” – as the report put it – were 78,000 killed and 200,000 wounded."
    cs = _figures(mentions_of, text, "casualty")
    assert [(c["start"], c["end"], c["text"], c["category"], c["side"]) for c in cs] == [
        (46, 59, "78,000 killed", "killed", "SU"), (64, 79, "200,000 wounded", "wounded", "SU")]


# -- strengths -------------------------------------------------------------------

@pytest.mark.parametrize(
    "text,expected",
    [
        ("The front had 650,000 men, 1,800 tanks and 2,400 aircraft.",
         [("650,000 men", 650000, 650000, False, "men"), ("1,800 tanks", 1800, 1800, False, "tanks"),
          ("2,400 aircraft", 2400, 2400, False, "aircraft")]),
        ("The army numbered about 100,000 men when the thaw came.",
         [("about 100,000 men", 100000, 100000, True, "men")]),
        ("Each regiment numbered 1,500 to 2,000 men.",
         [("1,500 to 2,000 men", 1500, 2000, False, "men")]),
        ("The front deployed 1,200 guns and mortars along a 20 km sector.",
         [("1,200 guns and mortars", 1200, 1200, False, "guns_and_mortars")]),
        ("The cavalry corps moved with 3,000 horses and 400 trucks.",
         [("3,000 horses", 3000, 3000, False, "horses"), ("400 trucks", 400, 400, False, "vehicles")]),
    ],
)
def test_figures_strength_of_a_force(mentions_of, text, expected):
    assert _rows(_figures(mentions_of, text, "strength"), STRENGTH) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Zhukov committed six divisions to the attack on the Rzhev salient.",
         [("six divisions", 6, 6, False, "divisions")]),
        ("The Germans brought up 4 infantry divisions from France.",
         [("4 infantry divisions", 4, 4, False, "divisions")]),
        ("The 2nd Guards Army had two mechanized corps and a tank corps.",
         [("two mechanized corps", 2, 2, False, "corps")]),
    ],
)
def test_figures_count_of_undesignated_units_is_a_strength(mentions_of, text, expected):
    assert _rows(_figures(mentions_of, text, "strength"), STRENGTH) == expected


def test_figures_bare_number_repeats_previous_noun(mentions_of):
    text = "Of 240 tanks, only 35 remained fit for action."
    assert _rows(_figures(mentions_of, text, "strength"), STRENGTH) == [
        ("240 tanks", 240, 240, False, "tanks"), ("35", 35, 35, False, "tanks")]


def test_figures_side_from_sentence(mentions_of):
    text = "The Germans brought up 4 infantry divisions from France."
    [s] = _figures(mentions_of, text, "strength")
    assert s["side"] == "DE"


# -- what is not a figure --------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "The three armies crossed the river at dawn.",
        "Two of the front’s armies were held back in reserve.",
        "The two corps attacked at dawn from the bridgehead.",
        "Of the 14 divisions, three were Romanian.",
        "One in every ten men was killed.",
        "One out of every 8 soldiers of the corps was killed.",
        "Every third man in the battalion was wounded.",
    ],
)
def test_figures_anaphora_partitives_and_ratios_are_not_figures(mentions_of, text):
    assert _figures(mentions_of, text, "strength") == []
    assert _figures(mentions_of, text, "casualty") == []


@pytest.mark.parametrize(
    "text,kept",
    [
        ("In 1942 the army had 250,000 men.", ["250,000 men"]),
        ("The 47th Army lost 1,500 men on 3 March 1943.", ["1,500 men"]),
        ("The 13th Army advanced 50 miles (80 km) with 300 tanks.", ["300 tanks"]),
    ],
)
def test_figures_years_days_distances_and_unit_numbers_are_not_figures(mentions_of, text, kept):
    fs = _figures(mentions_of, text, "strength") + _figures(mentions_of, text, "casualty")
    assert [f["text"] for f in fs] == kept


# -- known extractor bugs ----------------------------------------------------------

def test_figures_branch_word_before_unit_noun(mentions_of):
    text = "Zhukov committed six divisions and three tank brigades to the attack."
    assert _rows(_figures(mentions_of, text, "strength"), STRENGTH) == [
        ("six divisions", 6, 6, False, "divisions"), ("three tank brigades", 3, 3, False, "brigades")]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The corps had 9,870 wounded or sick by the end of February.",
         ("9,870 wounded or sick", "wounded_or_sick")),
        ("The brigade counted 2,000 dead and missing after the breakout.",
         ("2,000 dead and missing", "killed_or_missing")),
    ],
)
def test_figures_noun_starting_a_compound_category(mentions_of, text, expected):
    [c] = _figures(mentions_of, text, "casualty")
    assert c["category"] == expected[1]


def test_figures_casualty_with_of_its_men(mentions_of):
    text = "The group was shattered: about 15,000 of its men died in the encirclement."
    assert _rows(_figures(mentions_of, text, "casualty"), CASUALTY) == [
        ("about 15,000", 15000, 15000, True, "killed")]


def test_figures_between_range_is_one_figure(mentions_of):
    text = "In the breakout the corps lost between 5,000 and 7,000 men."
    assert _rows(_figures(mentions_of, text, "casualty"), CASUALTY) == [
        ("5,000 and 7,000 men", 5000, 7000, False, "total")]


def test_figures_survivors_noun_in_span(mentions_of):
    text = "Only 900 survivors reached the Soviet lines near Kirovograd."
    assert _rows(_figures(mentions_of, text, "casualty"), CASUALTY) == [
        ("900 survivors", 900, 900, False, "survivors")]


def test_figures_in_all_idiom_not_in_span(mentions_of):
    text = "In all 6,300 men were killed or missing in action."
    assert _rows(_figures(mentions_of, text, "casualty"), CASUALTY) == [
        ("6,300 men", 6300, 6300, False, "killed_or_missing")]


def test_figures_side_adjective_inside_span(mentions_of):
    text = "Around 20,000 Hungarian soldiers were taken prisoner."
    [c] = _figures(mentions_of, text, "casualty")
    assert (c["text"], c["category"], c["side"]) == ("Around 20,000 Hungarian soldiers", "captured", "HU")


def test_figures_coordinated_side_adjectives_before_noun(mentions_of):
    text = "More than 100,000 German and Romanian troops were lost in the Crimea."
    [c] = _figures(mentions_of, text, "casualty")
    assert (c["text"], c["low"], c["high"], c["side"], c["sides"]) == (
        "More than 100,000 German and Romanian troops", 100000, None, None, ["DE", "RO"])


@pytest.mark.parametrize(
    "text,span,value",
    [
        ("The front lost 41\u202f218 men killed or captured.", "41\u202f218 men", 41218),
        ("The tank army had 183\u00a0540 men at the start.", "183\u00a0540 men", 183540),
    ],
)
def test_figures_space_grouped_thousands(mentions_of, text, span, value):
    fs = _figures(mentions_of, text, "casualty") + _figures(mentions_of, text, "strength")
    assert [(f["text"], f["low"]) for f in fs] == [(span, value)]


# -- number -> counted thing -> role: sections, labels, compounds, the parse --------------

def test_figures_infobox_rows_give_the_role_of_bare_figures(mentions_of):
    text = ("- Strength1: 212,000, 640 tanks\n"
            "- Casualties1: 18,300, Total: 41,250\n")
    s = _figures(mentions_of, text, "strength")
    c = _figures(mentions_of, text, "casualty")
    assert [(f["text"], f["what"]) for f in s] == [("212,000", "men"), ("640 tanks", "tanks")]
    assert [(f["text"], f["category"]) for f in c] == [("18,300", "total"), ("41,250", "total")]


def test_figures_a_heading_carries_down_its_list_lines(mentions_of):
    text = ("Casualties and losses | |||\n"
            "6,100 to 9,800 |\n"
            "The offensive opened on a front of 30 kilometres. It stalled within a week, and the "
            "army's 150,000 men dug in along the river until the spring thaw.\n")
    [c] = _figures(mentions_of, text, "casualty")
    assert (c["text"], c["low"], c["high"], c["category"]) == ("6,100 to 9,800", 6100, 9800, "total")
    assert [f["text"] for f in _figures(mentions_of, text, "strength")] == ["150,000 men"]


@pytest.mark.parametrize("text,span,category", [
    ("- Casualties2: 2,400 KIA and MIA, 5,100 WIA\n", "2,400 KIA and MIA", "killed_or_missing"),
    ("- Casualties2: 2,400 KIA and MIA, 5,100 WIA\n", "5,100 WIA", "wounded"),
    ("The corps reported 7,700 killed, missing or captured.", "7,700 killed, missing or captured", "killed_or_missing"),
    ("The army counted 1,900 killed and wounded.", "1,900 killed and wounded", "total"),
    ("- Casualties1: 640 frostbitten, 1,150 noncombat\n", "640 frostbitten", "sick"),
    ("- Casualties1: 640 frostbitten, 1,150 noncombat\n", "1,150 noncombat", "sick"),
    ("In the winter 3,300 men were killed or taken prisoner.", "3,300 men", "killed_or_captured"),
])
def test_figures_compound_loss_words_take_the_category_of_their_parts(mentions_of, text, span, category):
    [c] = [f for f in _figures(mentions_of, text, "casualty") if f["text"] == span]
    assert c["category"] == category


def test_figures_unit_losses_under_a_casualties_row_are_equipment(mentions_of):
    text = "- Casualties2: 11 rifle divisions, 320 tanks, 48,000 prisoners\n"
    cs = _figures(mentions_of, text, "casualty")
    assert [(c["text"], c["category"], c["equipment"]) for c in cs] == [
        ("11 rifle divisions", "equipment", "divisions"), ("320 tanks", "equipment", "tanks"),
        ("48,000 prisoners", "captured", None)]


def test_figures_inventories_of_captured_weapons(mentions_of):
    text = "The partisans captured 312 rifles and 57 pistols."
    cs = _figures(mentions_of, text, "casualty")
    assert [(c["text"], c["equipment"]) for c in cs] == [("312 rifles", "rifles"), ("57 pistols", "pistols")]


def test_figures_a_loss_word_in_a_relative_clause_does_not_decide(mentions_of):
    text = "The Germans, who had lost heavily in the summer, brought up 300 tanks from the west."
    assert _figures(mentions_of, text, "casualty") == []
    assert [f["text"] for f in _figures(mentions_of, text, "strength")] == ["300 tanks"]


def test_figures_a_loss_noun_governing_a_range_is_its_cue(mentions_of):
    text = "The division lost 6,000 men, against Romanian casualties put between 1,500 and 2,000."
    cs = _figures(mentions_of, text, "casualty")
    assert [(c["text"], c["low"], c["high"]) for c in cs] == [
        ("6,000 men", 6000, 6000), ("1,500 and 2,000", 1500, 2000)]


def test_figures_a_restated_figure_in_brackets_keeps_the_role(mentions_of):
    text = "- Casualties1: 64,000 combat casualties, (21,500 in March 1944)\n"
    cs = _figures(mentions_of, text, "casualty")
    assert [(c["text"], c["category"]) for c in cs] == [("64,000 combat casualties", "total"), ("21,500", "total")]


def test_figures_page_numbers_after_a_citation_are_not_figures(mentions_of):
    text = "- Strength1: 420,000 men[2]:63\n"
    assert [f["text"] for f in _figures(mentions_of, text, "strength")] == ["420,000 men"]
