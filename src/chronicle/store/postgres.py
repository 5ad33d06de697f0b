"""PostgreSQL backend (psycopg 3): the same tables as SQLite, for stores that outgrow one file.

``open_store("postgresql://user@host/db")`` opens it; everything the SQLite store does works
the same: the portable queries of ``Store`` run unchanged (``?`` placeholders become ``%s``,
and ORDER BY keeps SQLite's NULL order: NULLs first ascending, last descending), records are
written in one transaction per batch with COPY, and full-text search uses a generated
``tsvector`` column with a GIN index (``schema_postgres.sql``). Migrations are the numbered
steps of ``migrations.py``, run under an advisory lock so that two processes opening a new
database do not race.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from chronicle.errors import StoreError
from chronicle.record import Article, Record, record_json
from chronicle.store import migrations
from chronicle.store.base import (
    Duplicate,
    SearchHit,
    Store,
    WriteResult,
    fact_rows,
    now,
    summary_counts,
    summary_upsert,
)
from chronicle.store.migrations import SCHEMA_VERSION

__all__ = ["PostgresStore", "is_postgres", "translate"]

LOGGER = logging.getLogger(__name__)
_LOCK = 0x6368726F6E  # pg_advisory_xact_lock key for migrations ("chron")
_COLUMNS = {
    "articles": ("id", "url", "origin", "title", "published", "source", "language", "author", "text",
                 "content_hash", "record", "ingested_at"),
    "entities": ("article_id", "id", "name", "type", "country", "role", "data"),
    "mentions": ("article_id", "entity_id", "text", "start", "end", "kind"),
    "statements": ("article_id", "id", "speaker", "speaker_entity", "cue", "content", "kind", "stance", "start",
                   "end", "data"),
    "events": ("article_id", "id", "type", "mode", "status", "actor", "actor_entity", "actor_country", "recipient",
               "recipient_entity", "recipient_country", "date", "place_id", "start", "end", "data"),
    "quantities": ("article_id", "id", "text", "value", "unit", "kind", "start", "end", "data"),
    "times": ("article_id", "id", "text", "value", "precision", "start", "end", "data"),
    "places": ("article_id", "id", "text", "name", "country", "lat", "lon", "start", "end", "data"),
    "article_bands": ("key", "article_id"),
    "duplicates": ("id", "duplicate_of", "url", "origin", "title", "published", "source", "content_hash",
                   "similarity", "ingested_at"),
}
# the link step's tables (written with ``write_rows``)
_LINK_COLUMNS = {
    "link_articles": ("article_id", "story", "similarity", "terms", "linked_at"),
    "link_terms": ("term", "n"),
    "canonical_entities": ("id", "name", "type", "country", "role", "articles", "mentions", "first", "last", "data"),
    "canonical_keys": ("key", "canonical_id"),
    "entity_links": ("article_id", "entity_id", "kind", "canonical_id"),
    "story_events": ("id", "type", "mode", "status", "date", "precision", "actor", "actor_country",
                     "actor_canonical", "recipient", "recipient_country", "recipient_canonical", "place",
                     "place_country", "lat", "lon", "reports", "articles", "sources", "first", "last", "data"),
    "event_links": ("article_id", "event_id", "story_event", "start", "end", "status"),
    "disputes": ("id", "a_article", "a_kind", "a_ref", "a_start", "a_end", "a_speaker", "a_canonical",
                 "b_article", "b_kind", "b_ref", "b_start", "b_end", "b_speaker", "b_canonical", "story", "score",
                 "data"),
}


def is_postgres(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def redact(dsn: str) -> str:
    """The DSN without its password, for messages."""
    parts = urlsplit(dsn)
    if parts.password:
        host = parts.hostname or ""
        netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return dsn


# --- SQL: the portable dialect of base.py, made PostgreSQL's ---------------------------------------

_ORDER = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_STOP = re.compile(r"\b(LIMIT|OFFSET|UNION|EXCEPT|INTERSECT|FETCH|FOR)\b", re.IGNORECASE)


def _nulls(item: str) -> str:
    low = item.rstrip().lower()
    if "nulls " in low or not low:
        return item
    return item.rstrip() + (" NULLS LAST" if low.endswith(" desc") else " NULLS FIRST")


def _order_nulls(sql: str) -> str:
    """Append SQLite's NULL order to every ORDER BY item (PostgreSQL sorts NULLs the other way)."""
    out, pos = [], 0
    for m in _ORDER.finditer(sql):
        if m.start() < pos:
            continue
        out.append(sql[pos:m.end()])
        i, depth, items, start = m.end(), 0, [], m.end()
        quote = ""
        while i < len(sql):
            ch = sql[i]
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0:
                items.append(sql[start:i])
                start = i + 1
            elif depth == 0 and _STOP.match(sql, i) and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == "_")):
                break
            i += 1
        tail = sql[start:i]
        trailing = tail[len(tail.rstrip()):]
        items.append(tail.rstrip())
        out.append(",".join(_nulls(x) for x in items) + trailing)
        pos = i
    out.append(sql[pos:])
    return "".join(out)


