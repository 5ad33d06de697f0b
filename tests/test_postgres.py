"""The PostgreSQL store behind the same interface as SQLite: the same schema, the same answers
to every portable query, full-text search, COPY loading, migrations (a real server: see the
``pg_server`` fixture)."""

from __future__ import annotations

import dataclasses
import io
import sqlite3
from pathlib import Path

import pytest

from chronicle.export import WHAT, export
from chronicle.record import Article, Record
from chronicle.store import SQLiteStore, open_store
from chronicle.store.base import Duplicate, Filters
from chronicle.store.migrations import SCHEMA_VERSION
from chronicle.store.postgres import PostgresStore, translate
from test_export import make_record
from web_records import records as web_records


def all_records() -> list[Record]:
    return [*web_records(), *(make_record(i) for i in range(12))]


@pytest.fixture()
def both(tmp_path: Path, pg_dsn: str):  # type: ignore[no-untyped-def]
    lite, pg = SQLiteStore(str(tmp_path / "t.db")), PostgresStore(pg_dsn)
    for s in (lite, pg):
        recs = all_records()
        s.write(recs[:5])
        s.write(recs[5:])
        s.write_duplicates([Duplicate("copy1", recs[0].article.id, 0.93, url="https://copy.example/1",
                                      origin="c.html", title="A copy", published="2022-05-04", source="Copier",
                                      content_hash="h")])
        s.record_failure("bad.html", "ingest", "not text (binary data)")
    yield lite, pg
    lite.close()
    pg.close()


def test_postgres_translate_placeholders_and_null_order() -> None:
    assert translate("SELECT a FROM t WHERE b = ? AND c LIKE '%?%' ORDER BY a DESC, b LIMIT ?") == (
        "SELECT a FROM t WHERE b = %s AND c LIKE '%%?%%' ORDER BY a DESC NULLS LAST, b NULLS FIRST LIMIT %s")
    assert translate("SELECT (SELECT x FROM y ORDER BY z) FROM t ORDER BY coalesce(a, b) ASC", False) == (
        "SELECT (SELECT x FROM y ORDER BY z NULLS FIRST) FROM t ORDER BY coalesce(a, b) ASC NULLS FIRST")


