"""Numbers with their qualifiers, and distance units (pint, with the Chinese li)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def units():
    """pint's registry (loaded on first use: a run with nothing to convert never pays for it)."""
    import pint

    ureg = pint.UnitRegistry()
    ureg.define("li = 500 * meter")   # 里/裡, the Chinese mile as used in these texts
    ureg.define("verst = 1066.8 * meter")   # вёрста, the Russian verst of Soviet and Tsarist sources
    return ureg


_PINT_NAMES = {"km": "kilometer", "mi": "mile", "m": "meter", "li": "li", "verst": "verst", "yd": "yard"}


@lru_cache(maxsize=None)
def factor(unit: str, to: str) -> float:
    """How many `to` make one `unit` (pint computes it once per pair)."""
    ureg = units()
    return (1 * ureg(_PINT_NAMES[unit])).to(_PINT_NAMES[to]).magnitude


def convert(value: float, unit: str, to: str) -> float:
    return value * factor(unit, to)


def to_km(value: float | None, unit: str) -> float | None:
    return None if value is None else round(convert(value, unit, "km"), 1)


def read_quantity(profile, low: str, high: str | None = None):
    """The `Reading` of a number ("1,500", "数百") or of a range from `low` to `high`."""
    if not low:
        return None
    return profile.read_range(low, high) if high else profile.read_number(low)


def bounds(value: float, high: float | None, qualifier: str | None) -> tuple[float | None, float | None, bool]:
    """(low, high, approx) for a number and the kind of its qualifier word.

    approx: "about 15,000" -> 15000..15000, approx; min: "at least 20,000" -> 20000..None;
    max: "fewer than 3,000" -> None..3000.
    """
    hi = value if high is None else high
    if qualifier == "approx":
        return value, hi, True
    if qualifier == "min":
        return value, None, False
    if qualifier == "max":
        return None, hi, False
    return value, hi, False


def number_value(x: float) -> float | int:
    """30439.0 -> 30439 (ints stay ints in the JSON)."""
    return int(x) if float(x).is_integer() else x
