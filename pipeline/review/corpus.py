"""What a reviewer looks at: the flags of a run with their review status, and the source texts.

Reads the output files of a run (`flags.json`, `documents/*.json`, `entities.json`, as
CONTRACT.md fixes them) and the review decisions (`pipeline.review.store`).  A flag's status is
`open`, `accepted`, `dismissed`, or `stale`: a decision whose evidence texts differ from the flag's
evidence now, or whose flag no longer appears at all.  Stale decisions are listed, never dropped.

Source texts are read from the document's file (`doc.path`), decoded as the run decoded it, and
used only when the bytes still hash to `doc.id` and every evidence span still reads its evidence
text; otherwise the evidence text is shown alone, with the reason.  For HTML input the offsets
index the extracted text the run saved in the output directory (`doc.text_path`), read instead.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.review.store import FlagReview, evidence_texts, load_reviews

STATUSES = ("open", "accepted", "dismissed", "stale")
MAX_PARAGRAPH = 2400        # characters of a paragraph shown around a span before it is cut
CUT_MARGIN = 700            # characters kept on each side of the evidence in a cut paragraph


@dataclass
class DocData:
    name: str
    info: dict
    mentions: list[dict] = field(default_factory=list)
    corrupt: list[dict] = field(default_factory=list)


@dataclass
class Source:
    text: str | None
    problem: str | None = None
    path: str | None = None
    _paragraphs: list[tuple[int, int]] | None = None

    @property
    def paragraphs(self) -> list[tuple[int, int]]:
        if self._paragraphs is None:
            self._paragraphs = paragraphs(self.text or "")
        return self._paragraphs


@dataclass
class Item:
    """One entry of the review list: a flag of the current run, or a decision whose flag is gone."""
    id: str
    kind: str
    severity: str
    message: str
    evidence: list[dict]
    status: str
    review: FlagReview | None = None
    present: bool = True
    stale_reason: str | None = None
    confidence: float | None = None       # a flag's own confidence, when its check gives one
    more_evidence: dict | None = None     # spans of a corpus flag left out, per value (records.Flag)

    @property
    def docs(self) -> list[str]:
        seen = []
        for e in self.evidence:
            if e.get("doc") not in seen:
                seen.append(e.get("doc"))
        return seen

    def to_json(self) -> dict:
        r = self.review
        return {"id": self.id, "kind": self.kind, "severity": self.severity, "message": self.message,
                "evidence": self.evidence, "status": self.status, "present": self.present,
                "stale_reason": self.stale_reason,
                "decision": (r.decision.decision if r and r.decision else None),
                "note": r.note if r else None,
                "reviewer": (r.last.reviewer if r and r.history else None),
                "decided_at": (r.last.created_at if r and r.history else None),
                "history": [d.to_json() for d in r.history] if r else []}


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class Corpus:
    def __init__(self, out_dir: Path, *, with_reviews: bool = True):
        self.out_dir = Path(out_dir)
        self.problems: list[str] = []
        data = _read_json(self.out_dir / "flags.json")
        if data is None:
            self.problems.append("flags.json is missing or unreadable: no flags to review")
            data = {}
        self.flags: list[dict] = [f for f in (data.get("flags") or []) if isinstance(f, dict) and f.get("id")]
        self.docs: dict[str, DocData] = {}
        for p in sorted((self.out_dir / "documents").glob("*.json")):
            d = _read_json(p)
            if not isinstance(d, dict) or not isinstance(d.get("doc"), dict):
                continue
            info = d["doc"]
            name = info.get("name") or p.stem
            self.docs[name] = DocData(name, info, d.get("mentions") or [], d.get("corrupt") or [])
        ents = _read_json(self.out_dir / "entities.json")
        self.entities: list[dict] = (ents or {}).get("entities") or [] if isinstance(ents, dict) else []
        self.reviews: dict[str, FlagReview] = {}
        if with_reviews:
            self.reviews, problems = load_reviews(self.out_dir)
            self.problems.extend(problems)
        self._sources: dict[str, Source] = {}
        self._items: list[Item] | None = None

    # ------------------------------------------------------------------ flags and statuses
    def items(self) -> list[Item]:
        if self._items is not None:
            return self._items
        out = []
        present = set()
        for f in self.flags:
            present.add(f["id"])
            ev = [dict(e) for e in f.get("evidence") or []]
            for e in ev:
                if e.get("text") is None:
                    src = self.source(e.get("doc"))
                    if src.text is not None:
                        e["text"] = src.text[e["start"]:e["end"]]
            item = Item(f["id"], f.get("kind", "?"), f.get("severity", "warning"), f.get("message", ""), ev,
                        "open", self.reviews.get(f["id"]),
                        confidence=f.get("confidence") if isinstance(f.get("confidence"), (int, float)) else None,
                        more_evidence=f.get("more_evidence") if isinstance(f.get("more_evidence"), dict) else None)
            r = item.review
            if r is not None and r.decision is not None and r.status != "open":
                if evidence_texts(r.decision.evidence) == evidence_texts(f.get("evidence") or []):
                    item.status = r.status
                else:
                    item.status = "stale"
                    was = "; ".join(f"'{t}'" for _, t in evidence_texts(r.decision.evidence))
                    item.stale_reason = (f"The evidence changed since this flag was {r.status} "
                                         f"(the decision was made on {was}): decide again.")
            out.append(item)
        for fid, r in self.reviews.items():
            if fid in present:
                continue
            src = r.decision or r.last
            what = f"was {r.status}" if r.status != "open" else "had a note"
            out.append(Item(fid, src.kind or "?", src.severity or "warning", src.message or "", src.evidence, "stale", r,
                            present=False,
                            stale_reason=f"This flag {what} but no longer appears in the latest run: the text or "
                                         f"the checks changed. The decision is kept."))
        self._items = out
        return out

    def item(self, flag_id: str) -> Item | None:
        return next((i for i in self.items() if i.id == flag_id), None)

    def find(self, prefix: str) -> list[Item]:
        """Items whose id is `prefix` exactly, or else starts with it (ids are lower-case hex: any case will do)."""
        prefix = prefix.lower()
        exact = [i for i in self.items() if i.id.lower() == prefix]
        return exact or [i for i in self.items() if i.id.lower().startswith(prefix)]

    def counts(self) -> dict[str, int]:
        c = {s: 0 for s in STATUSES}
        for i in self.items():
            c[i.status] = c.get(i.status, 0) + 1
        return c

    def flag(self, flag_id: str) -> dict | None:
        return next((f for f in self.flags if f["id"] == flag_id), None)

    # ------------------------------------------------------------------ source texts
    def source(self, name: str | None) -> Source:
        if name not in self._sources:
            doc = self.docs.get(name) if name else None
            self._sources[name] = read_source(doc.info if doc else None, self.out_dir)
        return self._sources[name]

    def source_for(self, name: str, evidence: list[dict]) -> Source:
        """The source text, if every evidence span of this document still reads its text."""
        src = self.source(name)
        if src.text is None:
            return src
        for e in evidence:
            if e.get("doc") != name:
                continue
            s, t = e.get("start"), e.get("text")
            if not isinstance(s, int) or not isinstance(e.get("end"), int) or \
                    (t is not None and src.text[s:e["end"]] != t):
                return Source(None, "the document's file no longer matches the evidence offsets", src.path)
        return src


def _candidates(path: str, out_dir: Path) -> list[Path]:
    from pipeline.ingest import fs_name

    out = []
    for raw in dict.fromkeys([path, fs_name(path)]):     # a name with undecodable bytes is escaped
        p = Path(raw)
        out.extend([p] if p.is_absolute() else [Path.cwd() / p, out_dir.parent / p, out_dir / p])
    return out


def decode(data: bytes, encoding: str | None) -> str:
    """Bytes to text as `pipeline.ingest` decoded them (a UTF-8 BOM stays in the text)."""
    enc = (encoding or "utf-8").lower()
    if enc in ("utf-8-sig", "utf_8_sig"):
        enc = "utf-8"
    return data.decode(enc)


def read_source(info: dict | None, out_dir: Path) -> Source:
    if not info:
        return Source(None, "the run wrote no record for this document")
    if info.get("text_path"):
        # HTML input: offsets index the text extracted from the markup, saved in the output directory
        rel = str(info["text_path"])
        p = (out_dir / rel).resolve()
        if out_dir.resolve() not in p.parents:
            return Source(None, f"the document's extracted text path ({rel}) is outside the output directory")
        try:
            with open(p, encoding="utf-8", newline="") as f:
                return Source(f.read(), None, str(p))
        except FileNotFoundError:
            return Source(None, f"the document's extracted text ({rel}) is gone", str(p))
        except (OSError, UnicodeDecodeError) as e:
            return Source(None, f"the document's extracted text ({rel}) cannot be read ({e})", str(p))
    path = info.get("path")
    if not path:
        return Source(None, "the output does not say where the document's file is")
    for cand in _candidates(path, out_dir):
        if not cand.is_file():
            continue
        try:
            data = cand.read_bytes()
        except OSError as e:
            return Source(None, f"the document's file cannot be read ({e.strerror})", str(cand))
        if info.get("id") and hashlib.sha256(data).hexdigest() != info["id"]:
            return Source(None, f"the document's file ({path}) has changed since the run", str(cand))
        try:
            return Source(decode(data, info.get("encoding")), None, str(cand))
        except (UnicodeDecodeError, LookupError) as e:
            return Source(None, f"the document's file cannot be decoded ({e})", str(cand))
    return Source(None, f"the document's file ({path}) is gone")


_LINE = re.compile(r"\r\n|\r|\n")
_BLANK = re.compile(r"(?:\r\n|\r|\n)(?:[ \t\u3000]*(?:\r\n|\r|\n))+")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blocks between blank lines when the text has blank lines, else lines."""
    sep = _BLANK if _BLANK.search(text) else _LINE
    out, start = [], 0
    for m in sep.finditer(text):
        if text[start:m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def paragraph_range(paras: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """Indices [first, last] of the paragraphs a span touches (nearest one for a span between)."""
    first = last = None
    for i, (a, b) in enumerate(paras):
        if a < max(end, start + 1) and start < b or (start == end and a <= start <= b):
            first = i if first is None else first
            last = i
    if first is None:
        # between paragraphs (a span of line breaks): the paragraph before it
        before = [i for i, (a, _) in enumerate(paras) if a <= start]
        first = last = before[-1] if before else 0
    return first, last


def window(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """A part of paragraph [a, b) around the spans, cut at spaces or punctuation when it is long."""
    if b - a <= MAX_PARAGRAPH or not spans:
        return a, b
    lo = max(a, min(s for s, _ in spans) - CUT_MARGIN)
    hi = min(b, max(e for _, e in spans) + CUT_MARGIN)
    if lo > a:
        m = re.search(r"[\s。，,；;.!?！？]", text[lo:lo + 80])
        lo = lo + m.end() if m else lo
    if hi < b:
        m = None
        for m in re.finditer(r"[\s。，,；;.!?！？]", text[max(hi - 80, lo):hi]):
            pass
        hi = max(hi - 80, lo) + m.end() if m else hi
    return lo, hi
