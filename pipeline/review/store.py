"""Review decisions: an append-only table in `OUT/muster.sqlite`, mirrored to `OUT/reviews.json`.

A decision is one row: the flag id, what was decided (`accepted` = a real inconsistency,
`dismissed` = not one, `reopened` = undecided again, `note` = a note that leaves the status as
it is), an optional note, the reviewer, a UTC timestamp, and the flag's kind, message and
evidence (doc, start, end, text) as they were when the decision was made.  Rows are never
updated or deleted (triggers refuse it); the latest status decision per flag wins and the
whole history is kept.

Durability: each decision is one committed INSERT (`synchronous=FULL`, see `pipeline.db`), so
it is on disk when `record()` returns; only then is `reviews.json` rewritten (atomically, temp
file + rename).  The two can disagree after a crash between the INSERT and the export, or when
the SQLite file was deleted or replaced by an older copy.  `ReviewStore.open()` reconciles
them: the store is the source of truth when present, and every decision that is in
`reviews.json` but not in the store (matched by its `uid`) is imported; then the export is
rewritten if it lacks anything.  Nothing is dropped in either direction.
"""
from __future__ import annotations

import getpass
import json
import sqlite3
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline import db
from pipeline.writer import write_json

MODULE = "reviews"
EXPORT_NAME = "reviews.json"
FORMAT = "muster-reviews"
DECISIONS = ("accepted", "dismissed", "reopened", "note")
STATUS_DECISIONS = ("accepted", "dismissed", "reopened")

SCRIPTS = [
    """
    CREATE TABLE review_decisions (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        uid        TEXT NOT NULL UNIQUE,
        flag_id    TEXT NOT NULL,
        decision   TEXT NOT NULL CHECK (decision IN ('accepted', 'dismissed', 'reopened', 'note')),
        note       TEXT,
        reviewer   TEXT NOT NULL,
        created_at TEXT NOT NULL,
        kind       TEXT,
        message    TEXT,
        evidence   TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX review_decisions_flag ON review_decisions (flag_id, created_at, seq)
    """,
    "ALTER TABLE review_decisions ADD COLUMN severity TEXT",
    # team review: what a decision was made on (the uid of the flag's latest decision then, '' for
    # none), the bulk action it was part of, and the decision an undo takes back
    """
    ALTER TABLE review_decisions ADD COLUMN base_uid TEXT;
    ALTER TABLE review_decisions ADD COLUMN batch TEXT;
    ALTER TABLE review_decisions ADD COLUMN undoes TEXT
    """,
]

