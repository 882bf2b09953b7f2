"""Chinese transliterations of Russian and German names -> knowledge-base people, by sound.

The knowledge base lists the usual Chinese spellings of its people (``people_by_chinese``),
but a text may write a name another way (罗柯索夫斯基, 朱科夫, 华西列夫斯基 / 瓦西列夫斯基,
巴格拉米昂, 莫代尔) or the knowledge base may lack the Chinese spelling altogether.  This
module links such names through their sound:

1. **Readings.**  ``latin_readings("罗柯索夫斯基")`` -> ``["rokosovsky", "rokesovsky", ...]``:
   the Xinhua Russian/German -> Chinese transliteration tables read backwards
   (``models/lexicon/zh/translit.json``: every character with its ordered Latin options), a
   small beam over the options; characters not in the table fall back to their pinyin.
2. **Phonetic keys.**  Readings and the knowledge base's Latin surnames (and variants) are
   both reduced by ``phonetic_key`` to a coarse spelling of the sound, with the orthography of
   the source language undone (German ``sch w z ei ie ck``, Duden ``-ow``, English ``kh zh y``)
   and the distinctions Chinese does not keep folded (r = l, f = v = w, double letters,
   palatalization ``nye`` = ``ne``, ``-skiy`` = ``-sky``).  Rokossovsky, Rokossowski and
   罗科索夫斯基 all become ``lokosovski``.
3. **Scoring.**  ``rapidfuzz.fuzz.ratio`` (normalized Indel similarity) between the best
   reading and the best key of each candidate person, in 0..1.  Not Jaro-Winkler: its prefix
   bonus lifts names that merely start alike (斯大林格勒 Stalingrad vs Stalin scores 0.92 with
   Jaro-Winkler, 0.75 with ratio), and ratio's length penalty is what keeps place names and
   longer/shorter names apart; the leave-one-out run in tests/reconcile/test_translit.py
   measures both (ratio: higher recall at the same precision).
4. **Blocking.**  Keys are indexed by the sound class of their first letter (vowel, b/p,
   d/t, g/k/h, v/f, s/z/c, l/r, m, n, ...) and only keys in the readings' classes whose length
   is within ``LENGTH_BAND`` of a reading are scored (a ratio >= ACCEPT needs
   ``min/max length >= 0.74`` anyway), all readings x candidates in one ``cdist`` call.
5. **Acceptance.**  ``best_match`` accepts the top person when its confidence is
   >= ``ACCEPT`` and beats the next *different* person by >= ``MARGIN`` (so the three
   Kuznetsovs, or two people whose names sound alike, are never guessed).

For a full name (``康斯坦丁·罗科索夫斯基``) the surname decides the candidates and the given
name, when it reads like the person's, is averaged in (weighted by length): it separates
namesakes (瓦西里·库兹涅佐夫 vs 费奥多尔·库兹涅佐夫).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from pipeline import resources

if TYPE_CHECKING:  # pragma: no cover
    from pipeline.reconcile.kb import KBPerson, KnowledgeBase

ACCEPT = 0.85        # confidence from which a phonetic match is taken as the person
MARGIN = 0.06        # ... and by which it must beat the next different person
BEAM = 50            # readings kept per name (all languages together)
LENGTH_BAND = 0.6    # candidates: min(len)/max(len) of reading and key >= this
UNKNOWN_PENALTY = 0.08  # confidence lost per character read by its pinyin (not a transliteration character)
PLACE_PENALTY = 0.2   # confidence lost by a name with a place-name ending (斯摩棱斯克, 斯大林格勒)
GIVEN_MIN = 0.6      # a given name scoring below this is not averaged in (the surname alone decides)

_SEP = re.compile(r"[·•‧・･．⋅∙\s]+")
_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
_PARTICLES_ZH = {"冯", "馮", "范", "德", "凡"}          # von / van / de written as a separate segment
_PARTICLES = ("ritter von ", "freiherr von ", "graf von ", "von der ", "von dem ", "von ", "van ", "de ")
_VOWELS = "aeiou"

# languages a person's Latin name is read in, by side
_SIDE_LANGS = {"SU": ("ru",), "ROA": ("ru",), "DE": ("de",), "FI": ("de",), "HU": ("hu",), "RO": ("ro",),
               "IT": ("it",)}
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
            "place_endings": tuple(raw.get("place_endings", []))}


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
    s = s.replace("tsch", "ch").replace("sch", "sh")
    s = s.replace("chs", chs).replace("ch", "kh").replace("ck", "k").replace("ph", "f").replace("th", "t")
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
        s = s.replace("tsch", "ch").replace("sch", "sh").replace("ch", "kh").replace("z", "ts")
        s = s.replace("j", "y")
    return s


def _romance(s: str) -> str:
    s = re.sub(r"c(?=[eiy])", "ch", s)                  # Romanian / Italian ce ci
    s = s.replace("gh", "g")
    return s


def _hungarian(s: str) -> str:
    s = s.replace("cs", "ch").replace("sz", "s").replace("zs", "zh").replace("gy", "dy").replace("ny", "ny")
    s = s.replace("j", "y")
    return s


_LANG_RULES = {"de": _german, "ru": _russian, "it": _romance, "ro": _romance, "hu": _hungarian}


def key_variants(latin: str, lang: str | None = None) -> set[str]:
    """The phonetic keys of a knowledge-base spelling: one, or two where the spelling is
    ambiguous (German chs: Weichs 魏克斯 = vaiks, Heinrichs 海因里希斯 = hainrihs)."""
    keys = {phonetic_key(latin, lang)}
    if lang == "de" and "chs" in latin.casefold():
        keys.add(_finish(_german(_prepare(latin), chs="khs")))
    return keys


def _prepare(latin: str) -> str:
    return re.sub(r"[^a-z]", "", _fold(latin))


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
    s = s.replace("kh", "h").replace("ph", "f").replace("x", "ks").replace("q", "k").replace("w", "v")
    s = s.replace("f", "v")
    s = re.sub(r"c(?!h)", "k", s)
    s = re.sub(r"e[iy](?![aeiou])", "ai", s)             # Kreizer, Reiter: Chinese 赖 rai
    s = re.sub(r"m(?=[bp])", "n", s)                     # Kempf: Chinese 肯普夫 ken-p-f
    s = s.replace("j", "zh").replace("y", "i").replace("r", "l")
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
    distinct phonetic keys): '罗科索夫斯基' -> ['rokosovsky', 'rokosofsky', ...].  `lang` 'ru' or
    'de' reads it with that language's table only.  A full name (康斯坦丁·罗科索夫斯基) is read
    as its surname (the last segment)."""
    parts = _name_parts(to_simplified(chinese))
    if not parts[1]:
        return []
    return [r for r, _, _ in _readings(parts[1], lang, beam)]


