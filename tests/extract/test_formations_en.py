"""English formations: designation spans, echelon/number/branch/guards, names and sides.

Conventions (NOTES.md): the span is the designation only (no "the", no possessive
owner, no side adjective); anaphora ("the three armies", "the front's armies"),
theatres ("Eastern Front") and headquarters ("Stavka") are not formations.
"""
from __future__ import annotations

import pytest

KEYS = ("echelon", "number", "branch", "guards", "side", "name")


def _formations(mentions_of, text):
    fs = mentions_of(text, "formation")
    for f in fs:
        assert text[f["start"]:f["end"]] == f["text"], "offsets must index the original text"
    return fs


def _one(mentions_of, text, span):
    fs = _formations(mentions_of, text)
    hits = [f for f in fs if f["text"] == span]
    assert len(hits) == 1, f"expected one formation {span!r}, got {[f['text'] for f in fs]}"
    assert hits[0]["start"] == text.index(span)
    return hits[0]


def _key(f):
    return tuple(f[k] for k in KEYS)


@pytest.mark.parametrize(
    "text,span,key",
    [
        ("The 38th Army and the 3rd Guards Tank Army crossed the Dnieper at Lyutezh.",
         "3rd Guards Tank Army", ("army", 3, "tank", True, "SU", None)),
        ("The 11th Guards Army attacked the Orel bulge from the north.",
         "11th Guards Army", ("army", 11, None, True, "SU", None)),
        ("The 2nd Shock Army was trapped in the Volkhov swamps.",
         "2nd Shock Army", ("army", 2, "shock", False, "SU", None)),
        ("The Second Shock Army was trapped in the Volkhov swamps.",
         "Second Shock Army", ("army", 2, "shock", False, "SU", None)),
        ("The 16th Air Army flew over the northern face of the salient.",
         "16th Air Army", ("army", 16, "air", False, "SU", None)),
        ("The 4th Guards Cavalry Corps reached the railway at Debaltsevo.",
         "4th Guards Cavalry Corps", ("corps", 4, "cavalry", True, "SU", None)),
        ("The IV Guards Cavalry Corps was committed into the gap.",
         "IV Guards Cavalry Corps", ("corps", 4, "cavalry", True, "SU", None)),
        ("The 7th Mechanized Corps was thrown in on the second day.",
         "7th Mechanized Corps", ("corps", 7, "mechanized", False, "SU", None)),
        ("The 24th Tank Corps raided the airfield at Tatsinskaya.",
         "24th Tank Corps", ("corps", 24, "tank", False, "SU", None)),
        ("The 17th Guards Rifle Corps was moved up behind the 60th Army.",
         "17th Guards Rifle Corps", ("corps", 17, "rifle", True, "SU", None)),
        ("The 316th Rifle Division held the Volokolamsk road.",
         "316th Rifle Division", ("division", 316, "rifle", False, "SU", None)),
        ("The 9th Guards Airborne Division was committed at Prokhorovka.",
         "9th Guards Airborne Division", ("division", 9, "airborne", True, "SU", None)),
        ("The 101st Tank Brigade was attached to the cavalry corps.",
         "101st Tank Brigade", ("brigade", 101, "tank", False, "SU", None)),
        ("The 1st Guards Cavalry-Mechanized Group broke through at Debrecen.",
         "1st Guards Cavalry-Mechanized Group", ("group", 1, "cavalry_mechanized", True, "SU", None)),
    ],
)
def test_formations_soviet_numbered(mentions_of, text, span, key):
    assert _key(_one(mentions_of, text, span)) == key


@pytest.mark.parametrize(
    "text,span,key",
    [
        ("The XXIV Panzer Corps counterattacked south of the river.",
         "XXIV Panzer Corps", ("corps", 24, "panzer", False, "DE", None)),
        ("The II SS Panzer Corps attacked towards Prokhorovka.",
         "II SS Panzer Corps", ("corps", 2, "panzer", False, "DE", None)),
        ("The 24th Panzer Division was lost inside the pocket.",
         "24th Panzer Division", ("division", 24, "panzer", False, "DE", None)),
        ("The 10th Panzergrenadier Division was sent south by rail.",
         "10th Panzergrenadier Division", ("division", 10, "panzergrenadier", False, "DE", None)),
        ("The 6th SS Panzer Army struck at Lake Balaton.",
         "6th SS Panzer Army", ("army", 6, "panzer", False, "DE", None)),
        ("Panzerarmee 4 was rebuilt after the retreat from Kursk.",
         "Panzerarmee 4", ("army", 4, "panzer", False, "DE", None)),
        ("Panzer Group 2 raced north-east toward Bryansk.",
         "Panzer Group 2", ("group", 2, "panzer", False, "DE", None)),
    ],
)
def test_formations_german_numbered(mentions_of, text, span, key):
    assert _key(_one(mentions_of, text, span)) == key


