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
from web_records import records


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = str(tmp_path_factory.mktemp("pages") / "pages.db")
    with open_store(db) as s:
        s.write(records())
    with TestClient(create_app(db)) as c:
        yield c


PAGES = ["/", "/articles", "/articles?source=Test+Wire", "/articles/art-1", "/articles/art-2", "/articles/art-3",
         "/search", "/search?q=Borduria", "/search?q=Borduria&kind=statements", "/search?q=troops&kind=events",
         "/search?q=berg&kind=entities", "/search?kind=events&event_type=ASSAULT", "/entities", "/entities?role=GOV",
         "/entities/Anna%20Berg", "/entities/Borduria", "/events", "/events?by=country", "/events?event_type=AID",
         "/api/docs"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    # one script and one stylesheet, both ours; no inline script, no inline style, no other host
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']
    assert "style=" not in html and "<style" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


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
