"""The number readers: one per language, the only code that turns a numeral into a value.

Each row is (numeral as written, low, high, approx); None in `low` means "not a number".
"""
from __future__ import annotations

import pytest

from pipeline.lang import en, zh

EN = [
    ("30,439", 30439, 30439, False),
    ("30 439", 30439, 30439, False),
    ("30\u202f439", 30439, 30439, False),
    ("30\u00a0439", 30439, 30439, False),
    ("45.000", 45000, 45000, False),          # dots that group thousands
    ("1.250.000", 1250000, 1250000, False),
    ("1.5", 1.5, 1.5, False),                 # a decimal, never 15
    ("12.75", 12.75, 12.75, False),
    ("7 1/2", 7.5, 7.5, False),
    ("3/4", 0.75, 0.75, False),
    ("2.5", 2.5, 2.5, False),                 # what 2½ becomes after normalization
    ("half a", 0.5, 0.5, False),
    ("two and a half", 2.5, 2.5, False),
    ("three and a quarter", 3.25, 3.25, False),
    ("forty-five thousand", 45000, 45000, False),
    ("a hundred and twenty", 120, 120, False),
    ("a dozen", 12, 12, False),
    ("two dozen", 24, 24, False),
    ("1.5 million", 1500000, 1500000, False),
    ("20 thousand", 20000, 20000, False),
    ("several hundred", 200, 900, True),
    ("a few thousand", 2000, 9000, True),
    ("hundreds of", 200, 900, True),
    ("tens of thousands", 20000, 90000, True),
    ("many", None, None, False),
    ("5/0", None, None, False),
    ("3/2", None, None, False),               # not a fraction a writer would use: a score or a date
    ("", None, None, False),
]

ZH = [
    ("150", 150, 150, False),
    ("30,439", 30439, 30439, False),
    ("兩萬三千", 23000, 23000, False),
    ("2萬6,150", 26150, 26150, False),
    ("4萬1,207", 41207, 41207, False),
    ("2,300萬", 23000000, 23000000, False),
    ("3.65萬億", 3.65e12, 3.65e12, False),
    ("五萬萬", 5e8, 5e8, False),
    ("1兆", 1e12, 1e12, False),
    ("三點五", 3.5, 3.5, False),
    ("廿五", 25, 25, False),
    ("卅", 30, 30, False),
    ("一千零五", 1005, 1005, False),
    ("十萬零三百", 100300, 100300, False),
    ("二〇〇", 200, 200, False),
    ("一九四三", 1943, 1943, False),
    ("１９４３", 1943, 1943, False),
    ("1 0", 10, 10, False),                   # a scraped space inside a number
    ("第29", 29, 29, False),
    ("十餘", 11, 19, True),
    ("數百", 200, 900, True),
    ("三四十", 30, 40, True),
    ("上萬", 10000, None, True),
    ("三十餘萬", 310000, 390000, True),
    ("30至40", 30, 40, False),
    ("三至五萬", 30000, 50000, False),
    ("萬", 10000, 10000, False),              # as in 近萬人
    ("部隊", None, None, False),
]


def _row(r):
    return (None, None, False) if r is None else (r.low, r.high, r.approx)


@pytest.mark.parametrize("text,low,high,approx", EN)
def test_english_numerals(text, low, high, approx):
    assert _row(en.read_number(text)) == (low, high, approx)


@pytest.mark.parametrize("text,low,high,approx", ZH)
def test_chinese_numerals(text, low, high, approx):
    assert _row(zh.read_number(text)) == (low, high, approx)


@pytest.mark.parametrize("reader,low,high,expected", [
    (en, "10", "20 thousand", (10000, 20000, False)),
    (en, "8", "10", (8, 10, False)),
    (en, "two", "three thousand", (2000, 3000, False)),
    (en, "81", "6", None),                    # a range never runs backwards
    (zh, "三", "五萬", (30000, 50000, False)),
    (zh, "10", "20萬", (100000, 200000, False)),
    (zh, "5萬", "3萬", None),
])
def test_ranges_carry_the_magnitude_of_their_second_end(reader, low, high, expected):
    r = reader.read_range(low, high)
    assert (None if r is None else (r.low, r.high, r.approx)) == expected


def test_parse_number_is_the_exact_value_only():
    assert en.parse_number("forty-five") == 45
    assert en.parse_number("several hundred") is None
    assert zh.parse_number("兩萬") == 20000
    assert zh.parse_number("數百") is None
