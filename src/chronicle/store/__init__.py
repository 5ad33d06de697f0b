"""The store: where records land, and how they are read back and searched.

``open_store(target)`` opens SQLite for a path (the default, embedded) or PostgreSQL for a
``postgresql://`` URL, and is the one door to every backend. A store writes records in
batches (one transaction each), knows which articles it already holds (by id, URL or content
hash), records failures, searches the articles' text and reads records back.
"""

from __future__ import annotations

import os

from chronicle.store.base import ArticleRow, EventAt, PlaceSummary, SearchHit, StatementRow, Store
from chronicle.store.sqlite import SQLiteStore

__all__ = [
    "DEFAULT_DB", "ArticleRow", "EventAt", "PlaceSummary", "SQLiteStore", "SearchHit", "StatementRow", "Store",
    "default_db", "open_store",
]

DEFAULT_DB = "chronicle.db"


def default_db() -> str:
    """The database used when none is named: $CHRONICLE_DB, else ./chronicle.db."""
    return os.environ.get("CHRONICLE_DB") or DEFAULT_DB


def open_store(target: str | None = None, *, readonly: bool = False) -> Store:
    """A store for a path (SQLite) or a ``postgresql://`` URL (PostgreSQL, needs psycopg)."""
    target = target or default_db()
    if target.startswith(("postgresql://", "postgres://")):
        from chronicle.store.postgres import PostgresStore

        return PostgresStore(target, readonly=readonly)
    return SQLiteStore(target, readonly=readonly)
