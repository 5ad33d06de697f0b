"""The JSON API: every endpoint, pagination, the one error shape, read-only unless a token is
given, and a strict Content-Security-Policy on every response."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from chronicle.record import Record
from chronicle.store import open_store
from chronicle.web import create_app
from web_records import SCRIPT, linked_store, records

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("web") / "web.db")
    with open_store(db) as s:
        s.write(records())
    return db


@pytest.fixture(scope="module")
def client(web_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(web_db)) as c:
        yield c


@pytest.fixture(scope="module")
def linked_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The same records, two more reports of the shelling of Lumen (one a denial) and a copy, linked."""
    return linked_store(str(tmp_path_factory.mktemp("web") / "linked.db"))


@pytest.fixture(scope="module")
def linked(linked_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(linked_db)) as c:
        yield c


def canonical(c: TestClient, name: str) -> str:
    """The id of the canonical entity of this name (ids are hashes: found, not written down)."""
    (item,) = [x for x in ok(c, f"/api/canonical-entities?q={quote(name)}&limit=500")["items"] if x["name"] == name]
    return str(item["id"])


def ok(c: TestClient, url: str) -> dict:
    r = c.get(url)
    assert r.status_code == 200, (url, r.text)
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def is_error(r, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"ok", "error", "status"}, body
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    return body


# --- every endpoint ---------------------------------------------------------------------------

def test_api_index_lists_every_endpoint(client: TestClient) -> None:
    body = ok(client, "/api")
    paths = {e["path"] for e in body["endpoints"]}
    assert {"/api/articles", "/api/articles/{article_id}", "/api/search", "/api/entities/{name}",
            "/api/events/network", "/api/records", "/api/disputes", "/api/disputes/{dispute_id}", "/api/story-events",
            "/api/story-events/{story_id}", "/api/canonical-entities", "/api/canonical-entities/{canonical_id}",
            "/api/canonical-entities/{canonical_id}/timeline",
            "/api/canonical-entities/{canonical_id}/articles"} <= paths
    spec = ok(client, "/api/openapi.json")
    assert set(spec["paths"]) == paths


def test_api_stats_and_facets(client: TestClient) -> None:
    body = ok(client, "/api/stats")
    assert body["counts"]["articles"] == 3 and body["counts"]["events"] == 6
    f = body["facets"]
    assert "Test Wire" in f["sources"] and "ASSAULT" in f["event_types"] and "accuse" in f["stances"]
    assert {"RUR", "BOR", "GRA"} <= set(f["countries"])
    assert (f["first"], f["last"]) == ("2022-04-01", "2022-05-09")


def test_api_article_record_is_the_stored_record(client: TestClient) -> None:
    body = ok(client, "/api/articles/art-1")
    assert Record.from_dict(body) == records()[0]


@pytest.mark.parametrize(("query", "ids"), [
    ("", ["art-2", "art-1", "art-3"]),
    ("?source=Test+Wire", ["art-1"]),
    ("?from=2022-05-05", ["art-2"]),
    ("?to=2022-05-04", ["art-1", "art-3"]),
    ("?country=bor", ["art-2", "art-1"]),
    ("?entity=Tomas+Reed", ["art-1"]),
    ("?event_type=mobilize", ["art-2"]),
    ("?stance=deny", ["art-1"]),
    ("?stance=deny&event_type=MOBILIZE", []),
])
def test_api_articles_filters(client: TestClient, query: str, ids: list[str]) -> None:
    body = ok(client, "/api/articles" + query)
    assert [a["id"] for a in body["items"]] == ids
    assert body["total"] == len(ids)


def test_api_articles_count_facts(client: TestClient) -> None:
    (a,) = ok(client, "/api/articles?entity=Tomas+Reed")["items"]
    assert (a["n_entities"], a["n_statements"], a["n_events"], a["n_times"], a["n_places"], a["n_quantities"]) == \
        (6, 3, 3, 2, 2, 1)


