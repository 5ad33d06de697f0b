"""The HTML pages, without a browser: each renders, every string from an article is escaped,
pages take no script or style from anywhere but /static, and the reader's highlights cover
exactly the spans of the record."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from chronicle.store import open_store
from chronicle.web import create_app
from chronicle.web.highlight import facts_of, segments
from web_records import linked_store, records


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = str(tmp_path_factory.mktemp("pages") / "pages.db")
    with open_store(db) as s:
        s.write(records())
    with TestClient(create_app(db)) as c:
        yield c


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = linked_store(str(tmp_path_factory.mktemp("pages") / "linked.db"))
    with TestClient(create_app(db)) as c:
        yield c


def _id(c: TestClient, url: str, **match: str) -> str:
    """The id of the first item an API list answers whose fields match."""
    items = c.get(url + ("&" if "?" in url else "?") + "limit=500").json()["items"]
    return str(next(i for i in items if all(i[k] == v for k, v in match.items()))["id"])


PAGES = ["/", "/articles", "/articles?source=Test+Wire", "/articles/art-1", "/articles/art-2", "/articles/art-3",
         "/search", "/search?q=Borduria", "/search?q=Borduria&kind=statements", "/search?q=troops&kind=events",
         "/search?q=berg&kind=entities", "/search?kind=events&event_type=ASSAULT", "/entities", "/entities?role=GOV",
         "/entities/Anna%20Berg", "/entities/Borduria", "/events", "/events?by=country", "/events?event_type=AID",
         "/api/docs", "/disputes", "/story-events", "/canonical-entities"]
LINKED_PAGES = ["/", "/disputes", "/disputes?across=true&entity=Anna+Berg", "/disputes?article=art-5", "/story-events",
                "/story-events?status=disputed&min_articles=2", "/story-events?source=Harbour+Times&event_type=ASSAULT",
                "/story-events/{lumen}", "/canonical-entities", "/canonical-entities?q=berg&entity_type=PERSON",
                "/canonical-entities/{berg}", "/canonical-entities/{berg}?offset=2&aoffset=1", "/articles/art-1",
                "/articles/art-4", "/articles/art-5", "/entities", "/entities/Anna%20Berg", "/events"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render(client: TestClient, url: str) -> None:
    _renders(client, url)


@pytest.mark.parametrize("url", LINKED_PAGES)
def test_pages_render_linked(linked: TestClient, url: str) -> None:
    url = url.replace("{berg}", _id(linked, "/api/canonical-entities", name="Anna Berg"))
    html = _renders(linked, url.replace("{lumen}", _id(linked, "/api/story-events", place="Lumen")))
    assert "<script>alert" not in html and "<b>shelling" not in html and "<i>Bordurian" not in html


def _renders(client: TestClient, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    # one script and one stylesheet, both ours; no inline script, no inline style, no other host
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']
    assert "style=" not in html and "<style" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    return html


@pytest.mark.parametrize("url", ["/articles/art-3", "/search?q=leaflet", "/search?q=leaflet&kind=statements",
                                 "/search?q=leaflet&kind=events", "/events", "/articles", "/entities",
                                 "/entities/" + "Evil%20%3Cscript%3Ealert('x')%3C%2Fscript%3E"])
def test_markup_in_articles_is_escaped(client: TestClient, url: str) -> None:
    html = client.get(url).text
    assert "<script>alert" not in html and "<b>leaflet" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(" in html


def test_reader_highlights_cover_the_spans(client: TestClient) -> None:
    rec = records()[0]
    facts = facts_of(rec)
    segs = segments(rec.article.text, facts)
    assert "".join(s.text for s in segs) == rec.article.text
    covered = {k for s in segs for k in s.keys}
    assert covered == {f.key for f in facts}
    html = client.get("/articles/art-1").text
    for key in ("ent-e1", "stm-s1", "evt-v1", "tim-t1", "plc-p1", "qty-q1"):
        assert f'id="d-{key}"' in html and f'id="{key}"' in html
    assert 'data-k="stm-s1 evt-v1"' in html or 'data-k="evt-v1 stm-s1"' in html  # "shelling" is in both


def test_reader_redirects_an_id_prefix(client: TestClient) -> None:
    r = client.get("/articles/art-2", follow_redirects=False)
    assert r.status_code == 200
    assert client.get("/articles/art", follow_redirects=False).status_code == 400  # ambiguous


def test_html_errors_are_pages(client: TestClient) -> None:
    r = client.get("/articles/nothing-here")
    assert r.status_code == 404 and "no article" in r.text and r.headers["content-type"].startswith("text/html")
    assert client.get("/events?from=nonsense").status_code == 400


def test_world_map_is_served_from_the_installed_package(client: TestClient) -> None:
    r = client.get("/assets/world.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    from chronicle.web.charts import atlas_path

    if atlas_path() is not None:
        assert r.text.count("<path") > 100  # country outlines from world-atlas


def test_warm_up_fills_what_the_first_pages_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import threading

    db = str(tmp_path / "warm.db")
    with open_store(db) as s:
        s.write(records())
    app = create_app(db)
    with TestClient(app) as c:
        for t in threading.enumerate():
            if t.name == "chronicle-warm-up":
                t.join(30)
        cache = app.state.cache
        misses = cache.misses
        for url in ("/", "/events", "/entities/Anna%20Berg", "/entities"):
            assert c.get(url).status_code == 200
        assert cache.misses == misses  # every query those pages ran was ready


# --- across articles ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/disputes", "/story-events", "/canonical-entities"])
def test_pages_say_when_the_store_is_not_linked(client: TestClient, url: str) -> None:
    html = client.get(url).text
    assert "not been linked" in html and "chronicle link --db" in html
    assert 'class="dispute"' not in html and 'href="/story-events/x-' not in html
    assert 'href="/canonical-entities/c-' not in html and "no " in html  # "no disputes", "no story events", ...
    assert "chronicle link" in client.get("/").text and "chronicle link" in client.get("/articles/art-1").text


def test_disputes_page_shows_claim_and_denial_side_by_side(linked: TestClient) -> None:
    html = linked.get("/disputes?article=art-5").text
    cards = re.findall(r'<article class="dispute" id="(d-[0-9a-f]+)">(.*?)</article>', html, re.S)
    api = linked.get("/api/disputes?article=art-5").json()["items"]
    assert [c[0] for c in cards] == [d["id"] for d in api] and len(cards) >= 2
    did = next(d["id"] for d in api if (d["a"]["article"], d["a"]["ref"]) == ("art-1", "s1"))
    card = dict(cards)[did]
    claim, denial = card.split('<div class="side side-b">')
    assert "Anna Berg accused Borduria of shelling the port of Lumen on Tuesday" in claim
    assert f'href="/articles/art-1#dsp-{did}-a"' in claim and "Test Wire · 2022-05-04" in claim
    assert "/canonical-entities/" in claim and "Ruritania accuses Borduria over shelling of Lumen" in claim
    assert "Borduria denied shelling the port of Lumen" in denial and f'href="/articles/art-5#dsp-{did}-b"' in denial
    assert "&lt;script&gt;alert(" in denial and "&lt;i&gt;Bordurian Herald&lt;/i&gt;" in denial  # escaped
    assert "shared words" in card and "lumen" in card
    # across articles only: the dispute inside art-4 is left out
    assert linked.get("/disputes?across=true").text.count('class="dispute"') == \
        linked.get("/api/disputes?across=true").json()["total"] < linked.get("/api/disputes").json()["total"]


def test_story_event_page(linked: TestClient) -> None:
    lumen = _id(linked, "/api/story-events", place="Lumen")
    html = linked.get(f"/story-events/{lumen}").text
    assert re.search(r"<strong>3</strong> reports.*<strong>3</strong> articles.*<strong>3</strong> independent sources",
                     html, re.S)
    assert 'class="status s-disputed">disputed<' in html
    rows = re.findall(r'<a href="/articles/([^"#]+)#evt-(v\d+)">', html)
    assert rows == [("art-1", "v1"), ("art-4", "v1"), ("art-5", "v1")]
    assert "https://mirror.example/lumen-shelled" in html and "Mirror &lt;script&gt;" in html  # the copy
    bord = _id(linked, "/api/canonical-entities", name="Borduria")
    assert f'href="/canonical-entities/{bord}">Borduria</a>' in html
    assert 'id="disputes"' in html  # the disputes over its reports
    assert linked.get("/story-events/x-nothing").status_code == 404


def test_story_events_list_links_each_event(linked: TestClient) -> None:
    html = linked.get("/story-events?min_articles=2").text
    lumen = _id(linked, "/api/story-events", place="Lumen")
    assert f'href="/story-events/{lumen}"' in html and html.count('href="/story-events/x-') == 2  # date and type
    assert "1–1 of 1 story events" in html
    # the explorer offers the same filters, one line per story event
    assert 'href="/story-events?event_type=ASSAULT"' in linked.get("/events?event_type=ASSAULT").text


def test_canonical_entity_page(linked: TestClient) -> None:
    berg = _id(linked, "/api/canonical-entities", name="Anna Berg")
    html = linked.get(f"/canonical-entities/{berg}").text
    assert "Anna Berg" in html and "<strong>4</strong> articles" in html and "“Berg”" in html
    timeline = html.split('id="timeline"')[1].split('id="disputes"')[0]
    assert timeline.count("<tr class=\"tl-event\">") == 2 and timeline.count("<tr class=\"tl-statement\">") == 4
    assert 'href="/articles/art-1#stm-s1"' in timeline and "/story-events/x-" in timeline
    assert html.split('id="disputes"')[1].count('class="dispute"') == linked.get(
        f"/api/disputes?entity={berg}").json()["total"]
    # the name-based entity page says which canonical entity the name is
    assert f'href="/canonical-entities/{berg}">Anna Berg</a>' in linked.get("/entities/Anna%20Berg").text
    assert 'href="/canonical-entities"' in linked.get("/entities").text
    assert linked.get("/canonical-entities/c-nothing").status_code == 404


def test_reader_links_events_entities_and_disputes(linked: TestClient) -> None:
    html = linked.get("/articles/art-4").text
    lumen = _id(linked, "/api/story-events", place="Lumen")
    assert f'<a class="to-story" href="/story-events/{lumen}"' in html
    assert "reported by 3 articles / 3 sources" in html
    berg = _id(linked, "/api/canonical-entities", name="Anna Berg")
    assert f'class="to-canonical" href="/canonical-entities/{berg}"' in html
    # each side of a dispute in this article is highlighted and has its detail, with the other side
    disputes = linked.get("/api/disputes?article=art-4").json()["items"]
    assert disputes
    for d in disputes:
        for side in "ab":
            if d[side]["article"] == "art-4":
                key = f"dsp-{d['id']}-{side}"
                assert f'id="d-{key}"' in html and f'id="{key}"' in html
                assert any(key in keys.split() for keys in re.findall(r'data-k="([^"]+)"', html))
    assert 'id="disputes"' in html and 'data-layer="dsp"' in html
    # a reader without disputes has no such layer
    assert 'data-layer="dsp"' not in linked.get("/articles/art-2").text


def test_warm_up_fills_what_the_first_linked_pages_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import threading

    app = create_app(linked_store(str(tmp_path / "warm.db")))
    with TestClient(app) as c:
        for t in threading.enumerate():
            if t.name == "chronicle-warm-up":
                t.join(30)
        cache = app.state.cache
        berg = _id(c, "/api/canonical-entities", name="Anna Berg")  # the most reported
        kept, misses = len(cache._data), cache.misses
        for url in ("/", "/disputes", "/story-events", "/canonical-entities", f"/canonical-entities/{berg}"):
            assert c.get(url).status_code == 200
        assert (len(cache._data), cache.misses) == (kept, misses)  # every query those pages ran was ready
