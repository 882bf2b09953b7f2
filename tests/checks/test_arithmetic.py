"""arithmetic_mismatch: only clear contradictions, with rounding-aware tolerances
(pipeline/checks/arithmetic.py): breakdowns that do not add up, parts larger than their whole,
losses larger than the same formation's strength, ratio claims off by more than a factor of 2.
Sentences are written for the tests; the English seed must give no flag (gold NOTES 9-10).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.checks import DocumentView, make_flags, run_document_checks
from pipeline.checks.arithmetic import bounds, check, sentences
from pipeline.records import CasualtyMention, FormationMention, StrengthMention

SEED_EN = Path(__file__).resolve().parents[2] / "seeds" / "000_c2ddb7aa7091300f.txt"


def arithmetic(en, text: str) -> list:
    _, mentions = en.extract(text)
    return check(DocumentView("doc.txt", text, mentions, "en"))


def at(text: str, span: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(span, start + 1)
    return start, start + len(span)


def cas(text, span, low, high=None, category="total", **kw) -> CasualtyMention:
    s, e = at(text, span)
    return CasualtyMention(start=s, end=e, text=span, low=low, high=low if high is None else high,
                           category=category, **kw)


def strength(text, span, value, what="men", **kw) -> StrengthMention:
    s, e = at(text, span)
    return StrengthMention(start=s, end=e, text=span, low=value, high=value, what=what, **kw)


def formation(text, span, number, echelon="army", nth=0, **kw) -> FormationMention:
    s, e = at(text, span, nth)
    return FormationMention(start=s, end=e, text=span, echelon=echelon, number=number, side="SU", **kw)


# -- the English seed: nothing to flag ----------------------------------------------------

def test_english_seed_has_no_arithmetic_flag(en):
    text = SEED_EN.read_text(encoding="utf-8")
    assert arithmetic(en, text) == []


@pytest.mark.parametrize("text", [
    # the seed's own figures, said again in one place: 3,520 inside 13,695
    "The 2nd Tank Army lost 128 tanks and 13,695 men, the latter including 3,520 men killed or missing.",
    # a rounded total is not contradicted by exact parts (70,000 is written to the nearest 10,000)
    "The 2nd Tank Army lost some 70,000 men in all: 40,407 killed and 30,000 wounded.",
    "The 65th Army lost a total of 13,695 men: 3,520 killed, 8,000 wounded and 2,175 missing.",
    "Six divisions, of which three were Hungarian, attacked.",
    # a ratio within a factor of 2 of its figures
    "The 3rd Army had 50,000 men. It lost 4,000 men killed; one in ten of its men had died.",
    # a strength said of several armies belongs to none of them
    "Tarasov's 70th Army was the best of the three armies, which together had 256,820 men. "
    "The 70th Army lost 300,000 men.",
])
def test_consistent_or_unclear_figures_are_not_flagged(en, text):
    assert arithmetic(en, text) == []


# -- rule 1: a breakdown that does not add up ------------------------------------------------

def test_total_then_parts_that_do_not_add_up(en):
    text = "The 65th Army lost a total of 13,695 men: 3,520 killed, 6,000 wounded and 2,175 missing."
    (f,) = arithmetic(en, text)
    assert f.kind == "arithmetic_mismatch" and f.severity == "warning"
    assert f.evidence[0].text.endswith("13,695 men")          # the whole first (with or without "a total of")
    assert "11,695" in f.message and "13,695" in f.message
    for e in f.evidence:
        assert text[e.start:e.end] == e.text


def test_parts_then_total_that_do_not_add_up(en):
    text = "The 65th Army lost 3,120 killed, 4,010 wounded and 1,050 missing, a total of 9,000 men."
    (f,) = arithmetic(en, text)
    assert "8,180" in f.message and len(f.evidence) == 4


def test_rounded_parts_may_reach_a_round_total(en):
    # 3,000 + 4,000 + 1,000 may be anything from 6,500 to 9,500 as written: 9,000 is possible
    assert arithmetic(en, "The 65th Army lost 3,000 killed, 4,000 wounded and 1,000 missing, a total of 9,000 men.") == []


def test_chinese_total_and_parts():
    text = "第5軍陣亡3000人、負傷8000人、失蹤1000人,共計15000人。"
    ms = [formation(text, "第5軍", 5, "corps"), cas(text, "3000人", 3000, category="killed"),
          cas(text, "8000人", 8000, category="wounded"), cas(text, "1000人", 1000, category="missing"),
          cas(text, "15000人", 15000)]
    (f,) = check(DocumentView("zh.txt", text, ms, "zh-Hant"))
    assert "12,000" in f.message and "15,000" in f.message
    ok = "第3集團軍共傷亡13000人,其中陣亡3000人,負傷8000人,失蹤2000人。"
    ms = [cas(ok, "13000人", 13000), cas(ok, "3000人", 3000, category="killed"),
          cas(ok, "8000人", 8000, category="wounded"), cas(ok, "2000人", 2000, category="missing")]
    assert check(DocumentView("zh.txt", ok, ms, "zh-Hant")) == []


# -- rule 2: parts larger than the whole ------------------------------------------------------

def test_part_larger_than_whole(en):
    (f,) = arithmetic(en, "The 21st Army lost 12,000 men, including 15,000 killed.")
    assert [e.text for e in f.evidence] == ["12,000 men", "15,000 killed"]   # a heading loss word is in the span
    assert "larger" in f.message


def test_subset_parts_summing_past_the_whole(en):
    (f,) = arithmetic(en, "The 5th Army lost 10,400 men, of whom 6,100 were killed and 5,200 wounded.")
    assert "11,300" in f.message


def test_overlapping_categories_are_not_added_up():
    text = "The army lost 10,400 men, of whom 6,100 were killed and 5,200 killed or missing."
    ms = [cas(text, "10,400 men", 10400), cas(text, "6,100", 6100, category="killed"),
          cas(text, "5,200", 5200, category="killed_or_missing")]
    assert check(DocumentView("d.txt", text, ms, "en")) == []


def test_partitive_count_larger_than_its_whole(en):
    (f,) = arithmetic(en, "Six divisions, of which seven were Hungarian, attacked.")
    assert [e.text for e in f.evidence] == ["Six divisions", "seven"]


def test_chinese_part_larger_than_whole():
    text = "第5軍傷亡5000人,其中陣亡8000人。"
    ms = [formation(text, "第5軍", 5, "corps"), cas(text, "5000人", 5000), cas(text, "8000人", 8000, category="killed")]
    (f,) = check(DocumentView("zh.txt", text, ms, "zh-Hant"))
    assert [e.text for e in f.evidence] == ["5000人", "8000人"]


# -- rule 3: losses larger than the strength of the same formation ------------------------------

def test_losses_larger_than_the_same_formations_strength(en):
    (f,) = arithmetic(en, "The 65th Army had 80,000 men on 1 March. By 20 March the 65th Army had lost 95,000 men.")
    assert "80,000" in f.message and "95,000" in f.message
    assert {e.text for e in f.evidence} == {"65th Army", "80,000 men", "95,000 men"}


def test_losses_compare_with_the_largest_strength_and_the_same_formation():
    text = ("The 2nd Tank Army had 408 tanks, of which only 182 could fight. The 2nd Tank Army lost 200 tanks. "
            "The 3rd Army had 100 tanks. The 2nd Tank Army lost 300 tanks.")
    ms = [formation(text, "2nd Tank Army", 2, branch="tank"), strength(text, "408 tanks", 408, "tanks"),
          strength(text, "182", 182, "tanks"), formation(text, "2nd Tank Army", 2, nth=1, branch="tank"),
          cas(text, "200 tanks", 200, category="equipment", equipment="tanks"),
          formation(text, "3rd Army", 3), strength(text, "100 tanks", 100, "tanks"),
          formation(text, "2nd Tank Army", 2, nth=2, branch="tank"),
          cas(text, "300 tanks", 300, category="equipment", equipment="tanks")]
    assert check(DocumentView("d.txt", text, ms, "en")) == []


# -- rule 4: ratio claims ----------------------------------------------------------------------

def test_ratio_far_from_its_figures(en):
    (f,) = arithmetic(en, "The 3rd Army had 50,000 men. It lost 20,000 men killed; one in ten of its men had died.")
    assert f.severity == "info"
    assert [e.text for e in f.evidence] == ["one in ten", "20,000 men", "50,000 men"]
    assert "40%" in f.message


def test_chinese_ratio():
    text = "第5軍有兩萬人,傷亡一萬五千人,十分之一的士兵陣亡。"
    ms = [formation(text, "第5軍", 5, "corps"), strength(text, "兩萬人", 20000), cas(text, "一萬五千人", 15000)]
    (f,) = check(DocumentView("zh.txt", text, ms, "zh-Hant"))
    assert f.evidence[0].text == "十分之一"


def test_ratio_without_both_figures_nearby_is_not_checked(en):
    text = ("The army had 50,000 men.\nThe Soviet losses were significant: 30,439 men were killed or taken "
            "prisoner. One out of every 10 men at the front had died.")
    assert arithmetic(en, text) == []


# -- tolerances and plumbing ----------------------------------------------------------------

def test_bounds_follow_the_writers_rounding():
    t = "some 70,000 men"
    assert bounds(cas(t, "some 70,000 men", 70000, approx=True)) == (63000, 77000)
    assert bounds(cas(t, "70,000 men", 70000)) == (65000, 75000)
    assert bounds(cas("13,694", "13,694", 13694)) == (13693.5, 13694.5)
    assert bounds(cas("13,695", "13,695", 13695)) == (13692.5, 13697.5)     # maybe rounded to 5
    lo, hi = bounds(CasualtyMention(start=0, end=1, text="x", low=20400, high=None, category="total"))
    assert lo == 20350 and hi == float("inf")                                 # "at least 20,400"


def test_sentences_split_by_each_languages_marks():
    text = "One. Two 18.5 miles! Three\nfive"
    assert [text[a:b].strip() for a, b in sentences(text, "en")] == ["One.", "Two 18.5 miles!", "Three", "five"]
    text = "三萬人。四千人；五\n六"
    assert [text[a:b].strip() for a, b in sentences(text, "zh-Hant")] == ["三萬人。", "四千人；", "五", "六"]


def test_registered_and_stable(en):
    text = "The 21st Army lost 12,000 men, including 15,000 killed."
    _, mentions = en.extract(text)
    fs = [f for f in run_document_checks(DocumentView("doc.txt", text, mentions, "en")) if f.kind == "arithmetic_mismatch"]
    assert len(fs) == 1
    assert make_flags(fs)[0].id == make_flags(list(fs))[0].id


# -- infobox breakdowns: groups of one casualties section ---------------------------------------
@pytest.mark.parametrize("lang,text,flagged", [
    ("en", "Infobox\n- Casualties1: 1,100 killed, 2,300 wounded, 400 missing, 4,800 in total\n", True),
    ("en", "Infobox\n- Casualties1: 1,100 killed, 2,300 wounded, 400 missing, 3,800 in total\n", False),
    # a label starts another group: the second army's parts are not the first's
    ("en", "Infobox\n- Casualties2: 3rd Army, May 1943:, 500 killed, 700 wounded, 1,200 in total, "
           "5th Army, June 1943:, 300 killed, 900 wounded, 1,200 in total\n", False),
    # a total before its parts, then a period label and another breakdown
    ("en", "Infobox\n- Casualties2: 10 May - 2 June 1943:, 90,481 men :50,880 killed or captured "
           ":30,601 wounded or sick June 1943:, 4,000 men :3,000 captured :1,000 wounded\n", True),
    ("zh-Hant", "傷亡與損失\n第5軍\n1,200人陣亡\n3,400人受傷\n總數:4,600人\n第9軍\n800人陣亡\n900人受傷\n總數:2,700人\n", True),
    ("zh-Hant", "傷亡與損失\n第5軍\n1,200人陣亡\n3,400人受傷\n總數:4,600人\n第9軍\n800人陣亡\n900人受傷\n總數:1,700人\n", False),
])
def test_an_infobox_breakdown_must_add_up(lang, text, flagged):
    from pipeline.nlp import extractor

    _, mentions = extractor(lang).extract(text)
    found = check(DocumentView("doc", text, mentions, lang))
    assert bool(found) is flagged, [f.message for f in found]
