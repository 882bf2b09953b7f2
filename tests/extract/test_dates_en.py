"""English dates: spans, ISO values, modifiers, year context, and what is not a date.

Conventions (shared/eval/gold/NOTES.md): spans are tight ("by"/"On" are left out and
kept as `mod`), vague thirds of a month are -E/-M/-L, intervals are A/B, a year is
never guessed (XXXX), durations and anaphoric times are not dates.
"""
from __future__ import annotations

import pytest


def _dates(mentions_of, text):
    dates = mentions_of(text, "date")
    for d in dates:
        assert text[d["start"]:d["end"]] == d["text"], "offsets must index the original text"
    return dates


def _one(mentions_of, text, span):
    dates = _dates(mentions_of, text)
    hits = [d for d in dates if d["text"] == span]
    assert len(hits) == 1, f"expected one date {span!r}, got {[d['text'] for d in dates]}"
    assert hits[0]["start"] == text.index(span)
    return hits[0]


@pytest.mark.parametrize(
    "text,span,value",
    [
        ("The Ostrogozhsk–Rossosh operation ran from 13 to 27 January 1943.",
         "13 to 27 January 1943", "1943-01-13/1943-01-27"),
        ("The offensive lasted from 14 January to 3 February 1944 without a pause.",
         "14 January to 3 February 1944", "1944-01-14/1944-02-03"),
        ("Konev’s troops forced the Dnieper on 26–27 September 1943.",
         "26–27 September 1943", "1943-09-26/1943-09-27"),
        ("Operations in July–August 1943 cost both sides dearly.",
         "July–August 1943", "1943-07/1943-08"),
        ("The Kursk battle (5 July/23 August 1943) broke the German offensive power.",
         "5 July/23 August 1943", "1943-07-05/1943-08-23"),
        ("Between 10 and 14 July 1943 the Germans made little progress at Ponyri.",
         "10 and 14 July 1943", "1943-07-10/1943-07-14"),
        ("The campaigns of 1941–45 are recorded in the regimental diaries.",
         "1941–45", "1941/1945"),
    ],
)
def test_dates_interval_value(mentions_of, text, span, value):
    assert _one(mentions_of, text, span)["value"] == value


@pytest.mark.parametrize(
    "text,span,value",
    [
        ("The 40th Army entered Belgorod on 9 February 1943.", "9 February 1943", "1943-02-09"),
        ("Vatutin wrote on March 5, 1943 that the line would hold.", "March 5, 1943", "1943-03-05"),
        ("The directive of 1943-07-05 was read out to the troops.", "1943-07-05", "1943-07-05"),
        ("Fighting flared again on the 17th of July 1943 near Izyum.", "the 17th of July 1943", "1943-07-17"),
        ("The Kharkov disaster of May 1942 cost three armies.", "May 1942", "1942-05"),
        ("The 2nd Shock Army was encircled in June 1942.", "June 1942", "1942-06"),
    ],
)
def test_dates_explicit_value(mentions_of, text, span, value):
    assert _one(mentions_of, text, span)["value"] == value


@pytest.mark.parametrize(
    "text,span,value",
    [
        ("In mid-August 1943 the 5th Guards Tank Army regrouped near Kharkov.", "mid-August 1943", "1943-08-M"),
        ("Operation Polar Star began in early February 1943.", "early February 1943", "1943-02-E"),
        ("At the start of April 1944 the front reached the Carpathian foothills.",
         "the start of April 1944", "1944-04-E"),
        ("In late October 1941 the rasputitsa bogged down the panzers.", "late October 1941", "1941-10-L"),
        ("The winter of 1941 was the coldest in decades.", "The winter of 1941", "1941"),
        ("He served with the Volkhov Front in the spring and summer of 1942.",
         "the spring and summer of 1942", "1942"),
    ],
)
def test_dates_vague_part_of_month_or_season(mentions_of, text, span, value):
    assert _one(mentions_of, text, span)["value"] == value


@pytest.mark.parametrize(
    "text,span,value,mod",
    [
        ("By 9 February 1943 the 40th Army had entered Belgorod.", "9 February 1943", "1943-02-09", "by"),
        ("By the end of December 1942 the pocket at Kotelnikovo had been cleared.",
         "the end of December 1942", "1942-12-L", "by"),
        ("The bridgehead held until 2 October 1943, when the Germans withdrew.",
         "2 October 1943", "1943-10-02", "until"),
        ("The 38th Army crossed the river before 20 September 1943.", "20 September 1943", "1943-09-20", "before"),
    ],
)
def test_dates_mod_kept_out_of_span(mentions_of, text, span, value, mod):
    d = _one(mentions_of, text, span)
    assert (d["value"], d["mod"]) == (value, mod)


@pytest.mark.parametrize(
    "text,span,value",
    [
        # the year comes from the nearest explicit year earlier in the text
        ("The attack opened on 23 November 1942; the ring closed on 26 November at Kalach.",
         "26 November", "1942-11-26"),
        ("Operation Polar Star began in early February 1943 and had stalled by late February.",
         "late February", "1943-02-L"),
        ("The 2nd Shock Army was cut off in June 1942 and destroyed by July.", "July", "1942-07"),
        # ... or, with none before, from the first one after it
        ("On 22 June the Germans crossed the border; by the autumn of 1941 they stood before Moscow.",
         "22 June", "1941-06-22"),
    ],
)
def test_dates_year_from_context(mentions_of, text, span, value):
    assert _one(mentions_of, text, span)["value"] == value


@pytest.mark.parametrize(
    "text,span,value",
    [
        ("The 3rd Tank Army still counted 120 tanks on 2 March.", "2 March", "XXXX-03-02"),
        ("The thaw set in around 18 March and the roads turned to mud.", "18 March", "XXXX-03-18"),
    ],
)
def test_dates_no_year_in_text_is_xxxx(mentions_of, text, span, value):
    assert _one(mentions_of, text, span)["value"] == value


def test_dates_offsets_survive_curly_quotes_and_dashes(mentions_of):
    text = "“Operation Gallop” — Vatutin’s drive on the Donbass — began on 29 January 1943."
    d = _one(mentions_of, text, "29 January 1943")
    assert (d["start"], d["end"], d["value"]) == (63, 78, "1943-01-29")


def test_dates_day_does_not_match_inside_larger_day(mentions_of):
    text = "The bridge at Zmiev fell on 12 March 1943."
    assert [(d["text"], d["value"]) for d in _dates(mentions_of, text)] == [("12 March 1943", "1943-03-12")]


@pytest.mark.parametrize(
    "text",
    [
        "The army advanced for several days and took the town in one month.",
        "Within two weeks the corps had lost half its strength.",
        "On this day the army reached the river, and at this time the reserves were far behind.",
        "The previous months had exhausted both sides.",
        "Late in the month the thaw began.",                         # a part with no month in reach
        "The start of the offensive was postponed twice.",           # an event, not a date
    ],
)
def test_dates_durations_and_anaphora_are_not_dates(mentions_of, text):
    assert _dates(mentions_of, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The regiment lost 1944 men in the fighting for the bridgehead.",
        "The division held 1943 metres of trench on the Mius.",
        "He had 12 guns and 31 mortars left.",
        "Paulus may have known that the airlift would fail.",
    ],
)
def test_dates_bare_numbers_and_modal_may_are_not_dates(mentions_of, text):
    assert _dates(mentions_of, text) == []


def test_dates_numeric_day_month_year(mentions_of):
    text = "The report dated 17.08.1943 listed the losses of the 5th Guards Tank Army."
    assert _one(mentions_of, text, "17.08.1943")["value"] == "1943-08-17"


def test_dates_month_year_to_month_year_is_one_interval(mentions_of):
    text = "The operation lasted from January 1943 to March 1943 with few pauses."
    assert [(d["text"], d["value"]) for d in _dates(mentions_of, text)] == [
        ("January 1943 to March 1943", "1943-01/1943-03")]


def test_dates_capitalized_may_after_preposition(mentions_of):
    text = "In May the mud finally dried and the panzers could move again."
    assert _one(mentions_of, text, "May")["value"] == "XXXX-05"


