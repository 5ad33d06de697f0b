"""SQLite backend: one file, WAL mode, FTS5 over titles and texts."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

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

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]

LOGGER = logging.getLogger(__name__)
# seconds a writer waits for another process's write to end before giving up with one line
BUSY_TIMEOUT = float(os.environ.get("CHRONICLE_BUSY_TIMEOUT") or 30)
_WORD = re.compile(r"\w+", re.UNICODE)
_INSERT = {
    "entities": "INSERT INTO entities VALUES (?,?,?,?,?,?,?)",
    "mentions": "INSERT INTO mentions VALUES (?,?,?,?,?,?)",
    "statements": "INSERT INTO statements VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "events": "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "quantities": "INSERT INTO quantities VALUES (?,?,?,?,?,?,?,?,?)",
    "times": "INSERT INTO times VALUES (?,?,?,?,?,?,?,?)",
    "places": "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
}


def _explain(target: str, e: sqlite3.Error) -> StoreError:
    msg = str(e)
    if "locked" in msg or "busy" in msg:
        return StoreError(f"{target}: database is locked by another process (try again when it ends)")
    if ("disk" in msg and "full" in msg) or (isinstance(e, sqlite3.OperationalError) and "full" in msg):
        return StoreError(f"{target}: disk full; nothing after the last stored batch was written")
    if "not a database" in msg or "malformed" in msg:
        return StoreError(f"{target}: not a chronicle database (file is not SQLite or is damaged)")
    if "readonly" in msg or "read-only" in msg:
        return StoreError(f"{target}: database is read-only")
    return StoreError(f"{target}: {msg}")


class SQLiteStore(Store):
    def __init__(self, path: str, *, readonly: bool = False) -> None:
        self.target = path
        try:
            if readonly:
                self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10,
                                            check_same_thread=False)
            else:
                self.conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            if not readonly:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self.conn.execute("PRAGMA foreign_keys=ON")
                self._migrate()
            else:
                self.conn.execute("SELECT count(*) FROM articles")
        except sqlite3.Error as e:
            raise _explain(path, e) from None

    # --- schema -------------------------------------------------------------------------------
    def _migrate(self) -> None:
        """The schema file (creates what is missing), then the numbered steps this database lacks
        (``migrations.py``), each in one transaction with its version number."""
        has_meta = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        version = 0
        if has_meta:
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.target}: made by a newer chronicle (schema {version}); upgrade chronicle")
        sql = (resources.files("chronicle.store") / "schema.sql").read_text(encoding="utf-8")
        self.conn.executescript("BEGIN;" + sql + "COMMIT;")
        for step in migrations.pending(max(version, 1)):
            LOGGER.info("%s: migrating to schema %d: %s", self.target, step.version, step.what)
            self.conn.executescript(
                f"BEGIN IMMEDIATE;{step.sqlite}"
                f"INSERT OR REPLACE INTO meta VALUES ('schema_version', '{step.version}');COMMIT;")
        if version < 1 and SCHEMA_VERSION == 1:
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', '1')")

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass

    # --- writing ------------------------------------------------------------------------------
    def has_article(self, article: Article) -> str | None:
        try:
            row = self.conn.execute("SELECT id FROM articles WHERE id = ?", (article.id,)).fetchone()
            if row is None and article.url:
                row = self.conn.execute("SELECT id FROM articles WHERE url = ?", (article.url,)).fetchone()
            if row is None:
                row = self.conn.execute(
                    "SELECT id FROM articles WHERE content_hash = ?", (self.hash_of(article),)).fetchone()
            if row is None:  # a copy stored before: the same id, or the same URL
                row = self.conn.execute("SELECT duplicate_of FROM duplicates WHERE id = ?", (article.id,)).fetchone()
            if row is None and article.url:
                row = self.conn.execute(
                    "SELECT duplicate_of FROM duplicates WHERE url = ?", (article.url,)).fetchone()
        except sqlite3.Error as e:
            raise _explain(self.target, e) from None
        return row[0] if row else None

    def write_duplicates(self, duplicates: Iterable[Duplicate]) -> int:
        cur = self.conn.cursor()
        added = 0
        try:
            cur.execute("BEGIN IMMEDIATE")
            for d in duplicates:
                cur.execute(
                    "INSERT OR IGNORE INTO duplicates VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (d.id, d.duplicate_of, d.url, d.origin, d.title, d.published, d.source, d.content_hash,
                     d.similarity, now()))
                added += cur.rowcount if cur.rowcount > 0 else 0
            cur.execute("COMMIT")
        except sqlite3.Error as e:
            try:
                cur.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise _explain(self.target, e) from None
        return added

    def write(self, records: Iterable[Record], fingerprints: Mapping[str, list[str]] | None = None) -> WriteResult:
        result = WriteResult()
        stored: list[Record] = []
        cur = self.conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
            for rec in records:
                a = rec.article
                if self.has_article(a):
                    result.skipped += 1
                    continue
                stored.append(rec)
                data = rec.to_dict()  # once, for the record's JSON and every fact's
                cur.execute(
                    "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (a.id, a.url, a.origin, a.title, a.published, a.source, a.language, a.author,
                     a.text, self.hash_of(a), record_json(data), now()),
                )
                rowid = cur.lastrowid
                cur.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?,?,?)",
                            (rowid, a.title or "", a.text))
                for table, rows in fact_rows(rec, data).items():
                    if rows:
                        cur.executemany(_INSERT[table], rows)
                keys = (fingerprints or {}).get(a.id)
                if keys:
                    cur.executemany("INSERT INTO article_bands VALUES (?,?)", [(k, a.id) for k in keys])
                result.stored += 1
            for table, counts in summary_counts(stored).items():
                cur.executemany(summary_upsert(table), [(*k, n) for k, n in counts.items()])
            cur.execute("COMMIT")
        except sqlite3.Error as e:
            try:
                cur.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise _explain(self.target, e) from None
        return result

    def write_rows(self, statements: Sequence[tuple[str, tuple[Any, ...]]],
                   inserts: Mapping[str, Sequence[tuple[Any, ...]]]) -> None:
        cur = self.conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
            for sql, params in statements:
                cur.execute(sql, params)
            for table, rows in inserts.items():
                if rows:
                    marks = ",".join("?" * len(rows[0]))
                    cur.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
            cur.execute("COMMIT")
        except sqlite3.Error as e:
            try:
                cur.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise _explain(self.target, e) from None

    def record_failure(self, origin: str, stage: str, reason: str, once: bool = False) -> None:
        try:
            if once:
                self.conn.execute("INSERT INTO failures (origin, stage, reason, at) SELECT ?,?,?,? WHERE NOT EXISTS "
                                  "(SELECT 1 FROM failures WHERE origin = ? AND stage = ? AND reason = ?)",
                                  (origin, stage, reason, now(), origin, stage, reason))
            else:
                self.conn.execute("INSERT INTO failures (origin, stage, reason, at) VALUES (?,?,?,?)",
                                  (origin, stage, reason, now()))
        except sqlite3.Error as e:
            raise _explain(self.target, e) from None

    def add_fingerprints(self, fingerprints: Mapping[str, list[str]]) -> None:
        """Band keys for articles already stored (those stored before near-duplicates existed)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            for aid, keys in fingerprints.items():
                self.conn.executemany("INSERT INTO article_bands VALUES (?,?)", [(k, aid) for k in keys])
            self.conn.execute("COMMIT")
        except sqlite3.Error as e:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise _explain(self.target, e) from None

    # --- reading ------------------------------------------------------------------------------
    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise _explain(self.target, e) from None

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        sql = (
            "SELECT a.id, a.title, a.published, a.source, "
            "snippet(articles_fts, 1, '[', ']', '…', 14) AS snip "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?"
        )
        try:
            rows = self.conn.execute(sql, (query, limit, offset)).fetchall()
        except sqlite3.OperationalError:
            # not valid FTS5 syntax ("Moscow-backed", a stray quote): search the words instead
            words = _WORD.findall(query)
            if not words:
                return []
            safe = " ".join('"' + w + '"' for w in words)
            rows = self._query(sql, (safe, limit, offset))
        return [SearchHit(r["id"], r["title"], r["published"], r["source"], r["snip"]) for r in rows]

    # --- full text for the web UI and the API ---------------------------------------------------
    def _fts_query(self, query: str) -> str:
        """The FTS5 query for what a person typed: as written when it is valid FTS5 syntax,
        else its words, each quoted (``Moscow-backed``, a stray quote)."""
        try:
            self.conn.execute("SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1", (query,)).fetchall()
            return query
        except sqlite3.OperationalError:
            return " ".join('"' + w + '"' for w in _WORD.findall(query)) or '""'

    def _match_ids(self, query: str, best: int | None = None) -> tuple[str, tuple[Any, ...]]:
        sql = ("SELECT fa.id FROM articles_fts JOIN articles fa ON fa.rowid = articles_fts.rowid "
               "WHERE articles_fts MATCH ?")
        if best is None:
            return sql, (self._fts_query(query),)
        return sql + " ORDER BY rank LIMIT ?", (self._fts_query(query), best)

    def _search_page(self, query: str, where: str, params: tuple[Any, ...], limit: int, offset: int,
                     marks: tuple[str, str]) -> tuple[list[dict[str, Any]], int]:
        fts = self._fts_query(query)
        base = ("FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                f"WHERE articles_fts MATCH ? AND {where}")
        total = int(self._query(f"SELECT count(*) {base}", (fts, *params))[0][0])
        rows = self._query(
            "SELECT a.id, a.title, a.published, a.source, a.url, a.origin, "
            f"snippet(articles_fts, 1, ?, ?, '…', 24) {base} ORDER BY rank LIMIT ? OFFSET ?",
            (marks[0], marks[1], fts, *params, limit, offset))
        cols = ("id", "title", "published", "source", "url", "origin", "snippet")
        return [dict(zip(cols, tuple(r), strict=True)) for r in rows], total
