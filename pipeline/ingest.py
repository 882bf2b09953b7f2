"""Reading a file: bytes -> text (encoding detected), language, stable id.

A file that cannot be read becomes an `IngestError` with a message a person
understands; the batch records it and goes on.
"""
from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.lang.detect import detect

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".text"}
# Encodings Chinese and English sources really come in; anything else charset-normalizer
# proposes for a non-UTF-8 file is treated as a guess we will not act on.
_TRUSTED_GUESSES = {"big5", "big5hkscs", "cp950", "gb18030", "gbk", "gb2312", "utf_16", "utf_16_le",
                    "utf_16_be", "cp1252", "latin_1", "iso8859_15"}


class IngestError(Exception):
    """The file cannot be turned into a document; the message says why."""


@dataclass
class SourceText:
    name: str
    path: str
    id: str
    text: str
    encoding: str
    lang: str
    scripts: dict[str, int] = field(default_factory=dict)
    mixed: bool = False


def file_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). Text is decoded with no newline translation and nothing stripped."""
    if not data:
        raise IngestError("empty file: it has no bytes")
    if data.startswith(codecs.BOM_UTF8):
        # The BOM stays in the text, as a plain UTF-8 read gives it: offsets agree with any reader.
        return _strict(data, "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16"
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as e:
        if b"\x00" in data[:8192]:
            raise IngestError("binary file: it contains NUL bytes and is not UTF-16 text") from None
        text, encoding = _guess(data, e)
    if "\x00" in text[:8192]:
        raise IngestError("binary file: it contains NUL characters")
    if not text.strip():
        raise IngestError("empty file: it contains only white space")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    if controls > 0.01 * min(len(text), 65536):
        raise IngestError(f"binary file: {controls} control characters in the first 64 KiB")
    return text, encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise IngestError(f"invalid {encoding}: undecodable bytes at offset {e.start}") from None


def _guess(data: bytes, err: UnicodeDecodeError) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding not in _TRUSTED_GUESSES:
        guess = f" (closest guess: {best.encoding})" if best is not None else ""
        raise IngestError(f"cannot decode: not valid UTF-8 (bad byte at offset {err.start}) and no "
                          f"supported encoding fits{guess}") from None
    try:
        return data.decode(best.encoding), best.encoding
    except UnicodeDecodeError as e:
        raise IngestError(f"cannot decode as {best.encoding} either (bad byte at offset {e.start})") from None


def read(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise IngestError(f"cannot read the file: {e.strerror}") from None
    if size > max_bytes:
        raise IngestError(f"file too large: {size:,} bytes, the limit is {max_bytes:,} "
                          f"(raise it with --max-bytes, or split the file)")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(f"cannot read the file: {e.strerror}") from None
    text, encoding = decode(data)
    found = detect(text)
    if found.lang == "und":
        raise IngestError(f"unsupported language: {found.reason}")
    return SourceText(path.name, str(path), file_id(data), text, encoding, found.lang,
                      found.scripts, found.mixed)


def expand_inputs(inputs: list[str]) -> list[Path]:
    """Files, directories (recursive, text files) and globs, in a stable order, each once."""
    import glob

    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in TEXT_SUFFIXES
                              and not any(part.startswith(".") for part in q.relative_to(p).parts)))
        elif p.exists():
            out.append(p)
        else:
            matches = sorted(Path(m) for m in glob.glob(item, recursive=True))
            if not matches:
                raise FileNotFoundError(f"no such file, directory or glob match: {item}")
            out.extend(m for m in matches if m.is_file())
    seen, unique = set(), []
    for p in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique
