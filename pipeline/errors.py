"""The error catalogue: every way a document (or a run) can fail, by code.

A code names the failure for programs (`DocInfo.error_code` in documents/<name>.json, the
store); its message template says it in words for people (`DocInfo.error`, unchanged from the
messages muster wrote before codes existed).  Whether a failure is *transient* is a property
of its code: a transient error came from the machine (a dead worker, an unreadable or oversized
file, memory) and may not come back, so a later batch processes the document again; a
permanent one comes from the bytes themselves (undecodable, empty, another language, a bug the
text triggers) and comes back the same, so an unchanged document keeps its error record.

    raise MusterError(Code.INGEST_TOO_LARGE, detail="...")
    Code.WORKER_LOST.message()
    errors.is_transient(code_or_None)
"""
from __future__ import annotations

from enum import Enum


class Code(str, Enum):
    """`(code, transient, message template)`; the value is the code string stored in records."""

    # reading a file
    INGEST_EMPTY = ("INGEST_EMPTY", False, "empty {what}: {detail}")
    INGEST_BINARY = ("INGEST_BINARY", False, "binary file: {detail}")
    INGEST_DECODE = ("INGEST_DECODE", False, "{detail}")
    INGEST_LANGUAGE = ("INGEST_LANGUAGE", False, "unsupported language: {reason}")
    INGEST_NOT_REGULAR = ("INGEST_NOT_REGULAR", False,
                          "not a regular file: it is {kind}, and only regular files are read")
    INGEST_UNREADABLE = ("INGEST_UNREADABLE", True, "cannot read the file: {reason}")
    INGEST_TOO_LARGE = ("INGEST_TOO_LARGE", True,
                        "file too large: {detail} (raise it with --max-bytes, or split the file)")
    INGEST_INTERNAL = ("INGEST_INTERNAL", False, "internal error while reading: {exc}")
    # extracting mentions and running document checks
    EXTRACT_INTERNAL = ("EXTRACT_INTERNAL", False, "internal error while extracting: {exc}")
    OUT_OF_MEMORY = ("OUT_OF_MEMORY", True, "internal error while {stage}: {exc}")
    # the executor running a document
    INTERNAL = ("INTERNAL", False, "internal error: {exc}")
    WORKER_INTERNAL = ("WORKER_INTERNAL", True, "internal error in a worker: {exc}")
    WORKER_LOST = ("WORKER_LOST", True, "worker process died while processing this document "
                                        "(a crash or the out-of-memory killer)")
    WORKER_TIMEOUT = ("WORKER_TIMEOUT", True, "no result within {seconds:g} s: the document was given up")
    WORKER_REMOTE = ("WORKER_REMOTE", True, "the Dask task failed: {exc}")
    # the batch
    DUPLICATE_NAME = ("DUPLICATE_NAME", False, "duplicate document name: {path} is not processed, "
                                               "because {kept} has the same file name")
    STORE_BUSY = ("STORE_BUSY", True, "another muster batch is writing to {out_dir}; wait for it to end")
    STORE_DAMAGED = ("STORE_DAMAGED", False, "{path} was damaged ({problem}); it was moved to {dest} and {then}")

    def __new__(cls, code: str, transient: bool, template: str):
        obj = str.__new__(cls, code)
        obj._value_ = code
        obj.transient = transient
        obj.template = template
        return obj

    def message(self, **fields) -> str:
        return self.template.format(**fields)

    def __str__(self) -> str:
        return self.value


def exc_text(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}"


def internal(stage: str, e: BaseException) -> tuple[Code, str]:
    """(code, message) for an unexpected exception while `stage` ("reading", "extracting")."""
    if isinstance(e, MemoryError):
        return Code.OUT_OF_MEMORY, Code.OUT_OF_MEMORY.message(stage=stage, exc=exc_text(e))
    code = Code.INGEST_INTERNAL if stage == "reading" else Code.EXTRACT_INTERNAL
    return code, code.message(exc=exc_text(e))


def is_transient(code: str | None) -> bool:
    """Whether a document with this error should be processed again.  An error without a code (a
    record written before codes existed) or with an unknown one counts as transient: it is
    processed again once and then carries its code."""
    try:
        return Code(code).transient
    except ValueError:
        return True


class MusterError(Exception):
    """An error of the catalogue: `code`, and the message in words as `str(e)`."""

    def __init__(self, code: Code, message: str | None = None, **fields):
        self.code = Code(code)
        self.message = message if message is not None else self.code.message(**fields)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
