"""A fact ~200 documents disagree on: one flag per fact, with bounded evidence and a stable id."""
import json

from pipeline import batch, checks
from pipeline.records import Evidence

A = "In March 1943 Batov's 65th Army attacked toward Sevsk and lost 120 tanks.\n"
B = "In March 1943 Chuikov's 65th Army attacked toward Sevsk and lost 480 tanks.\n"


def _docs(prefix: str, n: int) -> list:
    return [batch.process_text(f"{prefix}{i:03}.txt", A if i % 2 else B, "en") for i in range(n)]


def _corpus_flags(recs) -> dict:
    _, flags = batch.reconcile_and_check(recs)
    return {f.id: f for f in flags}


def test_two_hundred_documents_disagreeing_give_bounded_flags_with_stable_ids():
    recs = _docs("d", 200)
    flags = _corpus_flags(recs)
    assert {"cross_source_conflict", "commander_conflict"} <= {f.kind for f in flags.values()}
    for f in flags.values():
        values = {e.text for e in f.evidence}
        assert len(f.evidence) <= checks.EVIDENCE_PER_VALUE * len(values)
        assert f.more_evidence and set(f.more_evidence) <= values
    figures = next(f for f in flags.values() if f.message.startswith("Sources disagree"))
    assert {e.text for e in figures.evidence} == {"120 tanks", "480 tanks"}
    assert figures.more_evidence == {"120 tanks": 97, "480 tanks": 97}     # 100 each, 3 kept
    assert json.loads(figures.model_dump_json())["more_evidence"] == {"120 tanks": 97, "480 tanks": 97}
    # more documents saying the same (named after the kept ones): only the omitted tail changes
    again = _corpus_flags(recs + _docs("e", 20))
    assert set(again) == set(flags)
    assert again[figures.id].more_evidence == {"120 tanks": 107, "480 tanks": 107}
    assert again[figures.id].evidence == figures.evidence


def test_bound_evidence_keeps_every_value_and_the_first_spans_of_each():
    ev = [Evidence(doc=f"d{i:02}", start=0, end=1, text="x" if i % 3 else "y") for i in range(30, 0, -1)]
    kept, more = checks.bound_evidence(ev, per_value=2)
    assert {e.text for e in kept} == {"x", "y"} and len(kept) == 4
    assert sorted(e.doc for e in kept if e.text == "x") == ["d01", "d02"]
    assert more == {"x": 18, "y": 8}
    assert [e.doc for e in kept] == sorted((e.doc for e in kept), reverse=True)    # original order
    assert checks.bound_evidence(ev[:2], per_value=2) == (ev[:2], None)


def test_a_small_corpus_flag_is_unchanged():
    flags = _corpus_flags(_docs("d", 3))
    assert flags and all(f.more_evidence is None for f in flags.values())
