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
)

SCHEMA_VERSION = max([1, *(s.version for s in STEPS)])


def pending(version: int) -> list[Step]:
    """The steps a database at ``version`` still needs, in order."""
    return [s for s in STEPS if s.version > version]
