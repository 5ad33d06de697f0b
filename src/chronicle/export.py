"""Exports: the stored record written out in the formats other tools read, streamed.

Two registries make an export:

- ``WHAT``: what to export (``articles``, ``entities``, ``statements``, ``events``, ``times``,
  ``places``, ``quantities``; ``link`` will add its own) -> a ``Table``: its columns (name and
  type) and a function ``rows(store, filters)`` that iterates the store in pages (keyset
  pagination), so nothing is ever held whole in memory;
- ``FORMATS``: how to write it: ``jsonl`` (articles: the whole record, one a line; other tables:
  one JSON object per row), ``csv``, ``parquet`` (pyarrow, written in row groups), and two
  formats of events only: ``gdelt`` (a GDELT 2.0-style event table, tab-separated) and ``plover``
  (PLOVER JSON events, one a line).

Every writer takes an iterator and writes as it goes: exporting a million events keeps the
memory of one page of rows (one row group for Parquet).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import IO, Any

from chronicle import __version__
from chronicle.errors import ConfigError
from chronicle.lexicon.plover import plover
from chronicle.store.base import EventRow, Store

__all__ = [
    "FORMATS", "GDELT_COLUMNS", "WHAT", "Column", "ExportFilters", "Table", "export", "gdelt_row", "plover_event",
    "register",
]

PAGE = 1000  # rows read from the store per query
ROW_GROUP = 20_000  # rows per Parquet row group


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str = "string"  # string, int64, float64


@dataclass(slots=True)
class ExportFilters:
    """What an export keeps. ``since``/``until``/``source`` apply to every table (by the article's
    publication date and outlet; for events, by the event's own date as ``chronicle events``
    does); ``type``, ``actor``, ``recipient`` and ``status`` apply to events only."""

    since: str | None = None
    until: str | None = None
    source: str | None = None
    type: str | None = None
    actor: str | None = None
    recipient: str | None = None
    status: str | None = None

    def event_only(self) -> list[str]:
        return [f"--{k}" for k in ("type", "actor", "recipient", "status") if getattr(self, k)]


RowIter = Callable[[Store, ExportFilters], Iterator[tuple[Any, ...]]]


@dataclass(frozen=True, slots=True)
class Table:
    """One kind of thing an export can write: its columns and how to read its rows."""

    name: str
    columns: tuple[Column, ...]
    rows: RowIter
    doc: str = ""
    events: bool = False  # takes the event filters
    records: Callable[[Store, ExportFilters], Iterator[str]] | None = None  # jsonl: whole JSON lines instead


WHAT: dict[str, Table] = {}


def register(table: Table) -> Table:
    """Add (or replace) a kind of export: ``chronicle export --what NAME`` then writes it in
    every tabular format (jsonl, csv, parquet)."""
    WHAT[table.name] = table
    return table


# --- stored tables, paged -------------------------------------------------------------------------

def _q(col: str) -> str:
    return f'"{col}"' if col in ("end", "start", "text", "value", "type", "date") else col


def _article_conds(f: ExportFilters, alias: str) -> tuple[list[str], list[Any]]:
    """Conditions on the articles a table's rows come from (``alias.article_id``)."""
    conds, params = [], []
    for cond, val in (("published >= ?", f.since), ("published <= ?", f.until), ("source = ?", f.source)):
        if val:
            conds.append(cond)
            params.append(val)
    if not conds:
        return [], []
    return [f"{alias}.article_id IN (SELECT id FROM articles WHERE {' AND '.join(conds)})"], params


