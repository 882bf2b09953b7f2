"""Odd inputs and damaged outputs in whole batches: every input gets a record, nothing stops the
batch, damage is repaired and said."""
import json
import os
from pathlib import Path

from typer.testing import CliRunner

from pipeline import batch
from pipeline.cli import app

runner = CliRunner()
TEXT = "On 5 March 1943 the 3rd Tank Army advanced 40 km (25 miles) towards Kharkov.\n"


def _doc(out: Path, name: str) -> dict:
    return json.loads((out / "documents" / f"{name}.json").read_text(encoding="utf-8"))["doc"]


def test_a_file_name_that_is_not_utf8_is_processed_and_reported_readably(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    raw = os.fsdecode(b"caf\xe9 \xff.txt")
    (src / raw).write_text(TEXT, encoding="utf-8")
    (src / os.fsdecode(b"bad\xfe.txt")).write_bytes(b"")
    (src / "ok.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    for _ in range(2):                                   # and again, skipping
        res = runner.invoke(app, ["run", str(src), "--out", str(out)])
        assert res.exit_code == 1, res.output            # the empty one is an error
        assert "Traceback" not in res.output
        assert "bad\\xfe.txt" in res.output
    doc = _doc(out, "caf\\xe9 \\xff.txt")
    assert doc["status"] == "ok" and doc["name"] == "caf\\xe9 \\xff.txt"
    assert _doc(out, "bad\\xfe.txt")["status"] == "error"
    assert json.loads((out / "flags.json").read_text(encoding="utf-8"))["flags"] is not None


def test_fifos_and_broken_or_looping_links_get_error_records(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    os.mkfifo(src / "pipe.txt")
    (src / "dangling.txt").symlink_to(src / "gone.txt")
    (src / "l1.txt").symlink_to(src / "l2.txt")
    (src / "l2.txt").symlink_to(src / "l1.txt")
    (src / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    summary = batch.run([str(src)], out)
    errors = dict(summary.errors)
    assert set(errors) == {"pipe.txt", "dangling.txt", "l1.txt", "l2.txt"}
    assert "named pipe" in errors["pipe.txt"] and "broken symbolic link" in errors["dangling.txt"]
    assert "loop" in errors["l1.txt"]
    assert _doc(out, "a.txt")["status"] == "ok" and _doc(out, "pipe.txt")["status"] == "error"


# --- decision identity -------------------------------------------------------------------------

TWICE = ("The 3rd Army marched 455 miles (700 km) to the Don in March 1943.\n\n"
         "Later the 9th Army marched 455 miles (700 km) to the Volga in May 1943.\n")


def _items(out):
    from pipeline.review.corpus import Corpus
    return [i for i in Corpus(out).items() if i.kind == "conversion_mismatch"]


def test_identical_findings_keep_their_own_decisions_when_one_is_edited(tmp_path):
    from pipeline.review.store import ReviewStore

    doc = tmp_path / "a.txt"
    doc.write_text(TWICE, encoding="utf-8")
    out = tmp_path / "out"
    batch.run([str(doc)], out)
    items = _items(out)
    assert len(items) == 2 and items[0].id != items[1].id
    assert not any("-" in i.id for i in items)                      # no order suffix
    first, second = sorted(items, key=lambda i: i.evidence[0]["start"])
    with ReviewStore(out) as rs:
        rs.record(next(f for f in json.loads((out / "flags.json").read_text())["flags"] if f["id"] == first.id),
                  "accepted", note="checked: the Don")
    doc.write_text(TWICE.replace("to the Don", "to the Donets"), encoding="utf-8")    # edit the first
    batch.run([str(doc)], out)
    now = {i.id: i for i in _items(out)}
    assert now[second.id].status == "open" and now[second.id].review is None     # nothing inherited
    assert first.id not in now or now[first.id].status == "stale"
    gone = [i for i in _items(out) if i.id == first.id]
    assert gone and gone[0].status == "stale"                                    # kept, never moved


def test_identical_findings_in_one_sentence_are_one_flag_with_both_spans():
    from pipeline.checks import Finding, make_flags
    from pipeline.records import Evidence

    text = "It said 455 miles (700 km) and again 455 miles (700 km)."
    a = Finding("conversion_mismatch", "m", [Evidence(doc="d", start=8, end=26, text=text[8:26])])
    b = Finding("conversion_mismatch", "m", [Evidence(doc="d", start=37, end=55, text=text[37:55])])
    flags = make_flags([a, b], texts={"d": text})
    assert len(flags) == 2 or (len(flags) == 1 and len(flags[0].evidence) == 2)
    assert make_flags([b, a], texts={"d": text})[0].id in {f.id for f in flags}
    assert {f.id for f in make_flags([b, a], texts={"d": text})} == {f.id for f in flags}


# --- a damaged store ----------------------------------------------------------------------------

def _first_flag(out):
    return json.loads((out / "flags.json").read_text(encoding="utf-8"))["flags"][0]["id"]


def _damage(path: Path, how: str):
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 3])
    elif how == "overwritten":
        path.write_bytes(b"this is not a database\n" * 500)
    else:                                     # pages scrambled after the header
        path.write_bytes(data[:100] + bytes(b ^ 0x5A for b in data[100:]))


import pytest  # noqa: E402


@pytest.mark.parametrize("how", ["truncated", "overwritten", "scrambled"])
def test_a_damaged_store_is_moved_aside_and_rebuilt(tmp_path, how):
    doc = tmp_path / "a.txt"
    doc.write_text(TWICE, encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(doc), "--out", str(out)]).exit_code == 0
    fid = _first_flag(out)
    res = runner.invoke(app, ["review", "--out", str(out), "--accept", fid, "--note", "kept"])
    assert res.exit_code == 0, res.output
    before = {p.name: p.read_bytes() for p in (out / "documents").glob("*.json")}
    for suffix in ("-wal", "-shm"):
        Path(f"{out / 'muster.sqlite'}{suffix}").unlink(missing_ok=True)
    _damage(out / "muster.sqlite", how)
    res = runner.invoke(app, ["run", str(doc), "--out", str(out), "-q"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())        # rich wraps long lines
    assert "was damaged" in said and "moved to muster.sqlite.damaged-" in said
    assert "Traceback" not in res.output
    assert list(out.glob("muster.sqlite.damaged-*"))
    assert {p.name: p.read_bytes() for p in (out / "documents").glob("*.json")} == before
    listed = runner.invoke(app, ["review", "--out", str(out), "--list", "--json"])
    assert listed.exit_code == 0, listed.output
    flags = {f["id"]: f for f in json.loads(listed.stdout)["flags"]}
    assert flags[fid]["status"] == "accepted"                 # taken back from reviews.json
    res = runner.invoke(app, ["review", "--out", str(out), "--dismiss", fid])
    assert res.exit_code == 0 and "dismissed" in res.output


def test_review_on_a_damaged_store_recovers_and_a_failed_write_says_not_saved(tmp_path, monkeypatch):
    doc = tmp_path / "a.txt"
    doc.write_text(TWICE, encoding="utf-8")
    out = tmp_path / "out"
    batch.run([str(doc)], out)
    fid = _first_flag(out)
    _damage(out / "muster.sqlite", "overwritten")
    res = runner.invoke(app, ["review", "--out", str(out), "--accept", fid])
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    from pipeline.review import store as review_store

    def full(*a, **k):
        import sqlite3
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(review_store.ReviewStore, "_insert", full)
    res = runner.invoke(app, ["review", "--out", str(out), "--dismiss", fid])
    said = " ".join(res.output.split())
    assert res.exit_code == 1 and "NOT saved" in said and "Traceback" not in said
    monkeypatch.undo()

    def no_export(self):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(review_store.ReviewStore, "export", no_export)
    res = runner.invoke(app, ["review", "--out", str(out), "--dismiss", fid])
    said = " ".join(res.output.split())
    assert res.exit_code == 1 and "dismissed" in said and "is saved" in said
