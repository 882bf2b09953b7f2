"""Chinese transliterations of Russian and German names -> knowledge-base people, by sound.

The knowledge base lists the usual Chinese spellings of its people (``people_by_chinese``),
but a text may write a name another way (罗柯索夫斯基, 朱科夫, 华西列夫斯基 / 瓦西列夫斯基,
巴格拉米昂, 莫代尔), or the knowledge base may lack the Chinese spelling altogether.  This
module links such names through their sound:

1. **Readings.**  ``latin_readings("罗柯索夫斯基")`` -> ``["rokosovsky", "rokesovsky", ...]``:
   the Xinhua Russian/German -> Chinese transliteration tables read backwards
   (``models/lexicon/zh/translit.json``: every character with its ordered Latin options), a
   beam of at most BEAM readings with distinct phonetic keys; a character not in the table
   is read by its pinyin (and costs confidence: such names are rarely transliterations).
2. **Phonetic keys.**  Readings and the knowledge base's Latin surnames (and variants) are
   both reduced by ``phonetic_key`` to a coarse spelling of the sound, the source language's
   orthography undone (German ``sch w z ei ie ck``, Duden ``-ow``, English ``kh zh y``) and the
   distinctions Chinese does not keep folded (r = l, f = v = w, double letters, palatalization
   ``nye`` = ``ne``, ``-skiy`` = ``-sky``): Rokossovsky, Rokossowski and 罗科索夫斯基 all
   become ``lokosovski``.
3. **Scoring.**  ``rapidfuzz`` ``fuzz.ratio`` (normalized Indel similarity,
   ``1 - (insertions + deletions) / (len a + len b)``) between the person's best key and each
   reading's key, less READING_COST per rank of the less likely table options the reading
   used; the best pair is the confidence (0..1).  Chosen by measurement
   (tests/reconcile/test_translit.py: leave-one-out over the knowledge base, variant spellings,
   Chinese names, places and 144 Soviet/German surnames the knowledge base lacks): ratio at
   0.90 takes 2 of the 144 unknown surnames for known people, like normalized Levenshtein at
   0.86, with recall 0.965 instead of 0.921; Jaro-Winkler, whose prefix bonus lifts names that
   merely start alike (Stalingrad ~ Stalin 0.92), never passes recall 0.90 and at 0.90 takes 14.
4. **Blocking.**  Keys are indexed by the reading table they are compared with and the
   sound class of their first letter (vowel, b/p, d/t, g/k/h, v/f, s/z/c, l/r, m, n ...);
   only keys in the readings' classes whose length is within LENGTH_BAND of a reading are
   scored (a similarity >= ACCEPT needs ``min/max length >= 0.82`` anyway, and a key outside
   the band scores <= 0.75, too little to matter for the margin either), in one
   ``rapidfuzz.process.cdist`` call per table.  Measured on the knowledge base's 605 Chinese
   names: the same decisions on people as scoring every key, 3x faster (0.2 ms a name).
5. **Acceptance.**  ``best_match`` / ``decide`` accept the top person when the confidence
   is >= ACCEPT and beats the next *different* person by >= MARGIN, so namesakes (the three
   Kuznetsovs) and names that sound like two people are never guessed.  ACCEPT 0.90 lets a
   sound inserted or dropped through once the two keys have 10 letters together, a sound
   changed once they have 20: at 0.85 recall
   over the knowledge base rises from 0.965 to 0.978 but 8 of the 144 unknown surnames
   (沃罗比约夫 Vorobyov -> Voronov, 巴拉诺夫 Baranov -> Badanov) and 6 place names (柏林 Berlin
   -> Boldin) are accepted, against 2 and 0; ``match`` still lists every candidate with its
   confidence for a looser policy.

A full name (``名·姓``) is matched on its surname; a given name that reads unlike the
person's given names costs GIVEN_MISMATCH, which separates namesakes (瓦西里·库兹涅佐夫 is
Vasily, not Fyodor Kuznetsov).  Given-name-last order (Hungarian 亚尼·古斯塔夫) is not handled.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.process import cdist

from pipeline import resources

if TYPE_CHECKING:  # pragma: no cover
    from pipeline.reconcile.kb import KBPerson, KnowledgeBase

SCORER = Indel.normalized_similarity   # fuzz.ratio / 100: 1 - (insertions + deletions) / (len a + len b)
ACCEPT = 0.90        # confidence from which a phonetic match is taken as the person
MARGIN = 0.08        # ... and by which it must beat the next different person
BEAM = 50            # readings kept per name and reading table
LENGTH_BAND = 0.6    # candidates: min(len) / max(len) of a reading and a key >= this
READING_COST = 0.01  # confidence lost per rank of a less likely table option used by the reading
UNKNOWN_PENALTY = 0.08  # confidence lost per character read by its pinyin (not a transliteration character)
SHAPE_PENALTY = 0.2   # confidence lost by a place-name ending (斯摩棱斯克) or a woman's form (诺维科娃)
GIVEN_MIN = 0.55     # a full name's given name scoring below this against the person's given names ...
GIVEN_MISMATCH = 0.2  # ... costs this much: it is someone else (瓦西里·库兹涅佐夫 is not Fyodor Kuznetsov)

_SEP = re.compile(r"[·•‧・･．⋅∙\s]+")
_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
_PARTICLES_ZH = {"冯", "馮", "范", "德", "凡"}          # von / van / de written as a separate segment
_PARTICLES = ("ritter von ", "freiherr von ", "graf von ", "von der ", "von dem ", "von ", "van ", "de ")
_VOWELS = "aeiou"

# languages a person's Latin name is read in, by side
# (none: Chinese and Japanese names are written in characters, not transliterated from a Latin
# or Cyrillic spelling, so they are never matched by sound; Mongolian names come through Russian)
_SIDE_LANGS = {"SU": ("ru",), "ROA": ("ru",), "DE": ("de",), "FI": ("de",), "HU": ("hu",), "RO": ("ro",),
               "IT": ("it",), "MN": ("ru",), "CN": (), "CN_CCP": (), "JP": (), "MK": ()}
# the Chinese reading used against a person of that language
_READING_LANG = {"ru": "ru", "de": "de", "hu": None, "ro": None, "it": None}


# ----------------------------------------------------------------------------- the table

@lru_cache(maxsize=1)
def _table() -> dict:
    raw = resources.lexicon("zh", "translit")
    chars = {k: list(v) for k, v in raw["chars"].items()}
    multi = {k: list(v) for k, v in raw.get("multi", {}).items()}
    de = {k: list(v) for k, v in raw.get("de", {}).items()}
    return {"chars": chars, "multi": multi, "de": de,
            "max_multi": max((len(k) for k in multi), default=1),
            "place_endings": tuple(raw.get("place_endings", [])),
            "feminine_endings": tuple(raw.get("feminine_endings", []))}


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """Traditional -> Simplified (OpenCC t2s); Simplified text is unchanged."""
    return _opencc().convert(text) if text else text


@lru_cache(maxsize=1)
def _opencc():
    from opencc import OpenCC

    return OpenCC("t2s")


_PINYIN_INITIALS = (("zh", "zh"), ("ch", "ch"), ("sh", "sh"), ("x", "s"), ("q", "ch"), ("j", "zh"),
                    ("c", "ts"), ("h", "kh"), ("w", "v"))
_PINYIN_FINALS = (("iang", "yan"), ("iong", "yon"), ("ang", "an"), ("eng", "en"), ("ing", "in"), ("ong", "on"),
                  ("iao", "yau"), ("ao", "au"), ("ou", "o"), ("uo", "o"), ("ie", "ye"), ("iu", "yu"), ("ui", "uy"),
                  ("v", "yu"), ("ü", "yu"))


def _pinyin_reading(ch: str) -> str:
    from pypinyin import lazy_pinyin

    syl = "".join(x for x in lazy_pinyin(ch) if x.isalpha()).lower()
    if not syl or not syl.isascii():
        return ""
    for a, b in _PINYIN_INITIALS:
        if syl.startswith(a):
            syl = b + syl[len(a):]
            break
    for a, b in _PINYIN_FINALS:
        if syl.endswith(a):
            syl = syl[: -len(a)] + b
            break
    return syl


def _options(seg: str, lang: str | None) -> list[str]:
    t = _table()
    base = t["multi"].get(seg) if len(seg) > 1 else t["chars"].get(seg)
    if lang == "ru":
        return list(base or [])
    de = t["de"].get(seg)
    if lang == "de":
        return list(de or base or [])
    out = list(base or [])
    out += [o for o in (de or []) if o not in out]
    return out


# ----------------------------------------------------------------------------- phonetic keys

def _fold(s: str) -> str:
    s = s.replace("ß", "ss").replace("ẞ", "ss")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return s


def _german(s: str, chs: str = "ks") -> str:
    """German orthography -> a spelling of the sound (Schörner -> shorner, Weichs -> vaiks;
    `chs` is 'ks' as in Weichs or 'khs' as in Heinrichs)."""
    s = s.replace("tsch", "\x01").replace("sch", "\x02")
    s = s.replace("chs", chs).replace("ch", "kh").replace("ck", "k").replace("ph", "f").replace("th", "t")
    s = s.replace("\x01", "ch").replace("\x02", "sh")
    s = s.replace("dt", "t").replace("qu", "kv").replace("tz", "ts").replace("z", "ts")
    s = re.sub(r"c(?=[eiy])", "ts", s)
    s = re.sub(r"e[iy]|a[iy]", "ai", s)
    s = s.replace("eu", "oi").replace("ie", "i").replace("j", "y")
    s = re.sub(r"^s(?=[tp])", "sh", s)                 # Steiner, Stülpnagel, Speer
    s = re.sub(r"^s(?=[aeiouy])", "z", s)               # Salmuth, Seydlitz, Saucken
    s = re.sub(r"(?<=[aeiou])h(?![aeiou])", "", s)      # lengthening h: Gehlen, Wöhler, Nehring
    s = s.replace("v", "f")
    return s


def _russian(s: str) -> str:
    """English-style transliteration of Russian (Zhukov, Yeryomenko, Chernyakhovskiy)."""
    if "w" in s or "sch" in s:                          # a German (Duden) spelling: Schukow, Kusnezow
        s = s.replace("tsch", "\x01").replace("sch", "\x02").replace("ch", "kh").replace("z", "ts")
        s = s.replace("\x01", "ch").replace("\x02", "sh")
    return s.replace("j", "y")                          # Library of Congress / Duden j = й


def _romance(s: str) -> str:
    s = re.sub(r"c(?=[eiy])", "ch", s)                  # Romanian / Italian ce ci
    s = s.replace("gh", "g")
    return s


def _hungarian(s: str) -> str:
    s = s.replace("cs", "ch").replace("sz", "s").replace("zs", "zh").replace("gy", "dy")
    s = s.replace("j", "y")
    return s


_LANG_RULES = {"de": _german, "ru": _russian, "it": _romance, "ro": _romance, "hu": _hungarian}


def key_variants(latin: str, lang: str | None = None) -> set[str]:
    """The phonetic keys of a knowledge-base spelling: one, or more where Chinese renders the
    spelling two ways (German chs: Weichs 魏克斯 = vaiks, Heinrichs 海因里希斯 = hainrihs;
    German -er: Hitler 希特勒 / Halder 哈尔德)."""
    keys = {phonetic_key(latin, lang)}
    if lang == "de" and "chs" in latin.casefold():
        keys.add(_finish(_german(_prepare(latin), chs="khs")))
    if lang == "de" and re.search(r"[^aeiou]er$", _prepare(latin)):
        keys.add(phonetic_key(latin[:-1], lang))       # Halder 哈尔德: Chinese often leaves -er's r out
    return keys


def _prepare(latin: str) -> str:
    return re.sub(r"[^a-z]", "", _fold(latin))


@lru_cache(maxsize=65536)
def phonetic_key(latin: str, lang: str | None = None) -> str:
    """A coarse spelling of how `latin` sounds, the same for a name and its Chinese readings:
    'Rokossovskiy' / 'Rokossowski' (ru) / 'rokosovsky' (a reading) -> 'lokosovski';
    'Schörner' (de) -> 'sholnel'.  `lang` (ru, de, it, ro, hu or None for a reading) undoes
    that language's orthography first."""
    s = _prepare(latin)
    if lang in _LANG_RULES:
        s = _LANG_RULES[lang](s)
    return _finish(s)


