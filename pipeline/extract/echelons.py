"""Echelons that depend on the army a unit belongs to, read once its side is known.

The same word names different echelons in different armies: a Japanese 军 is an
army and a Chinese one a corps; a Soviet 集团军 is an army and a Chinese one an army
group. `echelons_by_side` in the formations lexicon lists these words by side; the
component runs after `muster_sides`.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import resources
from pipeline.extract import base


class EchelonBySide:
    def __init__(self, nlp: Language, name: str, *, lang: str):
        self.name = name
        table = resources.lexicon(lang, "formations").get("echelons_by_side", {})
        self.by_side = {side: words for side, words in table.items() if not side.startswith("_")}

    def __call__(self, doc: Doc) -> Doc:
        if not self.by_side:
            return doc
        for c in base.of_type(doc, "formation"):
            words = self.by_side.get(c.fields.get("side") or "")
            word = c.evidence.echelon_word if isinstance(c.evidence, base.FormationEvidence) else ""
            spec = words.get(word) if words else None
            if spec is not None:
                echelon, branch = spec
                c.fields["echelon"] = echelon
                c.fields["branch"] = c.fields.get("branch") or branch
        return doc


@Language.factory("muster_echelons", default_config={"lang": "en"})
def make_echelon_by_side(nlp: Language, name: str, lang: str) -> EchelonBySide:
    return EchelonBySide(nlp, name, lang=lang)
