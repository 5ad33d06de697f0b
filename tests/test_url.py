"""Fetching URLs: pages, redirects, the private-address guard, timeouts, size cap, retries."""

from __future__ import annotations

import pytest

from chronicle.ingest import Failure, read_sources
from chronicle.ingest.url import Fetcher, FetchError, address_problem
from chronicle.record import Article
from pages import WIRE, page


def read(spec: str, fetcher: Fetcher) -> list[Article | Failure]:
    return list(read_sources([spec], fetcher=fetcher))


def test_url_page_is_read_with_metadata(web, fetcher) -> None:  # type: ignore[no-untyped-def]
    url = web.route("/kyiv", page("Kyiv talks resume", WIRE, url="https://news.example.org/kyiv"))
    (a,) = read(url, fetcher)
    assert isinstance(a, Article)
    assert a.title == "Kyiv talks resume"
    assert a.text.startswith("Negotiators from Russia")
    assert a.origin == url  # where it was read from, as named
    assert a.url == "https://news.example.org/kyiv"  # its own canonical URL
    assert a.published == "2022-03-29"
    assert web.agents[0].startswith("chronicle/")


def test_url_redirects_are_followed(web, fetcher) -> None:  # type: ignore[no-untyped-def]
    final = web.route("/final", page("Talks", WIRE))
    web.route("/a", status=301, headers={"Location": "/b"})
    web.route("/b", status=302, headers={"Location": final})
    (a,) = read(web.url("/a"), fetcher)
    assert isinstance(a, Article)
    assert a.url == final  # no canonical link: the URL it ended at


def test_url_redirect_loop_is_refused(web, fetcher) -> None:  # type: ignore[no-untyped-def]
    web.route("/loop", status=302, headers={"Location": "/loop"})
    (f,) = read(web.url("/loop"), fetcher)
    assert isinstance(f, Failure)
    assert "too many redirects" in f.reason


@pytest.mark.parametrize(("target", "why"), [
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://10.0.0.7/admin", "private"),
    ("http://[::1]:9/", "loopback"),
])
def test_url_redirect_to_private_address_is_refused(web, fetcher, target: str, why: str) -> None:  # type: ignore[no-untyped-def]
    web.route("/go", status=302, headers={"Location": target})
    (f,) = read(web.url("/go"), fetcher)
    assert isinstance(f, Failure)
    assert f"is a {why} address" in f.reason
    assert "redirected to" in f.reason and "--allow-private" in f.reason


def test_url_private_address_refused_without_allow_private(web) -> None:  # type: ignore[no-untyped-def]
    url = web.route("/p", page("Talks", WIRE))
    for spec in (url, url.replace("127.0.0.1", "localhost")):
        (f,) = list(read_sources([spec]))
        assert isinstance(f, Failure)
        assert "loopback address" in f.reason and "--allow-private" in f.reason
    assert web.hits.get("/p") is None  # refused before connecting


def test_url_allow_private_lets_it_through(web) -> None:  # type: ignore[no-untyped-def]
    url = web.route("/p", page("Talks", WIRE))
    (a,) = list(read_sources([url], allow_private=True))
    assert isinstance(a, Article)


@pytest.mark.parametrize(("ip", "problem"), [
    ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.1", "private"), ("172.16.5.4", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("::ffff:127.0.0.1", "loopback"),
    ("0.0.0.0", "not a public"), ("100.64.0.1", "not a public"), ("93.184.216.34", None),
])
def test_url_address_guard(ip: str, problem: str | None) -> None:
    got = address_problem(ip)
    assert (got is None) if problem is None else (got is not None and problem in got)


def test_url_timeout_is_retried_then_recorded(web, fetcher) -> None:  # type: ignore[no-untyped-def]
    web.route("/slow", page("Talks", WIRE), delay=2.5)
    (f,) = read(web.url("/slow"), fetcher)
    assert isinstance(f, Failure)
    assert "timed out" in f.reason
    assert fetcher.slept == [0.01]  # one retry, after the backoff


def test_url_server_error_is_retried_with_backoff(web, fetcher) -> None:  # type: ignore[no-untyped-def]
    web.route("/flaky", "busy", status=503, headers={"Retry-After": "0"})
    web.route("/flaky", page("Talks", WIRE))
    (a,) = read(web.url("/flaky"), fetcher)
    assert isinstance(a, Article)
    assert web.hits["/flaky"] == 2
    assert fetcher.slept == [0.0]  # Retry-After honoured


def test_url_not_found_is_not_retried(web, fetcher) -> None:  # type: ignore[no-untyped-def]
    (f,) = read(web.url("/missing"), fetcher)
    assert isinstance(f, Failure) and f.reason == "HTTP 404"
    assert web.hits["/missing"] == 1


def test_url_size_cap(web) -> None:  # type: ignore[no-untyped-def]
    big = page("Talks", WIRE * 2000)
    web.route("/big", big)
    web.route("/big-chunked", big, headers={"Content-Type": "text/html", "Content-Length": ""})
    small = Fetcher(allowed_networks=["127.0.0.1/32"], max_bytes=100_000, retries=0)
    with small:
        for path in ("/big", "/big-chunked"):
            with pytest.raises(FetchError, match="too large"):
                small.fetch(web.url(path))


def test_url_not_an_article(web, fetcher) -> None:  # type: ignore[no-untyped-def]
    url = web.route("/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), headers={"Content-Type": "image/png"})
    (f,) = read(url, fetcher)
    assert isinstance(f, Failure) and "content type image/png" in f.reason


def test_url_one_host_is_not_hammered(web) -> None:  # type: ignore[no-untyped-def]
    for path in ("/1", "/2", "/3"):
        web.route(path, page("Talks", WIRE))
    with Fetcher(allowed_networks=["127.0.0.1/32"], per_host_delay=0.5) as f:
        waits: list[float] = []
        f.sleep = waits.append  # type: ignore[method-assign]
        for path in ("/1", "/2", "/3"):
            f.fetch(web.url(path))
    assert len(waits) == 2 and all(0 < w <= 0.5 for w in waits)
