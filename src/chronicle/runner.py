"""The jobs behind the CLI, callable from Python: extract articles, ingest them into a store.

The work is the same everywhere: read sources lazily, skip what the store already holds,
extract in batches, write each batch in one transaction. A bad input is counted and recorded,
never fatal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from chronicle.extract.pipeline import ExtractFailure, Extractor
from chronicle.ingest import Failure, read_sources
from chronicle.record import Article, Record, content_hash
from chronicle.store import Store

__all__ = ["Summary", "extract_paths", "ingest_paths"]

LOGGER = logging.getLogger(__name__)


@dataclass
class Summary:
    """What a run did: articles read, stored, skipped (already stored), failed."""

    read: int = 0
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[Failure] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.read} article(s) read, {self.stored} stored, {self.skipped} skipped "
                f"(already stored), {self.failed} failed")


def _as_failure(f: ExtractFailure) -> Failure:
    return Failure(f.article.origin or f.article.id, f"{f.stage} failed: {type(f.error).__name__}: {f.error}",
                   "extract")


def extract_paths(
    specs: Iterable[str],
    *,
    published: str | None = None,
    source: str | None = None,
    extractor: Extractor | None = None,
    summary: Summary | None = None,
    batch_size: int = 16,
) -> Iterator[Record | Failure]:
    """Records (and failures) for every article in the named inputs, in input order."""
    extractor = extractor or Extractor()
    summary = summary if summary is not None else Summary()

    def articles() -> Iterator[Article]:
        for item in read_sources(specs, published=published, source=source):
            if isinstance(item, Failure):
                failed.append(item)
                continue
            summary.read += 1
            yield item

    failed: list[Failure] = []
    for out in extractor.pipe(articles(), batch_size=batch_size):
        while failed:
            f = failed.pop(0)
            summary.failed += 1
            summary.failures.append(f)
            yield f
        if isinstance(out, ExtractFailure):
            f = _as_failure(out)
            summary.failed += 1
            summary.failures.append(f)
            yield f
        else:
            yield out
    for f in failed:
        summary.failed += 1
        summary.failures.append(f)
        yield f


def ingest_paths(
    specs: Iterable[str],
    store: Store,
    *,
    published: str | None = None,
    source: str | None = None,
    extractor: Extractor | None = None,
    batch_size: int = 32,
    progress: Callable[[Summary], None] | None = None,
) -> Summary:
    """Extract and store every article in the named inputs; returns what happened."""
    summary = Summary()
    extractor_ = extractor
    batch: list[Article] = []
    seen: set[str] = set()

    def flush() -> None:
        nonlocal extractor_
        if not batch:
            return
        if extractor_ is None:
            extractor_ = Extractor()
        records: list[Record] = []
        for out in extractor_.pipe(batch, batch_size=min(batch_size, 16)):
            if isinstance(out, ExtractFailure):
                f = _as_failure(out)
                summary.failed += 1
                summary.failures.append(f)
                store.record_failure(f.origin, f.stage, f.reason)
            else:
                records.append(out)
        result = store.write(records)
        summary.stored += result.stored
        summary.skipped += result.skipped
        batch.clear()
        if progress:
            progress(summary)

    for item in read_sources(specs, published=published, source=source):
        if isinstance(item, Failure):
            summary.failed += 1
            summary.failures.append(item)
            store.record_failure(item.origin, item.stage, item.reason)
            if progress:
                progress(summary)
            continue
        summary.read += 1
        keys = {item.id, "hash:" + content_hash(item.text)} | ({"url:" + item.url} if item.url else set())
        if keys & seen or store.has_article(item):
            summary.skipped += 1
            if progress:
                progress(summary)
            continue
        seen |= keys
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    flush()
    return summary
