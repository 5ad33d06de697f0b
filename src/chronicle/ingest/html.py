"""HTML pages: main text and metadata with trafilatura, boilerplate removed before and after."""

from __future__ import annotations

import re

from chronicle.errors import InputError
from chronicle.ingest.boilerplate import clean_text, prune_tree
from chronicle.ingest.files import MAX_ARTICLE_CHARS, decode
from chronicle.ingest.language import normalise
from chronicle.record import Article, article_id_for

__all__ = ["MAX_HTML_BYTES", "extract_html", "read"]

# a news page is rarely over 2 MB; past this it is not one (and parsing it would take minutes)
MAX_HTML_BYTES = 10 * 1024 * 1024
MAX_ELEMENTS = 100_000  # real pages have a few thousand; an HTML bomb has millions (and costs minutes)
_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", re.I)
_SPACES = re.compile(r"[ \t\u00a0]+")


def _declared_charset(data: bytes) -> str | None:
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def _titles(tree) -> list[str]:  # type: ignore[no-untyped-def]
    """Headlines the page states (title tag, og:title, first h1): the text must not repeat them."""
    out = []
    for xp in ("//head/title", "//meta[@property='og:title']/@content", "//h1"):
        for hit in tree.xpath(xp)[:1]:
            val = hit if isinstance(hit, str) else hit.text_content()
            if val and val.strip():
                out.append(_SPACES.sub(" ", val.strip()))
    return out


def extract_html(html_text: str, origin: str, url: str | None = None) -> Article:
    """One article from an HTML page, or InputError when the page holds no article text."""
    import trafilatura
    from trafilatura.settings import Document
    from trafilatura.utils import load_html

    try:
        tree = load_html(html_text)
        if tree is None:
            raise InputError(origin, "not an HTML page (cannot parse it)")
        elements = sum(1 for _ in tree.iter())
        if elements > MAX_ELEMENTS:
            raise InputError(origin, f"HTML page too complex ({elements:,} elements; the limit is {MAX_ELEMENTS:,})")
        if len(tree.text_content()) > 2 * MAX_ARTICLE_CHARS:
            raise InputError(origin, f"HTML page holds too much text for one article (over {2 * MAX_ARTICLE_CHARS:,} "
                                     "characters)")
        titles = _titles(tree)
        declared_lang = tree.get("lang") or tree.get("xml:lang")
        doc = trafilatura.bare_extraction(
            prune_tree(tree), url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except InputError:
        raise
    except RecursionError:
        raise InputError(origin, "cannot parse HTML (nested too deeply)") from None
    except Exception as e:  # trafilatura/lxml raise many kinds on hostile pages  # noqa: BLE001
        raise InputError(origin, f"cannot parse HTML ({type(e).__name__})") from None
    if not isinstance(doc, Document) or not (doc.text or "").strip():
        raise InputError(origin, "no article text found in the HTML page")
    title = _SPACES.sub(" ", (doc.title or "").strip()) or None
    text = clean_text(doc.text or "", [title or "", *titles])
    if not text:
        raise InputError(origin, "no article text found in the HTML page (only boilerplate)")
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
        language=normalise(doc.language or declared_lang),
        author=doc.author or None,
    )


def read(data: bytes, origin: str, url: str | None = None) -> Article:
    """One article from the bytes of an HTML page (``origin`` names where they came from)."""
    if len(data) > MAX_HTML_BYTES:
        raise InputError(origin, f"HTML page too large ({len(data):,} bytes; the limit is {MAX_HTML_BYTES:,})")
    return extract_html(decode(data, origin, _declared_charset(data)), origin, url)
