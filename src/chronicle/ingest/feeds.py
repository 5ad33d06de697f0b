"""RSS and Atom feeds (feedparser): the items, each with the link to its article.

The feed is parsed from bytes we fetched or read ourselves; feedparser never fetches anything.
The articles behind the links are fetched by the reader (``chronicle.ingest.read_sources``),
each with the same guard and limits as any URL.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urljoin

from chronicle.errors import InputError

__all__ = ["FEED_SUFFIXES", "FEED_TYPES", "FeedItem", "looks_like_feed", "parse"]

FEED_SUFFIXES = (".rss", ".atom", ".rss.gz", ".atom.gz")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.I)


@dataclass(slots=True)
class FeedItem:
    link: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    guid: str | None = None
    author: str | None = None


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """True for RSS, RSS 1.0 (RDF) and Atom documents, by content type or by their root element."""
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime in FEED_TYPES:
        return True
    head = data[:4096].lstrip()
    if mime and mime not in ("text/xml", "application/xml", "text/plain", "application/octet-stream", ""):
        return False
    return bool(_ROOT.search(head)) and b"<html" not in head[:512].lower()


def _date(entry: dict) -> str | None:  # type: ignore[type-arg]
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return time.strftime("%Y-%m-%d", value)
    return None


def parse(data: bytes, origin: str, base_url: str | None = None) -> tuple[str | None, list[FeedItem]]:
    """The feed's title and its items in feed order, or InputError when it is not a feed."""
    import feedparser

    parsed = feedparser.parse(data)  # bytes: parsed, never fetched
    if not parsed.get("version") and not parsed.entries:
        why = f" ({type(parsed.bozo_exception).__name__})" if parsed.get("bozo") else ""
        raise InputError(origin, f"not an RSS or Atom feed{why}")
    base = base_url or parsed.feed.get("link") or None
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link:
            for alt in entry.get("links", []):
                if alt.get("rel", "alternate") == "alternate" and alt.get("href"):
                    link = alt["href"]
                    break
        if not link and str(entry.get("id", "")).startswith(("http://", "https://")):
            link = entry["id"]
        if not link:
            continue
        link = urljoin(base, link) if base else link
        if link in seen:
            continue
        seen.add(link)
        items.append(FeedItem(link=link, title=(entry.get("title") or "").strip() or None,
                              published=_date(entry), guid=entry.get("id") or None,
                              author=entry.get("author") or None))
    title = (parsed.feed.get("title") or "").strip() or None
    return title, items
