"""The knowledge base: people, formations and places of the Eastern Front 1941-45 and of the
war in China 1937-45 (with Khalkhin Gol 1939).

The data lives in ``models/kb/{people,formations,places}.json``, generated from the tables in
``models/kb/src`` by ``models/kb/build.py`` (see ``models/kb/README.md`` for the format and the
editing conventions).  This module validates it with pydantic and
answers the look-ups the pipeline needs:

    kb = load_kb()
    kb.person("rokossovsky_konstantin")
    kb.formation("su_front_central")
    kb.commanders_of("su_army_65")                      # [(KBPerson, KBCommand), ...]
    kb.people_by_surname("rokossovskiy")                # spellings and accents folded
    kb.people_by_chinese("羅科索夫斯基")                   # exact, either script
    kb.people_by_chinese("錫九")                           # a courtesy name (字) too
    kb.people_by_full_name("Li Tsung-jen")                 # a Latin full name, either order
    kb.formation_by_key("DE", "army_group", None, None, False, "Mitte")

Commanders are stored once, on the people (``KBPerson.commands``); a formation's
commanders are derived from them.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator,
                      model_validator)

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "models" / "kb"

SIDES = frozenset({"SU", "DE", "HU", "RO", "IT", "FI", "ROA",
                   "CN", "CN_CCP", "JP", "MK", "MN"})
# how a side's formation ids start when it is not the lower-cased side ('ccp_army_new_fourth_army')
SIDE_ID_PREFIX = {"CN_CCP": "ccp"}
NAME_ORDERS = frozenset({"surname_first"})   # absent (None): given name first
ECHELONS = frozenset({"front", "army_group", "army", "corps", "division", "brigade", "regiment",
                      "battalion", "group"})
PLACE_KINDS = frozenset({"city", "river", "region"})

_ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_DATE_RE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
_DOTS = str.maketrans({"•": "·", "‧": "·", "・": "·", "･": "·", "．": "·", "⋅": "·", "∙": "·", "·": "·"})


# ----------------------------------------------------------------------------- folding helpers

_ENDINGS = (("skiy", "sky"), ("skii", "sky"), ("skij", "sky"), ("ski", "sky"), ("iy", "y"), ("ii", "y"),
            ("yy", "y"))
_PARTICLES = ("ritter von ", "freiherr von ", "von der ", "von dem ", "von ", "van ", "de ")


def _strip_accents(s: str) -> str:
    s = s.replace("ß", "ss").replace("ẞ", "SS")
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def fold_surname(name: str) -> str:
    """Case, accents, apostrophes and romanization endings folded:
    'Rokossovskiy' -> 'rokossovsky', 'Schörner' -> 'schorner', 'Weiß' -> 'weiss'.
    Same folding as ``pipeline.reconcile.names.fold`` (plus ß -> ss)."""
    s = _strip_accents(name).casefold()
    s = re.sub(r"[^a-z\- ]", "", s.replace("’", "'").replace("'", ""))
    s = re.sub(r"\s+", " ", s).strip()
    for a, b in _ENDINGS:
        if s.endswith(a):
            s = s[: -len(a)] + b
            break
    return s


def _without_particles(folded: str) -> str:
    for p in _PARTICLES:
        if folded.startswith(p):
            return folded[len(p):]
    return folded


_DIRECTIONS = ("northwest", "southwest", "northeast", "southeast", "north", "south", "west", "east")
_DESIGNATION_WORDS = re.compile(
    r"\b(?:front mobile group|mobile group|cavalry-mechani[sz]ed group|army group|army detachment|"
    r"task force|heeresgruppe|armeeabteilung|armeegruppe|panzergrenadier-division|panzergrenadier division|"
    r"infanterie-division \(mot\.\)|front|army|group|gruppe|division|corps|the|of)\b",
    re.IGNORECASE)
_ORDINAL = re.compile(r"^\s*(?:\d+(?:st|nd|rd|th|\.)?|first|second|third|fourth)\s+", re.IGNORECASE)
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def _name_key(s: str) -> str:
    k = re.sub(r"[^a-z0-9]", "", _strip_accents(s).casefold())
    for d in _DIRECTIONS:  # Western -> west, North-Western -> northwest
        if k == d + "ern":
            return d
    return k


def _name_keys(s: str) -> set[str]:
    """Keys under which a proper name of a formation is found: as written, without the
    designation words ('Army Group Centre' -> 'centre'), without a leading ordinal."""
    keys = {_name_key(s)}
    stripped = _DESIGNATION_WORDS.sub(" ", s)
    keys.add(_name_key(stripped))
    keys.add(_name_key(_ORDINAL.sub("", stripped)))
    keys.discard("")
    return keys


def formation_id_prefix(side: str) -> str:
    """'su', 'de', 'cn', 'jp', 'ccp' (for CN_CCP): how the ids of a side's formations start."""
    return SIDE_ID_PREFIX.get(side, side.lower())


