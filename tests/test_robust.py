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
