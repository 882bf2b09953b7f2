"""Chinese (Traditional and Simplified): normalization, numerals and the spaCy pipeline.

Normalization (`normalize`) makes one matching copy of a document in two steps,
each recorded in the `TextView` offset map:

1. **Character folding.**  Every character goes through NFKC, after a small fold
   table.  Full-width ASCII becomes ASCII (１９４３ -> 1943, ，-> ",", （）-> "()",
   ：-> ":", ～-> "~", －-> "-"), the ideographic space becomes a space, CJK
   compatibility ideographs and Kangxi radicals become the unified ideographs,
   ㎞ becomes "km".  Decided on purpose:
   - the Chinese punctuation that carries meaning for patterns is *kept*: 。 (sentence
     end), 、 (enumeration comma: "第31、33集团军" lists, never a thousands
     separator), 「」『』《》〈〉 and “ ” (quotations and titles), 〇 (a numeral).
     NFKC does not touch them.  Only the full-width *ASCII look-alikes* fold,
     so a pattern writes "," for both "," and "，" and "、" stays distinct;
   - every dash (‐‑‒–—―−﹣－) becomes "-" and every wave dash (〜～) becomes "~",
     the two range marks of the patterns;
   - the name separators ‧ • ・ ･ become "·" (U+00B7), the one interpunct the
     segmenter joins names on.

2. **Traditional -> Simplified** with OpenCC `t2s` (opencc-python-reimplemented),
   so one set of Simplified patterns and one jieba dictionary serve both scripts.
   Names that OpenCC converts wrongly are protected first by
   `models/lexicon/zh/opencc_exceptions.json` (Traditional string -> the exact
   Simplified text to use).  The text is converted clause by clause; a clause
   whose length changes is aligned with `difflib` so that every converted
   character still maps to the original characters it came from.  A document
   that is already Simplified (more characters that `s2t` would change than
   characters that `t2s` would change, see `pipeline.lang.detect`) is not passed
   through OpenCC at all: Simplified input stays exactly as it is (t2s would
   otherwise rewrite legitimate Simplified forms such as 乾 in 乾安).

Numbers: `parse_number` reads one exact number (Arabic, Chinese, mixed 3万);
`parse_number_range` reads the approximate and range forms (十余, 数百, 三四十,
上千, 30至40) as (low, high, approx).

The segmenter is jieba (through spaCy's ChineseTokenizer) with HMM off, its cache
in `<repo>/.cache/jieba/` and the user dictionary `models/jieba/userdict.txt`;
see `make_nlp`.
"""
from __future__ import annotations

import difflib
import logging
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from pipeline import resources
from pipeline.lang.reading import Reading
from pipeline.textview import TextView, char_segments

code = "zh"
spacy_lang = "zh"

REPO_DIR = Path(__file__).resolve().parents[2]

# --------------------------------------------------------------------------- folding
_FOLD = {
    # dashes -> "-"
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-", "\u2500": "-", "\u2501": "-",
    # wave dashes -> "~"
    "\u301c": "~", "\uff5e": "~",
    # name separators -> U+00B7
    "\u2027": "\u00b7", "\u2022": "\u00b7", "\u30fb": "\u00b7", "\uff65": "\u00b7", "\u2219": "\u00b7",
    # spaces, BOM and zero-width
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u200b": " ", "\ufeff": " ",
    "\u3000": " ",
}
# Kept exactly as written: they mean something to the patterns (NFKC leaves most of them
# alone anyway, but would turn … into "..." and change the length).
_KEEP = set("\u3002\u3001\u300c\u300d\u300e\u300f\u300a\u300b\u3008\u3009\u201c\u201d\u2018\u2019\u3007\u00b7\u2026")


def fold_char(segment: str) -> str:
    """One original character (with its combining marks) -> its matching form."""
    folded = _FOLD.get(segment)
    if folded is not None:
        return folded
    if segment in _KEEP or segment.isascii():
        return segment
    return unicodedata.normalize("NFKC", segment)