def _full_key(name: str) -> str:
    """A Latin full name folded for look-up: 'Chiang Kai-shek' -> 'chiang kaishek'."""
    s = _strip_accents(name).casefold().replace("’", "'")
    s = re.sub(r"['\-]", "", s)
    s = re.sub(r"[^a-z ]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _date_le(a: str, b: str) -> bool:
    """a <= b for partial ISO dates, comparing only the precision both have."""
    n = min(len(a), len(b))
    return a[:n] <= b[:n]


# ----------------------------------------------------------------------------- records

def _check_id(v: str) -> str:
    if not isinstance(v, str) or not _ID_RE.match(v):
        raise ValueError(f"id {v!r} is not lower_snake_case ascii")
    return v


def _check_strings(v: list[str], what: str) -> list[str]:
    for s in v:
        if not s or s != s.strip():
            raise ValueError(f"{what}: empty or padded string {s!r}")
    if len(set(v)) != len(v):
        raise ValueError(f"{what}: duplicate entries")
    return v


class KBCommand(BaseModel):
    """One command held: formation id and period (partial ISO dates; ``to`` None = open/unknown)."""
    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True,
                              serialize_by_alias=True)

    formation: str
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None

    @field_validator("formation")
    @classmethod
    def _formation_id(cls, v: str) -> str:
        return _check_id(v)

    @field_validator("from_", "to")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        if v is not None and not _DATE_RE.match(v):
            raise ValueError(f"date {v!r} is not partial ISO (YYYY, YYYY-MM or YYYY-MM-DD)")
        return v

    @model_validator(mode="after")
    def _order(self) -> "KBCommand":
        if self.from_ and self.to and not _date_le(self.from_, self.to):
            raise ValueError(f"command of {self.formation!r} ends ({self.to}) before it starts ({self.from_})")
        return self

    @property
    def start(self) -> str | None:
        return self.from_

    @property
    def end(self) -> str | None:
        return self.to

    def covers(self, date: str) -> bool:
        """Whether this command's period contains `date` (partial ISO), as far as is known."""
        if self.from_ and not _date_le(self.from_, date):
            return False
        if self.to and not _date_le(date, self.to):
            return False
        return True


class _KBEntry(BaseModel):
    """What every knowledge-base entry has: a unique lower_snake id, and no unknown keys."""
    model_config = ConfigDict(extra="forbid")

    id: str

    @field_validator("id")
    @classmethod
    def _valid_id(cls, v: str) -> str:
        return _check_id(v)