@pytest.mark.parametrize(("kind", "q", "expect"), [
    ("articles", "shelling", ["art-1"]),
    ("articles", "Borduria", ["art-2", "art-1"]),
    ("statements", "Borduria", [("art-1", "s1"), ("art-1", "s3")]),
    ("statements", "patience", [("art-1", "s2")]),
    ("events", "troops", [("art-2", "v1")]),
    ("entities", "berg", ["Anna Berg"]),
])
def test_api_search_kinds(client: TestClient, kind: str, q: str, expect: list) -> None:
    body = ok(client, f"/api/search?q={q}&kind={kind}")
    if kind == "articles":
        got = sorted(h["id"] for h in body["items"])
        assert got == sorted(expect)
        assert all("[" in h["snippet"] for h in body["items"])
    elif kind == "entities":
        assert [e["name"] for e in body["items"]] == expect
    else:
        assert [(x["article_id"], x["id"]) for x in body["items"]] == expect


def test_api_search_filters_and_odd_queries(client: TestClient) -> None:
    assert ok(client, "/api/search?q=Borduria&source=Other+Post")["total"] == 1
    assert ok(client, "/api/search?q=Borduria&kind=statements&stance=deny")["total"] == 1
    assert ok(client, "/api/search?q=Borduria&kind=statements&stance=warn")["total"] == 0
    assert ok(client, '/api/search?q="unbalanced')["total"] == 0
    assert ok(client, "/api/search?q=Moscow-backed")["total"] == 0


def test_api_statements(client: TestClient) -> None:
    body = ok(client, "/api/statements")
    assert body["total"] == 5
    s = next(s for s in body["items"] if s["article_id"] == "art-1" and s["id"] == "s1")
    assert (s["speaker_name"], s["cue"], s["stance"], s["target"], s["target_entity"]) == \
        ("Anna Berg", "accused", "accuse", "Borduria", "e2")
    assert ok(client, "/api/statements?stance=warn")["items"][0]["addressee"] == "reporters"
    assert ok(client, "/api/statements?entity=Anna+Berg")["total"] == 3
    assert ok(client, "/api/statements?country=BOR")["total"] == 1
    assert ok(client, "/api/statements?statement_kind=direct")["total"] == 1


def test_api_events(client: TestClient) -> None:
    body = ok(client, "/api/events")
    assert body["total"] == 6
    v = next(v for v in body["items"] if v["type"] == "ASSAULT")
    assert (v["actor_name"], v["recipient"], v["status"], v["place"], v["trigger"], v["statement"]) == \
        ("Borduria", "Lumen", "claimed", "Lumen", "shelling", "s1")
    assert v["sentence"].startswith("Ruritania's President") and v["sentence"].endswith("Tuesday.")
    assert ok(client, "/api/events?event_type=AID")["items"][0]["recipient_name"] == "Ruritania"
    assert ok(client, "/api/events?country=GRA")["total"] == 2
    assert ok(client, "/api/events?status=claimed")["total"] == 1
    assert ok(client, "/api/events?entity=Anna+Berg")["total"] == 2
    assert ok(client, "/api/events?from=2022-05-04&to=2022-05-04")["total"] == 3  # and the one dated 2022-05


def test_api_events_timeline_network_places(client: TestClient) -> None:
    tl = ok(client, "/api/events/timeline")["items"]
    assert {"day": "2022-05-04", "type": "AID", "n": 1} in tl
    assert sum(x["n"] for x in tl) == 6
    net = ok(client, "/api/events/network")
    assert {"source": "Grand Alliance", "target": "Ruritania", "n": 1} in net["edges"]
    assert {n["id"] for n in net["nodes"]} >= {"Grand Alliance", "Ruritania", "Tomas Reed", "Anna Berg"}
    by_country = ok(client, "/api/events/network?by=country")
    assert {"source": "GRA", "target": "RUR", "n": 2} in by_country["edges"]
    places = ok(client, "/api/events/places")["items"]
    assert {p["name"] for p in places} == {"Lumen", "Vela", "Kessel"}
    assert ok(client, "/api/events/places?event_type=MOBILIZE")["items"] == [
        {"name": "Kessel", "country": "BO", "lat": 48.0, "lon": 37.8, "n": 1}]


def test_api_entities(client: TestClient) -> None:
    body = ok(client, "/api/entities")
    assert body["items"][0] == {"name": "Anna Berg", "articles": 2, "type": "PERSON", "country": "RUR",
                                "role": "GOV"}
    assert [e["name"] for e in ok(client, "/api/entities?role=IGO")["items"]] == ["Grand Alliance", "Tomas Reed"]
    assert ok(client, "/api/entities?q=ruri")["items"][0]["name"] == "Ruritania"