def _paged(store: Store, table: str, columns: tuple[Column, ...], conds: list[str], params: list[Any],
           key: tuple[str, ...] = ("article_id", "id"), join: str = "") -> Iterator[tuple[Any, ...]]:
    """Every row of ``table`` (alias t) that meets ``conds``, in key order, PAGE rows a query."""
    cols = ", ".join(f"t.{_q(c.name)}" for c in columns)
    order = ", ".join(f"t.{k}" for k in key)
    last: tuple[Any, ...] | None = None
    idx = [i for k in key for i, c in enumerate(columns) if c.name == k]
    while True:
        where, ps = list(conds), list(params)
        if last is not None:
            if len(key) == 1:
                where.append(f"t.{key[0]} > ?")
                ps.append(last[0])
            else:
                where.append(f"(t.{key[0]}, t.{key[1]}) > (?, ?)")  # a row value: the index seeks to it
                ps += [last[0], last[1]]
        sql = (f"SELECT {cols} FROM {table} t {join}" + (" WHERE " + " AND ".join(where) if where else "")
               + f" ORDER BY {order} LIMIT ?")
        rows = store._query(sql, (*ps, PAGE))
        if not rows:
            return
        for r in rows:
            yield tuple(r)
        if len(rows) < PAGE:
            return
        last = tuple(rows[-1][i] for i in idx)


def _s(*names: str) -> tuple[Column, ...]:
    return tuple(Column(n) for n in names)


def _i(*names: str) -> tuple[Column, ...]:
    return tuple(Column(n, "int64") for n in names)


def _f(*names: str) -> tuple[Column, ...]:
    return tuple(Column(n, "float64") for n in names)


def _fact_table(name: str, columns: tuple[Column, ...], doc: str) -> Table:
    def rows(store: Store, f: ExportFilters) -> Iterator[tuple[Any, ...]]:
        conds, params = _article_conds(f, "t")
        return _paged(store, name, columns, conds, params)

    return Table(name, columns, rows, doc)


def _article_rows(store: Store, f: ExportFilters) -> Iterator[tuple[Any, ...]]:
    conds, params = [], []
    for cond, val in (("t.published >= ?", f.since), ("t.published <= ?", f.until), ("t.source = ?", f.source)):
        if val:
            conds.append(cond)
            params.append(val)
    return _paged(store, "articles", ARTICLE_COLUMNS, conds, params, key=("id",))


def _article_records(store: Store, f: ExportFilters) -> Iterator[str]:
    """The stored records themselves (the JSON kept with each article), one a line."""
    conds, params = [], []
    for cond, val in (("t.published >= ?", f.since), ("t.published <= ?", f.until), ("t.source = ?", f.source)):
        if val:
            conds.append(cond)
            params.append(val)
    for _, record in _paged(store, "articles", (Column("id"), Column("record")), conds, params, key=("id",)):
        yield record


def _event_rows(store: Store, f: ExportFilters) -> Iterator[tuple[Any, ...]]:
    where, params = store._event_where(f.type, f.actor, f.recipient, f.since, f.until, f.status, None)
    if f.source:
        where.append("a.source = ?")
        params.append(f.source)
    conds = [re.sub(r"\be\.", "t.", w) for w in where]
    return _paged(store, "events", EVENT_COLUMNS, conds, params, join="JOIN articles a ON a.id = t.article_id")


ARTICLE_COLUMNS = _s("id", "url", "origin", "title", "published", "source", "language", "author", "text",
                     "content_hash", "ingested_at")
EVENT_COLUMNS = (_s("article_id", "id", "type", "mode", "status", "actor", "actor_entity", "actor_country",
                    "recipient", "recipient_entity", "recipient_country", "date", "place_id")
                 + _i("start", "end") + _s("data"))

register(Table("articles", ARTICLE_COLUMNS, _article_rows, "the articles (jsonl: the whole record of each)",
               records=_article_records))
register(_fact_table("entities", _s("article_id", "id", "name", "type", "country", "role", "data"),
                     "one row per entity of an article"))
register(_fact_table("statements", _s("article_id", "id", "speaker", "speaker_entity", "cue", "content", "kind",
                                      "stance") + _i("start", "end") + _s("data"),
                     "who said what: one row per statement"))
register(Table("events", EVENT_COLUMNS, _event_rows, "who did what to whom: one row per event", events=True))
register(_fact_table("quantities", _s("article_id", "id", "text") + _f("value") + _s("unit", "kind")
                     + _i("start", "end") + _s("data"), "amounts, counts, percentages, measures"))
