"""The jobs behind the CLI, callable from Python: extract articles, ingest them into a store.

The work is the same everywhere: read sources lazily (files, URLs, feeds, WARC archives), skip
what is not wanted (other languages, pages that are not articles) and what the store already
holds, set aside copies of stored articles (near-duplicates), extract the rest in batches and
write each batch in one transaction. A bad input is counted and recorded, never fatal.
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chronicle.errors import ChronicleError
from chronicle.extract.pipeline import ExtractFailure, Extractor
from chronicle.ingest import Failure, read_sources
from chronicle.record import Article, Record, content_hash
from chronicle.store import Store
from chronicle.store.base import Duplicate

if TYPE_CHECKING:
    from chronicle.ingest.url import Fetcher
    from chronicle.scale import Executor

__all__ = ["DEFAULT_LANGUAGES", "Summary", "extract_paths", "ingest_items", "ingest_paths"]

LOGGER = logging.getLogger(__name__)

DEFAULT_LANGUAGES: tuple[str, ...] = ("en",)  # what the extraction pipeline reads
MAX_KEPT_FAILURES = 1000  # the summary keeps this many; every one is counted (and stored by ingest)


@dataclass
class Summary:
    """What a run did: articles read, stored, skipped (already stored), copies set aside,
    inputs skipped by reason (other languages, non-HTML WARC records) and failures."""

    read: int = 0
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    duplicates: int = 0
    skipped_by: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    workers: dict[str, float] = field(default_factory=dict)  # worker -> its peak memory (MB)

    def note_worker(self, worker: str, peak_rss_mb: float) -> None:
        if worker:
            self.workers[worker] = max(peak_rss_mb, self.workers.get(worker, 0.0))

    def fail(self, f: Failure) -> None:
        self.failed += 1
        if len(self.failures) < MAX_KEPT_FAILURES:
            self.failures.append(f)

    def skip(self, reason: str) -> None:
        self.skipped_by[reason] += 1

    def skips(self) -> str:
        """'3 language (de 2, fr 1), 12 non-HTML WARC records' (empty when nothing was skipped)."""
        langs = Counter({r.split(" ", 1)[1]: n for r, n in self.skipped_by.items() if r.startswith("language ")})
        parts = []
        if langs:
            detail = ", ".join(f"{k} {n}" for k, n in langs.most_common())
            parts.append(f"{sum(langs.values())} language ({detail})")
        for reason, n in self.skipped_by.most_common():
            if not reason.startswith("language "):
                parts.append(f"{n} {reason}{'s' if n != 1 and reason.endswith('record') else ''}")
        return ", ".join(parts)

    def line(self) -> str:
        out = (f"{self.read} article(s) read, {self.stored} stored, {self.skipped} skipped "
               f"(already stored), {self.failed} failed")
        if self.duplicates:
            out += f"; {self.duplicates} duplicate(s) of stored articles"
        skips = self.skips()
        if skips:
            out += f"; skipped: {skips}"
        return out


def _as_failure(f: ExtractFailure) -> Failure:
    return Failure(f.article.origin or f.article.id, f"{f.stage} failed: {type(f.error).__name__}: {f.error}",
                   "extract")


def _wanted(article: Article, languages: Collection[str] | None, summary: Summary) -> bool:
    """False (and counted) for an article in a language not asked for."""
    from chronicle.ingest import language

    lang = language.detect(article)
    if languages and lang and lang not in languages:
        summary.skip(f"language {lang}")
        return False
    return True


def extract_paths(
    specs: Iterable[str],
    *,
    published: str | None = None,
    source: str | None = None,
    extractor: Extractor | None = None,
    summary: Summary | None = None,
    batch_size: int = 16,
    allow_private: bool = False,
    languages: Collection[str] | None = DEFAULT_LANGUAGES,
    fetcher: Fetcher | None = None,
) -> Iterator[Record | Failure]:
    """Records (and failures) for every article in the named inputs, in input order."""
    extractor = extractor or Extractor()
    summary = summary if summary is not None else Summary()

    def articles() -> Iterator[Article]:
        for item in read_sources(specs, published=published, source=source, allow_private=allow_private,
                                 fetcher=fetcher, on_skip=lambda origin, reason: summary.skip(reason)):
            if isinstance(item, Failure):
                failed.append(item)
                continue
            summary.read += 1
            if _wanted(item, languages, summary):
                yield item

    failed: list[Failure] = []
    for out in extractor.pipe(articles(), batch_size=batch_size):
        while failed:
            f = failed.pop(0)
            summary.fail(f)
            yield f
        if isinstance(out, ExtractFailure):
            f = _as_failure(out)
            summary.fail(f)
            yield f
        else:
            yield out
    for f in failed:
        summary.fail(f)
        yield f


def backfill_fingerprints(store: Store, threshold: float | None = None) -> int:
    """Band keys for stored articles that have none (stored before near-duplicates existed)."""
    from chronicle.ingest import dedup

    done: set[str] = set()
    added = 0
    while True:
        rows = [(aid, text) for aid, text in store.unfingerprinted(500) if aid not in done]
        if not rows:
            return added
        fps = {}
        for aid, text in rows:
            done.add(aid)
            keys = dedup.fingerprint(text, threshold or dedup.DEFAULT_THRESHOLD).keys
            fps[aid] = keys or [f"none:{aid}"]  # a text too short for shingles: marked, never matched
        store.add_fingerprints(fps)
        added += len(rows)


def ingest_paths(
    specs: Iterable[str],
    store: Store,
    *,
    published: str | None = None,
    source: str | None = None,
    allow_private: bool = False,
    fetcher: Fetcher | None = None,
    executor: Executor | None = None,
    **options: Any,
) -> Summary:
    """Extract and store every article in the named inputs (files, directories, globs, URLs, feeds,
    WARC files); returns what happened. ``options`` are those of ``ingest_items``.

    With an ``executor`` that reads on its workers (a local pool, Dask), the inputs are cut into
    shards (files, URLs, byte ranges of large JSONL files) that the workers read; the client only
    lists them."""
    summary: Summary = options.pop("summary", None) or Summary()
    if executor is not None and executor.reads_on_workers:
        from chronicle.scale import ReadOptions, plan_shards

        languages = options.get("languages", DEFAULT_LANGUAGES)
        opts = ReadOptions(published, source, allow_private, tuple(languages) if languages else None)
        items: Iterable[Any] = _read_on_workers(executor, plan_shards(specs), opts, summary)
        options["languages_checked"] = True
    else:
        items = read_sources(specs, published=published, source=source, allow_private=allow_private,
                             fetcher=fetcher, on_skip=lambda origin, reason: summary.skip(reason))
    return ingest_items(items, store, summary=summary, executor=executor, **options)


def _read_on_workers(executor: Executor, shards: Iterable[Any], opts: Any, summary: Summary) -> Iterator[Any]:
    """The items of every shard, in input order; up to ``executor.window`` shards are read ahead."""
    pending: deque[Any] = deque()
    it = iter(shards)
    for shard in it:
        pending.append(executor.read(shard, opts))
        if len(pending) >= max(1, executor.window):
            break
    while pending:
        result = _result(pending.popleft())
        nxt = next(it, None)
        if nxt is not None:
            pending.append(executor.read(nxt, opts))
        for reason, n in result.skips.items():
            summary.skipped_by[reason] += n
        yield from result.items


def _result(future: Any) -> Any:
    """A worker's answer; a worker that died or a cluster that went away is one clear error
    (what was written before stays, and the same command resumes)."""
    try:
        return future.result()
    except ChronicleError:
        raise
    except Exception as e:
        raise ChronicleError(f"a worker failed ({type(e).__name__}: {e}); what was stored is kept: "
                             "run the same command again to resume") from e


@dataclass
class _Batch:
    """A batch sent for extraction, with what its writing will need."""

    future: Any
    articles: list[Article]
    copies: list[tuple[Duplicate, Article]]
    keys_of: dict[str, list[str]]
    seen: set[str]
    token: int


def ingest_items(
    items: Iterable[Article | Failure | Any],
    store: Store,
    *,
    summary: Summary | None = None,
    extractor: Extractor | None = None,
    executor: Executor | None = None,
    batch_size: int = 32,
    progress: Callable[[Summary], None] | None = None,
    languages: Collection[str] | None = DEFAULT_LANGUAGES,
    languages_checked: bool = False,
    dedup: bool = True,
    dup_threshold: float | None = None,
) -> Summary:
    """Extract and store articles (failures are recorded); returns what happened.

    ``languages``: articles detected in other languages are skipped ("language xx"); None lets
    every language through. ``dedup``: a near-copy of a stored article (or of one earlier in the
    run) is stored as a duplicate of it instead of being extracted. ``executor`` runs the
    extraction (default: this process); this function stays the one writer, deciding in input
    order what is stored, what is a copy and what each batch writes (one transaction per batch),
    so every executor gives the same database.
    """
    from chronicle.ingest import dedup as near
    from chronicle.scale import InProcess, Skipped

    summary = summary if summary is not None else Summary()
    executor = executor or InProcess(extractor)
    threshold = dup_threshold if dup_threshold is not None else near.DEFAULT_THRESHOLD
    index = near.Index(store, threshold) if dedup else None
    batch: list[Article] = []
    keys_of: dict[str, list[str]] = {}
    copies: list[tuple[Duplicate, Article]] = []
    seen: set[str] = set()  # ids and URLs of the current batch
    inflight: deque[_Batch] = deque()
    in_flight_keys: Counter[str] = Counter()  # ids and URLs of the batches being extracted
    unwritten: set[str] = set()  # articles admitted whose extraction failed (their copies take their place)
    serial = 0
    if dedup:
        n = backfill_fingerprints(store, threshold)
        if n:
            LOGGER.info("near-duplicate keys added for %d article(s) stored before", n)

    def tick() -> None:
        if progress:
            progress(summary)

    def flush() -> None:
        nonlocal batch, keys_of, copies, seen, serial
        if not batch and not copies:
            return
        serial += 1
        future = executor.extract(batch, min(batch_size, 16)) if batch else None
        inflight.append(_Batch(future, batch, copies, keys_of, seen, serial))
        in_flight_keys.update(seen)
        if index is not None:
            index.seal(serial)
        batch, keys_of, copies, seen = [], {}, [], set()
        while len(inflight) > executor.window:
            complete(inflight.popleft())

    def complete(b: _Batch) -> None:
        records: list[Record] = []
        if b.future is not None:
            result = _result(b.future)
            summary.note_worker(result.worker, result.peak_rss_mb)
            for aid, out in result.outs:
                if isinstance(out, Record):
                    records.append(out)
                else:
                    summary.fail(out)
                    store.record_failure(out.origin, out.stage, out.reason, once=True)
                    unwritten.add(aid)
            written = store.write(records, fingerprints=b.keys_of)
            summary.stored += written.stored
            summary.skipped += written.skipped
        ready = [d for d, _ in b.copies if d.duplicate_of not in unwritten]
        orphans = [a for d, a in b.copies if d.duplicate_of in unwritten]
        if ready:
            summary.duplicates += len(ready)
            store.write_duplicates(ready)
        in_flight_keys.subtract(b.seen)
        if index is not None:
            index.release(b.token)
        for a in orphans:  # the first copy could not be extracted: this copy takes its place
            admit(a)
        tick()

    def admit(item: Article) -> None:
        """Queue an article for extraction, or set it aside as a copy of one already known."""
        if index is not None:
            fp = near.fingerprint(item.text, threshold)
            hit = index.find(fp)
            if hit is not None:
                copies.append((Duplicate.of(item, hit[0], hit[1]), item))
                return
            index.add(item.id, fp)
            keys_of[item.id] = fp.keys or [f"none:{item.id}"]
        batch.append(item)

    for item in items:
        if isinstance(item, Failure):
            summary.fail(item)
            store.record_failure(item.origin, item.stage, item.reason, once=True)
            tick()
            continue
        summary.read += 1
        if isinstance(item, Skipped):
            summary.skip(item.reason)
            tick()
            continue
        if not languages_checked and not _wanted(item, languages, summary):
            tick()
            continue
        keys = {item.id} | ({"url:" + item.url} if item.url else set())
        if index is None:
            keys.add("hash:" + content_hash(item.text))
        known = store.is_stored(item) if index is not None else store.has_article(item)
        if keys & seen or any(in_flight_keys[k] > 0 for k in keys) or known:
            summary.skipped += 1
            tick()
            continue
        seen.update(keys)
        admit(item)
        if len(batch) >= batch_size or len(copies) >= 4 * batch_size:
            flush()
    flush()
    while inflight:
        complete(inflight.popleft())
        flush()  # orphans admitted by the last batches
    return summary
