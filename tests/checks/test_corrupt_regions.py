"""corrupt_text aggregation: neighbouring garbled spans of one sentence are one flag with every
span as evidence; spans in different sentences, or far apart, stay separate flags with the
message and id they had before aggregation."""
from __future__ import annotations

from pipeline.checks import DocumentView, make_flags
from pipeline.checks.corruption import REGION_GAP, check, message


def span(text, s, reason="stray symbols", nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(s, start + 1)
    return {"start": start, "end": start + len(s), "text": s, "reason": reason}


def view(text, spans):
    v = DocumentView("z.txt", text, [], "zh-Hant")
    v.corrupt = spans
    return v


def test_neighbours_in_one_sentence_are_one_flag():
    text = "兩個騎兵軍正在追擊德軍第師,而德軍第4裝甲集|:.7||聯繫。224。"
    spans = [span(text, "第師", "missing number"), span(text, "|:.7||"), span(text, "224", "unreadable date")]
    found = check(view(text, spans))
    assert [[e.text for e in f.evidence] for f in found] == [["第師", "|:.7||"], ["224"]]
    assert "2 places" in found[0].message and "'第師' (missing number)" in found[0].message
    for f in found:
        for e in f.evidence:
            assert text[e.start:e.end] == e.text


def test_single_spans_keep_their_message_and_id():
    text = "德軍第4裝甲集|:.7||聯繫。蘇軍向西~進攻。"
    spans = [span(text, "|:.7||"), span(text, "~", "stray symbol")]
    found = check(view(text, spans))
    assert len(found) == 2
    assert found[0].message == message("|:.7||", "stray symbols", None)
    alone = check(view(text, spans[:1]))
    assert make_flags(found)[0].id == make_flags(alone)[0].id


def test_far_apart_spans_in_one_long_sentence_stay_separate():
    text = "甲|:" + "乙" * (REGION_GAP + 5) + "~丙。"
    found = check(view(text, [span(text, "|:"), span(text, "~")]))
    assert len(found) == 2


def test_a_line_break_ends_a_region():
    text = "他們|:\n~軍隊"
    found = check(view(text, [span(text, "|:"), span(text, "~")]))
    assert len(found) == 2