@lru_cache(maxsize=512)
def translate(sql: str, has_params: bool = True) -> str:
    """``?`` placeholders to ``%s`` (outside string literals), ``%`` doubled, NULL order made SQLite's."""
    out = []
    quote = ""
    for ch in sql:
        if quote:
            if ch == quote:
                quote = ""
            out.append("%%" if ch == "%" and has_params else ch)
            continue
        if ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%" and has_params:
            out.append("%%")
        else:
            out.append(ch)
    return _order_nulls("".join(out))


class _Row(tuple):  # type: ignore[type-arg]
    """A result row read by position or by column name (as sqlite3.Row is)."""

    _index: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Any:
    index = {c.name: i for i, c in enumerate(cursor.description or ())}

    def make(values: Any) -> _Row:
        r = _Row(values)
        r._index = index
        return r

    return make


def _explain(target: str, e: Exception) -> StoreError:
    msg = " ".join(str(e).split())
    low = msg.lower()
    if "could not connect" in low or "connection refused" in low or "connection failed" in low:
        return StoreError(f"{target}: cannot connect to PostgreSQL ({msg})")
    if "no space left" in low or "disk full" in low:
        return StoreError(f"{target}: disk full; nothing after the last stored batch was written")
    if "lock" in low and "timeout" in low:
        return StoreError(f"{target}: database is locked by another process (try again when it ends)")
    if "read-only" in low:
        return StoreError(f"{target}: database is read-only")
    return StoreError(f"{target}: {msg}")


