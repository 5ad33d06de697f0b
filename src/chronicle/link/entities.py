"""Canonical entities: one entity across articles, whatever each article calls it.

Each article's entity (and each geocoded place) is resolved by its keys (``keys.py``) to a
canonical entity: an existing one that holds one of its keys and agrees with it (a person is
never an organisation; two known countries must be the same), else a new one. A key found in
two canonical entities at once ("SDF" in one, "Syrian Democratic Forces" in another, and an
article that names both) merges them into the older one, whose id stays. A surname alone
joins the one person of that surname in its story ("Reid" after "Tara Reid"), and a full name
absorbs an earlier surname-only entity of its story. People with the same surname but another
first name, or the same name but another country, stay apart.

A canonical entity keeps what its mentions say of it: names with their counts, types,
countries and roles (the commonest is shown), how many articles and mentions, first and last
publication dates.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from chronicle.lexicon import lexicon
from chronicle.link.keys import EntityKeys, entity_keys, place_keys
from chronicle.record import Entity, Place

__all__ = ["Canonical", "Canonicals", "Resolution"]

TOP_NAMES = 20


def _top(c: Counter[str]) -> str | None:
    if not c:
        return None
    return sorted(c.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]


@dataclass
class Canonical:
    """One entity across articles, with what its mentions say of it."""

    id: str
    seq: int  # creation order: a merge keeps the older
    person: bool
    keys: set[str] = field(default_factory=set)
    names: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    articles: int = 0
    mentions: int = 0
    first: str | None = None
    last: str | None = None
    why: str = ""

    @property
    def name(self) -> str:
        """The commonest name; for a person the commonest full name (two words or more)."""
        if self.person:
            full = Counter({n: k for n, k in self.names.items() if len(n.split()) >= 2 and n[:1].isupper()})
            if full:
                return _top(full) or self.id
        return _top(self.names) or next(iter(sorted(self.keys)), self.id)

    @property
    def country(self) -> str | None:
        return _top(self.countries)

    @property
    def type(self) -> str | None:
        return _top(self.types)

    @property
    def role(self) -> str | None:
        return _top(self.roles)

    def absorb(self, other: Canonical) -> None:
        self.keys |= other.keys
        self.names.update(other.names)
        self.types.update(other.types)
        self.countries.update(other.countries)
        self.roles.update(other.roles)
        self.articles += other.articles
        self.mentions += other.mentions
        for d in (other.first, other.last):
            self.seen(d)

    def seen(self, published: str | None) -> None:
        if published:
            self.first = min(self.first or published, published)
            self.last = max(self.last or published, published)

    def to_row(self) -> tuple[Any, ...]:
        import json

        names = dict(sorted(self.names.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_NAMES])
        data = {"names": names, "types": dict(self.types), "countries": dict(self.countries),
                "roles": dict(self.roles), "keys": sorted(self.keys), "seq": self.seq, "person": self.person,
                "why": self.why}
        return (self.id, self.name, self.type, self.country, self.role, self.articles, self.mentions,
                self.first, self.last, json.dumps(data, ensure_ascii=False, separators=(",", ":")))

    @classmethod
    def from_row(cls, row: Any) -> Canonical:
        import json

        data = json.loads(row[9])
        c = cls(id=row[0], seq=int(data.get("seq", 0)), person=bool(data.get("person")),
                keys=set(data.get("keys", ())), names=Counter(data.get("names", {})),
                types=Counter(data.get("types", {})), countries=Counter(data.get("countries", {})),
                roles=Counter(data.get("roles", {})), articles=int(row[5]), mentions=int(row[6]),
                first=row[7], last=row[8], why=data.get("why", ""))
        return c


@dataclass(slots=True)
class Resolution:
    """What resolving one article's entities gave: entity/place id -> canonical id."""

    links: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # id -> "entity" | "place"


