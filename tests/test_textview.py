"""TextView: matchers run on a normalized copy; every span maps back to the original text."""
from __future__ import annotations

import pytest

from pipeline.lang.en import normalize
from pipeline.textview import TextView, char_segments


def test_textview_identity_maps_every_span_to_itself():
    v = TextView.identity("Pukhov’s 13th Army")
    assert v.text == v.original
    assert v.to_original(0, 5) == (0, 5)
    assert v.original_text(9, 18) == "13th Army"


@pytest.mark.parametrize(
    "original,normalized",
    [
        ("Pukhov’s 13th Army", "Pukhov's 13th Army"),
        ("“Operation Gallop”", '"Operation Gallop"'),
        ("26–27 September — at dawn", "26-27 September - at dawn"),
        ("41\u00a0218 men", "41\u00a0218 men"),      # no-break spaces group thousands: kept
        ("a\u2007b\ufeff", "a b "),
        ("and so on…", "and so on."),
    ],
)
def test_textview_en_normalize_folds_quotes_dashes_spaces(original, normalized):
    v = normalize(original)
    assert v.text == normalized
    assert v.original == original


def test_textview_en_normalize_span_maps_back_to_curly_original():
    original = "General Pukhov’s “13th Army” held on 5–6 July."
    v = normalize(original)
    i = v.text.index("13th Army")
    assert v.to_original(i, i + len("13th Army")) == (original.index("13th Army"), original.index("13th Army") + 9)
    j = v.text.index("5-6 July")
    assert v.original_text(j, j + len("5-6 July")) == "5–6 July"


def test_textview_one_to_many_rewrite_maps_each_char_to_the_whole_segment():
    # NFKC turns the ligature 'ﬁ' (one char) into 'fi' (two): neither half can point inside it
    original = "the ﬁve armies"
    v = normalize(original)
    assert v.text == "the five armies"
    assert v.to_original(4, 5) == (4, 5)
    assert v.to_original(5, 6) == (4, 5)
    assert v.original_text(4, 8) == "ﬁve"


def test_textview_vulgar_fraction_becomes_decimal_mapped_to_one_char():
    original = "halted 2½ miles out"
    v = normalize(original)
    assert v.text == "halted 2.5 miles out"
    i = v.text.index("2.5 miles")
    assert v.to_original(i, i + len("2.5 miles")) == (7, 15)
    assert v.original_text(i + 1, i + 3) == "½"


def test_textview_combining_marks_stay_with_their_base_character():
    original = "Pe\u0301tain’s"          # e + combining acute: one segment, NFKC -> 'é'
    v = normalize(original)
    assert v.text == "Pétain's"
    i = v.text.index("é")
    assert v.to_original(i, i + 1) == (1, 3)
    assert v.original_text(0, 6) == "Pe\u0301tain"


def test_textview_deleting_rewrite_keeps_later_offsets():
    original = "a\u00adb 12 km"                # a soft hyphen that a rewrite drops
    v = TextView.identity(original).rewrite(
        lambda t: char_segments(t, lambda s: "" if s == "\u00ad" else s))
    assert v.text == "ab 12 km"
    i = v.text.index("12 km")
    assert v.to_original(i, i + 5) == (4, 9)
    assert v.original_text(0, 2) == "a\u00adb"


def test_textview_chained_rewrites_map_through_both_steps():
    original = "“XIII” Corps"
    step1 = normalize(original)
    step2 = step1.rewrite(lambda t: char_segments(t, str.lower))
    assert step2.text == '"xiii" corps'
    assert step2.original_text(1, 5) == "XIII"
    assert step2.to_original(0, 6) == (0, 6)


def test_textview_empty_span_maps_to_a_position():
    v = normalize("Pukhov’s army")
    assert v.to_original(3, 3) == (3, 3)
    assert v.to_original(len(v.text), len(v.text)) == (len(v.original), len(v.original))


def test_textview_ascii_runs_pass_through_with_their_own_offsets():
    original = "Cafe\u0301 \u201c12 km\u201d"
    v = TextView.identity(original).rewrite(
        lambda t: char_segments(t, lambda s: "<" + s.upper() + ">", ascii_unchanged=True))
    assert v.text == "Caf<E\u0301> <\u201c>12 km<\u201d>"      # a letter keeps its combining mark
    i = v.text.index("12 km")
    assert v.to_original(i, i + 5) == (original.index("12 km"), original.index("12 km") + 5)
    assert v.original_text(0, 3) == "Caf"
