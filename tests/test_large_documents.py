"""Documents of any size up to the batch limit: long texts go through the pipeline in pieces cut
at blank lines or sentence ends, offsets stay exact, nothing at a cut is lost, runs of punctuation
cost little, and a text over spaCy's max_length is an ordinary document."""
import sys
import time
from pathlib import Path

import pytest

from pipeline import batch, nlp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from sizes import make_text  # noqa: E402


def test_pieces_cover_the_text_at_blank_lines_or_sentence_ends():
    text = make_text("en", 30_000)
    cuts = nlp.pieces(text, 4000)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:]))
    assert all(b - a <= 4000 for a, b in cuts)
    assert all(text[:b].endswith("\n\n") for _, b in cuts[:-1])
    prose = "The brigade held the ridge. " * 400          # no blank line: sentence ends
    assert all(prose[b - 2:b] == ". " for _, b in nlp.pieces(prose, 1000)[:-1])
    junk = "x" * 2500 + "\u0301" + "y" * 10                # nothing to cut at: never inside a mark
    assert all(junk[b] != "\u0301" for _, b in nlp.pieces(junk, 1000)[:-1])


@pytest.mark.parametrize("lang, code", [("en", "en"), ("zh", "zh-Hant")])
def test_a_text_in_pieces_reads_as_its_paragraphs_alone(monkeypatch, lang, code):
    ex = nlp.extractor(code)
    text = make_text(lang, 12_000, seed=5)
    whole = ex.analyze(text)
    monkeypatch.setattr(nlp, "PIECE_CHARS", 1500)
    split = ex.analyze(text)
    assert [(m.type, m.start, m.end) for m in split.mentions] == [(m.type, m.start, m.end) for m in whole.mentions]
    for m in split.mentions:
        assert text[m.start:m.end] == m.text
    assert split.view.original == text
    streamed = list(ex.analyze_many([text[:500], text, text[:300]]))
    assert [m.start for m in streamed[1].mentions] == [m.start for m in split.mentions]


def test_a_text_over_spacys_max_length_is_processed(monkeypatch):
    """(spaCy's max_length is 1,000,000: lowered here so that the test stays short; bench/sizes.py
    runs 15 MB documents.)"""
    ex = nlp.extractor("en")
    monkeypatch.setattr(ex.nlp, "max_length", 20_000)
    monkeypatch.setattr(nlp, "PIECE_CHARS", 15_000)
    text = make_text("en", 70_000, seed=2)
    rec = batch.process_text("big.txt", text, "en")
    assert rec.doc.status == "ok" and len(rec.mentions) > 500
    assert all(text[m.start:m.end] == m.text for m in rec.mentions)
    assert max(m.end for m in rec.mentions) > 60_000


@pytest.mark.parametrize("code", ["en", "zh-Hant"])
def test_runs_of_punctuation_are_tokenized_in_slices(code):
    ex = nlp.extractor(code)
    junk = "(" * 40_000
    t = time.perf_counter()
    a = ex.analyze(f"The 5th Army lost 400 men. {junk} On 3 March 1943 the 9th Army advanced 40 km.")
    assert time.perf_counter() - t < 30        # whole: minutes
    doc = ex._make_doc("ab " + "(.;" * 300 + " cd")
    assert doc.text == "ab " + "(.;" * 300 + " cd"
    if code == "en":
        assert {m.type for m in a.mentions} >= {"date", "measurement", "formation"}
