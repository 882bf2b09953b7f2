"""conversion_mismatch and unit_mislabel: "455 miles (700 km)", "455 km (700 km)".

A stated conversion is consistent when each side equals the exact conversion of
the other, rounded to the granularity the writer used for that side: "60 miles
(100 km)" is fine (100 km = 62 mi, and "60" is written to the nearest ten), "455
miles (700 km)" is not (700 km = 435 mi, and "455" is written to the nearest five).
A flat percentage tolerance cannot tell these apart.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline import resources
from pipeline.checks import DocumentView, Finding, document_check, evidence
from pipeline.extract.grammar import alternation
from pipeline.extract.quantities import convert
from pipeline.lang import data_language



@lru_cache(maxsize=None)
def _pair_gap(lang: str) -> re.Pattern:
    """Text allowed between a distance and its conversion: "455 miles (700 km)", "455 miles, or 700 km,"
    (the document language's `conversion_opens` and `conversion_qualifiers` of its units lexicon)."""
    lex = resources.lexicon(data_language(lang), "units")
    return re.compile(r"^\s*" + alternation(lex.get("conversion_opens", ["("])) + r"\s*(?:"
                      + alternation(lex.get("conversion_qualifiers", [])) + r"\s*)?$", re.I)
_UNIT_NAMES = {"km": "km", "mi": "miles", "m": "metres", "li": "li", "verst": "versts", "yd": "yards"}


def granularity(value: float) -> float:
    """The rounding step a writer used: 700 -> 100, 455 -> 5, 60 -> 10, 18.5 -> 0.5, 37 -> 1."""
    if float(value).is_integer():
        v = int(value)
        if v == 0:
            return 1
        step = 1
        while v % (step * 10) == 0:
            step *= 10
        if step == 1 and v % 5 == 0:
            return 5
        return step
    decimals = len(repr(float(value)).split(".")[1].rstrip("0"))
    frac = round(value * 10 ** decimals) % 10
    return (5 if frac == 5 else 1) / 10 ** decimals


def agrees(stated: float, converted: float) -> bool:
    return abs(converted - stated) <= granularity(stated) / 2 + 1e-9


def consistent(a: float, unit_a: str, b: float, unit_b: str) -> bool:
    return agrees(b, convert(a, unit_a, unit_b)) and agrees(a, convert(b, unit_b, unit_a))


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 or float(x).is_integer() else f"{x:,.1f}"


def _ends(m) -> list[float]:
    return [v for v in (m.low, m.high) if v is not None]


def pairs(doc: DocumentView):
    ms = sorted((m for m in doc.mentions if m.type == "measurement"), key=lambda m: m.start)
    for a, b in zip(ms, ms[1:]):
        if _pair_gap(doc.lang).match(doc.text[a.end:b.start]) and len(_ends(a)) == len(_ends(b)):
            yield a, b


@document_check("conversions")
def check(doc: DocumentView) -> list[Finding]:
    out = []
    for a, b in pairs(doc):
        ea, eb = _ends(a), _ends(b)
        ev = [evidence(doc, a), evidence(doc, b)]
        if a.unit == b.unit:
            if ea == eb:
                continue
            # the same unit on both sides of a conversion: which unit would make it right?
            other = next((u for u in ("mi", "km") if u != a.unit
                          and all(consistent(x, u, y, b.unit) for x, y in zip(ea, eb))), None)
            hint = (f"; read as {_UNIT_NAMES[other]}, {a.text} would match ({_fmt(ea[0])} {other} = "
                    f"{_fmt(convert(ea[0], other, b.unit))} {b.unit})") if other else ""
            elsewhere = next((m for m in doc.mentions if m.type == "measurement" and m.unit != a.unit
                              and _ends(m) == ea), None)
            if not hint and elsewhere is not None:
                hint = (f"; the text gives '{elsewhere.text}' elsewhere, so the first figure is presumably "
                        f"{_UNIT_NAMES[elsewhere.unit]} ({_fmt(ea[0])} {elsewhere.unit} = "
                        f"{_fmt(convert(ea[0], elsewhere.unit, b.unit))} {b.unit})")
            out.append(Finding("unit_mislabel",
                               f"'{a.text} ({b.text})' gives {_UNIT_NAMES[a.unit]} on both sides of a "
                               f"conversion{hint}.", ev))
            out.append(Finding("conversion_mismatch",
                               f"'{a.text}' and '{b.text}' are given as one distance but differ "
                               f"({_fmt(ea[0])} vs {_fmt(eb[0])} {b.unit}).", ev))
            continue
        bad = [(x, y) for x, y in zip(ea, eb) if not consistent(x, a.unit, y, b.unit)]
        if bad:
            x, y = bad[0]
            out.append(Finding(
                "conversion_mismatch",
                f"{_fmt(x)} {a.unit} is {_fmt(convert(x, a.unit, b.unit))} {b.unit}, but the text gives "
                f"{_fmt(y)} {b.unit} ({_fmt(y)} {b.unit} is {_fmt(convert(y, b.unit, a.unit))} {a.unit}).", ev))
    return out
