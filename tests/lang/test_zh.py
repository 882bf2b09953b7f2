"""The Chinese profile: normalization with exact offsets, protected names, numerals, jieba.

Every normalized character must map back to the original characters it came
from (CONTRACT.md: offsets always index the original text).
"""
from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

import pytest

from pipeline.lang import get_profile
from pipeline.lang import zh


def _map(view):
    """[(normalized char, original text it maps to)] for every normalized char."""
    return [(view.text[i], view.original_text(i, i + 1)) for i in range(len(view.text))]


def _span(view, sub):
    """The original text under the first occurrence of `sub` in the normalized text."""
    i = view.text.index(sub)
    return view.original_text(i, i + len(sub))


# ----------------------------------------------------------------------------- profile
def test_profile_is_shared_by_both_scripts():
    assert get_profile("zh") is zh.PROFILE
    assert get_profile("zh-Hant") is zh.PROFILE
    assert get_profile("zh-Hans") is zh.PROFILE
    assert zh.PROFILE.code == "zh" and zh.PROFILE.spacy_lang == "zh"
    assert zh.PROFILE.parse_number("三十") == 30
    assert zh.PROFILE.parse_number_range("數百") == (200, 900, True)


# ----------------------------------------------------------------------------- folding
def test_full_width_digits_and_letters_fold_one_to_one():
    original = "第６５集團軍於１９４３年３月２日抵達ＡＢ線"
    view = zh.normalize(original)
    assert view.text == "第65集团军于1943年3月2日抵达AB线"
    assert len(view.text) == len(original)
    for i in range(len(original)):
        assert view.to_original(i, i + 1) == (i, i + 1)
    assert _span(view, "1943年3月2日") == "１９４３年３月２日"


def test_punctuation_policy():
    original = "甲，乙：丙；（丁）！戊？「己」《庚》、辛。壬—癸～子‧丑　寅"
    view = zh.normalize(original)
    # full-width ASCII look-alikes fold; 「」《》、。 are kept; dashes/waves/name dots unify
    assert view.text == "甲,乙:丙;(丁)!戊?「己」《庚》、辛。壬-癸~子·丑 寅"
    assert len(view.text) == len(original)


def test_compatibility_character_expands_and_maps_back_whole():
    original = "前進50㎞後"
    view = zh.normalize(original)
    assert view.text == "前进50km后"
    i = view.text.index("km")
    assert view.to_original(i, i + 1) == (4, 5)          # "k" -> the whole ㎞
    assert view.to_original(i, i + 2) == (4, 5)
    assert view.original_text(2, 6) == "50㎞"


# ----------------------------------------------------------------------------- OpenCC
def test_traditional_is_converted_with_exact_offsets():
    original = "羅科索夫斯基指揮的中央方面軍向西推進約80裡。"
    view = zh.normalize(original)
    assert view.text == "罗科索夫斯基指挥的中央方面军向西推进约80里。"
    assert all(len(o) == 1 for _, o in _map(view))
    assert _span(view, "罗科索夫斯基") == "羅科索夫斯基"
    assert _span(view, "约80里") == "約80裡"


def test_taiwan_vocabulary_is_converted_by_characters_only():
    # t2s changes characters, not vocabulary: 戰車軍團 stays "tank army" in Taiwan words
    view = zh.normalize("第2戰車軍團")
    assert view.text == "第2战车军团"


def _fake_converter(clause: str) -> str:
    """OpenCC t2s, plus rules that change lengths the way phrase tables can."""
    out = zh._t2s().convert(clause)
    return out.replace("集团军群", "集群").replace("骑机", "骑兵机械化").replace("里", "")