# db.migrate splits scripts on ';', which a trigger body contains: triggers are made here.
_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS review_decisions_append_only_u BEFORE UPDATE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
CREATE TRIGGER IF NOT EXISTS review_decisions_append_only_d BEFORE DELETE ON review_decisions
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
"""


class ReviewError(Exception):
    """A decision that cannot be recorded (unknown decision, missing flag id)."""


class ExportFailed(OSError):
    """The decision is saved (committed to the store) but reviews.json could not be rewritten;
    it is rewritten when the review store is next opened."""

    def __init__(self, decision: "Decision", error: Exception):
        super().__init__(f"the decision is saved in {db.DB_NAME}, but {EXPORT_NAME} could not be "
                         f"rewritten ({error}); it will be on the next start")
        self.decision = decision


class Conflict(ReviewError):
    """A decision made on a state of the flag that is no longer its state: someone decided since."""

    def __init__(self, flag_id: str, current: "Decision | None", message: str):
        super().__init__(message)
        self.flag_id = flag_id
        self.current = current


def conflict_message(current: "Decision | None") -> str:
    if current is None:
        return "this flag's decisions changed since you loaded it"
    did = {"accepted": "accepted", "dismissed": "dismissed", "reopened": "reopened", "note": "wrote a note on"}
    when = current.created_at[:16].replace("T", " ") + " UTC"
    what = f'{current.reviewer} {did.get(current.decision, current.decision)} this flag at {when}'
    return what + (f' ("{current.note}")' if current.note else "") + ", after the state you decided on"


def default_reviewer() -> str:
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # noqa: BLE001 - no login name (containers without a passwd entry)
        return "unknown"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass
class Decision:
    uid: str
    flag_id: str
    decision: str
    reviewer: str
    created_at: str
    note: str | None = None
    kind: str | None = None
    message: str | None = None
    evidence: list[dict] = field(default_factory=list)
    severity: str | None = None
    base_uid: str | None = None
    batch: str | None = None
    undoes: str | None = None
    seq: int | None = None

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("seq")
        return d

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Decision":
        return cls(uid=row["uid"], flag_id=row["flag_id"], decision=row["decision"], note=row["note"],
                   reviewer=row["reviewer"], created_at=row["created_at"], kind=row["kind"],
                   message=row["message"], evidence=json.loads(row["evidence"] or "[]"),
                   severity=row["severity"], base_uid=row["base_uid"], batch=row["batch"],
                   undoes=row["undoes"], seq=row["seq"])

    @classmethod
    def from_json(cls, d: dict) -> "Decision":
        if not isinstance(d, dict) or not d.get("uid") or not d.get("flag_id") \
                or d.get("decision") not in DECISIONS:
            raise ValueError(f"not a review decision: {d!r:.200}")
        return cls(uid=str(d["uid"]), flag_id=str(d["flag_id"]), decision=d["decision"],
                   note=d.get("note"), reviewer=str(d.get("reviewer") or "unknown"),
                   created_at=str(d.get("created_at") or ""), kind=d.get("kind"), message=d.get("message"),
                   evidence=list(d.get("evidence") or []), severity=d.get("severity"),
                   base_uid=d.get("base_uid"), batch=d.get("batch"), undoes=d.get("undoes"))


@dataclass
class FlagReview:
    """Where a flag stands: its latest status decision, its latest note and the whole history."""
    flag_id: str
    status: str                      # accepted | dismissed | open
    decision: Decision | None        # the latest status decision (None: only notes so far)
    note: str | None
    history: list[Decision]

    @property
    def evidence(self) -> list[dict]:
        src = self.decision or (self.history[-1] if self.history else None)
        return src.evidence if src else []

    @property
    def last(self) -> Decision:
        return self.history[-1]


@dataclass
class Reconciled:
    imported: int = 0
    exported: bool = False
    problems: list[str] = field(default_factory=list)


def evidence_texts(evidence: list) -> list[tuple[str, str]]:
    """What a decision was made on, order-free: (doc, text) of each evidence span."""
    out = []
    for e in evidence:
        get = e.get if isinstance(e, dict) else (lambda k, e=e: getattr(e, k, None))
        out.append((str(get("doc")), str(get("text") or "")))
    return sorted(out)


def _flag_fields(flag) -> tuple[str, str | None, str | None, list[dict], str | None]:
    if isinstance(flag, str):
        return flag, None, None, [], None
    get = flag.get if isinstance(flag, dict) else (lambda k: getattr(flag, k, None))
    ev = []
    for e in get("evidence") or []:
        eg = e.get if isinstance(e, dict) else (lambda k, e=e: getattr(e, k, None))
        ev.append({"doc": eg("doc"), "start": eg("start"), "end": eg("end"), "text": eg("text")})
    return get("id"), get("kind"), get("message"), ev, get("severity")


class ReviewStore:
    """Decisions of one output directory. Use as a context manager, or call close()."""

    def __init__(self, out_dir: Path, *, reconcile: bool = True):
        self.out_dir = Path(out_dir)
        self.recovered: str | None = None     # a damaged store was moved aside (db.open_checked)
        try:
            self._open(reconcile)
        except sqlite3.OperationalError:      # locked, busy, disk full: not damage
            raise
        except sqlite3.DatabaseError as e:    # damaged past the schema check: set aside, start again
            try:
                self.conn.close()
            except Exception:  # noqa: BLE001
                pass
            dest = db.move_aside(self.out_dir)
            self.recovered = (f"{db.db_path(self.out_dir)} was damaged ({e}); it was moved to {dest.name} "
                              f"and the decisions are taken back from {EXPORT_NAME}")
            self._open(True)
        if self.recovered:
            self.reconciled.problems.insert(0, self.recovered)

    def _open(self, reconcile: bool) -> None:
        self.conn, recovered = db.open_checked(self.out_dir, full=False)
        self.recovered = self.recovered or recovered
        db.migrate(self.conn, MODULE, SCRIPTS)
        self.conn.executescript(_TRIGGERS)
        self.conn.execute("SELECT count(*) FROM review_decisions").fetchone()
        self.reconciled = self.reconcile() if reconcile or self.recovered else Reconciled()

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, out_dir: Path) -> "ReviewStore":
        return cls(out_dir)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "ReviewStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def export_path(self) -> Path:
        return self.out_dir / EXPORT_NAME

    # ------------------------------------------------------------------ writing
    def record(self, flag, decision: str, *, note: str | None = None, reviewer: str | None = None,
               export: bool = True, base: str | None = None, batch: str | None = None,
               undoes: str | None = None) -> Decision:
        """Append one decision (committed before this returns), then refresh reviews.json.

        `base`: the uid of the flag's latest decision the decider saw ('' for none); when given,
        the decision is refused (Conflict) if the flag has had another decision since."""
        d = self.make(flag, decision, note=note, reviewer=reviewer, base=base, batch=batch, undoes=undoes)
        self._insert([d], check=base is not None)
        if export:
            self._export_after([d])
        return d

    def make(self, flag, decision: str, *, note: str | None = None, reviewer: str | None = None,
             base: str | None = None, batch: str | None = None, undoes: str | None = None) -> Decision:
        """A checked, not yet stored decision."""
        flag_id, kind, message, ev, severity = _flag_fields(flag)
        if not flag_id:
            raise ReviewError("a decision needs a flag id")
        if decision not in DECISIONS:
            raise ReviewError(f"unknown decision {decision!r}: use one of {', '.join(DECISIONS)}")
        note = note.strip() if isinstance(note, str) and note.strip() else None
        if decision == "note" and note is None:
            raise ReviewError("a note decision needs a note")
        return Decision(uid=uuid.uuid4().hex, flag_id=flag_id, decision=decision, note=note,
                        reviewer=(reviewer or "").strip() or default_reviewer(), created_at=now(),
                        kind=kind, message=message, evidence=ev, severity=severity,
                        base_uid=base, batch=batch, undoes=undoes)

    def record_many(self, decisions: list[Decision], *, check: bool = True) -> list[Decision]:
        """Append decisions in one transaction: all of them, or (on a Conflict) none."""
        self._insert(decisions, check=check)
        self._export_after(decisions)
        return decisions

    def _export_after(self, decisions: list[Decision]) -> None:
        """Rewrite reviews.json after saved decisions; a failure there does not unsave them."""
        try:
            self.export()
        except OSError as e:
            raise ExportFailed(decisions[-1], e) from e

    def latest(self, flag_id: str) -> Decision | None:
        row = self.conn.execute("SELECT * FROM review_decisions WHERE flag_id = ? ORDER BY created_at DESC, seq DESC "
                                "LIMIT 1", (flag_id,)).fetchone()
        return Decision.from_row(row) if row else None

    def _insert(self, decisions: list[Decision], check: bool = False) -> None:
        # BEGIN IMMEDIATE: the version check and the INSERTs see no other writer in between (the
        # page and `muster review --accept` may write at the same time)
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for d in decisions:
                if check and d.base_uid is not None:
                    cur = self.latest(d.flag_id)
                    if (cur.uid if cur else "") != d.base_uid:
                        raise Conflict(d.flag_id, cur, conflict_message(cur))
                cur = self.conn.execute(
                    "INSERT INTO review_decisions (uid, flag_id, decision, note, reviewer, created_at, kind, "
                    "message, evidence, severity, base_uid, batch, undoes) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (d.uid, d.flag_id, d.decision, d.note, d.reviewer, d.created_at, d.kind, d.message,
                     json.dumps(d.evidence, ensure_ascii=False), d.severity, d.base_uid, d.batch, d.undoes))
                d.seq = cur.lastrowid
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()

    def export(self) -> Path:
        data = {"format": FORMAT, "version": 1, "exported_at": now(),
                "decisions": [d.to_json() for d in self.decisions()]}
        write_json(self.export_path, data)
        return self.export_path

    # ------------------------------------------------------------------ reconciliation
    def read_export(self) -> tuple[list[Decision], list[str]]:
        """The decisions in reviews.json (an unreadable file is reported, never overwritten blindly)."""
        if not self.export_path.exists():
            return [], []
        try:
            data = json.loads(self.export_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            return [], [f"{self.export_path.name} is unreadable ({e}); it was kept as is"]
        out, problems = [], []
        for item in (data.get("decisions") if isinstance(data, dict) else None) or []:
            try:
                out.append(Decision.from_json(item))
            except ValueError as e:
                problems.append(str(e))
        return out, problems

    def reconcile(self) -> Reconciled:
        result = Reconciled()
        exported, problems = self.read_export()
        result.problems = problems
        if problems and self.export_path.exists():
            # keep the (partly) unreadable file aside before the store's export replaces it
            aside = self.export_path.with_name(f"{EXPORT_NAME}.unreadable-{datetime.now():%Y%m%dT%H%M%S}")
            try:
                self.export_path.replace(aside)
                result.problems.append(f"moved to {aside.name}")
            except OSError:
                return result
        have = {r[0] for r in self.conn.execute("SELECT uid FROM review_decisions")}
        missing = sorted((d for d in exported if d.uid not in have), key=lambda d: d.created_at)
        if missing:
            self._insert(missing)
            result.imported = len(missing)
        in_export = {d.uid for d in exported}
        if not self.export_path.exists() and not have and not missing:
            return result           # nothing decided yet: no file to write
        if have - in_export or not self.export_path.exists() or problems:
            self.export()
            result.exported = True
        return result

    # ------------------------------------------------------------------ reading
    def decisions(self, flag_id: str | None = None) -> list[Decision]:
        if flag_id is None:
            rows = self.conn.execute("SELECT * FROM review_decisions ORDER BY created_at, seq")
        else:
            rows = self.conn.execute("SELECT * FROM review_decisions WHERE flag_id = ? ORDER BY created_at, seq",
                                     (flag_id,))
        return [Decision.from_row(r) for r in rows]

    def reviews(self) -> dict[str, FlagReview]:
        return summarize(self.decisions())


def summarize(decisions: list[Decision]) -> dict[str, FlagReview]:
    """Latest status and note per flag, from decisions in time order."""
    out: dict[str, FlagReview] = {}
    for d in decisions:
        r = out.get(d.flag_id)
        if r is None:
            r = out[d.flag_id] = FlagReview(d.flag_id, "open", None, None, [])
        r.history.append(d)
        if d.decision in STATUS_DECISIONS:
            r.decision = d
            r.status = "open" if d.decision == "reopened" else d.decision
        if d.note:
            r.note = d.note
    return out


def load_reviews(out_dir: Path) -> tuple[dict[str, FlagReview], list[str]]:
    """Reviews for display. Reconciles through the store; if the store cannot be opened (locked,
    read-only directory), falls back to reviews.json alone and says so."""
    try:
        with ReviewStore(out_dir) as store:
            return store.reviews(), store.reconciled.problems
    except (sqlite3.Error, OSError) as e:
        store_problem = f"the review store could not be opened ({e}); decisions shown from {EXPORT_NAME}"
    path = Path(out_dir) / EXPORT_NAME
    decisions = []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data.get("decisions") or []:
            try:
                decisions.append(Decision.from_json(item))
            except ValueError:
                pass
    except (OSError, ValueError, AttributeError):
        pass
    decisions.sort(key=lambda d: d.created_at)
    return summarize(decisions), [store_problem]
