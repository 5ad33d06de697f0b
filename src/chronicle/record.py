"""The record: every fact chronicle finds in one article, with the span it came from.

These dataclasses are the vocabulary every layer speaks (ingest -> extract -> store -> web,
export, link). The JSON form is fixed by ../shared/DESIGN.md and by
``chronicle/schema/record.schema.json``; it may grow by adding fields, never by changing
them. Offsets are character offsets into ``article.text``, end exclusive.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar, get_type_hints

__all__ = [
    "Article",
    "DateValue",
    "Entity",
    "Event",
    "Mention",
    "Party",
    "Place",
    "Quantity",
    "Record",
    "SentenceSpan",
    "Span",
    "Statement",
    "Time",
    "article_id_for",
    "content_hash",
    "record_json",
]

T = TypeVar("T", bound="_Serialisable")


class _Serialisable:
    """JSON in and out for the record's dataclasses, driven by their type hints."""

    __slots__ = ()
    _hints: ClassVar[dict[str, dict[str, Any]]] = {}

    def to_dict(self) -> dict[str, Any]:
        names = _FIELD_NAMES.get(type(self))
        if names is None:
            names = _FIELD_NAMES[type(self)] = tuple(f.name for f in dataclasses.fields(self))  # type: ignore[arg-type]
        return {name: _dump(getattr(self, name)) for name in names}

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        loaders = _LOADERS.get(cls)
        if loaders is None:
            hints = _hints_of(cls)
            loaders = _LOADERS[cls] = tuple((f.name, _loader(hints[f.name]))
                                            for f in dataclasses.fields(cls))  # type: ignore[arg-type]
        return cls(**{name: load(data[name]) for name, load in loaders if name in data})