# --------------------------------------------------------------------------- OpenCC
@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _length_preserving() -> bool:
    """True when every entry of the loaded t2s dictionaries keeps its length.

    Then a clause converted to the same length is aligned position by position;
    otherwise (another OpenCC build, other dictionaries) equal lengths could hide
    a +1/-1 pair and every changed clause is aligned with difflib.
    """
    cc = _t2s()
    try:
        cc.convert("")
        for group in cc._dict_chain_data:
            for _max, _min, table in group:
                for k, v in table.items():
                    if len(v.split(" ")[0]) != len(k):
                        return False
        return True
    except Exception:  # a different OpenCC package: no shortcut
        return False


@lru_cache(maxsize=1)
def exceptions() -> dict[str, str]:
    """Protected strings: Traditional text -> the exact Simplified text to use."""
    table = resources.lexicon("zh", "opencc_exceptions")
    return {k: v for k, v in table.items() if not k.startswith("_") and isinstance(v, str)}


@lru_cache(maxsize=1)
def _exceptions_re() -> re.Pattern | None:
    keys = sorted(exceptions(), key=lambda s: (-len(s), s))
    return re.compile("|".join(map(re.escape, keys))) if keys else None


# Clause boundaries for conversion; OpenCC never matches a phrase across them.
_CLAUSE = re.compile(r"[^\n\r\t 。！？；，、,.;!?:：()\[\]「」『』《》“”\"'~\-]+")


def _aligned(src: str, dst: str, offset: int, char_convert) -> list[tuple[int, int, str]]:
    """Segments mapping `dst` (the conversion of `src`) onto `src`, which starts at `offset`.

    `dst` is compared with the character-by-character conversion of `src` (no
    phrases), so the comparison sees only where phrase conversion differs from
    character conversion.  Where they agree each source character maps to its
    own output; a block that differs maps as one unit (every output character
    points at the whole source block); inserted text joins the block before it.
    """
    pieces = [char_convert(ch) or ch for ch in src]
    starts = []  # start of each source character's piece in `cs`
    owner: list[int] = []  # cs index -> source index
    for j, piece in enumerate(pieces):
        starts.append(len(owner))
        owner.extend([j] * len(piece))
    cs = "".join(pieces)
    blocks: list[list] = []  # [src_start, src_end, text], in source order
    pending = ""
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, cs, dst, autojunk=False).get_opcodes():
        if op == "insert":
            if blocks:
                blocks[-1][2] += dst[j1:j2]
            else:
                pending += dst[j1:j2]
            continue
        new: list[list] = []
        if op == "equal":
            for j in range(owner[i1], owner[i2 - 1] + 1):
                a, b = max(starts[j], i1), min(starts[j] + len(pieces[j]), i2)
                new.append([j, j + 1, dst[j1 + a - i1:j1 + b - i1]])
        else:
            new.append([owner[i1], owner[i2 - 1] + 1, dst[j1:j2]])
        if pending:
            new[0][2] = pending + new[0][2]
            pending = ""
        for blk in new:
            if blocks and blk[0] < blocks[-1][1]:   # shares a source character: merge
                blocks[-1][1] = max(blocks[-1][1], blk[1])
                blocks[-1][2] += blk[2]
            else:
                blocks.append(blk)
    return [(offset + s, offset + e, t) for s, e, t in blocks]


