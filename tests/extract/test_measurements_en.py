"""English distances: one mention per rendering, ranges as one mention, km values.

Conventions (NOTES.md): "455 miles (700 km)" gives two mentions; "between 18.5 and 37
miles" is one mention 18.5-37; values are taken as written; km_* = value x 1.609344
for miles, rounded to one decimal.
"""
from __future__ import annotations

import pytest

FIELDS = ("text", "low", "high", "unit", "km_low", "km_high")


def _measurements(mentions_of, text):
    ms = mentions_of(text, "measurement")
    for m in ms:
        assert text[m["start"]:m["end"]] == m["text"], "offsets must index the original text"
    return ms


def _rows(ms):
    return [tuple(m[k] for k in FIELDS) for m in ms]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The front advanced 60 miles (100 km) in a week of thaw.",
         [("60 miles", 60, 60, "mi", 96.6, 96.6), ("100 km", 100, 100, "km", 100.0, 100.0)]),
        ("The breach in the Axis line was 170 to 185 miles (270 to 300 km) wide.",
         [("170 to 185 miles", 170, 185, "mi", 273.6, 297.7), ("270 to 300 km", 270, 300, "km", 270.0, 300.0)]),
        ("The spearheads stood between 18.5 and 37 miles (30 and 60 km) from the Desna.",
         [("18.5 and 37 miles", 18.5, 37, "mi", 29.8, 59.5), ("30 and 60 km", 30, 60, "km", 30.0, 60.0)]),
        ("The Kursk salient bulged 75 miles (120 km) into the German line.",
         [("75 miles", 75, 75, "mi", 120.7, 120.7), ("120 km", 120, 120, "km", 120.0, 120.0)]),
        ("The tank corps raced 300 miles (400 km) to the Oder.",
         [("300 miles", 300, 300, "mi", 482.8, 482.8), ("400 km", 400, 400, "km", 400.0, 400.0)]),
        ("The line of the Volkhov Front ran for 455 miles (700 km).",
         [("455 miles", 455, 455, "mi", 732.3, 732.3), ("700 km", 700, 700, "km", 700.0, 700.0)]),
    ],
)
def test_measurements_paired_conversion_gives_two_mentions(mentions_of, text, expected):
    assert _rows(_measurements(mentions_of, text)) == expected


@pytest.mark.parametrize(
    "text,span,low,high,unit,km_low,km_high",
    [
        ("A gap of 3 kilometres opened between the two corps.", "3 kilometres", 3, 3, "km", 3.0, 3.0),
        ("The bridgehead at Lyutezh was 15–20 km deep.", "15–20 km", 15, 20, "km", 15.0, 20.0),
        ("The forward trench lay 800 metres from the bank.", "800 metres", 800, 800, "m", 0.8, 0.8),
        ("The ski battalions marched twenty-five miles overnight.", "twenty-five miles", 25, 25, "mi", 40.2, 40.2),
        ("The division held a 10-mile front along the Mius.", "10-mile", 10, 10, "mi", 16.1, 16.1),
        ("The outposts stood 1.5 km from the edge of the woods.", "1.5 km", 1.5, 1.5, "km", 1.5, 1.5),
        ("Between 40 km and 60 km of track were torn up by partisans.", "40 km and 60 km", 40, 60, "km", 40.0, 60.0),
    ],
)
def test_measurements_single_and_range_values(mentions_of, text, span, low, high, unit, km_low, km_high):
    ms = _measurements(mentions_of, text)
    assert _rows(ms) == [(span, low, high, unit, km_low, km_high)]
    assert ms[0]["start"] == text.index(span)


@pytest.mark.parametrize(
    "text,span,approx",
    [
        ("The 13th Army dug in about 12 km west of Maloarkhangelsk.", "about 12 km", True),
        ("Kharkov lay some 50 miles (80 km) to the south.", "some 50 miles", True),
        ("The column halted 12 km short of the river.", "12 km", False),
    ],
)
def test_measurements_approx_qualifier_in_span(mentions_of, text, span, approx):
    m = _measurements(mentions_of, text)[0]
    assert (m["text"], m["approx"]) == (span, approx)


