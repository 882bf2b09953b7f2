"""date_out_of_range: an event dated after the end of the period the document states.

Dates before the start are background and preparation (a directive, a plan) and are
not flagged (NOTES.md, 000 flags).
"""
from __future__ import annotations

import pytest

from pipeline.checks import DocumentView, run_document_checks
from pipeline.checks.dates import stated_period
from pipeline.records import DateMention

TEXT = ("The Orel operation (12 July/18 August 1943) ended with the city taken. "
        "The directive went out on 20 June, and the attack was planned for 1 July. "
        "Orel fell on 5 August. "
        "The last German rearguards left the Hagen line on 2 September. "
        "By September 1943 the front had moved on. "
        "A memorial was unveiled on 12 July 1953.")

DATES = [
    ("12 July/18 August 1943", "1943-07-12/1943-08-18"),
    ("20 June", "1943-06-20"),
    ("1 July", "1943-07-01"),
    ("5 August", "1943-08-05"),
    ("2 September", "1943-09-02"),
    ("September 1943", "1943-09"),
    ("12 July 1953", "1953-07-12"),
]


def date(text: str, span: str, value: str) -> DateMention:
    start = text.index(span)
    return DateMention(start=start, end=start + len(span), text=span, value=value)


def out_of_range(text: str, mentions: list) -> list:
    fs = run_document_checks(DocumentView("orel.txt", text, mentions, "en"))
    return [f for f in fs if f.kind == "date_out_of_range"]


@pytest.fixture()
def mentions():
    return [date(TEXT, span, value) for span, value in DATES]


def test_date_range_stated_period_is_the_first_interval(mentions):
    pm, start, end = stated_period(DocumentView("orel.txt", TEXT, mentions, "en"))
    assert (pm.text, start.isoformat(), end.isoformat()) == ("12 July/18 August 1943", "1943-07-12", "1943-08-18")


def test_date_range_flags_a_day_after_the_stated_end(mentions):
    fs = out_of_range(TEXT, mentions)
    assert [[e.text for e in f.evidence] for f in fs] == [["2 September", "12 July/18 August 1943"]]
    assert fs[0].evidence[0].start == TEXT.index("2 September")


@pytest.mark.parametrize("span", ["20 June", "1 July", "5 August", "12 July/18 August 1943"])
def test_date_range_does_not_flag_before_start_inside_or_the_period_itself(mentions, span):
    flagged = {f.evidence[0].text for f in out_of_range(TEXT, mentions)}
    assert span not in flagged


@pytest.mark.parametrize(
    "span,reason",
    [
        ("September 1943", "month precision only"),
        ("12 July 1953", "far outside the 90-day window: an epilogue, not an event of the operation"),
    ],
)
def test_date_range_does_not_flag_imprecise_or_far_later_dates(mentions, span, reason):
    flagged = {f.evidence[0].text for f in out_of_range(TEXT, mentions)}
    assert span not in flagged, reason


def test_date_range_no_stated_period_no_flags():
    text = "Orel fell on 5 August 1943; the rearguards left on 2 September."
    mentions = [date(text, "5 August 1943", "1943-08-05"), date(text, "2 September", "1943-09-02")]
    assert out_of_range(text, mentions) == []


def test_date_range_end_to_end_from_extracted_mentions(en):
    text = ("The battle for the Rzhev salient lasted from 8 January to 20 April 1942. "
            "On 14 April the front went over to the defence, and on 25 April the last attacks were called off.")
    _, mentions = en.extract(text)
    fs = out_of_range(text, mentions)
    assert [(f.evidence[0].text, f.evidence[0].start) for f in fs] == [("25 April", text.index("25 April"))]
