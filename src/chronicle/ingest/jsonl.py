"""JSONL of articles: one ``{"id", "title", "published", "url", "source", "text"}`` a line.

A given ``id`` is kept as the article's id (the gold scorers match records by it). A ``.json``
file holding one object or a list of objects is read the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from chronicle.errors import InputError
from chronicle.ingest.files import MAX_ARTICLE_CHARS, decode
from chronicle.ingest.text import normalise_newlines
from chronicle.record import Article, article_id_for

__all__ = ["article_from_object", "read"]

_FIELDS = ("id", "title", "published", "url", "source", "text", "language", "author")


def article_from_object(obj: Any, origin: str) -> Article:
    if not isinstance(obj, dict):
        raise InputError(origin, "not a JSON object")
    text = obj.get("text") if isinstance(obj.get("text"), str) else obj.get("body")
    if not isinstance(text, str) or not text.strip():
        raise InputError(origin, "no 'text' field with the article's text")
    text = normalise_newlines(text)
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(origin, f"text too long for one article ({len(text):,} characters)")
    meta = {k: obj.get(k) for k in _FIELDS if k != "text"}
    for k, v in meta.items():
        if v is not None and not isinstance(v, str):
            meta[k] = str(v)
    published = meta["published"]
    if published and len(published) >= 10 and published[4] == "-":
        published = published[:10]
    url = meta["url"] or None
    return Article(
        id=meta["id"] or article_id_for(text, url),
        text=text,
        title=meta["title"],
        published=published or None,
        source=meta["source"],
        url=url,
        origin=origin,
        language=meta["language"],
        author=meta["author"],
    )


def read(data: bytes, origin: str, first_line: int = 1) -> Iterator[Article | Any]:
    """Articles of JSONL data; ``first_line`` is the line number of the data's first line (a
    worker reading one byte range of a large file names lines as they are in the file)."""
    from chronicle.ingest import Failure  # the package imports this module

    content = decode(data, origin)
    stripped = content.lstrip()
    if stripped.startswith("[") and first_line == 1:
        try:
            items = json.loads(stripped)
        except json.JSONDecodeError as e:
            raise InputError(origin, f"invalid JSON ({e.msg} at line {e.lineno})") from None
        for i, obj in enumerate(items):
            try:
                yield article_from_object(obj, f"{origin}#{i}")
            except InputError as e:
                yield Failure(e.origin, e.reason)
        return
    for n, line in enumerate(content.splitlines(), first_line):
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        try:
            obj = json.loads(line)
            yield article_from_object(obj, where)
        except json.JSONDecodeError as e:
            if n == 1 and origin.endswith(".json"):
                try:  # one pretty-printed object
                    yield article_from_object(json.loads(content), origin)
                    return
                except (json.JSONDecodeError, InputError):
                    pass
            yield Failure(where, f"invalid JSON ({e.msg})")
        except InputError as e:
            yield Failure(e.origin, e.reason)