def test_api_entity_profile_and_lists(client: TestClient) -> None:
    p = ok(client, "/api/entities/Anna%20Berg")
    assert (p["articles"], p["mentions"], p["statements_by"], p["events_as_actor"], p["events_as_recipient"]) == \
        (2, 4, 3, 1, 1)
    assert {"text": "Berg", "kind": "name", "n": 2} in p["names"]
    m = ok(client, "/api/entities/Anna%20Berg/mentions")["items"]
    assert len(m) == 4 and all(x["before"] + x["text"] + x["after"] for x in m)
    first = next(x for x in m if x["kind"] == "title")
    assert first["before"] == "" and first["after"].startswith(" accused Borduria")
    assert ok(client, "/api/entities/Anna%20Berg/statements")["total"] == 3
    about = ok(client, "/api/entities/Borduria/statements?rel=about")["items"]
    assert [(s["article_id"], s["id"]) for s in about] == [("art-1", "s1")]
    assert [e["type"] for e in ok(client, "/api/entities/Anna%20Berg/events?rel=actor")["items"]] == ["THREATEN"]
    assert [e["type"] for e in ok(client, "/api/entities/Anna%20Berg/events?rel=recipient")["items"]] == ["CONSULT"]
    assert ok(client, "/api/entities/Anna%20Berg/events")["total"] == 2


def test_api_entity_names_with_slashes_and_markup(client: TestClient) -> None:
    p = ok(client, "/api/entities/" + quote(f"Evil {SCRIPT}", safe=""))
    assert p["name"] == f"Evil {SCRIPT}"
    assert ok(client, "/api/entities/" + quote(f"Evil {SCRIPT}", safe="") + "/mentions")["total"] == 1


def test_api_failures(client: TestClient) -> None:
    assert ok(client, "/api/failures") == {"ok": True, "items": []}


# --- across articles: what `chronicle link` found -------------------------------------------------

def _lumen(c: TestClient) -> dict:
    """The story event of the shelling of Lumen."""
    (ev,) = [e for e in ok(c, "/api/story-events?event_type=ASSAULT")["items"] if e["place"] == "Lumen"]
    return ev


def test_api_link_not_linked_answers_empty_lists(client: TestClient) -> None:
    for url in ("/api/disputes", "/api/disputes?across=true&entity=Anna+Berg", "/api/story-events",
                "/api/story-events?status=disputed", "/api/canonical-entities", "/api/canonical-entities?q=berg"):
        body = ok(client, url)
        assert (body["total"], body["items"], body["next"]) == (0, [], None), url
    assert ok(client, "/api/stats")["link"] is None
    for url in ("/api/story-events/x-0123", "/api/canonical-entities/c-0123", "/api/canonical-entities/c-0123/timeline",
                "/api/canonical-entities/c-0123/articles", "/api/disputes/d-0123"):
        assert "chronicle link" in is_error(client.get(url), 404)["error"]


def test_api_link_stats(linked: TestClient) -> None:
    counts = ok(linked, "/api/stats")["link"]
    assert counts["articles"] == 5 and counts["reports"] == 8
    assert counts["disputes"] == ok(linked, "/api/disputes")["total"] >= 2
    assert counts["disputes_across"] == ok(linked, "/api/disputes?across=true")["total"] >= 1
    assert counts["story_events"] == ok(linked, "/api/story-events")["total"]
    assert counts["entities"] == ok(linked, "/api/canonical-entities")["total"]


def test_api_disputes_claim_and_denial_side_by_side(linked: TestClient) -> None:
    body = ok(linked, "/api/disputes")
    pairs = {(d["a"]["article"], d["a"]["ref"], d["b"]["article"], d["b"]["ref"]): d for d in body["items"]}
    # Berg's accusation (art-1) and Borduria's denial (art-5, its own outlet)
    d = pairs[("art-1", "s1", "art-5", "s1")]
    a, b = d["a"], d["b"]
    assert a["text"] == "Ruritania's President Anna Berg accused Borduria of shelling the port of Lumen on Tuesday"
    assert (a["kind"], a["speaker"], a["canonical_name"]) == ("statement", "Ruritania's President Anna Berg",
                                                              "Anna Berg")
    assert (a["title"], a["source"], a["published"]) == ("Ruritania accuses Borduria over shelling of Lumen",
                                                         "Test Wire", "2022-05-04")
    assert b["text"].startswith("Borduria denied shelling the port of Lumen") and b["text"].endswith(SCRIPT)
    assert (b["speaker"], b["canonical_name"], b["published"]) == ("Borduria", "Borduria", "2022-05-05")
    assert b["source"] == f"<i>Bordurian Herald</i> {SCRIPT}"  # JSON carries the text as it is
    assert {"lumen", "port"} <= set(d["shared"]) and d["why"] and d["score"] > 0
    assert a["canonical"] == canonical(linked, "Anna Berg") and b["canonical"] == canonical(linked, "Borduria")
    # the spans are the article's own text
    text = ok(linked, "/api/articles/art-5")["article"]["text"]
    assert text[b["start"]:b["end"]] == b["text"]
    # the latest denial first
    dates = [x["b"]["published"] for x in body["items"]]
    assert dates == sorted(dates, reverse=True)
    assert ok(linked, f"/api/disputes/{d['id']}") == {"ok": True, **d}


