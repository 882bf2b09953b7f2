"""Writing output files atomically (temp file + rename): a crash never leaves half a file."""
from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel


def write_text(path: Path, text: str) -> None:
    """Write `text` atomically: a temp file beside `path`, fsynced, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_json(path: Path, data) -> None:
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def keep_previous(path: Path) -> Path | None:
    """Move an existing good result aside before an error record takes its name."""
    if not path.exists():
        return None
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if old.get("doc", {}).get("status") != "ok":
        return None
    history = path.parent / ".history"
    history.mkdir(exist_ok=True)
    dest = history / f"{path.stem}.{time.strftime('%Y%m%dT%H%M%S')}.json"
    os.replace(path, dest)
    return dest
