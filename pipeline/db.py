"""The embedded SQLite store in the output directory: connection and per-module migrations.

Every module that keeps tables here (the batch store, the review store) lists its schema
as numbered SQL scripts and calls `migrate(conn, module, scripts)`; applied versions are
recorded per module in `schema_migrations`, so modules evolve independently and an old
output directory is upgraded in place, never rebuilt.

A damaged file (truncated, overwritten, not a database, failing SQLite's integrity check) is
moved aside by `open_checked` (`muster.sqlite.damaged-<time>`, with its -wal and -shm files) and a
new one is made: the batch store fills it again from `documents/*.json`, the review store from
`reviews.json`.  The caller says so.
"""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

DB_NAME = "muster.sqlite"


def db_path(out_dir: Path) -> Path:
    return Path(out_dir) / DB_NAME


def make_private(path: Path) -> None:
    """The store is readable by its owner only (0600), like the JSON outputs: created so, and an
    older world-readable one (with its -wal and -shm files, which SQLite creates with the
    database's mode) is narrowed."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))   # an empty file is an empty database
    except OSError:
        return
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if p.stat().st_mode & 0o077:
                os.chmod(p, 0o600)
        except OSError:
            pass


def connect(out_dir: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection with WAL journaling (readers never block the writer) and a busy timeout."""
    path = db_path(out_dir)
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        make_private(path)
        conn = sqlite3.connect(path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")   # a decision is on disk when the call returns
    conn.execute("PRAGMA foreign_keys=ON")
    conn.row_factory = sqlite3.Row
    return conn


def migrate(conn: sqlite3.Connection, module: str, scripts: list[str]) -> int:
    """Apply `scripts[v:]` for a module at version v, each in one transaction; returns the new version."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                 "module TEXT PRIMARY KEY, version INTEGER NOT NULL)")
    row = conn.execute("SELECT version FROM schema_migrations WHERE module = ?", (module,)).fetchone()
    version = row[0] if row else 0
    for i, script in enumerate(scripts[version:], start=version + 1):
        with conn:   # one transaction per migration step
            for statement in filter(str.strip, script.split(";")):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations(module, version) VALUES (?, ?) "
                         "ON CONFLICT(module) DO UPDATE SET version = excluded.version", (module, i))
        version = i
    return version


DAMAGED = "damaged"


def check(conn: sqlite3.Connection, *, full: bool = True) -> str | None:
    """None when the database reads as whole, else what is wrong.  `full`: SQLite's quick_check
    over every page (linear in the file's size); otherwise the schema only."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if full:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
            if rows != ["ok"]:
                return "; ".join(map(str, rows))
    except sqlite3.OperationalError:
        raise                       # locked, busy, disk full: not damage
    except sqlite3.DatabaseError as e:
        return str(e)
    return None


def move_aside(out_dir: Path) -> Path:
    """Move a damaged store (and its WAL and shared-memory files) aside; returns its new path."""
    path = db_path(out_dir)
    dest = path.with_name(f"{path.name}.{DAMAGED}-{time.strftime('%Y%m%dT%H%M%S')}")
    n = 1
    while dest.exists():
        dest = path.with_name(f"{path.name}.{DAMAGED}-{time.strftime('%Y%m%dT%H%M%S')}-{n}")
        n += 1
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{path}{suffix}")
        if src.exists():
            os.replace(src, f"{dest}{suffix}")
    return dest


def open_checked(out_dir: Path, *, full: bool = True) -> tuple[sqlite3.Connection, str | None]:
    """A connection to the output directory's store, and a message when the file was damaged and
    has been moved aside for a new one (None when it was sound)."""
    problem = None
    try:
        conn = connect(out_dir)
        problem = check(conn, full=full)
        if problem is None:
            return conn, None
        conn.close()
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as e:
        problem = str(e)
    dest = move_aside(out_dir)
    conn = connect(out_dir)
    from pipeline.errors import Code

    return conn, Code.STORE_DAMAGED.message(path=db_path(out_dir), problem=problem, dest=dest.name,
                                            then="a new store is built from the JSON outputs and reviews.json")
