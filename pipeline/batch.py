"""A batch run: ingest -> extract -> document checks -> store -> reconcile -> corpus checks -> write.

The corpus is every document in the output directory's store (`pipeline/store.py`): this
batch's documents plus those earlier batches wrote, so entities and cross-document checks see
them all.  Documents are streamed: each record is written to the store (one transaction) and
to its JSON file (atomically) as it arrives from the executor, and nothing holds the batch's
records in memory.  A document whose bytes, pipeline version and model data are unchanged since
it was stored is not processed again (`force=True` processes everything), so a batch that was
killed resumes where it stopped when started again.
"""
from __future__ import annotations

import gc
import importlib
import json
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pipeline import PIPELINE_VERSION, checks, db, executors, ingest, records
from pipeline import store as batch_store
from pipeline.checks import dates as date_checks
from pipeline.checks import periods
from pipeline.reconcile import entities as entity_resolution
from pipeline.writer import file_sha256, keep_copy, keep_previous, write_json, write_text

TEXTS_DIR = "texts"      # extracted text of HTML documents, next to documents/


@dataclass
class RunSummary:
    documents: int = 0          # input documents handled: processed + skipped
    processed: int = 0
    skipped: int = 0            # unchanged since the store has them
    chars: int = 0              # characters of the processed documents
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)     # outputs of the run that were not written (exit 1)
    mentions: Counter = field(default_factory=Counter)
    flags: Counter = field(default_factory=Counter)
    entities: int = 0
    corpus: int = 0             # documents in the corpus (every batch's)
    seconds: float = 0.0
    out_dir: Path | None = None
    run_id: int | None = None


# --- one document ------------------------------------------------------------------------------

def process_text(name: str, text: str, lang: str, *, doc_id: str | None = None,
                 path: str | None = None, encoding: str | None = None, scripts=None,
                 mixed: bool = False, source_format: str = "text",
                 text_path: str | None = None) -> records.DocumentRecord:
    """Extract mentions and run document checks on one text."""
    from pipeline.nlp import extractor

    ex = extractor(lang)
    analysis = ex.analyze(text, memory_zone=True)   # strings of this text leave the vocabulary afterwards
    mentions = analysis.mentions
    info = records.DocInfo(name=name, id=doc_id, path=path, lang=lang, status="ok", encoding=encoding,
                           chars=len(text), scripts=scripts or {}, mixed=mixed,
                           pipeline_version=PIPELINE_VERSION, source_format=source_format,
                           text_path=text_path)
    view = checks.DocumentView(name, text, mentions, lang, analysis.corrupt)
    info.anchor_year = _anchor_year(mentions)
    flags = checks.make_flags(checks.run_document_checks(view), texts={name: text})
    period = date_checks.stated_period(view)
    if period is not None:
        info.period = period[0].value
    op = periods.stated_operation(view)
    if op is not None:
        info.operation = records.NamedSpan(name=op[0], start=op[1], end=op[2])
    return records.DocumentRecord(doc=info, mentions=mentions, flags=flags, corrupt=analysis.corrupt)


def _anchor_year(mentions) -> int | None:
    years = Counter(int(m.value[:4]) for m in mentions if m.type == "date" and m.value[:4].isdigit())
    return years.most_common(1)[0][0] if years else None


def text_path_of(name: str) -> str:
    """Where the extracted text of an HTML document is saved, relative to the output directory."""
    return f"{TEXTS_DIR}/{name}.txt"


def process_document(path: Path, *, max_bytes: int = ingest.DEFAULT_MAX_BYTES, data: bytes | None = None
                     ) -> tuple[records.DocumentRecord, str | None]:
    """(record, extracted text for HTML input or None); never raises for a bad file."""
    try:
        src = ingest.read(path, max_bytes=max_bytes, data=data)
    except ingest.IngestError as e:
        return error_record(path, str(e)), None
    except Exception as e:  # noqa: BLE001 - one document must not stop the batch
        return error_record(path, f"internal error while reading: {type(e).__name__}: {e}"), None
    html = src.source_format == "html"
    try:
        rec = process_text(src.name, src.text, src.lang, doc_id=src.id, path=src.path,
                           encoding=src.encoding, scripts=src.scripts, mixed=src.mixed,
                           source_format=src.source_format, text_path=text_path_of(src.name) if html else None)
    except Exception as e:  # noqa: BLE001 - one document must not stop the batch
        return error_record(path, f"internal error while extracting: {type(e).__name__}: {e}",
                            lang=src.lang, doc_id=src.id), None
    return rec, (src.text if html else None)


