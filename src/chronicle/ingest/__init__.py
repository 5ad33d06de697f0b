"""Ingest: turn what the user names (files, directories, globs, URLs, feeds, WARC archives)
into Articles.

One module per kind of source. ``read_sources`` walks the inputs lazily and yields an
``Article`` for every article read and a ``Failure`` for every input that could not be read;
one bad input never stops the others. Inputs that are not articles and not errors either
(a WARC file's requests and images) are reported through ``on_skip(origin, reason)``.
"""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chronicle.errors import InputError
from chronicle.ingest import html, jsonl, text
from chronicle.ingest.files import read_bytes
from chronicle.record import Article

if TYPE_CHECKING:
    from chronicle.ingest.url import Fetcher

__all__ = ["Failure", "OnSkip", "Sources", "expand_paths", "kind_of", "read_path", "read_sources", "read_url"]

OnSkip = Callable[[str, str], None]

LOGGER = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".text", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")


@dataclass(slots=True)
class Failure:
    """An input (or one item of it) that could not be read, and why."""

    origin: str
    reason: str
    stage: str = "ingest"

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


def expand_paths(specs: Iterable[str]) -> Iterator[str]:
    """Files named by paths, directories (walked, sorted) and glob patterns, in order."""
    for spec in specs:
        if os.path.isdir(spec):
            for root, dirs, files in os.walk(spec):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        elif any(ch in spec for ch in "*?[") and not os.path.exists(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                yield spec  # reported as missing by read_path
            for m in matches:
                if os.path.isfile(m):
                    yield m
        else:
            yield spec


def kind_of(path: str, head: bytes) -> str:
    """Which reader takes this file: by its suffix, else by sniffing its first bytes."""
    from chronicle.ingest import feeds, warc

    low = path.lower()
    if low.endswith(warc.WARC_SUFFIXES) or warc.looks_like_warc(head):
        return "warc"
    if low.endswith(feeds.FEED_SUFFIXES):
        return "feed"
    if low.endswith(JSONL_SUFFIXES) or low.endswith(".json"):
        return "jsonl"
    if low.endswith(HTML_SUFFIXES):
        return "html"
    if low.endswith(TEXT_SUFFIXES):
        return "text"
    sniff = head.lstrip()[:512].lower()
    if sniff.startswith(b"{"):
        return "jsonl"
    if feeds.looks_like_feed(head):
        return "feed"
    if sniff.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in sniff or b"<head" in sniff:
        return "html"
    return "text"


def _fill(item: Article | Failure, published: str | None, source: str | None) -> Article | Failure:
    if isinstance(item, Article):
        if published:
            item.published = published
        if source and not item.source:
            item.source = source
    return item


class Sources:
    """Reads what the user names; keeps one HTTP client for every URL and feed item of a run."""

    def __init__(self, *, published: str | None = None, source: str | None = None,
                 allow_private: bool = False, fetcher: Fetcher | None = None,
                 on_skip: OnSkip | None = None) -> None:
        self.published = published
        self.source = source
        self.allow_private = allow_private
        self._fetcher = fetcher
        self._own_fetcher = fetcher is None
        self.on_skip = on_skip or (lambda origin, reason: None)

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            from chronicle.ingest.url import Fetcher

            self._fetcher = Fetcher(allow_private=self.allow_private)
        return self._fetcher

    def close(self) -> None:
        if self._own_fetcher and self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def read(self, specs: Iterable[str]) -> Iterator[Article | Failure]:
        from chronicle.ingest.url import is_url

        try:
            for spec in specs:
                if is_url(spec):
                    yield from self.read_url(spec)
                    continue
                for path in expand_paths([spec]):
                    yield from self.read_path(path)
        finally:
            self.close()

    # --- files ----------------------------------------------------------------------------------
    def read_path(self, path: str) -> Iterator[Article | Failure]:
        """Every article in one file; a Failure for the file or for each bad item in it."""
        from chronicle.ingest import warc

        try:
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    head = f.read(4096)
                if kind_of(path, head) == "warc":
                    for item in warc.read(path, on_skip=self.on_skip):
                        yield _fill(item, self.published, self.source)
                    return
            data = read_bytes(path)
            kind = kind_of(path, data[:4096])
            if kind == "feed":
                yield from self.read_feed(data, path)
                return
            if kind == "jsonl":
                items: Iterable[Article | Failure] = jsonl.read(data, path)
            elif kind == "html":
                items = [html.read(data, path)]
            else:
                items = [text.read(data, path)]
            for item in items:
                yield _fill(item, self.published, self.source)
        except InputError as e:
            LOGGER.info("skipping %s", e)
            yield Failure(e.origin, e.reason, e.stage)
        except OSError as e:
            yield Failure(path, f"cannot read ({e.strerror or e})")

    # --- the web --------------------------------------------------------------------------------
    def read_url(self, url: str, *, feed_item: object | None = None) -> Iterator[Article | Failure]:
        """The article at a URL, or every item of the feed at it."""
        from chronicle.ingest import feeds

        try:
            page = self.fetcher.fetch(url)
            head = page.data[:4096]
            mime = page.mime
            if feed_item is None and feeds.looks_like_feed(head, page.content_type):
                yield from self.read_feed(page.data, url, base_url=page.final_url)
                return
            if mime in ("text/html", "application/xhtml+xml") or (
                    mime in ("", "application/octet-stream", "text/plain") and kind_of("", head) == "html"):
                article = html.read(page.data, url, url=page.final_url)
            elif mime == "text/plain":
                article = text.read(page.data, url)
                article.url = page.final_url
            else:
                raise InputError(url, f"not an article (content type {mime or 'unknown'})")
            if feed_item is not None:
                _from_feed(article, feed_item)
            yield _fill(article, self.published, self.source)
        except InputError as e:
            LOGGER.info("skipping %s", e)
            yield Failure(e.origin, e.reason, e.stage)

    def read_feed(self, data: bytes, origin: str, base_url: str | None = None) -> Iterator[Article | Failure]:
        """Every item of a feed, each item's link fetched and read as a page."""
        from chronicle.ingest import feeds

        try:
            title, items = feeds.parse(data, origin, base_url)
        except InputError as e:
            yield Failure(e.origin, e.reason, e.stage)
            return
        if not items:
            self.on_skip(origin, "feed without items")
        for it in items:
            for article in self.read_url(it.link, feed_item=it):
                if isinstance(article, Article) and title and not article.source:
                    article.source = title
                yield article


def _from_feed(article: Article, item: object) -> None:
    """What the feed says about an item fills what the page did not say."""
    from chronicle.ingest.feeds import FeedItem

    if isinstance(item, FeedItem):
        article.title = article.title or item.title
        article.published = article.published or item.published
        article.author = article.author or item.author


def read_path(
    path: str, *, published: str | None = None, source: str | None = None
) -> Iterator[Article | Failure]:
    """Every article in one file; a Failure for the file or for each bad item in it."""
    return Sources(published=published, source=source).read_path(path)


def read_url(url: str, *, allow_private: bool = False, fetcher: Fetcher | None = None) -> Iterator[Article | Failure]:
    """The article at a URL (or every item of the feed at it)."""
    sources = Sources(allow_private=allow_private, fetcher=fetcher)
    try:
        yield from sources.read_url(url)
    finally:
        sources.close()


def read_sources(
    specs: Iterable[str], *, published: str | None = None, source: str | None = None,
    allow_private: bool = False, fetcher: Fetcher | None = None, on_skip: OnSkip | None = None,
) -> Iterator[Article | Failure]:
    """Articles (and failures) from every input named by ``specs``, lazily, in order: files,
    directories, globs, ``http(s)://`` URLs (pages or feeds), feed files and WARC archives."""
    return Sources(published=published, source=source, allow_private=allow_private, fetcher=fetcher,
                   on_skip=on_skip).read(specs)
