"""Language and script of a document: "en", "zh-Hant", "zh-Hans" or "und".

Per document, from character counts on a sample (at most `SAMPLE_CHARS`
characters in `SAMPLE_WINDOWS` windows spread over the text, so a 20 MB string
costs the same as a 20 kB one):

1. **Scripts.**  Latin letters, Han characters, kana, Hangul, Cyrillic, other letters.
   - no letter at all -> "und" ("no letters");
   - kana >= 20 % of Han + kana -> "und" (Japanese); Hangul, Cyrillic or other
     letters outweighing Latin + Han -> "und";
   - otherwise Chinese when `HAN_WEIGHT` * Han >= Latin letters (one Han character
     carries about as much text as three Latin letters, so a Chinese text that
     cites Latin names stays Chinese), else Latin;
   - Latin text is English unless it is clearly another Latin-script language:
     at least 30 words, and the function words of German/French/Spanish/Italian
     are at least 5 and more than twice the English ones -> "und".
2. **Traditional or Simplified.**  Han characters that OpenCC `t2s` always changes
   (Traditional-only: keys of OpenCC's TSCharacters table that are not among
   their own candidates, e.g. 軍 -> 军) against characters that `s2t` always
   changes (Simplified-only, STCharacters, e.g. 军 -> 軍).  Characters that are
   valid in both scripts are ignored: 里 (s2t: 裏 or 里), 后, 干, 余, 台, 乾, 於 ...  More Traditional-only -> zh-Hant, more Simplified-only -> zh-Hans; a
   tie (e.g. none, as in "3月21日") -> zh-Hant, the corpus' usual script, with the
   reason saying so.
3. **Mixed.**  The sample is cut into paragraphs (lines); a paragraph is in the
   *other* language when it has at least `MIXED_MIN_LATIN` Latin letters and its
   own script decision (same rule as above) differs from the document's (or at
   least `MIXED_MIN_HAN` Han characters in an English document).  `mixed` is
   true when such paragraphs hold at least `MIXED_MIN_SHARE` (2 %) of the
   sample's letters: a single English sentence-long paragraph in a Chinese
   article counts, a Latin name in brackets does not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

SAMPLE_CHARS = 20_000
SAMPLE_WINDOWS = 10
HAN_WEIGHT = 3
MIXED_MIN_LATIN = 40
MIXED_MIN_HAN = 15
MIXED_MIN_SHARE = 0.02

_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_KANA = re.compile(r"[\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"[A-Za-z]+")

_EN_FUNCTION = frozenset("the of and to in a was is were that for on with by as at from his their it "
                         "which had this be an or are".split())
_OTHER_FUNCTION = frozenset("der die das und nicht mit ist den dem des von zu auf eine "
                            "le la les et est une du dans pour qui sur pas "
                            "el los las y es por con una del para que "
                            "il di che della è gli sono".split())


@dataclass(frozen=True)
class DetectResult:
    lang: Literal["en", "zh-Hant", "zh-Hans", "und"]
    scripts: dict[str, int] = field(default_factory=dict)
    mixed: bool = False
    reason: str = ""


@lru_cache(maxsize=1)
def _variant_tables() -> tuple[frozenset, frozenset]:
    """(Traditional-only, Simplified-only) characters from OpenCC's character tables."""
    import opencc

    base = Path(opencc.__file__).resolve().parent / "dictionary"

    def changed(name: str) -> set[str]:
        out = set()
        with open(base / name, encoding="utf-8") as f:
            for line in f:
                k, _, v = line.rstrip("\n").partition("\t")
                if len(k) == 1 and k not in v.split(" "):
                    out.add(k)
        return out

    trad, simp = changed("TSCharacters.txt"), changed("STCharacters.txt")
    both = trad & simp
    return frozenset(trad - both), frozenset(simp - both)


def han_variants(text: str) -> tuple[int, int]:
    """(Traditional-only, Simplified-only) character counts in (a sample of) `text`."""
    trad, simp = _variant_tables()
    s = sample(text)
    return sum(1 for ch in s if ch in trad), sum(1 for ch in s if ch in simp)