def _finish(s: str) -> str:
    s = s.replace("ph", "f").replace("x", "ks").replace("q", "k").replace("w", "v").replace("f", "v")
    s = re.sub(r"c(?!h)", "k", s)
    s = re.sub(r"e[iy](?![aeiou])", "ai", s)             # Kreizer, Reiter: Chinese 赖 rai
    s = re.sub(r"m(?=[bp])", "n", s)                     # Kempf: Chinese 肯普夫 ken-p-f
    s = s.replace("kh", "h").replace("j", "y").replace("y", "i").replace("r", "l")
    s = re.sub(r"(.)\1+", r"\1", s)
    s = re.sub(r"(?<=[^aeiou])i(?=[aeiou])", "", s)       # palatalization: nye = ne, lyu = lu, myan = man
    s = re.sub(r"^i(?=[aeiou])", "", s)                  # iotation: Yeryomenko = Eremenko
    s = re.sub(r"(.)\1+", r"\1", s)
    return s


def _block(key: str) -> str:
    c = key[:1]
    if not c or c in _VOWELS:
        return "V"
    for group, name in (("bp", "B"), ("dt", "D"), ("gkh", "G"), ("vf", "F"), ("szc", "S"), ("l", "L")):
        if c in group:
            return name
    return c


# ----------------------------------------------------------------------------- readings

