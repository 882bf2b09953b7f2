"""Language and script detection per document: en, zh-Hant, zh-Hans, mixed, und; fast on big input."""
from __future__ import annotations

import time

import pytest

from pipeline.lang.detect import DetectResult, detect, han_variants, sample

EN = ("In the spring of 1943 the Central Front under Rokossovsky held the northern face of the "
      "Kursk salient. The 65th Army and the 2nd Tank Army had been badly worn down by the winter "
      "fighting, and the rasputitsa made every road a river of mud.")
HANT = ("一九四三年春,羅科索夫斯基指揮的中央方面軍據守庫爾斯克突出部的北面。第65集團軍和第2坦克集團軍"
        "在冬季的戰鬥中損失慘重,春季泥濘使每一條道路都變成了泥河。")
HANS = ("一九四三年春,罗科索夫斯基指挥的中央方面军据守库尔斯克突出部的北面。第65集团军和第2坦克集团军"
        "在冬季的战斗中损失惨重,春季泥泞使每一条道路都变成了泥河。")


def test_english():
    r = detect(EN)
    assert isinstance(r, DetectResult)
    assert r.lang == "en" and not r.mixed
    assert r.scripts["latin"] > 100 and r.scripts["han"] == 0
    assert r.reason


def test_traditional_chinese():
    r = detect(HANT)
    assert r.lang == "zh-Hant" and not r.mixed
    assert r.scripts["han_trad"] > r.scripts["han_simp"]


def test_simplified_chinese():
    r = detect(HANS)
    assert r.lang == "zh-Hans" and not r.mixed
    assert r.scripts["han_simp"] > r.scripts["han_trad"]


def test_chinese_citing_latin_names_stays_chinese():
    text = "第2坦克集團軍(2nd Tank Army)的司令員羅金(Alexei Rodin)在塞夫斯克以西轉入防禦。"
    r = detect(text)
    assert r.lang == "zh-Hant" and not r.mixed


def test_no_distinguishing_characters_defaults_to_traditional():
    r = detect("3月21日")
    assert r.lang == "zh-Hant"
    assert "default" in r.reason


def test_mixed_english_paragraph_in_chinese_document():
    r = detect(HANT + "\n\n" + EN + "\n" + HANT)
    assert r.lang == "zh-Hant"
    assert r.mixed and "mixed" in r.reason


def test_mixed_chinese_paragraph_in_english_document():
    r = detect(EN + "\n" + EN + "\n" + HANS + "\n" + EN)
    assert r.lang == "en" and r.mixed


def test_short_latin_aside_is_not_mixed():
    r = detect(HANT + "\nSee: Glantz 1999.\n" + HANT)
    assert r.lang == "zh-Hant" and not r.mixed


@pytest.mark.parametrize("text,why", [
    ("", "no letters"),
    ("12345 67890 !!! ---", "no letters"),
    ("Весной 1943 года Центральный фронт удерживал северный фас Курской дуги.", "cyrillic"),
    ("これは日本語のテキストです。東京から大阪まで新幹線で行きました。", "Japanese"),
    ("이것은 한국어로 쓴 문장입니다. 전선은 조용했다.", "hangul"),
    ("Im Frühjahr 1943 hielt die Zentralfront den Nordteil des Kursker Bogens, und die Armee war "
     "nach den Kämpfen des Winters schwer angeschlagen, so dass die Verbände mit dem Nachschub "
     "nicht mehr auskamen und die Straßen im Schlamm versanken, der für die Truppen der Front ein "
     "großes Problem war.", "not English"),
])
def test_unsupported(text, why):
    r = detect(text)
    assert r.lang == "und"
    assert why.lower() in r.reason.lower()


def test_han_variants_counts():
    trad, simp = han_variants(HANT)
    assert trad > 10 and simp == 0
    trad, simp = han_variants(HANS)
    assert simp > 10 and trad == 0


def test_sample_is_bounded_and_spread():
    big = ("A" * 99 + "\n") * 200_000   # 20 MB
    s = sample(big)
    assert len(s) <= 21_000
    assert sample("short") == "short"


def test_fast_on_a_20_mb_string():
    big = (HANT + "\n") * (20_000_000 // (len(HANT) + 1))
    t0 = time.perf_counter()
    r = detect(big)
    assert time.perf_counter() - t0 < 1.0
    assert r.lang == "zh-Hant"