def test_measurements_or_conversion_with_commas(mentions_of):
    text = "The scouts walked roughly 8 miles, or 13 km, through the snow."
    assert _rows(_measurements(mentions_of, text)) == [
        ("roughly 8 miles", 8, 8, "mi", 12.9, 12.9), ("13 km", 13, 13, "km", 13.0, 13.0)]


def test_measurements_offsets_survive_curly_quotes_and_dashes(mentions_of):
    text = "Rybalko’s “fast” army covered 40–50 km in one day — twice the norm."
    m = _measurements(mentions_of, text)
    assert [(x["start"], x["end"], x["text"], x["low"], x["high"]) for x in m] == [(30, 38, "40–50 km", 40, 50)]


@pytest.mark.parametrize(
    "text",
    [
        "The 13th Army and the 60th Army held the northern face.",
        "The regiment lost 1,200 men on 3 March 1943.",
        "The corps took the town in one month, after several days of rain.",
        "Marshal Timoshenko met the commander of the 21st Army at midnight.",
    ],
)
def test_measurements_not_distances(mentions_of, text):
    assert _measurements(mentions_of, text) == []


def test_measurements_year_like_number_with_unit_is_a_distance_not_a_date(mentions_of):
    text = "The division held 1943 metres of trench on the Mius."
    assert _rows(_measurements(mentions_of, text)) == [("1943 metres", 1943, 1943, "m", 1.9, 1.9)]
    assert mentions_of(text, "date") == []


def test_measurements_vulgar_fraction(mentions_of):
    text = "The corps halted 2½ miles from the town."
    assert _rows(_measurements(mentions_of, text)) == [("2½ miles", 2.5, 2.5, "mi", 4.0, 4.0)]


def test_measurements_space_grouped_thousands(mentions_of):
    text = "The front line was 1\u00a0200 km long by the spring."
    assert _rows(_measurements(mentions_of, text)) == [("1\u00a0200 km", 1200, 1200, "km", 1200.0, 1200.0)]


# -- any text: one table, positives and negatives side by side ---------------------------------
DISTANCES = [
    ("The column covered 7 1/2 miles before dusk.", [("7 1/2 miles", 7.5, 7.5, "mi", 12.1)]),
    ("The patrol went 3/4 mile past the wire.", [("3/4 mile", 0.75, 0.75, "mi", 1.2)]),
    ("A 2½-mile gap opened.", [("2½-mile", 2.5, 2.5, "mi", 4.0)]),
    ("They dug in half a mile from the river.", [("half a mile", 0.5, 0.5, "mi", 0.8)]),
    ("The line was 12 versts long.", [("12 versts", 12, 12, "verst", 12.8)]),
    ("The trench lay 300 yards away.", [("300 yards", 300, 300, "yd", 0.3)]),
    ("The marsh was 15 KM across.", [("15 KM", 15, 15, "km", 15.0)]),
    ("The bridgehead was 1.5 km deep.", [("1.5 km", 1.5, 1.5, "km", 1.5)]),
    ("The corps pushed 10 to 20 km forward.", [("10 to 20 km", 10, 20, "km", 10.0)]),
    # not distances: speeds, rates, areas, heights and names
    ("The tanks drove at 50 km/h on the road.", []),
    ("The infantry marched 20 miles a day.", []),
    ("The trains ran 400 km per day.", []),
    ("The pocket covered 40 km² of forest.", []),
    ("Hill 112 m was taken twice.", []),
    ("The T-34/85 tanks arrived.", []),
]


@pytest.mark.parametrize("text,expected", DISTANCES)
def test_distances_on_any_text(mentions_of, text, expected):
    assert [(m["text"], m["low"], m["high"], m["unit"], m["km_low"])
            for m in _measurements(mentions_of, text)] == expected