def _segments(name: str) -> list[list[tuple[str, int]]]:
    """Per position, the (segment, length) choices: multi-character syllables and the single character."""
    t = _table()
    out = []
    for i in range(len(name)):
        choices = []
        for n in range(min(t["max_multi"], len(name) - i), 1, -1):
            if name[i:i + n] in t["multi"]:
                choices.append((name[i:i + n], n))
        choices.append((name[i], 1))
        out.append(choices)
    return out


@lru_cache(maxsize=4096)
def _readings(name: str, lang: str | None, beam: int) -> tuple[tuple[str, float, int], ...]:
    """(reading, cost, characters read by pinyin) for one name segment, cheapest first, one per key."""
    name = "".join(ch for ch in name if _HAN.match(ch))
    if not name:
        return ()
    segs = _segments(name)
    # states[i]: readings covering name[:i] -> (reading, cost, unknown)
    states: list[list[tuple[str, float, int]]] = [[] for _ in range(len(name) + 1)]
    states[0] = [("", 0.0, 0)]
    for i in range(len(name)):
        if not states[i]:
            continue
        for seg, n in segs[i]:
            opts = _options(seg, lang)
            unknown = 0
            if not opts:
                if n > 1:
                    continue
                py = _pinyin_reading(seg)
                opts, unknown = ([py] if py else [""]), 1
            multi_bonus = -0.5 if n > 1 else 0.0
            for r, cost, unk in states[i]:
                for rank, o in enumerate(opts):
                    states[i + n].append((r + o, cost + rank + multi_bonus, unk + unknown))
        nxt = sorted(states[i + 1], key=lambda x: x[1])
        seen, kept = set(), []
        for r, cost, unk in nxt:
            k = phonetic_key(r) if i + 1 == len(name) else r
            if k in seen:
                continue
            seen.add(k)
            kept.append((r, cost, unk))
            if len(kept) >= beam:
                break
        states[i + 1] = kept
        states[i] = []
    return tuple(states[len(name)])


