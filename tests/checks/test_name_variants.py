"""name_variant: one person written two ways in the corpus.

Flagged: same given name, same patronymic initial and same rank with a near-identical
surname ("Mikhail S. Malinin" / "Mikhail S. Malinov"). Not flagged: two different
people (different patronymic initials, different given names, or surnames too far
apart without patronymic and rank to back them up).
"""
from __future__ import annotations

import pytest

from pipeline.checks import DocumentView, run_corpus_checks
from pipeline.records import PersonMention


def person(text: str, span: str, name: str, rank: str | None) -> PersonMention:
    start = text.index(span)
    return PersonMention(start=start, end=start + len(span), text=span, name=name, rank=rank)


def doc(name: str, text: str, *people) -> DocumentView:
    """`people` are (span, canonical name, rank) triples found in `text`."""
    return DocumentView(name, text, [person(text, *p) for p in people], "en")


def variants(*docs) -> list:
    return [f for f in run_corpus_checks(list(docs)) if f.kind == "name_variant"]


def pairs(fs) -> list:
    return [tuple((e.doc, e.text) for e in f.evidence) for f in fs]


def test_name_variants_same_given_patronymic_rank_near_surname_across_documents():
    a = doc("a.txt", "Chief of staff General Major Mikhail S. Malinin signed the order.",
            ("Mikhail S. Malinin", "Mikhail Malinin", "General Major"))
    b = doc("b.txt", "The order was signed by General Major Mikhail S. Malinov, the chief of staff.",
            ("Mikhail S. Malinov", "Mikhail Malinov", "General Major"))
    fs = variants(a, b)
    assert pairs(fs) == [(("a.txt", "Mikhail S. Malinin"), ("b.txt", "Mikhail S. Malinov"))]
    assert "Malinin / Malinov" in fs[0].message


def test_name_variants_within_one_document_with_curly_apostrophe():
    text = ("General Major Trofim I. Tanaschishin’s corps led the way. "
            "Two days later General Major Trofim I. Tanashchishin reported the bridge taken.")
    d = doc("c.txt", text, ("Trofim I. Tanaschishin", "Trofim Tanaschishin", "General Major"),
            ("Trofim I. Tanashchishin", "Trofim Tanashchishin", "General Major"))
    fs = variants(d)
    assert pairs(fs) == [(("c.txt", "Trofim I. Tanaschishin"), ("c.txt", "Trofim I. Tanashchishin"))]
    assert [e.start for e in fs[0].evidence] == [text.index("Trofim I. Tanaschishin"),
                                                 text.index("Trofim I. Tanashchishin")]


def test_name_variants_weak_similarity_needs_rank_and_patronymic():
    # the same two spellings as above, but the ranks differ: 71% is not enough on its own
    a = doc("a.txt", "Colonel Mikhail S. Malinin signed the order.",
            ("Mikhail S. Malinin", "Mikhail Malinin", "Colonel"))
    b = doc("b.txt", "General Major Mikhail S. Malinov signed the order.",
            ("Mikhail S. Malinov", "Mikhail Malinov", "General Major"))
    assert variants(a, b) == []


@pytest.mark.parametrize(
    "first,second",
    [
        # Pavel I. Batov and Pavel A. Belov: two different generals, patronymics differ
        (("General Pavel I. Batov crossed the Sozh.", ("Pavel I. Batov", "Pavel Batov", "General")),
         ("General Pavel A. Belov reached Yukhnov.", ("Pavel A. Belov", "Pavel Belov", "General"))),
        # the same pair without initials: surnames too far apart on their own
        (("General Pavel Batov crossed the Sozh.", ("Pavel Batov", "Pavel Batov", "General")),
         ("General Pavel Belov reached Yukhnov.", ("Pavel Belov", "Pavel Belov", "General"))),
        # different given names
        (("General Major Ivan S. Malinin signed the order.", ("Ivan S. Malinin", "Ivan Malinin", "General Major")),
         ("General Major Mikhail S. Malinov signed it too.",
          ("Mikhail S. Malinov", "Mikhail Malinov", "General Major"))),
        # entirely different surnames
        (("General Ivan Konev took Uman.", ("Ivan Konev", "Ivan Konev", "General")),
         ("General Ivan Chernyakhovsky took Vitebsk.", ("Ivan Chernyakhovsky", "Ivan Chernyakhovsky", "General"))),
    ],
)
def test_name_variants_two_different_people_are_not_flagged(first, second):
    assert variants(doc("a.txt", first[0], first[1]), doc("b.txt", second[0], second[1])) == []


def test_name_variants_identical_spelling_is_not_a_variant():
    a = doc("a.txt", "General Major Mikhail S. Malinin signed.", ("Mikhail S. Malinin", "Mikhail Malinin",
                                                                 "General Major"))
    b = doc("b.txt", "General Major Mikhail S. Malinin agreed.", ("Mikhail S. Malinin", "Mikhail Malinin",
                                                                  "General Major"))
    assert variants(a, b) == []