def convert_segments(text: str, convert=None) -> Iterator[tuple[int, int, str]]:
    """`TextView.rewrite` segments that convert `text` with OpenCC t2s (or `convert`)."""
    if convert is None:
        convert = _t2s().convert
        same_length_is_aligned = _length_preserving()
    else:
        same_length_is_aligned = False
    char_convert = lru_cache(maxsize=None)(convert)
    exc = exceptions()
    exc_re = _exceptions_re()

    def run(a: int, b: int):
        pos = a
        for m in _CLAUSE.finditer(text, a, b):
            for i in range(pos, m.start()):
                yield i, i + 1, text[i]
            s, e = m.start(), m.end()
            chunk = text[s:e]
            conv = convert(chunk)
            if conv == chunk or (same_length_is_aligned and len(conv) == len(chunk)):
                for k in range(e - s):
                    yield s + k, s + k + 1, conv[k]
            else:
                yield from _aligned(chunk, conv, s, char_convert)
            pos = e
        for i in range(pos, b):
            yield i, i + 1, text[i]

    pos = 0
    if exc_re is not None:
        for m in exc_re.finditer(text):
            yield from run(pos, m.start())
            rep = exc[m.group()]
            if len(rep) == m.end() - m.start():
                for k in range(len(rep)):
                    yield m.start() + k, m.start() + k + 1, rep[k]
            else:
                yield m.start(), m.end(), rep
            pos = m.end()
    yield from run(pos, len(text))


def normalize(original: str, *, convert=None) -> TextView:
    """Fold characters, then Traditional -> Simplified; offsets kept (see module doc).

    `convert` replaces OpenCC t2s (tests use it to simulate length-changing
    conversions).
    """
    view = TextView.identity(original).rewrite(lambda t: char_segments(t, fold_char, ascii_unchanged=True))
    if convert is None:
        from pipeline.lang.detect import han_variants

        trad, simp = han_variants(view.text)
        if simp > trad:
            return view  # already Simplified: OpenCC t2s would only do harm
    return view.rewrite(lambda t: convert_segments(t, convert))


# --------------------------------------------------------------------------- numbers
_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_SCALE = {"万": 10_000, "亿": 100_000_000, "兆": 10 ** 12}
# Traditional and capital numerals that cn2an does not read, or that are not yet
# Simplified when parse_number is called on an original string.
_NUM_FOLD = str.maketrans({"萬": "万", "億": "亿", "兩": "两", "點": "点", "參": "叁", "参": "叁", "貳": "贰",
                           "陸": "陆", "拾": "十", "佰": "百", "仟": "千", "廿": "二十", "卅": "三十",
                           "卌": "四十", "○": "〇", "Ｏ": "〇", "餘": "余", "數": "数", "幾": "几",
                           "來": "来", "、": ",", "，": ","})
_ARABIC = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_MIXED = re.compile(r"^(\d+(?:\.\d+)?)((?:[十百千]?[万亿兆]?)|[十百千])$")
_HAN_NUM = re.compile(r"^[〇零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖]+$")


def _fold_num(text: str) -> str:
    t = unicodedata.normalize("NFKC", text.strip()).translate(_NUM_FOLD)
    t = re.sub(r"\s+", "", t).replace("万万", "亿")   # 五萬萬 = 五億
    if t.startswith("第"):
        t = t[1:]
    return t


def _mixed_scale(suffix: str) -> int:
    value = 1
    for ch in suffix:
        value *= _UNIT.get(ch) or _SCALE[ch]
    return value


def _cn2an(t: str, mode: str = "normal") -> float | None:
    import cn2an

    try:
        return float(cn2an.cn2an(t, mode))
    except Exception:
        return None


_SCALE_ORDER = (("兆", 10 ** 12), ("亿", 10 ** 8), ("万", 10 ** 4))
_HAN_DECIMAL = re.compile(r"^([〇零一二两三四五六七八九十百千]+)点([〇零一二两三四五六七八九]+)$")