@pytest.mark.parametrize(
    "text,span,key",
    [
        ("The 1st Ukrainian Front struck towards Kiev.",
         "1st Ukrainian Front", ("front", 1, None, False, "SU", "Ukrainian")),
        ("The Steppe Front was held in reserve behind the salient.",
         "Steppe Front", ("front", None, None, False, "SU", "Steppe")),
        ("The Southwestern Front attacked across the Donets.",
         "Southwestern Front", ("front", None, None, False, "SU", "Southwest")),
        ("The 18th Army was placed under the North Caucasian Front.",
         "North Caucasian Front", ("front", None, None, False, "SU", "North Caucasus")),
        ("Army Group South fell back to the Dnieper.",
         "Army Group South", ("army_group", None, None, False, "DE", "Süd")),
        ("Army Group Centre was smashed in Operation Bagration.",
         "Army Group Centre", ("army_group", None, None, False, "DE", "Mitte")),
        ("Heeresgruppe Nord withdrew from the approaches of Leningrad.",
         "Heeresgruppe Nord", ("army_group", None, None, False, "DE", "Nord")),
        ("The Grossdeutschland Division was moved north to Orel.",
         "Grossdeutschland Division", ("division", None, "panzergrenadier", False, "DE", "Grossdeutschland")),
    ],
)
def test_formations_named_units(mentions_of, text, span, key):
    assert _key(_one(mentions_of, text, span)) == key


@pytest.mark.parametrize(
    "text,span,side",
    [
        ("The Hungarian 2nd Army collapsed on the Don.", "2nd Army", "HU"),
        ("The Italian 8th Army held the sector south of Voronezh.", "8th Army", "IT"),
        ("The Romanian 3rd Army broke on the first morning.", "3rd Army", "RO"),
        ("The German 9th Army attacked from the Orel bulge.", "9th Army", "DE"),
        ("The Hungarian VII Corps was destroyed near Ostrogozhsk.", "VII Corps", "HU"),
    ],
)
def test_formations_side_adjective_left_out_of_span(mentions_of, text, span, side):
    f = _one(mentions_of, text, span)
    assert f["side"] == side


def test_formations_possessive_owner_left_out_with_curly_apostrophe(mentions_of):
    text = "General Nikolai P. Pukhov’s 13th Army dug in at Ponyri."
    f = _one(mentions_of, text, "13th Army")
    assert (f["start"], f["end"], f["echelon"], f["number"]) == (28, 37, "army", 13)


def test_formations_ordinal_not_matched_inside_larger_ordinal(mentions_of):
    text = "The 21st Army and the 1st Army met on the river."
    assert [(f["text"], f["number"]) for f in _formations(mentions_of, text)] == [("21st Army", 21), ("1st Army", 1)]


def test_formations_later_short_form_keeps_branch_of_the_group(mentions_of):
    text = ("Pliyev’s cavalry-mechanized group broke through towards Debrecen. "
            "Two days later the cavalry group was surrounded near the river.")
    fs = _formations(mentions_of, text)
    assert [(f["text"], f["echelon"], f["branch"], f["number"]) for f in fs] == [
        ("cavalry-mechanized group", "group", "cavalry_mechanized", None),
        ("cavalry group", "group", "cavalry_mechanized", None),
    ]


def test_formations_brigade_of_a_parent_army(mentions_of):
    text = "The brigade of the 2nd Guards Tank Army was refitted at Sumy."
    fs = _formations(mentions_of, text)
    assert [(f["text"], f["echelon"], f["number"], f["side"]) for f in fs] == [
        ("brigade", "brigade", None, "SU"), ("2nd Guards Tank Army", "army", 2, "SU")]


def test_formations_brigade_without_parent_is_not_a_unit(mentions_of):
    assert _formations(mentions_of, "The brigade of volunteers was disbanded in the spring.") == []


def test_formations_commander_from_possessive(mentions_of):
    text = "Vatutin’s Voronezh Front held the southern face of the salient."
    f = _one(mentions_of, text, "Voronezh Front")
    assert f["commander"] == "Nikolai Vatutin"


@pytest.mark.parametrize(
    "text",
    [
        "The three armies crossed the river at dawn.",
        "Two of the front’s armies were held back in reserve.",
        "The Eastern Front was quiet for a week.",
        "The Stavka ordered a pause; the Red Army regrouped.",
        "The front had exhausted its reserves and the Soviet formations were far behind.",
        "The Axis divisions fell back towards the Dnieper.",
    ],
)
def test_formations_anaphora_theatres_and_headquarters_are_not_formations(mentions_of, text):
    assert _formations(mentions_of, text) == []


def test_formations_army_corps_is_a_corps(mentions_of):
    text = "The XIII Army Corps was encircled at Brody."
    fs = _formations(mentions_of, text)
    assert [(f["text"], f["echelon"], f["number"]) for f in fs] == [("XIII Army Corps", "corps", 13)]


def test_formations_national_designation_inside_name(mentions_of):
    text = "The 1st Czechoslovak Army Corps fought at the Dukla Pass."
    fs = _formations(mentions_of, text)
    assert [(f["text"], f["echelon"], f["number"]) for f in fs] == [("1st Czechoslovak Army Corps", "corps", 1)]


def test_formations_four_digit_regiment(mentions_of):
    text = "The 1008th Rifle Regiment was attached to the 101st Tank Brigade."
    assert _key(_one(mentions_of, text, "1008th Rifle Regiment")) == ("regiment", 1008, "rifle", False, "SU", None)


@pytest.mark.parametrize(
    "text,span,key",
    [
        ("Armee 6 surrendered in the ruins of the city.", "Armee 6", ("army", 6, None, False, "DE", None)),
        ("Army Detachment Kempf covered the eastern flank.",
         "Army Detachment Kempf", ("army", None, None, False, "DE", "Kempf")),
        ("Kampfgruppe Peiper was cut off in the village.",
         "Kampfgruppe Peiper", ("group", None, None, False, "DE", "Peiper")),
    ],
)
def test_formations_german_designation_word_implies_side(mentions_of, text, span, key):
    assert _key(_one(mentions_of, text, span)) == key
