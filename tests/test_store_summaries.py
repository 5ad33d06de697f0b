"""Schema 3: the counts the store keeps for the views without filters (the articles of each entity
name; the events explorer's events per day and type, who acts on whom, events per place) say what
the facts say: after writes (copies skipped), after the migration of an older database, and when an
older database is opened read-only (then the facts are counted). Both backends."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from chronicle.record import Article, DateValue, Entity, Event, Mention, Party, Place, Record, SentenceSpan, Span
from chronicle.store import Store, open_store
from chronicle.store.base import SUMMARIES, Filters
from chronicle.store.migrations import STEPS
from test_export import make_record
from web_records import records as web_records


def _odd_records() -> list[Record]:
    """Articles with the gaps the counts must handle: no publication date and an undated event, an
    actor whose entity id is unknown, a party without a country, a place without a point, a place
    without a name or country, one name given to two entities of one article."""
    text = ("Officials in Tarvos said rebels attacked a convoy near the old mill. Mayor Ida Kell and Ida Kell's "
            "office asked for help, and the council met the rebels.")

    def at(words: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = text.index(words, start + 1)
        return start, start + len(words)

    kell = Entity("e1", "Ida Kell", "PERSON", "TAR", "GOV", [Mention("Mayor Ida Kell", *at("Mayor Ida Kell"))])
    kell_office = Entity("e2", "Ida Kell", "ORG", "TAR", "GOV",
                         [Mention("Ida Kell's office", *at("Ida Kell's office"))])
    council = Entity("e3", "Tarvos council", "ORG", None, "GOV", [Mention("the council", *at("the council"))])
    sentence = SentenceSpan(0, at("mill.")[1])
    undated = Record(
        Article("odd-1", title="Convoy attacked near Tarvos", source="Night Desk", text=text),
        entities=[kell, kell_office, council],
        events=[
            Event("v1", "ASSAULT", Span("attacked", *at("attacked")), sentence, status="claimed",
                  actor=Party("rebels", *at("rebels"), entity="e9"), recipient=Party("a convoy", *at("a convoy")),
                  place="p1"),
            Event("v2", "REQUEST", Span("asked", *at("asked")), SentenceSpan(at("Mayor")[0], len(text)),
                  actor=Party("Mayor Ida Kell", *at("Mayor Ida Kell"), entity="e1", country="TAR", role="GOV"),
                  recipient=None, place="p2"),
            Event("v3", "CONSULT", Span("met", *at("met")), SentenceSpan(at("Mayor")[0], len(text)),
                  actor=Party("the council", *at("the council"), entity="e3", role="GOV"),
                  recipient=Party("the rebels", *at("the rebels"), country="TAR"), place="p3"),
        ],
        places=[Place("p1", "the old mill", *at("the old mill")),
                Place("p2", "Tarvos", *at("Tarvos"), name="Tarvos", country="TV", lat=44.1, lon=21.9),
                Place("p3", "Tarvos", *at("Tarvos"), lat=44.1, lon=21.9)],
    )
    dated = Record(
        Article("odd-2", title="Tarvos council meets again", published="2022-06-01", source="Night Desk",
                text=text + " They met again in June."),
        entities=[kell, council],
        events=[Event("v1", "CONSULT", Span("met", *at("met")), SentenceSpan(at("Mayor")[0], len(text)),
                      actor=Party("the council", *at("the council"), entity="e3", role="GOV"),
                      recipient=Party("Mayor Ida Kell", *at("Mayor Ida Kell"), entity="e1", country="TAR"),
                      date=DateValue("2022", "year"), place="p1")],
        places=[Place("p1", "Tarvos", *at("Tarvos"), name="Tarvos", country="TV", lat=44.1, lon=21.9)],
    )
    return [undated, dated]


def all_records() -> list[Record]:
    return [*web_records(), *(make_record(i, events=3) for i in range(9)), *_odd_records()]


VIEWS: list[Callable[[Store], Any]] = [
    lambda s: s.event_timeline(),
    lambda s: s.event_network(), lambda s: s.event_network(by="country"), lambda s: s.event_network(limit=2),
    lambda s: s.event_places(), lambda s: s.event_places(limit=2),
    lambda s: s.list_entities(), lambda s: s.list_entities(limit=2, offset=1), lambda s: s.list_entities(cap=3),
    lambda s: s.list_entities(query="kell"), lambda s: s.list_entities(query="an ber"),
    lambda s: s.list_entities(Filters(stance="deny"), query="a"),  # a filter that entities do not take
]


def live(s: Store, view: Callable[[Store], Any]) -> Any:
    """The view counted from the facts, as for a database without the summary tables."""
    s._summarised = False
    try:
        return view(s)
    finally:
        s._summarised = None


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return str(tmp_path / "s.db") if request.param == "sqlite" else request.getfixturevalue("pg_dsn")


def fill(target: str) -> None:
    recs = all_records()
    with open_store(target) as s:
        s.write(recs[:4])
        s.write(recs[2:9])  # two of them again: skipped, and not counted twice
        s.write(recs[9:])


def summaries(s: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {t: [tuple(r) for r in s._query(f"SELECT {', '.join(cols)}, n FROM {t} ORDER BY {', '.join(cols)}")]
            for t, cols in SUMMARIES.items()}


def test_summaries_count_what_the_facts_say(target: str) -> None:
    fill(target)
    with open_store(target) as s:
        assert s._summaries(None) is True
        for i, view in enumerate(VIEWS):
            assert view(s) == live(s, view), f"view {i}"
        kept = summaries(s)
        assert ("Ida Kell", 2) in kept["entity_names"]  # two entities of one article count that article once
        assert ("", "ASSAULT", 1) in kept["event_days"]  # no date and no publication date
        assert ("entity", "rebels", "a convoy", 1) in kept["event_edges"]  # the actor's entity is unknown
        assert not any(e[1] == "the council" and e[0] == "country" for e in kept["event_edges"])
        assert ("", "", 44.1, 21.9, 1) in kept["event_places"]  # a point without a name or country
        network = s.event_network()
        assert {"source": "Grand Alliance", "target": "Ruritania", "n": 1} in network["edges"]
        assert s.event_places()[0] == {"name": "Kharkiv", "country": "UA", "lat": 49.99, "lon": 36.23, "n": 27}
        assert {"name": None, "country": None, "lat": 44.1, "lon": 21.9, "n": 1} in s.event_places()
        assert s.event_timeline()[0] == {"day": None, "type": "ASSAULT", "n": 1}


def _make_schema_2(target: str) -> None:
    """Turn a database back into what chronicle made before schema 3: no summary tables, no step-3
    indexes, schema_version 2."""
    step3 = next(s for s in STEPS if s.version == 3).sqlite
    indexes = re.findall(r"CREATE INDEX IF NOT EXISTS (\w+)", step3)
    drops = [f"DROP TABLE {t}" for t in SUMMARIES] + [f"DROP INDEX {i}" for i in indexes]
    drops.append("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target, autocommit=True) as conn:
            for sql in drops:
                conn.execute(sql)
    else:
        import sqlite3

        conn = sqlite3.connect(target)
        for sql in drops:
            conn.execute(sql)
        conn.commit()
        conn.close()


def test_migration_to_schema_3_counts_the_stored_facts(target: str) -> None:
    fill(target)
    with open_store(target) as s:
        kept = summaries(s)
        answers = [view(s) for view in VIEWS]
    _make_schema_2(target)
    with open_store(target) as s:  # migrates: the step counts what the writes had counted
        assert s._query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0] == "3"
        assert summaries(s) == kept
        assert [view(s) for view in VIEWS] == answers
        s.write([make_record(100, events=2)])  # and writes go on counting
        assert s.event_places()[0]["n"] == 29
        assert [live(s, view) for view in VIEWS] == [view(s) for view in VIEWS]


def test_an_older_database_read_only_is_counted_from_the_facts(tmp_path: Path) -> None:
    db = str(tmp_path / "old.db")
    fill(db)
    with open_store(db) as s:
        answers = [view(s) for view in VIEWS]
    _make_schema_2(db)
    with open_store(db, readonly=True) as s:  # a server does not migrate: no summary tables to read
        assert s._summaries(None) is False
        assert [view(s) for view in VIEWS] == answers


def test_schema_files_create_what_step_3_adds() -> None:
    """A new database gets from the schema files what an older one gets from step 3."""
    step3 = next(s for s in STEPS if s.version == 3)
    for name, sql in (("schema.sql", step3.sqlite), ("schema_postgres.sql", step3.postgres)):
        schema = (resources.files("chronicle.store") / name).read_text(encoding="utf-8")
        for index in re.findall(r"CREATE INDEX IF NOT EXISTS \w+ ON [^;]+;", sql):
            assert index in schema, (name, index)
        for table in re.findall(r"INSERT INTO (\w+)", sql):
            assert f"CREATE TABLE IF NOT EXISTS {table} (" in schema, (name, table)
    assert set(re.findall(r"INSERT INTO (\w+)", step3.sqlite)) == set(SUMMARIES)


@pytest.fixture()
def filled(tmp_path: Path) -> Iterator[Store]:
    db = str(tmp_path / "f.db")
    fill(db)
    with open_store(db) as s:
        yield s


def test_fact_search_sees_articles_stored_after_it(filled: Store) -> None:
    """The best-matching articles a statement or event search looks in are kept between calls, and
    renewed when articles are added."""
    before = filled.list_statements(query="Kharkiv").total
    assert before == 9
    filled.write([make_record(200 + i) for i in range(3)])
    assert filled.list_statements(query="Kharkiv").total == before + 3
    assert filled.list_events(query="shelled").total == 27 + 3 * 2
