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
        ("12 July 1953", "more than a year later: an epilogue, not an event of the operation"),
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


# --- the stated period and the operation a date belongs to -----------------------------------

def _view(text: str, spans: list[tuple[str, str]], lang: str = "en") -> DocumentView:
    return DocumentView("t.txt", text, [date(text, s, v) for s, v in spans], lang)


def _flagged(view: DocumentView) -> list[str]:
    return [f.evidence[0].text for f in run_document_checks(view) if f.kind == "date_out_of_range"]


INFOBOX = ("= Battle of Kovel =\n\nInfobox\n- Date: 4 March – 2 May 1944\n\n"
           "The Kovel offensive opened the spring battles. A preliminary raid from 20 February to 2 March 1944 "
           "failed. ")


def test_date_range_period_comes_from_the_infobox_date_line_not_an_earlier_sub_phase():
    text = "Sub-phase 1 February – 9 February 1944.\n" + INFOBOX
    view = _view(text, [("1 February – 9 February 1944", "1944-02-01/1944-02-09"),
                        ("4 March – 2 May 1944", "1944-03-04/1944-05-02"),
                        ("20 February to 2 March 1944", "1944-02-20/1944-03-02")])
    pm, start, end = stated_period(view)
    assert pm.text == "4 March – 2 May 1944" and end.isoformat() == "1944-05-02"


def test_date_range_a_partial_start_counts_from_the_first_of_the_month():
    text = "Battle of Lida\n日期 1944年3月 - 1944年5月2日\n"
    view = _view(text, [("1944年3月 - 1944年5月2日", "1944-03/1944-05-02")], "zh-Hant")
    pm, start, end = stated_period(view)
    assert (start.isoformat(), end.isoformat()) == ("1944-03-01", "1944-05-02")


def test_date_range_a_stated_beginning_before_the_start_is_flagged():
    text = INFOBOX + "The battle began when the town was cut off on 27 February 1944, a week early."
    view = _view(text, [("4 March – 2 May 1944", "1944-03-04/1944-05-02"),
                        ("20 February to 2 March 1944", "1944-02-20/1944-03-02"),
                        ("27 February 1944", "1944-02-27")])
    assert _flagged(view) == ["27 February 1944"]


def test_date_range_a_date_of_another_named_operation_is_not_judged():
    text = INFOBOX + "The relief came as the Lutsk Offensive Operation, which ran until 30 May 1944."
    view = _view(text, [("4 March – 2 May 1944", "1944-03-04/1944-05-02"), ("30 May 1944", "1944-05-30")])
    assert _flagged(view) == []


@pytest.mark.parametrize("span,value,flagged", [
    ("early June", "1944-06-E", True),        # 1-10 June: more than ten days after 2 May
    ("May", "1944-05", False),                # the month the period ends in
    ("June", "1944-06", False),               # one month of slack for a date written in months
    ("July", "1944-07", True),
    ("1944", "1944", False),                  # a year alone is context
    ("1 April to 10 June 1944", "1944-04-01/1944-06-10", True),   # an interval running past the end
])
def test_date_range_each_date_is_judged_at_its_own_precision(span, value, flagged):
    text = INFOBOX + f"The fighting in the marshes lasted into {span}."
    view = _view(text, [("4 March – 2 May 1944", "1944-03-04/1944-05-02"), (span, value)])
    assert (_flagged(view) == [span]) is flagged


def test_date_range_a_yearless_date_that_takes_its_year_from_a_flagged_one_joins_its_flag():
    text = "Battle of Tarnow\n日期 1944年3月4日-1944年5月2日\n攻勢至1944年8月1日結束,至10月補充不詳。"
    view = _view(text, [("1944年3月4日-1944年5月2日", "1944-03-04/1944-05-02"),
                        ("1944年8月1日", "1944-08-01"), ("10月", "1944-10")], "zh-Hant")
    fs = [f for f in run_document_checks(view) if f.kind == "date_out_of_range"]
    assert len(fs) == 1 and [e.text for e in fs[0].evidence] == ["1944年8月1日", "1944年3月4日-1944年5月2日", "10月"]


def test_date_range_an_anaphoric_battle_is_the_documents_own():
    text = "Battle of Tarnow\n日期 1944年3月4日-1944年5月2日\n此後至1944年6月20日停火,指揮這場戰役的是某人。"
    view = _view(text, [("1944年3月4日-1944年5月2日", "1944-03-04/1944-05-02"), ("1944年6月20日", "1944-06-20")],
                 "zh-Hant")
    assert _flagged(view) == ["1944年6月20日"]
