"""Batches at scale: corpus steps without all-pairs loops, duplicate names, the bench corpus generator."""
import random
import sys
from pathlib import Path

from pipeline import batch, records
from pipeline.reconcile import relations

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import corpus as bench_corpus  # noqa: E402


def _commanded_all_pairs(doc_name, mentions):
    """The former formations x dates, formations x people version of relations.commanded."""
    ordered = sorted(mentions, key=lambda m: m.start)
    dates = [m for m in ordered if m.type == "date"]
    people = [m for m in ordered if m.type == "person"]
    out = []
    for m in ordered:
        if m.type != "formation" or not m.commander:
            continue
        person = min((p for p in people if p.name == m.commander),
                     key=lambda p: abs(p.start - m.start), default=None)
        before = [d for d in dates if d.end <= m.start]
        when = before[-1].value.split("/")[0] if before else None
        out.append((m.start, None if person is None else person.start, m.commander, when))
    return out


def _random_mentions(rng: random.Random, n: int) -> list:
    names = ["Ivan Konev", "Pavel Batov", "Nikolai Vatutin"]
    out = []
    for _ in range(n):
        start = rng.randrange(0, 5000)
        end = start + rng.randint(1, 30)
        kind = rng.choice(["date", "person", "formation", "formation"])
        if kind == "date":
            out.append(records.DateMention(start=start, end=end, text="x",
                                           value=f"1943-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"))
        elif kind == "person":
            out.append(records.PersonMention(start=start, end=end, text="x", name=rng.choice(names)))
        else:
            out.append(records.FormationMention(start=start, end=end, text="x", echelon="army",
                                                number=rng.randint(1, 5), side="SU",
                                                commander=rng.choice(names + [None])))
    return out


def test_commanded_by_binary_search_equals_the_all_pairs_version():
    rng = random.Random(5)
    for _ in range(200):
        mentions = _random_mentions(rng, rng.randint(0, 60))
        got = [(r.formation.start, None if r.person is None else r.person.start, r.commander, r.when)
               for r in relations.commanded("d", mentions)]
        assert got == _commanded_all_pairs("d", mentions)


def test_inputs_sharing_a_file_name_keep_the_last_and_say_so(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "report.txt").write_text("On 5 March 1943 the 3rd Tank Army advanced 40 km.\n", encoding="utf-8")
    (b / "report.txt").write_text("General Vasily Chuikov's 62nd Army held Stalingrad.\n", encoding="utf-8")
    summary = batch.run([str(a), str(b)], tmp_path / "out")
    assert summary.processed == 1
    assert [name for name, _ in summary.errors] == ["report.txt"]
    assert "duplicate document name" in summary.errors[0][1] and str(b / "report.txt") in summary.errors[0][1]
    doc = (tmp_path / "out" / "documents" / "report.txt.json").read_text(encoding="utf-8")
    assert "Chuikov" in doc


def test_bench_corpus_is_deterministic_varied_and_bilingual(tmp_path):
    one = bench_corpus.generate(6, tmp_path / "one", seed=1)
    two = bench_corpus.generate(6, tmp_path / "two", seed=1)
    other = bench_corpus.generate(6, tmp_path / "other", seed=2)
    texts = [p.read_text(encoding="utf-8") for p in one]
    assert texts == [p.read_text(encoding="utf-8") for p in two]
    assert texts != [p.read_text(encoding="utf-8") for p in other]
    assert len(set(texts)) == 6
    assert [p.name.split("_")[-1] for p in one] == ["en.txt", "zh.txt"] * 3
    seed_en = next((ROOT / "seeds").glob("000_*.txt")).read_text(encoding="utf-8")
    assert any(t not in seed_en for t in texts[0].splitlines())           # numbers, units, dates varied