def test_length_changing_conversion_keeps_offsets():
    original = "第4裝甲集團軍羣向東;克留科夫騎機集羣約100裡外,好。"
    view = zh.normalize(original, convert=_fake_converter)
    assert view.text == "第4装甲集群向东;克留科夫骑兵机械化集群约100外,好。"
    # unchanged and same-length characters map one to one
    assert _span(view, "第4装甲") == "第4裝甲"
    assert _span(view, "向东") == "向東"
    assert _span(view, "好。") == "好。"
    # a shortened block maps to the whole source block
    assert _span(view, "集群向") == "集團軍羣向"
    # a lengthened block: every new character points at the source block it replaced
    assert _span(view, "骑兵机械化") == "騎機"
    assert _span(view, "克留科夫骑兵机械化集群") == "克留科夫騎機集羣"
    # a deleted character: the text around it still maps exactly
    assert _span(view, "约100外") == "約100裡外"
    assert _span(view, "100") == "100"


def test_alignment_of_insertions_and_deletions():
    def conv(clause):  # a phrase rule that adds text around clauses and drops 乙
        wrap = len(clause) > 1
        return ("X" if wrap else "") + clause.replace("乙", "") + ("Y" if wrap else "")

    view = zh.normalize("甲乙丙,丁", convert=conv)
    assert view.text == "X甲丙Y,丁"
    assert _map(view) == [("X", "甲"), ("甲", "甲"), ("丙", "丙"), ("Y", "丙"), (",", ","), ("丁", "丁")]
    assert view.original_text(0, 4) == "甲乙丙"
    assert view.original_text(1, 3) == "甲乙丙"


def test_aligned_segments_are_consecutive():
    src, dst = "集團軍羣前進", "集群前进"
    segs = zh._aligned(src, dst, 10, zh._t2s().convert)
    assert segs[0][0] == 10 and segs[-1][1] == 10 + len(src)
    for (a, b, _), (c, d, _) in zip(segs, segs[1:]):
        assert b == c
    assert "".join(r for _, _, r in segs) == dst


def test_protected_names():
    # OpenCC alone reads the 乾 of these names as 干 (dry): wrong for place names
    assert zh._t2s().convert("乾安縣") == "干安县"
    assert zh.normalize("吉林乾安縣").text == "吉林乾安县"
    assert zh.normalize("乾岔子島事件").text == "乾岔子岛事件"
    exc = zh.exceptions()
    assert exc["乾安"] == "乾安"
    assert all(not k.startswith("_") for k in exc)


def test_simplified_input_passes_through_unchanged():
    # t2s would turn the 乾 of the era name 乾符 into 干: a Simplified text is left alone
    text = "唐朝乾符年间,黄巢率部转战于山东,第二十九集团军于三月底被包围。"
    assert zh._t2s().convert(text) != text
    view = zh.normalize(text)
    assert view.text == text
    assert all(a == b for a, b in _map(view))


def test_empty_and_ascii_text():
    assert zh.normalize("").text == ""
    assert zh.normalize("Rokossovsky 1943").text == "Rokossovsky 1943"


# ----------------------------------------------------------------------------- numbers
@pytest.mark.parametrize("text,value", [
    ("150", 150), ("30,439", 30439), ("1、500", 1500), ("１２０", 120),
    ("一百五十", 150), ("兩萬", 20000), ("两万", 20000), ("第四", 4), ("二十九", 29),
    ("五千", 5000), ("3萬", 30000), ("1.5萬", 15000), ("1.5万", 15000), ("2万5千", 25000),
    ("一九四三", 1943), ("一九四〇", 1940), ("二〇", 20), ("三十二", 32), ("廿一", 21),
    ("卅一", 31), ("十", 10), ("两", 2), ("第29", 29), ("一万零五百", 10500),
])
def test_parse_number(text, value):
    assert zh.parse_number(text) == value


@pytest.mark.parametrize("text", ["十餘", "十余", "數百", "三四十", "上千", "三四", "十七八",
                                  "", "abc", "第", "30至40", "1,50"])
def test_parse_number_refuses_approximate_and_unreadable(text):
    assert zh.parse_number(text) is None