def test_api_disputes_filters(linked: TestClient) -> None:
    every = ok(linked, "/api/disputes")["items"]
    across = ok(linked, "/api/disputes?across=true")["items"]
    assert across == [d for d in every if d["a"]["article"] != d["b"]["article"]]
    assert len(across) < len(every)  # one dispute lies in one article (art-4's report and its denial)
    of5 = ok(linked, "/api/disputes?article=art-5")["items"]
    assert of5 and of5 == [d for d in every if "art-5" in (d["a"]["article"], d["b"]["article"])]
    berg = canonical(linked, "Anna Berg")
    by_name, by_id = ok(linked, "/api/disputes?entity=Anna+Berg"), ok(linked, f"/api/disputes?entity={berg}")
    assert by_name == {**by_id, "next": by_name["next"]} and by_name["total"] >= 1
    assert ok(linked, "/api/disputes?entity=Nobody+Here")["total"] == 0
    assert ok(linked, "/api/disputes?article=no-such-article")["total"] == 0
    lumen = _lumen(linked)["id"]
    over = ok(linked, f"/api/disputes?story_event={lumen}")["items"]
    assert over and all("event" in (d["a"]["kind"], d["b"]["kind"]) for d in over)


def test_api_story_events_with_their_sources(linked: TestClient) -> None:
    ev = _lumen(linked)
    assert (ev["type"], ev["mode"], ev["status"], ev["date"]) == ("ASSAULT", "artillery", "disputed", "2022-05-03")
    assert (ev["reports"], ev["articles"], ev["sources"]) == (3, 3, 3)  # the copy is no source
    assert ev["actor_canonical"] == canonical(linked, "Borduria") and ev["actor_country"] == "BOR"
    one = ok(linked, f"/api/story-events/{ev['id']}")
    assert one["ok"] is True and {k: one[k] for k in ev} == ev
    assert one["statuses"] == {"claimed": 1, "asserted": 1, "denied": 1}
    reports = [(r["article_id"], r["event_id"], r["source"], r["status"], r["trigger"]) for r in one["reports_list"]]
    assert reports == [("art-1", "v1", "Test Wire", "claimed", "shelling"),
                       ("art-4", "v1", "Harbour Times", "asserted", "shelled"),
                       ("art-5", "v1", f"<i>Bordurian Herald</i> {SCRIPT}", "denied", "shelling")]
    assert one["copies"] == [{"of": "art-4", "id": "art-4-copy", "source": f"Mirror {SCRIPT}",
                              "url": "https://mirror.example/lumen-shelled"}]


@pytest.mark.parametrize(("query", "lumen", "check"), [
    ("status=disputed", True, lambda e: e["status"] == "disputed"),
    ("status=denied", True, lambda e: True),
    ("min_articles=2", True, lambda e: e["articles"] >= 2),
    ("event_type=aid", False, lambda e: e["type"] == "AID"),
    ("country=bor", True, lambda e: "BOR" in (e["actor_country"], e["recipient_country"])),
    ("entity=Borduria", True, lambda e: e["actor"] == "Borduria" or e["recipient"] == "Borduria"),
    ("entity=Anna+Berg", False, lambda e: "Anna Berg" in (e["actor"], e["recipient"])),
    ("source=Harbour+Times", True, lambda e: True),
    ("source=Other+Post", False, lambda e: e["type"] in ("MOBILIZE", "THREATEN")),
    ("from=2022-05-04", False, lambda e: (e["date"] or "") >= "2022-05"),
    ("to=2022-05-03", True, lambda e: (e["date"] or "") <= "2022-05-03"),
    ("entity=Nobody+Here", False, lambda e: False),
])
def test_api_story_events_filters(linked: TestClient, query: str, lumen: bool, check) -> None:  # type: ignore[no-untyped-def]
    body = ok(linked, "/api/story-events?" + query)
    assert body["total"] == len(body["items"])
    assert all(check(e) for e in body["items"]), body["items"]
    assert (_lumen(linked)["id"] in {e["id"] for e in body["items"]}) == lumen


