"""What every store backend offers, and the rows a record becomes."""

from __future__ import annotations

import json
import math
import re
from abc import ABC, abstractmethod
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chronicle.errors import StoreError
from chronicle.record import Article, Event, Place, Record, Statement, content_hash

__all__ = [
    "SUMMARIES",
    "ArticleRow", "Duplicate", "EventAt", "EventRow", "Filters", "Page", "PlaceSummary", "SearchHit", "StatementRow",
    "Store", "WriteResult",
    "fact_rows", "now", "summary_counts", "summary_upsert",
]


TABLES = ("articles", "entities", "mentions", "statements", "events", "quantities", "times", "places", "failures",
          "duplicates")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class ArticleRow:
    id: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    origin: str | None


@dataclass(slots=True)
class SearchHit:
    id: str
    title: str | None
    published: str | None
    source: str | None
    snippet: str


@dataclass(slots=True)
class Duplicate:
    """An article that is a copy of a stored one: kept as a pointer, not extracted again."""

    id: str
    duplicate_of: str
    similarity: float
    url: str | None = None
    origin: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    content_hash: str = ""

    @classmethod
    def of(cls, article: Article, duplicate_of: str, similarity: float) -> Duplicate:
        return cls(article.id, duplicate_of, round(similarity, 4), article.url, article.origin, article.title,
                   article.published, article.source, content_hash(article.text))


@dataclass(slots=True)
class EventRow:
    """A stored event with what a reader needs beside it: its article and its place."""

    article_id: str
    published: str | None
    url: str | None
    source: str | None
    title: str | None
    event: Event
    place: Place | None
    ingested_at: str | None = None


@dataclass(slots=True)
class PlaceSummary:
    """One stored place (name, country, point) with how often and in how many articles it is named."""

    name: str | None
    country: str | None
    lat: float
    lon: float
    mentions: int
    articles: int


@dataclass(slots=True)
class EventAt:
    """An event whose place passed a place filter, with that place."""

    article_id: str
    event_id: str
    type: str
    date: str | None
    place: str | None
    country: str | None
    lat: float
    lon: float


def _box(near: tuple[float, float, float]) -> tuple[str, tuple[Any, ...]]:
    """A portable SQL condition for a bounding box around (lat, lon, km): cheap pre-filter only."""
    lat, lon, km = near
    dlat = km / 111.0
    cos = max(math.cos(math.radians(lat)), 0.01)
    dlon = km / (111.0 * cos)
    cond = "lat BETWEEN ? AND ?"
    params: tuple[float, ...] = (lat - dlat, lat + dlat)
    if lon - dlon > -180 and lon + dlon < 180:
        cond += " AND lon BETWEEN ? AND ?"
        params += (lon - dlon, lon + dlon)
    return cond, params


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(min(1.0, h)))


@dataclass(slots=True)
class StatementRow:
    """One stored statement with the article it is from (what `chronicle statements` lists)."""

    article_id: str
    published: str | None
    title: str | None
    statement: Statement
    speaker_name: str | None  # the name of the entity the speaker resolves to


@dataclass(slots=True)
class WriteResult:
    stored: int = 0
    skipped: int = 0


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # what json.dumps would make per call


def _j(obj: Any) -> str:
    return _ENCODER.encode(obj)


