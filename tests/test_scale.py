"""At scale: the same corpus gives the same database in this process, in a local pool and on
Dask, into SQLite and PostgreSQL; `kill -9` mid-run and the same command again gives the
database a clean run gives; sources are cut into shards the workers read."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest

from chronicle.ingest import Failure, read_sources
from chronicle.record import Article
from chronicle.scale import ReadOptions, Shard, Skipped, plan_shards, read_shard
from chronicle.store import open_store

TABLES = ("articles", "entities", "mentions", "statements", "events", "quantities", "times", "places", "failures",
          "duplicates", "article_bands")
VOLATILE = {"ingested_at", "at", "tsv"}  # when a row was written, and PostgreSQL's derived search column


def demo_articles() -> list[dict]:
    text = (resources.files("chronicle.demo") / "articles.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def write_corpus(path: Path, n: int = 12) -> Path:
    """n demo articles, plus what a real feed brings: the same article again, a near-copy of an
    earlier one under another id (lands in a later batch), a broken line and a German article."""
    items = demo_articles()[:n]
    copy = dict(items[1], id="copy-of-2", url="https://copies.example/2", source="Copier")
    copy["text"] = copy["text"].replace(".", ". ", 1)  # same words, another byte string
    german = {"id": "de-1", "title": "Nachrichten", "text": "Die Regierung hat am Montag in Berlin neue "
              "Maßnahmen beschlossen, die nach Angaben des Ministeriums ab dem kommenden Monat gelten sollen. "
              "Die Opposition kritisierte die Pläne als unzureichend und forderte weitere Gespräche."}
    lines = [json.dumps(x, ensure_ascii=False) for x in items[:6]]
    lines += ["{not json", json.dumps(german, ensure_ascii=False)]
    lines += [json.dumps(x, ensure_ascii=False) for x in items[6:]]
    lines += [json.dumps(items[0], ensure_ascii=False), json.dumps(copy, ensure_ascii=False)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def chronicle(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    e = {**os.environ, "CHRONICLE_SHARD_BYTES": "6000", **(env or {})}
    return subprocess.run([sys.executable, "-m", "chronicle", *args], capture_output=True, text=True,
                          timeout=900, env=e, **kw)


def checksums(target: str) -> dict[str, str]:
    """A checksum per table: every row (less the time it was written), sorted."""
    out = {}
    with open_store(target, readonly=True) as s:
        for t in TABLES:
            rows = s._query(f"SELECT * FROM {t}")
            names = list(rows[0].keys()) if rows else []
            keep = [i for i, n in enumerate(names) if n not in VOLATILE and not (t == "failures" and n == "id")]
            norm = sorted(json.dumps([r[i] for i in keep], default=str) for r in rows)
            out[t] = f"{len(rows)}:" + hashlib.sha256("\n".join(norm).encode()).hexdigest()[:16]
    return out


def test_plan_shards_cuts_large_jsonl(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl")
    shards = list(plan_shards([str(corpus)], shard_bytes=5000))
    assert len(shards) > 3 and shards[0].start == 0 and shards[-1].end == corpus.stat().st_size
    assert all(a.end == b.start for a, b in itertools.pairwise(shards))
    opts = ReadOptions(languages=None)
    got = [x for s in shards for x in read_shard(s, opts).items]
    want = list(read_sources([str(corpus)]))
    assert [(type(x).__name__, x.origin) for x in got] == [(type(x).__name__, x.origin) for x in want]
    assert [x.id for x in got if isinstance(x, Article)] == [x.id for x in want if isinstance(x, Article)]
    failed = [x for x in got if isinstance(x, Failure)]
    assert failed[0].origin == f"{corpus}:7"  # line numbers as in the file, whichever shard read it
    skipped = read_shard(Shard(str(corpus)), ReadOptions()).items
    assert Skipped("language de") in skipped


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("scale") / "corpus.jsonl")


@pytest.fixture(scope="module")
def clean_run(corpus: Path) -> tuple[str, str]:
    """The corpus ingested in this process, in one go: the database every other run must equal."""
    db = str(corpus.parent / "clean.db")
    res = chronicle("ingest", str(corpus), "--db", db, "--workers", "1", "--batch-size", "3")
    assert res.returncode == 0, res.stderr
    return db, res.stdout


def _line(stdout: str) -> str:
    return stdout.split(" -> ")[0]


@pytest.mark.slow
def test_same_database_in_process_pool_and_dask(corpus: Path, clean_run: tuple[str, str]) -> None:
    db, out = clean_run
    assert "15 article(s) read, 12 stored, 1 skipped (already stored), 1 failed; 1 duplicate(s)" in out, out
    assert "skipped: 1 language (de 1)" in out
    want = checksums(db)
    for mode in (["--workers", "2"], ["--dask", "local", "--workers", "2"]):
        other = str(corpus.parent / f"{mode[1]}.db")
        res = chronicle("ingest", str(corpus), "--db", other, "--batch-size", "3", *mode)
        assert res.returncode == 0, res.stderr
        assert _line(res.stdout) == _line(out)
        assert "2 worker(s)" in res.stdout and "peak memory per worker" in res.stdout
        assert checksums(other) == want, mode
    with open_store(db, readonly=True) as a, open_store(str(corpus.parent / "local.db"), readonly=True) as b:
        assert [r.to_json() for r in a.iter_records()] == [r.to_json() for r in b.iter_records()]


@pytest.mark.slow
def test_same_database_into_postgres(corpus: Path, clean_run: tuple[str, str], pg_dsn: str,
                                     pg_server: str) -> None:
    import psycopg

    db, out = clean_run
    want = checksums(db)
    res = chronicle("ingest", str(corpus), "--db", pg_dsn, "--batch-size", "3", "--workers", "2")
    assert res.returncode == 0, res.stderr
    assert _line(res.stdout) == _line(out)
    assert checksums(pg_dsn) == want
    second = pg_dsn.rsplit("/", 1)[0] + "/" + pg_dsn.rsplit("/", 1)[1] + "_dask"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {second.rsplit('/', 1)[1]}")
    try:
        res = chronicle("ingest", str(corpus), "--db", second, "--batch-size", "3", "--dask", "local",
                        "--workers", "2")
        assert res.returncode == 0, res.stderr
        assert checksums(second) == want
        res = chronicle("search", "Mariupol", "--db", second)
        assert res.returncode == 0 and "[Mariupol]" in res.stdout
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {second.rsplit('/', 1)[1]} WITH (FORCE)")


def _count(db: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_kill_9_then_rerun_gives_the_clean_database(corpus: Path, clean_run: tuple[str, str], tmp_path: Path,
                                                    workers: str) -> None:
    db = str(tmp_path / "killed.db")
    cmd = [sys.executable, "-m", "chronicle", "ingest", str(corpus), "--db", db, "--workers", workers,
           "--batch-size", "3"]
    env = {**os.environ, "CHRONICLE_SHARD_BYTES": "6000"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    deadline = time.monotonic() + 600
    while _count(db) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the writer and its workers, at once
    proc.wait()
    assert 3 <= _count(db) < 12, "killed too late to prove anything"
    res = chronicle("ingest", str(corpus), "--db", db, "--workers", workers, "--batch-size", "3")
    assert res.returncode == 0, res.stderr
    assert "skipped (already stored)" in res.stdout
    assert checksums(db) == checksums(clean_run[0])


def test_locked_database_is_one_line(tmp_path: Path, corpus: Path) -> None:
    db = str(tmp_path / "locked.db")
    open_store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        res = chronicle("ingest", str(corpus), "--db", db, "--workers", "1", env={"CHRONICLE_BUSY_TIMEOUT": "0.2"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert res.returncode == 1
    assert res.stderr.strip().splitlines() == [f"chronicle: error: {db}: database is locked by another process "
                                               "(try again when it ends)"]
