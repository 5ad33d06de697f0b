"""Watching feeds: poll RSS/Atom feeds every so often and ingest only the items not seen yet.

``FeedWatcher.poll()`` reads every feed once (conditional GET: an unchanged feed costs one
small request), ingests the items whose links the store does not know, and returns what it
did. A feed that is down, slow or broken is recorded as a failure and tried again next round;
it never stops the others. ``run()`` polls until stopped.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from chronicle.errors import ChronicleError, ConfigError, InputError
from chronicle.ingest import Failure, Sources, feeds
from chronicle.ingest.url import Fetcher, is_url
from chronicle.record import Article
from chronicle.runner import Summary, ingest_items
from chronicle.store import Store

__all__ = ["FeedWatcher", "parse_interval"]

LOGGER = logging.getLogger(__name__)
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.I)
_UNIT = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}


def parse_interval(value: str) -> float:
    """'90s', '15m', '2h', '1d' (a bare number is seconds) -> seconds."""
    m = _INTERVAL.match(value)
    if not m:
        raise ConfigError(f"'{value}' is not an interval like 30s, 15m, 2h")
    seconds = float(m.group(1)) * _UNIT[(m.group(2) or "s").lower()]
    if seconds < 1:
        raise ConfigError(f"'{value}' is too short an interval (at least 1s)")
    return seconds


@dataclass
class _FeedState:
    etag: str | None = None
    modified: str | None = None
    failures: int = 0


@dataclass
class PollResult:
    feeds_read: int = 0
    feeds_down: int = 0
    new_items: int = 0
    summary: Summary = field(default_factory=Summary)


class FeedWatcher:
    """Polls feeds and ingests their new items into ``store``."""

    def __init__(self, feeds_: Iterable[str], store: Store, *, fetcher: Fetcher | None = None,
                 allow_private: bool = False, **ingest_options: object) -> None:
        self.feeds = list(feeds_)
        self.store = store
        self.fetcher = fetcher or Fetcher(allow_private=allow_private)
        self._own_fetcher = fetcher is None
        self.sources = Sources(fetcher=self.fetcher)
        self.options = ingest_options
        self.state = {f: _FeedState() for f in self.feeds}
        self.titles: dict[str, str | None] = {}
        self.attempted: set[str] = set()  # links tried in this session (a failed one is not retried each round)

    def close(self) -> None:
        if self._own_fetcher:
            self.fetcher.close()

    def _feed_items(self, feed: str) -> list[feeds.FeedItem] | None:
        """The feed's items, [] when unchanged since the last poll, None when it could not be read."""
        st = self.state[feed]
        try:
            if is_url(feed):
                headers = {}
                if st.etag:
                    headers["If-None-Match"] = st.etag
                if st.modified:
                    headers["If-Modified-Since"] = st.modified
                page = self.fetcher.fetch(feed, headers=headers)
                if page.status == 304:
                    return []
                st.etag = page.headers.get("etag") or None
                st.modified = page.headers.get("last-modified") or None
                data, base = page.data, page.final_url
            else:
                with open(feed, "rb") as f:
                    data, base = f.read(), None
            title, items = feeds.parse(data, feed, base)
            self.titles[feed] = title
        except InputError as e:
            st.failures += 1
            LOGGER.warning("feed %s is unreadable this round: %s", feed, e.reason)
            self.store.record_failure(feed, "watch", e.reason)
            return None
        except OSError as e:
            st.failures += 1
            self.store.record_failure(feed, "watch", f"cannot read ({e.strerror or e})")
            return None
        st.failures = 0
        return items

    def _new_articles(self, items: list[tuple[str, feeds.FeedItem]]) -> Iterator[Article | Failure]:
        for feed, it in items:
            self.attempted.add(it.link)
            for article in self.sources.read_url(it.link, feed_item=it):
                if isinstance(article, Article) and not article.source:
                    article.source = self.titles.get(feed)
                yield article

    def poll(self) -> PollResult:
        """Read every feed once and ingest its new items."""
        result = PollResult()
        new: list[tuple[str, feeds.FeedItem]] = []
        for feed in self.feeds:
            items = self._feed_items(feed)
            if items is None:
                result.feeds_down += 1
                continue
            result.feeds_read += 1
            for it in items:
                if it.link in self.attempted or self.store.knows_url(it.link):
                    continue
                new.append((feed, it))
        result.new_items = len(new)
        if new:
            ingest_items(self._new_articles(new), self.store, summary=result.summary,
                         **self.options)  # type: ignore[arg-type]
        return result

    def run(self, every: float, *, rounds: int | None = None,
            report: Callable[[PollResult], None] | None = None,
            sleep: Callable[[float], None] = time.sleep) -> None:
        """Poll every ``every`` seconds until stopped (KeyboardInterrupt) or ``rounds`` are done."""
        n = 0
        while rounds is None or n < rounds:
            started = time.monotonic()
            try:
                result = self.poll()
            except ChronicleError as e:  # the database locked for a while, say: try again next round
                LOGGER.warning("this round failed: %s", e)
                result = PollResult(feeds_down=len(self.feeds))
            if report:
                report(result)
            n += 1
            if rounds is not None and n >= rounds:
                break
            sleep(max(0.0, every - (time.monotonic() - started)))
