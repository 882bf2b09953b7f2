"""Per-language profiles: normalization, number reading and the spaCy pipeline.

Everything language-specific that is code (not data) lives in one small module per
language; the extractors ask the profile, they never branch on the language code.
"""
from __future__ import annotations

from typing import Iterator, Protocol

from pipeline.lang.reading import Reading
from pipeline.textview import TextView


class LanguageProfile(Protocol):
    code: str            # "en" or "zh": the key of models/lexicon/<code> and models/patterns/<code>
    spacy_lang: str

    def normalize(self, original: str) -> TextView: ...

    def parse_number(self, text: str) -> float | None: ...

    def read_number(self, text: str) -> Reading | None: ...

    def read_range(self, low: str, high: str) -> Reading | None: ...

    def leading_number(self, text: str) -> tuple[int, int, float] | None: ...

    def ratios(self, text: str) -> Iterator[tuple[int, int, float]]: ...

    def segment(self, text: str) -> list[str]: ...

    def make_nlp(self): ...


def get_profile(lang: str) -> LanguageProfile:
    """Profile for a document language ("en", "zh", "zh-Hant", "zh-Hans")."""
    if lang.startswith("zh"):
        from pipeline.lang.zh import PROFILE
    elif lang == "en":
        from pipeline.lang.en import PROFILE
    else:
        raise ValueError(f"no language profile for {lang!r}: muster reads English and Chinese")
    return PROFILE


def data_language(lang: str) -> str:
    """The lexicon folder a document language reads ("zh-Hant" -> "zh"); a text of no known
    language reads the English data."""
    try:
        return get_profile(lang).code
    except ValueError:
        return "en"
