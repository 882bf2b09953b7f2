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
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.lang.detect import detect

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
HTML_SUFFIXES = {".html", ".htm"}
TEXT_SUFFIXES = {".txt", ".md", ".text"} | HTML_SUFFIXES
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
    source_format: str = "text"     # "html": `text` is the text extracted from the markup


def file_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding). Text is decoded with no newline translation and nothing stripped.

    `declared`: the codec the document itself names (an HTML `<meta charset>`), tried
    when the bytes are not UTF-8, before any guess."""
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
        if b"\x00" in data[:8192] and not (declared or "").startswith("utf-16"):
            raise IngestError("binary file: it contains NUL bytes and is not UTF-16 text") from None
        text = None
        if declared and declared != "utf-8":
            try:
                text, encoding = data.decode(declared), declared
            except UnicodeDecodeError:
                text = None
        if text is None:
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


def read_bytes(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes; its size is checked first, so an oversized file is never loaded."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise IngestError(f"cannot read the file: {e.strerror}") from None
    if size > max_bytes:
        raise IngestError(f"file too large: {size:,} bytes, the limit is {max_bytes:,} "
                          f"(raise it with --max-bytes, or split the file)")
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise IngestError(f"cannot read the file: {e.strerror}") from None
    if len(data) > max_bytes:      # it grew since stat
        raise IngestError(f"file too large: more than {max_bytes:,} bytes "
                          f"(raise it with --max-bytes, or split the file)")
    return data


def read(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, data: bytes | None = None) -> SourceText:
    """Read, decode and identify one file; `data` are its bytes when the caller has them already."""
    if data is None:
        data = read_bytes(path, max_bytes=max_bytes)
    elif len(data) > max_bytes:
        raise IngestError(f"file too large: {len(data):,} bytes, the limit is {max_bytes:,} "
                          f"(raise it with --max-bytes, or split the file)")
    source_format = "html" if path.suffix.lower() in HTML_SUFFIXES else "text"
    if source_format == "html":
        text, encoding = decode(data, declared=declared_charset(data))
        text = html_text(text)
        if not text.strip():
            raise IngestError("empty HTML document: no text outside markup, scripts and styles")
    else:
        text, encoding = decode(data)
    found = detect(text)
    if found.lang == "und":
        raise IngestError(f"unsupported language: {found.reason}")
    return SourceText(path.name, str(path), file_id(data), text, encoding, found.lang,
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
