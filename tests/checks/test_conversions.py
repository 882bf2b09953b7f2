"""conversion_mismatch and unit_mislabel: a stated conversion "X miles (Y km)" is checked
with rounding-aware agreement, not a flat percentage (NOTES.md, tolerance warning):
"60 miles (100 km)" is fine, "455 miles (700 km)" is not.
"""
from __future__ import annotations

import pytest

from pipeline.checks import DocumentView, make_flags, run_document_checks
from pipeline.checks.conversions import consistent, granularity
from pipeline.extract.quantities import to_km
from pipeline.records import MeasurementMention


def measurement(text: str, span: str, low, high, unit: str, nth: int = 0) -> MeasurementMention:
    """A measurement mention for the nth occurrence of `span` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(span, start + 1)
    return MeasurementMention(start=start, end=start + len(span), text=span, low=low, high=high, unit=unit,
                              km_low=to_km(low, unit), km_high=to_km(high, unit))


def findings(text: str, *mentions) -> list:
    return run_document_checks(DocumentView("doc.txt", text, list(mentions), "en"))


def kinds_and_spans(fs) -> list:
    return sorted((f.kind, tuple(e.text for e in f.evidence)) for f in fs
                  if f.kind in ("conversion_mismatch", "unit_mislabel"))


# -- granularity and consistent ----------------------------------------------------

@pytest.mark.parametrize(
    "value,step",
    [(700, 100), (455, 5), (60, 10), (75, 5), (120, 10), (37, 1), (18.5, 0.5), (1000, 1000), (0, 1), (2.5, 0.5)],
)
def test_conversions_granularity_is_the_writers_rounding_step(value, step):
    assert granularity(value) == step


@pytest.mark.parametrize(
    "a,unit_a,b,unit_b",
    [
        (60, "mi", 100, "km"),
        (170, "mi", 270, "km"),
        (185, "mi", 300, "km"),
        (18.5, "mi", 30, "km"),
        (37, "mi", 60, "km"),
        (75, "mi", 120, "km"),
        (50, "mi", 80, "km"),
        (100, "km", 60, "mi"),      # either order
    ],
)
def test_conversions_consistent_pairs(a, unit_a, b, unit_b):
    assert consistent(a, unit_a, b, unit_b)


@pytest.mark.parametrize(
    "a,unit_a,b,unit_b",
    [
        (455, "mi", 700, "km"),     # only 4.4% off, but 700 km = 435 mi, not "455"
        (300, "mi", 400, "km"),
        (700, "km", 455, "mi"),
    ],
)
def test_conversions_inconsistent_pairs(a, unit_a, b, unit_b):
    assert not consistent(a, unit_a, b, unit_b)


# -- the document check --------------------------------------------------------------

@pytest.mark.parametrize(
    "text,first,second",
    [
        ("The front advanced 60 miles (100 km) in a week.", ("60 miles", 60, 60, "mi"), ("100 km", 100, 100, "km")),
        ("The breach was 170 to 185 miles (270 to 300 km) wide.",
         ("170 to 185 miles", 170, 185, "mi"), ("270 to 300 km", 270, 300, "km")),
        ("The spearheads stood between 18.5 and 37 miles (30 and 60 km) from the Desna.",
         ("18.5 and 37 miles", 18.5, 37, "mi"), ("30 and 60 km", 30, 60, "km")),
        ("The salient bulged 75 miles (120 km) into the German line.",
         ("75 miles", 75, 75, "mi"), ("120 km", 120, 120, "km")),
        ("Kharkov lay some 50 miles, or 80 km, to the south.", ("50 miles", 50, 50, "mi"), ("80 km", 80, 80, "km")),
    ],
)
def test_conversions_consistent_pairs_are_not_flagged(text, first, second):
    assert kinds_and_spans(findings(text, measurement(text, *first), measurement(text, *second))) == []


@pytest.mark.parametrize(
    "text,first,second",
    [
        ("The line of the Volkhov Front ran for 455 miles (700 km).",
         ("455 miles", 455, 455, "mi"), ("700 km", 700, 700, "km")),
        ("The tank corps raced 300 miles (400 km) to the Oder.",
         ("300 miles", 300, 300, "mi"), ("400 km", 400, 400, "km")),
    ],
)
def test_conversions_mismatch_flagged_with_both_spans(text, first, second):
    a, b = measurement(text, *first), measurement(text, *second)
    fs = findings(text, a, b)
    assert kinds_and_spans(fs) == [("conversion_mismatch", (first[0], second[0]))]
    [f] = fs
    assert [(e.doc, e.start, e.end) for e in f.evidence] == [("doc.txt", a.start, a.end), ("doc.txt", b.start, b.end)]


def test_conversions_same_unit_on_both_sides_gives_unit_mislabel():
    text = "Later the same advance is given as 455 km (700 km)."
    fs = findings(text, measurement(text, "455 km", 455, 455, "km"), measurement(text, "700 km", 700, 700, "km"))
    assert kinds_and_spans(fs) == [("conversion_mismatch", ("455 km", "700 km")),
                                   ("unit_mislabel", ("455 km", "700 km"))]


def test_conversions_unit_mislabel_names_the_unit_that_would_fit():
    text = "The salient bulged 75 km (120 km) into the German line."
    fs = findings(text, measurement(text, "75 km", 75, 75, "km"), measurement(text, "120 km", 120, 120, "km"))
    [mislabel] = [f for f in fs if f.kind == "unit_mislabel"]
    assert "read as miles" in mislabel.message


def test_conversions_figures_not_given_as_one_distance_are_not_compared():
    text = "They moved 60 miles on the first day, then 100 km more by the fourth."
    assert kinds_and_spans(findings(text, measurement(text, "60 miles", 60, 60, "mi"),
                                    measurement(text, "100 km", 100, 100, "km"))) == []


def test_conversions_flag_ids_are_stable_across_runs():
    text = "The line of the Volkhov Front ran for 455 miles (700 km)."
    ms = [measurement(text, "455 miles", 455, 455, "mi"), measurement(text, "700 km", 700, 700, "km")]
    first = make_flags(findings(text, *ms))
    second = make_flags(findings(text, *ms))
    assert [f.id for f in first] == [f.id for f in second]
    assert first[0].kind == "conversion_mismatch"


def test_conversions_end_to_end_from_extracted_mentions(en):
    text = ("The front advanced 60 miles (100 km) in a week. "
            "By the end of the month the line had been pushed back 455 miles (700 km).")
    _, mentions = en.extract(text)
    fs = run_document_checks(DocumentView("doc.txt", text, mentions, "en"))
    assert kinds_and_spans(fs) == [("conversion_mismatch", ("455 miles", "700 km"))]