def test_api_canonical_entities(linked: TestClient) -> None:
    body = ok(linked, "/api/canonical-entities")
    first = body["items"][0]
    assert (first["name"], first["type"], first["country"], first["role"], first["articles"]) == \
        ("Anna Berg", "PERSON", "RUR", "GOV", 4)
    assert first["names"] == {"Anna Berg": 4, "Berg": 2}
    counts = [e["articles"] for e in body["items"]]
    assert counts == sorted(counts, reverse=True)
    assert [e["name"] for e in ok(linked, "/api/canonical-entities?q=BERG")["items"]] == ["Anna Berg"]
    assert {e["country"] for e in ok(linked, "/api/canonical-entities?country=bor")["items"]} == {"BOR"}
    assert {e["type"] for e in ok(linked, "/api/canonical-entities?entity_type=person")["items"]} == {"PERSON"}
    assert all(e["articles"] >= 3 for e in ok(linked, "/api/canonical-entities?min_articles=3")["items"])


def test_api_canonical_entity_timeline_and_articles(linked: TestClient) -> None:
    berg = canonical(linked, "Anna Berg")
    c = ok(linked, f"/api/canonical-entities/{berg}")
    assert (c["name"], c["articles"], c["mentions"]) == ("Anna Berg", 4, 6)
    assert (c["n_story_events"], c["n_statements"]) == (2, 4)  # THREATEN, CONSULT; s1, s2 (art-1), s1 (art-2, art-4)
    assert c["n_disputes"] == ok(linked, f"/api/disputes?entity={berg}")["total"]
    tl = ok(linked, f"/api/canonical-entities/{berg}/timeline")
    assert tl["total"] == 6 and len(tl["items"]) == 6
    kinds = sorted((i["kind"], i.get("type") or i.get("stance")) for i in tl["items"])
    assert kinds == [("event", "CONSULT"), ("event", "THREATEN"), ("statement", "accuse"), ("statement", "assert"),
                     ("statement", "threaten"), ("statement", "warn")]
    dates = [i["date"] or i["first"] for i in tl["items"]]
    assert dates == sorted(dates)  # oldest first
    consult = next(i for i in tl["items"] if i.get("type") == "CONSULT")
    assert (consult["role"], consult["actor"], consult["sources"]) == ("recipient", "Tomas Reed", 1)
    said = next(i for i in tl["items"] if i.get("stance") == "accuse")
    assert (said["article"], said["statement"], said["source"]) == ("art-1", "s1", "Test Wire")
    arts = ok(linked, f"/api/canonical-entities/{berg}/articles")
    assert [a["article_id"] for a in arts["items"]] == ["art-2", "art-5", "art-1", "art-4"]  # the latest first
    assert arts["total"] == 4 and all(a["entities"] for a in arts["items"])


# --- pagination -------------------------------------------------------------------------------

PAGED = ["/api/articles", "/api/statements", "/api/events", "/api/entities", "/api/search?q=Borduria+OR+Berg",
         "/api/search?q=Borduria&kind=statements", "/api/search?q=Ruritania&kind=events",
         "/api/search?q=r&kind=entities", "/api/articles?country=RUR", "/api/events?entity=Anna+Berg",
         "/api/entities/Anna%20Berg/mentions", "/api/entities/Anna%20Berg/statements",
         "/api/entities/Anna%20Berg/events"]


# on the linked store; {berg} is Anna Berg's canonical id
PAGED_LINKED = ["/api/disputes", "/api/disputes?across=true", "/api/disputes?entity=Anna+Berg", "/api/story-events",
                "/api/story-events?country=RUR", "/api/canonical-entities", "/api/canonical-entities?min_articles=2",
                "/api/canonical-entities/{berg}/timeline", "/api/canonical-entities/{berg}/articles"]


