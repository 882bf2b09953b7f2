"""Internal codes in words a historian reads: sides, formations, date values.

"SU cavalry_infantry group" → "Soviet cavalry-infantry group", "? 5 army" → "5th Army (side
unknown)", "XXXX-03-L" → "late March, year unknown".  Used by the report, the review page and
the exports' `label` columns; the codes themselves stay in the data.
"""
from __future__ import annotations

import calendar
import re

SIDES = {
    "SU": "Soviet", "DE": "German", "HU": "Hungarian", "RO": "Romanian", "IT": "Italian", "FI": "Finnish",
    "JP": "Japanese", "ROA": "Russian Liberation Army", "CN": "Chinese Nationalist", "CN_CCP": "Chinese Communist",
    "MK": "Manchukuo", "MN": "Mongolian",
}
BRANCHES = {
    "guards_tank": "guards tank", "cavalry_mechanized": "cavalry-mechanized", "cavalry_infantry": "cavalry-infantry",
}
ECHELONS = {"army_group": "army group"}
THIRDS = {"E": "early", "M": "mid", "L": "late"}


def side_words(side: str | None) -> str | None:
    if not side:
        return None
    return SIDES.get(side, side)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def formation_words(f) -> str:
    """A formation (a mention or an entity key: side, echelon, number, branch, guards, name) in words.

    A numbered unit reads "5th Army"; a named one "Central Front"; an unnumbered one
    "Soviet cavalry-infantry group". Without a side: "... (side unknown)"."""
    get = f.get if isinstance(f, dict) else (lambda k: getattr(f, k, None))
    side = side_words(get("side"))
    echelon = ECHELONS.get(get("echelon") or "", (get("echelon") or "formation").replace("_", " "))
    branch = get("branch")
    branch = BRANCHES.get(branch, branch.replace("_", " ")) if branch else ""
    guards = "Guards " if get("guards") else ""
    number, name = get("number"), get("name")
    if name and number is None and get("echelon") == "army_group":
        words = f"Army Group {name}"
        return f"{side} {words}" if side else f"{words} (side unknown)"
    if number is not None or name:
        head = ordinal(int(number)) if number is not None else str(name)
        words = " ".join(w for w in (head, guards.strip(), branch.title(), echelon.title()) if w)
        return f"{side} {words}" if side else f"{words} (side unknown)"
    words = " ".join(w for w in (guards.strip().lower(), branch, echelon) if w)
    return f"{side} {words}" if side else f"{words} (side unknown)"


_DECADE = re.compile(r"(\d{3})X")
_DATE = re.compile(r"(\d{4}|X{4})(?:-(\d{2}|XX)(?:-(\d{2}|[EML]|XX))?)?")


def date_words(value: str | None) -> str:
    """An ISO-like date value of the contract in words; an interval 'A/B' as 'A – B'."""
    if not value:
        return ""
    if "/" in value:
        a, b = value.split("/", 1)
        return f"{date_words(a)} – {date_words(b)}"
    if _DECADE.fullmatch(value):
        return f"the {value[:3]}0s"
    m = _DATE.fullmatch(value)
    if not m:
        return value
    y, mo, d = m.groups()
    year = None if y == "XXXX" else y
    month = calendar.month_name[int(mo)] if mo and mo != "XX" and 1 <= int(mo) <= 12 else None
    if month is None:
        return year or "date unknown"
    if d in THIRDS:
        when = f"{THIRDS[d]} {month}"
    elif d and d != "XX":
        when = f"{int(d)} {month}"
    else:
        when = month
    return f"{when} {year}" if year else f"{when}, year unknown"


