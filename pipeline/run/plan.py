"""What a batch processes: the inputs (one per document name), and for each the decision to
skip it (unchanged since the store has it, its outputs intact) or to send it to the executor."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Iterator

from pipeline import executors, ingest
from pipeline import store as batch_store
from pipeline.errors import Code
from pipeline.run.document import TEXTS_DIR, error_record, text_path_of
from pipeline.run.summary import RunSummary
from pipeline.writer import file_sha256, keep_copy, write_json


def tasks(paths: list[Path], st: batch_store.Store, out_dir: Path, summary: RunSummary, *, max_bytes: int,
          force: bool, ships_data: bool, hashes: dict[str, str | None], batch_names: set[str],
          accept: Callable[..., None], on_document: Callable | None = None) -> Iterator[executors.Task]:
    """The executor's tasks: the documents that must be processed.  A file that cannot be read
    goes to `accept` as an error record; an unchanged one is counted as skipped; `hashes` gets
    each file's content hash and `batch_names` each document handled."""
    doc_dir = out_dir / "documents"
    for path in paths:
        name = ingest.doc_name(path)
        try:
            data = ingest.read_bytes(path, max_bytes=max_bytes)
        except ingest.IngestError as e:
            accept(path, error_record(path, str(e), code=e.code), seconds=0.0, text=None)
            continue
        digest = ingest.file_id(data)
        hashes[name] = digest
        stored = st.get(name)
        clash = _name_clash(path, digest, stored)
        if clash:
            kept = keep_copy(doc_dir / f"{name}.json")
            summary.warnings.append(clash + (f"; the earlier record is kept as {kept.relative_to(out_dir)}"
                                             if kept else ""))
        prev = None if force else stored
        if prev is not None and prev.is_current(digest) and _output_ok(st, out_dir, prev, summary):
            batch_names.add(name)
            summary.documents += 1
            summary.skipped += 1
            if prev.status != "ok":
                summary.errors.append((name, prev.error or ""))
            if on_document:
                on_document(path, None)
            continue
        yield executors.Task(str(path), max_bytes, data if ships_data else None)


def unique_names(paths: list[Path], summary: RunSummary) -> tuple[list[Path], list[Path]]:
    """Outputs are named after the file name: of several inputs with one name, the last is kept.
    Returns (kept, dropped)."""
    last = {ingest.doc_name(p): p for p in paths}
    out, dropped = [], []
    for p in paths:
        name = ingest.doc_name(p)
        if last[name] is p:
            out.append(p)
        else:
            dropped.append(p)
            summary.errors.append((name, Code.DUPLICATE_NAME.message(path=ingest.doc_path(p),
                                                                     kept=ingest.doc_path(last[name]))))
    return out, dropped


def _name_clash(path: Path, digest: str, stored: batch_store.StoredDoc | None) -> str | None:
    """Documents are named by their file name: a later batch's file replaces the earlier batch's
    document of the same name.  That is said (a warning, the earlier record kept in
    documents/.history/) when the two are different files, both still there, with other bytes;
    a file that moved (same bytes, or the earlier path gone) replaces its record silently."""
    if stored is None or stored.path is None or stored.content_hash == digest:
        return None
    here = ingest.doc_path(path)
    if stored.path == here:
        return None
    earlier = Path(ingest.fs_name(stored.path))
    try:
        if not earlier.is_file() or earlier.samefile(path):
            return None
    except OSError:
        return None
    return (f"name clash: document {ingest.doc_name(path)} now comes from {here}; an earlier batch read it "
            f"from {stored.path}, which is still there with other bytes (rename one of them to keep both)")


def remove_stale_temp_files(out_dir: Path) -> None:
    """Temp files of a batch that was killed while writing (the lock says no batch is running)."""
    stale = [*(out_dir / "documents").glob(".*.json.*"), *(out_dir / TEXTS_DIR).glob(".*.txt.*"),
             *out_dir.glob(".entities.json.*"), *out_dir.glob(".flags.json.*"), *out_dir.glob(".report.html.*")]
    for p in stale:
        try:
            p.unlink()
        except OSError:
            pass


def intact(path: Path, sha256: str | None) -> bool:
    """The file is there with the bytes the store says were written (or, written before the store
    kept hashes, it parses as JSON)."""
    if sha256 is not None:
        return file_sha256(path) == sha256
    try:
        json.loads(path.read_bytes())
        return True
    except (OSError, ValueError):
        return False


def _output_ok(st: batch_store.Store, out_dir: Path, prev: batch_store.StoredDoc, summary: RunSummary) -> bool:
    """The document's JSON file (and, for HTML, its extracted text) is as written; a JSON file that
    is missing or damaged is rewritten from the store (False only when the document must be
    processed again)."""
    if prev.status == "ok" and Path(prev.name).suffix.lower() in ingest.HTML_SUFFIXES \
            and not (out_dir / text_path_of(prev.name)).exists():
        return False
    target = out_dir / "documents" / f"{prev.name}.json"
    if intact(target, st.file_hash(prev.name)):
        return True
    rec = st.record(prev.name)
    if rec is None:
        return False
    if target.exists():
        summary.warnings.append(f"documents/{prev.name}.json was damaged; it is rewritten from the store")
    st.set_file_hash(prev.name, write_json(target, rec))
    return True
