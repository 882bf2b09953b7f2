"""Typed records: the single source of truth for muster's JSON output and its JSON Schema.

Every mention carries `[start, end)` offsets in Unicode code points of the document
text exactly as read from disk (see ../shared/spec/CONTRACT.md), and `text` is
that original substring.
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

Echelon = Literal["front", "army_group", "army", "corps", "division", "brigade", "regiment",
                  "battalion", "group"]
CasualtyCategory = Literal["killed", "wounded", "missing", "captured", "sick", "killed_or_missing",
                           "killed_or_captured", "wounded_or_sick", "total", "survivors", "equipment"]
DistanceUnit = Literal["km", "mi", "m", "li", "verst", "yd"]   # verst = 1.0668 km, yd = 0.9144 m
Lang = Literal["en", "zh-Hant", "zh-Hans", "und"]
Severity = Literal["info", "warning", "error"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _MentionBase(_Record):
    start: int = Field(description="start offset, code points into the original text")
    end: int = Field(description="end offset (exclusive)")
    text: str = Field(description="the exact original substring text[start:end]")
    entity: str | None = Field(default=None, description="id of the corpus-level entity")
    rule: str | None = Field(default=None, description="id of the pattern that produced the mention")
    recovered: bool | None = Field(
        default=None, description="true when the value was recovered from garbled text")


class DateMention(_MentionBase):
    type: Literal["date"] = "date"
    value: str = Field(description="ISO 8601, partial allowed; X for unknown digits; A/B intervals; "
                                   "-E/-M/-L for early/mid/late thirds of a month")
    mod: str | None = Field(default=None, description="by / before / after / until / since / about")


class FormationMention(_MentionBase):
    type: Literal["formation"] = "formation"
    echelon: Echelon
    number: int | None = None
    branch: str | None = None
    guards: bool = False
    side: str | None = None
    name: str | None = Field(default=None, description="proper name of a named unit (Mitte, Central)")
    sides: list[str] | None = None
    commander: str | None = None


class PersonMention(_MentionBase):
    type: Literal["person"] = "person"
    name: str = Field(description="canonical Latin-script name, given name + surname")
    rank: str | None = None
    name_known: bool = True
    link_confidence: float | None = Field(
        default=None, description="0..1 when the Latin name was found by phonetic matching, not the KB")
    side: str | None = None


class CasualtyMention(_MentionBase):
    type: Literal["casualty"] = "casualty"
    low: int | float | None = None
    high: int | float | None = None
    approx: bool = False
    category: CasualtyCategory
    side: str | None = None
    sides: list[str] | None = None
    equipment: str | None = None


class StrengthMention(_MentionBase):
    type: Literal["strength"] = "strength"
    low: int | float | None = None
    high: int | float | None = None
    approx: bool = False
    what: str
    side: str | None = None
    sides: list[str] | None = None
    unit_branch: str | None = None


class MeasurementMention(_MentionBase):
    type: Literal["measurement"] = "measurement"
    low: int | float | None = None
    high: int | float | None = None
    unit: DistanceUnit
    km_low: float | None = None
    km_high: float | None = None
    approx: bool = False


class PlaceMention(_MentionBase):
    type: Literal["place"] = "place"
    name: str


Mention = Annotated[
    Union[DateMention, FormationMention, PersonMention, CasualtyMention, StrengthMention,
          MeasurementMention, PlaceMention],
    Field(discriminator="type"),
]
MENTION_TYPES = ("date", "formation", "person", "casualty", "strength", "measurement", "place")


class CorruptSpan(_Record):
    """A stretch of garbled source text (fused numbers, stray symbols, lost words)."""
    start: int
    end: int
    text: str
    reason: str
    note: str | None = None
    rule: str | None = None
    recovered: str | None = Field(
        default=None, description="what the garbled text most probably reads, when that is certain "
                                  "enough to say ('3OOO' -> '3000'); the span stays unreliable")


class NamedSpan(_Record):
    name: str
    start: int
    end: int


class DocInfo(_Record):
    name: str = Field(description="the document's file name")
    id: str | None = Field(default=None, description="sha256 of the file's bytes")
    path: str | None = None
    lang: Lang = "und"
    status: Literal["ok", "error"] = "ok"
    error: str | None = Field(default=None, description="what went wrong, in words")
    error_code: str | None = Field(
        default=None, description="what went wrong, as a code of the error catalogue (pipeline/errors.py: "
                                  "INGEST_TOO_LARGE, WORKER_LOST, ...); absent in records written before codes")
    encoding: str | None = None
    chars: int = 0
    scripts: dict[str, int] = Field(default_factory=dict,
                                    description="characters per script (latin, han_traditional, ...)")
    mixed: bool = Field(default=False, description="true when paragraphs in another language occur")
    anchor_year: int | None = Field(default=None, description="year context inferred from the text")
    period: str | None = Field(default=None, description="the period the document states, as a date")
    operation: NamedSpan | None = Field(default=None, description="the operation that period belongs to")
    pipeline_version: str | None = None
    source_format: Literal["text", "html"] = Field(
        default="text", description="html: offsets index the text extracted from the markup")
    text_path: str | None = Field(
        default=None, description="for html: the extracted text the offsets index, relative to the "
                                  "output directory (texts/<name>.txt)")


class Evidence(_Record):
    doc: str
    start: int
    end: int
    text: str | None = None


class Flag(_Record):
    id: str = Field(description="fingerprint of kind + evidence text (+ the sentence around each span, for a "
                    "document flag) + rule version")
    kind: Literal["conversion_mismatch", "unit_mislabel", "name_variant", "date_out_of_range",
                  "commander_conflict", "arithmetic_mismatch", "corrupt_text",
                  "cross_source_conflict"]
    severity: Severity = "warning"
    message: str
    evidence: list[Evidence]
    more_evidence: dict[str, int] | None = Field(
        default=None, description="a cross-document flag keeps at most a few spans per distinct value (evidence "
                                  "text); the number of further spans of each value, when there are any")
    rule_version: str = "1"


class DocumentRecord(_Record):
    doc: DocInfo
    mentions: list[Mention] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list,
                              description="flags found within this document (also in flags.json)")
    corrupt: list[CorruptSpan] = Field(default_factory=list,
                                       description="garbled spans: values there are unreliable")


class FlagsFile(_Record):
    flags: list[Flag] = Field(default_factory=list)


class MentionRef(_Record):
    doc: str
    start: int
    end: int


class Entity(_Record):
    id: str
    type: Literal["person", "formation"]
    name: str
    aliases: dict[str, list[str]] = Field(default_factory=dict,
                                          description="surface forms by language")
    key: dict[str, str | int | bool | None] | None = Field(
        default=None, description="language-neutral identity (formations: side, echelon, number, ...)")
    mentions: list[MentionRef] = Field(default_factory=list)


class EntitiesFile(_Record):
    entities: list[Entity] = Field(default_factory=list)


OUTPUT_MODELS: dict[str, type[BaseModel]] = {
    "documents/<name>.json": DocumentRecord,
    "entities.json": EntitiesFile,
    "flags.json": FlagsFile,
}
