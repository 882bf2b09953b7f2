"""Consistency checks: one module per flag kind, each registered here.

A document check sees one document (its text and mentions); a corpus check sees
every document of the batch.  Checks return `Finding`s; `make_flag` turns one into
a `Flag` whose id is a fingerprint of kind, evidence text and rule version, so the
same finding keeps its id across re-runs and review decisions stick to it.

A corpus flag (a fact hundreds of documents disagree on) keeps bounded evidence: every distinct
value (evidence text), at most `EVIDENCE_PER_VALUE` spans of each (the first by document and
offset), and the number of the others per value in `Flag.more_evidence`.  Its id is the
fingerprint of the kept spans, so it does not change when only the omitted tail does.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

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


def fingerprint(f: Finding, texts: Mapping[str, str] | None = None) -> str:
    """Kind, rule version and the evidence texts; with the documents' `texts`, also the sentence
    around each span (so two identical findings of one document differ, and an edit of one
    sentence changes only the flags found in it)."""
    h = hashlib.sha256(f"{f.kind}|{f.rule_version}".encode())
    for ev in sorted(f.evidence, key=lambda e: (e.doc, e.start)):
        h.update(f"|{ev.doc}|{ev.text}".encode())
        text = texts.get(ev.doc) if texts is not None else None
        if text:
            h.update(f"|{context(text, ev.start, ev.end)}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


_SENTENCE_END = re.compile(r"[.!?。！？\n]")
CONTEXT_REACH = 300        # at most this many characters of context either side of a span


def context(text: str, start: int, end: int) -> str:
    """The sentence a span stands in, the span cut out, white space collapsed: what tells two
    identical findings of one document apart."""
    lo = max(0, start - CONTEXT_REACH)
    before = text[lo:start]
    cut = None
    for cut in _SENTENCE_END.finditer(before):
        pass
    before = before[cut.end():] if cut else before
    after = text[end:end + CONTEXT_REACH]
    m = _SENTENCE_END.search(after)
    after = after[:m.start()] if m else after
    return " ".join(before.split()) + "\u2038" + " ".join(after.split())


EVIDENCE_PER_VALUE = 3      # spans kept per distinct value of a corpus flag


def bound_evidence(evidence: Iterable[Evidence], more: Mapping[str, int] | None = None,
                   per_value: int = EVIDENCE_PER_VALUE) -> tuple[list[Evidence], dict[str, int] | None]:
    """(kept spans, further spans per value): every distinct value (evidence text) keeps its first
    `per_value` spans by (document, offset), in their original order; `more` adds earlier counts."""
    evidence = list(evidence)
    by_value: dict[str, list[Evidence]] = {}
    for ev in sorted(evidence, key=lambda e: (e.doc, e.start, e.end)):
        by_value.setdefault(ev.text or "", []).append(ev)
    counts = dict(more or {})
    keep = set()
    for value, spans in by_value.items():
        keep.update(id(e) for e in spans[:per_value])
        if len(spans) > per_value:
            counts[value] = counts.get(value, 0) + len(spans) - per_value
    return [e for e in evidence if id(e) in keep], (dict(sorted(counts.items())) or None)


def make_flags(findings: list[Finding], texts: Mapping[str, str] | None = None, *,
               per_value: int | None = None) -> list[Flag]:
    """Flags with stable ids that never depend on the order of findings: an id is the finding's
    fingerprint (with the context of its spans when the documents' `texts` are given); findings
    with one id (identical evidence in identical sentences) are one flag with every span.

    `per_value` (corpus flags): evidence bounded by `bound_evidence`, the id that of the kept spans."""
    flags: list[Flag] = []
    by_id: dict[str, Flag] = {}
    for f in findings:
        more = None
        if per_value is not None:
            kept, more = bound_evidence(f.evidence, per_value=per_value)
            f = Finding(f.kind, f.message, kept, f.severity, f.rule_version, f.details)
        fid = fingerprint(f, texts)
        same = by_id.get(fid)
        if same is not None:
            seen = {(e.doc, e.start, e.end) for e in same.evidence}
            same.evidence.extend(e for e in f.evidence if (e.doc, e.start, e.end) not in seen)
            if per_value is not None:
                merged = {**(same.more_evidence or {})}
                for value, n in (more or {}).items():
                    merged[value] = merged.get(value, 0) + n
                same.evidence, same.more_evidence = bound_evidence(same.evidence, merged, per_value)
            continue
        flag = Flag(id=fid, kind=f.kind, severity=f.severity, message=f.message, evidence=list(f.evidence),
                    more_evidence=more, rule_version=f.rule_version)
        by_id[fid] = flag
        flags.append(flag)
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
