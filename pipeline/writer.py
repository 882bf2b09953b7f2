"""Writing output files atomically (temp file + rename): a crash never leaves half a file."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Iterable, Iterator

from pydantic import BaseModel


def _write_atomically(path: Path, blocks: Iterable[bytes]) -> str:
    """Write the blocks to a temp file beside `path`, fsync it, rename it over `path`; returns
    the sha256 of the bytes written (the store keeps it to notice a damaged file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as f:
            for block in blocks:
                f.write(block)
                h.update(block)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        return h.hexdigest()
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text(path: Path, text: str) -> str:
    """Write `text` atomically (UTF-8); returns the sha256 of its bytes."""
    return _write_atomically(path, [text.encode("utf-8")])


_ENCODER = json.JSONEncoder(ensure_ascii=False, indent=1)


def _json_blocks(data) -> Iterator[bytes]:
    buf: list[str] = []
    size = 0
    for chunk in _ENCODER.iterencode(data):
        buf.append(chunk)
        size += len(chunk)
        if size > 1 << 18:
            yield "".join(buf).encode("utf-8")
            buf, size = [], 0
    yield ("".join(buf) + "\n").encode("utf-8")


class _Dumped(list):
    """A list of models the JSON encoder dumps one at a time (its pure-Python list encoder, used
    with `indent`, only iterates): a long document's mentions are never all dicts at once."""

    def __init__(self, models: list):
        super().__init__()
        self._models = models

    def __iter__(self):
        return (m.model_dump(mode="json") for m in self._models)

    def __len__(self) -> int:
        return len(self._models)

    def __bool__(self) -> bool:
        return bool(self._models)


def _lazy_dump(model: BaseModel) -> dict:
    """`model.model_dump(mode="json")`, with its long lists of models dumped as they are written."""
    lazy = {name for name in type(model).model_fields
            if isinstance(v := getattr(model, name), list) and len(v) > 256
            and all(isinstance(x, BaseModel) for x in v)}
    if not lazy:
        return model.model_dump(mode="json")
    dumped = model.model_dump(mode="json", exclude=lazy)
    return {name: _Dumped(getattr(model, name)) if name in lazy else dumped[name]
            for name in type(model).model_fields if name in lazy or name in dumped}


def write_json(path: Path, data) -> str:
    """Write JSON atomically (the bytes of `json.dumps(data, ensure_ascii=False, indent=1)` and a
    newline), streamed: a large record is never one string, nor all its items dicts, in memory.
    Returns the sha256."""
    if isinstance(data, BaseModel):
        data = _lazy_dump(data)
    return _write_atomically(path, _json_blocks(data))


def file_sha256(path: Path) -> str | None:
    """The sha256 of a file's bytes, None when it cannot be read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def _history_path(path: Path) -> Path:
    history = path.parent / ".history"
    history.mkdir(exist_ok=True)
    return history / f"{path.stem}.{time.strftime('%Y%m%dT%H%M%S')}.json"


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
    dest = _history_path(path)
    os.replace(path, dest)
    return dest


def keep_copy(path: Path) -> Path | None:
    """A copy of an existing result in `.history/` before another file's record replaces it."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    dest = _history_path(path)
    write_text(dest, data.decode("utf-8", "replace"))
    return dest
