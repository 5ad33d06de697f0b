"""WARC archives (gzip per record, or plain), streamed with warcio in constant memory.

HTML responses become articles; every other record (requests, metadata, warcinfo, images,
scripts, redirects and errors) is skipped and counted by reason. An article's origin is the
file and the record's offset (``crawl.warc.gz#1234``), so ``warcio extract`` or any WARC tool
finds the record again. A broken record is recorded as a failure and reading goes on from the
next record the file holds; a truncated file ends with a failure naming where it broke.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any

from chronicle.errors import InputError
from chronicle.ingest import html
from chronicle.record import Article

__all__ = ["SKIP_NOT_HTML", "WARC_SUFFIXES", "looks_like_warc", "read"]

LOGGER = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
SKIP_NOT_HTML = "non-HTML WARC record"
HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 1 << 20

OnSkip = Callable[[str, str], None]


def looks_like_warc(head: bytes) -> bool:
    """True when the first bytes (gunzipped when gzip) start a WARC record."""
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return False
    return head.lstrip()[:5] == b"WARC/"


def _mime(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _resync(fh: IO[bytes], start: int, gzipped: bool) -> int | None:
    """The offset of the next record at or after ``start`` (a gzip member that opens a WARC
    record, or a ``WARC/1.`` line), or None at the end of the file."""
    magic = b"\x1f\x8b\x08" if gzipped else b"WARC/1."
    pos = start
    carry = b""
    while True:
        fh.seek(pos)
        chunk = fh.read(_CHUNK)
        if not chunk:
            return None
        buf = carry + chunk
        base = pos - len(carry)
        i = buf.find(magic)
        while i != -1:
            cand = base + i
            if cand >= start and _opens_record(fh, cand, gzipped):
                return cand
            i = buf.find(magic, i + 1)
        carry = buf[-(len(magic) - 1):]
        pos += len(chunk)


def _opens_record(fh: IO[bytes], offset: int, gzipped: bool) -> bool:
    fh.seek(offset)
    head = fh.read(4096)
    if gzipped:
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
        return head.startswith(b"WARC/")
    return offset == 0 or head.startswith(b"WARC/1.")


def read(path: str, *, on_skip: OnSkip | None = None,
         max_record_bytes: int = html.MAX_HTML_BYTES) -> Iterator[Article | Any]:
    """Articles (and failures) from one WARC file, lazily, in file order."""
    from warcio.archiveiterator import ArchiveIterator

    from chronicle.ingest import Failure  # the package imports this module

    skip = on_skip or (lambda origin, reason: None)
    try:
        fh = open(path, "rb")  # noqa: SIM115  (closed in finally; the generator may stop early)
    except FileNotFoundError:
        raise InputError(path, "no such file or directory") from None
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror or e})") from None
    try:
        gzipped = fh.read(2) == b"\x1f\x8b"
        size = os.fstat(fh.fileno()).st_size
        fh.seek(0)
        start: int | None = 0
        records = 0
        while start is not None:
            fh.seek(start)
            it = ArchiveIterator(fh, no_record_parse=False)
            offset = start
            try:
                for record in it:
                    offset = it.offset  # where this record starts (get_record_offset would read it to the end)
                    records += 1
                    if str(getattr(record, "format", "warc")).startswith("warc") and not (
                            record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
                        raise ValueError("record without a Content-Length")
                    item = _article(record, path, offset, max_record_bytes, skip)
                    if _truncated(record):
                        yield Failure(f"{path}#{offset}", "truncated WARC file (ends inside a record)")
                        return
                    if item is not None:
                        yield item
                end = getattr(it, "offset", size)
                if end < size - 4:  # warcio stopped before the end of the file: something unreadable there
                    raise ValueError(f"unreadable data at offset {end}")
                start = None
            except Exception as e:  # noqa: BLE001  (a hostile archive makes warcio raise anything: zlib, EOF, ...)
                reason = _explain(e)
                offset = max(offset, getattr(it, "offset", offset))  # the record being read when it broke
                where = f"{path}#{offset}"
                if "truncated" in reason:
                    yield Failure(where, reason)
                    return
                yield Failure(where, f"broken WARC record ({reason})")
                start = _resync(fh, offset + 1, gzipped)
                if start is not None:
                    LOGGER.info("%s: reading on from offset %d", path, start)
        if records == 0:
            yield Failure(path, "not a WARC file (no records)")
    finally:
        fh.close()


def _truncated(record: Any) -> bool:
    """True when the file ended before the record did (read what is left of it first)."""
    stream = record.raw_stream
    while stream.read(_CHUNK):
        pass
    return bool(getattr(stream, "limit", 0) > 0)


def _explain(e: Exception) -> str:
    msg = str(e).strip().splitlines()
    text = next((m.strip() for m in msg if m.strip()), type(e).__name__)
    if isinstance(e, EOFError) or "Compressed file ended" in text or "incomplete" in text.lower():
        return "truncated WARC file (ends inside a record)"
    return text[:200]


def _article(record: Any, path: str, offset: int, limit: int, skip: OnSkip) -> Any:
    from chronicle.ingest import Failure

    origin = f"{path}#{offset}"
    kind = record.rec_type
    if kind == "response":
        if record.http_headers is None:
            skip(origin, SKIP_NOT_HTML)
            return None
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            skip(origin, f"WARC response HTTP {status or '?'}")
            return None
        mime = _mime(record.http_headers.get_header("Content-Type"))
    elif kind == "resource":
        mime = _mime(record.rec_headers.get_header("Content-Type"))
    else:
        skip(origin, SKIP_NOT_HTML)
        return None
    if mime and mime not in HTML_TYPES:
        skip(origin, SKIP_NOT_HTML)
        return None
    data = record.content_stream().read(limit + 1)
    if not mime and b"<html" not in data[:2048].lower():
        skip(origin, SKIP_NOT_HTML)
        return None
    if len(data) > limit:
        return Failure(origin, f"HTML page too large (more than {limit:,} bytes; the limit is {limit:,})")
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    try:
        article = html.read(data, origin, url=url)
    except InputError as e:
        return Failure(e.origin, e.reason, e.stage)
    if not article.url:
        article.url = url
    return article
