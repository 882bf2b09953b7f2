"""Shared fixtures: the English extractor (loaded once), a helper to pick mentions by type, and the
date + corruption components of either language (for the corruption tests)."""
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


@pytest.fixture(scope="session")
def corruption_doc():
    """`corruption_doc(lang, text, seed=None)` -> (TextView, Doc) after the language's normalization,
    the date component and the corruption component (each pipeline built once per language).

    `seed` (a list of `pipeline.extract.base.Candidate`) is put on the Doc before the components run.
    Candidates on the Doc have normalized offsets: map them with `view.to_original`.
    """
    from pipeline.extract import corruption, dates  # noqa: F401  (registers the factories)
    from pipeline.lang import get_profile

    pipelines = {}

    def run(lang: str, text: str, seed=None):
        prof = get_profile(lang)
        if prof.code not in pipelines:
            nlp = prof.make_nlp()
            nlp.add_pipe("muster_dates", config={"lang": prof.code})
            nlp.add_pipe("muster_corruption", config={"lang": prof.code})
            pipelines[prof.code] = nlp
        nlp = pipelines[prof.code]
        view = prof.normalize(text)
        doc = nlp.make_doc(view.text)
        doc._.profile = prof
        doc._.candidates = list(seed or [])
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        return view, doc

    return run