class KBPerson(_KBEntry):
    name: str = Field(description="canonical Latin name: given name + surname, no patronymic")
    given: str
    surname: str = Field(description="with its particle: 'von Kluge'")
    patronymic: str | None = None
    side: str
    original: str | None = Field(default=None, description="Cyrillic for Soviets, German spelling for Germans")
    name_order: str | None = Field(default=None, description="'surname_first' for Chinese names (Xue Yue); "
                                                             "absent: given name first")
    variants: list[str] = Field(default_factory=list, description="other Latin spellings of surname / full name")
    given_variants: list[str] = Field(default_factory=list)
    zh_hans: list[str] = Field(default_factory=list, description="surname, Simplified; first = standard")
    zh_hant: list[str] = Field(default_factory=list, description="surname, Traditional; first = most common")
    zh_full_hans: list[str] = Field(default_factory=list)
    zh_full_hant: list[str] = Field(default_factory=list)
    zh_courtesy_hans: list[str] = Field(default_factory=list, description="courtesy names (字), Simplified")
    zh_courtesy_hant: list[str] = Field(default_factory=list, description="courtesy names (字), Traditional")
    ranks: list[str] = Field(default_factory=list)
    commands: list[KBCommand] = Field(default_factory=list)

    @field_validator("side")
    @classmethod
    def _side(cls, v: str) -> str:
        if v not in SIDES:
            raise ValueError(f"side {v!r} not in {sorted(SIDES)}")
        return v

    @field_validator("name", "given", "surname")
    @classmethod
    def _nonempty(cls, v: str) -> str:
        if not v or v != v.strip():
            raise ValueError(f"empty or padded name {v!r}")
        return v

    @field_validator("variants", "given_variants", "zh_hans", "zh_hant", "zh_full_hans", "zh_full_hant",
                     "zh_courtesy_hans", "zh_courtesy_hant", "ranks")
    @classmethod
    def _strings(cls, v: list[str], info) -> list[str]:
        return _check_strings(v, info.field_name)

    @field_validator("name_order")
    @classmethod
    def _order(cls, v: str | None) -> str | None:
        if v is not None and v not in NAME_ORDERS:
            raise ValueError(f"name_order {v!r} not in {sorted(NAME_ORDERS)} (leave it empty for given name first)")
        return v

    @property
    def surname_first(self) -> bool:
        """Whether the canonical name is written surname first (Chinese names: 'Xue Yue')."""
        return self.name_order == "surname_first"

    @property
    def expected_name(self) -> str:
        """What `name` must be: given + surname, or surname + given for a surname-first name."""
        return f"{self.surname} {self.given}" if self.surname_first else f"{self.given} {self.surname}"

    @property
    def bare_surname(self) -> str:
        """Surname without its particle: 'von Kluge' -> 'Kluge'."""
        f = self.surname
        low = f.casefold()
        for p in _PARTICLES:
            if low.startswith(p):
                return f[len(p):]
        return f

    @property
    def chinese_names(self) -> list[str]:
        """Every Chinese form: surnames, full names and courtesy names, both scripts."""
        return [*self.zh_hans, *self.zh_hant, *self.zh_full_hans, *self.zh_full_hant,
                *self.zh_courtesy_hans, *self.zh_courtesy_hant]

    @property
    def chinese_surnames(self) -> list[str]:
        """The surname as Chinese writes it (薛, 岡村, 羅科索夫斯基), both scripts."""
        return list(dict.fromkeys([*self.zh_hans, *self.zh_hant]))

    @property
    def chinese_full_names(self) -> list[str]:
        """Full names (薛岳, 岡村寧次, 蔣介石, 康斯坦丁·罗科索夫斯基), both scripts."""
        return list(dict.fromkeys([*self.zh_full_hans, *self.zh_full_hant]))

    @property
    def courtesy_names(self) -> list[str]:
        """Courtesy names (字) used alone for the person (錫九 for Hao Mengling), both scripts."""
        return list(dict.fromkeys([*self.zh_courtesy_hans, *self.zh_courtesy_hant]))


class KBFormationNames(BaseModel):
    model_config = ConfigDict(extra="forbid")

    en: list[str] = Field(default_factory=list)
    de: list[str] = Field(default_factory=list)
    ru: list[str] = Field(default_factory=list)
    zh_hans: list[str] = Field(default_factory=list)
    zh_hant: list[str] = Field(default_factory=list)

    @field_validator("en", "de", "ru", "zh_hans", "zh_hant")
    @classmethod
    def _strings(cls, v: list[str], info) -> list[str]:
        return _check_strings(v, info.field_name)

    def all(self) -> list[str]:
        return [*self.en, *self.de, *self.ru, *self.zh_hans, *self.zh_hant]


