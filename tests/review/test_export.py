"""`muster export`: tables that read back as they were written (csv, jsonl; pandas when it is
installed), and Label Studio, doccano and W3C Web Annotation files whose offsets select the
mention texts (code points; document a.txt has astral characters before its evidence)."""
from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.review.store import ReviewStore

runner = CliRunner()


def export(out, fmt, *more):
    r = runner.invoke(app, ["export", "--out", str(out), "--format", fmt, *more])
    assert r.exit_code == 0, r.output
    return [line for line in r.stdout.splitlines() if line.strip()]


def documents(out):
    docs = {}
    for p in (out / "documents").glob("*.json"):
        d = json.loads(p.read_text(encoding="utf-8"))
        docs[d["doc"]["name"]] = d
    return docs


def test_tables_in_csv_and_jsonl_read_back(run_out, flags_of, tmp_path):
    conv = flags_of(run_out, "conversion_mismatch")
    with ReviewStore(run_out) as store:
        store.record(conv, "accepted", note="732 km", reviewer="ana")
    paths = export(run_out, "csv", "--to", str(tmp_path / "x"))
    assert [p.rsplit("/", 1)[1] for p in paths] == ["mentions.csv", "entities.csv", "flags.csv", "relations.csv"]
    export(run_out, "jsonl", "--to", str(tmp_path / "x"))
    docs = documents(run_out)
    n_mentions = sum(len(d["mentions"]) for d in docs.values())
    for table in ("mentions", "entities", "flags", "relations"):
        with open(tmp_path / "x" / f"{table}.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        lines = [json.loads(x) for x in (tmp_path / "x" / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()]
        assert len(rows) == len(lines)
        if lines:
            assert list(rows[0]) == list(lines[0])             # the same columns in both
        if table == "mentions":
            assert len(rows) == n_mentions
            text = {n: d["mentions"] for n, d in docs.items()}
            for r in lines:
                assert any(m["start"] == r["start"] and m["text"] == r["text"] for m in text[r["doc"]])
            assert any(r["label"] == "formation: Soviet 2nd Tank Army" for r in lines)
        if table == "flags":
            by_id = {r["id"]: r for r in rows}
            assert by_id[conv["id"]]["status"] == "accepted" and by_id[conv["id"]]["reviewer"] == "ana"
            assert by_id[conv["id"]]["note"] == "732 km"
            assert json.loads(by_id[conv["id"]]["evidence"])[0]["text"] == "455 miles"
            assert {r["id"] for r in rows} == {f["id"] for f in flags_of(run_out)}


def test_tables_read_with_pandas(run_out, tmp_path):
    pd = pytest.importorskip("pandas")
    export(run_out, "csv", "--to", str(tmp_path / "x"))
    export(run_out, "jsonl", "--to", str(tmp_path / "x"))
    a = pd.read_csv(tmp_path / "x" / "mentions.csv")
    b = pd.read_json(tmp_path / "x" / "mentions.jsonl", lines=True)
    assert len(a) == len(b) and list(a.columns) == list(b.columns)
    assert (a["end"] - a["start"]).gt(0).all()


def test_annotation_tool_files_select_the_mention_texts(run_out, tmp_path):
    docs = documents(run_out)
    texts = {}
    for name, d in docs.items():
        with open(d["doc"]["path"], encoding="utf-8", newline="") as f:
            texts[name] = f.read()
    (ls,) = export(run_out, "labelstudio", "--to", str(tmp_path))
    tasks = json.loads(open(ls, encoding="utf-8").read())
    assert {t["data"]["doc"] for t in tasks} == set(docs)
    for t in tasks:
        results = t["predictions"][0]["result"]
        assert len(results) == len(docs[t["data"]["doc"]]["mentions"])
        for r in results:
            v = r["value"]
            assert t["data"]["text"][v["start"]:v["end"]] == v["text"] and r["to_name"] == "text"
    (dc,) = export(run_out, "doccano", "--to", str(tmp_path))
    for line in open(dc, encoding="utf-8"):
        rec = json.loads(line)
        for s, e, label in rec["label"]:
            assert any(m["start"] == s and m["end"] == e and m["type"] == label for m in docs[rec["doc"]]["mentions"])
        assert rec["text"] == texts[rec["doc"]]
    (wa,) = export(run_out, "webanno", "--to", str(tmp_path))
    coll = json.loads(open(wa, encoding="utf-8").read())
    assert coll["@context"] == "http://www.w3.org/ns/anno.jsonld" and coll["type"] == "AnnotationCollection"
    items = coll["first"]["items"]
    assert len(items) == coll["total"] == sum(len(d["mentions"]) for d in docs.values())
    for a in items:
        assert a["type"] == "Annotation"
        pos = next(s for s in a["target"]["selector"] if s["type"] == "TextPositionSelector")
        quote = next(s for s in a["target"]["selector"] if s["type"] == "TextQuoteSelector")
        name = next(n for n, d in docs.items() if d["doc"]["path"] == a["target"]["source"])
        text = texts[name]
        assert text[pos["start"]:pos["end"]] == quote["exact"]
        assert text[pos["start"] - len(quote["prefix"]):pos["end"] + len(quote["suffix"])] == \
            quote["prefix"] + quote["exact"] + quote["suffix"]
    # after the astral characters of a.txt, offsets are still code points
    after = [a for a in items if a["target"]["source"].endswith("a.txt") and
             a["target"]["selector"][0]["start"] > texts["a.txt"].index("\U0001F600")]
    assert after


def test_export_usage_errors(run_out, tmp_path):
    r = runner.invoke(app, ["export", "--out", str(run_out), "--format", "xml"])
    assert r.exit_code == 2 and "jsonl, csv, labelstudio, doccano, webanno" in " ".join(r.output.split())
    r = runner.invoke(app, ["export", "--out", str(run_out), "--format", "parquet"])
    assert r.exit_code == 2 and "pyarrow" in r.output
    empty = tmp_path / "empty"
    empty.mkdir()
    r = runner.invoke(app, ["export", "--out", str(empty)])
    assert r.exit_code == 2 and "no run" in " ".join(r.output.split())
