"""The web UI in a real browser: Debian's Chromium, headless, driven by Playwright (never
``playwright install``). Opens the reader, search, an entity page, the events explorer, the
disputes, a story event and a canonical entity on the demo database (linked, as ``chronicle
demo`` links it) and on hand-made records with every kind of fact, clicks highlights, applies
filters, checks what is shown, and saves screenshots under artifacts/screenshots/.

Skips, saying why, only when Chromium cannot start (not installed: ``.ci/run`` installs it).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from chronicle.link import link
from chronicle.runner import ingest_paths
from chronicle.store import open_store
from chronicle.web import create_app
from web_records import SCRIPT, linked_store, records

CHROMIUM = os.environ.get("CHRONICLE_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
# what a headless Chromium needs here: no sandbox as root, and no background calls home
# (this machine's network is closed; they would only fail)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions"]

pytestmark = pytest.mark.slow


# --- servers and the browser ------------------------------------------------------------------

class LiveServer:
    """``chronicle serve`` in a thread, on a free port of the loopback address."""

    def __init__(self, db: str) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        app = create_app(db, allowed_hosts=["127.0.0.1", "localhost"])
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (it is in the dev extra: make setup)")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium cannot start: no {CHROMIUM} (apt-get install chromium; .ci/run does)")
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
    except Error as e:
        pw.stop()
        pytest.skip(f"Chromium cannot start: {str(e).splitlines()[0]}")
    yield b
    b.close()
    pw.stop()


@pytest.fixture(scope="module")
def full_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("browser") / "full.db")
    with open_store(db) as s:
        s.write(records())
    srv = LiveServer(db)
    yield srv.url
    srv.stop()


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory, extractor) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The demo database, built as ``chronicle demo`` builds it (ingested, then linked)."""
    db = str(tmp_path_factory.mktemp("browser") / "demo.db")
    corpus = resources.files("chronicle.demo") / "articles.jsonl"
    with resources.as_file(corpus) as path, open_store(db) as s:
        ingest_paths([str(path)], s, extractor=extractor)
        link(s)
    srv = LiveServer(db)
    yield srv.url
    srv.stop()


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Hand-made records with two more reports of one shelling, one of them a denial in markup, linked."""
    srv = LiveServer(linked_store(str(tmp_path_factory.mktemp("browser") / "linked.db")))
    yield srv.url
    srv.stop()


def api(page: Any, base: str, url: str) -> Any:
    """What the JSON API answers (the page's own server, through the browser)."""
    r = page.request.get(base + url)
    assert r.ok, (url, r.status)
    return r.json()


class Guard:
    """Fails the test on anything a page should never do: a request to another host, a
    script dialog (an injected alert), a CSP violation or a script error."""

    def __init__(self, page: Any, base: str) -> None:
        self.problems: list[str] = []
        page.on("request", lambda r: r.url.startswith((base, "data:")) or self.problems.append(f"request {r.url}"))
        page.on("dialog", lambda d: (self.problems.append(f"dialog {d.message}"), d.dismiss()))
        page.on("pageerror", lambda e: self.problems.append(f"page error {e}"))
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console {m.text}"))

    def check(self) -> None:
        assert self.problems == []


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1360, "height": 900})
    p = ctx.new_page()
    p.set_default_timeout(10_000)
    yield p
    ctx.close()


def shot(page: Any, name: str, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


# --- the demo database ----------------------------------------------------------------------

def test_browser_demo_reader(page: Any, demo_site: str) -> None:
    guard = Guard(page, demo_site)
    page.goto(demo_site + "/articles")
    page.locator("table.articles tbody tr a").first.click()
    page.wait_for_url(re.compile(r"/articles/[^/]+$"))
    title = page.locator("h1").inner_text()
    assert title and title != "(no title)"
    ents = page.locator("#text .hl.l-ent")
    assert ents.count() > 3
    first = ents.first
    label = first.get_attribute("title")
    keys = first.get_attribute("data-k").split()  # every fact covering that spot
    first.click()
    shown = page.locator("#detail .detail:not([hidden])")
    assert shown.count() == len(keys)
    assert label.split(" · ")[0] in shown.first.inner_text()
    assert page.locator("#text .hl.sel").count() >= 1
    assert page.locator(".fact-list li.fact.active").count() == len(keys)
    shot(page, "demo-reader")
    # switch the entities layer off and on
    page.locator("input[data-layer=ent]").uncheck()
    assert "hide-ent" in page.locator("#text").get_attribute("class")
    page.locator("input[data-layer=ent]").check()
    assert "hide-ent" not in page.locator("#text").get_attribute("class")
    # the side list links to the entity page
    page.locator(".fl-ent a.to-entity").first.click()
    page.wait_for_url(re.compile(r"/entities/"))
    assert page.locator("h1.entity-name").is_visible()
    guard.check()


def test_browser_demo_search_and_filter(page: Any, demo_site: str) -> None:
    guard = Guard(page, demo_site)
    page.goto(demo_site + "/")
    page.fill("header input[name=q]", "Mariupol")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=Mariupol"))
    hits = page.locator("li.hit")
    assert hits.count() >= 1
    assert page.locator("li.hit mark").first.inner_text().lower() == "mariupol"
    shot(page, "demo-search")
    # apply a filter: the first source offered
    sources = page.locator("form.filters select[name=source] option")
    source = sources.nth(1).get_attribute("value")
    page.select_option("form.filters select[name=source]", source)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"source="))
    n = hits.count()
    assert n == 0 or page.locator("li.hit .meta").first.inner_text().endswith(source)
    assert page.locator(".pager .count").first.inner_text().startswith(("1–", "no "))
    # the entities tab keeps the words
    page.click("nav.tabs a[data-kind=entities]")
    page.wait_for_url(re.compile(r"kind=entities"))
    assert "Mariupol" in page.locator("form.filters input[name=q]").input_value()
    guard.check()


