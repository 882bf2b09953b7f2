"""name_variant: one person written two ways ("Vladimir V. Khryukin" / "Vladimir V. Kryukov").

Three rules, each over the canonical names the extractors give (a Latin name, the Latin
name of a known person for a Chinese-script one, else a pinyin rendering):

1. **Across the corpus, by given name.** Two Latin-script mentions whose given names agree,
   whose patronymic initials agree (when both are written) and whose surnames differ but are
   close: similarity of the folded spellings or of their phonetic keys
   (`pipeline.reconcile.translit.phonetic_key`: Konjew = Konev) >= 60 when patronymic initial
   and rank agree too, >= 80 otherwise.
2. **Within a document, a spelling the knowledge base lacks.** Two different canonical names
   in one document that share one part and differ in the other by a close spelling (>= 80):
   "Nikolai Vatutin" / "Nikolai Vatutine", "N. Vatutine", 郝夢麟 / 郝夢齡 (Hao Menglin / Hao
   Mengling: the pinyin of the two characters that differ).  At least one of the two names
   must be unknown to the knowledge base: two people it knows are two people.
3. **Within a document, one person by two transliterations.** A name linked to a person only
   by sound (`link_confidence`, not a spelling the knowledge base has) beside a spelling the
   knowledge base has for the same person, whose surname parts differ (茹科夫 / 朱可夫).  A
   different given-name spelling with the same surname ("Georgy" / "Georgi Zhukov") is not a
   variant.

Distinct people who share a surname ("Vasily" / "Fyodor Kuznetsov") never meet: rules 1 and 2
need one part equal and the other different but close, and two people the knowledge base
knows apart are never flagged.
"""
from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from pipeline.checks import DocumentView, Finding, corpus_check, evidence
from pipeline.lang import get_profile
from pipeline.reconcile import names, translit

PARTICLES = {"von", "van", "der", "den", "de", "zu"}
CLOSE_IN_DOCUMENT = 80     # rule 2: similarity of the differing part
MIN_PART = 4               # rule 2: parts shorter than this are too short to compare


def _parts(m):
    given, initials, surname = names.split_name(m.text, PARTICLES)
    return given, initials, surname


def similarity(a: str, b: str) -> float:
    """Of two folded spellings: the better of their own similarity and their phonetic keys'."""
    return max(fuzz.ratio(a, b), fuzz.ratio(translit.phonetic_key(a), translit.phonetic_key(b)))


def _finding(da, a, db, b, message: str) -> Finding:
    where = "" if da is db else f" (in {da.name} and {db.name})"
    return Finding("name_variant", f"'{a.text}' and '{b.text}'{where} {message}: probably one person.",
                   [evidence(da, a), evidence(db, b)])


def _by_given_name(docs: list[DocumentView]) -> list[Finding]:
    """Rule 1."""
    people = []
    for d in docs:
        for m in d.mentions:
            if m.type == "person" and not re.search(r"[\u3400-\u9fff]", m.text):
                given, initials, surname = _parts(m)
                if given and surname:
                    people.append((d, m, given, initials, surname))
    # blocking: only mentions with the same folded given name are compared
    # ... and each distinct spelling (surname, patronymic initial, rank) only once, so the work
    # grows with the number of spellings, not with the number of mentions
    blocks: dict[str, dict] = {}
    for p in people:
        d, m, given, initials, surname = p
        spelling = (names.fold(surname), initials[0][0] if initials else "", m.rank)
        blocks.setdefault(names.fold(given), {}).setdefault(spelling, p)
    out, seen = [], set()
    for group in (list(v.values()) for v in blocks.values()):
        for i, (da, a, ga, ia, sa) in enumerate(group):
            for db, b, gb, ib, sb in group[i + 1:]:
                fa, fb = names.fold(sa), names.fold(sb)
                if fa == fb or frozenset((fa, fb)) in seen or a.name == b.name:
                    continue
                if ia and ib and ia[0] != ib[0]:
                    continue
                score = similarity(fa, fb)
                same_rank = a.rank is not None and a.rank == b.rank
                strong = bool(ia and ib) and same_rank   # given name, patronymic and rank all agree
                if score < (60 if strong else 80) or names.known_apart(a.name, b.name):
                    continue
                seen.add(frozenset((fa, fb)))
                out.append(_finding(
                    da, a, db, b,
                    f"share given name{', patronymic initial' if ia and ib else ''}"
                    f"{' and rank ' + a.rank if same_rank else ''} but spell the surname differently "
                    f"({sa} / {sb})"))
    return out


def _tokens(name: str) -> list[str]:
    return [t for t in names.fold(name).replace("-", " ").split() if t not in PARTICLES]


