"""Exports: facts read back from the store and written out in other formats, streamed.

Each format is one function ``(store, out, **filters) -> rows written`` registered in
``FORMATS`` under (format, what). Functions read the store in batches and write as they go,
so an export never holds the database in memory.

Formats:
- ``gdelt`` / ``events``: one tab-separated row per event, GDELT-style (see GDELT_COLUMNS).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any, TextIO

from chronicle.errors import ConfigError
from chronicle.lexicon.plover import plover
from chronicle.store.base import EventRow, Store

__all__ = ["FORMATS", "GDELT_COLUMNS", "export", "gdelt_events", "gdelt_row"]

Exporter = Callable[..., int]

# One row per event. Dates are ISO 8601 as precise as the text gave them (2022-05-03, 2022-05,
# 2022), empty when the article gives no time for the event; codes are ISO alpha-3 (or an
# international organisation's short code) and CAMEO-style sectors.
GDELT_COLUMNS = (
    "event_id",  # article id : event id
    "date", "date_precision",
    "actor_code", "actor_sector", "actor_name",
    "recipient_code", "recipient_sector", "recipient_name",
    "type", "mode", "quad_class", "score", "status", "statement",
    "place_name", "place_country", "lat", "lon", "geonameid",
    "article_id", "published", "source", "url",
    "sentence_start", "sentence_end", "trigger",
)


def gdelt_row(row: EventRow) -> list[Any]:
    """The GDELT-style row of one stored event."""
    v, p = row.event, row.place
    types = plover().types.get(v.type, {})
    return [
        f"{row.article_id}:{v.id}",
        v.date.value if v.date and v.date.value else "", (v.date.precision or "") if v.date else "",
        (v.actor.country or "") if v.actor else "", (v.actor.role or "") if v.actor else "",
        v.actor.text if v.actor else "",
        (v.recipient.country or "") if v.recipient else "", (v.recipient.role or "") if v.recipient else "",
        v.recipient.text if v.recipient else "",
        v.type, v.mode or "", types.get("quad", ""), types.get("score", ""), v.status, v.statement or "",
        (p.name or p.text) if p else "", (p.country or "") if p else "",
        "" if p is None or p.lat is None else p.lat, "" if p is None or p.lon is None else p.lon,
        "" if p is None or p.geonameid is None else p.geonameid,
        row.article_id, row.published or "", row.source or "", row.url or "",
        v.sentence.start, v.sentence.end, _one_line(v.trigger.text),
    ]


def gdelt_events(store: Store, out: TextIO, **filters: Any) -> int:
    """Write every stored event that passes ``filters`` (as ``Store.iter_events`` takes them)
    as GDELT-style tab-separated rows with a header line; returns the number of rows."""
    w = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(GDELT_COLUMNS)
    n = 0
    for row in store.iter_events(**filters):
        w.writerow(gdelt_row(row))
        n += 1
    return n


# (format, what) -> exporter
FORMATS: dict[tuple[str, str], Exporter] = {
    ("gdelt", "events"): gdelt_events,
}


def export(store: Store, fmt: str, what: str, out: TextIO, **filters: Any) -> int:
    """Write ``what`` (events, ...) from ``store`` to ``out`` in format ``fmt``; rows written."""
    fn = FORMATS.get((fmt, what))
    if fn is None:
        valid = ", ".join(f"--format {f} --what {w}" for f, w in sorted(FORMATS))
        raise ConfigError(f"no export of {what} as {fmt}; available: {valid}")
    return fn(store, out, **filters)


def _one_line(text: str) -> str:
    return " ".join(text.split())
