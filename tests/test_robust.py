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


# --- muster extract -----------------------------------------------------------------------------

def test_extract_keeps_the_id_on_every_error_line_and_validates_lang():
    lines = [{"id": "a", "text": "On 5 March 1943 the 3rd Army advanced 40 km."},
             {"id": "b", "text": 5},
             {"id": "c", "text": "x", "lang": 5},
             {"id": "d", "text": "x", "lang": "fr"},
             {"id": "e"},
             {"id": "f", "text": "第65集團軍於1943年3月推進了80公里。", "lang": "zh"}]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\n[1, 2]\nnot json\n"
    res = runner.invoke(app, ["extract"], input=stdin)
    assert res.exit_code == 1, res.output
    out = [json.loads(x) for x in res.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c", "d", "e", "f", None, None]
    assert "error" not in out[0] and out[0]["mentions"] and "error" not in out[5]
    assert all("error" in o for o in out[1:5] + out[6:])
    assert "lang must be one of" in out[2]["error"] and "fr" in out[3]["error"]
    good = runner.invoke(app, ["extract"], input=json.dumps(lines[0]) + "\n")
    assert good.exit_code == 0
    assert runner.invoke(app, ["extract", "--lang", "fr"], input="").exit_code == 2


# --- names, outputs, the report -----------------------------------------------------------------

def test_a_name_clash_with_an_earlier_batch_is_reported_and_the_earlier_record_kept(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "doc.txt").write_text(TEXT, encoding="utf-8")
    (b / "doc.txt").write_text(TEXT.replace("40 km", "90 km"), encoding="utf-8")
    out = tmp_path / "out"
    batch.run([str(a)], out)
    earlier = (out / "documents" / "doc.txt.json").read_bytes()
    summary = batch.run([str(b)], out)
    said = " ".join(summary.warnings)
    assert "name clash" in said and str(a / "doc.txt") in said and str(b / "doc.txt") in said
    assert _doc(out, "doc.txt")["path"] == str(b / "doc.txt")
    assert [p.read_bytes() for p in (out / "documents" / ".history").glob("doc.txt.*.json")] == [earlier]
    (a / "doc.txt").unlink()                               # the file moved: no clash
    (b / "doc.txt").write_text(TEXT.replace("40 km", "95 km"), encoding="utf-8")
    assert not batch.run([str(b)], out).warnings


def test_damaged_output_files_are_noticed_and_rewritten(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text(TWICE, encoding="utf-8")
    out = tmp_path / "out"
    batch.run([str(doc)], out)
    files = {p: p.read_bytes() for p in [out / "documents" / "a.txt.json", out / "flags.json", out / "entities.json"]}
    (out / "documents" / "a.txt.json").write_bytes(files[out / "documents" / "a.txt.json"][:50])
    (out / "flags.json").write_text('{"flags": []}\n', encoding="utf-8")           # parses, but not ours
    (out / "entities.json").unlink()
    summary = batch.run([str(doc)], out)
    assert summary.processed == 0 and summary.skipped == 1
    assert {p: p.read_bytes() for p in files} == files
    said = " ".join(summary.warnings)
    assert "documents/a.txt.json was damaged" in said and "flags.json was damaged" in said


def test_a_report_that_cannot_be_written_fails_the_run_even_when_quiet(tmp_path, monkeypatch):
    from pipeline.review import report

    doc = tmp_path / "a.txt"
    doc.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(doc), "--out", str(out), "-q"]).exit_code == 0
    assert (out / "report.html").exists()

    def full(out_dir):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(report, "write_report", full)
    res = runner.invoke(app, ["run", str(doc), "--out", str(out), "-q"])
    assert res.exit_code == 1
    assert "report.html was not written" in " ".join(res.output.split())
    assert not (out / "report.html").exists()                     # no older report passing for this one


def test_temp_files_of_a_report_killed_while_writing_are_removed(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".report.html.abc123").write_text("half a report", encoding="utf-8")
    batch.run([str(doc)], out)
    assert not list(out.glob(".report.html.*"))


@pytest.mark.parametrize("lang, text", [("en", "The brigade lost 81-6 tanks and marched 30-20 km."),
                                        ("en", "The battle lasted from 18–5 January 1943."),
                                        ("zh-Hant", "該旅損失坦克81-6輛，推進了30至20公里。")])
def test_ranges_are_read_as_written_or_not_at_all_never_inverted(lang, text):
    from pipeline.nlp import extractor

    _, mentions = extractor(lang).extract(text)
    for m in mentions:
        low, high = getattr(m, "low", None), getattr(m, "high", None)
        assert low is None or high is None or low <= high, m
        if m.type == "date" and "/" in m.value:
            a, b = m.value.split("/")
            assert a <= b, m


def test_a_store_record_that_does_not_parse_is_damage_too(tmp_path):
    import sqlite3

    doc = tmp_path / "a.txt"
    doc.write_text(TWICE, encoding="utf-8")
    out = tmp_path / "out"
    batch.run([str(doc)], out)
    before = (out / "flags.json").read_bytes()
    conn = sqlite3.connect(out / "muster.sqlite")
    with conn:
        conn.execute("UPDATE documents SET info = '{\"name\": 5' ")
        conn.execute("UPDATE corpus_state SET finished_generation = -1")     # the corpus step must read it
    conn.close()
    summary = batch.run([str(doc)], out)
    assert any("damaged record" in w for w in summary.warnings)
    assert (out / "flags.json").read_bytes() == before


def test_a_locked_store_is_not_taken_for_a_damaged_one(tmp_path, monkeypatch):
    import sqlite3

    from pipeline import db

    out = tmp_path / "out"
    conn = db.connect(out)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()

    def locked(*a, **k):
        raise sqlite3.OperationalError("database is locked")
    monkeypatch.setattr(db, "check", locked)
    with pytest.raises(sqlite3.OperationalError):
        db.open_checked(out)
    assert not list(out.glob("muster.sqlite.damaged-*"))
