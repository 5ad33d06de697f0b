"""Where extraction runs: in this process, in a local process pool, or on a Dask cluster.

The work is the same pure function everywhere (``Extractor.pipe`` over a batch of articles),
run by an *executor* with two operations, each returning a future:

- ``read(shard)``: read one piece of the input on a worker (a file, a URL, a WARC archive, or
  one byte range of a large JSONL file) and return its articles, failures and skips. Sources
  are read where the work runs; the client only lists paths and byte offsets;
- ``extract(articles)``: the records of a batch, with the model loaded once per worker process.

The client (``runner.ingest_items``) stays the one writer: it decides in input order what is
already stored, what is a copy of what, and writes each batch of records in one transaction.
Scheduling is the executors': ``concurrent.futures.ProcessPoolExecutor`` locally, Dask
``Client.submit`` on a cluster.
"""

from __future__ import annotations

import logging
import os
import resource
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from chronicle.errors import ConfigError
from chronicle.record import Article, Record

__all__ = ["DaskExecutor", "Executor", "InProcess", "LocalPool", "ReadOptions", "Shard", "Skipped", "make_executor",
           "plan_shards"]

LOGGER = logging.getLogger(__name__)

# a JSONL file larger than this is read by several workers, a byte range each
SHARD_BYTES = int(os.environ.get("CHRONICLE_SHARD_BYTES") or 1 << 20)
SPLITTABLE = (".jsonl", ".ndjson")
# the same single-threaded numerics in every worker, pool or Dask (distributed sets these too)
WORKER_ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


@dataclass(frozen=True, slots=True)
class Shard:
    """A piece of the input that one worker reads by itself: a path or URL, or the byte range
    [start, end) of a JSONL file whose first line is line ``first_line``."""

    spec: str
    start: int = 0
    end: int = -1
    first_line: int = 1


@dataclass(frozen=True, slots=True)
class Skipped:
    """An article read but not wanted (another language): counted as read and skipped."""

    reason: str


@dataclass(slots=True)
class ReadOptions:
    published: str | None = None
    source: str | None = None
    allow_private: bool = False
    languages: tuple[str, ...] | None = ("en",)


@dataclass(slots=True)
class ShardResult:
    items: list[Any]  # Article | Failure | Skipped, in input order
    skips: Counter[str] = field(default_factory=Counter)  # inputs that are not articles (WARC requests...)


@dataclass(slots=True)
class BatchResult:
    outs: list[tuple[str, Any]]  # (article id, Record | Failure), in the batch's order
    worker: str = ""
    peak_rss_mb: float = 0.0


def plan_shards(specs: Iterable[str], shard_bytes: int | None = None) -> Iterator[Shard]:
    """The shards of the named inputs, in input order. Large JSONL files are cut at line ends
    (the file is scanned for newlines, never held)."""
    from chronicle.ingest import expand_paths
    from chronicle.ingest.url import is_url

    shard_bytes = shard_bytes or SHARD_BYTES
    for spec in specs:
        if is_url(spec):
            yield Shard(spec)
            continue
        for path in expand_paths([spec]):
            try:
                size = os.path.getsize(path)
            except OSError:
                size = 0
            if path.lower().endswith(SPLITTABLE) and size > shard_bytes:
                yield from _jsonl_ranges(path, shard_bytes)
            else:
                yield Shard(path)


def _jsonl_ranges(path: str, shard_bytes: int) -> Iterator[Shard]:
    start, line, pos, first = 0, 1, 0, 1
    with open(path, "rb") as f:
        for raw in f:
            pos += len(raw)
            line += 1
            if pos - start >= shard_bytes:
                yield Shard(path, start, pos, first)
                start, first = pos, line
    if pos > start:
        yield Shard(path, start, pos, first)


# --- the work itself, run on workers ------------------------------------------------------------

def read_shard(shard: Shard, opts: ReadOptions) -> ShardResult:
    """Every item of one shard: articles (language checked), failures and skips."""
    from chronicle.ingest import Failure, Sources, _fill, jsonl
    from chronicle.ingest import language as lang

    skips: Counter[str] = Counter()
    items: list[Any] = []
    if shard.end >= 0:
        with open(shard.spec, "rb") as f:
            f.seek(shard.start)
            data = f.read(shard.end - shard.start)
        try:
            raw: Iterable[Any] = [_fill(x, opts.published, opts.source)
                                  for x in jsonl.read(data, shard.spec, first_line=shard.first_line)]
        except Exception as e:  # noqa: BLE001  (an unreadable range is that range's failure)
            raw = [Failure(f"{shard.spec}:{shard.first_line}", f"cannot read ({e})")]
    else:
        sources = Sources(published=opts.published, source=opts.source, allow_private=opts.allow_private,
                          on_skip=lambda origin, reason: skips.update([reason]))
        raw = sources.read([shard.spec])
    for item in raw:
        if isinstance(item, Article):
            code = lang.detect(item)
            if opts.languages and code and code not in opts.languages:
                items.append(Skipped(f"language {code}"))
                continue
        items.append(item)
    return ShardResult(items, skips)


_WORKER: dict[str, Any] = {}
_WORKER_LOCK = threading.Lock()


def worker_extractor() -> Any:
    """This worker process's Extractor: the model is loaded once, on first use."""
    with _WORKER_LOCK:
        ex = _WORKER.get("extractor")
        if ex is None:
            ex = _WORKER["extractor"] = loaded_extractor()
        return ex


def loaded_extractor() -> Any:
    """A new Extractor, its model and lexicons then moved out of the garbage collector's sight
    (``gc.freeze``): they live as long as the process, and every full collection would walk
    them again (about 1 ms an article on long articles)."""
    import gc

    from chronicle.extract.pipeline import Extractor

    ex = Extractor()
    gc.collect()
    gc.freeze()
    return ex


