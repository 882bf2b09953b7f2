"""A batch run: ingest -> extract -> document checks -> reconcile -> corpus checks -> write.

The corpus is every document in the output directory: this batch's documents plus
those earlier batches wrote, so entities and cross-document checks see them all.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from pipeline import PIPELINE_VERSION, checks, ingest, records
from pipeline.checks import dates as date_checks
from pipeline.checks import periods
from pipeline.reconcile import entities as entity_resolution
from pipeline.writer import keep_previous, write_json


@dataclass
class RunSummary:
    documents: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    mentions: Counter = field(default_factory=Counter)
    flags: Counter = field(default_factory=Counter)
    entities: int = 0
    out_dir: Path | None = None


def process_text(name: str, text: str, lang: str, *, doc_id: str | None = None,
                 path: str | None = None, encoding: str | None = None, scripts=None,
                 mixed: bool = False) -> records.DocumentRecord:
    """Extract mentions and run document checks on one text."""
    from pipeline.nlp import extractor

    analysis = extractor(lang).analyze(text)
    mentions = analysis.mentions
    info = records.DocInfo(name=name, id=doc_id, path=path, lang=lang, status="ok", encoding=encoding,
                           chars=len(text), scripts=scripts or {}, mixed=mixed,
                           pipeline_version=PIPELINE_VERSION)
    view = checks.DocumentView(name, text, mentions, lang, analysis.corrupt)
    info.anchor_year = _anchor_year(mentions)
    flags = checks.make_flags(checks.run_document_checks(view))
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


def process_file(path: Path, *, max_bytes: int = ingest.DEFAULT_MAX_BYTES) -> records.DocumentRecord:
    """A record for one file; never raises for a bad file (it becomes an error record)."""
    try:
        src = ingest.read(path, max_bytes=max_bytes)
    except ingest.IngestError as e:
        return error_record(path, str(e))
    try:
        return process_text(src.name, src.text, src.lang, doc_id=src.id, path=src.path,
                            encoding=src.encoding, scripts=src.scripts, mixed=src.mixed)
    except Exception as e:  # noqa: BLE001 - one document must not stop the batch
        return error_record(path, f"internal error while extracting: {type(e).__name__}: {e}",
                            lang=src.lang, doc_id=src.id)


def error_record(path: Path, message: str, *, lang: str = "und", doc_id: str | None = None):
    return records.DocumentRecord(doc=records.DocInfo(
        name=path.name, id=doc_id, path=str(path), lang=lang, status="error", error=message,
        pipeline_version=PIPELINE_VERSION))


def load_records(doc_dir: Path) -> dict[str, records.DocumentRecord]:
    out = {}
    if not doc_dir.is_dir():
        return out
    for p in sorted(doc_dir.glob("*.json")):
        try:
            rec = records.DocumentRecord.model_validate(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # a file we did not write, or an older format: left alone
        out[rec.doc.name] = rec
    return out


def run(inputs: Iterable[str], out_dir: Path, *, max_bytes: int = ingest.DEFAULT_MAX_BYTES,
        on_document: Callable[[Path, records.DocumentRecord], None] | None = None,
        paths: list[Path] | None = None) -> RunSummary:
    out_dir = Path(out_dir)
    doc_dir = out_dir / "documents"
    doc_dir.mkdir(parents=True, exist_ok=True)
    paths = paths if paths is not None else ingest.expand_inputs(list(inputs))
    summary = RunSummary(out_dir=out_dir)
    batch: dict[str, records.DocumentRecord] = {}
    for path in paths:
        rec = process_file(path, max_bytes=max_bytes)
        target = doc_dir / f"{rec.doc.name}.json"
        if rec.doc.status == "error":
            keep_previous(target)
            summary.errors.append((rec.doc.name, rec.doc.error or ""))
        write_json(target, rec)
        batch[rec.doc.name] = rec
        summary.documents += 1
        if on_document:
            on_document(path, rec)
    corpus = load_records(doc_dir)
    corpus.update(batch)
    finish_corpus(list(corpus.values()), out_dir, summary)
    for rec in batch.values():
        summary.mentions.update(m.type for m in rec.mentions)
    return summary


def finish_corpus(corpus: list[records.DocumentRecord], out_dir: Path, summary: RunSummary) -> None:
    """Entities and corpus checks over every document; rewrites the corpus files."""
    ents = entity_resolution.resolve(corpus)
    views = [checks.DocumentView(r.doc.name, "", r.mentions, r.doc.lang, r.corrupt, r.doc)
             for r in corpus if r.doc.status == "ok"]
    corpus_flags = checks.make_flags(checks.run_corpus_checks(views))
    all_flags = [f for r in corpus for f in r.flags] + corpus_flags
    for r in corpus:
        if r.doc.status == "ok":
            write_json(out_dir / "documents" / f"{r.doc.name}.json", r)
    write_json(out_dir / "entities.json", records.EntitiesFile(entities=ents))
    write_json(out_dir / "flags.json", records.FlagsFile(flags=all_flags))
    summary.flags.update(f.kind for f in all_flags)
    summary.entities = len(ents)