class PostgresStore(Store):
    def __init__(self, dsn: str, *, readonly: bool = False) -> None:
        try:
            import psycopg
        except ImportError:
            raise StoreError("a postgresql:// database needs psycopg: pip install 'chronicle[postgres]'") from None
        self._psycopg = psycopg
        self.target = redact(dsn)
        try:
            self.conn = psycopg.connect(dsn, autocommit=True, row_factory=_row_factory)
            self._numbers()
            if readonly:
                self.conn.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                self.conn.execute("SELECT count(*) FROM articles")
            else:
                self._migrate()
        except psycopg.Error as e:
            raise _explain(self.target, e) from None

    def _numbers(self) -> None:
        """numeric (sums and the like) read as int or float, as SQLite gives them."""
        from psycopg.types.numeric import NumericLoader

        class Loader(NumericLoader):
            def load(self, data: Any) -> Any:
                d: Decimal = super().load(data)
                return int(d) if d == d.to_integral_value() else float(d)

        self.conn.adapters.register_loader("numeric", Loader)

    # --- schema -------------------------------------------------------------------------------
    def _migrate(self) -> None:
        sql = (resources.files("chronicle.store") / "schema_postgres.sql").read_text(encoding="utf-8")
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.target}: made by a newer chronicle (schema {version}); upgrade chronicle")
            self.conn.execute(sql)
            for step in migrations.pending(max(version, 1)):
                LOGGER.info("%s: migrating to schema %d: %s", self.target, step.version, step.what)
                self.conn.execute(step.postgres)
                version = step.version
            self.conn.execute("INSERT INTO meta VALUES ('schema_version', %s) ON CONFLICT (key) DO UPDATE "
                              "SET value = excluded.value", (str(max(version, SCHEMA_VERSION)),))

    def close(self) -> None:
        try:
            self.conn.close()
        except self._psycopg.Error:
            pass

    # --- writing ------------------------------------------------------------------------------
    def has_article(self, article: Article) -> str | None:
        rows = self._query(
            "SELECT id FROM articles WHERE id = ? UNION ALL SELECT id FROM articles WHERE url = ? "
            "UNION ALL SELECT id FROM articles WHERE content_hash = ? "
            "UNION ALL SELECT duplicate_of FROM duplicates WHERE id = ? "
            "UNION ALL SELECT duplicate_of FROM duplicates WHERE url = ? LIMIT 1",
            (article.id, article.url, self.hash_of(article), article.id, article.url))
        return rows[0][0] if rows else None

    def _known(self, records: list[Record]) -> set[str]:
        """Which ids, URLs and text hashes of these records the store holds (one query)."""
        ids = [r.article.id for r in records]
        urls = [r.article.url for r in records if r.article.url]
        hashes = [self.hash_of(r.article) for r in records]
        rows = self.conn.execute(
            "SELECT id, url, content_hash FROM articles WHERE id = ANY(%s) OR url = ANY(%s) "
            "OR content_hash = ANY(%s) UNION ALL SELECT id, url, content_hash FROM duplicates "
            "WHERE id = ANY(%s) OR url = ANY(%s)", (ids, urls, hashes, ids, urls)).fetchall()
        known: set[str] = set()
        for r in rows:
            known.update(("id:" + r[0], "hash:" + r[2]))
            if r[1]:
                known.add("url:" + r[1])
        return known

    def _copy(self, cur: Any, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        cols = ", ".join(f'"{c}"' for c in (_COLUMNS.get(table) or _LINK_COLUMNS[table]))
        with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def write(self, records: Iterable[Record], fingerprints: Mapping[str, list[str]] | None = None) -> WriteResult:
        """One transaction; every table is filled with COPY."""
        records = list(records)
        result = WriteResult()
        if not records:
            return result
        psycopg = self._psycopg
        try:
            with self.conn.transaction(), self.conn.cursor() as cur:
                known = self._known(records)
                tables: dict[str, list[tuple[Any, ...]]] = {t: [] for t in _COLUMNS}
                stored: list[Record] = []
                stamp = now()
                for rec in records:
                    a = rec.article
                    h = self.hash_of(a)
                    keys = {"id:" + a.id, "hash:" + h} | ({"url:" + a.url} if a.url else set())
                    if keys & known:
                        result.skipped += 1
                        continue
                    known |= keys
                    stored.append(rec)
                    data = rec.to_dict()  # once, for the record's JSON and every fact's
                    tables["articles"].append((a.id, a.url, a.origin, a.title, a.published, a.source, a.language,
                                               a.author, a.text, h, record_json(data), stamp))
                    for table, rows in fact_rows(rec, data).items():
                        tables[table].extend(rows)
                    tables["article_bands"].extend((k, a.id) for k in (fingerprints or {}).get(a.id) or ())
                    result.stored += 1
                for table in _COLUMNS:
                    self._copy(cur, table, tables[table])
                for table, counts in summary_counts(stored).items():
                    if counts:
                        cur.executemany(translate(summary_upsert(table)), [(*k, n) for k, n in counts.items()])
        except psycopg.Error as e:
            raise _explain(self.target, e) from None
        return result

    def write_rows(self, statements: Sequence[tuple[str, tuple[Any, ...]]],
                   inserts: Mapping[str, Sequence[tuple[Any, ...]]]) -> None:
        """One transaction: the statements, then COPY of every table's rows."""
        try:
            with self.conn.transaction(), self.conn.cursor() as cur:
                for sql, params in statements:
                    cur.execute(translate(sql, bool(params)), params)
                for table, rows in inserts.items():
                    self._copy(cur, table, rows)
        except self._psycopg.Error as e:
            raise _explain(self.target, e) from None

    def write_duplicates(self, duplicates: Iterable[Duplicate]) -> int:
        added = 0
        try:
            with self.conn.transaction(), self.conn.cursor() as cur:
                for d in duplicates:
                    cur.execute(
                        "INSERT INTO duplicates VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO NOTHING",
                        (d.id, d.duplicate_of, d.url, d.origin, d.title, d.published, d.source, d.content_hash,
                         d.similarity, now()))
                    added += max(cur.rowcount, 0)
        except self._psycopg.Error as e:
            raise _explain(self.target, e) from None
        return added

    def record_failure(self, origin: str, stage: str, reason: str, once: bool = False) -> None:
        try:
            if once:
                self.conn.execute(
                    "INSERT INTO failures (origin, stage, reason, at) SELECT %s,%s,%s,%s WHERE NOT EXISTS "
                    "(SELECT 1 FROM failures WHERE origin = %s AND stage = %s AND reason = %s)",
                    (origin, stage, reason, now(), origin, stage, reason))
            else:
                self.conn.execute("INSERT INTO failures (origin, stage, reason, at) VALUES (%s,%s,%s,%s)",
                                  (origin, stage, reason, now()))
        except self._psycopg.Error as e:
            raise _explain(self.target, e) from None

    def add_fingerprints(self, fingerprints: Mapping[str, list[str]]) -> None:
        try:
            with self.conn.transaction(), self.conn.cursor() as cur:
                self._copy(cur, "article_bands", [(k, aid) for aid, keys in fingerprints.items() for k in keys])
        except self._psycopg.Error as e:
            raise _explain(self.target, e) from None

    # --- reading ------------------------------------------------------------------------------
    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        try:
            if params:
                return self.conn.execute(translate(sql, True), params).fetchall()
            return self.conn.execute(translate(sql, False)).fetchall()
        except self._psycopg.Error as e:
            raise _explain(self.target, e) from None

    _TSQ = "websearch_to_tsquery('simple', ?)"

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        rows = self._query(
            "SELECT h.id, h.title, h.published, h.source, ts_headline('simple', h.text, q.q, "
            "'StartSel=[, StopSel=], MaxWords=28, MinWords=14, MaxFragments=1') AS snip FROM "
            f"(SELECT a.id, a.title, a.published, a.source, a.text, ts_rank(a.tsv, {self._TSQ}) AS r "
            f"FROM articles a WHERE a.tsv @@ {self._TSQ} ORDER BY r DESC, a.id LIMIT ? OFFSET ?) h, "
            f"(SELECT {self._TSQ} AS q) q ORDER BY h.r DESC, h.id",
            (query, query, limit, offset, query))
        return [SearchHit(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def _match_ids(self, query: str, best: int | None = None) -> tuple[str, tuple[Any, ...]]:
        sql = f"SELECT fa.id FROM articles fa WHERE fa.tsv @@ {self._TSQ}"
        if best is None:
            return sql, (query,)
        return sql + f" ORDER BY ts_rank(fa.tsv, {self._TSQ}) DESC, fa.id LIMIT ?", (query, query, best)

    def _search_page(self, query: str, where: str, params: tuple[Any, ...], limit: int, offset: int,
                     marks: tuple[str, str]) -> tuple[list[dict[str, Any]], int]:
        base = f"FROM articles a WHERE a.tsv @@ {self._TSQ} AND {where}"
        total = int(self._query(f"SELECT count(*) {base}", (query, *params))[0][0])
        opts = f"StartSel={marks[0]}, StopSel={marks[1]}, MaxWords=48, MinWords=24, MaxFragments=1"
        rows = self._query(
            "SELECT h.id, h.title, h.published, h.source, h.url, h.origin, "
            f"ts_headline('simple', h.text, {self._TSQ}, ?) FROM "
            f"(SELECT a.id, a.title, a.published, a.source, a.url, a.origin, a.text, "
            f"ts_rank(a.tsv, {self._TSQ}) AS r {base} ORDER BY r DESC, a.id LIMIT ? OFFSET ?) h "
            "ORDER BY h.r DESC, h.id",
            (query, opts, query, query, *params, limit, offset))
        cols = ("id", "title", "published", "source", "url", "origin", "snippet")
        return [dict(zip(cols, tuple(r), strict=True)) for r in rows], total
