"""The corpus step of a batch: entities and corpus checks over every stored document, the corpus
files (entities.json, flags.json; document files whose entities changed) and the report."""
from __future__ import annotations

import gc
import importlib
from pathlib import Path

from pipeline import checks, records
from pipeline import store as batch_store
from pipeline.reconcile import entities as entity_resolution
from pipeline.run.plan import intact
from pipeline.run.summary import RunSummary
from pipeline.writer import write_json


def corpus_step(st: batch_store.Store, out_dir: Path, summary: RunSummary) -> None:
    """The corpus results and files, recomputed only when the documents changed since they were
    (or the corpus files are damaged); then the report."""
    if st.corpus_is_current() and _corpus_files_ok(st, out_dir, summary):
        # nothing changed since the corpus step last ran: its results stand
        summary.flags.update(st.flag_counts())
        summary.entities = st.entity_count()
        summary.corpus = st.count(status="ok")
    else:
        finish_corpus(list(st.records()), out_dir, summary, store=st, report=False)
    gc.collect()                     # the corpus records are gone before the report is built
    _write_report(out_dir, summary)


CORPUS_FILES = ("entities.json", "flags.json")


def _corpus_files_ok(st: batch_store.Store, out_dir: Path, summary: RunSummary) -> bool:
    hashes = st.corpus_file_hashes()
    bad = [n for n in CORPUS_FILES if not intact(out_dir / n, hashes.get(n))]
    for n in bad:
        if (out_dir / n).exists():
            summary.warnings.append(f"{n} was damaged (it differs from what the last run wrote); it is rewritten")
    return not bad



def reconcile_and_check(corpus: list[records.DocumentRecord]) -> tuple[list[records.Entity], list[records.Flag]]:
    """Entities over the corpus (setting each mention's entity) and the corpus checks' flags."""
    ents = entity_resolution.resolve(corpus)
    views = [checks.DocumentView(r.doc.name, "", r.mentions, r.doc.lang, r.corrupt, r.doc)
             for r in corpus if r.doc.status == "ok"]
    return ents, checks.make_flags(checks.run_corpus_checks(views), per_value=checks.EVIDENCE_PER_VALUE)


def finish_corpus(corpus: list[records.DocumentRecord], out_dir: Path, summary: RunSummary, *,
                  store: batch_store.Store | None = None, report: bool = True) -> None:
    """Entities and corpus checks over every document; rewrites the corpus files, then (with
    `report`) the review report.

    With a `store`, a document file is rewritten only when corpus resolution changed its
    mentions' entities (or the file is missing), and the corpus results are kept in the store."""
    before = {r.doc.name: [m.entity for m in r.mentions] for r in corpus} if store is not None else None
    ents, corpus_flags = reconcile_and_check(corpus)
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