def _name_parts(simplified: str) -> tuple[str | None, str]:
    """(given name or None, surname) of a Simplified Chinese name; particles (冯 = von) dropped."""
    segs = [s for s in _SEP.split(simplified.strip()) if s]
    segs = [s for s in segs if s not in _PARTICLES_ZH]
    if not segs:
        return None, ""
    if len(segs) == 1:
        return None, segs[0]
    return segs[0], segs[-1]


# ----------------------------------------------------------------------------- the index

@dataclass(frozen=True)
class _Entry:
    person: int          # index into _Index.people
    key: str


def _surname_forms(p) -> list[str]:
    forms: list[str] = []
    for f in [p.surname, *p.variants]:
        low = _fold(f)
        for part in _PARTICLES:
            if low.startswith(part):
                f = f[len(part):]
                low = low[len(part):]
                break
        if " " in f.strip():
            words = f.split()
            # a full-name variant ("Iosif Stalin", "Ritter von Leeb"): its last word;
            # a two-word surname ("Fretter Pico", "Constantinescu Claps"): also the whole
            forms.append(words[-1])
            if not any(w[:1].isupper() and _fold(w) in {_fold(g) for g in [p.given, *p.given_variants]}
                       for w in words[:1]):
                forms.append(f)
                forms.append(words[0])
        else:
            forms.append(f)
            if "-" in f:                                 # Seydlitz-Kurzbach, Constantinescu-Claps
                forms.append(f.split("-")[0])
    return list(dict.fromkeys(x for x in forms if x))


class _Index:
    def __init__(self, people: list):
        self.people = list(people)
        self.langs: list[tuple[str, ...]] = [_SIDE_LANGS.get(p.side, ("ru", "de")) for p in self.people]
        # blocks[(reading lang, block)] -> entries; reading lang is the table the Chinese is read with
        self.blocks: dict[tuple[str | None, str], list[_Entry]] = {}
        self.given: list[list[str]] = []
        for i, p in enumerate(self.people):
            keys: dict[tuple[str | None, str], None] = {}
            for lang in self.langs[i]:
                rlang = _READING_LANG.get(lang)
                for form in _surname_forms(p):
                    for k in key_variants(form, lang):
                        if len(k) >= 2:
                            keys[(rlang, k)] = None
            for rlang, k in keys:
                self.blocks.setdefault((rlang, _block(k)), []).append(_Entry(i, k))
            gk = {phonetic_key(g, lang) for g in [p.given, *p.given_variants] if g for lang in self.langs[i]}
            self.given.append(sorted(k for k in gk if k))
        self.reading_langs = sorted({rl for rl, _ in self.blocks}, key=lambda x: (x is not None, x or ""))

    def candidates(self, rlang: str | None, rkeys: list[str], people_ok) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        blocks = {_block(k) for k in rkeys}
        lens = [len(k) for k in rkeys]
        lo, hi = min(lens), max(lens)
        for b in blocks:
            for e in self.blocks.get((rlang, b), ()):
                n = len(e.key)
                if n < lo * LENGTH_BAND or n * LENGTH_BAND > hi:
                    continue
                if people_ok is not None and not people_ok(e.person):
                    continue
                out.setdefault(e.person, []).append(e.key)
        return out


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


