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
    dedupe: bool = False  # gdelt/plover: one row per story event (``chronicle link``), not per report

    def event_only(self) -> list[str]:
        return [f"--{k}" for k in ("type", "actor", "recipient", "status", "dedupe") if getattr(self, k)]


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
               "plover_mode", "date", "date_precision", "trigger", "published", "source", "story_event", "sources")
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


@dataclass(frozen=True, slots=True)
class Coverage:
    """How widely an event is reported: its story event (``chronicle link``) and that story
    event's reports, distinct articles and independent outlets."""

    story_event: str | None = None
    reports: int = 1
    sources: int = 1
    articles: int = 1


def gdelt_row(row: EventRow, cover: Coverage | None = None) -> list[Any]:
    """The GDELT-style row of one stored event; ``cover`` fills NumMentions, NumSources and
    NumArticles from its story event (one report each when the store is not linked)."""
    cover = cover or Coverage()
    v, p = row.event, row.place
    types = plover().types.get(v.type, {})
    root = CAMEO_ROOT.get(v.type, "")
    date = v.date.value if v.date and v.date.value else None
    precision = v.date.precision if v.date else None
    out = [f"{row.article_id}:{v.id}", *_gdelt_dates(date, precision)]
    out += _gdelt_actor(v.actor) + _gdelt_actor(v.recipient)
    out += ["", root + "0" if root else "", root + "0" if root else "", root,
            QUAD.get(str(types.get("quad", "")), ""), types.get("score", ""), cover.reports, cover.sources,
            cover.articles, ""]
    out += [""] * 16  # actor geography: not read
    if p is not None:
        out += ["", p.name or p.text, p.country or "", "", "", "" if p.lat is None else p.lat,
                "" if p.lon is None else p.lon, "" if p.geonameid is None else p.geonameid]
    else:
        out += [""] * 8
    out += [_stamp(row.ingested_at), row.url or ""]
    out += [v.status, v.statement or "", v.sentence.start, v.sentence.end, row.article_id, v.id, v.type,
            v.mode or "", date or "", precision or "", _one_line(v.trigger.text), row.published or "", row.source or "",
            cover.story_event or "", cover.sources]
    return out


def _coverage(store: Store, rows: list[EventRow]) -> list[Coverage | None]:
    """The story event of each row (None for an event the link step has not seen)."""
    found: dict[tuple[str, str], Coverage] = {}
    for i in range(0, len(rows), 250):
        chunk = rows[i:i + 250]
        cond = " OR ".join("(l.article_id = ? AND l.event_id = ?)" for _ in chunk)
        params = tuple(x for r in chunk for x in (r.article_id, r.event.id))
        for r in store._query(
                "SELECT l.article_id, l.event_id, s.id, s.reports, s.sources, s.articles FROM event_links l "
                f"JOIN story_events s ON s.id = l.story_event WHERE {cond}", params):
            found[(r[0], r[1])] = Coverage(r[2], int(r[3]), int(r[4]), int(r[5]))
    return [found.get((r.article_id, r.event.id)) for r in rows]


def _covered(store: Store, f: ExportFilters) -> Iterator[tuple[EventRow, Coverage | None]]:
    """The events to export with their coverage: every report, or (``f.dedupe``) the first report
    of each story event, in the order of story event ids."""
    if f.dedupe:
        yield from _story_representatives(store, f)
        return
    page: list[EventRow] = []
    for row in _iter_events(store, f):
        page.append(row)
        if len(page) >= PAGE:
            yield from zip(page, _coverage(store, page), strict=True)
            page = []
    if page:
        yield from zip(page, _coverage(store, page), strict=True)


def _story_representatives(store: Store, f: ExportFilters) -> Iterator[tuple[EventRow, Coverage | None]]:
    """Each story event once: its first report (earliest published, then article id), as GDELT
    keeps the first article that coded an event, with the story event's coverage."""
    page: list[tuple[Any, ...]] = []

    def flush() -> Iterator[tuple[EventRow, Coverage | None]]:
        ids = [r[0] for r in page]
        first: dict[str, tuple[str, str]] = {}
        for r in store._query(
                "SELECT l.story_event, l.article_id, l.event_id FROM event_links l JOIN articles a ON "
                f"a.id = l.article_id WHERE l.story_event IN ({_in(ids)}) "
                "ORDER BY l.story_event, a.published, l.article_id, l.start", tuple(ids)):
            first.setdefault(r[0], (r[1], r[2]))
        wanted = [first[i] for i in ids if i in first]
        events: dict[tuple[str, str], EventRow] = {}
        for i in range(0, len(wanted), 250):
            chunk = wanted[i:i + 250]
            cond = " OR ".join("(e.article_id = ? AND e.id = ?)" for _ in chunk)
            for r in store._query(store._EVENT_SELECT + f" WHERE {cond}", tuple(x for k in chunk for x in k)):
                events[(r[0], r[7])] = store._event_row(r)
        for r in page:
            key = first.get(r[0])
            if key is not None and key in events:
                yield events[key], Coverage(r[0], int(r[16]), int(r[18]), int(r[17]))

    for row in _story_event_rows(store, f):
        page.append(row)
        if len(page) >= PAGE:
            yield from flush()
            page = []
    if page:
        yield from flush()


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
    for row, cover in _covered(store, f):
        w.writerow(gdelt_row(row, cover))
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


