"""Infobox sections: the heading line names the kind of list beneath it."""
import pytest

from pipeline import resources
from pipeline.extract.sections import reader
from pipeline.lang import get_profile

LANGS = ["en", "zh"]


def _read(lang, text):
    norm = get_profile(lang).normalize(text).text
    return norm, reader(lang).read(norm)


@pytest.mark.parametrize("lang", LANGS)
def test_every_example_and_negative_of_the_heading_lexicon(lang):
    lex = resources.lexicon(lang, "sections")
    for ex in lex["examples"]:
        norm, found = _read(lang, ex["text"])
        assert [[s.kind, norm[s.start:s.end]] for s in found] == ex["sections"], ex["text"]
    for neg in lex["negatives"]:
        assert _read(lang, neg)[1] == [], neg


def test_a_section_ends_at_the_first_line_of_prose():
    text = "Casualties and losses\n1,200 killed\n\n3,400 wounded\nThe city fell on the third day of the siege.\n"
    norm, found = _read("en", text)
    assert [s.kind for s in found] == ["casualties"]
    assert [norm[a:b] for a, b in found[0].lines(norm)] == ["1,200 killed", "3,400 wounded"]


def test_a_heading_with_table_residue_is_still_a_heading():
    assert reader("en").heading("Strength | |||||") == "strength"
    assert reader("zh").heading("伤亡与损失") == "casualties"
    assert reader("en").heading("Strength was low") is None
