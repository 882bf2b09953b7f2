"""People, with ranks: "General Polkovnik Konstantin K. Rokossovsky", "Batov's 65th Army",
surname-only repeats, names from spaCy's NER, and names written in Chinese.

Every mention gets the canonical Latin name (knowledge base first; otherwise the
name as written, without rank or patronymic initials; for an unknown Chinese-script
name, pinyin with `name_known: false`).
"""
from __future__ import annotations

import re
import unicodedata

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import resources
from pipeline.extract import base, infobox
from pipeline.extract.grammar import alternation, grammar
from pipeline.reconcile import names

_HAN = re.compile(r"[\u3400-\u9fff]")


class PersonExtractor:
    def __init__(self, nlp: Language, name: str, *, lang: str, use_ner: bool):
        self.name = name
        self.lang = lang
        self.use_ner = use_ner
        pats = grammar(lang).patterns("people")
        self.ranked = [p for p in pats if p.attrs.get("kind", "ranked") == "ranked"]
        self.possessive = [p for p in pats if p.attrs.get("kind") == "possessive"]
        self.after_formation = [p for p in pats if p.attrs.get("kind") == "after_formation"]
        lex = resources.lexicon(lang, "people")
        self.ranks = lex.get("ranks", {})
        self.particles = set(lex.get("particles", []))
        self.not_names = set(lex.get("not_names", []))
        self.polities = infobox.captions(lang)     # side words and state names: "Germany's data"
        cues = lex.get("ner_context", {})
        self.ner_before = re.compile(r"(?i:\b" + alternation(cues["before"]) + r")[\s,:]+(?:(?:[A-Z][\w.'-]*|the|of|von)\s+){0,3}$") \
            if cues.get("before") else None
        self.ner_after = re.compile(r"'s?\s+(?:\S+\s+){0,3}?(?i:" + alternation(cues.get("possessed", [])) + r")\b"
                                    r"|\s*\((?:commander|chief|KIA|POW|WIA)|\s+" + alternation(cues.get("after", [])) + r"\b"
                                    r"|,\s+(?:the\s+)?(?:commander|chief|head)\b") if cues.get("after") else None
        self.ner_not_before = re.compile(r"\b" + alternation(cues["not_before"]) + r"\s+(?:[A-Z][\w-]*\s+){0,2}$") \
            if cues.get("not_before") else None
        self.not_in_native = set(lex.get("surnames", {}).get("not_in_names", []))
        native = lex.get("surnames", {})
        self.native_surnames = sorted(set(native.get("chinese", [])) | set(native.get("japanese", [])),
                                      key=len, reverse=True)
        g = grammar(lang)
        self.courtesy = g.compile(lex["courtesy"]) if lex.get("courtesy") else None
        self.titled_surname = g.compile(lex["titled_surname"]) if lex.get("titled_surname") else None
        nl = lex.get("name_list")
        self.name_list = (nl["separator"], re.compile(nl["clause_end"]), g.compile(nl["item_name"])) if nl else None
        self.rank_prefix = re.compile(
            r"^(?:" + "|".join(re.escape(r).replace(r"\ ", r"\s+")
                               for r in sorted(self.ranks, key=len, reverse=True)) + r")(?:\s+|$)"
        ) if self.ranks else None

    # -- building candidates ---------------------------------------------------
    def _clean(self, surface: str, trusted: bool = False) -> str:
        words = surface.split()
        while words and (words[-1] in self.not_names or words[-1].lower() in self.particles):
            words.pop()
        # after a rank the first word is a given name even when it reads like "German"
        while words and words[0] in self.not_names and not trusted:
            words.pop(0)
        return " ".join(words)

    def _person(self, doc: Doc, start: int, name_text: str, rank: str | None, rule: str):
        """A candidate for `name_text` found at `start` (normalized offsets), or None."""
        if self.rank_prefix is not None:
            m = self.rank_prefix.match(name_text)
            while m and m.end() < len(name_text):
                rank = rank or m.group().strip()
                start += m.end()
                name_text = name_text[m.end():]
                m = self.rank_prefix.match(name_text)
        cleaned = self._clean(name_text, trusted=rank is not None)
        if not cleaned:
            return None
        offset = name_text.find(cleaned)
        s = start + offset
        e = s + len(cleaned)
        fields = {"rank": rank, "side": self.ranks.get(rank) if rank else None}
        return base.Candidate("person", s, e, fields, rule, _evidence(cleaned))

    def __call__(self, doc: Doc) -> Doc:
        text = base.text_of(doc)
        found: list[base.Candidate] = []
        for pat in self.ranked:
            for m in pat.finditer(text):
                c = self._person(doc, m.start("name"), m.group("name"), m.groupdict().get("rank"), pat.id)
                if c and pat.attrs.get("cited") and self._not_a_person(text, c):
                    continue    # "Germany's official data" cites a state
                if c and pat.attrs.get("native") and (
                        base.is_claimed(doc, c.start, c.end, ("formation", "date"))
                        or c.evidence.surface in self.not_names
                        or self.not_in_native.intersection(c.evidence.surface)):
                    continue    # 方面军司令官 is a formation's post, not a person 方面军
                if c:
                    found.append(c)
        for listed in infobox.listed_names(doc):
            if any(c.overlaps(listed.start, listed.end) for c in found) or \
                    base.is_claimed(doc, listed.start, listed.end, ("formation", "date", "measurement")):
                continue
            c = self._person(doc, listed.start, text[listed.start:listed.end], None, f"{self.lang}.person.infobox")
            if c:
                c.fields["side"] = c.fields["side"] or listed.side
                found.append(c)
        ranked = list(found)
        formations = base.of_type(doc, "formation")
        for f in formations:
            before = text[max(0, f.start - 60):f.start]
            for pat in self.possessive:
                m = pat.regex.search(before)
                if m:
                    s0 = f.start - len(before) + m.start("name")
                    c = self._person(doc, s0, m.group("name"), m.groupdict().get("rank"), pat.id)
                    if c:
                        # a ranked mention of the same name wins; it takes the relation
                        same = [r for r in ranked if r.overlaps(c.start, c.end)]
                        for r in same:
                            r.evidence.commands = f
                        if not same:
                            c.evidence.commands = f
                            found.append(c)
                    break
            after = text[f.end:f.end + 60]
            for pat in self.after_formation:
                m = pat.regex.search(after)
                if m:
                    c = self._person(doc, f.end + m.start("name"), m.group("name"),
                                     m.groupdict().get("rank"), pat.id)
                    if c:
                        same = [r for r in ranked if r.overlaps(c.start, c.end)]
                        for r in same:
                            r.evidence.commands = f
                        if not same:
                            c.evidence.commands = f
                            found.append(c)
                    break
        # weaker evidence only where the rank and possessive patterns found nothing
        weaker = list(self._from_ner(doc)) if self.use_ner else []
        weaker.extend(self._from_gazetteer(doc))
        found.extend(w for w in weaker if not any(c.overlaps(w.start, w.end) for c in found))
        found = [c for c in found if not base.is_claimed(doc, c.start, c.end, ("formation", "date"))
                 or c.evidence.chinese]
        kept = base.resolve_overlaps(found)
        kept.extend(self._repeats(doc, kept))
        kept.extend(self._native_repeats(doc, kept))
        kept = base.resolve_overlaps(kept)
        self._canonicalize(kept)
        for c in kept:
            formation, kb_person = c.evidence.commands, c.evidence.kb
            if formation is not None and not formation.fields.get("commander"):
                formation.fields["commander"] = c.fields["name"]   # "Batov's 65th Army"
                if formation.fields.get("side") is None and kb_person is not None:
                    formation.fields["side"] = _side_of_command(kb_person, formation.fields)
            base.add(doc, c)
        return doc

    def _not_a_person(self, text: str, c: base.Candidate) -> bool:
        surface = text[c.start:c.end]
        return surface in self.polities or any(p == surface for p, _ in names.find_places(surface, self.lang))

    def _ner_confirmed(self, text: str, start: int, end: int, known: bool) -> bool:
        """A statistical PERSON is taken when the knowledge base or a rank vouches for it, or a
        role or citation cue stands around it; never inside an operation's or a battle's name."""
        before = text[max(0, start - 60):start]
        if self.ner_not_before is not None and self.ner_not_before.search(before):
            return False
        if any(ch.isalpha() and "LATIN" not in unicodedata.name(ch, "") for ch in text[start:end]):
            return False       # a name in another script is not an English-language person mention
        if known or self.ner_before is None:
            return True
        return bool(self.ner_before.search(before) or self.ner_after.match(text, end))

    def _from_ner(self, doc: Doc):
        text = base.text_of(doc)
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            surface = re.sub(r"'s?$", "", ent.text.strip())
            rank = None
            m = self.rank_prefix.match(surface) if self.rank_prefix else None
            if m:
                rank = m.group().strip()
                surface = surface[m.end():]
            surface = self._clean(surface)
            words = surface.split()
            if not words or any(not w[0].isupper() for w in words if w.lower() not in self.particles):
                continue
            if any(w in self.not_names for w in words):
                continue
            given, initials, surname = names.split_name(surface, self.particles)
            known = names.kb_lookup(None, [], surname) is not None
            start = ent.start_char + ent.text.find(surface)
            # a lone capitalized word needs the knowledge base or a cue even after a rank
            vouched = known or (rank is not None and len(words) > 1)
            if not self._ner_confirmed(text, start, start + len(surface), vouched):
                continue
            c = self._person(doc, start, surface, rank, "en.person.ner")
            if c:
                yield c

    def _from_gazetteer(self, doc: Doc):
        """Names the knowledge base knows, written in this document's script."""
        text = base.text_of(doc)
        places = [(s, s + len(p)) for p, s in names.find_places(text, self.lang)]
        for surface, start in names.find_names(text, self.lang):
            end = start + len(surface)
            if any(ps <= start and end <= pe and (ps, pe) != (start, end) for ps, pe in places):
                continue   # 斯大林 inside 斯大林格勒 is the city
            start, surface = self._with_given_name(text, start, surface)
            yield base.Candidate("person", start, start + len(surface), {"rank": None, "side": None},
                                 f"{self.lang}.person.kb", _evidence(surface))

    _GIVEN_BEFORE = re.compile(r"([A-ZÀ-Þ][a-zß-ÿ]+)\s+((?:[A-Z][a-z]?\.\s?)*)$")

    def _with_given_name(self, text: str, start: int, surface: str) -> tuple[int, str]:
        """'Aleksandr Vasilevsky': a surname found by the gazetteer takes the given name before it
        when the knowledge base gives a person of that surname that given name."""
        if _HAN.search(surface):
            return start, surface
        m = self._GIVEN_BEFORE.search(text[max(0, start - 40):start])
        if not m or names.kb_lookup(m.group(1), [], surface) is None:
            return start, surface
        s0 = start - (len(m.group(0)))
        return s0, text[s0:start] + surface

    def _repeats(self, doc: Doc, found: list[base.Candidate]):
        """Surname-only repeats of people already found ("Rokossovsky planned ...")."""
        text = base.text_of(doc)
        surnames = set()
        for c in found:
            if c.evidence.chinese:
                continue
            _, _, surname = names.split_name(c.evidence.surface, self.particles)
            bare = surname.split()[-1] if surname else ""
            if len(bare) > 2:
                surnames.add(bare)
        out = []
        for sn in surnames:
            for m in re.finditer(rf"(?<![\w.-]){re.escape(sn)}(?![\w-])", text):
                if any(c.overlaps(m.start(), m.end()) for c in found):
                    continue
                if base.is_claimed(doc, m.start(), m.end(), ("formation",)):
                    continue
                out.append(base.Candidate("person", m.start(), m.end(), {"rank": None, "side": None},
                                          "person.repeat", _evidence(sn)))
        return out

    def _native_repeats(self, doc: Doc, found: list[base.Candidate]):
        """Other mentions of a native Chinese or Japanese name found by context: the same name
        again, its courtesy name ("王大明，字子光") and its surname before a rank or post ("王將軍"),
        each named as the person it stands for."""
        if self.courtesy is None:
            return []
        text = base.text_of(doc)
        names = {c.evidence.surface for c in found if c.evidence.chinese
                 and "·" not in c.evidence.surface and 2 <= len(c.evidence.surface) <= 5}
        out: list[base.Candidate] = []

        def add(start: int, end: int, surface: str, rule: str):
            if not any(c.overlaps(start, end) for c in (*found, *out)) and \
                    not base.is_claimed(doc, start, end, ("formation",)):
                out.append(base.Candidate("person", start, end, {"rank": None, "side": None}, rule,
                                          base.PersonEvidence(surface, chinese=True)))

        for name in names:
            for m in re.finditer(re.escape(name), text):
                add(m.start(), m.end(), name, f"{self.lang}.person.repeat")
        for c in [*found, *out]:
            surface = c.evidence.surface
            m = self.courtesy.match(text, c.end) if surface in names else None
            if m:
                add(m.start("name"), m.end("name"), surface, f"{self.lang}.person.courtesy")
        for c in [*found, *out]:
            if c.evidence.surface in names:
                for start, end in self._listed_with(text, c):
                    add(start, end, text[start:end], f"{self.lang}.person.list")
        names |= {c.evidence.surface for c in out if c.rule == f"{self.lang}.person.list"}
        by_surname: dict[str, set[str]] = {}
        for name in names:
            sur = next((x for x in self.native_surnames if name.startswith(x) and len(name) > len(x)), None)
            if sur:
                by_surname.setdefault(sur, set()).add(name)
        for m in self.titled_surname.finditer(text):
            full = by_surname.get(m.group("name"), set())
            if len(full) == 1:      # two people of one surname: 王將軍 names neither
                add(m.start("name"), m.end("name"), next(iter(full)), f"{self.lang}.person.surname_repeat")
        return out

    def _listed_with(self, text: str, c: base.Candidate) -> list[tuple[int, int]]:
        """The names of the other items of a list that holds this person ("甲、乙的工厂、丙")."""
        if self.name_list is None:
            return []
        sep, end_re, item_re = self.name_list
        lo = c.start
        while lo > 0 and not end_re.match(text[lo - 1]):
            lo -= 1
        m = end_re.search(text, c.end)
        hi = m.start() if m else len(text)
        if sep not in text[lo:hi]:
            return []
        out, pos = [], lo
        for item in text[lo:hi].split(sep):
            hit = item_re.match(item)
            if hit and pos + hit.end("name") <= c.start or hit and pos >= c.end:
                out.append((pos + hit.start("name"), pos + hit.end("name")))
            pos += len(item) + len(sep)
        return out

    def _canonicalize(self, cands: list[base.Candidate]) -> None:
        """Canonical names: knowledge base first, else the fullest earlier form in this document."""
        full_forms: dict[str, tuple] = {}   # folded surname -> (name, side, KB person)
        for c in sorted(cands, key=lambda c: c.start):
            surface, chinese = c.evidence.surface, c.evidence.chinese
            if chinese:
                led = c.evidence.commands
                person, surname = names.kb_lookup_chinese(surface, commanded=led.fields if led else None)
                conf = None
                if person is None and surname is None:     # a spelling the KB lacks: link it by sound
                    person, conf = names.link_chinese(surface, commanded=led.fields if led else None,
                                                      side=c.fields.get("side"))
                if person is not None:
                    c.fields.update(name=person.name, side=c.fields.get("side") or person.side,
                                    link_confidence=conf)
                    c.evidence.kb = person
                elif surname:
                    c.fields.update(name=surname)   # known surname, several people bear it
                else:
                    c.fields.update(name=names.latin_rendering(surface, c.fields.get("side")), name_known=False)
                continue
            given, initials, surname = names.split_name(surface, self.particles)
            key = names.fold(surname.split()[-1]) if surname else ""
            person = names.kb_lookup(given, initials, surname)
            if given is None and key in full_forms:
                name, side, kb_person = full_forms[key]
                c.fields.update(name=name, side=c.fields.get("side") or side)
                c.evidence.kb = kb_person
                continue
            if person is not None and (given is not None or initials or key not in full_forms):
                name, side = person.name, person.side
                c.evidence.kb = person
            else:
                person = None
                name = " ".join(x for x in (given, surname) if x)
                side = None
            c.fields.update(name=name, side=c.fields.get("side") or side)
            if given is not None or person is not None:
                full_forms[key] = (name, c.fields["side"], person)


def _evidence(surface: str) -> base.PersonEvidence:
    return base.PersonEvidence(surface, chinese=bool(_HAN.search(surface)))


def _side_of_command(person, f: dict) -> str | None:
    """The side of the formation of this number and echelon the knowledge base says the person led
    (Vlasov's 20th Army was Soviet, whatever side he ended the war on)."""
    kb = names.knowledge_base()
    for cmd in person.commands:
        if kb.has_formation(cmd.formation):
            unit = kb.formation(cmd.formation)
            if unit.echelon == f.get("echelon") and unit.number == f.get("number"):
                return unit.side
    return None


@Language.factory("muster_people", default_config={"lang": "en", "use_ner": True})
def make_person_extractor(nlp: Language, name: str, lang: str, use_ner: bool) -> PersonExtractor:
    return PersonExtractor(nlp, name, lang=lang, use_ner=use_ner)