def _exact(t: str) -> float | None:
    """An exact folded numeral: split at its largest scale (兆, 亿, 万), each side read alone.

    '2万6,150' -> 2 x 10^4 + 6150; '3.65万亿' -> 3.65万 x 10^8; '五万万' -> 5 x 10^8.
    """
    for ch, scale in _SCALE_ORDER:
        i = t.find(ch)
        if i < 0:
            continue
        head, tail = t[:i], t[i + 1:]
        high = 1.0 if head == "" else _exact(head)
        if high is None:
            return None
        if tail.startswith(("零", "〇")):
            tail = tail[1:]
        low = 0.0 if tail == "" else _exact(tail)
        if low is None or low >= scale:
            return None
        return high * scale + low
    if _ARABIC.match(t):
        return float(t.replace(",", ""))
    m = _MIXED.match(t)
    if m and m.group(2):
        return float(m.group(1)) * _mixed_scale(m.group(2))
    m = _HAN_DECIMAL.match(t)
    if m:
        whole = _exact(m.group(1))
        return None if whole is None else float(f"{int(whole)}." + "".join(str(_DIGIT[c]) for c in m.group(2)))
    if re.match(r"^\d+(?:\.\d+)?[千百十][\d零〇一二两三四五六七八九十百千]+$", t):
        return _cn2an(t, "smart")  # 2千5百
    if not _HAN_NUM.match(t):
        return None
    if t[0] in "百千":
        t = "一" + t  # 百余 -> 一百
    if len(t) == 1 and t in _DIGIT:
        return float(_DIGIT[t])
    if all(ch in _DIGIT for ch in t):
        # digit by digit: 一九四三 -> 1943, 一〇五 -> 105; but 三四 is "three or four"
        if len(t) == 2 and "〇" not in t and "零" not in t:
            return None
        return float("".join(str(_DIGIT[ch]) for ch in t))
    if re.search(r"[一二两三四五六七八九][一二两三四五六七八九]", t):
        return None  # 三四十, 十七八: a range, not a number
    return _cn2an(t)


@lru_cache(maxsize=8192)
def parse_number(text: str) -> float | None:
    """One exact number: '150', '30,439', '一百五十', '兩萬三千', '第四', '3萬', '1.5万',
    '2萬6,150', '3.65萬億', '五萬萬', '三點五', '一九四三', '廿五', '1 0'.

    Approximate and range forms (十餘, 數百, 三四十, 上千, 30至40) return None:
    read them with `read_number`.
    """
    t = _fold_num(text)
    return _exact(t) if t else None


_RANGE_SEP = re.compile(r"^(.+?)(?:至|到|-|~|或)(.+)$")
_ADJ = re.compile(r"^(?P<base>.*?)(?P<d1>[一二两三四五六七八九])(?P<d2>[两二三四五六七八九])"
                  r"(?P<unit>[十百千]?)(?P<scale>[万亿]*)$")
_SEVERAL = re.compile(r"^(?P<base>.*?)[数几](?P<unit>[十百千万]+)(?P<scale>[万亿]*)$")
_ODD = re.compile(r"^(?P<base>.+?)(?P<mark>余|多|来|几|许)(?P<scale>[万亿]*)$")
_UP_TO = re.compile(r"^上(?P<unit>[百千万]|十万|百万|千万|亿)$")


def _trailing_place(x: float) -> int:
    """10 ** (number of trailing zeros of x): 10 -> 10, 300 -> 100, 1200 -> 100, 15 -> 1."""
    n = int(x)
    if n != x or n == 0:
        return 1
    p = 1
    while n % 10 == 0:
        n //= 10
        p *= 10
    return p


