"""The batch store: documents, mentions, entities, flags and runs in the output directory's SQLite file.

The store is the corpus: a batch writes each document here as its record arrives (one
transaction per document, so a killed batch leaves whole documents or none), and the
corpus-level steps read the records back from here, never from the JSON files.  The JSON
files of `../shared/spec/CONTRACT.md` are rendered from the same records.

Provenance kept per document decides what a later batch may skip: the sha256 of the file's
bytes, `pipeline.PIPELINE_VERSION` and the fingerprint of the model/knowledge-base files that
the document's language reads (`models_fingerprint(lang)`: a change to the Chinese patterns does
not re-process English documents; a knowledge-base change re-processes both).

Tables (module "store" in `pipeline.db`'s migrations):

- `documents(name PK, path, content_hash, pipeline_version, models_fp, lang, status, error, chars,
  info JSON, corrupt JSON, run_id, seconds, updated_at)`
- `mentions(doc, seq, type, start, end, text, entity, data JSON)`, one row per mention, in order
- `flags(doc, scope, seq, id, kind, data JSON)`: scope "document" (found in one document, also in
  its JSON) or "corpus" (cross-document, replaced at the end of every batch; doc is NULL)
- `entities(id PK, type, name, data JSON)`, replaced at the end of every batch
- `runs(id, started_at, finished_at, status, ...)`: one row per batch; "running" until it ends,
  "interrupted" when a later batch finds it was killed.
- `corpus_state(generation, finished_generation, finished_provenance)`: every change to the
  documents bumps `generation`; the corpus step records the generation (and pipeline/model
  versions) it ran on, so a batch that changed nothing need not redo it.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from pipeline import PIPELINE_VERSION, db, errors, records, resources

MODULE = "store"
LOCK_NAME = ".muster.lock"

MIGRATIONS = [
    """
    CREATE TABLE documents (
        name TEXT PRIMARY KEY,
        path TEXT,
        content_hash TEXT,
        pipeline_version TEXT,
        models_fp TEXT,
        lang TEXT NOT NULL,
        status TEXT NOT NULL,
        error TEXT,
        chars INTEGER NOT NULL DEFAULT 0,
        info TEXT NOT NULL,
        corrupt TEXT NOT NULL DEFAULT '[]',
        run_id INTEGER,
        seconds REAL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE mentions (
        doc TEXT NOT NULL REFERENCES documents(name) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        entity TEXT,
        data TEXT NOT NULL,
        PRIMARY KEY (doc, seq)
    ) WITHOUT ROWID;
    CREATE INDEX mentions_entity ON mentions(entity);
    CREATE INDEX mentions_type ON mentions(type);
    CREATE TABLE flags (
        rowid INTEGER PRIMARY KEY,
        doc TEXT REFERENCES documents(name) ON DELETE CASCADE,
        scope TEXT NOT NULL CHECK (scope IN ('document', 'corpus')),
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX flags_doc ON flags(doc, seq);
    CREATE INDEX flags_id ON flags(id);
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at REAL NOT NULL,
        finished_at REAL,
        status TEXT NOT NULL,
        pipeline_version TEXT NOT NULL,
        models_fp TEXT NOT NULL,
        executor TEXT,
        jobs INTEGER,
        force INTEGER NOT NULL DEFAULT 0,
        inputs INTEGER NOT NULL DEFAULT 0,
        processed INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        seconds REAL
    );
    CREATE TABLE corpus_state (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        generation INTEGER NOT NULL,
        finished_generation INTEGER,
        finished_provenance TEXT
    );
    INSERT INTO corpus_state(one, generation) VALUES (1, 0)
    """,
    # the sha256 of each output file as written: a damaged file is noticed and rewritten
    """
    ALTER TABLE documents ADD COLUMN file_sha256 TEXT;
    ALTER TABLE corpus_state ADD COLUMN files TEXT
    """,
]


class StoreBusy(errors.MusterError, RuntimeError):
    """Another batch is writing to the same output directory."""


_LOCK_FDS: set[int] = set()     # lock files this process holds (a forked worker drops its copies)


def release_inherited_locks() -> None:
    """In a forked worker: close the inherited descriptors of the batch's lock file (closing a
    copy leaves the batch's lock in place; when the batch ends, no worker keeps it alive)."""
    for fd in list(_LOCK_FDS):
        try:
            os.close(fd)
        except OSError:
            pass
        _LOCK_FDS.discard(fd)


# --- provenance ------------------------------------------------------------------------------

def lang_family(lang: str) -> str:
    return "zh" if lang.startswith("zh") else lang


@lru_cache(maxsize=None)
def models_fingerprint(lang: str | None = None) -> str:
    """Fingerprint of the models/ files that documents of `lang` depend on (all of them for None).

    English reads `kb/`, `lexicon/en/`, `patterns/en/`; Chinese reads `kb/`, `lexicon/zh/`,
    `patterns/zh/` and `jieba/` (tests/test_incremental.py checks this with an audit hook).
    Files elsewhere under models/ (READMEs, scripts) count for every language."""
    if lang is None:
        return resources.models_fingerprint()
    fam = lang_family(lang)
    h = hashlib.sha256()
    root = resources.MODELS_DIR
    for p in sorted(root.rglob("*")):
        if not p.is_file() or "__pycache__" in p.parts:
            continue
        rel = p.relative_to(root)
        parts = rel.parts
        if len(parts) > 2 and parts[0] in ("lexicon", "patterns") and parts[1] != fam:
            continue
        if parts[0] == "jieba" and fam != "zh":
            continue
        h.update(str(rel).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class StoredDoc:
    name: str
    path: str | None
    content_hash: str | None
    pipeline_version: str | None
    models_fp: str | None
    lang: str
    status: str
    error: str | None
    error_code: str | None = None

    def is_current(self, content_hash: str) -> bool:
        """Would processing the file again give the same record?  (same bytes, same rules, same
        data files; an error record only when the error came from the bytes themselves)."""
        if self.content_hash != content_hash or self.pipeline_version != PIPELINE_VERSION:
            return False
        if self.status == "ok":
            return self.models_fp == models_fingerprint(self.lang)
        # An error the bytes cause (undecodable, empty, not English or Chinese, a bug the text
        # triggers) comes back the same; one the machine caused (a dead worker, an unreadable or
        # oversized file, memory) may not: a property of the error's code (pipeline/errors.py).
        return not errors.is_transient(self.error_code)


# --- JSON ------------------------------------------------------------------------------------

def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# --- the store -------------------------------------------------------------------------------

class Store:
    """The batch store of one output directory.  Open it with `Store.open(out_dir)` (or as a
    context manager); one batch at a time holds it (`StoreBusy` otherwise)."""

    def __init__(self, out_dir: Path, conn: sqlite3.Connection, lock_fd: int | None):
        self.out_dir = Path(out_dir)
        self.conn = conn
        self._lock_fd = lock_fd
        self.recovered: str | None = None     # what was wrong with a damaged store moved aside

    # lifecycle

    @classmethod
    def open(cls, out_dir: Path, *, lock: bool = True) -> Store:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        lock_fd = None
        if lock:
            lock_fd = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(lock_fd)
                raise StoreBusy(errors.Code.STORE_BUSY, out_dir=out_dir) from None
            _LOCK_FDS.add(lock_fd)
        try:
            conn, recovered = db.open_checked(out_dir)
            # WAL + NORMAL: a committed document survives a killed process (SIGKILL, OOM); only a
            # power cut can lose the last commits, and a later batch simply re-processes them.
            conn.execute("PRAGMA synchronous=NORMAL")
            before = conn.execute("SELECT version FROM schema_migrations WHERE module = ?",
                                  (MODULE,)).fetchone() if _has_migrations(conn) else None
            db.migrate(conn, MODULE, MIGRATIONS)
            store = cls(out_dir, conn, lock_fd)
            store.recovered = recovered
            if before is None:
                n = store.import_json_files()
                if recovered:
                    store.recovered += f" ({n} documents taken back from documents/*.json)"
            return store
        except BaseException:
            if lock_fd is not None:
                _LOCK_FDS.discard(lock_fd)
                os.close(lock_fd)
            raise

    def close(self) -> None:
        self.conn.close()
        if self._lock_fd is not None:
            _LOCK_FDS.discard(self._lock_fd)
            os.close(self._lock_fd)   # releases the flock
            self._lock_fd = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # runs

    def begin_run(self, *, inputs: int, executor: str, jobs: int, force: bool) -> int:
        with self.conn:
            self.conn.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
            cur = self.conn.execute(
                "INSERT INTO runs(started_at, status, pipeline_version, models_fp, executor, jobs, force, "
                "inputs) VALUES (?, 'running', ?, ?, ?, ?, ?, ?)",
                (time.time(), PIPELINE_VERSION, models_fingerprint(), executor, jobs, int(force), inputs))
        return cur.lastrowid

    def end_run(self, run_id: int, *, status: str, processed: int, skipped: int, errors: int) -> None:
        with self.conn:
            self.conn.execute(
                "UPDATE runs SET finished_at = ?, status = ?, processed = ?, skipped = ?, errors = ?, "
                "seconds = ? - started_at WHERE id = ?",
                (time.time(), status, processed, skipped, errors, time.time(), run_id))

    def runs(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM runs ORDER BY id")]

    # documents

    def get(self, name: str) -> StoredDoc | None:
        row = self.conn.execute(
            "SELECT name, path, content_hash, pipeline_version, models_fp, lang, status, error, "
            "CASE WHEN json_valid(info) THEN json_extract(info, '$.error_code') END FROM documents WHERE name = ?", (name,)).fetchone()
        return StoredDoc(*row) if row else None

    def file_hash(self, name: str) -> str | None:
        row = self.conn.execute("SELECT file_sha256 FROM documents WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_file_hash(self, name: str, sha256: str | None) -> None:
        with self.conn:
            self.conn.execute("UPDATE documents SET file_sha256 = ? WHERE name = ?", (sha256, name))

    def corpus_file_hashes(self) -> dict[str, str]:
        row = self.conn.execute("SELECT files FROM corpus_state").fetchone()
        return json.loads(row[0]) if row and row[0] else {}

    def put(self, rec: records.DocumentRecord, *, content_hash: str | None = None,
            models_fp: str | None = None, run_id: int | None = None, seconds: float | None = None,
            file_sha256: str | None = None) -> None:
        """Insert or replace one document with its mentions and document flags, in one transaction."""
        d = rec.doc
        if models_fp is None and d.status == "ok":
            models_fp = models_fingerprint(d.lang)
        info = _dumps(d.model_dump(mode="json"))
        corrupt = _dumps([c.model_dump(mode="json") for c in rec.corrupt])
        with self.conn:
            self.conn.execute(
                "INSERT INTO documents(name, path, content_hash, pipeline_version, models_fp, lang, status, "
                "error, chars, info, corrupt, run_id, seconds, updated_at, file_sha256) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET path = excluded.path, content_hash = excluded.content_hash, "
                "pipeline_version = excluded.pipeline_version, models_fp = excluded.models_fp, "
                "lang = excluded.lang, status = excluded.status, error = excluded.error, "
                "chars = excluded.chars, info = excluded.info, corrupt = excluded.corrupt, "
                "run_id = excluded.run_id, seconds = excluded.seconds, updated_at = excluded.updated_at, "
                "file_sha256 = excluded.file_sha256",
                (d.name, d.path, content_hash if content_hash is not None else d.id, d.pipeline_version,
                 models_fp, d.lang, d.status, d.error, d.chars, info, corrupt, run_id, seconds, time.time(),
                 file_sha256))
            self._put_mentions(d.name, rec.mentions)
            self._bump()
            self.conn.execute("DELETE FROM flags WHERE doc = ? AND scope = 'document'", (d.name,))
            self.conn.executemany(
                "INSERT INTO flags(doc, scope, seq, id, kind, data) VALUES (?, 'document', ?, ?, ?, ?)",
                ((d.name, i, f.id, f.kind, _dumps(f.model_dump(mode="json"))) for i, f in enumerate(rec.flags)))

    def _put_mentions(self, name: str, mentions: list) -> None:
        self.conn.execute("DELETE FROM mentions WHERE doc = ?", (name,))
        self.conn.executemany(
            'INSERT INTO mentions(doc, seq, type, start, "end", text, entity, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            ((name, i, m.type, m.start, m.end, m.text, m.entity, _dumps(m.model_dump(mode="json")))
             for i, m in enumerate(mentions)))     # streamed: a long document's rows are never all in memory

    def update_mentions(self, rec: records.DocumentRecord) -> None:
        """Rewrite a document's mention rows (after corpus resolution changed their entities)."""
        with self.conn:
            self._put_mentions(rec.doc.name, rec.mentions)
            self._bump()

    def _bump(self) -> None:
        self.conn.execute("UPDATE corpus_state SET generation = generation + 1")

    def corpus_is_current(self) -> bool:
        """True when the corpus results in the store were computed on the documents as they are,
        by this pipeline version and these model files."""
        row = self.conn.execute("SELECT generation, finished_generation, finished_provenance "
                                "FROM corpus_state").fetchone()
        return row[1] == row[0] and row[2] == _provenance()

    def corpus_finished(self, files: dict[str, str] | None = None) -> None:
        """The corpus step ran on the documents as they are; `files`: sha256 of the files it wrote."""
        with self.conn:
            self.conn.execute("UPDATE corpus_state SET finished_generation = generation, finished_provenance = ?, "
                              "files = ?", (_provenance(), json.dumps(files or {})))

    def mention_counts(self, names: set[str]) -> dict[str, int]:
        """Mentions per type over the given documents."""
        out: dict[str, int] = {}
        rows = self.conn.execute('SELECT doc, type, count(*) FROM mentions GROUP BY doc, type')
        for doc, type_, n in rows:
            if doc in names:
                out[type_] = out.get(type_, 0) + n
        return out

    def flag_counts(self) -> dict[str, int]:
        """Flags per kind, as flags.json lists them."""
        return dict(self.conn.execute(
            "SELECT f.kind, count(*) FROM flags f LEFT JOIN documents d ON d.name = f.doc "
            "WHERE f.scope = 'corpus' OR d.status = 'ok' GROUP BY f.kind").fetchall())

    def entity_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM entities").fetchone()[0]

    def names(self, *, status: str | None = None) -> list[str]:
        if status is None:
            return [r[0] for r in self.conn.execute("SELECT name FROM documents ORDER BY name")]
        return [r[0] for r in self.conn.execute("SELECT name FROM documents WHERE status = ? ORDER BY name",
                                                (status,))]

    def count(self, *, status: str | None = None) -> int:
        if status is None:
            return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        return self.conn.execute("SELECT count(*) FROM documents WHERE status = ?", (status,)).fetchone()[0]

    def record(self, name: str) -> records.DocumentRecord | None:
        for rec in self.records(names=[name], status=None):
            return rec
        return None

    def records(self, *, status: str | None = "ok", names: list[str] | None = None
                ) -> Iterator[records.DocumentRecord]:
        """Document records in name order, streamed (three ordered cursors merged, no per-document query)."""
        where, args = [], []
        if status is not None:
            where.append("d.status = ?")
            args.append(status)
        if names is not None:
            where.append(f"d.name IN ({','.join('?' * len(names))})")
            args.extend(names)
        cond = f"WHERE {' AND '.join(where)}" if where else ""
        docs = self.conn.execute(f"SELECT d.name, d.info, d.corrupt FROM documents d {cond} ORDER BY d.name", args)
        ments = self.conn.execute(
            f"SELECT m.doc, m.data FROM mentions m JOIN documents d ON d.name = m.doc {cond} "
            "ORDER BY m.doc, m.seq", args)
        flags = self.conn.execute(
            f"SELECT f.doc, f.data FROM flags f JOIN documents d ON d.name = f.doc {cond} "
            "AND f.scope = 'document' ORDER BY f.doc, f.seq" if cond else
            "SELECT f.doc, f.data FROM flags f WHERE f.scope = 'document' ORDER BY f.doc, f.seq", args)
        m_it, f_it = _Grouped(ments), _Grouped(flags)
        for name, info, corrupt in docs:
            body = (f'{{"doc":{info},"mentions":[{",".join(m_it.take(name))}],'
                    f'"flags":[{",".join(f_it.take(name))}],"corrupt":{corrupt}}}')
            try:
                yield records.DocumentRecord.model_validate_json(body)
            except ValueError as e:     # SQLite read the page, but what it holds is not ours
                raise sqlite3.DatabaseError(f"a damaged record in the store, document {name}: "
                                            f"{str(e).splitlines()[0]}") from None

    # corpus results

    def replace_corpus(self, entities: list[records.Entity], corpus_flags: list[records.Flag]) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM entities")
            self.conn.executemany("INSERT INTO entities(id, type, name, data) VALUES (?, ?, ?, ?)",
                                  [(e.id, e.type, e.name, _dumps(e.model_dump(mode="json"))) for e in entities])
            self.conn.execute("DELETE FROM flags WHERE scope = 'corpus'")
            self.conn.executemany(
                "INSERT INTO flags(doc, scope, seq, id, kind, data) VALUES (NULL, 'corpus', ?, ?, ?, ?)",
                [(i, f.id, f.kind, _dumps(f.model_dump(mode="json"))) for i, f in enumerate(corpus_flags)])

    def entities(self) -> list[records.Entity]:
        return [records.Entity.model_validate_json(r[0])
                for r in self.conn.execute("SELECT data FROM entities ORDER BY id")]

    def flags(self) -> list[records.Flag]:
        """Every flag as flags.json lists them: document flags in document order, then corpus flags."""
        rows = self.conn.execute(
            "SELECT f.data FROM flags f JOIN documents d ON d.name = f.doc WHERE f.scope = 'document' "
            "AND d.status = 'ok' ORDER BY f.doc, f.seq").fetchall()
        rows += self.conn.execute("SELECT data FROM flags WHERE scope = 'corpus' ORDER BY seq").fetchall()
        return [records.Flag.model_validate_json(r[0]) for r in rows]

    # an output directory written before the store existed

    def import_json_files(self) -> int:
        """Take documents/*.json of an older output directory into a new store (once, when the
        store is created), so that earlier batches stay in the corpus.  Their models fingerprint is
        unknown, so the files are processed again when they are given as input."""
        doc_dir = self.out_dir / "documents"
        n = 0
        if not doc_dir.is_dir() or self.count():
            return 0
        for p in sorted(doc_dir.glob("*.json")):
            try:
                data = p.read_bytes()
                rec = records.DocumentRecord.model_validate_json(data)
            except (OSError, ValueError):
                continue  # a file we did not write, or an older format: left alone
            self.put(rec, content_hash=rec.doc.id, models_fp="", file_sha256=hashlib.sha256(data).hexdigest())
            n += 1
        return n


def _provenance() -> str:
    return f"{PIPELINE_VERSION}:{models_fingerprint()}"


def _has_migrations(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
                        ).fetchone() is not None


class _Grouped:
    """Rows (key, value) ordered by key; `take(key)` returns the values of that key."""

    def __init__(self, cursor):
        self._it = iter(cursor)
        self._head = next(self._it, None)

    def take(self, key: str) -> list[str]:
        out = []
        while self._head is not None and self._head[0] < key:
            self._head = next(self._it, None)
        while self._head is not None and self._head[0] == key:
            out.append(self._head[1])
            self._head = next(self._it, None)
        return out