def plover_event(row: EventRow, cover: Coverage | None = None) -> dict[str, Any]:
    """One event as a PLOVER JSON object (the PLOVER manual's field names, as POLECAT uses them),
    with chronicle's own fields after them: status, statement, article, spans, and its story
    event's coverage when the store is linked."""
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
        "story_event": cover.story_event if cover else None,
        "reports": cover.reports if cover else 1,
        "sources": cover.sources if cover else 1,
    }
    if p is not None:
        out["event_loc"] = {k: val for k, val in (
            ("extracted_place", p.text), ("resolved_place", p.name), ("geonameid", p.geonameid),
            ("lat", p.lat), ("lon", p.lon), ("country_code", _alpha3().get(p.country or "", p.country)))
            if val is not None}
    return out


def write_plover(store: Store, table: Table, f: ExportFilters, out: IO[str]) -> int:
    n = 0
    for row, cover in _covered(store, f):
        out.write(json.dumps(plover_event(row, cover), ensure_ascii=False))
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
    if f.dedupe and fmt not in ("gdelt", "plover"):
        raise ConfigError("--dedupe writes one GDELT or PLOVER row per story event (--format gdelt|plover); "
                          "for a table of story events use --what story-events")
    if f.dedupe and f.source:
        raise ConfigError("--source keeps reports of one outlet; with --dedupe a row is a story event of many: "
                          "drop one of them")
    return int(spec.write(store, table, f, out))


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- the link step's tables (chronicle link) ----------------------------------------------------

ARTICLE_PAGE = 200  # articles whose link rows are read per query


def _linked_article_pages(store: Store, f: ExportFilters) -> Iterator[list[str]]:
    """The ids of the linked articles that pass the filters, ARTICLE_PAGE at a time, in id order."""
    conds, params = [], []
    for cond, val in (("a.published >= ?", f.since), ("a.published <= ?", f.until), ("a.source = ?", f.source)):
        if val:
            conds.append(cond)
            params.append(val)
    last = ""
    while True:
        rows = store._query(
            "SELECT l.article_id FROM link_articles l JOIN articles a ON a.id = l.article_id WHERE l.article_id > ?"
            + "".join(f" AND {c}" for c in conds) + " ORDER BY l.article_id LIMIT ?", (last, *params, ARTICLE_PAGE))
        if not rows:
            return
        ids = [r[0] for r in rows]
        yield ids
        last = ids[-1]


def _in(ids: list[str]) -> str:
    return ",".join("?" * len(ids))


def _event_report_rows(store: Store, f: ExportFilters) -> Iterator[tuple[Any, ...]]:
    for ids in _linked_article_pages(store, f):
        yield from (tuple(r) for r in store._query(
            "SELECT l.article_id, l.start, l.\"end\", substr(a.text, l.start + 1, l.\"end\" - l.start), "
            "l.story_event, 'event', l.event_id, l.status FROM event_links l JOIN articles a ON a.id = l.article_id "
            f"WHERE l.article_id IN ({_in(ids)}) ORDER BY l.article_id, l.start, l.event_id", tuple(ids)))


def _entity_mention_rows(store: Store, f: ExportFilters) -> Iterator[tuple[Any, ...]]:
    for ids in _linked_article_pages(store, f):
        rows = store._query(
            "SELECT m.article_id, m.start, m.\"end\", m.text, l.canonical_id, 'entity', m.entity_id, m.kind "
            "FROM entity_links l JOIN mentions m ON m.article_id = l.article_id AND m.entity_id = l.entity_id "
            f"WHERE l.article_id IN ({_in(ids)}) UNION ALL "
            "SELECT p.article_id, p.start, p.\"end\", p.text, l.canonical_id, 'entity', p.id, 'place' "
            "FROM entity_links l JOIN places p ON p.article_id = l.article_id AND p.id = l.entity_id "
            f"WHERE l.article_id IN ({_in(ids)})", (*ids, *ids))
        yield from sorted((tuple(r) for r in rows), key=lambda r: (r[0], r[1], r[2], r[6]))