def latin_readings(chinese: str, *, lang: str | None = None, beam: int = BEAM) -> list[str]:
    """Plausible Latin spellings of a Chinese transliteration, most likely first (at most `beam`,
    one per phonetic key): '罗科索夫斯基' -> ['rokosovsky', 'roksovsky', ...].  `lang` 'ru' or
    'de' reads it with that language's table only (default: both, Russian options first).
    A full name (康斯坦丁·罗科索夫斯基) is read as its surname (the last segment)."""
    parts = _name_parts(to_simplified(chinese))
    if not parts[1]:
        return []
    return [r for r, _, _ in _readings(parts[1], lang, beam)]


def side_language(side: str | None) -> str | None:
    """The transliteration table ('ru', 'de' or None for both) for a person of this side."""
    langs = _SIDE_LANGS.get(side or "")
    return _READING_LANG.get(langs[0]) if langs else None


def name_segments(chinese: str) -> list[str]:
    """The parts of a name written with middle dots, particles (冯 = von) dropped."""
    return [s for s in _SEP.split(chinese.strip()) if s and s not in _PARTICLES_ZH]


def _name_parts(simplified: str) -> tuple[str | None, str]:
    """(given name or None, surname) of a Simplified Chinese name; particles (冯 = von) dropped."""
    segs = name_segments(simplified)
    if not segs:
        return None, ""
    if len(segs) == 1:
        return None, segs[0]
    return "".join(segs[:-1]), segs[-1]


