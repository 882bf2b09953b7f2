"""Military formations: "2nd Tank Army", "II Guards Cavalry Corps", "Heeresgruppe 'Mitte'",
"Central Front", "cavalry infantry group", 第29集團軍, 第四裝甲集團軍羣 ...

Each candidate gets echelon, number, branch, guards, name, and the side its own
words imply (Panzer -> DE, Front -> SU); the side from context is filled in later
by the `muster_sides` component.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import resources
from pipeline.extract import base
from pipeline.extract.grammar import grammar

# definite designations only: "the cavalry group", "Kryukov's group"; "a shock group" is no unit name
_DETERMINERS = re.compile(r"(?:\b(?:the|this|that|his|her|its|their)|['’]s|的)\s*$", re.I)


class FormationExtractor:
    def __init__(self, nlp: Language, name: str, *, lang: str):
        self.name = name
        self.patterns = grammar(lang).patterns("formations")
        lex = resources.lexicon(lang, "formations")
        numbers = resources.optional_lexicon(lang, "numbers")
        self.echelons = {k.lower(): v for k, v in (*lex.get("echelons", {}).items(),
                                                    *lex.get("plural_echelons", {}).items()) if not k.startswith("_")}
        self.branches = {k.lower(): v for k, v in lex.get("branches", {}).items()}
        self.names = dict(lex.get("names", {}))
        if lex.get("commander_names_from_kb"):      # 普利耶夫骑机集群 -> Pliyev
            from pipeline.reconcile.names import knowledge_base

            for p in knowledge_base().people:
                for form in getattr(p, lex["commander_names_from_kb"]):
                    self.names.setdefault(form, p.surname.split()[-1])
        self.named = {k.lower(): v for k, v in lex.get("named_armies", {}).items()}
        self.not_units = {k.lower() for k in lex.get("not_units", [])}
        self.intrinsic = lex.get("intrinsic_side", {})
        self.guards_words = tuple(lex.get("guards_words", ["guards"]))
        # languages written without spaces (Chinese) match branch words anywhere in the phrase
        self.word_boundaries = lex.get("word_boundaries", True)
        self.roman = numbers.get("roman", {})
        self.ordinals = numbers.get("ordinals", {})

    # -- values ------------------------------------------------------------
    def number(self, doc: Doc, s: str | None) -> int | None:
        if not s:
            return None
        s = s.strip().rstrip(".")      # the German ordinal dot: 24., XXXXVIII.
        if s in self.roman:
            return self.roman[s]
        if s.lower() in self.ordinals:
            return self.ordinals[s.lower()] if s[0].isupper() else None
        digits = re.match(r"\d+", s)
        if digits:
            return int(digits.group())
        v = doc._.profile.parse_number(s)
        return int(v) if v is not None else None

    def branch_of(self, words: str) -> tuple[str | None, bool]:
        """Branch and guards flag from the words between number and echelon."""
        w = " ".join(words.lower().replace("-", " - ").split()).replace(" - ", "-")
        guards = any(g in w for g in self.guards_words)
        for g in self.guards_words:
            w = w.replace(g, " ")
        w = " ".join(w.split())
        if not w:
            return None, guards
        if w in self.branches:
            return self.branches[w], guards
        found = None
        # longest known branch phrase inside the words ("ski infantry" before "infantry")
        for key in sorted(self.branches, key=len, reverse=True):
            rx = rf"(?<!\w){re.escape(key)}(?!\w)" if self.word_boundaries else re.escape(key)
            if re.search(rx, w) and self.branches[key]:
                found = self.branches[key]
                break
        return found, guards

    def side_of(self, c: base.Candidate) -> str | None:
        f = c.fields
        for key in (f"word:{c.evidence.echelon_word}", f"branch:{f.get('branch')}", f"echelon:{f['echelon']}",
                    "guards" if f.get("guards") else ""):
            if key in self.intrinsic:
                return self.intrinsic[key]
        return None

    def __call__(self, doc: Doc) -> Doc:
        text = base.text_of(doc)
        found = []
        for pat in self.patterns:
            for m in pat.finditer(text):
                g = {k: v for k, v in m.groupdict().items() if v is not None}
                s, e = m.span("span") if g.get("span") else m.span()
                if text[s:e].lower() in self.not_units or base.is_claimed(doc, s, e, ("date", "measurement")):
                    continue
                f = self.fields(doc, g, pat.attrs)
                if f is None:
                    continue
                if f.get("number") is not None and g.get("num") and \
                        base.is_claimed(doc, m.start("num"), m.end("num"), ("corrupt",)):
                    f["number"] = None   # "334950團軍": a garbled number is no number
                if pat.attrs.get("needs_determiner") and not _DETERMINERS.search(text[max(0, s - 40):s]):
                    continue
                found.append(base.Candidate("formation", s, e, f, pat.id, base.FormationEvidence(
                    echelon_word="" if g.get("named") else _echelon_word(g, pat.attrs),
                    needs_parent=bool(pat.attrs.get("needs_parent")))))
        kept = base.resolve_overlaps(found)
        self._parents(kept)
        self._short_forms(kept)
        for c in kept:
            if c.fields.get("side") is None:
                c.fields["side"] = self.side_of(c)
            base.add(doc, c)
        return doc

    def fields(self, doc: Doc, g: dict, attrs: dict) -> dict | None:
        if g.get("qname"):          # a quoted name: “中央”集團軍群 is the named unit 中央集团军群
            g = {**g, "named": g["qname"] + g["qech"]}
        if g.get("named"):
            spec = self.named.get(" ".join(g["named"].lower().split()))
            if spec is None:
                return None
            return {"echelon": spec["echelon"], "number": None, "branch": spec.get("branch"),
                    "guards": False, "side": spec.get("side"), "name": spec.get("name")}
        ech_word = _echelon_word(g, attrs)
        echelon, ech_branch = self.echelons.get(ech_word, (None, None))
        if echelon is None:
            return None
        mods = " ".join(x for x in (g.get("guards"), g.get("mods"), g.get("kind")) if x)
        branch, guards = self.branch_of(mods)
        branch = branch or ech_branch or attrs.get("branch")
        guards = guards or bool(attrs.get("guards"))
        number = self.number(doc, g.get("num"))
        if g.get("num") and number is None:
            return None
        name = g.get("name")
        if name:
            name = self.names.get(name, name)
        if number is None and not name and not attrs.get("allow_unnamed", True):
            return None
        f = {"echelon": echelon, "number": number, "branch": branch, "guards": guards,
             "side": attrs.get("side"), "name": name}
        return f

    @staticmethod
    def _parents(cands: list[base.Candidate]) -> None:
        """"the brigade of ... Army": keep it only with a parent formation close after it."""
        for c in list(cands):
            if not c.evidence.needs_parent:
                continue
            parent = next((p for p in cands if p is not c and 0 <= p.start - c.end <= 80), None)
            if parent is None:
                cands.remove(c)
            else:
                c.fields["side"] = parent.fields.get("side")
                c.evidence.parent = parent

    @staticmethod
    def _short_forms(cands: list[base.Candidate]) -> None:
        """A later "cavalry group" is the earlier "cavalry infantry group": same branch family."""
        groups = [c for c in cands if c.fields["echelon"] == "group" and c.fields["number"] is None
                  and not c.fields.get("name")]
        for i, c in enumerate(groups):
            b = c.fields.get("branch")
            if not b:
                continue
            for prev in reversed(groups[:i]):
                pb = prev.fields.get("branch") or ""
                if pb != b and pb.startswith(b + "_"):
                    c.fields["branch"] = pb
                    break


def _echelon_word(g: dict, attrs: dict) -> str:
    return " ".join((g.get("ech") or attrs.get("ech") or "group").lower().split())


@Language.factory("muster_formations", default_config={"lang": "en"})
def make_formation_extractor(nlp: Language, name: str, lang: str) -> FormationExtractor:
    return FormationExtractor(nlp, name, lang=lang)