def fact_rows(record: Record, data: dict[str, Any] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of every fact table for one record (column order as in schema.sql). ``data``:
    the record's ``to_dict()`` when the caller has it (each fact's JSON is taken from it)."""
    aid = record.article.id
    d = data if data is not None else record.to_dict()
    rows: dict[str, list[tuple[Any, ...]]] = {
        "entities": [], "mentions": [], "statements": [], "events": [],
        "quantities": [], "times": [], "places": [],
    }
    for e, ed in zip(record.entities, d["entities"], strict=True):
        rows["entities"].append((aid, e.id, e.name, e.type, e.country, e.role, _j(ed)))
        for m in e.mentions:
            rows["mentions"].append((aid, e.id, m.text, m.start, m.end, m.kind))
    for s, sd in zip(record.statements, d["statements"], strict=True):
        spk = s.speaker
        rows["statements"].append((
            aid, s.id, spk.text if spk else None, spk.entity if spk else None,
            s.cue.text if s.cue else None, s.content.text, s.kind, s.stance,
            min(x.start for x in (s.content, s.cue, spk) if x is not None),
            max(x.end for x in (s.content, s.cue, spk) if x is not None),
            _j(sd),
        ))
    for v, vd in zip(record.events, d["events"], strict=True):
        a, r = v.actor, v.recipient
        rows["events"].append((
            aid, v.id, v.type, v.mode, v.status,
            a.text if a else None, a.entity if a else None, a.country if a else None,
            r.text if r else None, r.entity if r else None, r.country if r else None,
            v.date.value if v.date else None, v.place, v.sentence.start, v.sentence.end,
            _j(vd),
        ))
    for q, qd in zip(record.quantities, d["quantities"], strict=True):
        rows["quantities"].append((aid, q.id, q.text, q.value, q.unit, q.kind, q.start, q.end, _j(qd)))
    for t, td in zip(record.times, d["times"], strict=True):
        rows["times"].append((aid, t.id, t.text, t.value, t.precision, t.start, t.end, _j(td)))
    for p, pd in zip(record.places, d["places"], strict=True):
        rows["places"].append((aid, p.id, p.text, p.name, p.country, p.lat, p.lon, p.start, p.end, _j(pd)))
    return rows


# Counts over all the facts, kept by every write (schema 3), so that a view without filters never
# aggregates every row: the articles of each entity name (the entity list, and its search by name) and
# what the events explorer draws: events per day and type, who acts on whom (by entity name, and by
# country), and events per place. Each table is its key columns and a count `n`; the key columns are NOT
# NULL, a missing day, place name or place country is kept as ''. A view with filters is counted from
# the facts themselves.
SUMMARIES: dict[str, tuple[str, ...]] = {
    "entity_names": ("name",),
    "event_days": ("day", "type"),
    "event_edges": ("kind", "src", "dst"),
    "event_places": ("name", "country", "lat", "lon"),
}

# the filters each view applies (a view none of whose filters is set reads the summary tables)
_EVENT_FILTERS = ("date_from", "date_to", "source", "country", "entity", "event_type", "status", "article")
_ENTITY_FILTERS = ("date_from", "date_to", "source", "country", "role", "type")


def summary_counts(records: Iterable[Record]) -> dict[str, Counter[tuple[Any, ...]]]:
    """What records add to each summary table: key -> how many (articles for ``entity_names``,
    events for the others). The same counts as ``Store.list_entities``, ``event_timeline``,
    ``event_network`` and ``event_places`` count without filters."""
    out: dict[str, Counter[tuple[Any, ...]]] = {t: Counter() for t in SUMMARIES}
    for rec in records:
        names = {e.id: e.name for e in rec.entities}
        out["entity_names"].update((n,) for n in set(names.values()))
        places = {p.id: p for p in rec.places}
        for v in rec.events:
            date = v.date.value if v.date else None
            day = date if date is not None else rec.article.published
            out["event_days"][("" if day is None else day, v.type)] += 1
            a, r = v.actor, v.recipient
            src = names.get(a.entity) if a and a.entity is not None else None
            dst = names.get(r.entity) if r and r.entity is not None else None
            src = src if src is not None else (a.text if a else None)
            dst = dst if dst is not None else (r.text if r else None)
            if src is not None and dst is not None:
                out["event_edges"][("entity", src, dst)] += 1
            if a and r and a.country is not None and r.country is not None:
                out["event_edges"][("country", a.country, r.country)] += 1
            p = places.get(v.place) if v.place is not None else None
            if p is not None and p.lat is not None and p.lon is not None:
                out["event_places"][("" if p.name is None else p.name, "" if p.country is None else p.country,
                                      p.lat, p.lon)] += 1
    return out


def summary_upsert(table: str) -> str:
    """The statement that adds counts to a summary table (``?`` placeholders: key columns, then n)."""
    cols = ", ".join(SUMMARIES[table])
    marks = ",".join("?" * (len(SUMMARIES[table]) + 1))
    return (f"INSERT INTO {table} ({cols}, n) VALUES ({marks}) "
            f"ON CONFLICT ({cols}) DO UPDATE SET n = {table}.n + excluded.n")


class Store(ABC):
    """The narrow interface every backend implements."""

    _summarised: bool | None = None  # whether the database keeps the summary tables (read once)
    _matches: OrderedDict[tuple[str, int], list[str]] | None = None  # see _best_matches

    target: str

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def has_article(self, article: Article) -> str | None:
        """The id of the stored article this one is (same id, URL or text), else None."""

    @abstractmethod
    def write(self, records: Iterable[Record], fingerprints: Mapping[str, list[str]] | None = None) -> WriteResult:
        """Store records in one transaction; articles already held are skipped. ``fingerprints``
        maps an article id to its near-duplicate band keys (``ingest/dedup.py``)."""

    @abstractmethod
    def write_duplicates(self, duplicates: Iterable[Duplicate]) -> int:
        """Store copies of stored articles in one transaction; returns how many were new."""

    @abstractmethod
    def add_fingerprints(self, fingerprints: Mapping[str, list[str]]) -> None:
        """Band keys for articles already stored (those stored before near-duplicates existed)."""

    @abstractmethod
    def write_rows(self, statements: Sequence[tuple[str, tuple[Any, ...]]],
                   inserts: Mapping[str, Sequence[tuple[Any, ...]]]) -> None:
        """One transaction: run ``statements`` (portable SQL with ``?`` placeholders: deletes and
        updates), then insert ``inserts`` (table -> rows, columns in schema order). The link step
        writes its tables with it."""

    @abstractmethod
    def record_failure(self, origin: str, stage: str, reason: str, once: bool = False) -> None:
        """Record an input that failed; ``once``: not when the same failure is recorded already
        (ingest: a rerun of the same inputs records nothing twice)."""

    @abstractmethod
    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Rows of a read query written in portable SQL with ``?`` placeholders; each row can be
        indexed by position and by column name. Backends translate placeholders as needed."""

    @abstractmethod
    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Full-text search over titles and texts (each backend uses its own index)."""

    # --- portable queries, shared by every backend -------------------------------------------
    def failures(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self._query("SELECT origin, stage, reason, at FROM failures ORDER BY id DESC LIMIT ?", (limit,))
        return [{"origin": r[0], "stage": r[1], "reason": r[2], "at": r[3]} for r in rows]

    def resolve_id(self, article_id: str) -> str | None:
        """The full id of an article from its id or an unambiguous prefix (3+ characters); the id
        of a stored copy resolves to the article it copies."""
        rows = self._query("SELECT id FROM articles WHERE id = ?", (article_id,))
        if not rows and len(article_id) >= 3:
            prefix = article_id.replace("%", "").replace("_", "")
            rows = self._query("SELECT id FROM articles WHERE id LIKE ? LIMIT 2", (prefix + "%",))
            if len(rows) > 1:
                raise StoreError(f"article id prefix '{article_id}' is ambiguous; give more of it")
        if not rows:
            rows = self._query("SELECT duplicate_of FROM duplicates WHERE id = ?", (article_id,))
            if not rows and len(article_id) >= 3:
                prefix = article_id.replace("%", "").replace("_", "")
                rows = self._query("SELECT DISTINCT duplicate_of FROM duplicates WHERE id LIKE ? LIMIT 2",
                                   (prefix + "%",))
                if len(rows) > 1:
                    raise StoreError(f"article id prefix '{article_id}' is ambiguous; give more of it")
        return rows[0][0] if rows else None

    def is_stored(self, article: Article) -> str | None:
        """The id of the stored article this one is by its id or URL (as an article or as a
        recorded copy), else None. Unlike ``has_article`` the text is not compared."""
        rows = self._query("SELECT id FROM articles WHERE id = ?", (article.id,))
        if not rows and article.url:
            rows = self._query("SELECT id FROM articles WHERE url = ?", (article.url,))
        if not rows:
            rows = self._query("SELECT duplicate_of FROM duplicates WHERE id = ?", (article.id,))
        if not rows and article.url:
            rows = self._query("SELECT duplicate_of FROM duplicates WHERE url = ?", (article.url,))
        return rows[0][0] if rows else None

    def knows_url(self, url: str) -> bool:
        """True when an article or a copy was read from this URL or has it as its own."""
        for sql in ("SELECT 1 FROM articles WHERE url = ? LIMIT 1", "SELECT 1 FROM articles WHERE origin = ? LIMIT 1",
                    "SELECT 1 FROM duplicates WHERE url = ? LIMIT 1",
                    "SELECT 1 FROM duplicates WHERE origin = ? LIMIT 1"):
            if self._query(sql, (url,)):
                return True
        return False

    # --- near-duplicates ----------------------------------------------------------------------
    def duplicate_candidates(self, keys: list[str]) -> list[str]:
        """Ids of stored articles sharing at least one LSH band key with ``keys``."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self._query(f"SELECT DISTINCT article_id FROM article_bands WHERE key IN ({marks})", tuple(keys))
        return [r[0] for r in rows]

    def article_text(self, article_id: str) -> str | None:
        rows = self._query("SELECT text FROM articles WHERE id = ?", (article_id,))
        return rows[0][0] if rows else None

    def duplicates_of(self, article_id: str) -> list[Duplicate]:
        """The stored copies of an article, first ingested first."""
        rows = self._query(
            "SELECT id, duplicate_of, similarity, url, origin, title, published, source, content_hash "
            "FROM duplicates WHERE duplicate_of = ? ORDER BY ingested_at, id", (article_id,))
        return [Duplicate(*tuple(r)) for r in rows]

    def unfingerprinted(self, limit: int = 500) -> list[tuple[str, str]]:
        """(id, text) of stored articles without band keys (stored before near-duplicates existed)."""
        rows = self._query(
            "SELECT a.id, a.text FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM article_bands b WHERE b.article_id = a.id) ORDER BY a.id LIMIT ?", (limit,))
        return [(r[0], r[1]) for r in rows]

    def get_record(self, article_id: str) -> Record | None:
        """The stored record of an article (an unambiguous id prefix is accepted)."""
        aid = self.resolve_id(article_id)
        if aid is None:
            return None
        rows = self._query("SELECT record FROM articles WHERE id = ?", (aid,))
        return Record.from_json(rows[0][0]) if rows else None

    def articles(self, limit: int = 100, offset: int = 0) -> list[ArticleRow]:
        rows = self._query(
            "SELECT id, title, published, source, url, origin FROM articles "
            "ORDER BY published DESC, id LIMIT ? OFFSET ?", (limit, offset))
        return [ArticleRow(*tuple(r)) for r in rows]

    def places(self, country: str | None = None, near: tuple[float, float, float] | None = None,
               limit: int = 100) -> list[PlaceSummary]:
        """Stored places, most often named first: each distinct (name, country, point) with its
        number of mentions and of articles. ``country`` is ISO alpha-2; ``near`` is (lat, lon, km)."""
        where = ["lat IS NOT NULL", "lon IS NOT NULL"]
        params: tuple[Any, ...] = ()
        if country:
            where.append("country = ?")
            params += (country.upper(),)
        if near is not None:
            cond, p = _box(near)
            where.append(cond)
            params += p
        rows = self._query(
            "SELECT name, country, lat, lon, count(*) AS n, count(DISTINCT article_id) AS a FROM places "
            f"WHERE {' AND '.join(where)} GROUP BY name, country, lat, lon ORDER BY n DESC, a DESC, name",
            params)
        out: list[PlaceSummary] = []
        for r in rows:
            if near is not None and _km(near[0], near[1], r[2], r[3]) > near[2]:
                continue
            out.append(PlaceSummary(r[0], r[1], float(r[2]), float(r[3]), int(r[4]), int(r[5])))
            if len(out) >= limit:
                break
        return out

    def events_at(self, country: str | None = None, near: tuple[float, float, float] | None = None,
                  limit: int = 100) -> list[EventAt]:
        """Events whose place lies in a country (ISO alpha-2) and/or within ``near`` = (lat, lon, km)
        of a point: the store-side filter behind ``chronicle events --country/--near``."""
        where = ["p.lat IS NOT NULL"]
        params: tuple[Any, ...] = ()
        if country:
            where.append("p.country = ?")
            params += (country.upper(),)
        if near is not None:
            cond, p = _box(near)
            where.append(cond.replace("lat", "p.lat").replace("lon", "p.lon"))
            params += p
        rows = self._query(
            "SELECT e.article_id, e.id, e.type, e.date, p.name, p.country, p.lat, p.lon FROM events e "
            "JOIN places p ON p.article_id = e.article_id AND p.id = e.place_id "
            f"WHERE {' AND '.join(where)} ORDER BY e.date DESC, e.article_id, e.id", params)
        out: list[EventAt] = []
        for r in rows:
            if near is not None and _km(near[0], near[1], r[6], r[7]) > near[2]:
                continue
            out.append(EventAt(r[0], r[1], r[2], r[3], r[4], r[5], float(r[6]), float(r[7])))
            if len(out) >= limit:
                break
        return out

    def statements(self, speaker: str | None = None, stance: str | None = None, kind: str | None = None,
                   article_id: str | None = None, limit: int = 50, offset: int = 0) -> list[StatementRow]:
        """Stored statements, newest articles first. ``speaker`` matches the speaker as written
        or the name of the entity it resolves to (case-insensitive, part of a name will do:
        "Putin" finds "Mr Putin", "he" resolved to Vladimir Putin, and "the Russian leader");
        ``stance`` is one of assert, accuse, deny, request, warn, threaten, promise, reject,
        concede, praise, criticise; ``kind`` is direct, indirect or mixed."""
        where, params = [], []
        if speaker:
            like = f"%{speaker.lower()}%"
            where.append("(lower(s.speaker) LIKE ? OR lower(e.name) LIKE ?)")
            params += [like, like]
        if stance:
            where.append("s.stance = ?")
            params.append(stance)
        if kind:
            where.append("s.kind = ?")
            params.append(kind)
        if article_id:
            aid = self.resolve_id(article_id)
            where.append("s.article_id = ?")
            params.append(aid or article_id)
        sql = (
            "SELECT s.article_id, a.published, a.title, s.data, e.name FROM statements s "
            "JOIN articles a ON a.id = s.article_id "
            "LEFT JOIN entities e ON e.article_id = s.article_id AND e.id = s.speaker_entity"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY a.published DESC, s.article_id, s.start LIMIT ? OFFSET ?"
        )
        rows = self._query(sql, (*params, limit, offset))
        return [StatementRow(r[0], r[1], r[2], Statement.from_dict(json.loads(r[3])), r[4]) for r in rows]

    def count(self, table: str = "articles") -> int:
        if table not in TABLES:
            raise StoreError(f"no table '{table}'; valid: {', '.join(TABLES)}")
        return int(self._query(f"SELECT count(*) FROM {table}")[0][0])

    def iter_records(self) -> Iterator[Record]:
        """Every stored record, in the order stored."""
        last = ""
        while True:
            rows = self._query("SELECT id, record FROM articles WHERE id > ? ORDER BY id LIMIT 500", (last,))
            if not rows:
                return
            for r in rows:
                yield Record.from_json(r[1])
            last = rows[-1][0]

    # --- events ---------------------------------------------------------------------------
    _EVENT_SELECT = (
        "SELECT e.article_id, a.published, a.url, a.source, a.title, e.data, p.data, e.id, a.ingested_at "
        "FROM events e JOIN articles a ON a.id = e.article_id "
        "LEFT JOIN places p ON p.article_id = e.article_id AND p.id = e.place_id")
    # the days an event may have happened on: its own date (a month or a year spans its days),
    # else its article's publication date; compared as ISO strings ("2022-05" ends "2022-05-99")
    _EVENT_DAY = "substr(coalesce(e.date, a.published) || '-01-01', 1, 10)"
    _EVENT_LAST_DAY = "substr(coalesce(e.date, a.published) || '-99-99', 1, 10)"

    @classmethod
    def _event_where(cls, type: str | None, actor: str | None, recipient: str | None, since: str | None,
                     until: str | None, status: str | None, article: str | None, country: str | None = None,
                     near: tuple[float, float, float] | None = None) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        for column, value in (("e.type", type), ("e.actor_country", actor), ("e.recipient_country", recipient),
                              ("e.status", status), ("e.article_id", article)):
            if value:
                where.append(f"{column} = ?")
                params.append(value.upper() if column in ("e.type", "e.actor_country", "e.recipient_country")
                              else value)
        if since:
            where.append(f"{cls._EVENT_LAST_DAY} >= ?")
            params.append(since)
        if until:
            where.append(f"{cls._EVENT_DAY} <= ?")
            params.append(until)
        if country:
            where.append("p.country = ?")
            params.append(country.upper())
        if near is not None:
            cond, box = _box(near)
            where.append(cond.replace("lat", "p.lat").replace("lon", "p.lon"))
            params.extend(box)
        return where, params

    @staticmethod
    def _event_row(r: Any) -> EventRow:
        return EventRow(article_id=r[0], published=r[1], url=r[2], source=r[3], title=r[4],
                        event=Event.from_dict(json.loads(r[5])),
                        place=Place.from_dict(json.loads(r[6])) if r[6] else None, ingested_at=r[8])

    def events(self, type: str | None = None, actor: str | None = None, recipient: str | None = None,
               since: str | None = None, until: str | None = None, status: str | None = None,
               article: str | None = None, limit: int = 100, offset: int = 0, country: str | None = None,
               near: tuple[float, float, float] | None = None) -> list[EventRow]:
        """Stored events, newest first, filtered by PLOVER type, actor and recipient country
        codes, status, article, and day (``since``/``until``, ISO dates, inclusive: an event dated
        to a month or year matches when that period overlaps; an undated event counts by its
        article's publication date), and by where it happened: ``country`` (ISO alpha-2 of its
        place) and ``near`` = (lat, lon, km) around a point."""
        where, params = self._event_where(type, actor, recipient, since, until, status, article, country, near)
        sql = self._EVENT_SELECT + (" WHERE " + " AND ".join(where) if where else "") + \
            f" ORDER BY {self._EVENT_DAY} DESC, e.article_id, e.start, e.id"
        if near is None:
            return [self._event_row(r) for r in self._query(sql + " LIMIT ? OFFSET ?", (*params, limit, offset))]
        rows = [self._event_row(r) for r in self._query(sql, tuple(params))]
        inside = [r for r in rows if r.place is not None and r.place.lat is not None and r.place.lon is not None
                  and _km(near[0], near[1], r.place.lat, r.place.lon) <= near[2]]
        return inside[offset : offset + limit]

    def iter_events(self, type: str | None = None, actor: str | None = None, recipient: str | None = None,
                    since: str | None = None, until: str | None = None, status: str | None = None,
                    batch: int = 500) -> Iterator[EventRow]:
        """Every stored event that passes the filters, in article order, read in batches (for
        exports that must not hold a whole database in memory)."""
        where, params = self._event_where(type, actor, recipient, since, until, status, None)
        last = ("", "")
        while True:
            keyset = ["(e.article_id, e.id) > (?, ?)"]  # a row value: the primary key index seeks to it
            sql = self._EVENT_SELECT + " WHERE " + " AND ".join(keyset + where) + \
                " ORDER BY e.article_id, e.id LIMIT ?"
            rows = self._query(sql, (last[0], last[1], *params, batch))
            if not rows:
                return
            for r in rows:
                yield self._event_row(r)
            last = (rows[-1][0], rows[-1][7])

    @staticmethod
    def hash_of(article: Article) -> str:
        return content_hash(article.text)

    # --- the queries behind the web UI and the JSON API (portable SQL) -------------------------
    # Full-text matching is the one backend-specific part: ``_match_ids`` (a subquery of the ids
    # of the articles that match a query) and ``_search_page`` (ranked hits with snippets).
    # Fact queries avoid joining `articles` until the page is cut: filters on articles become
    # ``article_id IN (SELECT ...)`` subqueries, so that indexes drive them.

    def _rows(self, sql: str, params: tuple[Any, ...], cols: tuple[str, ...]) -> list[dict[str, Any]]:
        return [dict(zip(cols, tuple(r), strict=True)) for r in self._query(sql, params)]

    def _scalar(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        rows = self._query(sql, params)
        return rows[0][0] if rows else None

    def _count(self, select: str, params: tuple[Any, ...], cap: int | None) -> int:
        """How many rows ``select`` gives, counting no further than ``cap`` when one is given."""
        if cap is None:
            return int(self._scalar(f"SELECT count(*) FROM ({select}) c", params))
        return int(self._scalar(f"SELECT count(*) FROM ({select} LIMIT ?) c", (*params, cap)))

    def _match_ids(self, query: str, best: int | None = None) -> tuple[str, tuple[Any, ...]]:
        """A subquery selecting the ids of the articles whose title or text matches ``query``
        (only the ``best`` ranked ones when given)."""
        raise NotImplementedError(f"{type(self).__name__} has no full-text search")

    def _best_matches(self, query: str) -> list[str]:
        """The ids of the ``FACT_SEARCH_ARTICLES`` articles that match ``query`` best (what a search
        for statements or events looks in). Ranking every match is the costly part, and a search page
        counts and lists the statements and the events of the same articles: the ids are kept for the
        next call with the same query while the database holds the same articles."""
        if self._matches is None:
            self._matches = OrderedDict()
        memo = self._matches
        key = (query, self.data_version())
        ids = memo.get(key)
        if ids is None:
            sub, params = self._match_ids(query, FACT_SEARCH_ARTICLES)
            ids = memo[key] = [r[0] for r in self._query(sub, params)]
            while len(memo) > 16:
                memo.popitem(last=False)
        return ids

    def _search_page(self, query: str, where: str, params: tuple[Any, ...], limit: int, offset: int,
                     marks: tuple[str, str]) -> tuple[list[dict[str, Any]], int]:
        """Ranked article hits (id, title, published, source, url, origin, snippet) for ``query``
        among the articles ``a`` that satisfy ``where``, and how many there are in all."""
        raise NotImplementedError(f"{type(self).__name__} has no full-text search")

    def data_version(self) -> int:
        """A number that changes when articles are added (what caches of query results key on)."""
        return int(self._scalar("SELECT count(*) FROM articles"))

    def facets(self) -> dict[str, Any]:
        """What the filters can take: sources, countries, event types, statuses, stances, dates."""
        def col(*columns: tuple[str, str]) -> list[Any]:
            return [r[0] for r in self._query(_distinct(*columns))]
        return {
            "sources": col(("articles", "source")),
            "countries": col(("entities", "country"), ("events", "actor_country"), ("events", "recipient_country")),
            "event_types": col(("events", "type")),
            "statuses": col(("events", "status")),
            "stances": col(("statements", "stance")),
            "roles": col(("entities", "role")),
            "first": self._scalar("SELECT min(published) FROM articles"),
            "last": self._scalar("SELECT max(published) FROM articles"),
        }

    def stats(self) -> dict[str, int]:
        """How many rows each table of facts holds (a table that a database made by an older
        chronicle lacks, opened read-only, is left out)."""
        out = {}
        for t in TABLES:
            try:
                out[t] = self.count(t)
            except StoreError:
                continue
        return out

    def list_articles(self, f: Filters | None = None, limit: int = 50, offset: int = 0) -> Page:
        """Articles that pass the filters, newest first, with how many facts of each kind they hold."""
        where, params = _article_where(f or Filters())
        total = int(self._scalar(f"SELECT count(*) FROM articles a WHERE {where}", params))
        items = self._rows(
            "SELECT a.id, a.title, a.published, a.source, a.url, a.origin, "
            + ", ".join(f"(SELECT count(*) FROM {t} x WHERE x.article_id = a.id) AS n_{t}" for t in _FACTS)
            + f" FROM articles a WHERE {where} ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?",
            (*params, limit, offset), _ARTICLE_COLS + tuple(f"n_{t}" for t in _FACTS))
        return Page(items, total, limit, offset)

    def search_articles(self, query: str, f: Filters | None = None, limit: int = 20, offset: int = 0,
                        marks: tuple[str, str] = ("[", "]")) -> Page:
        """Full-text search over titles and texts among the articles that pass the filters, best
        first; each hit has a snippet with the matched words between ``marks``."""
        where, params = _article_where(f or Filters())
        items, total = self._search_page(query, where, params, limit, offset, marks)
        return Page(items, total, limit, offset)

    def list_statements(self, f: Filters | None = None, query: str | None = None, limit: int = 50,
                        offset: int = 0, cap: int | None = None) -> Page:
        """Statements (newest article first) that pass the filters (``entity`` and ``country`` are
        the speaker's); ``query``: statements of the articles that match it best (the first
        ``FACT_SEARCH_ARTICLES``) whose speaker, cue or content holds every word of it."""
        f = f or Filters()
        source, conds, ps = "statements s", [], []
        if f.entity:  # the statements of the entities of that name, found from their rows
            source = ("(SELECT article_id, id FROM entities WHERE name = ?) sx "
                      "JOIN statements s ON s.article_id = sx.article_id AND s.speaker_entity = sx.id")
            ps.append(f.entity)
        sub = _article_subset(Filters(date_from=f.date_from, date_to=f.date_to, source=f.source,
                                      article=f.article))
        if sub:
            conds.append(f"s.article_id IN ({sub[0]})")
            ps += sub[1]
        for col, val in (("s.stance", f.stance), ("s.kind", f.kind)):
            if val:
                conds.append(f"{col} = ?")
                ps.append(val)
        if f.country:
            conds.append("EXISTS (SELECT 1 FROM entities x WHERE x.article_id = s.article_id "
                         "AND x.id = s.speaker_entity AND x.country = ?)")
            ps.append(f.country)
        if query:
            ids = self._best_matches(query)
            conds.append(f"s.article_id IN ({','.join('?' * len(ids))})" if ids else "1 = 0")
            ps.extend(ids)
            for w in _words(query):
                conds.append("lower(coalesce(s.speaker, '') || ' ' || coalesce(s.cue, '') || ' ' || s.content) "
                             "LIKE ?")
                ps.append(f"%{w}%")
        return self._statement_page(" AND ".join(conds) or "1 = 1", tuple(ps), limit, offset, cap, source)

    def _statement_page(self, where: str, params: tuple[Any, ...], limit: int, offset: int,
                        cap: int | None = None, source: str = "statements s") -> Page:
        """A page of the statements ``s`` read from ``source`` that satisfy ``where`` (``params``: those
        of the source, then those of the conditions), newest article first."""
        total = self._count(f"SELECT 1 FROM {source} WHERE {where}", params, cap)
        # the page's keys first (sorting narrow rows), then what it shows
        rows = self._rows(
            "SELECT s.article_id, a.title, a.published, a.source, s.id, s.speaker, s.cue, s.content, s.kind, "
            "s.stance, s.start, s.\"end\", s.data, "
            "(SELECT x.name FROM entities x WHERE x.article_id = s.article_id AND x.id = s.speaker_entity) "
            f"FROM (SELECT s.article_id, s.id, a.published, s.start FROM {source} JOIN articles a "
            f"ON a.id = s.article_id WHERE {where} ORDER BY a.published DESC, a.id, s.start, s.id LIMIT ? OFFSET ?) k "
            "JOIN statements s ON s.article_id = k.article_id AND s.id = k.id JOIN articles a ON a.id = k.article_id "
            "ORDER BY k.published DESC, k.article_id, k.start, k.id",
            (*params, limit, offset),
            ("article_id", "title", "published", "source", "id", "speaker", "cue", "content", "kind", "stance",
             "start", "end", "data", "speaker_name"))
        items = []
        for r in rows:
            data = json.loads(r.pop("data"))
            target = data.get("target") or None
            r["target"] = target["text"] if target else None
            r["target_entity"] = target.get("entity") if target else None
            addressee = data.get("addressee") or None
            r["addressee"] = addressee["text"] if addressee else None
            items.append(r)
        return Page(items, total, limit, offset, capped=cap is not None and total >= cap)

    def list_events(self, f: Filters | None = None, query: str | None = None, limit: int = 50,
                    offset: int = 0, entity_as: str = "any", cap: int | None = None) -> Page:
        """Events that pass the filters, latest date first, each with its sentence and place;
        ``entity_as`` says whether ``f.entity`` must be the actor, the recipient or ``any``;
        ``query``: events of the best-matching articles whose participants, type or sentence hold
        every word of it."""
        source, where, params = self._events_filter(f or Filters(), query, entity_as)
        total = self._count(f"SELECT 1 FROM {source} WHERE {where}", params, cap)
        rows = self._rows(
            "SELECT e.article_id, a.title, a.published, a.source, e.id, e.type, e.mode, e.status, "
            "e.actor, e.actor_country, e.recipient, e.recipient_country, "
            "(SELECT x.name FROM entities x WHERE x.article_id = e.article_id AND x.id = e.actor_entity), "
            "(SELECT x.name FROM entities x WHERE x.article_id = e.article_id AND x.id = e.recipient_entity), "
            "e.date, p.name, p.country, e.start, e.\"end\", substr(a.text, e.start + 1, e.\"end\" - e.start), e.data "
            f"FROM (SELECT e.* FROM {source} WHERE {where} ORDER BY e.date DESC, e.article_id, e.start, e.id "
            "LIMIT ? OFFSET ?) e JOIN articles a ON a.id = e.article_id "
            "LEFT JOIN places p ON p.article_id = e.article_id AND p.id = e.place_id "
            "ORDER BY e.date DESC, e.article_id, e.start, e.id",
            (*params, limit, offset),
            ("article_id", "title", "published", "source", "id", "type", "mode", "status", "actor",
             "actor_country", "recipient", "recipient_country", "actor_name", "recipient_name", "date",
             "place", "place_country", "start", "end", "sentence", "data"))
        for r in rows:
            data = json.loads(r.pop("data"))
            r["trigger"] = (data.get("trigger") or {}).get("text")
            r["statement"] = data.get("statement")
        return Page(rows, total, limit, offset, capped=cap is not None and total >= cap)

    def _events_filter(self, f: Filters, query: str | None = None,
                       entity_as: str = "any") -> tuple[str, str, tuple[Any, ...]]:
        """What to read the events ``e`` that pass the filters from (``FROM {source}``: the events
        table, or the events of one entity joined from its rows), the conditions on them (the
        articles only through subqueries), and the parameters of both, in that order."""
        cols = {"actor": ("actor_entity",), "recipient": ("recipient_entity",),
                "any": ("actor_entity", "recipient_entity")}.get(entity_as)
        if cols is None:
            raise StoreError(f"no relation '{entity_as}' between an entity and events; valid: actor, recipient, any")
        source, conds, ps = "events e", [], []
        if f.entity:  # the events whose actor or recipient is an entity of that name, found from its rows
            source = ("(" + " UNION ".join(
                f"SELECT v.article_id, v.id FROM entities x JOIN events v ON v.article_id = x.article_id "
                f"AND v.{col} = x.id WHERE x.name = ?" for col in cols) + ") ek "
                "JOIN events e ON e.article_id = ek.article_id AND e.id = ek.id")
            ps += [f.entity] * len(cols)
        sub = _article_subset(Filters(source=f.source))
        if sub:
            conds.append(f"e.article_id IN ({sub[0]})")
            ps += sub[1]
        # a date range matches an event dated to a day in it, or to a month or year that overlaps it;
        # an undated event counts by its article's publication date
        for cond, val in ((f"substr({_EVENT_DATE} || '-99-99', 1, 10) >= ?", f.date_from),
                          (f"substr({_EVENT_DATE} || '-01-01', 1, 10) <= ?", f.date_to), ("e.type = ?", f.event_type),
                          ("e.status = ?", f.status), ("e.article_id = ?", f.article)):
            if val:
                conds.append(cond)
                ps.append(val)
        if f.country:
            conds.append("(e.actor_country = ? OR e.recipient_country = ?)")
            ps += [f.country, f.country]
        if query:
            ids = self._best_matches(query)
            conds.append(f"e.article_id IN ({','.join('?' * len(ids))})" if ids else "1 = 0")
            ps.extend(ids)
            for w in _words(query):
                conds.append("lower(coalesce(e.actor, '') || ' ' || coalesce(e.recipient, '') || ' ' || e.type "
                             "|| ' ' || (SELECT substr(a.text, e.start + 1, e.\"end\" - e.start) FROM articles a "
                             "WHERE a.id = e.article_id)) LIKE ?")
                ps.append(f"%{w}%")
        return source, " AND ".join(conds) or "1 = 1", tuple(ps)

    def _summaries(self, f: Filters | None, applies: tuple[str, ...] = _EVENT_FILTERS) -> bool:
        """Whether a view can be read from the summary tables: none of the filters that apply to it
        is set, and the database keeps them (schema 3 on; an older one opened read-only does not)."""
        if f is not None and any(getattr(f, k) for k in applies):
            return False
        if self._summarised is None:
            version = self._scalar("SELECT value FROM meta WHERE key = 'schema_version'")
            self._summarised = version is not None and int(version) >= 3
        return self._summarised

    def event_timeline(self, f: Filters | None = None) -> list[dict[str, Any]]:
        """Events per date and type (an event's date as precise as it is given, else its article's
        publication date)."""
        if self._summaries(f):
            return [{"day": r[0] or None, "type": r[1], "n": int(r[2])}
                    for r in self._query("SELECT day, type, n FROM event_days ORDER BY day, type")]
        return self._event_days(f or Filters())

    def _event_days(self, f: Filters) -> list[dict[str, Any]]:
        """Events per date and type among those that pass the filters, counted from the events."""
        source, where, params = self._events_filter(f)
        return self._rows(
            f"SELECT coalesce(e.date, a.published) AS day, e.type, count(*) AS n FROM {source} "
            f"JOIN articles a ON a.id = e.article_id WHERE {where} GROUP BY day, e.type ORDER BY day, e.type",
            params, ("day", "type", "n"))

    def event_network(self, f: Filters | None = None, by: str = "entity", limit: int = 60) -> dict[str, Any]:
        """Who acts on whom: edges (actor -> recipient, weighted by events) between entities (or
        between countries, ``by="country"``), heaviest first, and the nodes they join."""
        if self._summaries(f):
            edges = self._rows("SELECT src, dst, n FROM event_edges WHERE kind = ? ORDER BY n DESC, src, dst LIMIT ?",
                               ("country" if by == "country" else "entity", limit), ("source", "target", "n"))
        else:
            edges = self._event_edges(f or Filters(), by, limit)
        weight: dict[str, int] = {}
        for e in edges:
            for k in (e["source"], e["target"]):
                weight[k] = weight.get(k, 0) + e["n"]
        nodes = [{"id": k, "n": n} for k, n in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))]
        return {"by": by, "nodes": nodes, "edges": edges}

    def _event_edges(self, f: Filters, by: str, limit: int) -> list[dict[str, Any]]:
        """The heaviest edges among the events that pass the filters, counted from the events."""
        source, where, params = self._events_filter(f)
        if by == "country":
            src, dst, join = "e.actor_country", "e.recipient_country", ""
        else:
            src, dst = "coalesce(xa.name, e.actor)", "coalesce(xr.name, e.recipient)"
            join = ("LEFT JOIN entities xa ON xa.article_id = e.article_id AND xa.id = e.actor_entity "
                    "LEFT JOIN entities xr ON xr.article_id = e.article_id AND xr.id = e.recipient_entity ")
        return self._rows(
            f"SELECT {src} AS src, {dst} AS dst, count(*) AS n FROM {source} {join}"
            f"WHERE {where} AND {src} IS NOT NULL AND {dst} IS NOT NULL "
            "GROUP BY src, dst ORDER BY n DESC, src, dst LIMIT ?", (*params, limit), ("source", "target", "n"))

    def event_places(self, f: Filters | None = None, limit: int = 500) -> list[dict[str, Any]]:
        """The places of the events that pass the filters, with how many events each holds."""
        if self._summaries(f):
            return [{"name": r[0] or None, "country": r[1] or None, "lat": r[2], "lon": r[3], "n": int(r[4])}
                    for r in self._query("SELECT name, country, lat, lon, n FROM event_places "
                                         "ORDER BY n DESC, name, country, lat, lon LIMIT ?", (limit,))]
        return self._event_places(f or Filters(), limit)

    def _event_places(self, f: Filters, limit: int) -> list[dict[str, Any]]:
        """The places of the events that pass the filters, counted from the events."""
        source, where, params = self._events_filter(f)
        return self._rows(
            f"SELECT p.name, p.country, p.lat, p.lon, count(*) AS n FROM {source} "
            "JOIN places p ON p.article_id = e.article_id "
            f"AND p.id = e.place_id WHERE {where} AND p.lat IS NOT NULL AND p.lon IS NOT NULL "
            "GROUP BY p.name, p.country, p.lat, p.lon ORDER BY n DESC, p.name, p.country, p.lat, p.lon LIMIT ?",
            (*params, limit), ("name", "country", "lat", "lon", "n"))

    def list_entities(self, f: Filters | None = None, query: str | None = None, limit: int = 50,
                      offset: int = 0, cap: int | None = None) -> Page:
        """Entities grouped by name (until ``link`` resolves them across articles), the most
        widely reported first, each with its commonest type, country and role."""
        f = f or Filters()
        words = [f"%{w}%" for w in _words(query or "")]
        if self._summaries(f, _ENTITY_FILTERS):  # at most words of the name: the names' counts say it
            where = " AND ".join(["1 = 1", *("lower(name) LIKE ?" for _ in words)])
            total = self._count(f"SELECT 1 FROM entity_names WHERE {where}", tuple(words), cap)
            items = self._rows(f"SELECT name, n FROM entity_names WHERE {where} ORDER BY n DESC, name LIMIT ? OFFSET ?",
                               (*words, limit, offset), ("name", "articles"))
        else:
            conds: list[str] = []
            ps: list[Any] = []
            sub = _article_subset(Filters(date_from=f.date_from, date_to=f.date_to, source=f.source))
            if sub:
                conds.append(f"x.article_id IN ({sub[0]})")
                ps += sub[1]
            for col, val in (("x.country", f.country), ("x.role", f.role), ("x.type", f.type)):
                if val:
                    conds.append(f"{col} = ?")
                    ps.append(val)
            conds += ["lower(x.name) LIKE ?" for _ in words]
            ps += words
            where = " AND ".join(conds) or "1 = 1"
            total = self._count(f"SELECT DISTINCT x.name FROM entities x WHERE {where}", tuple(ps), cap)
            items = self._rows(
                f"SELECT x.name, count(DISTINCT x.article_id) AS n FROM entities x WHERE {where} "
                "GROUP BY x.name ORDER BY n DESC, x.name LIMIT ? OFFSET ?",
                (*ps, limit, offset), ("name", "articles"))
        if items:
            marks = ",".join("?" * len(items))
            codes: dict[str, list[tuple[int, Any, Any, Any]]] = {}
            for r in self._query(
                    f"SELECT name, type, country, role, count(*) FROM entities WHERE name IN ({marks}) "
                    "GROUP BY name, type, country, role", tuple(i["name"] for i in items)):
                codes.setdefault(r[0], []).append((int(r[4]), r[1], r[2], r[3]))
            for i in items:
                best = max(codes.get(i["name"], [(0, None, None, None)]), key=lambda c: (c[0], str(c[1:])))
                i["type"], i["country"], i["role"] = best[1], best[2], best[3]
        return Page(items, total, limit, offset, capped=cap is not None and total >= cap)

    def entity_profile(self, name: str, sample: int = 500) -> dict[str, Any] | None:
        """What is known about the entities of one name: types, codes, how it is referred to,
        when it was reported, and which other entities share its articles (its latest ``sample``)."""
        codes = self._rows(
            "SELECT type, country, role, count(*) AS n FROM entities WHERE name = ? "
            "GROUP BY type, country, role ORDER BY n DESC", (name,), ("type", "country", "role", "n"))
        if not codes:
            return None
        span = self._query("SELECT count(*), min(a.published), max(a.published) FROM articles a "
                           "WHERE a.id IN (SELECT article_id FROM entities WHERE name = ?)", (name,))
        mref = "FROM mentions m JOIN entities x ON x.article_id = m.article_id AND x.id = m.entity_id WHERE x.name = ?"
        latest = ("SELECT a.id FROM articles a WHERE a.id IN (SELECT article_id FROM entities WHERE name = ?) "
                  "ORDER BY a.published DESC LIMIT ?")
        return {
            "name": name,
            "type": codes[0]["type"], "country": codes[0]["country"], "role": codes[0]["role"],
            "codes": codes,
            "articles": int(span[0][0]), "first": span[0][1], "last": span[0][2],
            "mentions": int(self._scalar(f"SELECT count(*) {mref}", (name,))),
            "names": self._rows(f"SELECT m.text, m.kind, count(*) AS n {mref} GROUP BY m.text, m.kind "
                                "ORDER BY n DESC, m.text LIMIT 30", (name,), ("text", "kind", "n")),
            "statements_by": int(self._scalar(
                "SELECT count(*) FROM statements s JOIN entities x ON x.article_id = s.article_id "
                "AND x.id = s.speaker_entity WHERE x.name = ?", (name,))),
            "events_as_actor": int(self._scalar(
                "SELECT count(*) FROM events e JOIN entities x ON x.article_id = e.article_id "
                "AND x.id = e.actor_entity WHERE x.name = ?", (name,))),
            "events_as_recipient": int(self._scalar(
                "SELECT count(*) FROM events e JOIN entities x ON x.article_id = e.article_id "
                "AND x.id = e.recipient_entity WHERE x.name = ?", (name,))),
            "related": self._rows(
                f"SELECT y.name, count(DISTINCT y.article_id) AS n FROM entities y WHERE y.article_id IN ({latest}) "
                "AND y.name <> ? GROUP BY y.name ORDER BY n DESC, y.name LIMIT 15",
                (name, sample, name), ("name", "articles")),
        }

    def entity_mentions(self, name: str, limit: int = 50, offset: int = 0, context: int = 80) -> Page:
        """Every mention of the entities of one name, newest article first, with its context."""
        ref = "FROM mentions m JOIN entities x ON x.article_id = m.article_id AND x.id = m.entity_id WHERE x.name = ?"
        total = int(self._scalar(f"SELECT count(*) {ref}", (name,)))
        rows = self._rows(
            "SELECT m.article_id, a.title, a.published, a.source, m.text, m.start, m.\"end\", m.kind, "
            "CASE WHEN m.start > ? THEN m.start - ? ELSE 0 END AS cstart, "
            "substr(a.text, CASE WHEN m.start > ? THEN m.start - ? ELSE 0 END + 1, m.\"end\" - m.start + 2 * ?) "
            "FROM (SELECT m.* FROM mentions m JOIN entities x ON x.article_id = m.article_id AND x.id = m.entity_id "
            "JOIN articles a ON a.id = m.article_id WHERE x.name = ? "
            "ORDER BY a.published DESC, a.id, m.start LIMIT ? OFFSET ?) m JOIN articles a ON a.id = m.article_id "
            "ORDER BY a.published DESC, a.id, m.start",
            (context, context, context, context, context, name, limit, offset),
            ("article_id", "title", "published", "source", "text", "start", "end", "kind", "cstart", "window"))
        for r in rows:
            w, s = r.pop("window"), r.pop("cstart")
            a, b = r["start"] - s, r["end"] - s
            r["before"], r["after"] = w[:a], w[b:]
        return Page(rows, total, limit, offset)

    def entity_statements(self, name: str, rel: str = "by", limit: int = 50, offset: int = 0) -> Page:
        """Statements by the entities of one name (``rel="by"``: they speak) or about them
        (``rel="about"``: another speaker's statement mentions them)."""
        if rel == "by":
            return self.list_statements(Filters(entity=name), limit=limit, offset=offset)
        if rel == "about":  # found from the entity's mentions: the statements whose span holds one
            return self._statement_page(
                "(s.article_id, s.id) IN (SELECT t.article_id, t.id FROM entities x JOIN mentions m "
                "ON m.article_id = x.article_id AND m.entity_id = x.id "
                "JOIN statements t ON t.article_id = x.article_id AND m.start >= t.start AND m.\"end\" <= t.\"end\" "
                "WHERE x.name = ? AND (t.speaker_entity IS NULL OR t.speaker_entity <> x.id))", (name,), limit, offset)
        raise StoreError(f"no relation '{rel}' between an entity and statements; valid: by, about")

    def entity_events(self, name: str, rel: str = "any", limit: int = 200, offset: int = 0) -> Page:
        """Events with the entities of one name as actor (``rel="actor"``), as recipient
        (``"recipient"``) or either (``"any"``), latest first."""
        return self.list_events(Filters(entity=name), limit=limit, offset=offset, entity_as=rel)