# ----------------------------------------------------------------------------- the index

def _surname_forms(p) -> list[str]:
    """The person's surname spellings, particles dropped: a full-name variant ('Iosif Stalin',
    'Ritter von Leeb') gives its last word; a two-part surname ('Fretter Pico',
    'Seydlitz-Kurzbach') gives itself and its first part (Chinese often writes only that)."""
    def bare(f: str) -> str:
        low = _fold(f)
        for part in _PARTICLES:
            if low.startswith(part):
                return f[len(part):].strip()
        return f.strip()

    single = {_fold(bare(f)) for f in [p.surname, *p.variants] if " " not in bare(f)}
    forms: list[str] = []
    for f in [p.surname, *p.variants]:
        f = bare(f)
        words = f.split()
        if len(words) > 1 and _fold(words[-1]) in single:
            forms.append(words[-1])                      # a full name
            continue
        forms.append(f)
        first = re.split(r"[\s-]", f)[0]
        if first != f:
            forms.append(first)
    return list(dict.fromkeys(x for x in forms if x))


class _Index:
    """The knowledge base's surname keys, blocked by (reading table, first-letter sound class):
    blocks[(table, class)] = (keys, person indices, key lengths)."""

    def __init__(self, people: list):
        self.people = list(people)
        self.langs: list[tuple[str, ...]] = [_SIDE_LANGS.get(p.side, ("ru", "de")) for p in self.people]
        self.given: list[list[str]] = []
        self.feminine: list[bool] = []       # the surname has a feminine (-a) form
        blocks: dict[tuple[str | None, str], list[tuple[str, int]]] = {}
        for i, p in enumerate(self.people):
            keys: dict[tuple[str | None, str], None] = {}
            for lang in self.langs[i]:
                rlang = _READING_LANG.get(lang)
                for form in _surname_forms(p):
                    for k in key_variants(form, lang):
                        if len(k) >= 2:
                            keys[(rlang, k)] = None
            for rlang, k in keys:
                blocks.setdefault((rlang, _block(k)), []).append((k, i))
            gk = {phonetic_key(g, lang) for g in [p.given, *p.given_variants] if g for lang in self.langs[i]}
            self.given.append(sorted(k for k in gk if k))
            self.feminine.append(_fold(p.bare_surname).endswith("a"))
        self.blocks = {b: ([k for k, _ in es], [i for _, i in es], [len(k) for k, _ in es])
                       for b, es in blocks.items()}
        self.reading_langs = sorted({rl for rl, _ in self.blocks}, key=lambda x: (x is not None, x or ""))

    def candidates(self, rlang: str | None, rkeys: list[str], people_ok) -> tuple[list[str], list[int]]:
        """(keys, their people) in the readings' blocks whose length is in the readings' band."""
        keys: list[str] = []
        persons: list[int] = []
        lo = min(len(k) for k in rkeys) * LENGTH_BAND
        hi = max(len(k) for k in rkeys) / LENGTH_BAND
        for b in {_block(k) for k in rkeys}:
            block = self.blocks.get((rlang, b))
            if block is None:
                continue
            for k, i, n in zip(*block):
                if lo <= n <= hi and (people_ok is None or people_ok(i)):
                    keys.append(k)
                    persons.append(i)
        return keys, persons


_INDEX_KBS: dict[int, tuple[object, _Index]] = {}


def _index(kb) -> _Index:
    hit = _INDEX_KBS.get(id(kb))
    if hit is not None and hit[0] is kb:
        return hit[1]
    idx = _Index(kb.people)
    if len(_INDEX_KBS) > 8:
        _INDEX_KBS.clear()
    _INDEX_KBS[id(kb)] = (kb, idx)
    return idx


def _same_side(a: str, b: str) -> bool:
    """Vlasov's ROA men held Soviet ranks: a Soviet rank may name an ROA person and back."""
    return a == b or {a, b} <= {"SU", "ROA"}


def _default_kb():
    from pipeline.reconcile.kb import load_kb

    return load_kb()


# ----------------------------------------------------------------------------- matching

