"""The extractor reads one text or a stream of them through spaCy's batched `nlp.pipe`."""
import pytest

from pipeline.nlp import extractor

TEXTS = {
    "en": ["On 12 March 1943 the 3rd Tank Army lost 40 tanks near the river.",
           "",
           "General Ivan Petrov's 9th Army advanced 30 miles (48 km) in early April 1942.",
           "Nothing here but a line of prose."],
    "zh-Hant": ["1938年6月11日，第九戰區的部隊約三萬人向南撤退。",
                "第2集團軍前進了40公里。",
                "沒有數字的一句話。"],
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_a_stream_of_texts_reads_as_each_text_alone(lang):
    ex = extractor(lang)
    one_by_one = [ex.analyze(t) for t in TEXTS[lang]]
    streamed = list(ex.analyze_many(iter(TEXTS[lang]), batch_size=2))
    assert [a.view.original for a in streamed] == TEXTS[lang]
    assert [a.mentions for a in streamed] == [a.mentions for a in one_by_one]
    assert [a.corrupt for a in streamed] == [a.corrupt for a in one_by_one]
    assert any(a.mentions for a in streamed)