def _one_part_differs(ta: list[str], tb: list[str]) -> tuple[str, str] | None:
    """The differing parts of two names that agree otherwise: ('vatutin', 'vatutine')."""
    if not ta or not tb:
        return None
    if ta[-1] != tb[-1]:
        rest_a, rest_b = ta[:-1], tb[:-1]
        agree = not rest_a or not rest_b or rest_a == rest_b or (
            len(rest_a) == len(rest_b) and all(x[0] == y[0] for x, y in zip(rest_a, rest_b)))
        return (ta[-1], tb[-1]) if agree else None
    return None      # the same last part: another given name is another person or a given-name spelling


def _known(name: str) -> bool:
    return name in names.known_names()


def _surname_part(surface: str) -> str:
    segs = translit.name_segments(surface)
    return segs[-1] if segs else surface


def _within_documents(docs: list[DocumentView]) -> list[Finding]:
    """Rules 2 and 3."""
    out = []
    for d in docs:
        first: dict[str, object] = {}
        for m in sorted((m for m in d.mentions if m.type == "person"), key=lambda m: m.start):
            first.setdefault(m.name, m)
        spellings = list(first.items())
        for i, (na, a) in enumerate(spellings):
            for nb, b in spellings[i + 1:]:
                if _known(na) and _known(nb) or names.known_apart(na, nb):
                    continue
                diff = _one_part_differs(_tokens(na), _tokens(nb))
                if diff is None or min(len(diff[0]), len(diff[1])) < MIN_PART:
                    continue
                if similarity(*diff) >= CLOSE_IN_DOCUMENT:
                    out.append(_finding(d, a, d, b, f"differ only in one part of the name ({na} / {nb})"))
        out.extend(_homophones(d))
        out.extend(_one_character_off(d))
        # rule 3: the same person by a spelling the knowledge base has and one it reached by sound
        by_person: dict[str, list] = {}
        for m in d.mentions:
            if m.type == "person" and m.name_known:
                by_person.setdefault(m.name, []).append(m)
        for name, ms in by_person.items():
            exact = [m for m in ms if m.link_confidence is None]
            heard = [m for m in ms if m.link_confidence is not None]
            reported = set()
            for h in heard:
                sh = _surname_part(h.text)
                for e in exact:
                    se = _surname_part(e.text)
                    if se == sh or se.isascii() != sh.isascii() or sh in reported:
                        continue
                    reported.add(sh)
                    out.append(_finding(d, e, d, h, f"write the surname of {name} two ways ({se} / {sh})"))
                    break
    return out


def _homophones(d: DocumentView) -> list[Finding]:
    """Rule 2, when the two spellings sound alike: one unknown name (a reading by sound, e.g.
    pinyin) written with two different characters of one sound, once the script is folded
    (蔣中正 / 蒋中正 are one spelling; 畑俊六 / 畑俊留 are two)."""
    norm = get_profile(d.lang).normalize
    by_name: dict[str, dict[str, object]] = {}
    for m in sorted((m for m in d.mentions if m.type == "person" and not m.name_known), key=lambda m: m.start):
        by_name.setdefault(m.name, {}).setdefault(norm(m.text).text, m)
    out = []
    for name, forms in by_name.items():
        ms = list(forms.values())
        for i, a in enumerate(ms):
            b = next((b for b in ms[i + 1:] if len(b.text) == len(a.text) >= 2
                      and sum(x != y for x, y in zip(norm(a.text).text, norm(b.text).text)) == 1), None)
            if b is not None:
                out.append(_finding(d, a, d, b, f"are one name ({name}) written with another character"))
                break
    return out


def _ideographs(text: str) -> bool:
    return bool(text) and all(unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH") for ch in text)


def _one_character_off(d: DocumentView) -> list[Finding]:
    """Rule 2, for a name written in characters the knowledge base knows: the same name with one
    character after the first changed (小松原道太郎 / 小宋原道太郎), the changed spelling unknown to
    it. Three characters at least; a different first character is another family."""
    norm = get_profile(d.lang).normalize
    people = sorted((m for m in d.mentions if m.type == "person" and _ideographs(m.text)), key=lambda m: m.start)
    known = {norm(m.text).text: m for m in people if m.name_known and m.link_confidence is None}
    unknown = {norm(m.text).text: m for m in people if not m.name_known}
    out = []
    for u_text, u in unknown.items():
        for k_text, k in known.items():
            if len(u_text) == len(k_text) >= 3 and u_text[0] == k_text[0] and \
                    sum(x != y for x, y in zip(u_text, k_text)) == 1:
                out.append(_finding(d, k, d, u, f"are one name ({k.name}) written with another character"))
                break
    return out


@corpus_check("name_variants")
def check(docs: list[DocumentView]) -> list[Finding]:
    out, seen = [], set()
    for f in _by_given_name(docs) + _within_documents(docs):
        key = frozenset((e.doc, e.text) for e in f.evidence)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
