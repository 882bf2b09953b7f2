"""`muster export`: a run's results in formats other tools import.

- `jsonl` / `csv`: four flat tables, one row per record, the same columns in both formats
  (`mentions`, `entities`, `flags` with their review decisions, `relations`: who commanded which
  formation, and when) — `pandas.read_json(path, lines=True)` / `pandas.read_csv(path)` read
  them as they are. In CSV, a list or object cell is JSON, a missing value is empty.
- `labelstudio`: one task per document, the mentions as pre-annotations (`predictions`) of a
  `<Labels name="label" toName="text">` config.
- `doccano`: JSON lines `{"text", "label": [[start, end, type], ...]}` (sequence labelling import).
- `webanno`: the mentions as W3C Web Annotations (JSON-LD), each targeting its document with a
  TextPositionSelector (start, end) and a TextQuoteSelector (exact, prefix, suffix).

Every offset is in code points of the document text as read (CONTRACT.md), which is what the Web
Annotation model counts, and what Label Studio and doccano count for text without characters
beyond the Basic Multilingual Plane (their browser side counts UTF-16 units).
Formats that carry the text read it from the document's file, checked against its sha256, as
`muster review` does; a document whose file is gone or changed is left out of them, and said so.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from pipeline.review.corpus import Corpus
from pipeline.review.render import entity_words, mention_title
from pipeline.review.words import date_words, formation_words
from pipeline.writer import write_text

FORMATS = ("jsonl", "csv", "labelstudio", "doccano", "webanno")
TABLES = ("mentions", "entities", "flags", "relations")
MENTION_COLUMNS = ("doc", "lang", "id", "type", "start", "end", "text", "label", "entity", "rule", "value",
                   "echelon", "number", "branch", "guards", "side", "sides", "name", "name_known", "rank", "commander",
                   "low", "high", "approx", "mod", "category", "equipment", "what", "unit", "km_low", "km_high",
                   "unit_branch", "link_confidence", "recovered")
QUOTE_CONTEXT = 32          # characters of prefix and suffix in a TextQuoteSelector


def mention_id(doc: str, m: dict) -> str:
    return f"{doc}:{m.get('start')}-{m.get('end')}:{m.get('type')}"


# ------------------------------------------------------------------------------------------ tables

def mention_rows(corpus: Corpus) -> list[dict]:
    rows = []
    for d in corpus.docs.values():
        for m in sorted(d.mentions, key=lambda m: (m.get("start", 0), m.get("end", 0))):
            row = {k: m.get(k) for k in MENTION_COLUMNS}
            row.update(doc=d.name, lang=d.info.get("lang"), id=mention_id(d.name, m), label=mention_title(m))
            for k, v in m.items():           # fields a later pipeline adds are kept, after the known ones
                row.setdefault(k, v)
            rows.append(row)
    return rows


def entity_rows(corpus: Corpus) -> list[dict]:
    rows = []
    for e in corpus.entities:
        ms = e.get("mentions") or []
        rows.append({"id": e.get("id"), "type": e.get("type"), "name": e.get("name"), "label": entity_words(e),
                     "key": e.get("key"), "aliases": e.get("aliases") or {}, "mention_count": len(ms),
                     "docs": sorted({m.get("doc") for m in ms if m.get("doc")}),
                     "mentions": [f"{m.get('doc')}:{m.get('start')}-{m.get('end')}" for m in ms]})
    return rows


def flag_rows(corpus: Corpus) -> list[dict]:
    rows = []
    for it in corpus.items():
        r = it.review
        last = r.decision if r else None
        rows.append({"id": it.id, "kind": it.kind, "severity": it.severity, "message": it.message,
                     "status": it.status, "in_latest_run": it.present,
                     "decision": last.decision if last else None, "reviewer": last.reviewer if last else None,
                     "decided_at": last.created_at if last else None, "note": r.note if r else None,
                     "decisions": len(r.history) if r else 0, "stale_reason": it.stale_reason,
                     "docs": it.docs, "evidence_text": " | ".join(str(e.get("text") or "") for e in it.evidence),
                     "evidence": [{k: e.get(k) for k in ("doc", "start", "end", "text")} for e in it.evidence]})
    return rows


def relation_rows(corpus: Corpus) -> list[dict]:
    """Commander-of relations: a formation mention whose commander was read from the text, with the
    date context (the last date mentioned before it in its document)."""
    people = {e.get("name"): e.get("id") for e in corpus.entities if e.get("type") == "person"}
    rows = []
    for d in corpus.docs.values():
        ordered = sorted(d.mentions, key=lambda m: m.get("start", 0))
        last_date = None
        for m in ordered:
            if m.get("type") == "date":
                last_date = m
                continue
            if m.get("type") != "formation" or not m.get("commander"):
                continue
            when = (last_date.get("value") or "").split("/")[0] if last_date else None
            rows.append({"doc": d.name, "relation": "commanded_by", "formation_id": mention_id(d.name, m),
                         "formation_text": m.get("text"), "formation_entity": m.get("entity"),
                         "formation_label": formation_words(m), "commander": m.get("commander"),
                         "commander_entity": people.get(m.get("commander")), "when": when or None,
                         "when_label": date_words(when) if when else None, "start": m.get("start"),
                         "end": m.get("end")})
    return rows


ROWS = {"mentions": mention_rows, "entities": entity_rows, "flags": flag_rows, "relations": relation_rows}


def _columns(rows: list[dict]) -> list[str]:
    cols: dict[str, None] = {}
    for r in rows:
        cols.update(dict.fromkeys(r))
    return list(cols)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def to_jsonl(rows: list[dict]) -> str:
    cols = _columns(rows)
    return "".join(json.dumps({c: r.get(c) for c in cols}, ensure_ascii=False) + "\n" for r in rows)


def to_csv(rows: list[dict], columns: list[str] | None = None) -> str:
    cols = columns or _columns(rows)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in cols])
    return buf.getvalue()


# ------------------------------------------------------------------------------------------ annotation tools

def _texts(corpus: Corpus, problems: list[str]):
    for d in corpus.docs.values():
        if d.info.get("status") == "error":
            continue
        src = corpus.source(d.name)
        if src.text is None:
            problems.append(f"{d.name} left out: {src.problem}")
            continue
        good = [m for m in d.mentions if isinstance(m.get("start"), int) and isinstance(m.get("end"), int)
                and src.text[m["start"]:m["end"]] == m.get("text")]
        yield d, src.text, sorted(good, key=lambda m: (m["start"], m["end"]))


def labelstudio(corpus: Corpus, problems: list[str]) -> str:
    tasks = []
    for d, text, ms in _texts(corpus, problems):
        result = [{"id": f"m{k}", "from_name": "label", "to_name": "text", "type": "labels", "origin": "prediction",
                   "value": {"start": m["start"], "end": m["end"], "text": m["text"], "labels": [m["type"]]},
                   "meta": {"text": [mention_title(m)]}}
                  for k, m in enumerate(ms)]
        tasks.append({"data": {"text": text, "doc": d.name, "lang": d.info.get("lang")},
                      "predictions": [{"model_version": "muster", "result": result}]})
    return json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"


def doccano(corpus: Corpus, problems: list[str]) -> str:
    return "".join(json.dumps({"text": text, "label": [[m["start"], m["end"], m["type"]] for m in ms],
                               "doc": d.name, "lang": d.info.get("lang")}, ensure_ascii=False) + "\n"
                   for d, text, ms in _texts(corpus, problems))


def web_annotations(corpus: Corpus, problems: list[str]) -> str:
    items = []
    for d, text, ms in _texts(corpus, problems):
        source = d.info.get("path") or d.name
        for m in ms:
            s, e = m["start"], m["end"]
            items.append({
                "id": f"urn:muster:mention:{d.name}:{s}-{e}:{m['type']}", "type": "Annotation",
                "motivation": "classifying",
                "body": [{"type": "TextualBody", "purpose": "classifying", "value": m["type"]},
                         {"type": "TextualBody", "purpose": "describing", "value": mention_title(m), "language": "en"}],
                "target": {"source": source, "language": d.info.get("lang"),
                           "selector": [{"type": "TextPositionSelector", "start": s, "end": e},
                                        {"type": "TextQuoteSelector", "exact": text[s:e],
                                         "prefix": text[max(0, s - QUOTE_CONTEXT):s], "suffix": text[e:e + QUOTE_CONTEXT]}]},
            })
    coll = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection",
            "label": f"muster mentions of {corpus.out_dir.name or corpus.out_dir}", "total": len(items),
            "first": {"type": "AnnotationPage", "items": items}}
    return json.dumps(coll, ensure_ascii=False, indent=1) + "\n"


# ------------------------------------------------------------------------------------------ writing

def export(out_dir: Path, fmt: str, dest: Path | None = None) -> tuple[list[Path], list[str]]:
    """Write the export; returns the files written and what was left out."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    corpus = Corpus(Path(out_dir))
    dest = Path(dest) if dest else Path(out_dir) / "export"
    problems: list[str] = []
    written = []
    if fmt in ("jsonl", "csv"):
        for table in TABLES:
            rows = ROWS[table](corpus)
            path = dest / f"{table}.{fmt}"
            cols = list(MENTION_COLUMNS) if table == "mentions" and not rows else None
            write_text(path, to_jsonl(rows) if fmt == "jsonl" else to_csv(rows, cols))
            written.append(path)
        return written, problems
    name, make = {"labelstudio": ("labelstudio.json", labelstudio), "doccano": ("doccano.jsonl", doccano),
                  "webanno": ("annotations.jsonld", web_annotations)}[fmt]
    path = dest / name
    write_text(path, make(corpus, problems))
    return [path], problems
