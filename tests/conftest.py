"""Shared fixtures: the English extractor (loaded once) and a helper to pick mentions by type."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def en():
    """The process-wide English extractor (spaCy model and patterns loaded once)."""
    from pipeline.nlp import extractor

    return extractor("en")


@pytest.fixture(scope="session")
def mentions_of(en):
    """`mentions_of(text, type)` -> the mentions of that type as dicts, in text order.

    Each dict is `m.model_dump()`; offsets index the ORIGINAL text, so
    `text[d["start"]:d["end"]] == d["text"]` must always hold.
    """
    def _mentions_of(text: str, type_: str) -> list[dict]:
        _, mentions = en.extract(text)
        return [m.model_dump() for m in mentions if m.type == type_]

    return _mentions_of
