"""Incremental batches: unchanged documents are not processed again; what changed is."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import batch, store

EN_A = "On 5 March 1943 the 3rd Tank Army advanced 40 km (25 miles) towards Kharkov.\n"
EN_B = "General Vasily Chuikov's 62nd Army held Stalingrad until 2 February 1943.\n"
ZH_C = "1943年3月5日,羅科索夫斯基的第65集團軍推進了80公里。\n"


def _snapshot(out: Path) -> dict[str, bytes]:
    files = [*(out / "documents").glob("*.json"), out / "entities.json", out / "flags.json"]
    return {str(p.relative_to(out)): p.read_bytes() for p in files}


@pytest.fixture
def corpus(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(EN_A, encoding="utf-8")
    (src / "b.txt").write_text(EN_B, encoding="utf-8")
    (src / "c.txt").write_text(ZH_C, encoding="utf-8")
    (src / "bad.txt").write_bytes(b"")
    return src


def _no_processing(monkeypatch):
    def fail(*a, **k):
        raise AssertionError("an unchanged document was processed again")
    monkeypatch.setattr(batch, "process_document", fail)


def test_second_run_over_an_unchanged_corpus_processes_nothing(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = batch.run([str(corpus)], out)
    assert (first.processed, first.skipped) == (4, 0)
    before = _snapshot(out)
    _no_processing(monkeypatch)
    second = batch.run([str(corpus)], out)
    assert (second.documents, second.processed, second.skipped) == (4, 0, 4)
    assert second.errors == first.errors                   # a bad file is still reported
    assert second.mentions == first.mentions and second.flags == first.flags
    assert second.entities == first.entities
    assert _snapshot(out) == before


def test_a_changed_document_alone_is_processed_again(corpus, tmp_path):
    out = tmp_path / "out"
    batch.run([str(corpus)], out)
    (corpus / "a.txt").write_text(EN_A.replace("40 km (25 miles)", "60 km (37 miles)"), encoding="utf-8")
    seen = []
    summary = batch.run([str(corpus)], out, on_document=lambda p, rec: seen.append((p.name, rec is not None)))
    assert summary.processed == 1 and summary.skipped == 3
    assert sorted(seen) == [("a.txt", True), ("b.txt", False), ("bad.txt", False), ("c.txt", False)]
    doc = json.loads((out / "documents" / "a.txt.json").read_text(encoding="utf-8"))
    assert any(m["text"] == "60 km" for m in doc["mentions"])


def test_force_processes_everything(corpus, tmp_path):
    out = tmp_path / "out"
    batch.run([str(corpus)], out)
    before = _snapshot(out)
    summary = batch.run([str(corpus)], out, force=True)
    assert summary.processed == 4 and summary.skipped == 0
    assert _snapshot(out) == before                         # same input, same output


def test_a_new_pipeline_version_processes_everything(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    batch.run([str(corpus)], out)
    monkeypatch.setattr(store, "PIPELINE_VERSION", "999")
    monkeypatch.setattr(batch, "PIPELINE_VERSION", "999")
    summary = batch.run([str(corpus)], out)
    assert summary.processed == 4
    doc = json.loads((out / "documents" / "b.txt.json").read_text(encoding="utf-8"))
    assert doc["doc"]["pipeline_version"] == "999"


def test_changed_chinese_data_reprocesses_chinese_documents_only(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    batch.run([str(corpus)], out)
    real = store.models_fingerprint

    def changed(lang=None):
        fp = real(lang)
        return fp + "-new" if lang is None or store.lang_family(lang) == "zh" else fp
    monkeypatch.setattr(store, "models_fingerprint", changed)
    seen = []
    summary = batch.run([str(corpus)], out, on_document=lambda p, rec: seen.append(p.name) if rec else None)
    assert seen == ["c.txt"] and summary.skipped == 3


def test_language_fingerprints_cover_the_files_each_language_reads(tmp_path):
    """Processing a document opens no model file outside its language's fingerprint."""
    code = r"""
import sys, json
from pathlib import Path
from pipeline import batch, resources, store
root = str(resources.MODELS_DIR) + "/"
opened = set()
def hook(event, args):
    if event == "open" and isinstance(args[0], str) and args[0].startswith(root):
        opened.add(args[0][len(root):])
sys.addaudithook(hook)
rec = batch.process_file(Path(sys.argv[1]))
print(json.dumps([rec.doc.lang, sorted(opened)]))
"""
    for name, text in (("en.txt", EN_A + EN_B), ("zh.txt", ZH_C)):
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        res = subprocess.run([sys.executable, "-c", code, str(p)], capture_output=True, text=True, check=True)
        lang, opened = json.loads(res.stdout.strip().splitlines()[-1])
        fam = store.lang_family(lang)
        assert opened, "the audit hook saw no model file"
        for rel in opened:
            parts = Path(rel).parts
            assert not (parts[0] in ("lexicon", "patterns") and parts[1] != fam), (lang, rel)
            assert not (parts[0] == "jieba" and fam != "zh"), (lang, rel)


def test_a_deleted_output_file_is_written_again(corpus, tmp_path):
    out = tmp_path / "out"
    batch.run([str(corpus)], out)
    before = _snapshot(out)
    (out / "documents" / "b.txt.json").unlink()
    (out / "flags.json").unlink()
    batch.run([str(corpus)], out)
    assert _snapshot(out) == before


def test_an_added_document_joins_the_corpus(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    batch.run([str(corpus / "a.txt"), str(corpus / "b.txt")], out)
    summary = batch.run([str(corpus / "c.txt")], out)
    assert summary.processed == 1 and summary.corpus == 3
    ents = json.loads((out / "entities.json").read_text(encoding="utf-8"))["entities"]
    assert {m["doc"] for e in ents for m in e["mentions"]} == {"a.txt", "b.txt", "c.txt"}