# -- any text: one table, positives and negatives side by side ---------------------------------
# (sentence, [(span, value), ...]): every date the sentence holds; [] means "no date here".
READINGS = [
    # month names in any case and abbreviation
    ("The raid was set for 12 oct 1943 at dawn.", [("12 oct 1943", "1943-10-12")]),
    ("He reported on Aug. 3, 1943.", [("Aug. 3, 1943", "1943-08-03")]),
    ("Leave ended on Sept. 8 1943.", [("Sept. 8 1943", "1943-09-08")]),
    ("The thaw came on 14 NOVEMBER 1942.", [("14 NOVEMBER 1942", "1942-11-14")]),
    ("The convoy may sail when the ice breaks.", []),
    ("The columns march 12 miles a day.", []),
    ("The Decimal tables were lost in 1943.", [("1943", "1943")]),
    # spelled ordinals
    ("On the twenty-second of June 1941 the border posts fell.",
     [("the twenty-second of June 1941", "1941-06-22")]),
    ("The first of May parade of 1942 was cancelled.", [("The first of May", "1942-05-01"), ("1942", "1942")]),
    # numeric forms
    ("The directive is dated 1943-03 in the files.", [("1943-03", "1943-03")]),
    ("The order of 22.06.1941 was read aloud.", [("22.06.1941", "1941-06-22")]),
    ("Reports of 25/01/1945 and 03/02/1945 survive.",
     [("25/01/1945", "1945-01-25"), ("03/02/1945", "1945-02-03")]),
    ("Reports of 01/25/1945 and 03/02/1945 survive.",
     [("01/25/1945", "1945-01-25"), ("03/02/1945", "1945-03-02")]),
    ("Only one report, of 03/02/1945, survives.", []),        # no convention: day or month?
    # intervals in every shape
    ("The offensive ran July 3, 1943 – August 23, 1943 in the south.",
     [("July 3, 1943 – August 23, 1943", "1943-07-03/1943-08-23")]),
    ("The siege lasted from October 1944 until 8 May 1945.",
     [("October 1944 until 8 May 1945", "1944-10/1945-05-08")]),
    ("Losses were counted from late Dec. 1943 to the end of Feb. 1944.",
     [("late Dec. 1943 to the end of Feb. 1944", "1943-12-L/1944-02-L")]),
    ("The regiment rested from April to June 1942.", [("April to June 1942", "1942-04/1942-06")]),
    ("The winter of 1941/42 was the worst.", [("The winter of 1941/42", "1941/1942")]),
    ("The siege ran from 3 November to 11 February 1945.",
     [("3 November to 11 February 1945", "1944-11-03/1945-02-11")]),
    # vague parts
    ("Late in November 1941 the frost came.", [("Late in November 1941", "1941-11-L")]),
    ("By mid-July 1943 the salient was quiet.", [("mid-July 1943", "1943-07-M")]),
    ("Memoirs of the early 1950s disagree.", [("the early 1950s", "195X")]),
    # years outside 1941-45
    ("The Teutonic knights were beaten on 5 April 1242.", [("5 April 1242", "1242-04-05")]),
    ("Poltava was fought on 8 July 1709.", [("8 July 1709", "1709-07-08")]),
    # not dates: times, durations, ages, pages, figures
    ("The barrage opened at 0430 hours.", []),
    ("The crossing took 1800 men and 1200 tanks.", []),
    ("The corps fought for 18 days.", []),
    ("See pages 1943-1950 of the file.", []),
]


@pytest.mark.parametrize("text,expected", READINGS)
def test_dates_on_any_text(mentions_of, text, expected):
    assert [(d["text"], d["value"]) for d in _dates(mentions_of, text)] == expected


YEAR_FROM_THE_NARRATIVE = [
    # the stated period decides between two years
    ("The Courland battles lasted from 9 October 1944 to 10 May 1945. The army group was renamed on 25 January.",
     "25 January", "1945-01-25"),
    # the paragraph's own year wins over the period
    ("The operation ran from 12 to 30 January 1943.\n\nIn June 1941 the war began. On 3 July Stalin spoke.",
     "3 July", "1941-07-03"),
    # the narrative moves forward into the next year when the period says so
    ("The siege lasted from 29 December 1944 to 13 February 1945.\n\nOn 30 December 1944 envoys were shot. "
     "On 20 January the relief failed.", "20 January", "1945-01-20"),
    # no year anywhere: XXXX
    ("The attack came on 4 March.", "4 March", "XXXX-03-04"),
]


@pytest.mark.parametrize("text,span,value", YEAR_FROM_THE_NARRATIVE)
def test_dates_year_from_the_narrative(mentions_of, text, span, value):
    assert _one(mentions_of, text, span)["value"] == value