def test_name_variants_end_to_end_from_extracted_mentions(en):
    texts = {
        "a.txt": "General Leytenant Nikolai P. Pukhov’s 13th Army held Ponyri on 7 July.",
        "b.txt": "On 9 July General Leytenant Nikolai P. Pukhin ordered a counterattack at Olkhovatka.",
    }
    docs = [DocumentView(name, t, en.extract(t)[1], "en") for name, t in texts.items()]
    assert pairs(variants(*docs)) == [(("a.txt", "Nikolai P. Pukhov"), ("b.txt", "Nikolai P. Pukhin"))]


def test_name_variants_one_flag_per_spelling_pair_whatever_the_order():
    spans = [("Mikhail S. Malinin", "Mikhail Malinin"), ("Mikhail S. Malinov", "Mikhail Malinov"),
             ("Mikhail S. Malinin", "Mikhail Malinin")]
    docs = [doc(f"{i}.txt", f"General Major {span} signed the order.", (span, name, "General Major"))
            for i, (span, name) in enumerate(spans)]
    assert len(variants(*docs)) == 1


# --- within one document: spellings the knowledge base lacks, transliterations --------------

def _pm(text: str, span: str, name: str, **kw) -> PersonMention:
    start = text.index(span)
    return PersonMention(start=start, end=start + len(span), text=span, name=name, **kw)


def test_name_variants_a_misspelled_surname_beside_the_known_one_in_one_document():
    text = "Nikolai Vatutin took Kiev. Nikolai Vatutine then turned south."
    d = DocumentView("v.txt", text, [_pm(text, "Nikolai Vatutin", "Nikolai Vatutin"),
                                     _pm(text, "Nikolai Vatutine", "Nikolai Vatutine")], "en")
    assert pairs(variants(d)) == [(("v.txt", "Nikolai Vatutin"), ("v.txt", "Nikolai Vatutine"))]


def test_name_variants_a_german_transliteration_meets_by_its_phonetic_key():
    text = "Marshal Ivan Konev attacked at dawn; by noon Marshal Ivan Konjew had crossed."
    d = DocumentView("k.txt", text, [_pm(text, "Ivan Konev", "Ivan Konev", rank="Marshal"),
                                     _pm(text, "Ivan Konjew", "Ivan Konjew", rank="Marshal")], "en")
    assert len(variants(d)) == 1


def test_name_variants_one_character_off_in_a_chinese_name():
    text = "第8軍軍長李振東率部反擊,李振棟在城北負傷。"
    d = DocumentView("z.txt", text, [_pm(text, "李振東", "Li Zhendong", name_known=False),
                                     _pm(text, "李振棟", "Li Zhendong", name_known=False)], "zh-Hant")
    assert pairs(variants(d)) == [(("z.txt", "李振東"), ("z.txt", "李振棟"))]    # two characters of one sound
    d = DocumentView("z.txt", text, [_pm(text, "李振東", "Li Zhendong", name_known=False),
                                     _pm(text, "李振棟", "Li Zhendang", name_known=False)], "zh-Hant")
    assert pairs(variants(d)) == [(("z.txt", "李振東"), ("z.txt", "李振棟"))]


def test_name_variants_two_people_with_one_surname_are_not_joined():
    text = "Vasily Kuznetsov held the north while Fyodor Kuznetsov fell back; Li Zongren met Li Pinxian."
    d = DocumentView("s.txt", text, [_pm(text, "Vasily Kuznetsov", "Vasily Kuznetsov"),
                                     _pm(text, "Fyodor Kuznetsov", "Fyodor Kuznetsov"),
                                     _pm(text, "Li Zongren", "Li Zongren"), _pm(text, "Li Pinxian", "Li Pinxian")],
                     "en")
    assert variants(d) == []


def test_name_variants_a_transliteration_reached_by_sound_beside_the_known_spelling():
    text = "蘇軍由格奧爾基·朱可夫指揮。8月20日,茹科夫下令總攻。"
    d = DocumentView("t.txt", text, [
        _pm(text, "格奧爾基·朱可夫", "Georgy Zhukov"),
        _pm(text, "茹科夫", "Georgy Zhukov", link_confidence=0.95)], "zh-Hant")
    fs = variants(d)
    assert pairs(fs) == [(("t.txt", "格奧爾基·朱可夫"), ("t.txt", "茹科夫"))] and "朱可夫 / 茹科夫" in fs[0].message


def test_name_variants_traditional_and_simplified_forms_of_one_name_are_one_spelling():
    text = "蔣中正下令撤退。蒋中正随后飞抵重庆。"
    d = DocumentView("s.txt", text, [_pm(text, "蔣中正", "Jiang Zhongzheng", name_known=False),
                                     _pm(text, "蒋中正", "Jiang Zhongzheng", name_known=False)], "zh-Hant")
    assert variants(d) == []


def test_name_variants_another_given_name_spelling_is_not_a_variant():
    text = "Georgy Zhukov arrived in June; Georgi Zhukov then planned the August offensive."
    d = DocumentView("g.txt", text, [_pm(text, "Georgy Zhukov", "Georgy Zhukov"),
                                     _pm(text, "Georgi Zhukov", "Georgy Zhukov")], "en")
    assert variants(d) == []
