"""Reading an input file safely: size cap, gzip, binary junk, text encodings."""

from __future__ import annotations

import os
import zlib

from chronicle.errors import InputError

__all__ = ["MAX_BYTES", "decode", "looks_binary", "read_bytes"]

MAX_BYTES = 50 * 1024 * 1024  # one input file, after decompression
MAX_ARTICLE_CHARS = 2_000_000  # longer texts are not articles (spaCy's own limit is 1M per doc)


def read_bytes(path: str, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes (gunzipped when it is gzip), or InputError naming it."""
    try:
        size = os.path.getsize(path)
        if size > limit and not path.endswith(".gz"):
            raise InputError(path, f"file too large ({size:,} bytes; the limit is {limit:,})")
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise InputError(path, "no such file or directory") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror or e})") from None
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(path, data, limit)
    if len(data) > limit:
        raise InputError(path, f"file too large (more than {limit:,} bytes; the limit is {limit:,})")
    return data


def _gunzip(path: str, data: bytes, limit: int) -> bytes:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as e:
        raise InputError(path, f"broken gzip data ({e})") from None
    if len(out) > limit:
        raise InputError(path, f"decompresses to more than {limit:,} bytes (the limit)")
    if not d.eof:
        raise InputError(path, "truncated gzip file")
    return out


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we read (NUL bytes, control junk)."""
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark is text
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(sample) > 0.05


def decode(data: bytes, origin: str, declared: str | None = None) -> str:
    """Text from bytes: BOMs, UTF-8, a declared charset, else the most likely encoding."""
    if looks_binary(data):
        raise InputError(origin, "not text (binary data)")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    if len(data) >= 512:  # too little text makes any guess a coin toss: Windows-1252 then
        from charset_normalizer import from_bytes  # a dependency of trafilatura

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            return data.decode(best.encoding, errors="replace")
    return data.decode("cp1252", errors="replace")
