"""Loads lexicons, patterns and the knowledge base from `models/` (data, not code)."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


class ResourceError(ValueError):
    """A file under models/ is missing or malformed."""


def models_path(*parts: str) -> Path:
    return MODELS_DIR.joinpath(*parts)


@lru_cache(maxsize=None)
def load_json(relpath: str) -> Any:
    path = models_path(relpath)
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise ResourceError(f"missing resource file models/{relpath}") from None
    except json.JSONDecodeError as e:
        raise ResourceError(f"models/{relpath}: invalid JSON at line {e.lineno}: {e.msg}") from None


@lru_cache(maxsize=None)
def load_jsonl(relpath: str) -> tuple[dict, ...]:
    path = models_path(relpath)
    rows = []
    try:
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith("//"):
                    continue
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise ResourceError(f"models/{relpath}:{lineno}: invalid JSON: {e.msg}") from None
    except FileNotFoundError:
        raise ResourceError(f"missing resource file models/{relpath}") from None
    return tuple(rows)


def lexicon(lang: str, name: str) -> Any:
    """`models/lexicon/<lang>/<name>.json`."""
    return load_json(f"lexicon/{lang}/{name}.json")


def optional_lexicon(lang: str, name: str, default=None):
    """A lexicon a language may not need (e.g. Roman numerals); `default` ({} ) when absent."""
    if not models_path("lexicon", lang, f"{name}.json").exists():
        return {} if default is None else default
    return lexicon(lang, name)


def patterns(lang: str, name: str) -> tuple[dict, ...]:
    """`models/patterns/<lang>/<name>.jsonl`."""
    return load_jsonl(f"patterns/{lang}/{name}.jsonl")


@lru_cache(maxsize=None)
def models_fingerprint() -> str:
    """Hash of every data file under models/: part of a result's provenance."""
    h = hashlib.sha256()
    for p in sorted(MODELS_DIR.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(MODELS_DIR)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]