@lru_cache(maxsize=4096)
def parse_number_range(text: str) -> tuple[float, float | None, bool] | None:
    """(low, high, approx) for exact, range and approximate forms; None when unreadable.

    Conventions (documented, tested):
    - exact '150', '五千'              -> (150, 150, False)
    - explicit range '30至40', '三十到四十', '3-4万' (the scale of the second end
      carries to the first)           -> (30, 40, False), (30000, 40000, False)
    - adjacent digits '三四十', '两三千', '十七八', '三四十万', '一千二三百'
                                       -> (30, 40, True), (2000, 3000, True), (17, 18, True), ...
    - 'X余/X多/X来/X几/X许' = more than X by less than X's last place u:
      (X+1, X+u-1), approx: '十余' -> (11, 19), '二十多' -> (21, 29), '百余' -> (101, 199),
      '五千余' -> (5001, 5999); a scale after the mark multiplies: '三十余万' ->
      (310000, 390000).  X without trailing zeros ('15余') -> None.
    - '数/几 + unit' = 2..9 of the unit: '数百' -> (200, 900), '几十' -> (20, 90),
      '数十万' -> (200000, 900000); '十几' -> (11, 19) (read as X几).
    - '上 + unit' = reaching that order, no upper bound: '上千' -> (1000, None, True).
    """
    t = _fold_num(text)
    if not t:
        return None
    v = parse_number(t)
    if v is not None:
        return v, v, False
    m = _UP_TO.match(t)
    if m:
        return float(_mixed_scale(m.group("unit"))), None, True
    m = _RANGE_SEP.match(t)
    if m:
        a, b = m.group(1), m.group(2)
        hi = parse_number(b)
        lo = parse_number(a)
        if hi is not None and lo is not None:
            scale = re.search(r"[万亿]+$", _fold_num(b))
            if scale and not re.search(r"[万亿]$", _fold_num(a)):
                lo *= _mixed_scale(scale.group())
            if lo <= hi:
                return lo, hi, False
        return None
    m = _SEVERAL.match(t)
    if m and not m.group("base"):
        unit = _mixed_scale(m.group("unit")) * _mixed_scale(m.group("scale"))
        return float(2 * unit), float(9 * unit), True
    m = _ADJ.match(t)
    if m:
        d1, d2 = _DIGIT[m.group("d1")], _DIGIT[m.group("d2")]
        if d2 == d1 + 1 or (d1, d2) == (3, 5):
            base_txt = m.group("base")
            base = parse_number(base_txt) if base_txt else 0.0
            if base is not None:
                unit = _UNIT.get(m.group("unit"), 1)
                scale = _mixed_scale(m.group("scale"))
                if base and base % (unit * 10):
                    return None
                return (base + d1 * unit) * scale, (base + d2 * unit) * scale, True
        return None
    m = _ODD.match(t)
    if m:
        x = parse_number(m.group("base"))
        if x is None:
            return None
        u = _trailing_place(x)
        if u == 1:
            return None
        scale = _mixed_scale(m.group("scale"))
        return (x + 1) * scale, (x + u - 1) * scale, True
    return None


def read_number(text: str) -> Reading | None:
    """The value of one Chinese numeral, exact, ranged or approximate (see `parse_number_range`)."""
    r = parse_number_range(text)
    return None if r is None else Reading(r[0], r[1], r[2])


def read_range(low: str, high: str) -> Reading | None:
    """'三' to '五万': the scale written on the second end carries to the first (三至五万)."""
    a, b = read_number(low), read_number(high)
    if a is None or b is None:
        return None
    scale = re.search(r"[万亿]+$", _fold_num(high))
    if scale and not re.search(r"[万亿]$", _fold_num(low)) and a.high is not None \
            and a.high * _mixed_scale(scale.group()) <= b.high:
        a = a.scaled(_mixed_scale(scale.group()))
    return a.to(b)


_NUMERAL = r"[\d零〇一二兩两三四五六七八九十百千萬万]+"
_LEADING = re.compile(rf"^\s*有?(?P<n>{_NUMERAL})(?:個|个|名|支)?")
_RATIO = re.compile(rf"百分之(?P<pct>{_NUMERAL})|(?P<apct>\d+(?:\.\d+)?)\s*%"
                    rf"|(?P<den>{_NUMERAL})分之(?P<num>{_NUMERAL})|(?P<half>一半|半數|半数)")


def leading_number(text: str) -> tuple[int, int, float] | None:
    """A numeral at the start of `text` (after 有): (start, end, value)."""
    m = _LEADING.match(text)
    if not m:
        return None
    v = parse_number(m.group("n"))
    return None if v is None else (m.start("n"), m.end("n"), v)


def ratios(text: str):
    """(start, end, share) of every ratio: 百分之十, 三分之一, 一半."""
    for m in _RATIO.finditer(text):
        g, r = m.groupdict(), None
        if g["pct"] or g["apct"]:
            n = parse_number(g["pct"] or g["apct"])
            r = n / 100 if n is not None else None
        elif g["den"]:
            d, n = parse_number(g["den"]), parse_number(g["num"])
            r = n / d if d and n is not None else None
        elif g["half"]:
            r = 0.5
        if r is not None:
            yield m.start(), m.end(), r