# class -> (field name, how to read its JSON value), worked out once from the type hints
_LOADERS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _loader(hint: Any) -> Any:
    """A function reading a JSON value of type ``hint`` (what ``_load`` does, decided once)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        nested = [a for a in inner if isinstance(a, type) and issubclass(a, _Serialisable)]
        if len(inner) == 1 and not nested:
            one = _loader(inner[0])
            return lambda v: None if v is None else one(v)
        return lambda v: _load(hint, v)
    if origin is list:
        (item,) = typing.get_args(hint)
        if isinstance(item, type) and issubclass(item, _Serialisable):
            return lambda v: None if v is None else [item.from_dict(x) for x in v]
        return lambda v: _load(hint, v)
    if isinstance(hint, type) and issubclass(hint, _Serialisable):
        return lambda v: None if v is None else hint.from_dict(v)
    return lambda v: v


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # class -> its fields' names, in order (read once)


def _hints_of(cls: type) -> dict[str, Any]:
    key = f"{cls.__module__}.{cls.__qualname__}"
    hints = _Serialisable._hints.get(key)
    if hints is None:
        hints = get_type_hints(cls)
        _Serialisable._hints[key] = hints
    return hints


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _dump(value: Any) -> Any:
    if type(value) in _SCALARS:  # most values: returned as they are, without the tests below
        return value
    if isinstance(value, _Serialisable):
        return value.to_dict()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def _load(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        for a in inner:
            if isinstance(a, type) and issubclass(a, _Serialisable) and isinstance(value, dict):
                return a.from_dict(value)
        return _load(inner[0], value) if len(inner) == 1 else value
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_load(item, v) for v in value]
    if isinstance(hint, type) and issubclass(hint, _Serialisable):
        return hint.from_dict(value)
    return value


@dataclass(slots=True)
class Article(_Serialisable):
    """One article as read from its source, before any extraction."""

    id: str
    url: str | None = None  # the article's own (canonical) URL
    origin: str | None = None  # where it was read from: path, URL, warc#offset
    title: str | None = None
    published: str | None = None  # ISO 8601 date (YYYY-MM-DD) or None
    source: str | None = None  # outlet or corpus name
    text: str = ""
    language: str | None = None
    author: str | None = None


@dataclass(slots=True)
class Span(_Serialisable):
    text: str
    start: int
    end: int


@dataclass(slots=True)
class SentenceSpan(_Serialisable):
    start: int
    end: int


@dataclass(slots=True)
class Mention(_Serialisable):
    """One place in the text where an entity is named, described or referred to."""

    text: str
    start: int
    end: int
    kind: str = "name"  # name, title (name with its title), description, pronoun, acronym


@dataclass(slots=True)
class Entity(_Serialisable):
    id: str
    name: str
    type: str  # PERSON, ORG, GPE, NORP, LOC, FAC, GROUP
    country: str | None = None  # ISO alpha-3, or an IGO's short code (UN, EU, NATO)
    role: str | None = None  # GOV, MIL, REB, OPP, COP, JUD, MED, BUS, CVL, REF, IGO, NGO, ...
    mentions: list[Mention] = field(default_factory=list)
    why: str | None = None  # the rules that set country and role


@dataclass(slots=True)
class Party(_Serialisable):
    """A span that names a participant (speaker, target, actor, ...), linked to its entity."""

    text: str
    start: int
    end: int
    entity: str | None = None
    country: str | None = None
    role: str | None = None


@dataclass(slots=True)
class Statement(_Serialisable):
    id: str
    speaker: Party | None
    cue: Span | None
    content: Span
    kind: str  # direct, indirect, mixed
    stance: str | None = None
    target: Party | None = None
    addressee: Party | None = None
    source: Span | None = None
    why: str | None = None
    negated: bool = False  # the cue is negated ("did not deny"): the stance does not hold
    parts: list[Span] = field(default_factory=list)  # the quoted pieces, when content spans several


@dataclass(slots=True)
class DateValue(_Serialisable):
    value: str | None
    precision: str | None = None  # day, month, year


@dataclass(slots=True)
class Event(_Serialisable):
    id: str
    type: str
    trigger: Span
    sentence: SentenceSpan
    mode: str | None = None
    status: str = "asserted"  # asserted, claimed, denied, requested, planned, hypothetical
    statement: str | None = None
    actor: Party | None = None
    recipient: Party | None = None
    date: DateValue | None = None
    place: str | None = None  # id of a place in `places`
    quantities: list[str] = field(default_factory=list)
    why: str | None = None
    time: str | None = None  # id of the time in `times` that dates the event
    actors: list[Party] = field(default_factory=list)  # every actor, when there are several
    recipients: list[Party] = field(default_factory=list)  # every recipient, when there are several


@dataclass(slots=True)
class Quantity(_Serialisable):
    id: str
    text: str
    start: int
    end: int
    value: float | int | None
    unit: str | None = None
    kind: str = "count"  # money, count, percent, measure, duration, age
    bound: str = "exact"  # exact, min, max, approx
    counted: str | None = None  # what is counted or measured, when the text says ("refugees")
    converts: str | None = None  # id of the quantity this one converts ("£300m ($376m)": $376m -> £300m)
    magnitude: int | None = None  # a vague count's order ("hundreds" -> 100, value None)
    why: str | None = None  # the rule that found it


@dataclass(slots=True)
class Time(_Serialisable):
    id: str
    text: str
    start: int
    end: int
    value: str | None
    precision: str | None = None  # day, month, year
    mod: str | None = None  # early, mid, late, start, end, approx, before, after: "late November"
    anchor: str | None = None  # absolute (the text gives the year), published, narrative (an earlier date)
    earliest: str | None = None  # first and last day meant, when narrower than the value's unit
    latest: str | None = None  # ("last week" -> the Monday and Sunday of that week)
    reason: str | None = None  # why value is None ("no publication date", "vague", ...)
    why: str | None = None  # the rule that found and resolved it


@dataclass(slots=True)
class Place(_Serialisable):
    id: str
    text: str
    start: int
    end: int
    name: str | None = None
    country: str | None = None  # ISO alpha-2
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    kind: str | None = None  # city, admin1, admin2, country, region, sea, water, island, mountain, continent, facility
    admin1: str | None = None  # name of the first-level division the place lies in ("Texas", "Donetsk")
    admin2: str | None = None  # name of the second-level division (county, district) of a city
    entity: str | None = None  # the entity this span also names (a country named as a place: "in Ukraine")
    why: str | None = None  # how the place was found and chosen


@dataclass(slots=True)
class Record(_Serialisable):
    """All facts of one article."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    times: list[Time] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)

    def to_json(self, indent: int | None = None) -> str:
        return record_json(self.to_dict(), indent)

    @classmethod
    def from_json(cls, text: str) -> Record:
        return cls.from_dict(json.loads(text))

    def entity(self, entity_id: str | None) -> Entity | None:
        if entity_id is None:
            return None
        for e in self.entities:
            if e.id == entity_id:
                return e
        return None


def record_json(data: dict[str, Any], indent: int | None = None) -> str:
    """A record's JSON from its ``to_dict()`` (what ``Record.to_json`` writes)."""
    return json.dumps(data, ensure_ascii=False, indent=indent)


def content_hash(text: str) -> str:
    """A hash of the article's text that ignores differences in white space."""
    norm = " ".join(text.split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def article_id_for(text: str, url: str | None = None) -> str:
    """A stable id: the same article (same URL, or same text when it has none) gets the same id."""
    basis = url.strip() if url else content_hash(text)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]
