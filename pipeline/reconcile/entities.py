"""Corpus-level entities: one per person and per formation, across documents and languages.

People meet on their canonical name (the knowledge base gives 羅科索夫斯基 and
"Konstantin K. Rokossovsky" the same one); formations on a language-neutral key
(side, echelon, number, branch, guards, name), so 第2坦克集團軍 and "2nd Tank Army"
meet.  Ids are derived from the key, so they are stable across runs.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from pipeline.lang import get_profile
from pipeline.reconcile import names
from pipeline.records import DocumentRecord, Entity, MentionRef

FORMATION_KEY = ("side", "echelon", "number", "branch", "guards", "name")


@lru_cache(maxsize=1 << 16)
def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", names.fold(s) if s.isascii() else s.lower()).strip("_") or \
        hashlib.sha1(s.encode()).hexdigest()[:8]


def person_key(m) -> str:
    return names.fold(m.name)


def formation_key(m) -> tuple:
    return tuple(getattr(m, k) for k in FORMATION_KEY)


def formation_label(key: tuple) -> str:
    side, echelon, number, branch, guards, name = key
    parts = [side or "?", "Guards" if guards else "", str(number) if number is not None else "",
             name or "", branch or "", echelon.replace("_", " ")]
    return " ".join(p for p in parts if p)


def _lang_group(lang: str) -> str:
    """Aliases are grouped by language, not script: zh-Hant and zh-Hans are both 'zh'."""
    return get_profile(lang).code


def resolve(records: list[DocumentRecord]) -> list[Entity]:
    """Entities for every person and formation mention; sets `mention.entity` in place."""
    entities: dict[str, Entity] = {}
    for rec in records:
        if rec.doc.status != "ok":
            continue
        lang = _lang_group(rec.doc.lang)
        for m in rec.mentions:
            if m.type == "person":
                key = person_key(m)
                eid = f"person:{_slug(m.name)}"
                label = m.name
                ekey = {"name": m.name}
            elif m.type == "formation":
                key = formation_key(m)
                eid = "formation:" + "_".join(_slug(str(k)) for k in key if k not in (None, False, ""))
                if m.guards:
                    eid += "_guards"
                label = formation_label(key)
                ekey = dict(zip(FORMATION_KEY, key))
            else:
                continue
            ent = entities.get(eid)
            if ent is None:
                ent = entities[eid] = Entity(id=eid, type=m.type, name=label, key=ekey)
            m.entity = eid
            aliases = ent.aliases.setdefault(lang, [])
            if m.text not in aliases:
                aliases.append(m.text)
            ent.mentions.append(MentionRef(doc=rec.doc.name, start=m.start, end=m.end))
    return sorted(entities.values(), key=lambda e: e.id)