def _peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def extract_batch(articles: list[Article], batch_size: int = 16, extractor: Any = None) -> BatchResult:
    """The records of a batch (a failure stands in for an article that could not be extracted)."""
    from chronicle.extract.pipeline import ExtractFailure
    from chronicle.runner import _as_failure

    ex = extractor or worker_extractor()
    outs: list[tuple[str, Any]] = []
    for article, out in zip(articles, ex.pipe(articles, batch_size=batch_size), strict=True):
        outs.append((article.id, _as_failure(out) if isinstance(out, ExtractFailure) else out))
    return BatchResult(outs, f"{os.uname().nodename}:{os.getpid()}", _peak_rss_mb())


def _init_pool_worker() -> None:
    worker_extractor()


# --- executors ------------------------------------------------------------------------------------

class Executor:
    """Runs reads and extractions; ``window`` is how many may be in flight at once."""

    name = "in-process"
    workers = 1
    window = 0
    reads_on_workers = False

    def read(self, shard: Shard, opts: ReadOptions) -> Any:
        raise NotImplementedError

    def extract(self, articles: list[Article], batch_size: int = 16) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _done(value: Any) -> Future[Any]:
    f: Future[Any] = Future()
    f.set_result(value)
    return f


class InProcess(Executor):
    """Everything in this process, one batch at a time (``--workers 1``)."""

    def __init__(self, extractor: Any = None) -> None:
        self._extractor = extractor

    def read(self, shard: Shard, opts: ReadOptions) -> Future[ShardResult]:
        return _done(read_shard(shard, opts))

    def extract(self, articles: list[Article], batch_size: int = 16) -> Future[BatchResult]:
        if self._extractor is None:
            self._extractor = loaded_extractor()
        return _done(extract_batch(articles, batch_size, self._extractor))


class LocalPool(Executor):
    """A pool of worker processes on this machine (``--workers N``), each loading the model once."""

    name = "local pool"
    reads_on_workers = True

    def __init__(self, workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        for k, v in WORKER_ENV.items():
            os.environ.setdefault(k, v)
        self.workers = workers
        self.window = 2 * workers
        # spawn: workers start clean (no copy of this process's threads or open database)
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_init_pool_worker)

    def read(self, shard: Shard, opts: ReadOptions) -> Any:
        return self.pool.submit(read_shard, shard, opts)

    def extract(self, articles: list[Article], batch_size: int = 16) -> Any:
        return self.pool.submit(extract_batch, articles, batch_size)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _tune_malloc() -> str:
    """On a worker that distributed started with MALLOC_TRIM_THRESHOLD_ set (which keeps glibc's
    mmap threshold at 128 KiB and makes spaCy ~35% slower), raise the thresholds to what glibc's
    own dynamic setting reaches."""
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ or not sys.platform.startswith("linux"):
        return "default"
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        libc.mallopt(m_mmap_threshold, 32 * 1024 * 1024)
        libc.mallopt(m_trim_threshold, 64 * 1024 * 1024)
        return "tuned"
    except OSError:
        return "unchanged"


class DaskExecutor(Executor):
    """A Dask cluster: ``tcp://host:8786`` (an existing scheduler) or ``local`` (a LocalCluster of
    ``workers`` processes, one thread each). Work is submitted as futures; each worker process
    loads the model once."""

    name = "dask"
    reads_on_workers = True

    def __init__(self, address: str, workers: int | None = None) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError("--dask needs dask.distributed: pip install 'chronicle[dask]'") from None
        self.cluster = None
        if logging.getLogger().getEffectiveLevel() > logging.INFO:  # quiet unless -v
            logging.getLogger("distributed").setLevel(logging.ERROR)
        if address == "local":
            n = workers or os.cpu_count() or 1
            # distributed sets MALLOC_TRIM_THRESHOLD_=65536 in its workers by default, which makes
            # spaCy ~35% slower (../shared/STACK.md): leave glibc's default in our workers
            # (CHRONICLE_DASK_TRAP=1 keeps distributed's setting: for benchmarks/scale.py --trap only)
            trap = os.environ.get("CHRONICLE_DASK_TRAP") == "1"
            if not trap:
                dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None})
            # the workers' statistical profiler samples the busy thread's stack every 10 ms
            # (under the GIL) for a dashboard this cluster does not start
            dask.config.set({"distributed.worker.profile.enabled": False})
            self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        else:
            self.client = Client(address)
        if os.environ.get("CHRONICLE_DASK_TRAP") != "1":
            self.client.run(_tune_malloc)
        self.workers = max(1, len(self.client.scheduler_info()["workers"]))
        self.window = 2 * self.workers
        self.address = address

    def read(self, shard: Shard, opts: ReadOptions) -> Any:
        return self.client.submit(read_shard, shard, opts, pure=False)

    def extract(self, articles: list[Article], batch_size: int = 16) -> Any:
        return self.client.submit(extract_batch, articles, batch_size, pure=False)

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def make_executor(workers: int | None = None, dask: str | None = None, extractor: Any = None) -> Executor:
    """The executor for ``--workers``/``--dask``: Dask when an address is given, a local pool for
    more than one worker, else this process."""
    if dask:
        return DaskExecutor(dask, workers)
    if workers is not None and workers > 1:
        return LocalPool(workers)
    return InProcess(extractor)


def records_of(result: BatchResult) -> Iterator[Record]:
    for _, out in result.outs:
        if isinstance(out, Record):
            yield out


Callback = Callable[[Any], None]