_FACTS = ("entities", "statements", "events", "quantities", "times", "places")
# a search for statements or events looks in this many best-matching articles (bounds its cost)
FACT_SEARCH_ARTICLES = 500
_EVENT_DATE = "coalesce(e.date, (SELECT pa.published FROM articles pa WHERE pa.id = e.article_id))"
_ARTICLE_COLS = ("id", "title", "published", "source", "url", "origin")


@dataclass(slots=True)
class Page:
    """One page of a longer list: the items, how many there are in all, and where the page starts."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    capped: bool = False  # counting stopped at a cap: there are at least `total`


@dataclass(slots=True)
class Filters:
    """The filters the search, the lists and the explorer share; None means any. Dates are ISO
    (``YYYY-MM-DD``) and inclusive; ``country`` is an actor's or entity's code (RUS, UN)."""

    date_from: str | None = None
    date_to: str | None = None
    source: str | None = None
    country: str | None = None
    entity: str | None = None  # an entity's name
    event_type: str | None = None
    stance: str | None = None
    status: str | None = None  # of events
    kind: str | None = None  # of statements: direct, indirect, mixed
    role: str | None = None  # of entities
    type: str | None = None  # of entities: PERSON, ORG, GPE, ...
    article: str | None = None  # one article's facts


def _distinct(*columns: tuple[str, str]) -> str:
    """SQL for the distinct values (NULL left out, in order) of indexed columns, each ``(table,
    column)``: a loose index scan, one index seek per value rather than a read of every row (a
    recursive query, the same in SQLite and PostgreSQL)."""
    ctes, selects = [], []
    for i, (table, col) in enumerate(columns):
        ctes.append(f"v{i}(x) AS (SELECT min({col}) FROM {table} UNION ALL "
                    f"SELECT (SELECT min({col}) FROM {table} WHERE {col} > v{i}.x) FROM v{i} WHERE v{i}.x IS NOT NULL)")
        selects.append(f"SELECT x FROM v{i} WHERE x IS NOT NULL")
    return f"WITH RECURSIVE {', '.join(ctes)} {' UNION '.join(selects)} ORDER BY x"


def _words(query: str) -> list[str]:
    return [w.lower() for w in re.findall(r"\w+", query)]


def _article_where(f: Filters) -> tuple[str, tuple[Any, ...]]:
    """Portable SQL conditions on ``articles a`` for the filters that apply to articles."""
    conds, ps = ["1 = 1"], []
    if f.date_from:
        conds.append("a.published >= ?")
        ps.append(f.date_from)
    if f.date_to:
        conds.append("a.published <= ?")
        ps.append(f.date_to)
    if f.source:
        conds.append("a.source = ?")
        ps.append(f.source)
    if f.article:
        conds.append("a.id = ?")
        ps.append(f.article)
    for table, col, val in (("entities", "country", f.country), ("entities", "name", f.entity),
                            ("events", "type", f.event_type), ("statements", "stance", f.stance)):
        if val:
            conds.append(f"a.id IN (SELECT article_id FROM {table} WHERE {col} = ?)")
            ps.append(val)
    return " AND ".join(conds), tuple(ps)


def _article_subset(f: Filters) -> tuple[str, tuple[Any, ...]] | None:
    """A subquery of the ids of the articles that pass the filters, or None when none apply."""
    where, params = _article_where(f)
    return (f"SELECT a.id FROM articles a WHERE {where}", params) if params else None
