"""Builders for the pages, feeds and WARC files the ingest tests read (all made here, no network)."""

from __future__ import annotations

import io
from html import escape

WIRE = [
    "Negotiators from Russia and Ukraine met in Istanbul on Tuesday for their first face-to-face talks in "
    "weeks, the Turkish foreign ministry said in a statement after the session ended.",
    "The Ukrainian delegation proposed a neutral status for the country in exchange for security guarantees, "
    "while the Russian side said it would scale down military operations around the capital, Kyiv.",
    "Observers cautioned that the gap between the two sides remained wide and that heavy fighting continued "
    "in the east of the country, where local officials reported shelling overnight.",
    "The talks are due to resume next week, a spokesman for the Turkish president told reporters in Ankara, "
    "adding that both delegations had agreed to keep the channel open.",
]
GERMAN = [
    "Die Verhandlungen zwischen Russland und der Ukraine wurden am Dienstag in Istanbul fortgesetzt, wie das "
    "türkische Außenministerium in einer Erklärung nach dem Ende der Sitzung mitteilte.",
    "Beobachter warnten, dass die Kluft zwischen beiden Seiten weiterhin groß sei und die Kämpfe im Osten des "
    "Landes unvermindert andauerten, während örtliche Behörden von nächtlichem Beschuss berichteten.",
]


def page(title: str, paragraphs: list[str], *, lang: str = "en", url: str | None = None,
         site: str = "Example News", published: str = "2022-03-29", extra: str = "") -> str:
    """A news page with the usual furniture around the article: nav, share bar, caption, footer."""
    canonical = f'<link rel="canonical" href="{escape(url)}">' if url else ""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{escape(title)} | {escape(site)}</title>
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="{escape(site)}">
<meta property="article:published_time" content="{published}T10:00:00Z">
{canonical}
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
<article><h1>{escape(title)}</h1>
<figure><img src="/a.jpg"><figcaption>Delegates arrive for the talks. Photo: Agency</figcaption></figure>
{body}
{extra}
</article>
<footer>Copyright {escape(site)}. All rights reserved.</footer>
</body></html>"""


def rss(items: list[tuple[str, str]], title: str = "Example feed") -> str:
    """RSS 2.0 with (title, link) items."""
    entries = "\n".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<pubDate>Tue, 29 Mar 2022 10:00:00 GMT</pubDate><guid>{escape(link)}</guid></item>"
        for t, link in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>https://news.example.org/</link>{entries}</channel></rss>")


def atom(items: list[tuple[str, str]], title: str = "Example Atom feed") -> str:
    entries = "\n".join(
        f'<entry><title>{escape(t)}</title><link href="{escape(link)}"/><id>{escape(link)}</id>'
        f"<updated>2022-03-29T10:00:00Z</updated></entry>" for t, link in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>urn:x</id><updated>2022-03-29T10:00:00Z</updated>{entries}</feed>")


def warc(records: list[tuple[str, str, int, str, bytes]], gzip: bool = True) -> bytes:
    """A WARC file from (kind, url, status, content type, payload) records: kind is response,
    request, metadata or warcinfo."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "chronicle tests"}))
    for kind, url, status, ctype, payload in records:
        if kind == "response":
            http = StatusAndHeaders(f"{status} OK" if status == 200 else f"{status} Other",
                                    [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http)
        elif kind == "request":
            http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            rec = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=http)
        else:
            rec = writer.create_warc_record(url, kind, payload=io.BytesIO(payload),
                                            warc_content_type=ctype or "application/warc-fields")
        writer.write_record(rec)
        rec.raw_stream.close()  # warcio spools payloads to temporary files it never closes
    return buf.getvalue()