@pytest.mark.parametrize("url", PAGED)
def test_api_pagination_walks_every_item_once(client: TestClient, url: str) -> None:
    walk(client, url)


@pytest.mark.parametrize("url", PAGED_LINKED)
def test_api_pagination_walks_every_item_once_linked(linked: TestClient, url: str) -> None:
    walk(linked, url.replace("{berg}", canonical(linked, "Anna Berg")))


def walk(client: TestClient, url: str) -> None:
    everything = ok(client, url + ("&" if "?" in url else "?") + "limit=500")
    total = everything["total"]
    assert total >= 2 and everything["next"] is None
    seen = []
    page = ok(client, url + ("&" if "?" in url else "?") + "limit=1")
    while True:
        assert page["limit"] == 1 and page["total"] == total and len(page["items"]) == 1
        seen.append(json.dumps(page["items"][0], sort_keys=True))
        if page["next"] is None:
            break
        page = ok(client, page["next"].replace("http://testserver", ""))
    assert len(seen) == total == len(set(seen))
    assert seen == [json.dumps(x, sort_keys=True) for x in everything["items"]]
    beyond = ok(client, url + ("&" if "?" in url else "?") + f"offset={total + 5}")
    assert beyond["items"] == [] and beyond["next"] is None


def test_every_paginated_endpoint_is_walked(client: TestClient) -> None:
    """Each endpoint that takes ``offset`` (and each ``kind`` of the search) is in PAGED above."""
    spec = ok(client, "/api/openapi.json")
    paged = {p for p, ops in spec["paths"].items()
             if any(q["name"] == "offset" for q in ops.get("get", {}).get("parameters", []))}
    walked = {re.sub(r"^/api/entities/[^/?]+", "/api/entities/{name}", u.split("?")[0]) for u in PAGED}
    walked |= {u.split("?")[0].replace("{berg}", "{canonical_id}") for u in PAGED_LINKED}
    walked = {"/api/articles/{article_id}" if w == "/api/articles/{name}" else w for w in walked}
    assert paged and paged <= walked, paged - walked
    kinds = {m.group(1) for u in PAGED if (m := re.search(r"kind=(\w+)", u))}
    assert kinds | {"articles"} == {"articles", "statements", "events", "entities"}


# --- one error shape --------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "url", "status"), [
    ("GET", "/api/nothing", 404),
    ("GET", "/api/articles/no-such-article", 404),
    ("GET", "/api/entities/Nobody%20Here", 404),
    ("GET", "/api/entities/Nobody%20Here/mentions", 404),
    ("GET", "/api/entities/Nobody%20Here/statements", 404),
    ("GET", "/api/entities/Nobody%20Here/events", 404),
    ("GET", "/api/articles?limit=0", 400),
    ("GET", "/api/articles?limit=501", 400),
    ("GET", "/api/articles?offset=-1", 400),
    ("GET", "/api/articles?limit=ten", 400),
    ("GET", "/api/articles?from=yesterday", 400),
    ("GET", "/api/events?to=2022-13", 400),
    ("GET", "/api/events?from=2022-02-30", 400),
    ("GET", "/api/search", 400),
    ("GET", "/api/search?q=x&kind=people", 400),
    ("GET", "/api/events/network?by=planet", 400),
    ("GET", "/api/entities/Anna%20Berg/statements?rel=near", 400),
    ("GET", "/api/entities/Anna%20Berg/events?rel=near", 400),
    ("GET", "/api/disputes/d-0000", 404),
    ("GET", "/api/story-events/x-0000", 404),
    ("GET", "/api/canonical-entities/c-0000", 404),
    ("GET", "/api/canonical-entities/c-0000/timeline", 404),
    ("GET", "/api/canonical-entities/c-0000/articles", 404),
    ("GET", "/api/disputes?across=perhaps", 400),
    ("GET", "/api/disputes?limit=501", 400),
    ("GET", "/api/story-events?from=2022-02-30", 400),
    ("GET", "/api/story-events?min_articles=0", 400),
    ("GET", "/api/canonical-entities?min_articles=none", 400),
    ("GET", "/api/canonical-entities?offset=-1", 400),
    ("DELETE", "/api/disputes", 405),
    ("DELETE", "/api/articles/art-1", 405),
    ("POST", "/api/articles", 405),
    ("POST", "/api/records", 403),
])
def test_api_errors_have_one_shape(client: TestClient, linked: TestClient, method: str, url: str,
                                   status: int) -> None:
    is_error(client.request(method, url, json={}), status)
    is_error(linked.request(method, url, json={}), status)  # the same on a linked store