def _default_kb():
    from pipeline.reconcile.kb import load_kb

    return load_kb()


# ----------------------------------------------------------------------------- matching

def _score(readings: list[str], keys: list[str], scorer) -> float:
    m = cdist(readings, keys, scorer=scorer, processor=None)
    return float(m.max()) / 100.0


def match(chinese: str, *, side: str | None = None, kb: "KnowledgeBase | None" = None,
          limit: int = 5, scorer=fuzz.ratio) -> list[tuple["KBPerson", float]]:
    """Knowledge-base people whose Latin surname sounds like the Chinese name, with a
    confidence in 0..1, best first (at most `limit`, only candidates sharing a blocking key).

    `side` ('SU', 'DE', ...) keeps only people of that side.  The confidence is the
    rapidfuzz ratio between the best reading and the person's best surname key, less
    UNKNOWN_PENALTY per character that is not a transliteration character; for a full name
    whose given name reads like the person's, the length-weighted mean of both."""
    kb = kb if kb is not None else _default_kb()
    idx = _index(kb)
    given_zh, surname_zh = _name_parts(to_simplified(chinese))
    if not surname_zh or not _HAN.search(surname_zh):
        return []
    place_shaped = surname_zh.endswith(_table()["place_endings"]) if _table()["place_endings"] else False
    side = side.upper() if side else None
    people_ok = (lambda i: idx.people[i].side == side) if side else None

    best: dict[int, float] = {}
    for rlang in idx.reading_langs:
        rd = _readings(surname_zh, rlang, BEAM)
        if not rd:
            continue
        rkeys = list(dict.fromkeys(phonetic_key(r) for r, _, _ in rd))
        unknown = min(u for _, _, u in rd)
        cands = idx.candidates(rlang, rkeys, people_ok)
        if not cands:
            continue
        persons = list(cands)
        flat = [k for i in persons for k in cands[i]]
        m = cdist(rkeys, flat, scorer=scorer, processor=None)
        col_best = m.max(axis=0) / 100.0
        j = 0
        for i in persons:
            n = len(cands[i])
            s = float(col_best[j:j + n].max()) - UNKNOWN_PENALTY * unknown - PLACE_PENALTY * place_shaped
            j += n
            if s > best.get(i, -1.0):
                best[i] = s

    if given_zh and best:
        g_rd = [phonetic_key(r) for r, _, _ in _readings(given_zh, None, BEAM)]
        if g_rd:
            s_len = len(phonetic_key(latin_readings(surname_zh)[0])) if latin_readings(surname_zh) else 1
            g_len = len(g_rd[0])
            for i, s in list(best.items()):
                gkeys = idx.given[i]
                if not gkeys:
                    continue
                g = _score(g_rd, gkeys, scorer)
                if g >= GIVEN_MIN:
                    best[i] = (s * s_len + g * g_len) / (s_len + g_len)
                else:
                    best[i] = s - (GIVEN_MIN - g) * 0.25   # a clearly different given name counts against

    ranked = sorted(best.items(), key=lambda x: (-x[1], idx.people[x[0]].id))
    return [(idx.people[i], round(max(0.0, min(1.0, s)), 4)) for i, s in ranked[:limit]]


def decide(results: list[tuple["KBPerson", float]]) -> tuple["KBPerson", float] | None:
    """The accepted (person, confidence) among `match` results: the best when it reaches ACCEPT
    and beats the next different person by MARGIN; otherwise None."""
    if not results:
        return None
    person, conf = results[0]
    if conf < ACCEPT:
        return None
    for other, c in results[1:]:
        if other.id != person.id:
            if conf - c < MARGIN:
                return None
            break
    return person, conf


def best_match(chinese: str, *, side: str | None = None,
               kb: "KnowledgeBase | None" = None) -> tuple["KBPerson", float] | None:
    """The person a Chinese name is accepted as by sound, with its confidence, or None."""
    return decide(match(chinese, side=side, kb=kb))