def process_file(path: Path, *, max_bytes: int = ingest.DEFAULT_MAX_BYTES) -> records.DocumentRecord:
    """A record for one file; never raises for a bad file (it becomes an error record)."""
    return process_document(path, max_bytes=max_bytes)[0]


def error_record(path: Path, message: str, *, lang: str = "und", doc_id: str | None = None):
    return records.DocumentRecord(doc=records.DocInfo(
        name=ingest.doc_name(path), id=doc_id, path=ingest.doc_path(path), lang=lang, status="error", error=message,
        pipeline_version=PIPELINE_VERSION))


def load_records(doc_dir: Path) -> dict[str, records.DocumentRecord]:
    """Records from documents/*.json (an output directory without a store; tools)."""
    out = {}
    if not doc_dir.is_dir():
        return out
    for p in sorted(doc_dir.glob("*.json")):
        try:
            rec = records.DocumentRecord.model_validate_json(p.read_bytes())
        except (OSError, ValueError):
            continue  # a file we did not write, or an older format: left alone
        out[rec.doc.name] = rec
    return out


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
            notes.append(f"{db.db_path(Path(out_dir))} was damaged ({e}); it was moved to {dest.name} and "
                         f"the batch ran again on a new store built from the JSON outputs and reviews.json")
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
    paths, dropped = _unique_names(paths, summary)
    for p in dropped:
        if on_document:
            on_document(p, None)
    batch_names: set[str] = set()

    with batch_store.Store.open(out_dir) as st:
        if st.recovered:
            summary.warnings.append(st.recovered)
        _remove_stale_temp_files(out_dir)
        exe = executor if not isinstance(executor, str) else \
            executors.make(executor, jobs=jobs, scheduler=scheduler)
        run_id = st.begin_run(inputs=len(paths), executor=exe.name, jobs=exe.jobs, force=force)
        summary.run_id = run_id
        status = "failed"
        try:
            hashes: dict[str, str | None] = {}

            def accept(path: Path, rec: records.DocumentRecord, *, seconds: float, text: str | None):
                t0 = time.perf_counter()
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

            def plan() -> Iterator[executors.Task]:
                for path in paths:
                    name = ingest.doc_name(path)
                    try:
                        data = ingest.read_bytes(path, max_bytes=max_bytes)
                    except ingest.IngestError as e:
                        accept(path, error_record(path, str(e)), seconds=0.0, text=None)
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
                    yield executors.Task(str(path), max_bytes, data if exe.ships_data else None)

            by_path = {str(p): p for p in paths}
            try:
                for task, res in exe.map(plan()):
                    rec = res["record"]
                    if not isinstance(rec, records.DocumentRecord):
                        rec = records.DocumentRecord.model_validate(rec)
                    accept(by_path.get(task.path, Path(task.path)), rec, seconds=res.get("seconds") or 0.0,
                           text=res.get("text"))
                    del rec, res       # a long document's record is gone before the corpus step loads it
            finally:
                exe.close()
            if st.corpus_is_current() and _corpus_files_ok(st, out_dir, summary):
                # nothing changed since the corpus step last ran: its results stand
                summary.flags.update(st.flag_counts())
                summary.entities = st.entity_count()
                summary.corpus = st.count(status="ok")
            else:
                finish_corpus(list(st.records()), out_dir, summary, store=st, report=False)
            gc.collect()                     # the corpus records are gone before the report is built
            _write_report(out_dir, summary)
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


def _unique_names(paths: list[Path], summary: RunSummary) -> tuple[list[Path], list[Path]]:
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
            summary.errors.append((name, f"duplicate document name: {ingest.doc_path(p)} is not processed, "
                                         f"because {ingest.doc_path(last[name])} has the same file name"))
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


def _remove_stale_temp_files(out_dir: Path) -> None:
    """Temp files of a batch that was killed while writing (the lock says no batch is running)."""
    stale = [*(out_dir / "documents").glob(".*.json.*"), *(out_dir / TEXTS_DIR).glob(".*.txt.*"),
             *out_dir.glob(".entities.json.*"), *out_dir.glob(".flags.json.*"), *out_dir.glob(".report.html.*")]
    for p in stale:
        try:
            p.unlink()
        except OSError:
            pass


