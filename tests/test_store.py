"""The SQLite store: idempotent writes, search, records read back, failures kept."""

from __future__ import annotations

import sqlite3

import pytest

from chronicle.errors import StoreError
from chronicle.record import Article, Entity, Mention, Record
from chronicle.store import SQLiteStore, open_store


def rec(aid: str, text: str, url: str | None = None, title: str = "T") -> Record:
    return Record(
        article=Article(id=aid, text=text, url=url, title=title, published="2022-05-03", source="Wire"),
        entities=[Entity("e1", "Ukraine", "GPE", "UKR", "GOV", [Mention("Ukraine", 0, 7)])],
    )


def test_store_write_and_read_back(store: SQLiteStore) -> None:
    r = rec("a1", "Ukraine said the grain corridor would reopen.")
    assert store.write([r]).stored == 1
    assert store.get_record("a1") == r
    assert store.count("entities") == 1 and store.count("mentions") == 1


def test_store_same_article_twice_is_stored_once(store: SQLiteStore) -> None:
    store.write([rec("a1", "Ukraine said the grain corridor would reopen.")])
    # same id; same text under another id; same URL with other text
    res = store.write([rec("a1", "other"), rec("zz", "Ukraine  said the grain corridor\nwould reopen.")])
    assert (res.stored, res.skipped) == (0, 2)
    store.write([rec("b1", "First text.", url="https://x.example/1")])
    assert store.write([rec("b2", "Second text.", url="https://x.example/1")]).skipped == 1
    assert store.count() == 2


def test_store_search_ranks_and_survives_odd_queries(store: SQLiteStore) -> None:
    store.write([rec("a1", "Moscow-backed separatists shelled the town.", title="Shelling"),
                 rec("a2", "The grain deal was signed in Istanbul.", title="Grain")])
    assert [h.id for h in store.search("grain Istanbul")] == ["a2"]
    assert [h.id for h in store.search("Moscow-backed")] == ["a1"]
    assert store.search('"unbalanced') == []
    assert "[" in store.search("separatists")[0].snippet


def test_store_id_prefix(store: SQLiteStore) -> None:
    store.write([rec("abcdef123", "Text one."), rec("abcxyz456", "Text two.")])
    assert store.get_record("abcdef").article.id == "abcdef123"
    with pytest.raises(StoreError, match="ambiguous"):
        store.get_record("abc")
    assert store.get_record("nothing") is None


def test_store_failures_are_kept(store: SQLiteStore) -> None:
    store.record_failure("bad.html", "ingest", "not text (binary data)")
    (f,) = store.failures()
    assert f["origin"] == "bad.html" and f["reason"] == "not text (binary data)"


def test_store_failed_batch_keeps_what_was_committed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "s.db")
    with open_store(path) as s:
        s.write([rec("a1", "Committed before.")])
        broken = rec("a2", "In the failing batch.")
        broken.entities[0].country = object()  # type: ignore[assignment]  # cannot be stored
        with pytest.raises((StoreError, sqlite3.Error, TypeError)):
            s.write([rec("a3", "Also in the failing batch."), broken])
    with open_store(path) as s:
        assert s.count() == 1 and s.get_record("a1") is not None


def test_store_not_a_database_is_one_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "junk.db"
    p.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a chronicle database"):
        open_store(str(p))
