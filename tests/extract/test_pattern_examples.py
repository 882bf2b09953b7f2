"""Every date, distance, formation and person pattern's own `examples` and `negatives`
(models/patterns/<lang>/{dates,measurements,formations,people}.jsonl; how they are judged:
models/patterns/<lang>/README.md).

The texts run through the whole extractor of their language (`pipeline.nlp.extractor`), as in a
real run.  Every example must give a mention whose `rule` is the pattern's id, on exactly its
`span` (offsets in the original text, Traditional or Simplified; `nth`: its occurrence when the
text holds it more than once, 0 = the first), with the values of any other keys of the example
(`value`, `echelon`, `number`, `name`, `low`, ...); `commands`: the formation (its text) that must
get this person as its commander.  A person pattern that runs after a formation only to give it its
commander, while a ranked pattern always takes the same name (zh.person.post_after), names that
pattern in `mention_rule`, and its examples must list `commands`.  Every negative must give no mention of that
pattern (other patterns may fire on it).  A pattern no example can reach is dead or shadowed.
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from pipeline import resources
from pipeline.nlp import extractor

LANGS = ("en", "zh")
COMPONENTS = ("dates", "measurements", "formations", "people")
_NOT_FIELDS = ("text", "span", "nth", "mention_rule", "commands")


def _rows():
    for lang in LANGS:
        for component in COMPONENTS:
            for row in resources.patterns(lang, component):
                yield lang, component, row


def _cases(kind):
    for lang, _, row in _rows():
        for i, case in enumerate(row.get(kind, [])):
            yield pytest.param(lang, row["id"], case, id=f"{row['id']}-{i}")


@lru_cache(maxsize=None)
def _mentions(lang: str, text: str) -> tuple:
    _, mentions = extractor(lang).extract(text)
    return tuple(mentions)


def _shown(mentions) -> list[tuple[str | None, str]]:
    return [(m.rule, m.text) for m in mentions]


def test_every_pattern_has_examples_and_negatives():
    for lang, component, row in _rows():
        where = f"models/patterns/{lang}/{component}.jsonl {row.get('id')}"
        assert row.get("examples"), f"{where}: no examples"
        assert row.get("negatives"), f"{where}: no negatives"
        for case in row["examples"]:
            assert case["span"] in case["text"], f"{where}: span {case['span']!r} not in its text"
        assert all(isinstance(t, str) and t for t in row["negatives"]), f"{where}: a negative is no text"


def test_pattern_ids_are_unique():
    seen = set()
    for lang, component, row in _rows():
        assert row["id"] not in seen, f"{row['id']} twice"
        seen.add(row["id"])


@pytest.mark.parametrize("lang,rule,case", list(_cases("examples")))
def test_pattern_example(lang, rule, case):
    text, span = case["text"], case["span"]
    start = -1
    for _ in range(case.get("nth", 0) + 1):
        start = text.index(span, start + 1)
    if "mention_rule" in case:
        assert "commands" in case, f"{rule}: an example with mention_rule must say what it commands"
    mentions = _mentions(lang, text)
    rule = case.get("mention_rule", rule)
    hits = [m for m in mentions if m.rule == rule and (m.start, m.end) == (start, start + len(span))]
    assert hits, f"{rule}: expected {span!r} at {start}, got {_shown(mentions)}"
    expected = {k: v for k, v in case.items() if k not in _NOT_FIELDS}
    got = {k: getattr(hits[0], k) for k in expected}
    assert got == expected, f"{rule}: {span!r}"
    if "commands" in case:
        led = [m for m in mentions if m.type == "formation" and m.text == case["commands"]]
        assert led and led[0].commander == hits[0].name, \
            f"{rule}: {case['commands']!r} should be led by {hits[0].name}, got {[m.commander for m in led]}"


@pytest.mark.parametrize("lang,rule,case", list(_cases("negatives")))
def test_pattern_negative(lang, rule, case):
    mentions = _mentions(lang, case)
    assert not [m for m in mentions if m.rule == rule], f"{rule}: {_shown(mentions)}"
