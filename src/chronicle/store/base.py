"""What every store backend offers, and the rows a record becomes."""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chronicle.errors import StoreError
from chronicle.record import Article, Event, Place, Record, Statement, content_hash

__all__ = [
    "ArticleRow", "Duplicate", "EventAt", "EventRow", "PlaceSummary", "SearchHit", "StatementRow", "Store",
    "WriteResult",
    "fact_rows", "now",
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


def _j(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def fact_rows(record: Record) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of every fact table for one record (column order as in schema.sql)."""
    aid = record.article.id
    rows: dict[str, list[tuple[Any, ...]]] = {
        "entities": [], "mentions": [], "statements": [], "events": [],
        "quantities": [], "times": [], "places": [],
    }
    for e in record.entities:
        rows["entities"].append((aid, e.id, e.name, e.type, e.country, e.role, _j(e.to_dict())))
        for m in e.mentions:
            rows["mentions"].append((aid, e.id, m.text, m.start, m.end, m.kind))
    for s in record.statements:
        spk = s.speaker
        rows["statements"].append((
            aid, s.id, spk.text if spk else None, spk.entity if spk else None,
            s.cue.text if s.cue else None, s.content.text, s.kind, s.stance,
            min(x.start for x in (s.content, s.cue, spk) if x is not None),
            max(x.end for x in (s.content, s.cue, spk) if x is not None),
            _j(s.to_dict()),
        ))
    for v in record.events:
        a, r = v.actor, v.recipient
        rows["events"].append((
            aid, v.id, v.type, v.mode, v.status,
            a.text if a else None, a.entity if a else None, a.country if a else None,
            r.text if r else None, r.entity if r else None, r.country if r else None,
            v.date.value if v.date else None, v.place, v.sentence.start, v.sentence.end,
            _j(v.to_dict()),
        ))
    for q in record.quantities:
        rows["quantities"].append((aid, q.id, q.text, q.value, q.unit, q.kind, q.start, q.end, _j(q.to_dict())))
    for t in record.times:
        rows["times"].append((aid, t.id, t.text, t.value, t.precision, t.start, t.end, _j(t.to_dict())))
    for p in record.places:
        rows["places"].append((aid, p.id, p.text, p.name, p.country, p.lat, p.lon, p.start, p.end, _j(p.to_dict())))
    return rows


class Store(ABC):
    """The narrow interface every backend implements."""

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
    def record_failure(self, origin: str, stage: str, reason: str) -> None: ...

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
        "SELECT e.article_id, a.published, a.url, a.source, a.title, e.data, p.data, e.id "
        "FROM events e JOIN articles a ON a.id = e.article_id "
        "LEFT JOIN places p ON p.article_id = e.article_id AND p.id = e.place_id")
    # the days an event may have happened on: its own date (a month or a year spans its days),
    # else its article's publication date; compared as ISO strings ("2022-05" ends "2022-05-99")
    _EVENT_DAY = "substr(coalesce(e.date, a.published) || '-01-01', 1, 10)"
    _EVENT_LAST_DAY = "substr(coalesce(e.date, a.published) || '-99-99', 1, 10)"

    @classmethod
    def _event_where(cls, type: str | None, actor: str | None, recipient: str | None, since: str | None,
                     until: str | None, status: str | None, article: str | None) -> tuple[list[str], list[Any]]:
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
        return where, params

    @staticmethod
    def _event_row(r: Any) -> EventRow:
        return EventRow(article_id=r[0], published=r[1], url=r[2], source=r[3], title=r[4],
                        event=Event.from_dict(json.loads(r[5])),
                        place=Place.from_dict(json.loads(r[6])) if r[6] else None)

    def events(self, type: str | None = None, actor: str | None = None, recipient: str | None = None,
               since: str | None = None, until: str | None = None, status: str | None = None,
               article: str | None = None, limit: int = 100, offset: int = 0) -> list[EventRow]:
        """Stored events, newest first, filtered by PLOVER type, actor and recipient country
        codes, status, article, and day (``since``/``until``, ISO dates, inclusive: an event dated
        to a month or year matches when that period overlaps; an undated event counts by its
        article's publication date)."""
        where, params = self._event_where(type, actor, recipient, since, until, status, article)
        sql = self._EVENT_SELECT + (" WHERE " + " AND ".join(where) if where else "") + \
            f" ORDER BY {self._EVENT_DAY} DESC, e.article_id, e.start, e.id LIMIT ? OFFSET ?"
        return [self._event_row(r) for r in self._query(sql, (*params, limit, offset))]

    def iter_events(self, type: str | None = None, actor: str | None = None, recipient: str | None = None,
                    since: str | None = None, until: str | None = None, status: str | None = None,
                    batch: int = 500) -> Iterator[EventRow]:
        """Every stored event that passes the filters, in article order, read in batches (for
        exports that must not hold a whole database in memory)."""
        where, params = self._event_where(type, actor, recipient, since, until, status, None)
        last = ("", "")
        while True:
            keyset = ["(e.article_id > ? OR (e.article_id = ? AND e.id > ?))"]
            sql = self._EVENT_SELECT + " WHERE " + " AND ".join(keyset + where) + \
                " ORDER BY e.article_id, e.id LIMIT ?"
            rows = self._query(sql, (last[0], last[0], last[1], *params, batch))
            if not rows:
                return
            for r in rows:
                yield self._event_row(r)
            last = (rows[-1][0], rows[-1][7])

    @staticmethod
    def hash_of(article: Article) -> str:
        return content_hash(article.text)