class Canonicals:
    """Every canonical entity and the keys that lead to them, in memory while linking."""

    def __init__(self) -> None:
        self.by_id: dict[str, Canonical] = {}
        self.by_key: dict[str, list[str]] = {}
        self.merged: dict[str, str] = {}  # merged-away id -> surviving id (this run)
        self.touched: set[str] = set()
        self.new_keys: list[tuple[str, str]] = []
        self.seq = 0

    # --- loading ----------------------------------------------------------------------------
    def load(self, rows: list[Any], key_rows: list[Any]) -> None:
        for r in rows:
            c = Canonical.from_row(r)
            self.by_id[c.id] = c
            self.seq = max(self.seq, c.seq + 1)
        for key, cid in key_rows:
            self.by_key.setdefault(key, []).append(cid)

    def resolve_id(self, cid: str) -> str:
        while cid in self.merged:
            cid = self.merged[cid]
        return cid

    # --- matching ---------------------------------------------------------------------------
    def _compatible(self, c: Canonical, person: bool, country: str | None, key: str) -> bool:
        if c.person != person:
            return False
        if key.startswith("cty:"):
            return True
        known = c.country
        return not (country and known and country != known)

    def _lookup(self, key: str, person: bool, country: str | None) -> list[Canonical]:
        out = []
        for cid in self.by_key.get(key, ()):
            c = self.by_id.get(self.resolve_id(cid))
            if c is not None and c not in out and self._compatible(c, person, country, key):
                out.append(c)
        return out

    def _new(self, first_key: str, person: bool, why: str) -> Canonical:
        digest = hashlib.sha1(first_key.encode("utf-8")).hexdigest()[:12]
        cid = "c-" + digest
        n = 1
        while cid in self.by_id or cid in self.merged:
            n += 1
            cid = f"c-{digest}-{n}"
        c = Canonical(id=cid, seq=self.seq, person=person, why=why)
        self.seq += 1
        self.by_id[cid] = c
        return c

    def _add_key(self, c: Canonical, key: str) -> None:
        if key in c.keys:
            return
        c.keys.add(key)
        ids = self.by_key.setdefault(key, [])
        if c.id not in ids:
            ids.append(c.id)
            self.new_keys.append((key, c.id))

    def _merge(self, keep: Canonical, other: Canonical) -> None:
        if keep is other:
            return
        if other.seq < keep.seq:
            keep, other = other, keep
        keep.absorb(other)
        for key in other.keys:
            ids = self.by_key.setdefault(key, [])
            if keep.id not in ids:
                ids.append(keep.id)
        del self.by_id[other.id]
        self.merged[other.id] = keep.id
        self.touched.add(keep.id)
        self.touched.discard(other.id)

    def match(self, keys: EntityKeys, person: bool, country: str | None, story: str) -> Canonical:
        """The canonical entity for these keys in ``story`` (found, merged or new)."""
        found: list[Canonical] = []
        for key in keys.strong:
            for c in self._lookup(key, person, country):
                if c not in found:
                    found.append(c)
        scoped = [f"{k}@{story}" for k in keys.weak]
        if not keys.strong:
            for key in scoped:
                for c in self._lookup(key, person, country):
                    if c not in found:
                        found.append(c)
            if not found and keys.surname:  # a surname the people table knows ("Putin")
                known = lexicon().person(keys.surname)
                if known is not None:
                    from chronicle.link.keys import name_tokens

                    found = self._lookup("per:" + " ".join(name_tokens(known.name)), person, country)
        if person and keys.strong:
            # a full name takes in the surname-only entity of its story ("Reid", then "Tara Reid")
            last = keys.strong[0].split()[-1]
            for c in self._lookup(f"sur:{last}@{story}", person, country):
                if not any(k.startswith("per:") for k in c.keys) and c not in found:
                    found.append(c)
        if found:
            found.sort(key=lambda c: c.seq)
            keep = found[0]
            for other in found[1:]:
                if self._compatible(keep, other.person, other.country, "") and not (
                        person and _different_people(keep, other)):
                    self._merge(keep, other)
                    keep = self.by_id[self.resolve_id(keep.id)]
        else:
            first = keys.strong[0] if keys.strong else scoped[0]
            keep = self._new(first, person, keys.why)
        for key in keys.strong:
            self._add_key(keep, key)
        for key in scoped:
            self._add_key(keep, key)
        if person and keys.strong:
            self._add_key(keep, f"sur:{keys.strong[0].split()[-1]}@{story}")
        self.touched.add(keep.id)
        return keep

    # --- an article --------------------------------------------------------------------------
    def resolve(self, entities: list[Entity], places: list[Place], story: str, published: str | None,
                year: int | None, keys_of: dict[str, EntityKeys]) -> Resolution:
        """Resolve an article's entities and places; counts are added to the canonical entities."""
        res = Resolution()
        in_article: set[str] = set()
        place_keys_of: dict[str, list[str]] = {}
        for p in places:
            if p.entity:
                place_keys_of.setdefault(p.entity, []).extend(place_keys(p))
        for e in entities:
            keys = keys_of.get(e.id) or entity_keys(e, year)
            if e.id in place_keys_of and e.type in ("GPE", "LOC", "FAC"):
                keys = EntityKeys(strong=keys.strong + [k for k in place_keys_of[e.id] if k not in keys.strong],
                                  weak=keys.weak, surname=keys.surname, why=keys.why)
            if not keys.strong and not keys.weak:
                continue
            person = e.type == "PERSON"
            c = self.match(keys, person, e.country if not any(k.startswith("cty:") for k in keys.strong) else None,
                           story)
            res.links[e.id] = c.id
            res.kinds[e.id] = "entity"
            proper = [m.text for m in e.mentions if m.kind in ("name", "acronym") and m.text != e.name]
            if any(m.kind in ("name", "title", "acronym") for m in e.mentions):
                proper.insert(0, e.name)
            if keys.display and keys.display not in proper:
                proper.insert(0, keys.display)
            self._count(c, e.type, e.country, e.role, published, in_article, proper or [e.name], len(e.mentions))
        for p in places:
            if p.entity and p.entity in res.links:  # the place is an entity's mention ("in Ukraine")
                res.links[p.id] = self.resolve_id(res.links[p.entity])
                res.kinds[p.id] = "place"
                continue
            pkeys = place_keys(p)
            if not pkeys:
                continue
            c = self.match(EntityKeys(strong=pkeys, why="place"), False, None, story)
            res.links[p.id] = c.id
            res.kinds[p.id] = "place"
            kind = "GPE" if p.kind in ("city", "admin1", "admin2", "country") else "LOC"
            self._count(c, kind, None, None, published, in_article, [p.name or p.text], 1)
        for k, v in res.links.items():
            res.links[k] = self.resolve_id(v)
        return res

    def _count(self, c: Canonical, etype: str | None, country: str | None, role: str | None,
               published: str | None, in_article: set[str], names: list[str], mentions: int) -> None:
        c = self.by_id[self.resolve_id(c.id)]
        if etype:
            c.types[etype] += 1
        if country and etype != "LOC":
            c.countries[country] += 1
        if role:
            c.roles[role] += 1
        for n in names:
            n = " ".join(n.split())
            if n:
                c.names[n] += 1
        c.mentions += mentions
        if c.id not in in_article:
            in_article.add(c.id)
            c.articles += 1
            c.seen(published)


def _different_people(a: Canonical, b: Canonical) -> bool:
    """Two canonical persons with full names that differ (a merge through a shared key such as
    a surname would wrongly join them)."""
    fa = {k for k in a.keys if k.startswith("per:")}
    fb = {k for k in b.keys if k.startswith("per:")}
    return bool(fa and fb and not fa & fb)
