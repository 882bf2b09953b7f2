"""Patterns as data: regular expressions with named macros, read from models/.

`models/patterns/<lang>/macros.json` defines macros; a macro is either a regex
(which may use other macros) or `{"lexicon": NAME}` (an alternation of the keys of
`models/lexicon/<lang>/NAME.json`, longest first) or `{"lexicon": NAME, "field": F}`
(the keys of the mapping under F in that file; F may be a dotted path), with `"having": X` only the
keys whose entry has X (`{"where": "head"}`: an entry whose `where` is or lists "head"; `{"category": {"not": null}}`:
an entry with a category; a list: any
of them), or `{"kb": "F1+F2"}` (the values of those knowledge-base person fields);
`"any_case": true` adds each word's lower-case,
upper-case and capitalized forms (faster than `(?i:...)`, which defeats the regex engine's
literal scan), and `"not_lowercase": F2` leaves out the lower-case form of the words listed
under F2 (may, march: verbs before months).  Pattern files
`models/patterns/<lang>/<component>.jsonl` hold one pattern a line:
`{"id": ..., "regex": "...{MONTH}...", ...static attributes}`.
`{NAME}` (upper case) expands to the macro; regex quantifiers like `{2,3}` are untouched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

from pipeline import resources

_MACRO_REF = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


def alternation(words, *, flexible_space: bool = True) -> str:
    """A regex alternation of literal words, longest first (so 'army group' beats 'army')."""
    alts = []
    for w in sorted(set(words), key=lambda s: (-len(s), s)):
        esc = re.escape(w)
        if flexible_space:
            esc = esc.replace(r"\ ", r"\s+")
        alts.append(esc)
    return "(?:" + "|".join(alts) + ")" if alts else "(?!)"


@dataclass(frozen=True)
class Pattern:
    id: str
    regex: re.Pattern
    attrs: dict[str, Any] = field(default_factory=dict)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match]:
        return self.regex.finditer(text, pos, len(text) if endpos is None else endpos)


class Grammar:
    """The macros of one language, and the compiled pattern files that use them."""

    def __init__(self, lang: str):
        self.lang = lang
        self._raw: dict[str, Any] = dict(resources.load_json(f"patterns/{lang}/macros.json"))
        self._raw.pop("_about", None)
        self._expanded: dict[str, str] = {}

    def macro(self, name: str) -> str:
        if name in self._expanded:
            return self._expanded[name]
        if name not in self._raw:
            raise resources.ResourceError(f"models/patterns/{self.lang}: unknown macro {{{name}}}")
        spec = self._raw[name]
        self._expanded[name] = "(?!)"  # guards against a macro that refers to itself
        if isinstance(spec, dict) and "kb" in spec:
            regex = alternation(kb_names(spec["kb"]))
        elif isinstance(spec, dict):
            table = resources.lexicon(self.lang, spec["lexicon"])
            for part in spec["field"].split(".") if "field" in spec else ():
                table = table[part]
            entries = table.items() if isinstance(table, dict) else ((k, None) for k in table)
            words = [k for k, v in entries if not k.startswith("_")
                     and ("having" not in spec or _has(v, spec["having"]))]
            if spec.get("any_case"):
                keep_case = set(resources.lexicon(self.lang, spec["lexicon"]).get(spec.get("not_lowercase"), []))
                words = [v for w in words for v in {w, w.upper(), w[:1].upper() + w[1:].lower(), w.lower()}
                         if v != w.lower() or w.lower() not in keep_case]
            regex = alternation(words)
        elif isinstance(spec, list):
            regex = "(?:" + "|".join(self.expand(s) for s in spec) + ")"
        else:
            regex = "(?:" + self.expand(spec) + ")"
        self._expanded[name] = regex
        return regex

    def expand(self, regex: str) -> str:
        return _MACRO_REF.sub(lambda m: self.macro(m.group(1)), regex)

    def compile(self, regex: str, flags: str = "") -> re.Pattern:
        f = 0
        if "i" in flags:
            f |= re.IGNORECASE
        try:
            return re.compile(self.expand(regex), f)
        except re.error as e:
            raise resources.ResourceError(
                f"models/patterns/{self.lang}: bad regex {regex!r}: {e}") from None

    def patterns(self, component: str) -> list[Pattern]:
        out = []
        for row in resources.patterns(self.lang, component):
            attrs = {k: v for k, v in row.items() if k not in ("id", "regex", "flags")}
            out.append(Pattern(row["id"], self.compile(row["regex"], row.get("flags", "")), attrs))
        return out


def kb_names(field: str) -> list[str]:
    """Every value of a knowledge-base person field (`zh_hans`, `zh_full_hans`, ...): names the
    extractor must know are read from the knowledge base itself, never from a copy."""
    from pipeline.reconcile.names import knowledge_base

    return [n for p in knowledge_base().people for f in field.split("+") for n in getattr(p, f)]


def _has(value: Any, want: Any) -> bool:
    """Does a lexicon entry have `want`: an equal value, a list holding it, a mapping with those items."""
    if isinstance(want, dict) and set(want) == {"not"}:
        return not _has(value, want["not"])
    if isinstance(want, dict):
        return isinstance(value, dict) and all(_has(value.get(k), w) for k, w in want.items())
    if isinstance(want, list):
        return any(_has(value, w) for w in want)
    return value == want or (isinstance(value, list) and want in value)


@lru_cache(maxsize=None)
def grammar(lang: str) -> Grammar:
    return Grammar(lang)
