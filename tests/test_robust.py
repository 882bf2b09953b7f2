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
