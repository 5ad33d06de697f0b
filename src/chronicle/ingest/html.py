"""HTML pages: main text and metadata with trafilatura."""

from __future__ import annotations

import re

from chronicle.errors import InputError
from chronicle.ingest.files import MAX_ARTICLE_CHARS, decode
from chronicle.record import Article, article_id_for

__all__ = ["extract_html", "read"]

_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", re.I)


def _declared_charset(data: bytes) -> str | None:
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def extract_html(html_text: str, origin: str, url: str | None = None) -> Article:
    """One article from an HTML page, or InputError when the page holds no article text."""
    import trafilatura
    from trafilatura.settings import Document

    try:
        doc = trafilatura.bare_extraction(
            html_text, url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception as e:  # trafilatura/lxml raise many kinds on hostile pages  # noqa: BLE001
        raise InputError(origin, f"cannot parse HTML ({type(e).__name__})") from None
    if not isinstance(doc, Document) or not (doc.text or "").strip():
        raise InputError(origin, "no article text found in the HTML page")
    text = (doc.text or "").strip()
    title = (doc.title or "").strip() or None
    if title:  # trafilatura keeps the headline as the first line of the text
        first, sep, rest = text.partition("\n")
        if sep and first.strip() == title:
            text = rest.strip()
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(origin, f"text too long for one article ({len(text):,} characters)")
    page_url = doc.url or url
    return Article(
        id=article_id_for(text, page_url),
        text=text,
        title=title,
        published=(doc.date or None),
        source=doc.sitename or None,
        url=page_url,
        origin=origin,
        language=doc.language or None,
        author=doc.author or None,
    )


def read(data: bytes, origin: str) -> Article:
    return extract_html(decode(data, origin, _declared_charset(data)), origin)
