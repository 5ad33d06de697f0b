"""The link step: one entity, one event, many sources, and who disputes whom, across articles.

The articles below were written for these tests: outlets reporting the same events in their own
words (a shelling, a pledge of aid), a claim and its denial in two articles, a second shelling
weeks later that must stay apart, and two people named Johnson who must stay apart."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from chronicle.cli import cli
from chronicle.export import ExportFilters, export
from chronicle.link import link, query
from chronicle.link.keys import entity_keys, name_tokens
from chronicle.link.stories import Stories
from chronicle.link.terms import cosine, stem, vector
from chronicle.record import Entity, Mention, Record
from chronicle.store import SQLiteStore

ARTICLES = [
    dict(id="wire-kharkiv", title="Russian shelling kills five in Kharkiv", published="2022-05-03",
         source="Wire Service", url="https://wire.example/kharkiv-shelling",
         text="Russian forces shelled the city of Kharkiv on Tuesday, killing at least five civilians, "
              "Ukrainian officials said.\n\nThe regional governor said the strikes hit apartment blocks in the "
              "north of the city.\n\nIn Moscow, Russian President Vladimir Putin accused Ukrainian forces of "
              "shelling residential areas in Donetsk, according to a Kremlin statement. Mr Putin said the West "
              "could help end the war by halting arms deliveries to Kyiv."),
    dict(id="tv-kharkiv", title="Kharkiv under fire as Kyiv rejects Kremlin claims", published="2022-05-03",
         source="Broadcaster", url="https://tv.example/news/kharkiv",
         text="Kharkiv was shelled by Russian troops on Tuesday, local officials said, and five people were "
              "killed in residential districts.\n\nUkraine denied shelling residential areas in Donetsk. A "
              "spokesman for the Ukrainian army called the Kremlin's accusation absurd.\n\nThe Russian leader "
              "has repeatedly blamed Kyiv for attacks on civilians in the east."),
    dict(id="paper-aid", title="UK pledges £300m in military aid", published="2022-05-04", source="Daily Paper",
         url="https://paper.example/uk-aid",
         text="The UK announced a further pledge of military equipment worth £300m to Ukraine on Tuesday.\n\n"
              "Prime Minister Boris Johnson said the package included air defence systems and drones. Mr Johnson "
              "told the Ukrainian parliament by video link that Britain would stand by Kyiv."),
    dict(id="wire-aid", title="Britain sends more weapons to Kyiv", published="2022-05-04", source="Wire Service",
         url="https://wire.example/uk-weapons",
         text="LONDON, May 4 - Britain pledged military aid worth 300 million pounds to Ukraine on Tuesday, Prime "
              "Minister Boris Johnson said.\n\nJohnson said the aid would include radar systems and armoured "
              "vehicles."),
    dict(id="golf", title="Johnson wins in Texas", published="2022-05-04", source="Sports Desk",
         url="https://sports.example/golf",
         text="Dustin Johnson won the tournament in Fort Worth, Texas, on Sunday with a final round of 66.\n\n"
              "Johnson, 37, said he had been working on his putting for months."),
    dict(id="wire-mykolaiv", title="Shelling hits Mykolaiv", published="2022-05-21", source="Wire Service",
         url="https://wire.example/mykolaiv",
         text="Russian forces shelled Mykolaiv on Friday, the regional governor said, damaging a school and a "
              "hospital.\n\nThe Russian president said on Friday that the operation in Ukraine was going to plan."),
]


@pytest.fixture(scope="module")
def records(extractor) -> list[Record]:  # type: ignore[no-untyped-def]
    from chronicle.record import Article

    return [extractor.process(Article(**a)) for a in ARTICLES]


@pytest.fixture()
def linked(tmp_path: Path, records: list[Record]):  # type: ignore[no-untyped-def]
    store = SQLiteStore(str(tmp_path / "link.db"))
    store.write(records)
    summary = link(store)
    yield store, summary
    store.close()


def _canonical_of(store: SQLiteStore, article: str, text: str) -> str:
    rows = store._query("SELECT l.canonical_id FROM entity_links l JOIN mentions m ON m.article_id = l.article_id "
                        "AND m.entity_id = l.entity_id WHERE l.article_id = ? AND m.text = ?", (article, text))
    assert rows, f"no linked mention '{text}' in {article}"
    return str(rows[0][0])


def _story_event_of(store: SQLiteStore, article: str, trigger: str) -> dict[str, object]:
    rows = store._query("SELECT l.story_event FROM event_links l JOIN articles a ON a.id = l.article_id WHERE "
                        "l.article_id = ? AND substr(a.text, l.start + 1, l.\"end\" - l.start) = ?", (article, trigger))
    assert rows, f"no linked event '{trigger}' in {article}"
    ev = query.story_event(store, rows[0][0])
    assert ev is not None
    return ev


# --- entities across articles ------------------------------------------------------------------------

def test_link_one_person_across_articles_by_name_and_by_office(linked) -> None:  # type: ignore[no-untyped-def]
    store, _ = linked
    putin = _canonical_of(store, "wire-kharkiv", "Russian President Vladimir Putin")
    # "The Russian president" in an article of May 2022 that names nobody is Putin (people table)
    assert _canonical_of(store, "wire-mykolaiv", "The Russian president") == putin
    c = query.find_canonical(store, "Putin")
    assert c is not None and c["id"] == putin
    assert c["name"] == "Vladimir Putin" and c["country"] == "RUS" and c["role"] == "GOV"
    assert c["articles"] == 2


def test_link_same_surname_different_people_stay_apart(linked) -> None:  # type: ignore[no-untyped-def]
    store, _ = linked
    boris = _canonical_of(store, "paper-aid", "Prime Minister Boris Johnson")
    assert _canonical_of(store, "wire-aid", "Prime Minister Boris Johnson") == boris
    dustin = _canonical_of(store, "golf", "Dustin Johnson")
    assert dustin != boris
    # a surname alone joins the person of its own story, not the other Johnson
    assert _canonical_of(store, "golf", "Johnson") == dustin
    assert _canonical_of(store, "wire-aid", "Johnson") == boris
    names = {r["name"] for r in query.canonical_entities(store, name="johnson")}
    assert names == {"Boris Johnson", "Dustin Johnson"}


def test_link_countries_however_named(linked) -> None:  # type: ignore[no-untyped-def]
    store, _ = linked
    uk = query.find_canonical(store, "United Kingdom")
    assert uk is not None and uk["country"] == "GBR"
    assert {"UK", "Britain"} <= set(uk["names"])
    ukraine = query.find_canonical(store, "Ukraine")
    assert ukraine is not None and ukraine["articles"] >= 3


# --- events across articles -----------------------------------------------------------------------------

def test_link_one_pledge_reported_by_two_outlets(linked) -> None:  # type: ignore[no-untyped-def]
    store, _ = linked
    ev = _story_event_of(store, "paper-aid", "pledge")
    assert _story_event_of(store, "wire-aid", "pledged")["id"] == ev["id"]
    assert ev["articles"] == 2 and ev["sources"] == 2 and ev["actor_country"] == "GBR"
    assert {r["source"] for r in ev["reports_list"]} == {"Daily Paper", "Wire Service"}  # type: ignore[attr-defined]


def test_link_same_kind_of_event_weeks_apart_stays_apart(linked) -> None:  # type: ignore[no-untyped-def]
    store, _ = linked
    kharkiv = _story_event_of(store, "tv-kharkiv", "shelled")
    mykolaiv = _story_event_of(store, "wire-mykolaiv", "shelled")
    assert kharkiv["id"] != mykolaiv["id"]
    assert mykolaiv["date"] == "2022-05-20" and kharkiv["date"] == "2022-05-03"


def test_link_hypothetical_is_not_merged_with_what_happened(linked) -> None:  # type: ignore[no-untyped-def]
    store, _ = linked
    rows = store._query("SELECT s.data FROM story_events s JOIN event_links l ON l.story_event = s.id "
                        "WHERE l.status = 'hypothetical'")
    for (data,) in rows:
        assert set(json.loads(data)["statuses"]) == {"hypothetical"}


# --- disputes -----------------------------------------------------------------------------------------

def test_link_claim_and_its_denial_across_articles(linked) -> None:  # type: ignore[no-untyped-def]
    store, _ = linked
    found = query.disputes(store, across=True)
    pairs = [(d["a"]["article"], d["b"]["article"]) for d in found]
    assert ("wire-kharkiv", "tv-kharkiv") in pairs
    d = found[pairs.index(("wire-kharkiv", "tv-kharkiv"))]
    assert "accused" in d["a"]["text"] and d["a"]["speaker"] == "Russian President Vladimir Putin"
    assert d["b"]["text"].startswith("Ukraine denied") and d["b"]["speaker"] == "Ukraine"
    assert d["a"]["published"] == d["b"]["published"] == "2022-05-03"
    putin = query.find_canonical(store, "Putin")
    assert putin is not None and d["a"]["canonical"] == putin["id"]
    assert [x["id"] for x in query.disputes(store, entity=putin["id"])] == [d["id"]]


def test_link_a_denial_of_another_act_is_no_dispute(linked) -> None:  # type: ignore[no-untyped-def]
    store, _ = linked
    # "Kharkiv was shelled by Russian troops" is not what "Ukraine denied shelling ..." denies
    for d in query.disputes(store, article="tv-kharkiv"):
        assert "Russian troops" not in d["a"]["text"]


# --- incremental, re-runnable ----------------------------------------------------------------------------

def _snapshot(path: str) -> dict[str, list[tuple[object, ...]]]:
    c = sqlite3.connect(path)
    out = {t: sorted(c.execute(q).fetchall()) for t, q in {
        "stories": "SELECT article_id, story FROM link_articles",
        "entity_links": "SELECT article_id, entity_id, canonical_id FROM entity_links",
        "event_links": "SELECT article_id, event_id, story_event FROM event_links",
        "canonical": "SELECT id, name, articles, mentions FROM canonical_entities",
        "story_events": "SELECT id, type, reports, articles, sources FROM story_events",
        "disputes": "SELECT id FROM disputes"}.items()}
    c.close()
    return out


def test_link_incremental_equals_one_run_and_reads_only_new(tmp_path: Path, records: list[Record]) -> None:
    ordered = sorted(records, key=lambda r: (r.article.published or "", r.article.id))
    with SQLiteStore(str(tmp_path / "a.db")) as a:
        a.write(ordered[:3])
        first = link(a)
        a.write(ordered[3:])
        second = link(a)
        third = link(a)
    assert (first.articles, second.articles, third.articles) == (3, 3, 0)
    with SQLiteStore(str(tmp_path / "b.db")) as b:
        b.write(ordered)
        once = link(b)
        again = link(b, rebuild=True)
    assert once.articles == again.articles == 6
    assert _snapshot(str(tmp_path / "a.db")) == _snapshot(str(tmp_path / "b.db"))


# --- exports and the command line ------------------------------------------------------------------------

def test_link_exports_in_the_scorers_formats(linked) -> None:  # type: ignore[no-untyped-def]
    store, _ = linked
    texts = {r[0]: r[1] for r in store._query("SELECT id, text FROM articles")}
    for what, kind in (("event-reports", "event"), ("entity-mentions", "entity")):
        buf = io.StringIO()
        n = export(store, "jsonl", what, buf)
        lines = [json.loads(x) for x in buf.getvalue().splitlines()]
        assert n == len(lines) > 0
        for x in lines:
            assert {"article", "start", "end", "text", "cluster", "kind"} <= set(x)
            assert x["kind"] == kind and texts[x["article"]][x["start"]:x["end"]] == x["text"]
    buf = io.StringIO()
    export(store, "jsonl", "disputes", buf)
    d = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert d and all(texts[x[p]["article"]][x[p]["start"]:x[p]["end"]] == x[p]["text"] for x in d for p in "ab")
    buf = io.StringIO()
    export(store, "csv", "story-events", buf)
    assert buf.getvalue().splitlines()[0].startswith("id,type,mode,status,date")


def test_link_cli(tmp_path: Path, records: list[Record]) -> None:
    db = str(tmp_path / "cli.db")
    with SQLiteStore(db) as s:
        s.write(records)
    runner = CliRunner()
    out = runner.invoke(cli, ["entities", "--db", db])
    assert out.exit_code != 0 and "chronicle link" in str(out.exception or out.output)
    out = runner.invoke(cli, ["link", "--db", db])
    assert out.exit_code == 0, out.output
    assert "6 article(s) linked" in out.output
    out = runner.invoke(cli, ["entities", "--country", "GBR", "--db", db])
    assert "Boris Johnson (PERSON, GBR/GOV)  2 article(s)" in out.output
    out = runner.invoke(cli, ["disputes", "--entity", "Vladimir Putin", "--db", db])
    assert "claim " in out.output and "Ukraine denied shelling" in out.output
    out = runner.invoke(cli, ["timeline", "--entity", "Boris Johnson", "--db", db, "--json"])
    items = [json.loads(x) for x in out.output.splitlines()]
    assert any(i["kind"] == "statement" for i in items)
    out = runner.invoke(cli, ["timeline", "--entity", "United Kingdom", "--db", db])
    assert "AGREE" in out.output and "2 article(s), 2 source(s)" in out.output
    out = runner.invoke(cli, ["timeline", "--entity", "United Kingdom", "--db", db, "--csv"])
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert any(r["kind"] == "event" and r["type"] == "AGREE" and r["sources"] == "2" for r in rows)


# --- the parts, without the model ---------------------------------------------------------------------------

@pytest.mark.parametrize(("words", "same"), [
    (("shelling", "shelled", "shells"), True),
    (("killed", "kills", "killing"), True),
    (("talks", "talk"), True),
    (("pledge", "pledged"), False),  # crude: "pledg" vs "pledge" (the names carry the weight)
])
def test_link_stem(words: tuple[str, ...], same: bool) -> None:
    assert (len({stem(w) for w in words}) == 1) is same


def test_link_entity_keys() -> None:
    def person(name: str, *mentions: tuple[str, str], country: str | None = None) -> Entity:
        return Entity("e1", name, "PERSON", country, None, [Mention(t, 0, len(t), k) for t, k in mentions])

    assert entity_keys(person("Vladimir Putin", ("Mr Putin", "title")), 2022).strong == ["per:vladimir putin"]
    assert entity_keys(person("Reid", ("Reid", "name")), 2008).weak == ["sur:reid"]
    desc = person("Russian president", ("the Russian president", "description"), country="RUS")
    assert entity_keys(desc, 2022).strong == ["per:vladimir putin"]
    assert entity_keys(desc, 1995).strong == ["per:boris yeltsin"]
    assert entity_keys(desc, None).weak  # no date: nobody in particular
    org = Entity("e2", "World Health Organization", "ORG", None, None,
                 [Mention("World Health Organization", 0, 25, "name"), Mention("WHO", 30, 33, "acronym")])
    assert "org:world health organization" in entity_keys(org, 2020).strong
    assert name_tokens("U . S . Geological Survey") == ["u", "s", "geological", "survey"]


def test_link_stories_keep_two_events_of_one_kind_apart() -> None:
    docs = {
        "a": {"earthquak": 3, "magnitud": 1, "@gpe:indonesia": 2, "@per:joko widodo": 1, "#6.1": 1},
        "b": {"earthquak": 2, "magnitud": 1, "@gpe:indonesia": 1, "#6.1": 1, "tsunami": 1},
        "c": {"earthquak": 3, "magnitud": 1, "@gpe:california": 2, "@per:gavin newsom": 1, "#5.7": 1},
    }
    df = {t: sum(t in d for d in docs.values()) for d in docs.values() for t in d}
    st = Stories()
    got = {k: st.assign(k, vector(v, df, 3), "2022-01-0" + str(i + 1))[0] for i, (k, v) in enumerate(docs.items())}
    assert got["a"] == got["b"] != got["c"]
    assert cosine(st.vectors["a"], st.vectors["c"]) < cosine(st.vectors["a"], st.vectors["b"])


def test_link_postgres_equals_sqlite(tmp_path: Path, records: list[Record], pg_dsn: str) -> None:
    from chronicle.store.postgres import PostgresStore

    results = []
    for store in (SQLiteStore(str(tmp_path / "same.db")), PostgresStore(pg_dsn)):
        with store:
            store.write(records[:4])
            link(store)
            store.write(records[4:])
            link(store)
            results.append({
                "entities": query.canonical_entities(store, limit=500),
                "story_events": query.story_events(store, limit=500),
                "disputes": query.disputes(store, limit=500),
                "counts": query.link_counts(store),
                "mentions": [tuple(r) for r in export_rows(store, "entity-mentions")],
            })
    assert results[0] == results[1]


def export_rows(store: object, what: str) -> list[object]:
    buf = io.StringIO()
    export(store, "jsonl", what, buf)  # type: ignore[arg-type]
    return [tuple(sorted(json.loads(x).items())) for x in buf.getvalue().splitlines()]


def test_link_gdelt_export_counts_sources_and_dedupes(linked) -> None:  # type: ignore[no-untyped-def]
    store, _ = linked

    def rows(dedupe: bool) -> list[dict[str, str]]:
        buf = io.StringIO()
        export(store, "gdelt", "events", buf, ExportFilters(dedupe=dedupe))
        return list(csv.DictReader(io.StringIO(buf.getvalue()), delimiter="\t"))

    per_report, per_story = rows(False), rows(True)
    assert len(per_report) == int(store._query("SELECT count(*) FROM events")[0][0])
    assert len(per_story) == int(store._query("SELECT count(*) FROM story_events")[0][0]) < len(per_report)
    pledge = [r for r in per_report if r["plover_type"] == "AGREE" and r["Actor1CountryCode"] == "GBR"]
    assert len(pledge) == 2 and {r["story_event"] for r in pledge} == {pledge[0]["story_event"]}
    assert all(r["NumArticles"] == "2" and r["NumSources"] == "2" and r["sources"] == "2" for r in pledge)
    story = [r for r in per_story if r["story_event"] == pledge[0]["story_event"]]
    assert len(story) == 1 and story[0]["article_id"] == "paper-aid"  # the first report: published first


def test_link_counts_an_outlet_once(tmp_path: Path, records: list[Record]) -> None:
    """Two articles of one outlet reporting one event are two articles but one source."""
    import dataclasses

    aid = next(r for r in records if r.article.id == "paper-aid")
    again = dataclasses.replace(aid, article=dataclasses.replace(
        aid.article, id="paper-aid-update", url="https://paper.example/uk-aid-update",
        text=aid.article.text + "\n\nThis article was updated with reaction from Kyiv."))
    with SQLiteStore(str(tmp_path / "o.db")) as store:
        store.write([aid, again])
        link(store)
        (ev,) = [e for e in query.story_events(store) if e["type"] == "AGREE"]
        assert (ev["reports"], ev["articles"], ev["sources"]) == (2, 2, 1)


def test_link_after_ingest(tmp_path: Path) -> None:
    """`chronicle ingest --link` links what it stored; a second ingest links only the new article."""
    corpus = tmp_path / "a.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in ARTICLES[2:4]) + "\n", encoding="utf-8")
    more = tmp_path / "b.jsonl"
    more.write_text(json.dumps(ARTICLES[4]) + "\n", encoding="utf-8")
    db = str(tmp_path / "i.db")
    runner = CliRunner()
    out = runner.invoke(cli, ["ingest", str(corpus), "--db", db, "--link", "-q"])
    assert out.exit_code == 0, out.output
    assert "linked: 2 article(s) linked" in out.output
    out = runner.invoke(cli, ["ingest", str(more), "--db", db, "--link", "-q"])
    assert "linked: 1 article(s) linked" in out.output and "3 article(s) linked in all" in out.output
