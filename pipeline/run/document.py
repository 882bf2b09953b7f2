"""One file -> one record: ingest, extraction, document checks.  Runs in whatever process the
executor chose (pipeline/executors.py); it imports nothing of the run above it."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from pipeline import PIPELINE_VERSION, checks, errors, ingest, records
from pipeline.checks import dates as date_checks
from pipeline.checks import periods

TEXTS_DIR = "texts"      # extracted text of HTML documents, next to documents/


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
        return error_record(path, str(e), code=e.code), None
    except Exception as e:  # noqa: BLE001 - one document must not stop the batch
        code, message = errors.internal("reading", e)
        return error_record(path, message, code=code), None
    html = src.source_format == "html"
    try:
        rec = process_text(src.name, src.text, src.lang, doc_id=src.id, path=src.path,
                           encoding=src.encoding, scripts=src.scripts, mixed=src.mixed,
                           source_format=src.source_format, text_path=text_path_of(src.name) if html else None)
    except Exception as e:  # noqa: BLE001 - one document must not stop the batch
        code, message = errors.internal("extracting", e)
        return error_record(path, message, code=code, lang=src.lang, doc_id=src.id), None
    return rec, (src.text if html else None)


def process_file(path: Path, *, max_bytes: int = ingest.DEFAULT_MAX_BYTES) -> records.DocumentRecord:
    """A record for one file; never raises for a bad file (it becomes an error record)."""
    return process_document(path, max_bytes=max_bytes)[0]


def error_record(path: Path, message: str, *, code: str | None = None, lang: str = "und",
                 doc_id: str | None = None):
    """An error record: `message` in words, `code` from the catalogue (pipeline/errors.py)."""
    return records.DocumentRecord(doc=records.DocInfo(
        name=ingest.doc_name(path), id=doc_id, path=ingest.doc_path(path), lang=lang, status="error", error=message,
        error_code=None if code is None else str(code), pipeline_version=PIPELINE_VERSION))


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