class KBFormation(_KBEntry):
    side: str
    echelon: str
    number: int | None = None
    branch: str | None = None
    guards: bool = False
    name: str | None = None
    names: KBFormationNames = Field(default_factory=KBFormationNames)

    @field_validator("side")
    @classmethod
    def _side(cls, v: str) -> str:
        if v not in SIDES:
            raise ValueError(f"side {v!r} not in {sorted(SIDES)}")
        return v

    @field_validator("echelon")
    @classmethod
    def _echelon(cls, v: str) -> str:
        if v not in ECHELONS:
            raise ValueError(f"echelon {v!r} not in {sorted(ECHELONS)}")
        return v

    @field_validator("branch")
    @classmethod
    def _branch(cls, v: str | None) -> str | None:
        if v is not None and not _ID_RE.match(v):
            raise ValueError(f"branch {v!r} is not lower_snake_case")
        return v

    @field_validator("number")
    @classmethod
    def _number(cls, v: int | None) -> int | None:
        if v is not None and v <= 0:
            raise ValueError(f"number {v} must be positive")
        return v


class KBPlace(_KBEntry):
    name: str
    kind: str
    variants: list[str] = Field(default_factory=list)
    original: str | None = None
    zh_hans: list[str] = Field(default_factory=list)
    zh_hant: list[str] = Field(default_factory=list)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in PLACE_KINDS:
            raise ValueError(f"kind {v!r} not in {sorted(PLACE_KINDS)}")
        return v

    @field_validator("variants", "zh_hans", "zh_hant")
    @classmethod
    def _strings(cls, v: list[str], info) -> list[str]:
        return _check_strings(v, info.field_name)


# ----------------------------------------------------------------------------- the knowledge base

def _norm_branch(side: str | None, branch: str | None) -> str | None:
    if not branch:
        return None
    b = branch.strip().casefold().replace("-", "_").replace(" ", "_")
    if b in ("armoured", "armored", "tank", "panzer"):
        return "panzer" if side == "DE" else "tank"
    if b in ("mechanised",):
        return "mechanized"
    if b in ("motorised",):
        return "motorized"
    return b


class KnowledgeBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str = "1"
    people: list[KBPerson] = Field(default_factory=list)
    formations: list[KBFormation] = Field(default_factory=list)
    places: list[KBPlace] = Field(default_factory=list)

    _people: dict[str, KBPerson] = PrivateAttr(default_factory=dict)
    _formations: dict[str, KBFormation] = PrivateAttr(default_factory=dict)
    _places: dict[str, KBPlace] = PrivateAttr(default_factory=dict)
    _commanders: dict[str, list[tuple[KBPerson, KBCommand]]] = PrivateAttr(default_factory=dict)
    _surnames: dict[str, list[KBPerson]] = PrivateAttr(default_factory=dict)
    _chinese: dict[str, list[KBPerson]] = PrivateAttr(default_factory=dict)
    _full_names: dict[str, list[KBPerson]] = PrivateAttr(default_factory=dict)
    _formation_names: dict[str, set[str]] = PrivateAttr(default_factory=dict)
    _formation_strings: dict[str, list[KBFormation]] = PrivateAttr(default_factory=dict)
    _place_strings: dict[str, list[KBPlace]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _integrity(self) -> "KnowledgeBase":
        for what, items in (("person", self.people), ("formation", self.formations), ("place", self.places)):
            seen: set[str] = set()
            for it in items:
                if it.id in seen:
                    raise ValueError(f"duplicate {what} id {it.id!r}")
                seen.add(it.id)
        fids = {f.id for f in self.formations}
        for p in self.people:
            for c in p.commands:
                if c.formation not in fids:
                    raise ValueError(f"person {p.id!r}: command references unknown formation {c.formation!r}")
        return self

    def model_post_init(self, __context: Any) -> None:
        self._people = {p.id: p for p in self.people}
        self._formations = {f.id: f for f in self.formations}
        self._places = {pl.id: pl for pl in self.places}

        commanders: dict[str, list[tuple[KBPerson, KBCommand]]] = {f.id: [] for f in self.formations}
        for p in self.people:
            for c in p.commands:
                commanders.setdefault(c.formation, []).append((p, c))
        for lst in commanders.values():
            lst.sort(key=lambda pc: (pc[1].from_ or "9999", pc[1].to or "9999", pc[0].id))
        self._commanders = commanders

        surnames: dict[str, list[KBPerson]] = {}
        chinese: dict[str, list[KBPerson]] = {}
        full_names: dict[str, list[KBPerson]] = {}

        def add(index: dict[str, list[KBPerson]], key: str, p: KBPerson) -> None:
            if key and p not in index.setdefault(key, []):
                index[key].append(p)

        for p in self.people:
            for form in [p.surname, *p.variants]:
                k = fold_surname(form)
                add(surnames, k, p)
                add(surnames, _without_particles(k), p)
                if " " in k:  # a full-name variant: also its surname word (last, or first: 'Li Tsung-jen')
                    add(surnames, fold_surname(k.split(" ")[0 if p.surname_first else -1]), p)
            for form in p.chinese_names:
                add(chinese, form.translate(_DOTS), p)
            for form in [p.name, *(v for v in p.variants if " " in v.strip())]:
                add(full_names, _full_key(form), p)
        self._surnames = surnames
        self._chinese = chinese
        self._full_names = full_names

        fnames: dict[str, set[str]] = {}
        fstrings: dict[str, list[KBFormation]] = {}
        for f in self.formations:
            keys: set[str] = set()
            if f.name:
                keys |= _name_keys(f.name)
                for s in [*f.names.en, *f.names.de]:
                    keys |= _name_keys(s)
            fnames[f.id] = keys
            for s in f.names.all():
                lst = fstrings.setdefault(s.casefold(), [])
                if f not in lst:
                    lst.append(f)
        self._formation_names = fnames
        self._formation_strings = fstrings

        pstrings: dict[str, list[KBPlace]] = {}
        for pl in self.places:
            for s in [pl.name, *pl.variants, *([pl.original] if pl.original else []), *pl.zh_hans, *pl.zh_hant]:
                for k in {s.casefold(), _strip_accents(s).casefold()}:
                    lst = pstrings.setdefault(k, [])
                    if pl not in lst:
                        lst.append(pl)
        self._place_strings = pstrings

    # ---- by id
    def person(self, id: str) -> KBPerson:
        """The person with this id (KeyError if unknown)."""
        try:
            return self._people[id]
        except KeyError:
            raise KeyError(f"no person {id!r} in the knowledge base") from None

    def formation(self, id: str) -> KBFormation:
        """The formation with this id (KeyError if unknown)."""
        try:
            return self._formations[id]
        except KeyError:
            raise KeyError(f"no formation {id!r} in the knowledge base") from None

    def place(self, id: str) -> KBPlace:
        """The place with this id (KeyError if unknown)."""
        try:
            return self._places[id]
        except KeyError:
            raise KeyError(f"no place {id!r} in the knowledge base") from None

    def has_person(self, id: str) -> bool:
        return id in self._people

    def has_formation(self, id: str) -> bool:
        return id in self._formations

    # ---- commanders
    def commanders_of(self, formation_id: str, on: str | None = None) -> list[tuple[KBPerson, KBCommand]]:
        """(person, command) for every recorded command of the formation, earliest first.
        With `on` (partial ISO date), only the commands whose period may contain that date.
        KeyError if the formation is unknown."""
        if formation_id not in self._formations:
            raise KeyError(f"no formation {formation_id!r} in the knowledge base")
        pcs = self._commanders.get(formation_id, [])
        if on is not None:
            pcs = [pc for pc in pcs if pc[1].covers(on)]
        return list(pcs)

    # ---- people
    def people_by_surname(self, surname: str) -> list[KBPerson]:
        """People whose surname or a variant folds to `surname` (accents, case, particles and
        -skiy/-skii/-ski -> -sky folded; 'rokossovskiy', 'Rokossowski', 'kluge', 'von Kluge')."""
        k = fold_surname(surname)
        hits = list(self._surnames.get(k, []))
        bare = _without_particles(k)
        if bare != k:
            hits += [p for p in self._surnames.get(bare, []) if p not in hits]
        return hits

    def people_by_chinese(self, text: str) -> list[KBPerson]:
        """People written so in Chinese (surname or full name, Simplified or Traditional; exact
        string, only the middle-dot variants ・‧• are normalized)."""
        return list(self._chinese.get(text.strip().translate(_DOTS), []))

    def all_chinese_names(self) -> dict[str, list[str]]:
        """Every Chinese name string (both scripts, surnames, full and courtesy names) -> person ids."""
        return {s: [p.id for p in ps] for s, ps in self._chinese.items()}

    def chinese_full_names(self) -> dict[str, list[str]]:
        """Full Chinese names only (薛岳, 蔣介石, 岡村寧次, 康斯坦丁·羅科索夫斯基; both scripts) -> person ids:
        the forms that name one person without context (a surname such as 薛 or 李 does not)."""
        out: dict[str, list[str]] = {}
        for p in self.people:
            for s in p.chinese_full_names:
                ids = out.setdefault(s.translate(_DOTS), [])
                if p.id not in ids:
                    ids.append(p.id)
        return out

    def courtesy_names(self) -> dict[str, list[str]]:
        """Courtesy names (字, both scripts) -> person ids (錫九 -> Hao Mengling)."""
        out: dict[str, list[str]] = {}
        for p in self.people:
            for s in p.courtesy_names:
                ids = out.setdefault(s, [])
                if p.id not in ids:
                    ids.append(p.id)
        return out

    def people_by_full_name(self, text: str) -> list[KBPerson]:
        """People whose canonical name or a full-name variant is `text`, in either order and
        with case, accents, hyphens and apostrophes folded: 'Xue Yue', 'Yue Xue', 'Li Tsung-jen',
        'Chiang Kai-shek', 'Chiang Kaishek', 'Seishiro Itagaki', 'Itagaki Seishirō'."""
        k = _full_key(text)
        hits = list(self._full_names.get(k, []))
        words = k.split(" ")
        if len(words) > 1:
            rev = " ".join([*words[1:], words[0]])
            hits += [p for p in self._full_names.get(rev, []) if p not in hits]
            rev = " ".join([words[-1], *words[:-1]])
            hits += [p for p in self._full_names.get(rev, []) if p not in hits]
        return hits

    # ---- formations
    def formation_by_key(self, side: str | None, echelon: str, number: int | None = None,
                         branch: str | None = None, guards: bool = False,
                         name: str | None = None) -> KBFormation | None:
        """The one formation with this identity, or None if unknown or ambiguous.

        Numbered units match on (side, echelon, number, branch, guards); branch 'armoured',
        'tank' and 'panzer' are the same thing (tank for SU, panzer for DE).  Named units
        match on the name in any of its forms ('Mitte' / 'Centre', 'West' / 'Western',
        'Ukrainian' with number 1 / '1st Ukrainian', 'Kempf'); their branch is ignored.
        Fallbacks: a panzer *group* N is the panzer army N; a German panzer army N may be
        the SS panzer army N; a named army / army group / group is looked up across those
        three echelons (Army Detachment Kempf written 'Army Group Kempf')."""
        side = side.upper() if side else None
        br = _norm_branch(side, branch)
        name_keys = _name_keys(name) if name else set()
        if name and number is None:  # '1st Ukrainian' carries its number
            m = _ORDINAL.match(name)
            if m:
                word = m.group(0).strip().casefold().rstrip(".")
                digits = re.match(r"\d+", word)
                number = int(digits.group(0)) if digits else _ORDINAL_WORDS.get(word)

        def find(ech: str, b: str | None) -> list[KBFormation]:
            out = []
            for f in self.formations:
                if (side and f.side != side) or f.echelon != ech or bool(f.guards) != bool(guards):
                    continue
                if name_keys:
                    if not (name_keys & self._formation_names[f.id]):
                        continue
                    if number is not None and f.number is not None and f.number != number:
                        continue
                    out.append(f)
                else:
                    if f.number is None or f.number != number:
                        continue
                    if (f.branch or None) != b:
                        continue
                    out.append(f)
            return out

        hits = find(echelon, br)
        if not hits and not name_keys and echelon == "group" and br == "panzer":
            hits = find("army", "panzer")
        if not hits and not name_keys and side == "DE" and echelon == "army" and br == "panzer":
            hits = find("army", "ss_panzer")
        if not hits and name_keys and echelon in ("army", "army_group", "group"):
            for ech in ("army", "army_group", "group"):
                if ech != echelon:
                    hits += find(ech, br)
        return hits[0] if len(hits) == 1 else None

    def formations_by_name(self, text: str) -> list[KBFormation]:
        """Formations one of whose designations (any language) is exactly `text` (case-insensitive)."""
        return list(self._formation_strings.get(text.strip().casefold(), []))

    # ---- places
    def places_by_name(self, text: str) -> list[KBPlace]:
        """Places whose name, a variant, the original or a Chinese form is exactly `text`
        (case- and accent-insensitive for Latin)."""
        s = text.strip()
        hits = list(self._place_strings.get(s.casefold(), []))
        for p in self._place_strings.get(_strip_accents(s).casefold(), []):
            if p not in hits:
                hits.append(p)
        return hits


# ----------------------------------------------------------------------------- loading

_FILES = (("people.json", "people", KBPerson), ("formations.json", "formations", KBFormation),
          ("places.json", "places", KBPlace))


def _short(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e.get("loc", ()))
        parts.append(f"{loc}: {e.get('msg')}" if loc else str(e.get("msg")))
    return "; ".join(parts)


def _read(path: Path, key: str, model: type[BaseModel]) -> list[Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path}: knowledge-base file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: not valid UTF-8 JSON: {e}") from None
    if not isinstance(data, dict) or key not in data or not isinstance(data[key], list):
        raise ValueError(f"{path}: expected an object {{\"version\": \"1\", \"{key}\": [...]}}")
    extra = set(data) - {"version", key}
    if extra:
        raise ValueError(f"{path}: unexpected top-level keys {sorted(extra)}")
    if str(data.get("version")) != "1":
        raise ValueError(f"{path}: unsupported version {data.get('version')!r} (expected \"1\")")
    items = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(data[key]):
        eid = entry.get("id") if isinstance(entry, dict) else None
        try:
            item = model.model_validate(entry)
        except ValidationError as e:
            raise ValueError(f"{path}: {key}[{i}] (id={eid!r}): {_short(e)}") from None
        if item.id in seen:
            raise ValueError(f"{path}: duplicate id {item.id!r} ({key}[{seen[item.id]}] and {key}[{i}])")
        seen[item.id] = i
        items.append(item)
    return items


def _load(root: Path) -> KnowledgeBase:
    root = Path(root)
    loaded = {key: _read(root / fname, key, model) for fname, key, model in _FILES}
    fids = {f.id for f in loaded["formations"]}
    for p in loaded["people"]:
        for c in p.commands:
            if c.formation not in fids:
                raise ValueError(f"{root / 'people.json'}: person {p.id!r}: command references unknown "
                                 f"formation {c.formation!r} (not in {root / 'formations.json'})")
    try:
        return KnowledgeBase(version="1", **loaded)
    except ValidationError as e:  # pragma: no cover - the checks above come first
        raise ValueError(f"{root}: {_short(e)}") from None


@lru_cache(maxsize=1)
def _load_default() -> KnowledgeBase:
    return _load(DEFAULT_ROOT)


def load_kb(root: Path | str | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base in `root` (default: ``<repo>/models/kb``, cached).

    Raises ValueError naming the file and the entry when the data is invalid (bad field,
    duplicate id, command referencing an unknown formation)."""
    if root is None or Path(root).resolve() == DEFAULT_ROOT:
        return _load_default()
    return _load(Path(root))