def sample(text: str, limit: int = SAMPLE_CHARS, windows: int = SAMPLE_WINDOWS) -> str:
    """The text itself when short, else `windows` slices spread evenly, cut at line starts."""
    n = len(text)
    if n <= limit:
        return text
    size = limit // windows
    parts = []
    for k in range(windows):
        start = (n - size) * k // max(windows - 1, 1)
        nl = text.find("\n", start, start + size // 2)
        if nl != -1:
            start = nl + 1
        parts.append(text[start:start + size])
    return "\n".join(parts)


def _counts(s: str) -> dict[str, int]:
    latin = len(_LATIN.findall(s))
    han = len(_HAN.findall(s))
    kana = len(_KANA.findall(s))
    hangul = len(_HANGUL.findall(s))
    cyr = len(_CYRILLIC.findall(s))
    letters = sum(1 for ch in s if ch.isalpha())
    other = max(letters - latin - han - kana - hangul - cyr, 0)
    return {"latin": latin, "han": han, "kana": kana, "hangul": hangul, "cyrillic": cyr,
            "other": other}


def _script_lang(c: dict[str, int]) -> str | None:
    """'zh', 'latin', or None (no letters / another script)."""
    if c["latin"] + c["han"] + c["kana"] + c["hangul"] + c["cyrillic"] + c["other"] == 0:
        return None
    if c["han"] * HAN_WEIGHT >= c["latin"] and c["han"] > 0:
        return "zh"
    return "latin" if c["latin"] > 0 else None


def detect(text: str) -> DetectResult:
    s = sample(text)
    c = _counts(s)
    trad_only, simp_only = _variant_tables()
    c["han_trad"] = sum(1 for ch in s if ch in trad_only)
    c["han_simp"] = sum(1 for ch in s if ch in simp_only)
    letters = c["latin"] + c["han"] + c["kana"] + c["hangul"] + c["cyrillic"] + c["other"]
    if letters == 0:
        return DetectResult("und", c, False, "no letters")
    if c["kana"] and c["kana"] >= 0.2 * (c["han"] + c["kana"]):
        return DetectResult("und", c, False, f"Japanese: {c['kana']} kana beside {c['han']} Han")
    foreign = c["kana"] + c["hangul"] + c["cyrillic"] + c["other"]
    if foreign > c["latin"] + c["han"]:
        main = max(("hangul", "cyrillic", "other", "kana"), key=lambda k: c[k])
        return DetectResult("und", c, False, f"mostly {main} letters ({c[main]} of {letters})")
    kind = _script_lang(c)
    if kind == "zh":
        if c["han_trad"] > c["han_simp"]:
            lang, why = "zh-Hant", f"Han text, {c['han_trad']} Traditional-only vs {c['han_simp']} Simplified-only"
        elif c["han_simp"] > c["han_trad"]:
            lang, why = "zh-Hans", f"Han text, {c['han_simp']} Simplified-only vs {c['han_trad']} Traditional-only"
        else:
            lang, why = "zh-Hant", (f"Han text with no Traditional/Simplified evidence "
                                    f"({c['han_trad']} each); Traditional by default")
    else:
        words = [w.lower() for w in _WORD.findall(s)]
        en = sum(1 for w in words if w in _EN_FUNCTION)
        other = sum(1 for w in words if w in _OTHER_FUNCTION)
        if len(words) >= 30 and other >= 5 and other > 2 * en:
            return DetectResult("und", c, False,
                                f"Latin script but not English ({other} foreign vs {en} English function words)")
        lang, why = "en", f"Latin text ({c['latin']} letters, {c['han']} Han)"
    mixed, share = _mixed(s, "zh" if lang.startswith("zh") else "latin", letters)
    if mixed:
        why += f"; mixed: {share:.0%} of the letters in paragraphs of the other language"
    return DetectResult(lang, c, mixed, why)


def _mixed(s: str, kind: str, letters: int) -> tuple[bool, float]:
    other_letters = 0
    for para in s.split("\n"):
        if not para.strip():
            continue
        c = _counts(para)
        if kind == "zh":
            if c["latin"] >= MIXED_MIN_LATIN and _script_lang(c) == "latin":
                other_letters += c["latin"] + c["han"]
        elif c["han"] >= MIXED_MIN_HAN and _script_lang(c) == "zh":
            other_letters += c["latin"] + c["han"]
    share = other_letters / letters if letters else 0.0
    return share >= MIXED_MIN_SHARE and other_letters > 0, share
