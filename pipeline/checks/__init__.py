"""Consistency checks: one module per flag kind, each registered here.

A document check sees one document (its text and mentions); a corpus check sees
every document of the batch.  Checks return `Finding`s; `make_flag` turns one into
a `Flag` whose id is a fingerprint of kind, evidence text and rule version, so the
same finding keeps its id across re-runs and review decisions stick to it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable

from pipeline.records import Evidence, Flag


@dataclass
class Finding:
    kind: str
    message: str
    evidence: list[Evidence]
    severity: str = "warning"
    rule_version: str = "1"
    details: dict = field(default_factory=dict)


@dataclass
class DocumentView:
    """What a document check sees."""
    name: str
    text: str
    mentions: list
    lang: str
    corrupt: list = field(default_factory=list)
    info: object | None = None    # the DocInfo record, for corpus checks over stored documents


DocumentCheck = Callable[[DocumentView], list[Finding]]
CorpusCheck = Callable[[list[DocumentView]], list[Finding]]

DOCUMENT_CHECKS: dict[str, DocumentCheck] = {}
CORPUS_CHECKS: dict[str, CorpusCheck] = {}


def document_check(name: str):
    def register(fn: DocumentCheck) -> DocumentCheck:
        DOCUMENT_CHECKS[name] = fn
        return fn
    return register


def corpus_check(name: str):
    def register(fn: CorpusCheck) -> CorpusCheck:
        CORPUS_CHECKS[name] = fn
        return fn
    return register


def fingerprint(f: Finding) -> str:
    h = hashlib.sha256(f"{f.kind}|{f.rule_version}".encode())
    for ev in sorted(f.evidence, key=lambda e: (e.doc, e.start)):
        h.update(f"|{ev.doc}|{ev.text}".encode())
    return h.hexdigest()[:16]


def make_flags(findings: list[Finding]) -> list[Flag]:
    """Flags with stable ids; the n-th identical finding gets '-n' so ids stay unique."""
    flags, seen = [], {}
    for f in findings:
        fid = fingerprint(f)
        n = seen.get(fid, 0)
        seen[fid] = n + 1
        flags.append(Flag(id=fid if n == 0 else f"{fid}-{n}", kind=f.kind, severity=f.severity,
                          message=f.message, evidence=f.evidence, rule_version=f.rule_version))
    return flags


def evidence(doc: DocumentView, m) -> Evidence:
    return Evidence(doc=doc.name, start=m.start, end=m.end, text=m.text)


def run_document_checks(doc: DocumentView) -> list[Finding]:
    _load()
    out = []
    for check in DOCUMENT_CHECKS.values():
        out.extend(check(doc))
    return _ordered(out)


def run_corpus_checks(docs: list[DocumentView]) -> list[Finding]:
    _load()
    out = []
    for check in CORPUS_CHECKS.values():
        out.extend(check(docs))
    return _ordered(out)


def _ordered(findings: list[Finding]) -> list[Finding]:
    """Text order, then kind: the same output whatever order the check modules were imported in."""
    return sorted(findings, key=lambda f: (min(((e.doc, e.start, e.end) for e in f.evidence), default=("", 0, 0)),
                                           f.kind, f.message))


def _load() -> None:
    # importing the modules registers their checks
    from pipeline.checks import commanders, conversions, corruption, dates, figures, names, periods  # noqa: F401
    from pipeline.checks import arithmetic  # noqa: F401