@pytest.mark.parametrize("text,expected", [
    ("150", (150, 150, False)),
    ("30至40", (30, 40, False)), ("三十到四十", (30, 40, False)), ("3-4萬", (30000, 40000, False)),
    ("三四十", (30, 40, True)), ("三四百", (300, 400, True)), ("兩三千", (2000, 3000, True)),
    ("十七八", (17, 18, True)), ("二十三四", (23, 24, True)), ("三四十萬", (300000, 400000, True)),
    ("一兩", (1, 2, True)), ("三五", (3, 5, True)),
    ("十餘", (11, 19, True)), ("十余", (11, 19, True)), ("二十多", (21, 29, True)),
    ("百餘", (101, 199, True)), ("五千餘", (5001, 5999, True)), ("三十餘萬", (310000, 390000, True)),
    ("十幾", (11, 19, True)), ("十来", (11, 19, True)),
    ("數百", (200, 900, True)), ("几十", (20, 90, True)), ("數十萬", (200000, 900000, True)),
    ("上千", (1000, None, True)), ("上萬", (10000, None, True)),
])
def test_parse_number_range(text, expected):
    assert zh.parse_number_range(text) == expected


@pytest.mark.parametrize("text", ["40至30", "15余", "數以千計", "abc", ""])
def test_parse_number_range_unreadable(text):
    assert zh.parse_number_range(text) is None


# ----------------------------------------------------------------------------- jieba
@pytest.fixture(scope="module")
def nlp():
    return zh.make_nlp()


def _tokens(nlp, original):
    return [t.text for t in nlp(zh.normalize(original).text)]


def test_user_dictionary_keeps_names_and_formations_together(nlp):
    toks = _tokens(nlp, "羅科索夫斯基與葉廖緬科指揮第4突擊集團軍和近衛騎兵軍")
    assert "罗科索夫斯基" in toks
    assert "叶廖缅科" in toks
    assert "突击集团军" in toks
    assert "近卫骑兵军" in toks
    # the same text in Simplified segments the same way
    assert _tokens(nlp, "罗科索夫斯基与叶廖缅科指挥第4突击集团军和近卫骑兵军") == toks


def test_interpunct_names_are_one_token(nlp):
    toks = _tokens(nlp, "埃里希·馮·曼施坦因元帥與弗里德里希‧保盧斯")
    assert toks[0] == "埃里希·冯·曼施坦因"
    assert "弗里德里希·保卢斯" in toks


def test_segmentation_uses_hmm_off(nlp):
    seg = nlp.tokenizer.jieba_seg
    assert isinstance(seg, zh.JiebaSegmenter)
    text = "奥斯特罗戈日斯克以南的卡拉奇附近"
    assert [t.text for t in nlp(text)] == list(zh.jieba_tokenizer().cut(text, HMM=False))


def test_tokens_align_with_the_normalized_text(nlp):
    text = zh.normalize("1943年3月21日，第16集團軍 (Rokossovsky) 前進了約100裡。").text
    doc = nlp(text)
    assert doc.text == text


def test_jieba_cache_is_in_the_project_not_tmp(nlp):
    import jieba

    d = zh.cache_dir()
    root = Path(zh.__file__).resolve().parents[2]
    # in the project (wherever the checkout lives), never jieba's default straight in the temp dir
    assert root in d.resolve().parents
    assert d.resolve() != Path(tempfile.gettempdir()).resolve()
    assert zh.jieba_tokenizer().tmp_dir == str(d)
    assert jieba.dt.tmp_dir == str(d)
    assert (d / "jieba.cache").is_file()


def test_userdict_reader_skips_comments(tmp_path):
    p = tmp_path / "u.txt"
    p.write_text("# a comment\n\n集团军 3000 nt\n近卫 n\n罗科索夫斯基\n", encoding="utf-8")
    assert zh.read_userdict(p) == [("集团军", 3000, "nt"), ("近卫", None, "n"), ("罗科索夫斯基", None, None)]


def test_userdict_holds_every_curated_word():
    spec = importlib.util.spec_from_file_location(
        "build_userdict", zh.resources.models_path("jieba", "build_userdict.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    words = {w for w, _, _ in zh.read_userdict()}
    curated = {w for block in mod.CURATED.values() for w in block.split()}
    assert curated - words == set(), "run models/jieba/build_userdict.py"
    for w in words:
        assert zh.normalize(w).text == w or w in zh.exceptions().values(), f"{w} is not Simplified"
