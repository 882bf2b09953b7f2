"""A seeds-like corpus of any size, in both languages, for benchmarks and scale tests.

    python bench/corpus.py N OUT_DIR [--seed S] [--lang en|zh|both]

Each document recombines runs of consecutive sentences of the seed of its language
(`seeds/000_*.txt` English, `seeds/004_*.txt` Chinese) into 3-8 paragraphs, and varies what
the extractors read: numbers (figures scaled, thousands separators kept), unit numbers
(ordinals re-suffixed: 21st -> 47th; 第29集團軍 -> 第13集團軍; 第四 -> 第七), years
(1941-1945), days of the month, month names (one swap per document), and distance units
(km <-> miles, 公里 <-> 里, now and then).  Documents alternate English / Chinese; the same
N and seed always give the same files.
"""
from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {"en": "000_", "zh": "004_"}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
ZH_NUM = "一二三四五六七八九十"

_EN_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z'‘\"“(])")
_ZH_SENT = re.compile(r"(?<=[。！？；])")
_ORDINAL = re.compile(r"\b(\d{1,3})(st|nd|rd|th)\b")
_YEAR = re.compile(r"\b(19[34]\d)\b")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?![\w.,]\d)")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(\s+)(" + "|".join(MONTHS) + r")\b")
_ZH_UNIT = re.compile(r"第(\d{1,3}|[一二三四五六七八九十]{1,3})(?=[^\d，。,]{0,4}(?:軍|师|師|集團|集团|旅|團|团|方面|突擊|突击|坦克|裝甲|装甲|騎兵|骑兵))")
_ZH_DAY = re.compile(r"(\d{1,2})日")


def _sentences(lang: str) -> list[list[str]]:
    """The seed's paragraphs, each a list of sentences."""
    out = []
    for p in sorted((ROOT / "seeds").glob(f"{SEEDS[lang]}*.txt")):
        for para in p.read_text(encoding="utf-8").split("\n"):
            if not para.strip():
                continue
            split = _EN_SENT if lang == "en" else _ZH_SENT
            sents = [s for s in split.split(para.strip()) if s.strip()]
            if sents:
                out.append(sents)
    return out


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _scale(rng: random.Random, s: str) -> str:
    grouped = "," in s
    n = int(s.replace(",", ""))
    if n < 10:
        return s
    f = rng.uniform(0.6, 1.6)
    v = max(1, int(round(n * f, -max(0, len(str(n)) - 3))))
    return f"{v:,}" if grouped else str(v)


def _vary_en(rng: random.Random, text: str) -> str:
    year_shift = rng.choice([-2, -1, 0, 0, 1])
    a, b = rng.sample(MONTHS, 2)

    def year(m):
        return str(min(1945, max(1939, int(m.group(1)) + year_shift)))

    def day(m):
        return f"{rng.randint(1, 28)}{m.group(2)}{m.group(3)}"

    text = _DAY_MONTH.sub(day, text)
    text = _YEAR.sub(year, text)
    text = re.sub(rf"\b({a}|{b})\b", lambda m: b if m.group(1) == a else a, text)
    text = _ORDINAL.sub(lambda m: _ordinal(rng.randint(1, 70)), text)
    if rng.random() < 0.3:
        text = re.sub(r"\b(km|miles)\b", lambda m: "miles" if m.group(1) == "km" else "km", text)

    def number(m):
        s = m.group(1)
        if _YEAR.fullmatch(s) or len(s) <= 2:
            return s
        return _scale(rng, s)

    return _NUMBER.sub(number, text)


def _vary_zh(rng: random.Random, text: str) -> str:
    def unit(m):
        if m.group(1).isdigit():
            return f"第{rng.randint(1, 70)}"
        return f"第{rng.choice(ZH_NUM)}"

    text = _ZH_UNIT.sub(unit, text)
    text = _ZH_DAY.sub(lambda m: f"{rng.randint(1, 28)}日", text)
    text = _YEAR.sub(lambda m: str(rng.randint(1941, 1944)), text)
    if rng.random() < 0.3:
        text = re.sub(r"公里|(?<!公)里(?=[路,，。])", lambda m: "里" if m.group() == "公里" else "公里", text)

    def number(m):
        s = m.group(1)
        if _YEAR.fullmatch(s) or len(s) <= 2:
            return s
        return _scale(rng, s)

    return _NUMBER.sub(number, text)


def document(lang: str, rng: random.Random, paragraphs: list[list[str]]) -> str:
    """One document: 3-8 paragraphs of 2-7 sentences, each a run of consecutive seed sentences, varied."""
    flat = [s for p in paragraphs for s in p]
    out = []
    for _ in range(rng.randint(3, 8)):
        n = rng.randint(2, 7) * (1 if lang == "en" else 3)   # Chinese sentences are shorter
        start = rng.randrange(0, max(1, len(flat) - n))
        sep = " " if lang == "en" else ""
        out.append(sep.join(flat[start:start + n]))
    text = "\n".join(out) + "\n"
    return _vary_en(rng, text) if lang == "en" else _vary_zh(rng, text)


def generate(n: int, out_dir: Path, *, seed: int = 0, langs: tuple[str, ...] = ("en", "zh")) -> list[Path]:
    """Write n documents to out_dir (created); returns their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    source = {lang: _sentences(lang) for lang in langs}
    paths = []
    for i in range(n):
        lang = langs[i % len(langs)]
        rng = random.Random(f"{seed}:{i}")
        p = out_dir / f"gen_{i:06d}_{lang}.txt"
        p.write_text(document(lang, rng, source[lang]), encoding="utf-8")
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lang", choices=["en", "zh", "both"], default="both")
    a = ap.parse_args()
    langs = ("en", "zh") if a.lang == "both" else (a.lang,)
    paths = generate(a.n, a.out, seed=a.seed, langs=langs)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    print(f"wrote {len(paths)} documents, {chars:,} characters, to {a.out}")


if __name__ == "__main__":
    main()