# --------------------------------------------------------------------------- spaCy / jieba
USERDICT = resources.models_path("jieba", "userdict.txt")


def cache_dir() -> Path:
    """Where jieba keeps its prefix-dictionary cache: never the shared /tmp.

    `MUSTER_CACHE_DIR` (then `<it>/jieba`) if set, else `<repo>/.cache/jieba`;
    if the repository is read-only, `~/.cache/muster/jieba`.
    """
    env = os.environ.get("MUSTER_CACHE_DIR")
    candidates = [Path(env) / "jieba"] if env else []
    candidates += [REPO_DIR / ".cache" / "jieba", Path.home() / ".cache" / "muster" / "jieba"]
    for d in candidates:
        try:
            d.mkdir(parents=True, exist_ok=True)
            if os.access(d, os.W_OK):
                return d
        except OSError:
            continue
    return candidates[-1]


def read_userdict(path: Path = USERDICT) -> list[tuple[str, int | None, str | None]]:
    """(word, freq, tag) rows of a jieba user dictionary; '#' starts a comment line."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip().lstrip("\ufeff")
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            word, freq, tag = parts[0], None, None
            if len(parts) > 1 and parts[1].isdigit():
                freq = int(parts[1])
                tag = parts[2] if len(parts) > 2 else None
            elif len(parts) > 1:
                tag = parts[1]
            rows.append((word, freq, tag))
    return rows


@lru_cache(maxsize=1)
def jieba_tokenizer():
    """A private `jieba.Tokenizer` with the default dictionary and muster's user dictionary.

    Private (not `jieba.dt`) so nothing else in the process changes its words.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(cache_dir())
    tok.initialize()
    for word, freq, tag in read_userdict():
        tok.add_word(word, freq, tag)
    return tok


_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
_HAN_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+(?:\u00b7[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)*$")


class JiebaSegmenter:
    """What spaCy's ChineseTokenizer calls as `jieba_seg.cut(text, cut_all=False)`.

    spaCy calls the jieba *module* with its defaults, i.e. HMM=True (new-word
    guessing that changes with context and version).  `make_nlp` replaces the
    tokenizer's `jieba_seg` with this object: our own tokenizer, HMM=False, and
    "A·B" transliterated names joined into one token (jieba always splits at "·").
    """

    def __init__(self, tok):
        self.tok = tok

    def cut(self, text: str, cut_all: bool = False, HMM: bool = False):
        words = list(self.tok.cut(text, cut_all=False, HMM=False))
        out: list[str] = []
        i = 0
        while i < len(words):
            w = words[i]
            if (w == "\u00b7" and out and _HAN_NAME.match(out[-1]) and i + 1 < len(words)
                    and _HAN.match(words[i + 1])):
                out[-1] = out[-1] + w + words[i + 1]
                i += 2
                continue
            out.append(w)
            i += 1
        return out


def segment(text: str) -> list[str]:
    """The words of `text` as the segmenter cuts them (HMM off; their concatenation is `text`)."""
    return list(jieba_tokenizer().cut(text, cut_all=False, HMM=False))


def make_nlp():
    import jieba
    import spacy

    # spaCy's tokenizer warms the global jieba tokenizer up on creation: keep its
    # cache out of /tmp as well.
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(cache_dir())
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer.jieba_seg = JiebaSegmenter(jieba_tokenizer())
    return nlp


class _Profile:
    code = code
    spacy_lang = spacy_lang
    normalize = staticmethod(normalize)
    parse_number = staticmethod(parse_number)
    parse_number_range = staticmethod(parse_number_range)
    read_number = staticmethod(read_number)
    read_range = staticmethod(read_range)
    leading_number = staticmethod(leading_number)
    ratios = staticmethod(ratios)
    segment = staticmethod(segment)
    make_nlp = staticmethod(make_nlp)


PROFILE = _Profile()
