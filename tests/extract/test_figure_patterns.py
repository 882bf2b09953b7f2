"""Every figure pattern's `examples` and `negatives` (models/patterns/<lang>/figures.jsonl; the other
components' are run by test_pattern_examples.py and test_corruption_patterns.py) are checked here, so a dead pattern (its regex no longer matches its own
example) or a shadowed one (another pattern wins on its example) shows by its id.

An example is `{"text", "span", "low", "high", ...expected fields}`: running the
extractor on `text` must give a mention whose text is `span`, with those values; for a
template (role "figure", the default) the mention's `rule` must be the pattern itself.
Patterns of other roles (sections) shape the mentions under them, so only their regex
match and the mention are checked.  A negative is a text on which the pattern must
produce no mention.
"""
from __future__ import annotations

import pytest

from pipeline import resources
from pipeline.extract.grammar import grammar
from pipeline.nlp import extractor


def _rows():
    for lang in ("en", "zh"):
        for row in resources.patterns(lang, "figures"):
            if "id" in row:
                yield lang, "figures", row


ROWS = list(_rows())


def test_some_patterns_carry_examples():
    assert {(lang, comp) for lang, comp, _ in ROWS} >= {("en", "figures"), ("zh", "figures")}


def test_every_template_has_an_example_and_a_negative():
    for lang, comp, row in ROWS:
        assert row.get("examples"), row["id"]
        if row.get("role", "figure") == "figure":
            assert row.get("negatives"), row["id"]


@pytest.mark.parametrize("lang, component, row", ROWS, ids=[r["id"] for _, _, r in ROWS])
def test_pattern_examples_and_negatives(lang, component, row):
    ex = extractor(lang)
    pattern = next(p for p in grammar(lang).patterns(component) if p.id == row["id"])
    for example in row.get("examples", []):
        normalized = ex.profile.normalize(example["text"]).text
        assert any(True for _ in pattern.finditer(normalized)), f"{row['id']} is dead on {example['text']!r}"
        _, mentions = ex.extract(example["text"])
        hits = [m.model_dump() for m in mentions if m.text == example["span"]]
        assert hits, f"{row['id']}: no mention {example['span']!r} in {example['text']!r}: " \
                     f"{[(m.type, m.text, m.rule) for m in mentions]}"
        got = hits[0]
        if row.get("role", "figure") == "figure":
            assert got["rule"] == row["id"], f"{row['id']} is shadowed by {got['rule']} on {example['text']!r}"
        for key, want in example.items():
            if key not in ("text", "span"):
                assert got.get(key) == want, f"{row['id']} on {example['text']!r}: {key} {got.get(key)!r} != {want!r}"
    for text in row.get("negatives", []):
        _, mentions = ex.extract(text)
        made = [(m.type, m.text) for m in mentions if m.rule == row["id"]]
        assert not made, f"{row['id']} fires on its negative {text!r}: {made}"