def test_postgres_same_schema_as_sqlite(both) -> None:  # type: ignore[no-untyped-def]
    lite, pg = both
    tables = [r[0] for r in lite._query("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'articles_fts%' AND name NOT LIKE 'sqlite_%'")]
    for t in tables:
        lcols = [r[1] for r in lite._query(f"PRAGMA table_info({t})")]
        pcols = [r[0] for r in pg._query("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                         "AND column_name <> 'tsv' ORDER BY ordinal_position", (t,))]
        assert lcols == pcols, t
    lidx = {r[0] for r in lite._query("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    pidx = {r[0] for r in pg._query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' "
                                    "AND indexname NOT LIKE '%_pkey'")}
    assert pidx - {"articles_tsv"} == lidx
    assert pg._query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == str(SCHEMA_VERSION)
    assert lite._query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == str(SCHEMA_VERSION)


def _ev(rows):  # type: ignore[no-untyped-def]
    return [dataclasses.replace(r, ingested_at=None) for r in rows]  # the time of writing differs


def test_postgres_answers_every_query_as_sqlite_does(both) -> None:  # type: ignore[no-untyped-def]
    lite, pg = both
    aid = all_records()[0].article.id
    name = all_records()[0].entities[0].name
    queries = [
        lambda s: s.stats(), lambda s: s.facets(), lambda s: [dict(r, at=None) for r in s.failures()],
        lambda s: s.articles(), lambda s: s.resolve_id(aid[:6]), lambda s: s.resolve_id("copy1"),
        lambda s: s.get_record(aid).to_dict(), lambda s: [r.to_dict() for r in s.iter_records()],
        lambda s: s.duplicates_of(aid), lambda s: s.is_stored(Article(id="copy1", text="")),
        lambda s: s.has_article(all_records()[3].article), lambda s: s.knows_url("https://copy.example/1"),
        lambda s: s.places(), lambda s: s.places(country="UA", near=(50.0, 36.0, 100)),
        lambda s: s.events_at(country="UA"), lambda s: s.statements(), lambda s: s.statements(speaker="off"),
        lambda s: _ev(s.events()), lambda s: _ev(s.events(type="ASSAULT", since="2022-05-01", until="2022-05-20")),
        lambda s: _ev(s.iter_events(batch=3)),
        lambda s: s.list_articles(Filters(source="Wire")), lambda s: s.list_statements(),
        lambda s: s.list_events(Filters(country="RUS")), lambda s: s.list_events(Filters(entity=name), cap=5),
        lambda s: s.event_timeline(), lambda s: s.event_network(), lambda s: s.event_network(by="country"),
        lambda s: s.event_places(), lambda s: s.list_entities(), lambda s: s.list_entities(query="rus"),
        lambda s: s.entity_profile(name), lambda s: s.entity_mentions(name), lambda s: s.entity_statements(name),
        lambda s: s.entity_statements(name, rel="about"), lambda s: s.entity_events(name),
    ]
    for i, q in enumerate(queries):
        assert q(pg) == q(lite), f"query {i}"


def test_postgres_full_text_search(both) -> None:  # type: ignore[no-untyped-def]
    lite, pg = both
    hits = pg.search("Kharkiv shelled")
    assert {h.id for h in hits} == {h.id for h in lite.search("Kharkiv shelled")}
    assert hits and "[" in hits[0].snippet
    assert pg.search('"Moscow-backed' ) is not None  # any input is a valid query: never a syntax error
    page = pg.search_articles("Kharkiv", Filters(source="Wire"), limit=3)
    assert page.total == lite.search_articles("Kharkiv", Filters(source="Wire")).total and len(page.items) == 3
    st = pg.list_statements(query="shelled")
    assert st.total == lite.list_statements(query="shelled").total > 0
    assert pg._query("SELECT indexdef FROM pg_indexes WHERE indexname = 'articles_tsv'")[0][0].count("gin") == 1


def test_postgres_write_skips_stored_and_copies(pg_dsn: str) -> None:
    with open_store(pg_dsn) as pg:
        recs = all_records()
        assert pg.write(recs[:3]).stored == 3
        again = pg.write([recs[0], recs[3], recs[3]])  # stored, new, and the same twice in one batch
        assert (again.stored, again.skipped) == (1, 2)
        pg.record_failure("x", "ingest", "bad", once=True)
        pg.record_failure("x", "ingest", "bad", once=True)
        assert pg.count("failures") == 1  # a rerun records the same failure once
        pg.record_failure("x", "watch", "down")
        pg.record_failure("x", "watch", "down")
        assert pg.count("failures") == 3  # a feed down at every round is recorded at every round


def test_postgres_export_equals_sqlite_export(both, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pq = pytest.importorskip("pyarrow.parquet")
    lite, pg = both
    for what in WHAT:
        a, b = tmp_path / f"l-{what}.parquet", tmp_path / f"p-{what}.parquet"
        export(lite, "parquet", what, str(a))
        export(pg, "parquet", what, str(b))
        ta, tb = pq.read_table(a).to_pylist(), pq.read_table(b).to_pylist()
        if what == "articles":
            for r in ta + tb:
                r.pop("ingested_at")
        assert ta == tb, what
    out_l, out_p = io.StringIO(), io.StringIO()
    export(lite, "plover", None, out_l)
    export(pg, "plover", None, out_p)
    assert len(out_p.getvalue().splitlines()) == len(out_l.getvalue().splitlines()) > 0


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_migration_from_schema_1(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """A database made before step 2 is brought to the current schema, its rows kept."""
    from importlib import resources

    if backend == "sqlite":
        target = str(tmp_path / "old.db")
        conn = sqlite3.connect(target)
        conn.executescript((resources.files("chronicle.store") / "schema.sql").read_text(encoding="utf-8"))
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
        conn.executemany("INSERT INTO failures (origin, stage, reason, at) VALUES (?,?,?,?)",
                         [("a", "ingest", "bad", "t1"), ("a", "ingest", "bad", "t2"), ("b", "ingest", "bad", "t1")])
        conn.commit()
        conn.close()
    else:
        import psycopg

        target = request.getfixturevalue("pg_dsn")
        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute((resources.files("chronicle.store") / "schema_postgres.sql").read_text(encoding="utf-8"))
            conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
            for row in [("a", "ingest", "bad", "t1"), ("a", "ingest", "bad", "t2"), ("b", "ingest", "bad", "t1")]:
                conn.execute("INSERT INTO failures (origin, stage, reason, at) VALUES (%s,%s,%s,%s)", row)
    with open_store(target) as s:
        assert s._query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == str(SCHEMA_VERSION)
        assert [(r["origin"], r["at"]) for r in s.failures()] == [("b", "t1"), ("a", "t2"), ("a", "t1")]
        assert s._query("SELECT count(*) FROM failures WHERE origin = ? AND stage = ? AND reason = ?",
                        ("a", "ingest", "bad"))[0][0] == 2
        s.record_failure("b", "ingest", "bad", once=True)
        assert s.count("failures") == 3
    with open_store(target) as s:  # opening again changes nothing
        assert s.count("failures") == 3
        index = ("SELECT 1 FROM sqlite_master WHERE name = 'failures_key'" if backend == "sqlite"
                 else "SELECT 1 FROM pg_indexes WHERE indexname = 'failures_key'")
        assert s._query(index)


def test_postgres_unreachable_is_one_line() -> None:
    from chronicle.errors import StoreError

    with pytest.raises(StoreError, match=r"cannot connect to PostgreSQL|127\.0\.0\.1"):
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")
    try:
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")
    except StoreError as e:
        assert "secret" not in str(e) and "\n" not in str(e)


def test_postgres_answers_the_link_reads_as_sqlite_does(tmp_path: Path, pg_dsn: str) -> None:
    """What the web UI and the API read of the link step, the same from both backends."""
    from chronicle.link import link, query
    from web_records import link_copies, link_records

    answers = []
    for s in (SQLiteStore(str(tmp_path / "l.db")), PostgresStore(pg_dsn)):
        with s:
            s.write(web_records() + link_records())
            s.write_duplicates(link_copies())
            link(s)
            berg = query.canonical_id(s, "anna berg")
            lumen = next(e["id"] for e in query.story_events(s, type="ASSAULT") if e["place"] == "Lumen")
            d = query.disputes(s, limit=1)[0]["id"]
            answers.append([
                berg, query.canonical_types(s), query.canonical_names(s, [berg or ""]),
                query.canonicals_of_name(s, "Anna Berg"), query.count_canonical_entities(s, country="RUR"),
                query.canonical_articles(s, berg or "", 2, 1), query.count_canonical_articles(s, berg or ""),
                query.timeline_page(s, berg or "", 3, 2), query.count_timeline(s, berg or ""),
                query.story_events(s, country="BOR", source="Harbour Times"),
                query.count_story_events(s, status="disputed"),
                query.story_event(s, lumen), query.disputes(s, entity=berg, across=True),
                query.count_disputes(s, story_event=lumen), query.disputes(s, story_event=lumen), query.dispute(s, d),
                query.article_links(s, "art-4"), query.link_counts(s)])
    assert answers[0] == answers[1]
