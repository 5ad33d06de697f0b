"""Plain-text articles: the first line is the title when it looks like one."""

from __future__ import annotations

import re

from chronicle.errors import InputError
from chronicle.ingest.files import MAX_ARTICLE_CHARS, decode
from chronicle.record import Article, article_id_for

__all__ = ["looks_like_title", "read", "split_title"]

_SENTENCE_END = re.compile(r"[.!?:;,]['\"”’)]?$")


def looks_like_title(line: str) -> bool:
    """A headline: short, one line, not ending like a sentence."""
    words = line.split()
    return 0 < len(words) <= 25 and len(line) <= 200 and not _SENTENCE_END.search(line.strip())


def split_title(text: str) -> tuple[str | None, str]:
    """(title, body): the first non-empty line is the title when it looks like one and more follows."""
    stripped = text.lstrip("\ufeff \t\r\n")
    first, sep, rest = stripped.partition("\n")
    if sep and rest.strip() and looks_like_title(first.strip()):
        return first.strip(), rest.strip("\r\n")
    return None, stripped


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read(data: bytes, origin: str) -> Article:
    body = normalise_newlines(decode(data, origin))
    title, body = split_title(body)
    body = body.strip()
    if not body:
        raise InputError(origin, "empty article (no text)")
    if len(body) > MAX_ARTICLE_CHARS:
        raise InputError(origin, f"text too long for one article ({len(body):,} characters)")
    return Article(id=article_id_for(body), text=body, title=title, origin=origin)