def _dispute_rows(store: Store, f: ExportFilters) -> Iterator[tuple[Any, ...]]:
    conds, params = _article_conds(f, "t")
    conds = [c.replace("t.article_id", "t.b_article") for c in conds]
    stored = (*DISPUTE_COLUMNS[:17], Column("data"))
    for row in _paged(store, "disputes", stored, conds, params, key=("id",)):
        data = json.loads(row[-1])
        yield (*row[:-1], data["a"]["text"], data["b"]["text"], data.get("why"), row[-1])


def _dispute_records(store: Store, f: ExportFilters) -> Iterator[str]:
    """One dispute a line: {"a": {article, start, end, text, ...}, "b": {...}, "claim", "why"}."""
    for r in _dispute_rows(store, f):
        d = dict(zip([c.name for c in DISPUTE_COLUMNS], r, strict=True))
        side = {p: {"article": d[f"{p}_article"], "start": d[f"{p}_start"], "end": d[f"{p}_end"],
                    "text": d[f"{p}_text"], "kind": d[f"{p}_kind"], "ref": d[f"{p}_ref"],
                    "speaker": d[f"{p}_speaker"], "canonical": d[f"{p}_canonical"]} for p in ("a", "b")}
        yield json.dumps({"id": d["id"], **side, "claim": d["a_text"], "story": d["story"], "score": d["score"],
                          "why": d["why"]}, ensure_ascii=False)


def _story_event_rows(store: Store, f: ExportFilters) -> Iterator[tuple[Any, ...]]:
    conds, params = [], []
    for col, val in (("type", f.type), ("actor_country", f.actor), ("recipient_country", f.recipient),
                     ("status", f.status)):
        if val:
            conds.append(f"t.{col} = ?")
            params.append(val if col == "status" else val.upper())
    if f.since:
        conds.append("substr(coalesce(t.date, t.first) || '-99-99', 1, 10) >= ?")
        params.append(f.since)
    if f.until:
        conds.append("substr(coalesce(t.date, t.first) || '-01-01', 1, 10) <= ?")
        params.append(f.until)
    return _paged(store, "story_events", STORY_EVENT_COLUMNS, conds, params, key=("id",))


LINK_COLUMNS = _s("article") + _i("start", "end") + _s("text", "cluster", "kind")
DISPUTE_COLUMNS = (_s("id", "a_article", "a_kind", "a_ref") + _i("a_start", "a_end") + _s("a_speaker", "a_canonical",
                   "b_article", "b_kind", "b_ref") + _i("b_start", "b_end") + _s("b_speaker", "b_canonical", "story")
                   + _f("score") + _s("a_text", "b_text", "why", "data"))
STORY_EVENT_COLUMNS = (_s("id", "type", "mode", "status", "date", "precision", "actor", "actor_country",
                          "actor_canonical", "recipient", "recipient_country", "recipient_canonical", "place",
                          "place_country") + _f("lat", "lon") + _i("reports", "articles", "sources")
                       + _s("first", "last", "data"))
CANONICAL_COLUMNS = _s("id", "name", "type", "country", "role") + _i("articles", "mentions") + _s("first", "last",
                                                                                                  "data")

register(Table("event-reports", LINK_COLUMNS + _s("event_id", "status"), _event_report_rows,
               "each event report with its story event (`cluster`): which sentences of which articles report "
               "the same event"))
register(Table("entity-mentions", LINK_COLUMNS + _s("entity_id", "mention_kind"), _entity_mention_rows,
               "each entity mention (and geocoded place) with its canonical entity (`cluster`)"))
register(Table("disputes", DISPUTE_COLUMNS, _dispute_rows, "claims and their denials: two spans each",
               records=_dispute_records))
register(Table("story-events", STORY_EVENT_COLUMNS, _story_event_rows,
               "one row per story event (an event however many articles report it), with its coverage",
               events=True))
register(Table("canonical-entities", CANONICAL_COLUMNS,
               lambda store, f: _paged(store, "canonical_entities", CANONICAL_COLUMNS, [], [], key=("id",)),
               "one row per canonical entity (an entity across articles)"))
