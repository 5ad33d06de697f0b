"""Exports: every table round-trips through Parquet (pyarrow and DuckDB) and CSV, GDELT and
PLOVER events have their shapes, and exports stream (pages, row groups, flat memory)."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from pathlib import Path

import pytest

from chronicle import export as ex
from chronicle.errors import ConfigError
from chronicle.export import WHAT, ExportFilters, export
from chronicle.record import (
    Article,
    DateValue,
    Entity,
    Event,
    Mention,
    Party,
    Place,
    Quantity,
    Record,
    SentenceSpan,
    Span,
    Statement,
    Time,
)
from chronicle.store import SQLiteStore

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def make_record(i: int, events: int = 2) -> Record:
    aid = f"a{i:04d}"
    text = f"Article {i}. Russian forces shelled Kharkiv on Monday, officials said; £{i}m was pledged. " + "x" * 50
    return Record(
        article=Article(id=aid, text=text, title=f"Title {i}", published=f"2022-05-{1 + i % 28:02d}",
                        source="Wire" if i % 2 else "Daily", url=f"https://example.org/{aid}", origin="t.jsonl"),
        entities=[Entity(id="e1", name="Russia", type="GPE", country="RUS", role="GOV",
                         mentions=[Mention("Russian", len(f"Article {i}. "), len(f"Article {i}. ") + 7)])],
        statements=[Statement(id="s1", speaker=Party("officials", 60, 69), cue=Span("said", 70, 74),
                              content=Span("Russian forces shelled Kharkiv", 12, 42), kind="indirect")],
        events=[Event(id=f"v{k}", type="ASSAULT" if k % 2 == 0 else "AID", trigger=Span("shelled", 27, 34),
                      sentence=SentenceSpan(0, 90), status="claimed" if k == 1 else "asserted",
                      statement="s1" if k == 1 else None,
                      actor=Party("Russian forces", 12, 26, entity="e1", country="RUS", role="MIL"),
                      recipient=Party("Kharkiv", 35, 42, country="UKR"),
                      date=DateValue("2022-05-02", "day") if k == 0 else None, place="p1")
                for k in range(events)],
        quantities=[Quantity(id="q1", text=f"£{i}m", start=76, end=79, value=i * 1e6, unit="GBP", kind="money")],
        times=[Time(id="t1", text="Monday", start=46, end=52, value="2022-05-02", precision="day")],
        places=[Place(id="p1", text="Kharkiv", start=35, end=42, name="Kharkiv", country="UA", lat=49.99, lon=36.23,
                      geonameid=706483)],
    )


@pytest.fixture()
def filled(store: SQLiteStore) -> SQLiteStore:
    store.write([make_record(i) for i in range(30)])
    return store


def stored(store: SQLiteStore, what: str) -> list[tuple]:
    table = WHAT[what]
    cols = ", ".join(ex._q(c.name) for c in table.columns)
    key = "id" if what == "articles" else "article_id, id"
    return [tuple(r) for r in store._query(f"SELECT {cols} FROM {what} ORDER BY {key}")]


@pytest.mark.parametrize("what", ["articles", "entities", "statements", "events", "quantities", "times", "places"])
def test_export_parquet_round_trip(filled: SQLiteStore, tmp_path: Path, what: str,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ex, "PAGE", 7)  # several pages, so the keyset paging is exercised
    out = tmp_path / f"{what}.parquet"
    n = export(filled, "parquet", what, str(out))
    rows = stored(filled, what)
    assert n == len(rows) > 0
    back = pq.read_table(out)
    assert back.column_names == [c.name for c in WHAT[what].columns]
    assert [tuple(r.values()) for r in back.to_pylist()] == rows


def test_export_parquet_read_by_duckdb(filled: SQLiteStore, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "events.parquet"
    export(filled, "parquet", "events", str(out))
    got = duckdb.sql(f"SELECT * FROM read_parquet('{out}') ORDER BY article_id, id").fetchall()
    assert got == stored(filled, "events")
    types = dict(duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{out}')").fetchall()[i][:2]
                 for i in range(len(WHAT["events"].columns)))
    assert types["start"] == "BIGINT" and types["data"] == "VARCHAR"


def test_export_csv_round_trip(filled: SQLiteStore) -> None:
    out = io.StringIO()
    export(filled, "csv", "quantities", out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == [c.name for c in WHAT["quantities"].columns]
    expect = [["" if v is None else str(v) for v in r] for r in stored(filled, "quantities")]
    assert rows[1:] == expect


def test_export_jsonl_articles_are_records(filled: SQLiteStore) -> None:
    out = io.StringIO()
    assert export(filled, "jsonl", "articles", out) == 30
    first = Record.from_json(out.getvalue().splitlines()[0])
    assert first.to_dict() == make_record(0).to_dict()
    out = io.StringIO()
    export(filled, "jsonl", "times", out, ExportFilters(source="Wire"))
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert len(lines) == 15 and lines[0]["data"]["value"] == "2022-05-02"


def test_export_filters(filled: SQLiteStore) -> None:
    out = io.StringIO()
    assert export(filled, "csv", "events", out, ExportFilters(status="claimed", source="Daily")) == 15
    assert export(filled, "csv", "articles", io.StringIO(), ExportFilters(since="2022-05-10", until="2022-05-11")) == 2
    with pytest.raises(ConfigError, match="--type filter"):
        export(filled, "csv", "entities", io.StringIO(), ExportFilters(type="ASSAULT"))
    with pytest.raises(ConfigError, match="no export of entities as gdelt"):
        export(filled, "gdelt", "entities", io.StringIO())


def test_export_gdelt_columns(filled: SQLiteStore) -> None:
    out = io.StringIO()
    assert export(filled, "gdelt", None, out, ExportFilters(status="asserted")) == 30
    lines = out.getvalue().splitlines()
    head = lines[0].split("\t")
    assert len(ex.GDELT_BASE) == 61 and head[:61] == list(ex.GDELT_BASE)
    assert head[61:66] == ["status", "statement", "sentence_start", "sentence_end", "article_id"]
    row = dict(zip(head, lines[1].split("\t"), strict=True))
    assert row["GLOBALEVENTID"] == "a0000:v0" and row["SQLDATE"] == "20220502" and row["MonthYear"] == "202205"
    assert row["Actor1Code"] == "RUSMIL" and row["Actor1CountryCode"] == "RUS" and row["Actor1Type1Code"] == "MIL"
    assert row["EventCode"] == "180" and row["EventRootCode"] == "18" and row["QuadClass"] == "4"
    assert row["GoldsteinScale"] == "-9.3" and row["NumArticles"] == "1"
    assert (row["ActionGeo_FullName"], row["ActionGeo_Lat"], row["ActionGeo_FeatureID"]) == ("Kharkiv", "49.99",
                                                                                           "706483")
    assert len(row["DATEADDED"]) == 14 and row["SOURCEURL"] == "https://example.org/a0000"


def test_export_plover_json(filled: SQLiteStore) -> None:
    out = io.StringIO()
    export(filled, "plover", None, out, ExportFilters(status="claimed"))
    ev = json.loads(out.getvalue().splitlines()[0])
    assert ev["id"] == "a0000:v1" and ev["event"] == ["AID"] and ev["quad_code"] == 2
    assert ev["actor"] == [{"code": "RUS", "sector": "MIL", "entity_text": "Russian forces", "entity": "e1",
                            "start": 12, "end": 26}]
    assert ev["event_loc"]["country_code"] == "UKR" and ev["event_loc"]["geonameid"] == 706483
    assert ev["status"] == "claimed" and ev["statement"] == "s1" and ev["date"] is None
    assert ev["text_info"]["start"] == 0 and ev["cite_info"]["url"] == "https://example.org/a0000"


def test_export_parquet_writes_row_groups(filled: SQLiteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = filled._query

    def spy(sql: str, params: tuple = ()) -> list:
        calls.append(sql)
        return real(sql, params)

    monkeypatch.setattr(filled, "_query", spy)
    monkeypatch.setattr(ex, "PAGE", 10)
    out = tmp_path / "e.parquet"
    ex.write_parquet(filled, WHAT["events"], ExportFilters(), str(out), row_group=16)
    assert pq.ParquetFile(out).metadata.num_row_groups == 4  # 60 rows, 16 a group
    assert len(calls) == 7  # 60 rows, 10 a page (and the empty page that ends it): never one query for all


def _peak(store: SQLiteStore, path: Path) -> int:
    tracemalloc.start()
    try:
        ex.write_parquet(store, WHAT["events"], ExportFilters(), str(path), row_group=500)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_export_memory_stays_flat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten times the events, about the same peak memory: the export streams."""
    monkeypatch.setattr(ex, "PAGE", 200)
    small, big = SQLiteStore(str(tmp_path / "s.db")), SQLiteStore(str(tmp_path / "b.db"))
    small.write([make_record(i, events=20) for i in range(50)])  # 1,000 events
    for start in range(0, 500, 100):
        big.write([make_record(i, events=20) for i in range(start, start + 100)])  # 10,000 events
    p_small, p_big = _peak(small, tmp_path / "s.parquet"), _peak(big, tmp_path / "b.parquet")
    assert pq.ParquetFile(tmp_path / "b.parquet").metadata.num_rows == 10_000
    assert p_big < 1.5 * p_small, (p_small, p_big)
    small.close()
    big.close()
