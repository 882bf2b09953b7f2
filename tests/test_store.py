"""The batch store: records round-trip exactly, one transaction per document, one batch at a time."""
import json
import sqlite3

import pytest

from pipeline import batch, db, records, store
from pipeline.writer import write_json

EN = ("On 5 March 1943 General Pavel I. Batov's 65th Army advanced 40 km (25 miles) towards Sevsk "
      "and lost 1,200 men.\n")
ZH = "1943年3月5日,羅科索夫斯基的第65集團軍推進了80公里。\n"


@pytest.fixture(scope="module")
def recs():
    en = batch.process_text("b.txt", EN, "en", doc_id="h1")
    zh = batch.process_text("a.txt", ZH, "zh-Hant", doc_id="h2")
    from pipeline.reconcile import entities
    entities.resolve([en, zh])
    err = batch.error_record(__import__("pathlib").Path("c.txt"), "empty file: it has no bytes")
    return [en, zh, err]


def test_records_round_trip_exactly_and_come_back_in_name_order(tmp_path, recs):
    with store.Store.open(tmp_path) as st:
        for r in recs:
            st.put(r)
        back = list(st.records())
        assert [r.doc.name for r in back] == ["a.txt", "b.txt"]            # ok documents, by name
        everything = list(st.records(status=None))
        assert [r.doc.name for r in everything] == ["a.txt", "b.txt", "c.txt"]
    by_name = {r.doc.name: r for r in recs}
    for r in everything:
        assert r.model_dump() == by_name[r.doc.name].model_dump()
        # the JSON file written from the stored record is byte-identical to the one from the original
        write_json(tmp_path / "x.json", r)
        write_json(tmp_path / "y.json", by_name[r.doc.name])
        assert (tmp_path / "x.json").read_bytes() == (tmp_path / "y.json").read_bytes()


def test_mentions_and_flags_are_rows(tmp_path, recs):
    with store.Store.open(tmp_path) as st:
        for r in recs:
            st.put(r)
        st.put(recs[0])                                   # replacing a document replaces its rows
        n = st.conn.execute("SELECT count(*) FROM mentions WHERE doc = 'b.txt'").fetchone()[0]
        assert n == len(recs[0].mentions) > 0
        types = {r[0] for r in st.conn.execute("SELECT type FROM mentions")}
        assert {"date", "formation", "person", "measurement"} <= types
        ent = st.conn.execute("SELECT entity FROM mentions WHERE type = 'formation' LIMIT 1").fetchone()[0]
        assert ent and ent.startswith("formation:")
        assert st.conn.execute("SELECT count(*) FROM flags WHERE scope = 'document'").fetchone()[0] == \
            sum(len(r.flags) for r in recs)


def test_a_failed_write_leaves_the_document_as_it_was(tmp_path, recs, monkeypatch):
    with store.Store.open(tmp_path) as st:
        st.put(recs[0])
        before = st.record("b.txt").model_dump()
        changed = recs[0].model_copy(deep=True)
        changed.doc.chars = 1

        def boom(*a, **k):
            raise sqlite3.OperationalError("disk I/O error")
        monkeypatch.setattr(st, "_put_mentions", boom)
        with pytest.raises(sqlite3.OperationalError):
            st.put(changed)
        monkeypatch.undo()
        assert st.record("b.txt").model_dump() == before              # the transaction rolled back


def test_one_batch_at_a_time(tmp_path):
    with store.Store.open(tmp_path):
        with pytest.raises(store.StoreBusy, match="another muster batch"):
            store.Store.open(tmp_path)
    store.Store.open(tmp_path).close()                                 # released when closed


def test_store_shares_the_database_with_other_modules(tmp_path):
    conn = db.connect(tmp_path)
    db.migrate(conn, "reviews", ["CREATE TABLE reviews (flag_id TEXT PRIMARY KEY, decision TEXT)"])
    conn.execute("INSERT INTO reviews VALUES ('f1', 'accepted')")
    conn.commit()
    with store.Store.open(tmp_path) as st:
        versions = dict(st.conn.execute("SELECT module, version FROM schema_migrations"))
        assert versions == {"reviews": 1, "store": len(store.MIGRATIONS)}
        assert st.conn.execute("SELECT decision FROM reviews").fetchone()[0] == "accepted"
    with store.Store.open(tmp_path) as st:                              # migrations apply once
        assert st.count() == 0
    conn.close()


def test_runs_are_recorded_and_a_killed_one_is_marked_interrupted(tmp_path):
    with store.Store.open(tmp_path) as st:
        first = st.begin_run(inputs=3, executor="serial", jobs=1, force=False)   # never ended: "killed"
    with store.Store.open(tmp_path) as st:
        second = st.begin_run(inputs=3, executor="process", jobs=2, force=True)
        st.end_run(second, status="done", processed=3, skipped=0, errors=0)
        runs = {r["id"]: r for r in st.runs()}
    assert runs[first]["status"] == "interrupted"
    assert runs[second]["status"] == "done" and runs[second]["processed"] == 3
    assert runs[second]["pipeline_version"] and runs[second]["models_fp"]


def test_an_output_directory_from_before_the_store_keeps_its_documents(tmp_path, recs):
    out = tmp_path / "out"
    write_json(out / "documents" / "b.txt.json", recs[0])        # written by a version without a store
    (out / "documents" / "notes.json").write_text("{not ours", encoding="utf-8")
    new = tmp_path / "new.txt"
    new.write_text("General Vasily Chuikov's 62nd Army held Stalingrad.\n", encoding="utf-8")
    summary = batch.run([str(new)], out)
    assert summary.corpus == 2
    entities = json.loads((out / "entities.json").read_text(encoding="utf-8"))["entities"]
    assert {m["doc"] for e in entities for m in e["mentions"]} == {"b.txt", "new.txt"}
    with store.Store.open(out) as st:
        assert st.names() == ["b.txt", "new.txt"]


def test_corpus_results_are_kept_in_the_store(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(EN, encoding="utf-8")
    out = tmp_path / "out"
    batch.run([str(src)], out)
    files = json.loads((out / "flags.json").read_text(encoding="utf-8"))["flags"]
    ents = json.loads((out / "entities.json").read_text(encoding="utf-8"))["entities"]
    with store.Store.open(out) as st:
        assert [f.model_dump(mode="json") for f in st.flags()] == files
        assert [e.model_dump(mode="json") for e in st.entities()] == ents
        assert st.corpus_is_current()


def test_records_validate_against_the_schema_models(tmp_path, recs):
    with store.Store.open(tmp_path) as st:
        st.put(recs[1])
        rec = st.record("a.txt")
    assert isinstance(rec, records.DocumentRecord)
    assert rec.doc.source_format == "text" and rec.doc.text_path is None
