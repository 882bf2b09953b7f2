"""Batches go on past bad input: every bad file gets an error record, nothing earlier is lost."""
import json

import pytest

from pipeline import batch

GOOD = "On 5 March 1943 the 3rd Tank Army advanced 40 km (25 miles) towards Kharkov.\n"


def _doc(out, name):
    return json.loads((out / "documents" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
def corpus(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_text("  \n\n ", encoding="utf-8")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (src / "invalid.txt").write_bytes(b"The 5th Army \xff\xfe\xfa\x80 lost \x81\x82 men" * 3)
    with open(src / "huge.txt", "w", encoding="utf-8") as f:
        line = "The 62nd Army held the city for another day. " * 20 + "\n"
        while f.tell() < 21 * 1024 * 1024:
            f.write(line)
    (src / "cyrillic.txt").write_text("Центральный фронт перешёл в наступление. " * 20, encoding="utf-8")
    return src


def test_batch_records_each_bad_file_and_goes_on(corpus, tmp_path):
    out = tmp_path / "out"
    summary = batch.run([str(corpus)], out)
    assert summary.documents == 7
    good = _doc(out, "good.txt")
    assert good["doc"]["status"] == "ok"
    assert {m["type"] for m in good["mentions"]} >= {"date", "formation", "measurement"}
    errors = {name: _doc(out, name)["doc"] for name in
              ("empty.txt", "blank.txt", "binary.txt", "invalid.txt", "huge.txt", "cyrillic.txt")}
    for name, doc in errors.items():
        assert doc["status"] == "error", name
        assert doc["error"], name
    assert "empty" in errors["empty.txt"]["error"]
    assert "empty" in errors["blank.txt"]["error"]
    assert "binary" in errors["binary.txt"]["error"]
    assert "too large" in errors["huge.txt"]["error"]
    assert "language" in errors["cyrillic.txt"]["error"]
    assert {name for name, _ in summary.errors} == set(errors)
    assert (out / "flags.json").exists() and (out / "entities.json").exists()


def test_error_record_keeps_the_earlier_good_result(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    doc = src / "report.txt"
    doc.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    batch.run([str(doc)], out)
    doc.write_bytes(b"")          # the file is damaged later
    batch.run([str(doc)], out)
    assert _doc(out, "report.txt")["doc"]["status"] == "error"
    kept = list((out / "documents" / ".history").glob("report.txt.*.json"))
    assert len(kept) == 1
    assert json.loads(kept[0].read_text(encoding="utf-8"))["doc"]["status"] == "ok"


def test_later_batches_keep_earlier_documents(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(GOOD, encoding="utf-8")
    b.write_text("General Vasily Chuikov’s 62nd Army held Stalingrad.\n", encoding="utf-8")
    out = tmp_path / "out"
    batch.run([str(a)], out)
    batch.run([str(b)], out)
    names = {p.name for p in (out / "documents").glob("*.json")}
    assert names == {"a.txt.json", "b.txt.json"}
    entities = json.loads((out / "entities.json").read_text(encoding="utf-8"))["entities"]
    docs = {m["doc"] for e in entities for m in e["mentions"]}
    assert docs == {"a.txt", "b.txt"}