def test_browser_demo_entity_page(page: Any, demo_site: str) -> None:
    guard = Guard(page, demo_site)
    page.goto(demo_site + "/entities")
    row = page.locator("table.entities tbody tr").first
    name = row.locator("a.ent").inner_text()
    n_articles = int(row.locator("td.num").inner_text())
    row.locator("a.ent").click()
    page.wait_for_url(re.compile(r"/entities/.+"))
    assert page.locator("h1.entity-name").inner_text().startswith(name)
    assert page.locator(".counts li strong").first.inner_text() == str(n_articles)
    assert page.locator("ul.kwic li").count() >= 1
    assert page.locator("ul.kwic li a.m").first.inner_text()
    shot(page, "demo-entity")
    # filter the entity list by role
    page.goto(demo_site + "/entities")
    role = page.locator("form.filters select[name=role] option").nth(1).get_attribute("value")
    page.select_option("form.filters select[name=role]", role)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"role="))
    codes = page.locator("table.entities tbody tr td .codes").all_inner_texts()
    assert codes and all(c.endswith(role) for c in codes[:20])
    guard.check()


def test_browser_demo_events_explorer(page: Any, demo_site: str) -> None:
    guard = Guard(page, demo_site)
    page.goto(demo_site + "/events")
    assert page.locator("h1").inner_text() == "Events"
    rows = page.locator("table.events tbody tr")
    total = page.locator(".pager .count").first.inner_text()
    shot(page, "demo-events")
    if rows.count() == 0:  # the events stage has not landed: the page says so
        assert total == "no events"
        assert page.locator("#network .empty").is_visible()
    else:
        types = page.locator("form.filters select[name=event_type] option")
        kind = types.nth(1).get_attribute("value")
        page.select_option("form.filters select[name=event_type]", kind)
        page.click("form.filters button[type=submit]")
        page.wait_for_url(re.compile(r"event_type="))
        assert set(page.locator("table.events tbody tr .etype").all_inner_texts()) == {kind}
    assert page.locator("#map svg image").count() == 1
    shot(page, "demo-events-filtered", full=True)
    guard.check()


def test_browser_demo_disputes_side_by_side(page: Any, demo_site: str) -> None:
    guard = Guard(page, demo_site)
    page.goto(demo_site + "/")
    page.click("header nav a[href='/disputes']")
    page.wait_for_url(re.compile(r"/disputes$"))
    expected = api(page, demo_site, "/api/disputes")
    cards = page.locator("article.dispute")
    shot(page, "demo-disputes")
    if expected["total"] == 0:  # the demo corpus holds no dispute the link step accepts: the page says so
        assert page.locator(".pager .count").first.inner_text() == "no disputes"
        guard.check()
        return
    assert cards.count() == min(expected["total"], 50)
    d = expected["items"][0]
    card = page.locator(f"article.dispute[id='{d['id']}']")
    claim, denial = card.locator(".side-a"), card.locator(".side-b")
    assert " ".join(d["a"]["text"].split()) in " ".join(claim.locator("blockquote").inner_text().split())
    assert " ".join(d["b"]["text"].split()) in " ".join(denial.locator("blockquote").inner_text().split())
    assert (d["b"]["title"] or d["b"]["article"]) in denial.locator("a.article").inner_text()
    # side by side: the claim on the left, the denial on the right, level with it
    ca, cb = claim.bounding_box(), denial.bounding_box()
    assert ca["x"] + ca["width"] <= cb["x"] and abs(ca["y"] - cb["y"]) < 5
    # the denial's article opens in the reader at the denial, highlighted, with the claim beside it
    denial.locator("a.article").click()
    page.wait_for_url(re.compile(rf"/articles/.+#dsp-{d['id']}-b$"))
    detail = page.locator(f"#d-dsp-{d['id']}-b")
    assert detail.is_visible()
    assert " ".join(d["a"]["text"].split())[:60] in " ".join(detail.inner_text().split())
    selected = " ".join(page.locator("#text .hl.sel").all_inner_texts())
    assert selected and " ".join(selected.split())[:40] in " ".join(d["b"]["text"].split())
    shot(page, "demo-dispute-reader")
    guard.check()


