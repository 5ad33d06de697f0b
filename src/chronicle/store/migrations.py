"""Schema migrations, the same numbered steps for every backend.

Version 1 is the schema file of each backend (``schema.sql``, ``schema_postgres.sql``). It only
creates what is missing and runs on every open, so a table that a newer release adds appears
in an older database by itself. A change to an existing table is a numbered step here, with
its SQL for each dialect; ``meta.schema_version`` says which steps a database has had. Steps
run in order, each in the transaction that also records its number, so an interrupted
migration is re-run whole, never half-applied. A database made by a newer chronicle (a version
above ``SCHEMA_VERSION``) is refused, not touched.

To change the schema: add the table or column to both schema files (new databases), and a
step below that brings older databases to the same shape (``tests/test_migrations.py`` checks
that both paths give the same tables and columns).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SCHEMA_VERSION", "STEPS", "Step", "pending"]


# step 3, also at the end of both schema files (the same statements in both dialects)
READ_INDEXES = """
CREATE INDEX IF NOT EXISTS entities_name_ids ON entities (name, type, country, role, article_id, id);
CREATE INDEX IF NOT EXISTS entities_role ON entities (role);
CREATE INDEX IF NOT EXISTS events_status ON events (status);
CREATE INDEX IF NOT EXISTS events_countries ON events (actor_country, recipient_country);
CREATE INDEX IF NOT EXISTS events_actor_entity ON events (article_id, actor_entity, id);
CREATE INDEX IF NOT EXISTS events_recipient_entity ON events (article_id, recipient_entity, id);
CREATE INDEX IF NOT EXISTS statements_speaker ON statements (article_id, speaker_entity, id, start, "end");
"""

# step 3: the summary tables (created empty by the schema files) counted from the facts already
# stored, as ``store.base.summary_counts`` counts what each write adds
SUMMARIES = """
DELETE FROM entity_names;
DELETE FROM event_days;
DELETE FROM event_edges;
DELETE FROM event_places;
INSERT INTO entity_names (name, n) SELECT name, count(DISTINCT article_id) FROM entities GROUP BY name;
INSERT INTO event_days (day, type, n)
SELECT coalesce(e.date, a.published, ''), e.type, count(*) FROM events e JOIN articles a ON a.id = e.article_id
GROUP BY coalesce(e.date, a.published, ''), e.type;
INSERT INTO event_edges (kind, src, dst, n)
SELECT 'entity', coalesce(xa.name, e.actor), coalesce(xr.name, e.recipient), count(*) FROM events e
LEFT JOIN entities xa ON xa.article_id = e.article_id AND xa.id = e.actor_entity
LEFT JOIN entities xr ON xr.article_id = e.article_id AND xr.id = e.recipient_entity
WHERE coalesce(xa.name, e.actor) IS NOT NULL AND coalesce(xr.name, e.recipient) IS NOT NULL
GROUP BY coalesce(xa.name, e.actor), coalesce(xr.name, e.recipient);
INSERT INTO event_edges (kind, src, dst, n)
SELECT 'country', actor_country, recipient_country, count(*) FROM events
WHERE actor_country IS NOT NULL AND recipient_country IS NOT NULL GROUP BY actor_country, recipient_country;
INSERT INTO event_places (name, country, lat, lon, n)
SELECT coalesce(p.name, ''), coalesce(p.country, ''), p.lat, p.lon, count(*) FROM events e
JOIN places p ON p.article_id = e.article_id AND p.id = e.place_id WHERE p.lat IS NOT NULL AND p.lon IS NOT NULL
GROUP BY coalesce(p.name, ''), coalesce(p.country, ''), p.lat, p.lon;
"""


@dataclass(frozen=True, slots=True)
class Step:
    version: int
    what: str
    sqlite: str
    postgres: str


STEPS: tuple[Step, ...] = (
    Step(2, "failures indexed by input, stage and reason (ingest records a failure once across reruns)",
         sqlite="CREATE INDEX IF NOT EXISTS failures_key ON failures (origin, stage, reason);",
         postgres="CREATE INDEX IF NOT EXISTS failures_key ON failures (origin, stage, reason);"),
    Step(3, "indexes for the web UI's and the API's queries (an entity's name to its rows, an event's or a "
            "statement's parties to their entities, the values the filters offer); the counts behind the views "
            "without filters (entity_names, event_days, event_edges, event_places) counted from the stored facts",
         sqlite=READ_INDEXES + SUMMARIES, postgres=READ_INDEXES + SUMMARIES),
)

SCHEMA_VERSION = max([1, *(s.version for s in STEPS)])


def pending(version: int) -> list[Step]:
    """The steps a database at ``version`` still needs, in order."""
    return [s for s in STEPS if s.version > version]
