"""Distances ("455 miles", "between 18.5 and 37 miles", "80裡"), each with km values."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import resources
from pipeline.extract import base
from pipeline.extract.grammar import grammar
from pipeline.extract.quantities import bounds, number_value, read_quantity, to_km


# a distance expression reaches at most this far before and after its unit word
WINDOW_BEFORE, WINDOW_AFTER = 120, 40


class MeasurementExtractor:
    def __init__(self, nlp: Language, name: str, *, lang: str):
        self.name = name
        self.patterns = grammar(lang).patterns("measurements")
        # every distance has a unit word: the patterns run only in windows around one
        # (DISTANCHOR: the unit word as a word, so "m" inside "commander" opens no window)
        self.unit_re = grammar(lang).compile("{DISTANCHOR}")
        self.units = {k.lower(): v for k, v in resources.lexicon(lang, "units")["distance"].items()}
        self.qualifiers = {k.lower(): v for k, v in
                           resources.lexicon(lang, "figures")["qualifiers"].items()}

    def __call__(self, doc: Doc) -> Doc:
        found = []
        text = base.text_of(doc)
        spans = base.windows(text, self.unit_re, WINDOW_BEFORE, WINDOW_AFTER)
        for pat, m in base.matches_in(self.patterns, text, spans):
            g = m.groupdict()
            s, e = m.span("span") if g.get("span") else m.span()
            if base.is_claimed(doc, s, e, ("date",)):
                continue
            unit = self.units.get((g.get("unit") or "").lower())
            r = read_quantity(doc._.profile, g.get("low") or g.get("range") or "", g.get("high"))
            if r is None or r.low is None or unit is None:
                continue
            low, high, ranged = r.low, (r.high if r.high != r.low else None), r.approx
            qual = self.qualifiers.get(" ".join((g.get("qual") or "").lower().split()))
            if g.get("approx_mark"):
                qual = "approx"
            lo, hi, approx = bounds(low, high, qual)
            approx = approx or ranged
            fields = {"low": _n(lo), "high": _n(hi), "unit": unit,
                      "km_low": to_km(lo, unit), "km_high": to_km(hi, unit), "approx": approx}
            found.append(base.Candidate("measurement", s, e, fields, pat.id))
        for c in base.resolve_overlaps(found):
            base.add(doc, c)
        return doc


def _n(x):
    return None if x is None else number_value(x)


@Language.factory("muster_measurements", default_config={"lang": "en"})
def make_measurement_extractor(nlp: Language, name: str, lang: str) -> MeasurementExtractor:
    return MeasurementExtractor(nlp, name, lang=lang)
