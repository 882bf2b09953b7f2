"""Every corruption pattern's own `examples` and `negatives` (models/patterns/<lang>/corruption.jsonl).

Each pattern row carries texts written for it: every example must give a corrupt span of exactly
that pattern on exactly its `span` (offsets in the original text, Traditional or Simplified), and
(its `nth` occurrence when the text holds it more than once), and every negative must give no
corrupt span at all (any pattern).  The texts run through the
language's normalization, the date component and the corruption component, as in a real run.
"""
from __future__ import annotations

import pytest

from pipeline import resources
from pipeline.extract import base

LANGS = ("en", "zh")


def _rows(lang):
    return [r for r in resources.patterns(lang, "corruption") if "define" not in r]


def _cases(kind):
    for lang in LANGS:
        for row in _rows(lang):
            for i, case in enumerate(row.get(kind, [])):
                yield pytest.param(lang, row["id"], case, id=f"{row['id']}-{i}")


@pytest.fixture(scope="module")
def corrupt_spans(corruption_doc):
    """`corrupt_spans(lang, text)` -> (start, end, rule) of every corrupt span, in original offsets."""
    def run(lang: str, text: str) -> list[tuple[int, int, str]]:
        view, doc = corruption_doc(lang, text)
        return [(*view.to_original(c.start, c.end), c.rule) for c in base.of_type(doc, "corrupt")]

    return run


def test_every_pattern_has_examples_and_negatives():
    for lang in LANGS:
        for row in _rows(lang):
            assert row.get("examples"), f"{row['id']}: no examples"
            assert row.get("negatives"), f"{row['id']}: no negatives"
            for case in row["examples"]:
                assert case["span"] in case["text"], f"{row['id']}: span {case['span']!r} not in its text"


@pytest.mark.parametrize("lang,rule,case", list(_cases("examples")))
def test_pattern_example(corrupt_spans, lang, rule, case):
    text, span = case["text"], case["span"]
    start = -1
    for _ in range(case.get("nth", 0) + 1):      # "nth": the span's occurrence, 0 = the first
        start = text.index(span, start + 1)
    found = corrupt_spans(lang, text)
    assert (start, start + len(span), rule) in found, \
        f"{rule}: expected {span!r} at {start}, got {[(text[s:e], r) for s, e, r in found]}"


@pytest.mark.parametrize("lang,rule,case", list(_cases("negatives")))
def test_pattern_negative(corrupt_spans, lang, rule, case):
    found = corrupt_spans(lang, case)
    assert found == [], f"{rule}: {[(case[s:e], r) for s, e, r in found]}"