CORPUS_FILES = ("entities.json", "flags.json")


def _intact(path: Path, sha256: str | None) -> bool:
    """The file is there with the bytes the store says were written (or, written before the store
    kept hashes, it parses as JSON)."""
    if sha256 is not None:
        return file_sha256(path) == sha256
    try:
        json.loads(path.read_bytes())
        return True
    except (OSError, ValueError):
        return False


def _corpus_files_ok(st: batch_store.Store, out_dir: Path, summary: RunSummary) -> bool:
    hashes = st.corpus_file_hashes()
    bad = [n for n in CORPUS_FILES if not _intact(out_dir / n, hashes.get(n))]
    for n in bad:
        if (out_dir / n).exists():
            summary.warnings.append(f"{n} was damaged (it differs from what the last run wrote); it is rewritten")
    return not bad


def _output_ok(st: batch_store.Store, out_dir: Path, prev: batch_store.StoredDoc, summary: RunSummary) -> bool:
    """The document's JSON file (and, for HTML, its extracted text) is as written; a JSON file that
    is missing or damaged is rewritten from the store (False only when the document must be
    processed again)."""
    if prev.status == "ok" and Path(prev.name).suffix.lower() in ingest.HTML_SUFFIXES \
            and not (out_dir / text_path_of(prev.name)).exists():
        return False
    target = out_dir / "documents" / f"{prev.name}.json"
    if _intact(target, st.file_hash(prev.name)):
        return True
    rec = st.record(prev.name)
    if rec is None:
        return False
    if target.exists():
        summary.warnings.append(f"documents/{prev.name}.json was damaged; it is rewritten from the store")
    st.set_file_hash(prev.name, write_json(target, rec))
    return True


def finish_corpus(corpus: list[records.DocumentRecord], out_dir: Path, summary: RunSummary, *,
                  store: batch_store.Store | None = None, report: bool = True) -> None:
    """Entities and corpus checks over every document; rewrites the corpus files, then (with
    `report`) the review report.

    With a `store`, a document file is rewritten only when corpus resolution changed its
    mentions' entities (or the file is missing), and the corpus results are kept in the store."""
    before = {r.doc.name: [m.entity for m in r.mentions] for r in corpus} if store is not None else None
    ents = entity_resolution.resolve(corpus)
    views = [checks.DocumentView(r.doc.name, "", r.mentions, r.doc.lang, r.corrupt, r.doc)
             for r in corpus if r.doc.status == "ok"]
    corpus_flags = checks.make_flags(checks.run_corpus_checks(views))
    all_flags = [f for r in corpus for f in r.flags] + corpus_flags
    for r in corpus:
        if r.doc.status != "ok":
            continue
        target = out_dir / "documents" / f"{r.doc.name}.json"
        if before is None:
            write_json(target, r)
            continue
        changed = before[r.doc.name] != [m.entity for m in r.mentions]
        if changed or not target.exists():
            store.set_file_hash(r.doc.name, write_json(target, r))
        if changed:
            store.update_mentions(r)
    files = {"entities.json": write_json(out_dir / "entities.json", records.EntitiesFile(entities=ents)),
             "flags.json": write_json(out_dir / "flags.json", records.FlagsFile(flags=all_flags))}
    if store is not None:
        store.replace_corpus(ents, corpus_flags)
        store.corpus_finished(files)
    summary.flags.update(f.kind for f in all_flags)
    summary.entities = len(ents)
    summary.corpus = len(corpus)
    if report:
        _write_report(out_dir, summary)



def _write_report(out_dir: Path, summary: RunSummary) -> None:
    """The review engineer's static report (pipeline.review.report.write_report), when it exists."""
    try:
        module = importlib.import_module("pipeline.review.report")
    except ImportError:
        return
    write_report = getattr(module, "write_report", None)
    if write_report is None:
        return
    try:
        write_report(out_dir)
    except Exception as e:  # noqa: BLE001 - the corpus files are written; the report is extra
        # an older report.html would pass for this run's: it goes, and the run fails
        stale = out_dir / "report.html"
        try:
            stale.unlink()
            gone = "; the older report.html was removed"
        except FileNotFoundError:
            gone = ""
        except OSError:
            gone = "; the older report.html is out of date"
        summary.failed.append(f"report.html was not written: {type(e).__name__}: {e}{gone}")
