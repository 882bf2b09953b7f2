"""Person names: folding spellings, and finding the knowledge-base person behind a surface form."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ENDINGS = (("skiy", "sky"), ("skii", "sky"), ("ski", "sky"), ("iy", "y"), ("ii", "y"), ("yy", "y"))


@lru_cache(maxsize=1 << 16)     # a pure function, called per mention and per compared pair
def fold(name: str) -> str:
    """Case, accents and romanization endings folded: 'Rokossovskiy' -> 'rokossovsky'."""
    s = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"[^a-z\- ]", "", s.replace("’", "'").replace("'", ""))
    for a, b in _ENDINGS:
        if s.endswith(a):
            s = s[: -len(a)] + b
            break
    return s.strip()


def split_name(surface: str, particles: set[str]) -> tuple[str | None, list[str], str]:
    """'Konstantin K. Rokossovsky' -> ('Konstantin', ['K.'], 'Rokossovsky');
    'Günther von Kluge' -> ('Günther', [], 'von Kluge')."""
    tokens = surface.split()
    initials = [t for t in tokens if re.fullmatch(r"(?:[A-Z][a-z]?\.)+", t)]
    words = [t for t in tokens if t not in initials]
    if not words:
        return None, initials, ""
    # the surname keeps its particles: "von Kluge", "von der Schulenburg"
    i = len(words) - 1
    while i > 0 and words[i - 1].lower() in particles:
        i -= 1
    surname = " ".join(words[i:])
    given = words[0] if i > 0 else None
    return given, initials, surname


@lru_cache(maxsize=1)
def knowledge_base():
    from pipeline.reconcile.kb import load_kb
    return load_kb()


def given_matches(person, given: str) -> bool:
    g = fold(given)
    names = [person.given, *getattr(person, "given_variants", [])]
    return any(fold(n) == g for n in names if n)


def kb_lookup(given: str | None, initials: list[str], surname: str):
    """The knowledge-base person for a Latin name, or None when unknown or ambiguous."""
    if not surname.strip():
        return None   # a lone initial ("F.") names nobody
    kb = knowledge_base()
    bare = surname.split()[-1]
    cands = kb.people_by_surname(fold(bare))
    if not cands:
        return None
    if given:
        hits = [p for p in cands if given_matches(p, given)]
        return hits[0] if len(hits) == 1 else None
    if initials:
        first = initials[0][0]
        hits = [p for p in cands if p.given and p.given[0] == first]
        if len(hits) == 1:
            return hits[0]
    return cands[0] if len(cands) == 1 else None


_INITIALS = re.compile(r"^((?:[A-Z]\.?\s?·?)+)")


def kb_lookup_chinese(surface: str, *, commanded=None):
    """(person, surname) for a name written in Chinese: 'V庫茲涅佐夫' -> (Vasily Kuznetsov, ...).

    A Latin initial before the name, then the formation the text says the person led
    (`commanded`: a dict with echelon and number), narrow several people who share one
    Chinese name; when they still cannot be told apart but share a Latin surname, the
    surname alone is returned (never one of them at random).
    """
    m = _INITIALS.match(surface)
    initial = m.group(1).strip()[0] if m else None
    core = surface[m.end():] if m else surface
    hits = knowledge_base().people_by_chinese(core)
    if not hits:
        hits = _by_surname_part(core)
    if initial and len(hits) > 1:
        hits = [p for p in hits if any(n and n[0] == initial for n in [p.given, *p.given_variants])] or hits
    if commanded and len(hits) > 1:
        led = [p for p in hits if _led(p, commanded)]
        hits = led or hits
    if len(hits) == 1:
        return hits[0], hits[0].surname
    surnames = {p.surname for p in hits}
    return None, (surnames.pop() if len(surnames) == 1 else None)


def chinese_parts(surface: str) -> tuple[str | None, str]:
    """(first given name or None, surname) of a transliteration written in parts:
    '格奥尔基·康斯坦丁诺维奇·朱可夫' -> ('格奥尔基', '朱可夫'); particles (冯 = von) dropped."""
    from pipeline.reconcile import translit

    segs = translit.name_segments(surface)
    if not segs:
        return None, ""
    return (segs[0] if len(segs) > 1 else None), segs[-1]


def _by_surname_part(core: str) -> list:
    """People of a full name the knowledge base does not write whole (a patronymic, another
    given-name spelling): those of its surname part, narrowed by the given name when it tells."""
    from pipeline.reconcile import translit

    given, surname = chinese_parts(core)
    if given is None or surname == core:
        return []
    segs = translit.name_segments(core)
    # a double-barrelled surname may be written with a middle dot: X·Y·Z is given X, surname Y-Z
    tries = [surname] + ([segs[-2], f"{segs[-2]}-{segs[-1]}"] if len(segs) >= 3 else [])
    hits = next((h for h in map(knowledge_base().people_by_chinese, tries) if h), [])
    same_given = [p for p in hits if any(chinese_parts(f)[0] == given for f in (*p.zh_full_hans, *p.zh_full_hant))]
    return same_given or hits


def latin_rendering(surface: str, side: str | None = None) -> str:
    """A Latin name for a Chinese-script name nobody could identify: a transliteration in parts
    read back by sound ('格里戈里·施捷尔恩' -> 'Grigori Shtern'), else pinyin ('季明' -> 'Ji Ming')."""
    from pipeline.reconcile import translit

    given, surname = chinese_parts(surface)
    if given is None:
        return pinyin_name(surface)
    lang = translit.side_language(side)

    def read(part: str) -> str:
        pieces = []
        for piece in part.split("-"):
            readings = translit.latin_readings(piece, lang=lang)
            pieces.append(readings[0].capitalize() if readings else pinyin_name(piece))
        return "-".join(pieces)

    return f"{read(given)} {read(surname)}"


def _led(person, unit: dict) -> bool:
    kb = knowledge_base()
    for cmd in person.commands:
        if kb.has_formation(cmd.formation):
            f = kb.formation(cmd.formation)
            if f.echelon == unit.get("echelon") and f.number == unit.get("number"):
                return True
    return False


def pinyin_name(surface: str) -> str:
    """A readable Latin rendering of an unknown Chinese-script name: 季明 -> 'Ji Ming'."""
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(surface) if s.strip() and s.isalpha()]
    if not syllables:
        return surface
    if len(syllables) == 1:
        return syllables[0].capitalize()
    # surname first, as the gold and Chinese usage write it: 季明 -> Ji Ming, 奧喬耶亞 -> Ao Qiaoyeya
    return f"{syllables[0].capitalize()} {''.join(syllables[1:]).capitalize()}"


def _gazetteer_spec(lang: str) -> dict:
    """Which knowledge-base fields a language writes names in, from models/lexicon/<lang>/people.json."""
    from pipeline import resources

    return resources.lexicon(lang, "people")["gazetteer"]


def _compile(forms: set[str], bounded: bool):
    if not forms:
        return None
    alts = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{alts})(?![\w-])" if bounded else alts)


def _forms(entries, fields: list[str], spec: dict, skip: set[str] = frozenset()) -> set[str]:
    out = set()
    for entry in entries:
        for f in fields:
            value = getattr(entry, f)
            for form in value if isinstance(value, list) else [value]:
                if form and form not in skip and len(form) >= spec["min_length"] \
                        and (spec.get("multiword", True) or " " not in form.strip()):
                    out.add(form)
    return out


@lru_cache(maxsize=None)
def _gazetteer(lang: str):
    """One regex over every person name the knowledge base writes in this language's script."""
    from pipeline import resources

    spec = _gazetteer_spec(lang)
    ambiguous = set(resources.lexicon(lang, "people").get("ambiguous_surnames", []))
    forms = _forms(knowledge_base().people, spec["person_fields"], spec, ambiguous)
    return _compile(forms, spec["word_boundaries"])