def test_api_server_errors_have_one_shape(web_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store that fails (a damaged or vanished database) answers 503, anything unexpected 500:
    the one shape, one line, no traceback; a page answers with an error page."""
    from chronicle.errors import StoreError
    from chronicle.store import Store

    def damaged(*args: object, **kw: object) -> None:
        raise StoreError(f"{web_db}: not a chronicle database (file is not SQLite or is damaged)")

    def broken(*args: object, **kw: object) -> None:
        raise KeyError("surprise")

    with TestClient(create_app(web_db, warm=False), raise_server_exceptions=False) as c:
        monkeypatch.setattr(Store, "list_events", damaged)
        body = is_error(c.get("/api/events"), 503)
        assert "damaged" in body["error"] and "\n" not in body["error"]
        r = c.get("/events")
        assert r.status_code == 503 and r.headers["content-type"].startswith("text/html") and "damaged" in r.text
        monkeypatch.setattr(Store, "entity_profile", broken)
        body = is_error(c.get("/api/entities/Anna%20Berg"), 500)
        assert body["error"] == "internal error (KeyError); see the server's log"
        assert "surprise" not in body["error"] and "Traceback" not in c.get("/entities/Anna%20Berg").text


def test_api_id_prefixes(client: TestClient) -> None:
    assert ok(client, "/api/articles/art-2")["article"]["id"] == "art-2"
    is_error(client.get("/api/articles/art"), 400)  # an ambiguous prefix: the store's own message



# --- writes need the token --------------------------------------------------------------------

def _new_record(aid: str) -> dict:
    rec = records()[1].to_dict()
    rec["article"] = {**rec["article"], "id": aid, "text": rec["article"]["text"] + f" ({aid})"}
    return rec


def test_api_is_read_only_without_a_token(client: TestClient) -> None:
    body = is_error(client.post("/api/records", json=_new_record("w1"),
                                headers={"Authorization": f"Bearer {TOKEN}"}), 403)
    assert "--token" in body["error"]


def test_api_writes_need_the_right_token(web_db: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(web_db, token=TOKEN)) as c:
        is_error(c.post("/api/records", json=_new_record("w1")), 401)
        is_error(c.post("/api/records", json=_new_record("w1"), headers={"Authorization": "Bearer wrong"}), 401)
        is_error(c.post("/api/records", json={"article": {"id": "x"}},
                        headers={"Authorization": f"Bearer {TOKEN}"}), 400)
        bad = _new_record("w2")
        bad["times"] = [{"id": "t1", "text": "x", "start": 0, "end": 10_000, "value": None}]
        is_error(c.post("/api/records", json=bad, headers={"Authorization": f"Bearer {TOKEN}"}), 400)
        before = ok(c, "/api/articles")["total"]
        r = c.post("/api/records", json=[_new_record("w1"), _new_record("w1")],
                   headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200 and r.json() == {"ok": True, "stored": 1, "skipped": 1}
        assert ok(c, "/api/articles/w1")["article"]["id"] == "w1"
        assert ok(c, "/api/articles")["total"] == before + 1  # cached lists see the write


def test_api_sees_articles_stored_by_another_process(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "grow.db")
    with open_store(db) as s:
        s.write(records()[:1])
    with TestClient(create_app(db)) as c:
        assert ok(c, "/api/entities?q=army")["total"] == 0
        assert ok(c, "/api/stats")["counts"]["articles"] == 1
        with open_store(db) as s:  # `chronicle ingest` while the server runs
            s.write(records()[1:2])
        assert ok(c, "/api/entities?q=army")["total"] == 1
        assert ok(c, "/api/stats")["counts"]["articles"] == 2


def test_api_sees_a_link_run_beside_the_server(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from chronicle.link import link
    from web_records import link_records

    db = str(tmp_path / "grow.db")
    with open_store(db) as s:
        s.write(records() + link_records()[:1])
    with TestClient(create_app(db)) as c:
        assert ok(c, "/api/canonical-entities")["total"] == 0 and ok(c, "/api/stats")["link"] is None
        with open_store(db) as s:  # `chronicle link` while the server runs
            link(s)
        berg = canonical(c, "Anna Berg")
        assert ok(c, f"/api/canonical-entities/{berg}")["articles"] == 3
        before = ok(c, "/api/stats")["link"]
        assert before["articles"] == 4 and ok(c, "/api/disputes")["total"] == before["disputes"]
        with open_store(db) as s:  # the denial arrives, and is linked
            s.write(link_records()[1:])
        assert ok(c, f"/api/canonical-entities/{berg}")["articles"] == 3  # not linked yet
        with open_store(db) as s:
            link(s)
        assert ok(c, f"/api/canonical-entities/{berg}")["articles"] == 4
        assert ok(c, "/api/stats")["link"]["articles"] == 5
        assert ok(c, "/api/disputes")["total"] > before["disputes"]  # Borduria's denial disputes the reports
        assert c.get(f"/canonical-entities/{berg}").text.count('class="dispute"') >= 1


# --- safety -----------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/articles", "/articles/art-1", "/api/stats", "/api/nothing", "/nothing",
                                 "/static/app.css", "/assets/world.svg", "/disputes", "/story-events",
                                 "/canonical-entities", "/api/disputes"])
def test_every_response_has_a_strict_csp(client: TestClient, url: str) -> None:
    r = client.get(url)
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_no_swagger_ui_from_a_cdn(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "/api/articles/{article_id}" in docs.text
    assert "cdn" not in docs.text.lower()


def test_store_counts_can_stop_at_a_cap(web_db: str) -> None:
    with open_store(web_db, readonly=True) as s:
        full = s.list_statements()
        capped = s.list_statements(cap=2)
        assert full.total >= 5 and not full.capped
        assert (capped.total, capped.capped) == (2, True) and capped.items == full.items
        assert s.list_events(cap=100).total == s.list_events().total and not s.list_events(cap=100).capped
        assert s.list_entities(cap=3).capped


def test_search_page_tabs_show_counts(client: TestClient) -> None:
    html = client.get("/search?q=Borduria").text
    assert re.search(r'data-kind="statements">Statements <span class="n">2</span>', html)


def test_a_local_server_answers_only_for_local_names(web_db: str) -> None:
    app = create_app(web_db, allowed_hosts=["127.0.0.1", "localhost", "testserver"])
    with TestClient(app) as c:
        assert ok(c, "/api/stats")["ok"] is True
        assert c.get("/api/stats", headers={"host": "localhost:8000"}).status_code == 200
        body = is_error(c.get("/api/stats", headers={"host": "evil.example"}), 400)
        assert "evil.example" in body["error"]
        r = c.get("/", headers={"host": "evil.example:8000"})
        assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")


def test_every_endpoint_in_the_openapi_errors_with_one_shape(client: TestClient) -> None:
    """Every endpoint the API describes, asked something it cannot answer, answers in the one shape."""
    spec = ok(client, "/api/openapi.json")
    checked = 0
    for path, ops in spec["paths"].items():
        url = path.replace("{article_id}", "no-such-article").replace("{name}", "Nobody%20Here")
        for param in ("{dispute_id}", "{story_id}", "{canonical_id}"):
            url = url.replace(param, "no-such-id")
        for method, op in ops.items():
            names = {p["name"] for p in op.get("parameters", [])}
            if method == "post":
                r = client.post(url, json={})
            elif "{" in path:
                r = client.get(url)  # an unknown article or entity
            elif names & {"limit", "from"}:
                r = client.get(url + "?limit=0&from=someday")
            else:
                r = client.post(url, json={})  # a read-only endpoint asked to write
            assert r.status_code >= 400, (method, url)
            is_error(r, r.status_code)
            checked += 1
    assert checked == sum(len(ops) for ops in spec["paths"].values()) >= 25


def test_chronicle_serve_runs_the_app(web_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from click.testing import CliRunner

    from chronicle.cli import cli

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    res = CliRunner().invoke(cli, ["serve", "--db", web_db, "--port", "8123", "--token", "t0k"])
    assert res.exit_code == 0, res.output
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8123)
    assert seen["app"].state.token == "t0k" and seen["app"].state.db == web_db
    res = CliRunner().invoke(cli, ["serve", "--db", web_db + ".missing"])
    assert res.exit_code != 0 and "no database at" in str(res.exception or res.output)
