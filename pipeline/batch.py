"""A batch run (the driver of the stages in pipeline/run/): ingest -> extract -> document checks -> store -> reconcile -> corpus checks -> write.

The corpus is every document in the output directory's store (`pipeline/store.py`): this
batch's documents plus those earlier batches wrote, so entities and cross-document checks see
them all.  Documents are streamed: each record is written to the store (one transaction) and
to its JSON file (atomically) as it arrives from the executor, and nothing holds the batch's
records in memory.  A document whose bytes, pipeline version and model data are unchanged since
it was stored is not processed again (`force=True` processes everything), so a batch that was
killed resumes where it stopped when started again.
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Callable, Iterable

from pipeline import PIPELINE_VERSION, db, executors, ingest, records
from pipeline import store as batch_store
from pipeline.errors import Code
from pipeline.reconcile import entities as entity_resolution
from pipeline.run import plan
from pipeline.run.corpus import CORPUS_FILES, corpus_step, finish_corpus, reconcile_and_check
from pipeline.run.document import (TEXTS_DIR, error_record, load_records, process_document, process_file,
                                   process_text, text_path_of)
from pipeline.run.summary import RunSummary
from pipeline.writer import keep_previous, write_json, write_text

__all__ = ["CORPUS_FILES", "PIPELINE_VERSION", "TEXTS_DIR", "RunSummary", "error_record", "finish_corpus",
           "load_records", "process_document", "process_file", "process_text", "reconcile_and_check", "run",
           "text_path_of"]


# --- a batch -------------------------------------------------------------------------------------

def run(inputs: Iterable[str], out_dir: Path, *, max_bytes: int = ingest.DEFAULT_MAX_BYTES,
        on_document: Callable[[Path, records.DocumentRecord | None], None] | None = None,
        paths: list[Path] | None = None, jobs: int = 1, force: bool = False,
        executor: str | object = "local", scheduler: str | None = None) -> RunSummary:
    """Process the inputs into `out_dir` and rewrite the corpus files.

    `on_document(path, record)` is called once per input document as it is done; `record` is
    None for a document skipped because it is unchanged.  `executor`: "local" (`jobs` worker
    processes; 1 = in this process), "dask" (with `scheduler`), or an executor object
    (pipeline/executors.py).  Raises `store.StoreBusy` when another batch holds `out_dir`,
    `executors.ExecutorError` when the executor cannot start.

    A store found damaged on the way (a page SQLite cannot read, a record that does not parse) is
    moved aside and the batch runs once more on a new store filled from the JSON outputs."""
    notes: list[str] = []
    for attempt in range(2):
        try:
            return _run_once(inputs, out_dir, max_bytes=max_bytes, on_document=on_document, paths=paths,
                             jobs=jobs, force=force, executor=executor, scheduler=scheduler, notes=notes)
        except sqlite3.DatabaseError as e:
            if attempt or isinstance(e, sqlite3.OperationalError):     # disk full, locked: not damage
                raise
            dest = db.move_aside(Path(out_dir))
            notes.append(Code.STORE_DAMAGED.message(
                path=db.db_path(Path(out_dir)), problem=e, dest=dest.name,
                then="the batch ran again on a new store built from the JSON outputs and reviews.json"))
    raise AssertionError("unreachable")


def _run_once(inputs, out_dir: Path, *, max_bytes: int, on_document, paths, jobs: int, force: bool,
              executor, scheduler, notes: list[str]) -> RunSummary:
    t_start = time.perf_counter()
    out_dir = Path(out_dir)
    doc_dir = out_dir / "documents"
    doc_dir.mkdir(parents=True, exist_ok=True)
    paths = paths if paths is not None else ingest.expand_inputs(list(inputs))
    summary = RunSummary(out_dir=out_dir)
    summary.warnings.extend(notes)
    paths, dropped = plan.unique_names(paths, summary)
    for p in dropped:
        if on_document:
            on_document(p, None)
    batch_names: set[str] = set()

    with batch_store.Store.open(out_dir) as st:
        if st.recovered:
            summary.warnings.append(st.recovered)
        plan.remove_stale_temp_files(out_dir)
        exe = executor if not isinstance(executor, str) else \
            executors.make(executor, jobs=jobs, scheduler=scheduler)
        run_id = st.begin_run(inputs=len(paths), executor=exe.name, jobs=exe.jobs, force=force)
        summary.run_id = run_id
        status = "failed"
        try:
            hashes: dict[str, str | None] = {}

            def accept(path: Path, rec: records.DocumentRecord, *, seconds: float, text: str | None):
                t0 = time.perf_counter()
                rec.doc.pipeline_version = PIPELINE_VERSION     # the version of the batch that stores it
                name = rec.doc.name
                target = doc_dir / f"{name}.json"
                if rec.doc.status == "ok":
                    entity_resolution.resolve([rec])    # entity ids are a function of the mention
                    if text is not None and rec.doc.text_path:
                        write_text(out_dir / rec.doc.text_path, text)
                    summary.chars += rec.doc.chars
                else:
                    keep_previous(target)
                    summary.errors.append((name, rec.doc.error or ""))
                sha = write_json(target, rec)        # the file first: a kill before the commit
                st.put(rec, content_hash=rec.doc.id or hashes.get(name),   # re-processes it
                       run_id=run_id, seconds=seconds + time.perf_counter() - t0, file_sha256=sha)
                batch_names.add(name)
                summary.documents += 1
                summary.processed += 1
                if on_document:
                    on_document(path, rec)

            by_path = {str(p): p for p in paths}
            try:
                for task, res in exe.map(plan.tasks(
                        paths, st, out_dir, summary, max_bytes=max_bytes, force=force, ships_data=exe.ships_data,
                        hashes=hashes, batch_names=batch_names, accept=accept, on_document=on_document)):
                    rec = res["record"]
                    if not isinstance(rec, records.DocumentRecord):
                        rec = records.DocumentRecord.model_validate(rec)
                    accept(by_path.get(task.path, Path(task.path)), rec, seconds=res.get("seconds") or 0.0,
                           text=res.get("text"))
                    del rec, res       # a long document's record is gone before the corpus step loads it
            finally:
                exe.close()
            corpus_step(st, out_dir, summary)
            summary.mentions.update(st.mention_counts(batch_names))
            status = "done"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            st.end_run(run_id, status=status, processed=summary.processed, skipped=summary.skipped,
                       errors=len(summary.errors))
    summary.seconds = time.perf_counter() - t_start
    return summary
