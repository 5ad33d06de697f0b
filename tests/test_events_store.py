"""Stored events: the portable queries, the GDELT-style export, and their commands."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from chronicle.errors import ConfigError
from chronicle.export import GDELT_COLUMNS, export
from chronicle.record import Article, DateValue, Event, Party, Place, Record, SentenceSpan, Span
from chronicle.store import SQLiteStore


def record(aid: str, published: str, events: list[Event], places: list[Place] | None = None) -> Record:
    return Record(article=Article(id=aid, text=f"{aid} " + "x" * 200, published=published, url=f"https://example.org/{aid}"),
                  events=events, places=places or [])


def ev(eid: str, etype: str, actor: str | None, recipient: str | None, status: str = "asserted",
       date: str | None = None, place: str | None = None) -> Event:
    return Event(id=eid, type=etype, trigger=Span(text="shelled", start=10, end=17), sentence=SentenceSpan(0, 80),
                 status=status, actor=Party(text=actor or "someone", start=0, end=5, country=actor, role="MIL"),
                 recipient=Party(text=recipient, start=20, end=25, country=recipient) if recipient else None,
                 date=DateValue(date, "day" if date and len(date) == 10 else "month") if date else None,
                 place=place)


@pytest.fixture()
def filled(store: SQLiteStore) -> SQLiteStore:
    kharkiv = Place(id="p1", text="Kharkiv", start=30, end=37, name="Kharkiv", country="UA", lat=49.99, lon=36.23,
                    geonameid=706483)
    store.write([
        record("a1", "2022-05-03", [ev("v1", "ASSAULT", "RUS", "UKR", date="2022-05-02", place="p1"),
                                   ev("v2", "AID", "GBR", "UKR", date="2022-05")], [kharkiv]),
        record("a2", "2022-06-10", [ev("v1", "ASSAULT", "RUS", "UKR", status="claimed"),
                                   ev("v2", "REQUEST", "UKR", None, status="asserted")]),
    ])
    return store


def test_store_events_filters(filled: SQLiteStore) -> None:
    rows = filled.events()
    assert [(r.article_id, r.event.id) for r in rows] == [("a2", "v1"), ("a2", "v2"), ("a1", "v1"), ("a1", "v2")]
    assert [r.event.id for r in filled.events(type="assault", actor="rus")] == ["v1", "v1"]
    assert [r.article_id for r in filled.events(recipient="UKR", status="asserted")] == ["a1", "a1"]
    # an undated event counts by its article's publication day; a month counts from its first day
    assert [(r.article_id, r.event.id) for r in filled.events(since="2022-05-02", until="2022-05-31")] == [
        ("a1", "v1"), ("a1", "v2")]
    assert [r.article_id for r in filled.events(since="2022-06-01")] == ["a2", "a2"]
    first = filled.events(type="ASSAULT", status="asserted")[0]
    assert first.place is not None and first.place.name == "Kharkiv"
    assert filled.events(limit=1, offset=3)[0].event.type == "AID"


def test_store_iter_events_streams_in_batches(filled: SQLiteStore) -> None:
    got = [(r.article_id, r.event.id) for r in filled.iter_events(batch=1)]
    assert got == [("a1", "v1"), ("a1", "v2"), ("a2", "v1"), ("a2", "v2")]
    assert [r.event.id for r in filled.iter_events(type="REQUEST", batch=1)] == ["v2"]


def test_export_gdelt_rows(filled: SQLiteStore) -> None:
    out = io.StringIO()
    assert export(filled, "gdelt", "events", out, actor="RUS") == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue()), delimiter="\t"))
    assert list(rows[0]) == list(GDELT_COLUMNS)
    first = rows[0]
    assert (first["GLOBALEVENTID"], first["SQLDATE"], first["date"], first["date_precision"]) == (
        "a1:v1", "20220502", "2022-05-02", "day")
    assert (first["Actor1CountryCode"], first["Actor2CountryCode"], first["plover_type"], first["status"]) == (
        "RUS", "UKR", "ASSAULT", "asserted")
    assert (first["QuadClass"], first["EventRootCode"], first["ActionGeo_FullName"],
            first["ActionGeo_CountryCode"]) == ("4", "18", "Kharkiv", "UA")
    assert (first["article_id"], first["SOURCEURL"], first["sentence_start"], first["sentence_end"]) == (
        "a1", "https://example.org/a1", "0", "80")
    assert rows[1]["SQLDATE"] == "" and rows[1]["status"] == "claimed"  # no date: empty, not the publication day
    with pytest.raises(ConfigError, match="available: --format jsonl"):
        export(filled, "xml", "events", io.StringIO())


def chronicle(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "chronicle", *args], capture_output=True, text=True, timeout=120)


def test_cli_events_and_export(filled: SQLiteStore, tmp_path: Path) -> None:
    db = filled.target
    filled.close()
    res = chronicle("events", "--db", db, "--type", "ASSAULT", "--actor", "RUS", "--status", "asserted")
    assert res.returncode == 0, res.stderr
    (line,) = res.stdout.splitlines()
    assert line.startswith("2022-05-02") and "ASSAULT" in line and "in Kharkiv" in line and "a1:v1" in line
    res = chronicle("events", "--db", db, "--recipient", "ukr", "--json")
    assert [json.loads(x)["event"]["type"] for x in res.stdout.splitlines()] == ["ASSAULT", "ASSAULT", "AID"]
    res = chronicle("events", "--db", db, "--since", "May 3")
    assert res.returncode != 0 and "not a date like 2022-05-03" in res.stderr
    out = tmp_path / "events.tsv"
    res = chronicle("export", "--format", "gdelt", "--what", "events", str(out), "--db", db)
    assert res.returncode == 0, res.stderr
    assert "4 events written" in res.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5