@lru_cache(maxsize=None)
def _place_gazetteer(lang: str):
    spec = _gazetteer_spec(lang)
    return _compile(_forms(knowledge_base().places, spec["place_fields"], spec), spec["word_boundaries"])


def _find(rx, text: str):
    if rx is None:
        return
    for m in rx.finditer(text):
        yield m.group(), m.start()


def find_names(text: str, lang: str):
    """(surface, start) of every knowledge-base person name in `text` (Simplified for zh)."""
    return _find(_gazetteer(lang), text)


def find_places(text: str, lang: str):
    """(surface, start) of every knowledge-base place name in `text` (Simplified for zh)."""
    return _find(_place_gazetteer(lang), text)


def link_chinese(surface: str, *, commanded=None, side: str | None = None):
    """(person, confidence) for a name written in Chinese.

    The knowledge-base person written so (`kb_lookup_chinese`; confidence None: an exact
    link); else, for a spelling the knowledge base does not have at all, the person it is
    accepted as by sound (`pipeline.reconcile.translit`: 罗柯索夫斯基 -> Rokossovsky, with a
    confidence in ACCEPT..1); else (None, None).  A spelling the knowledge base gives to
    several people is never guessed by sound.  A Latin initial before the name and the
    formation the person led (`commanded`) narrow the phonetic candidates as they narrow
    the exact ones; `side` ('SU', 'DE', ...), when known, restricts them to that side."""
    from pipeline.reconcile import translit

    person, surname = kb_lookup_chinese(surface, commanded=commanded)
    if person is not None:
        return person, None
    m = _INITIALS.match(surface)
    initial = m.group(1).strip()[0] if m else None
    core = surface[m.end():] if m else surface
    if surname is not None or knowledge_base().people_by_chinese(core):
        return None, None
    results = translit.match(core, side=side, kb=knowledge_base(), limit=10)
    if initial:
        results = [r for r in results if any(n and n[0] == initial for n in [r[0].given, *r[0].given_variants])]
    if commanded:
        results = [r for r in results if _led(r[0], commanded)] or results
    hit = translit.decide(results)
    return hit if hit is not None else (None, None)


@lru_cache(maxsize=1)
def _ids_by_name() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for p in knowledge_base().people:
        out.setdefault(p.name, set()).add(p.id)
    return out


def person_ids(name: str) -> set[str]:
    """Ids of the knowledge-base people of a canonical name."""
    return _ids_by_name().get(name, set())


def known_names():
    """The canonical names of the knowledge base's people."""
    return _ids_by_name().keys()


def known_apart(a: str, b: str) -> bool:
    """True when the knowledge base knows names a and b as different people."""
    ids = _ids_by_name()
    ids_a, ids_b = ids.get(a, set()), ids.get(b, set())
    return bool(ids_a and ids_b and ids_a != ids_b)