def _best_per_person(idx: _Index, surname_zh: str, people_ok, scorer) -> tuple[dict[int, float], int]:
    """{person: best similarity of any reading to any of their keys} and the number of
    characters that had to be read by pinyin."""
    best: dict[int, float] = {}
    unknown = 0
    for rlang in idx.reading_langs:
        rd = _readings(surname_zh, rlang, BEAM)
        if not rd:
            continue
        rkeys = [phonetic_key(r) for r, _, _ in rd]
        costs = [c for _, c, _ in rd]
        unknown = min(u for _, _, u in rd)
        keys, persons = idx.candidates(rlang, rkeys, people_ok)
        if not keys:
            continue
        sims = cdist(rkeys, keys, scorer=scorer, processor=None)
        # a reading that needed less likely options is worth a little less
        col_best = (sims - READING_COST * (np.asarray(costs) - costs[0])[:, None]).max(axis=0)
        for i, sim in zip(persons, col_best.tolist()):
            if sim > best.get(i, -1.0):
                best[i] = sim
    return best, unknown


def match(chinese: str, *, side: str | None = None, kb: "KnowledgeBase | None" = None,
          limit: int = 5, scorer=None) -> list[tuple["KBPerson", float]]:
    """Knowledge-base people whose Latin surname sounds like the Chinese name, with a
    confidence in 0..1, best first (at most `limit`; only candidates sharing a blocking key
    with a reading are scored, so a person missing from the list scores low anyway).

    The confidence is the similarity (SCORER) of the best reading to the person's best
    surname key, less READING_COST per rank of unlikely options the reading used,
    UNKNOWN_PENALTY per character that is not a transliteration character, SHAPE_PENALTY for
    a place-name ending (斯摩棱斯克) or a woman's form of a surname (诺维科娃 vs Novikov), and
    for a full name (名·姓) GIVEN_MISMATCH when its given name reads unlike the person's.
    `side` ('SU', 'DE', ...) keeps only people of that side (SU and ROA together).  `kb`
    defaults to ``load_kb()``; `scorer` (a rapidfuzz scorer in 0..1) to SCORER."""
    kb = kb if kb is not None else _default_kb()
    scorer = scorer or SCORER
    idx = _index(kb)
    given_zh, surname_zh = _name_parts(to_simplified(chinese))
    if not surname_zh or not _HAN.search(surname_zh):
        return []
    side = side.upper() if side else None
    people_ok = (lambda i: _same_side(idx.people[i].side, side)) if side else None

    best, unknown = _best_per_person(idx, surname_zh, people_ok, scorer)
    t = _table()
    place = surname_zh.endswith(t["place_endings"]) if t["place_endings"] else False
    feminine = surname_zh.endswith(t["feminine_endings"]) if t["feminine_endings"] else False
    for i in best:
        best[i] -= UNKNOWN_PENALTY * unknown
        if place or (feminine and not idx.feminine[i]):
            best[i] -= SHAPE_PENALTY

    if given_zh and best:
        g_rd = list(dict.fromkeys(phonetic_key(r) for r, _, _ in _readings(given_zh, None, BEAM)))
        top = max(best.values())
        if g_rd:
            for i in best:
                if idx.given[i] and best[i] >= top - MARGIN - GIVEN_MISMATCH:
                    g = float(cdist(g_rd, idx.given[i], scorer=scorer, processor=None).max())
                    if g < GIVEN_MIN:        # the given name is someone else's
                        best[i] -= GIVEN_MISMATCH

    ranked = sorted(best.items(), key=lambda x: (-x[1], idx.people[x[0]].id))
    return [(idx.people[i], round(max(0.0, min(1.0, sim)), 4)) for i, sim in ranked[:limit]]


def decide(results: list[tuple["KBPerson", float]]) -> tuple["KBPerson", float] | None:
    """The accepted (person, confidence) among `match` results: the best when it reaches
    ACCEPT and beats the next different person by MARGIN; otherwise None."""
    if not results:
        return None
    person, conf = results[0]
    if conf < ACCEPT:
        return None
    for other, c in results[1:]:
        if other.id != person.id:
            if conf - c < MARGIN - 1e-9:
                return None
            break
    return person, conf


def best_match(chinese: str, *, side: str | None = None,
               kb: "KnowledgeBase | None" = None) -> tuple["KBPerson", float] | None:
    """The person a Chinese name is accepted as by sound, with its confidence, or None."""
    return decide(match(chinese, side=side, kb=kb))