register(_fact_table("times", _s("article_id", "id", "text", "value", "precision") + _i("start", "end") + _s("data"),
                     "time expressions with their ISO values"))
register(_fact_table("places", _s("article_id", "id", "text", "name", "country") + _f("lat", "lon")
                     + _i("start", "end") + _s("data"), "places with their coordinates"))


# --- tabular formats ------------------------------------------------------------------------------

def _check_filters(table: Table, f: ExportFilters) -> None:
    if not table.events and f.event_only():
        raise ConfigError(f"{', '.join(f.event_only())} filter(s) events; --what {table.name} takes only "
                          "--since, --until and --source")


def write_jsonl(store: Store, table: Table, f: ExportFilters, out: IO[str]) -> int:
    n = 0
    if table.records is not None:
        for line in table.records(store, f):
            out.write(line)
            out.write("\n")
            n += 1
        return n
    names = [c.name for c in table.columns]
    for row in table.rows(store, f):
        obj = dict(zip(names, row, strict=True))
        if isinstance(obj.get("data"), str):
            obj["data"] = json.loads(obj["data"])
        out.write(json.dumps(obj, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


def write_csv(store: Store, table: Table, f: ExportFilters, out: IO[str]) -> int:
    w = csv.writer(out, lineterminator="\n")
    w.writerow([c.name for c in table.columns])
    n = 0
    for row in table.rows(store, f):
        w.writerow(row)
        n += 1
    return n


def write_parquet(store: Store, table: Table, f: ExportFilters, out: Any, row_group: int = ROW_GROUP) -> int:
    """Parquet, one row group per ``row_group`` rows: memory holds one row group at most."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ConfigError("--format parquet needs pyarrow: pip install 'chronicle[parquet]'") from None
    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64()}
    schema = pa.schema([pa.field(c.name, types[c.type]) for c in table.columns])
    n = 0
    cols: list[list[Any]] = [[] for _ in table.columns]
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        def flush() -> None:
            batch = pa.record_batch([pa.array(v, type=schema.field(i).type) for i, v in enumerate(cols)],
                                    schema=schema)
            writer.write_batch(batch, row_group_size=row_group)
            for v in cols:
                v.clear()

        for row in table.rows(store, f):
            for i, v in enumerate(row):
                cols[i].append(v)
            n += 1
            if len(cols[0]) >= row_group:
                flush()
        if cols[0] or n == 0:
            flush()
    return n


# --- events: GDELT 2.0-style ----------------------------------------------------------------------

# GDELT 2.0's 61 event columns, in GDELT's order, then ours. Columns that do not apply to a
# single report read by rules (tone, religion and ethnic codes, actor geography, ADM codes) are
# empty. Differences, all documented in the README: GLOBALEVENTID is "article:event"; codes
# are ISO 3166 alpha-3 and CAMEO-style sectors (Actor1Code = country + sector); the event code
# is the CAMEO root of the PLOVER type (PLOVER's CAMEO table) with "0" for "not specified";
# GoldsteinScale holds PLOVER's score; ActionGeo country is ISO alpha-2 (GDELT: FIPS) and
# FeatureID the GeoNames id; NumMentions/NumSources/NumArticles are 1 (one report: ``link``
# merges reports).
GDELT_BASE = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{c}" for n in (1, 2) for c in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
        "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
)
GDELT_EXTRA = ("status", "statement", "sentence_start", "sentence_end", "article_id", "event_id", "plover_type",
               "plover_mode", "date", "date_precision", "trigger", "published", "source")
GDELT_COLUMNS = GDELT_BASE + GDELT_EXTRA

# PLOVER type -> CAMEO root code (the PLOVER manual's CAMEO table; REQUEST is PLOVER's DEMAND,
# ACCUSE its DISAPPROVE)
CAMEO_ROOT = {"AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07", "CONCEDE": "08",
              "RETREAT": "08", "REQUEST": "10", "ACCUSE": "11", "REJECT": "12", "THREATEN": "13", "PROTEST": "14",
              "MOBILIZE": "15", "SANCTION": "16", "COERCE": "17", "ASSAULT": "18"}
QUAD = {"verbal-cooperation": 1, "material-cooperation": 2, "verbal-conflict": 3, "material-conflict": 4}


def _gdelt_actor(p: Any) -> list[Any]:
    """The ten GDELT columns of one actor (empty when there is none)."""
    if p is None:
        return [""] * 10
    code = p.country or ""
    group = bool(code) and (p.role == "IGO" or len(code) != 3 or not code.isalpha())
    return [code + (p.role or "") if code or p.role else "", _one_line(p.text), "" if group else code,
            code if group else "", "", "", "", p.role or "", "", ""]


def _gdelt_dates(value: str | None, precision: str | None) -> list[Any]:
    """SQLDATE, MonthYear, Year, FractionDate: as far as the event's date is known."""
    if not value:
        return ["", "", "", ""]
    parts = value.split("-")
    year = parts[0]
    month = parts[1] if len(parts) > 1 else ""
    if len(parts) > 2 and precision in (None, "day"):
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            return ["", year + month, year, ""]
        frac = day.year + (day.timetuple().tm_yday - 1) / 365
        return [day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year), f"{frac:.4f}"]
    return ["", year + month if month else "", year, ""]


def _stamp(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return dt.datetime.fromisoformat(iso).strftime("%Y%m%d%H%M%S")
    except ValueError:
        return ""


def gdelt_row(row: EventRow) -> list[Any]:
    """The GDELT-style row of one stored event."""
    v, p = row.event, row.place
    types = plover().types.get(v.type, {})
    root = CAMEO_ROOT.get(v.type, "")
    date = v.date.value if v.date and v.date.value else None
    precision = v.date.precision if v.date else None
    out = [f"{row.article_id}:{v.id}", *_gdelt_dates(date, precision)]
    out += _gdelt_actor(v.actor) + _gdelt_actor(v.recipient)
    out += ["", root + "0" if root else "", root + "0" if root else "", root,
            QUAD.get(str(types.get("quad", "")), ""), types.get("score", ""), 1, 1, 1, ""]
    out += [""] * 16  # actor geography: not read
    if p is not None:
        out += ["", p.name or p.text, p.country or "", "", "", "" if p.lat is None else p.lat,
                "" if p.lon is None else p.lon, "" if p.geonameid is None else p.geonameid]
    else:
        out += [""] * 8
    out += [_stamp(row.ingested_at), row.url or ""]
    out += [v.status, v.statement or "", v.sentence.start, v.sentence.end, row.article_id, v.id, v.type,
            v.mode or "", date or "", precision or "", _one_line(v.trigger.text), row.published or "", row.source or ""]
    return out


def _iter_events(store: Store, f: ExportFilters) -> Iterator[EventRow]:
    if f.source:
        for r in store.iter_events(type=f.type, actor=f.actor, recipient=f.recipient, since=f.since, until=f.until,
                                   status=f.status):
            if r.source == f.source:
                yield r
        return
    yield from store.iter_events(type=f.type, actor=f.actor, recipient=f.recipient, since=f.since, until=f.until,
                                 status=f.status)


def write_gdelt(store: Store, table: Table, f: ExportFilters, out: IO[str]) -> int:
    """GDELT 2.0-style events: tab-separated, a header line, one row per event."""
    w = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(GDELT_COLUMNS)
    n = 0
    for row in _iter_events(store, f):
        w.writerow(gdelt_row(row))
        n += 1
    return n


# --- events: PLOVER JSON ----------------------------------------------------------------------------

@cache
def _alpha3() -> dict[str, str]:
    from chronicle.lexicon import read_tsv

    return {r["alpha2"]: r["alpha3"] for r in read_tsv("countries.tsv") if r.get("alpha2") and r.get("alpha3")}


def _plover_party(p: Any) -> dict[str, Any]:
    return {k: v for k, v in (("code", p.country), ("sector", p.role), ("entity_text", p.text),
                              ("entity", p.entity), ("start", p.start), ("end", p.end)) if v is not None}


def plover_event(row: EventRow) -> dict[str, Any]:
    """One event as a PLOVER JSON object (the PLOVER manual's field names, as POLECAT uses them),
    with chronicle's own fields after them: status, statement, article, spans."""
    v, p = row.event, row.place
    types = plover().types.get(v.type, {})
    actors = v.actors or ([v.actor] if v.actor else [])
    recipients = v.recipients or ([v.recipient] if v.recipient else [])
    out: dict[str, Any] = {
        "id": f"{row.article_id}:{v.id}",
        "date": v.date.value if v.date and v.date.value else None,
        "actor": [_plover_party(a) for a in actors],
        "recipient": [_plover_party(r) for r in recipients],
        "event": [v.type],
        "mode": [v.mode] if v.mode else [],
        "context": [],
        "event_loc": None,
        "event_text": [v.trigger.text],
        "quad_code": QUAD.get(str(types.get("quad", ""))),
        "event_scale": float(types["score"]) if types.get("score") not in (None, "") else None,
        "text_info": {"start": v.sentence.start, "end": v.sentence.end,
                      "trigger_start": v.trigger.start, "trigger_end": v.trigger.end},
        "cite_info": {"url": row.url, "title": row.title, "publication": row.source,
                      "coder": f"chronicle {__version__}", "codebook": "plover (chronicle rules)"},
        "coded_date": (row.ingested_at or "")[:10] or None,
        # chronicle's own fields
        "date_precision": v.date.precision if v.date else None,
        "status": v.status,
        "statement": v.statement,
        "article": row.article_id,
        "published": row.published,
    }
    if p is not None:
        out["event_loc"] = {k: val for k, val in (
            ("extracted_place", p.text), ("resolved_place", p.name), ("geonameid", p.geonameid),
            ("lat", p.lat), ("lon", p.lon), ("country_code", _alpha3().get(p.country or "", p.country)))
            if val is not None}
    return out


def write_plover(store: Store, table: Table, f: ExportFilters, out: IO[str]) -> int:
    n = 0
    for row in _iter_events(store, f):
        out.write(json.dumps(plover_event(row), ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    write: Callable[..., int]
    binary: bool = False
    only: tuple[str, ...] = ()  # the kinds of export it takes (empty: every one)
    doc: str = ""
    suffixes: tuple[str, ...] = field(default=())


FORMATS: dict[str, Format] = {
    "jsonl": Format("jsonl", write_jsonl, doc="articles: one record a line; other tables: one object a row"),
    "csv": Format("csv", write_csv, doc="a header line, one row per fact"),
    "parquet": Format("parquet", write_parquet, binary=True, doc="Parquet (pyarrow), in row groups"),
    "gdelt": Format("gdelt", write_gdelt, only=("events",), doc="GDELT 2.0-style event table, tab-separated"),
    "plover": Format("plover", write_plover, only=("events",), doc="PLOVER JSON events, one a line"),
}


def default_what(fmt: str) -> str:
    f = FORMATS.get(fmt)
    return f.only[0] if f and f.only else "articles"


def export(store: Store, fmt: str, what: str | None, out: Any, filters: ExportFilters | None = None,
           **legacy: Any) -> int:
    """Write ``what`` from ``store`` to ``out`` (a text stream; for parquet a path or binary
    stream) in format ``fmt``; returns the rows written."""
    f = filters or ExportFilters(**legacy)
    spec = FORMATS.get(fmt)
    what = what or default_what(fmt)
    table = WHAT.get(what)
    if spec is None or table is None or (spec.only and what not in spec.only):
        valid = ", ".join(f"--format {n}" + (f" --what {'|'.join(s.only)}" if s.only else "")
                          for n, s in FORMATS.items())
        raise ConfigError(f"no export of {what} as {fmt}; available: {valid}; --what: {', '.join(WHAT)}")
    _check_filters(table, f)
    return int(spec.write(store, table, f, out))


def _one_line(text: str) -> str:
    return " ".join(text.split())
