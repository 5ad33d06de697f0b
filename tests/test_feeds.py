"""Feeds: RSS and Atom, each item's link fetched; `chronicle watch` polls for new items."""

from __future__ import annotations

from chronicle.ingest import Failure, feeds, read_sources
from chronicle.record import Article
from chronicle.watch import FeedWatcher, parse_interval
from pages import WIRE, atom, page, rss


def test_feeds_rss_items_are_fetched(web, fetcher) -> None:  # type: ignore[no-untyped-def]
    web.route("/a", page("Talks resume", WIRE))
    web.route("/c", page("Grain deal", [p.replace("Istanbul", "Ankara") for p in WIRE[::-1]]))
    feed = web.route("/feed.xml", rss([("Talks resume", "/a"), ("Gone", "/b"), ("Grain deal", "/c")]),
                     headers={"Content-Type": "application/rss+xml"})
    out = list(read_sources([feed], fetcher=fetcher))
    arts = [x for x in out if isinstance(x, Article)]
    fails = [x for x in out if isinstance(x, Failure)]
    assert [a.title for a in arts] == ["Talks resume", "Grain deal"]
    assert arts[0].origin == web.url("/a")  # relative links resolved against the feed
    assert [(f.origin, f.reason) for f in fails] == [(web.url("/b"), "HTTP 404")]


def test_feeds_atom_file_is_read(web, fetcher, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = web.route("/x", page("Talks resume", WIRE))
    p = tmp_path / "news.atom"
    p.write_text(atom([("Talks resume", url)]), encoding="utf-8")
    (a,) = list(read_sources([str(p)], fetcher=fetcher))
    assert isinstance(a, Article) and a.title == "Talks resume"


def test_feeds_sniffed_without_suffix_or_type() -> None:
    assert feeds.looks_like_feed(rss([("a", "https://x.org/a")]).encode(), "text/xml")
    assert feeds.looks_like_feed(atom([("a", "https://x.org/a")]).encode())
    assert not feeds.looks_like_feed(page("t", WIRE).encode(), "text/html")


def test_feeds_broken_feed_is_a_failure(web, fetcher) -> None:  # type: ignore[no-untyped-def]
    url = web.route("/bad.rss", "<rss version='2.0'><channel><title>x</title>",
                    headers={"Content-Type": "application/rss+xml"})
    out = list(read_sources([url], fetcher=fetcher))
    assert all(isinstance(x, Failure) for x in out)


def test_feeds_watch_ingests_only_new_items_and_survives_a_feed_that_is_down(
        web, fetcher, store, extractor) -> None:  # type: ignore[no-untyped-def]
    web.route("/a", page("Talks resume", WIRE))
    web.route("/b", page("Grain deal signed", [
        "Ukraine and Russia signed a deal in Istanbul on Friday to reopen Black Sea ports for grain exports, "
        "the United Nations said, ending a months-long blockade that had pushed up world food prices.",
        "The agreement, brokered by Turkey and the UN, sets up a joint centre to inspect ships leaving Odesa.",
    ]))
    feed = web.url("/feed.xml")
    down = web.url("/down.xml")
    web.route("/feed.xml", rss([("Talks resume", "/a")]), headers={"Content-Type": "application/rss+xml"})
    web.route("/feed.xml", rss([("Talks resume", "/a"), ("Grain deal signed", "/b")]),
              headers={"Content-Type": "application/rss+xml"})
    web.route("/down.xml", "oops", status=500)
    w = FeedWatcher([feed, down], store, fetcher=fetcher, extractor=extractor)
    first = w.poll()
    assert (first.feeds_read, first.feeds_down, first.new_items, first.summary.stored) == (1, 1, 1, 1)
    second = w.poll()
    assert (second.new_items, second.summary.stored) == (1, 1)  # only the new item
    assert store.count() == 2
    reasons = [f["reason"] for f in store.failures()]
    assert reasons.count("HTTP 500") == 2  # the feed that is down, recorded each round
    w.close()


def test_feeds_watch_interval() -> None:
    assert parse_interval("15m") == 900
    assert parse_interval("30s") == 30
    assert parse_interval("2h") == 7200
