"""Review decisions are never lost: append-only rows in OUT/muster.sqlite, mirrored to
OUT/reviews.json, reconciled both ways (a crash between a decision and the export, a deleted or
older SQLite file), kept across re-runs, and shown as stale when their flag changed or went away."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.db import db_path
from pipeline.review.corpus import Corpus
from pipeline.review.store import Decision, ReviewError, ReviewStore, default_reviewer, now


def exported(out: Path) -> list[dict]:
    return json.loads((out / "reviews.json").read_text(encoding="utf-8"))["decisions"]


def remove_db(out: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(db_path(out)) + suffix)
        if p.exists():
            p.unlink()


def test_decisions_are_appended_and_the_latest_wins(run_out, flags_of):
    flag = flags_of(run_out, "conversion_mismatch")
    with ReviewStore(run_out) as store:
        store.record(flag, "accepted", note="455 mi is 732 km", reviewer="ana")
        store.record(flag, "dismissed", reviewer="ben")
        store.record(flag, "note", note="checked the map", reviewer="ben")
        r = store.reviews()[flag["id"]]
    assert r.status == "dismissed" and r.decision.reviewer == "ben"
    assert [d.decision for d in r.history] == ["accepted", "dismissed", "note"]
    assert r.note == "checked the map"
    rows = exported(run_out)
    assert [d["decision"] for d in rows] == ["accepted", "dismissed", "note"]
    # each decision carries the flag id AND the evidence texts it was made on, a reviewer and a time
    assert rows[0]["flag_id"] == flag["id"]
    assert [e["text"] for e in rows[0]["evidence"]] == ["455 miles", "700 km"]
    assert rows[0]["reviewer"] == "ana" and rows[0]["created_at"].endswith("+00:00")
    item = Corpus(run_out).item(flag["id"])
    assert item.status == "dismissed"


def test_the_table_is_append_only(run_out, flags_of):
    with ReviewStore(run_out) as store:
        store.record(flags_of(run_out, "conversion_mismatch"), "accepted")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            with store.conn:
                store.conn.execute("UPDATE review_decisions SET decision = 'dismissed'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            with store.conn:
                store.conn.execute("DELETE FROM review_decisions")
        assert len(store.decisions()) == 1


def test_bad_decisions_are_refused(run_out):
    with ReviewStore(run_out) as store:
        with pytest.raises(ReviewError):
            store.record({"id": "x"}, "maybe")
        with pytest.raises(ReviewError):
            store.record({"id": "x"}, "note", note="  ")
        with pytest.raises(ReviewError):
            store.record({}, "accepted")


def test_reviewer_defaults_to_the_os_user(run_out, flags_of):
    with ReviewStore(run_out) as store:
        d = store.record(flags_of(run_out, "conversion_mismatch"), "accepted")
    assert d.reviewer == default_reviewer() != ""


def test_crash_between_a_decision_and_the_export(run_out, flags_of, monkeypatch):
    a, b = flags_of(run_out, "conversion_mismatch"), flags_of(run_out, "arithmetic_mismatch")
    with ReviewStore(run_out) as store:
        store.record(a, "accepted")
    assert len(exported(run_out)) == 1

    def crash(self):
        raise OSError("killed before the export")

    monkeypatch.setattr(ReviewStore, "export", crash)
    with ReviewStore(run_out) as store:
        with pytest.raises(OSError):
            store.record(b, "dismissed", note="strength and losses are of different dates")
    monkeypatch.undo()
    assert len(exported(run_out)) == 1            # the export is behind ...
    with ReviewStore(run_out) as store:           # ... and the next start catches up
        assert store.reconciled.exported
        assert store.reviews()[b["id"]].status == "dismissed"
    rows = exported(run_out)
    assert [(d["flag_id"], d["decision"]) for d in rows] == [(a["id"], "accepted"), (b["id"], "dismissed")]
    assert rows[1]["note"] == "strength and losses are of different dates"


def test_a_deleted_store_is_rebuilt_from_the_export(run_out, flags_of):
    a, b = flags_of(run_out, "conversion_mismatch"), flags_of(run_out, "arithmetic_mismatch")
    with ReviewStore(run_out) as store:
        store.record(a, "accepted", reviewer="ana")
        store.record(b, "dismissed", reviewer="ana")
        store.record(a, "reopened", reviewer="ben")
        uids = [d.uid for d in store.decisions()]
    remove_db(run_out)
    with ReviewStore(run_out) as store:
        assert store.reconciled.imported == 3
        assert [d.uid for d in store.decisions()] == uids
        reviews = store.reviews()
    assert reviews[a["id"]].status == "open" and reviews[b["id"]].status == "dismissed"


def test_a_store_behind_the_export_imports_what_it_lacks(run_out, flags_of):
    a = flags_of(run_out, "conversion_mismatch")
    with ReviewStore(run_out) as store:
        store.record(a, "accepted")
    # a later decision that reached reviews.json but not this store (an older copy of the file)
    data = json.loads((run_out / "reviews.json").read_text(encoding="utf-8"))
    later = Decision(uid="later-1", flag_id=a["id"], decision="dismissed", reviewer="cy", created_at=now(),
                     note="the 700 km is a typo for 732", evidence=data["decisions"][0]["evidence"])
    data["decisions"].append(later.to_json())
    (run_out / "reviews.json").write_text(json.dumps(data), encoding="utf-8")
    with ReviewStore(run_out) as store:
        assert store.reconciled.imported == 1
        assert store.reviews()[a["id"]].status == "dismissed"
    with ReviewStore(run_out) as store:           # idempotent
        assert store.reconciled.imported == 0 and len(store.decisions()) == 2


def test_an_unreadable_export_is_kept_aside_not_overwritten(run_out, flags_of):
    with ReviewStore(run_out) as store:
        store.record(flags_of(run_out, "conversion_mismatch"), "accepted")
    (run_out / "reviews.json").write_text("{ half a file", encoding="utf-8")
    with ReviewStore(run_out) as store:
        assert store.reconciled.problems
    aside = list(run_out.glob("reviews.json.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{ half a file"
    assert len(exported(run_out)) == 1


def test_decisions_survive_a_rerun_and_go_stale_when_the_flag_changes(template_run, run_out, flags_of, tmp_path,
                                                                       texts):
    conv, arith = flags_of(run_out, "conversion_mismatch"), flags_of(run_out, "arithmetic_mismatch")
    with ReviewStore(run_out) as store:
        store.record(conv, "accepted", note="real")
        store.record(arith, "dismissed")
    src, _ = template_run
    batch.run([str(src)], run_out)                           # the same inputs again
    items = {i.id: i for i in Corpus(run_out).items()}
    assert items[conv["id"]].status == "accepted" and items[conv["id"]].review.note == "real"
    assert items[arith["id"]].status == "dismissed"

    # the text changes: the conversion is corrected, so its flag goes away; the decision stays, stale
    src2 = texts.write_inputs(tmp_path / "in2")
    (src2 / "a.txt").write_text(texts.A.replace("455 miles (700 km)", "435 miles (700 km)"), encoding="utf-8")
    batch.run([str(src2)], run_out)
    items = {i.id: i for i in Corpus(run_out).items()}
    gone = items[conv["id"]]
    assert gone.status == "stale" and not gone.present and "no longer appears" in gone.stale_reason
    assert [e["text"] for e in gone.evidence] == ["455 miles", "700 km"]
    assert items[arith["id"]].status == "dismissed"
    assert len(exported(run_out)) == 2


def test_a_flag_whose_evidence_text_changed_is_stale(run_out, flags_of):
    flag = flags_of(run_out, "conversion_mismatch")
    with ReviewStore(run_out) as store:
        store.record(flag, "accepted")
    changed = dict(flag, evidence=[dict(e) for e in flag["evidence"]])
    changed["evidence"][1]["text"] = "700 kilometres"
    fs = [changed if f["id"] == flag["id"] else f for f in flags_of(run_out)]
    (run_out / "flags.json").write_text(json.dumps({"flags": fs}), encoding="utf-8")
    item = Corpus(run_out).item(flag["id"])
    assert item.status == "stale" and item.present and "evidence changed" in item.stale_reason
    # deciding again clears it
    with ReviewStore(run_out) as store:
        store.record(changed, "accepted")
    assert Corpus(run_out).item(flag["id"]).status == "accepted"


def test_an_older_store_is_upgraded_in_place(tmp_path):
    from pipeline import db
    from pipeline.review.store import MODULE, SCRIPTS

    conn = db.connect(tmp_path)
    db.migrate(conn, MODULE, SCRIPTS[:1])                 # a store made by the first schema version
    with conn:
        conn.execute("INSERT INTO review_decisions (uid, flag_id, decision, reviewer, created_at, evidence) "
                     "VALUES ('u1', 'f1', 'accepted', 'ana', '2024-01-01T00:00:00+00:00', '[]')")
    conn.close()
    with ReviewStore(tmp_path) as store:
        assert [(d.uid, d.decision, d.severity) for d in store.decisions()] == [("u1", "accepted", None)]
        store.record({"id": "f2", "kind": "corrupt_text", "severity": "warning", "evidence": []}, "dismissed")
        assert store.decisions()[-1].severity == "warning"
    assert [d["uid"] for d in exported(tmp_path)][0] == "u1"