def test_browser_demo_story_event(page: Any, demo_site: str) -> None:
    guard = Guard(page, demo_site)
    page.goto(demo_site + "/story-events")
    # only events reported by more than one article
    page.select_option("form.filters select[name=min_articles]", "2")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"min_articles=2"))
    expected = api(page, demo_site, "/api/story-events?min_articles=2")
    rows = page.locator("table.story-events tbody tr")
    assert expected["total"] >= 1 and rows.count() == min(expected["total"], 50)
    assert all(int(n) >= 2 for n in page.locator("table.story-events tbody tr td.num:nth-child(8)").all_inner_texts())
    shot(page, "demo-story-events")
    # the most reported of them
    top = max(expected["items"], key=lambda e: (e["articles"], e["reports"]))
    page.locator(f"table.story-events a[href='/story-events/{top['id']}']").first.click()
    page.wait_for_url(re.compile(rf"/story-events/{top['id']}$"))
    one = api(page, demo_site, f"/api/story-events/{top['id']}")
    counts = page.locator("ul.counts li strong").all_inner_texts()
    assert counts == [str(one["reports"]), str(one["articles"]), str(one["sources"])]
    assert page.locator("dl.props").inner_text().count(one["type"]) >= 1
    reports = page.locator("#reports tbody tr")
    assert reports.count() == len(one["reports_list"]) == one["reports"]
    assert reports.locator("td:nth-child(2)").all_inner_texts() == [r["source"] or "" for r in one["reports_list"]]
    shot(page, "demo-story-event", full=True)
    # a report opens the reader at its trigger, which says how many articles report it
    first = one["reports_list"][0]
    reports.first.locator("a.trigger").click()
    page.wait_for_url(re.compile(rf"/articles/{re.escape(first['article_id'])}#evt-{first['event_id']}$"))
    detail = page.locator(f"#d-evt-{first['event_id']}")
    assert detail.is_visible()
    assert f"reported by {one['articles']} articles / {one['sources']} source" in detail.inner_text()
    assert page.locator("#text .hl.sel").first.inner_text()
    guard.check()


def test_browser_demo_canonical_entity(page: Any, demo_site: str) -> None:
    guard = Guard(page, demo_site)
    page.goto(demo_site + "/entities")
    page.click("a[href='/canonical-entities']")
    row = page.locator("table.canonical tbody tr").first
    name = row.locator("a.canon").inner_text()
    row.locator("a.canon").click()
    page.wait_for_url(re.compile(r"/canonical-entities/c-"))
    cid = page.url.rsplit("/", 1)[1]
    c = api(page, demo_site, f"/api/canonical-entities/{cid}")
    assert page.locator("h1").inner_text().startswith(name) and c["name"] == name
    tl = api(page, demo_site, f"/api/canonical-entities/{cid}/timeline")
    assert page.locator("#timeline tbody tr").count() == min(tl["total"], 50)
    assert page.locator("#articles ul.list li").count() == min(c["articles"], 20)
    shot(page, "demo-canonical-entity", full=True)
    guard.check()


# --- hand-made records with every kind of fact -------------------------------------------------

def test_browser_reader_shows_every_layer(page: Any, full_site: str) -> None:
    guard = Guard(page, full_site)
    page.goto(full_site + "/articles/art-1")
    for layer, n in (("ent", 6), ("stm", 3), ("evt", 3), ("tim", 2), ("plc", 2), ("qty", 1)):
        assert page.locator(f".lt-{layer} .n").inner_text() == str(n)
    # a statement: speaker, cue, content
    page.locator("#text .hl.l-cue", has_text="accused").click()
    box = page.locator("#detail")
    assert box.locator("#d-stm-s1").is_visible()
    text = box.locator("#d-stm-s1").inner_text()
    assert "accuse" in text and "Anna Berg" in text and "Borduria of shelling" in text
    # an event: its trigger shows type, status, actor, recipient, place and date
    page.locator("#text .hl.l-evt", has_text="shelling").click()
    ev = box.locator("#d-evt-v1")
    assert ev.is_visible()
    assert "ASSAULT" in ev.inner_text() and "claimed" in ev.inner_text() and "2022-05-03" in ev.inner_text()
    # a quantity's normalised value
    page.locator("#text .hl.l-qty").click()
    assert "200000000" in box.locator("#d-qty-q1").inner_text()
    # the side list selects a fact in the text
    page.locator(".fl-plc a[data-select='plc-p1']").click()
    assert page.locator("#text .hl.sel").first.inner_text() == "Lumen"
    assert "46.5" in box.locator("#d-plc-p1").inner_text()
    shot(page, "full-reader")
    # a link to one fact opens the reader on it
    page.goto(full_site + "/articles/art-1#evt-v2")
    assert page.locator("#d-evt-v2").is_visible()
    assert "pledged" in page.locator("#text .hl.sel").all_inner_texts()  # with its actor and recipient
    guard.check()


def test_browser_events_explorer_draws_and_filters(page: Any, full_site: str) -> None:
    guard = Guard(page, full_site)
    page.goto(full_site + "/events")
    assert page.locator("table.events tbody tr").count() == 6
    assert page.locator("#timeline rect.bar").count() == 5  # six events, one dated only by month
    assert page.locator("#network circle.node").count() >= 5
    assert page.locator("#map circle.place").count() == 3
    shot(page, "full-events", full=True)
    page.select_option("form.filters select[name=event_type]", "ASSAULT")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"event_type=ASSAULT"))
    assert page.locator("table.events tbody tr").count() == 1
    assert page.locator("#map circle.place").count() == 1
    assert "Lumen" in page.locator("#map circle.place title").text_content()
    # countries as nodes
    page.goto(full_site + "/events?by=country")
    labels = set(page.locator("#network text.node-label").all_text_contents())
    assert {"GRA", "RUR", "BOR"} <= labels
    guard.check()


def test_browser_entity_page_timeline(page: Any, full_site: str) -> None:
    guard = Guard(page, full_site)
    page.goto(full_site + "/entities/Anna%20Berg")
    assert page.locator(".entity-timeline circle.dot").count() == 1  # one event has only a month
    assert page.locator("#statements-by table tbody tr").count() == 3
    page.goto(full_site + "/entities/Borduria")
    assert page.locator("#statements-about table tbody tr").count() == 1
    shot(page, "full-entity", full=True)
    guard.check()


def test_browser_markup_in_an_article_is_text(page: Any, full_site: str) -> None:
    guard = Guard(page, full_site)
    page.goto(full_site + "/articles/art-3")
    assert page.locator("h1").inner_text() == f"Title {SCRIPT}"
    assert SCRIPT in page.locator("#text").inner_text()
    assert page.locator("#text script, #text b, h1 script").count() == 0
    page.locator("#text .hl.l-cnt").first.click()
    assert SCRIPT in page.locator("#d-stm-s1").inner_text()
    for url in ("/search?q=script", "/events", "/entities", "/articles", "/search?q=leaflet&kind=events"):
        page.goto(full_site + url)
        assert page.locator("main script").count() == 0
    guard.check()  # no dialog opened, no CSP violation, no request elsewhere


def test_browser_dispute_with_markup_is_text(page: Any, linked_site: str) -> None:
    guard = Guard(page, linked_site)
    page.goto(linked_site + "/disputes")
    cards = page.locator("article.dispute")
    assert cards.count() == api(page, linked_site, "/api/disputes")["total"] >= 2
    denial = page.locator("article.dispute .side-b", has_text="Borduria denied").first
    assert SCRIPT in denial.locator("blockquote").inner_text()
    assert f"<i>Bordurian Herald</i> {SCRIPT}" in denial.locator(".source .meta").inner_text()
    assert page.locator("main script, main b, main i").count() == 0
    shot(page, "full-disputes", full=True)
    # the reader of the denial: its span highlighted in the dispute layer, which can be switched off
    denial.locator("blockquote a").click()
    page.wait_for_url(re.compile(r"/articles/art-5#dsp-"))
    assert page.locator(".lt-dsp").is_visible() and page.locator("#text .hl.l-dsp").count() >= 1
    assert SCRIPT in page.locator("#text .hl.sel").last.inner_text()
    page.locator("input[data-layer=dsp]").uncheck()
    assert "hide-dsp" in page.locator("#text").get_attribute("class")
    # the side list names the other side of each dispute
    items = page.locator("#disputes li.dispute-item")
    assert items.count() >= 2 and "Anna Berg accused Borduria" in page.locator("#disputes").inner_text()
    # the story event of the shelling: three outlets, one of them denying it
    page.locator(".fl-evt a.to-story").click()
    page.wait_for_url(re.compile(r"/story-events/x-"))
    assert page.locator("ul.counts li strong").all_inner_texts() == ["3", "3", "3"]
    assert page.locator("#copies tbody tr").count() == 1
    shot(page, "full-story-event", full=True)
    guard.check()
