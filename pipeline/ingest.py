"""Reading a file: bytes -> text (encoding detected), language, stable id.

A file that cannot be read becomes an `IngestError` with a message a person
understands; the batch records it and goes on.

`.html`/`.htm` files are decoded the same way (a `<meta charset>` is honoured when the
bytes are not UTF-8) and their text is extracted with selectolax (`html_text`): offsets
of such a document index that extracted text, which the batch saves next to the outputs
(`doc.source_format: "html"`, `doc.text_path`).
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import Code, MusterError
from pipeline.lang.detect import detect

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
HTML_SUFFIXES = {".html", ".htm"}
TEXT_SUFFIXES = {".txt", ".md", ".text"} | HTML_SUFFIXES
# Encodings Chinese and English sources really come in; anything else charset-normalizer
# proposes for a non-UTF-8 file is treated as a guess we will not act on.
_TRUSTED_GUESSES = {"big5", "big5hkscs", "cp950", "gb18030", "gbk", "gb2312", "utf_16", "utf_16_le",
                    "utf_16_be", "cp1252", "latin_1", "iso8859_15"}


class IngestError(MusterError):
    """The file cannot be turned into a document: `code` (pipeline/errors.py), and the message says why."""


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
    source_format: str = "text"     # "html": `text` is the text extracted from the markup


# --- file names ------------------------------------------------------------------------------
# A file name that is not valid UTF-8 reaches Python with its bad bytes as lone surrogates
# (surrogateescape); SQLite and UTF-8 JSON cannot hold those.  Such a name is written with each
# bad byte as `\xHH` and each backslash doubled, which reads back to the same bytes
# (`fs_name`); a valid name is left exactly as it is.

_ESCAPED = re.compile(r"\\(\\|x[0-9a-fA-F]{2})")


def has_undecodable(s: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in s)


def safe_name(s: str) -> str:
    """`s` with undecodable bytes as `\\xHH` (backslashes doubled), when it has any."""
    if not has_undecodable(s):
        return s
    s = s.replace("\\", "\\\\")
    return "".join(f"\\x{ord(ch) - 0xDC00:02x}" if "\udc80" <= ch <= "\udcff" else ch for ch in s)


def fs_name(safe: str) -> str:
    """The inverse of `safe_name` (bytes back as surrogate escapes) for a name with escapes."""
    def back(m):
        g = m.group(1)
        return "\\" if g == "\\" else chr(0xDC00 + int(g[1:], 16))
    return _ESCAPED.sub(back, safe)


def doc_name(path: Path) -> str:
    """The document name of an input file: its file name, readable and storable."""
    return safe_name(path.name)


def doc_path(path: Path) -> str:
    return safe_name(str(path))


def file_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding). Text is decoded with no newline translation and nothing stripped.

    `declared`: the codec the document itself names (an HTML `<meta charset>`), tried
    when the bytes are not UTF-8, before any guess."""
    if not data:
        raise IngestError(Code.INGEST_EMPTY, what="file", detail="it has no bytes")
    if data.startswith(codecs.BOM_UTF8):
        # The BOM stays in the text, as a plain UTF-8 read gives it: offsets agree with any reader.
        return _strict(data, "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16"
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
        if "\x00" in text[:8192]:
            utf16 = _utf16_by_nuls(data)
            if utf16 is not None:
                text, encoding = utf16
    except UnicodeDecodeError as e:
        text = None
        utf16 = _utf16_by_nuls(data) if b"\x00" in data[:8192] else None
        if utf16 is not None:
            text, encoding = utf16
        elif b"\x00" in data[:8192] and not (declared or "").startswith("utf-16"):
            raise IngestError(Code.INGEST_BINARY, detail="it contains NUL bytes and is not UTF-16 text") from None
        if text is None and declared and declared != "utf-8":
            text = _round_trip(data, declared)
            encoding = declared
        if text is None:
            text, encoding = _guess(data, e)
    if "\x00" in text[:8192]:
        raise IngestError(Code.INGEST_BINARY, detail="it contains NUL characters")
    if not text.strip():
        raise IngestError(Code.INGEST_EMPTY, what="file", detail="it contains only white space")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    if controls > 0.01 * min(len(text), 65536):
        raise IngestError(Code.INGEST_BINARY, detail=f"{controls} control characters in the first 64 KiB")
    return text, encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise IngestError(Code.INGEST_DECODE, detail=f"invalid {encoding}: undecodable bytes at offset {e.start}") from None


def _round_trip(data: bytes, encoding: str) -> str | None:
    """`data` decoded as `encoding`, when that decodes every byte and encodes back to the same bytes."""
    try:
        text = data.decode(encoding)
        return text if text.encode(encoding) == data else None
    except (UnicodeError, LookupError):
        return None


def _utf16_by_nuls(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte order mark: Latin text in UTF-16 has a NUL in every other byte, on the
    odd positions for little-endian, the even ones for big-endian, and almost none on the other."""
    head = data[:8192]
    if len(data) % 2 or len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    pairs = len(head) // 2
    for nuls, other, enc in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls >= 0.2 * pairs and other <= 0.02 * pairs:
            text = _round_trip(data, enc)
            if text is not None and "\x00" not in text:
                return text, enc
    return None


# Western single-byte encodings tried when nothing better fits, for text that is mostly ASCII
# (English with a few accented letters, curly quotes, dashes): cp1252 first (what Windows writes;
# a superset of Latin-1's printable range), then Latin-1 without C1 control characters.
_WESTERN = ("cp1252", "latin_1")


def _guess(data: bytes, err: UnicodeDecodeError) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    results = from_bytes(data[:1_000_000])
    best = results.best()
    tried = []
    for match in ([best] if best is not None else []) + [m for m in results if m is not best]:
        if match.encoding in _TRUSTED_GUESSES and match.encoding not in tried:
            tried.append(match.encoding)
            text = _round_trip(data, match.encoding)
            if text is not None:
                return text, match.encoding
    high = sum(1 for b in data[:65536] if b >= 0x80)
    if high <= 0.1 * min(len(data), 65536):
        for enc in _WESTERN:
            text = _round_trip(data, enc)
            if text is not None and not any("\x80" <= ch <= "\x9f" for ch in text):
                return text, enc
    guess = f" (closest guess: {best.encoding})" if best is not None else ""
    raise IngestError(Code.INGEST_DECODE, detail=f"cannot decode: not valid UTF-8 (bad byte at offset {err.start}) and no "
                      f"supported encoding fits{guess}") from None


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def _kind(mode: int) -> str:
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def _cannot_read(path: Path, e: OSError) -> IngestError:
    if e.errno == errno.ELOOP:
        return IngestError(Code.INGEST_UNREADABLE, reason="a symbolic link loop (the link leads back to itself)")
    if e.errno == errno.ENOENT and path.is_symlink():
        try:
            target = safe_name(os.readlink(path))
        except OSError:
            target = "?"
        return IngestError(Code.INGEST_UNREADABLE, reason=f"a broken symbolic link (its target {target} does not exist)")
    return IngestError(Code.INGEST_UNREADABLE, reason=str(e.strerror))


def read_bytes(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes; its size is checked first, so an oversized file is never loaded.  Only a
    regular file is read (a FIFO would block the batch, a device never end): it is opened without
    blocking and checked on the open descriptor."""
    try:
        st = path.stat()
    except OSError as e:
        raise _cannot_read(path, e) from None
    if not stat.S_ISREG(st.st_mode):
        raise IngestError(Code.INGEST_NOT_REGULAR, kind=_kind(st.st_mode))
    if st.st_size > max_bytes:
        raise IngestError(Code.INGEST_TOO_LARGE, detail=f"{st.st_size:,} bytes, the limit is {max_bytes:,}")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise _cannot_read(path, e) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):          # replaced between stat and open
            raise IngestError(Code.INGEST_NOT_REGULAR, kind=_kind(mode))
        with os.fdopen(fd, "rb") as f:
            fd = None
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise _cannot_read(path, e) from None
    finally:
        if fd is not None:
            os.close(fd)
    if len(data) > max_bytes:      # it grew since stat
        raise IngestError(Code.INGEST_TOO_LARGE, detail=f"more than {max_bytes:,} bytes")
    return data


def read(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, data: bytes | None = None) -> SourceText:
    """Read, decode and identify one file; `data` are its bytes when the caller has them already."""
    if data is None:
        data = read_bytes(path, max_bytes=max_bytes)
    elif len(data) > max_bytes:
        raise IngestError(Code.INGEST_TOO_LARGE, detail=f"{len(data):,} bytes, the limit is {max_bytes:,}")
    source_format = "html" if path.suffix.lower() in HTML_SUFFIXES else "text"
    if source_format == "html":
        text, encoding = decode(data, declared=declared_charset(data))
        text = html_text(text)
        if not text.strip():
            raise IngestError(Code.INGEST_EMPTY, what="HTML document", detail="no text outside markup, scripts and styles")
    else:
        text, encoding = decode(data)
    found = detect(text)
    if found.lang == "und":
        raise IngestError(Code.INGEST_LANGUAGE, reason=found.reason)
    return SourceText(doc_name(path), doc_path(path), file_id(data), text, encoding, found.lang,
                      found.scripts, found.mixed, source_format)


# ---------------------------------------------------------------------------------------------
# HTML

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# What a page declares, mapped to the codec we trust for it (WHATWG: big5 means Big5-HKSCS,
# gb2312 and gbk mean GB18030).
_DECLARED = {"utf-8": "utf-8", "utf8": "utf-8", "big5": "big5hkscs", "big5-hkscs": "big5hkscs",
             "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
             "windows-1252": "cp1252", "iso-8859-1": "cp1252", "us-ascii": "cp1252",
             "utf-16": "utf-16", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be"}


def declared_charset(data: bytes) -> str | None:
    """The codec a `<meta charset>` / `http-equiv` in the first 4 KiB names, when we know it."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    return _DECLARED.get(m.group(1).decode("ascii", "replace").lower())


_SKIP = frozenset({"head", "script", "style", "noscript", "template", "iframe", "object", "embed",
                   "svg", "math", "canvas", "select", "button", "-comment", "-doctype"})
_BLOCK = frozenset({"address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
                    "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
                    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
                    "html", "legend", "li", "listing", "main", "menu", "nav", "ol", "p", "plaintext",
                    "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "xmp"})
_CELL = frozenset({"td", "th"})
_PRE = frozenset({"pre", "textarea", "listing", "plaintext", "xmp"})
_SPACES = re.compile(r"[ \t\n\r\f]+")


class _TextBuilder:
    """Text as a browser lays it out, in plain lines: blocks on their own line, white space
    collapsed outside <pre>, a tab between table cells."""

    def __init__(self):
        self.parts: list[str] = []
        self.line_empty = True
        self.sep = ""             # "" | " " | "\t": what goes before the next inline text
        self.brk = False          # a block boundary is pending

    def _lead(self):
        if self.brk:
            self.parts.append("\n")
            self.line_empty, self.brk, self.sep = True, False, ""
        elif self.sep and not self.line_empty:
            self.parts.append(self.sep)
        self.sep = ""

    def text(self, s: str, pre: bool):
        if pre:
            if not s:
                return
            self._lead()
            self.parts.append(s)
            self.line_empty = s.endswith("\n")
            return
        s = _SPACES.sub(" ", s)
        core = s.strip(" ")
        if not core:
            if s and not self.line_empty and not self.sep:
                self.sep = " "
            return
        if s.startswith(" ") and not self.sep:
            self.sep = " "
        self._lead()
        self.parts.append(core)
        self.line_empty = False
        self.sep = " " if s.endswith(" ") else ""

    def block(self):
        if not self.line_empty:
            self.brk = True
        self.sep = ""

    def cell(self):
        if not self.line_empty:
            self.sep = "\t"

    def line_break(self):
        self.parts.append("\n")
        self.line_empty, self.brk, self.sep = True, False, ""

    def result(self) -> str:
        out = "".join(self.parts)
        return out + "\n" if out and not out.endswith("\n") else out


def html_text(markup: str) -> str:
    """The readable text of an HTML document (selectolax / Lexbor, the WHATWG parsing algorithm)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    root = tree.root
    out = _TextBuilder()
    if root is None:
        return ""
    stack: list[tuple[object, bool]] = [(root, True)]    # (node, entering); iterative: deep DOMs are fine
    pre_depth = 0
    while stack:
        node, entering = stack.pop()
        tag = node.tag
        if not entering:
            if tag in _BLOCK:
                out.block()
            elif tag in _CELL:
                out.cell()
            if tag in _PRE:
                pre_depth -= 1
            continue
        if tag == "-text":
            out.text(node.text_content or "", pre_depth > 0)
            continue
        if tag in _SKIP or tag.startswith("-"):
            continue
        if tag == "br":
            out.line_break()
            continue
        if tag in _BLOCK:
            out.block()
        if tag in _PRE:
            pre_depth += 1
        stack.append((node, False))
        children = list(node.iter(include_text=True))
        stack.extend((c, True) for c in reversed(children))
    return out.result()


def _not_dir(p: Path) -> bool:
    try:
        return not p.is_dir()
    except OSError:
        return True


def expand_inputs(inputs: list[str]) -> list[Path]:
    """Files, directories (recursive, text files) and globs, in a stable order, each once."""
    import glob

    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            # every entry with a text suffix that is not a directory: a FIFO, a device, a broken or
            # looping link gets an error record instead of vanishing
            out.extend(sorted(q for q in p.rglob("*") if q.suffix.lower() in TEXT_SUFFIXES and _not_dir(q)
                              and not any(part.startswith(".") for part in q.relative_to(p).parts)))
        elif p.exists() or p.is_symlink():
            out.append(p)
        else:
            matches = sorted(Path(m) for m in glob.glob(item, recursive=True))
            if not matches:
                raise FileNotFoundError(f"no such file, directory or glob match: {safe_name(item)}")
            out.extend(m for m in matches if _not_dir(m))
    seen, unique = set(), []
    for p in out:
        try:
            key = p.resolve()
        except (OSError, RuntimeError):     # a symbolic link loop
            key = p.absolute()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique
