"""Ingest: turn what the user names (files, directories, globs) into Articles.

One module per kind of source. ``read_sources`` walks the inputs lazily and yields an
``Article`` for every article read and a ``Failure`` for every input that could not be read;
one bad input never stops the others.
"""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from chronicle.errors import InputError
from chronicle.ingest import html, jsonl, text
from chronicle.ingest.files import read_bytes
from chronicle.record import Article

__all__ = ["Failure", "expand_paths", "kind_of", "read_path", "read_sources"]

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
    low = path.lower()
    if low.endswith(JSONL_SUFFIXES) or low.endswith(".json"):
        return "jsonl"
    if low.endswith(HTML_SUFFIXES):
        return "html"
    if low.endswith(TEXT_SUFFIXES):
        return "text"
    sniff = head.lstrip()[:512].lower()
    if sniff.startswith(b"{"):
        return "jsonl"
    if sniff.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in sniff or b"<head" in sniff:
        return "html"
    return "text"


def read_path(
    path: str, *, published: str | None = None, source: str | None = None
) -> Iterator[Article | Failure]:
    """Every article in one file; a Failure for the file or for each bad item in it."""
    try:
        data = read_bytes(path)
        kind = kind_of(path, data[:2048])
        if kind == "jsonl":
            items: Iterable[Article | Failure] = jsonl.read(data, path)
        elif kind == "html":
            items = [html.read(data, path)]
        else:
            items = [text.read(data, path)]
        for item in items:
            if isinstance(item, Article):
                if published:
                    item.published = published
                if source and not item.source:
                    item.source = source
            yield item
    except InputError as e:
        LOGGER.info("skipping %s", e)
        yield Failure(e.origin, e.reason, e.stage)


def read_sources(
    specs: Iterable[str], *, published: str | None = None, source: str | None = None
) -> Iterator[Article | Failure]:
    """Articles (and failures) from every file named by ``specs``, lazily, in order."""
    for path in expand_paths(specs):
        yield from read_path(path, published=published, source=source)
