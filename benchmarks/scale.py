#!/usr/bin/env python3
"""At-scale benchmarks: chronicle's ingest in 1 and 2 local workers and on a Dask LocalCluster of
2 workers, beside bare spaCy on the same texts in 1 and 2 processes; PostgreSQL vs SQLite load
time for the same records; the projected wall time of a 100,000-article day.

    python benchmarks/scale.py [--n 2000] [--corpus PATH] [--runs spacy1,ingest1,spacy2,ingest2,dask2]
                               [--trap] [--rounds 1] [--json OUT]

The corpus (default ``../shared/corpus/wikinews/articles.jsonl``, 281 real articles) is repeated
to ``--n`` articles, each copy with its own id, URL and a marker line. Every run is whole
processes timed from launch to exit (model loading included, for spaCy as for chronicle), on
the same texts:

- ``spacy1``: bare spaCy, ``spacy.load(MODEL).pipe(texts, batch_size=16)``, one process;
- ``spacy2``: the same in two independent processes, half the texts each (the best two cores can do);
- ``ingest1``/``ingest2``: ``chronicle ingest --workers 1|2 --no-dedup`` into a fresh SQLite
  database (read, extract, store: the whole pipeline; no near-duplicate check, so every copy is
  extracted like bare spaCy parses it);
- ``dask2``: ``chronicle ingest --dask local --workers 2 --no-dedup``;
- ``--trap``: also ``dask2`` with distributed's default ``MALLOC_TRIM_THRESHOLD_=65536`` left in
  the workers' environment, to show what the override saves.

Each run reports articles/s (wall clock) and CPU seconds per article (all its processes: steady
when other work shares the machine), the peak memory of each worker, and the load average
before and after. Throughput figures mean something only on a quiet machine: read the load.
The speed of a shared machine also drifts over half an hour; ``--rounds 2`` runs the list,
then again in reverse order (A B C, C B A), and sums each run's rounds, so a steady drift
weighs on every run alike.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from run import build_corpus  # noqa: E402

RUNS = ("spacy1", "ingest1", "spacy2", "ingest2", "dask2")
LABELS = {
    "spacy1": "bare spaCy `nlp.pipe`, 1 process",
    "ingest1": "chronicle ingest, 1 worker (in-process)",
    "spacy2": "bare spaCy `nlp.pipe`, 2 processes",
    "ingest2": "chronicle ingest, 2 workers (local pool)",
    "dask2": "chronicle ingest, Dask LocalCluster of 2 workers",
    "dask2-trap": "... with distributed's MALLOC_TRIM_THRESHOLD_ left in",
}
BASE = {"ingest1": "spacy1", "ingest2": "spacy2", "dask2": "spacy2", "dask2-trap": "spacy2"}
DAY = 100_000
SPACY_CHILD = """
import json, resource, sys, time
import spacy
from chronicle.extract.nlp import MODEL
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
part, parts = int(sys.argv[2]), int(sys.argv[3])
texts = texts[part::parts]
nlp = spacy.load(MODEL)
n = sum(1 for _ in nlp.pipe(texts, batch_size=16))
print(json.dumps({"articles": n, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _chronicle() -> list[str]:
    return [sys.executable, "-m", "chronicle"]


def run_spacy(corpus: Path, processes: int) -> dict[str, Any]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    c0, t0 = _cpu_children(), time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", SPACY_CHILD, str(corpus), str(i), str(processes)],
                              stdout=subprocess.PIPE, text=True, env=env) for i in range(processes)]
    outs = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    seconds, cpu = time.perf_counter() - t0, _cpu_children() - c0
    if any(p.returncode for p in procs):
        raise SystemExit("bench: a spaCy process failed")
    return {"articles": sum(o["articles"] for o in outs), "seconds": seconds, "cpu_seconds": cpu,
            "peak_rss_mb": [round(o["peak_rss_mb"]) for o in outs]}


def run_ingest(corpus: Path, db: str, mode: list[str], trap: bool = False) -> dict[str, Any]:
    env = dict(os.environ)
    if trap:
        env["CHRONICLE_DASK_TRAP"] = "1"
    c0, t0 = _cpu_children(), time.perf_counter()
    proc = subprocess.run([*_chronicle(), "ingest", str(corpus), "--db", db, "--no-dedup", "-q", *mode],
                          capture_output=True, text=True, env=env)
    seconds, cpu = time.perf_counter() - t0, _cpu_children() - c0
    if proc.returncode != 0:
        raise SystemExit(f"bench: ingest {' '.join(mode)} failed:\n{proc.stderr[-2000:]}")
    line = proc.stdout.strip().splitlines()[-1]
    stored = int(re.search(r"(\d+) stored", line).group(1))  # type: ignore[union-attr]
    peaks = [float(x) for x in re.findall(r"peak memory(?: per worker)? (\d+)(?:-(\d+))? MB", line)[0] if x]
    return {"articles": stored, "seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peaks, "summary": line}


# --- PostgreSQL vs SQLite: loading the same records ---------------------------------------------------

def _start_postgres(tmp: str) -> tuple[str, Any]:
    """$CHRONICLE_TEST_PG, or a throwaway cluster (as tests/conftest.py starts one)."""
    if os.environ.get("CHRONICLE_TEST_PG"):
        return os.environ["CHRONICLE_TEST_PG"], None
    import glob
    import socket

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        return "", None
    bindir = os.path.dirname(found[-1])
    data = tempfile.mkdtemp(prefix="chronicle-bench-pg-")
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_pg:
        shutil.chown(data, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run([*as_pg, f"{bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                    "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*as_pg, f"{bindir}/pg_ctl", "-D", data, "-l", f"{data}/log", "-w", "-o",
                    f"-p {port} -c listen_addresses=127.0.0.1 -k {data}", "start"], check=True, capture_output=True)

    def stop() -> None:
        subprocess.run([*as_pg, f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)

    return f"postgresql://postgres@127.0.0.1:{port}/postgres", stop


def load_times(source_db: str, tmp: str, batch: int = 32) -> dict[str, Any]:
    """Seconds to write the same records (read back from ``source_db``) into a fresh SQLite
    database and a fresh PostgreSQL database, ``batch`` records a transaction."""
    from chronicle.store import open_store

    with open_store(source_db, readonly=True) as s:
        records = list(s.iter_records())
    out: dict[str, Any] = {"records": len(records)}
    dsn, stop = _start_postgres(tmp)
    targets = [("sqlite", os.path.join(tmp, "load.db"))] + ([("postgres", dsn)] if dsn else [])
    try:
        for name, target in targets:
            with open_store(target) as store:
                t0 = time.perf_counter()
                for i in range(0, len(records), batch):
                    store.write(records[i:i + batch])
                out[name] = time.perf_counter() - t0
    finally:
        if stop:
            stop()
    return out


# --- report --------------------------------------------------------------------------------------------

def render(results: dict[str, dict[str, Any]]) -> str:
    lines = ["| run | articles | seconds | articles/s | vs bare spaCy (same processes) | CPU s/article "
             "| vs bare spaCy (CPU) | peak RSS per process (MB) |", "|---|---:|---:|---:|---:|---:|---:|---|"]
    for run, r in results.items():
        if run == "load":
            continue
        base = results.get(BASE.get(run, ""))
        ratio = f"{r['rate'] / base['rate']:.2f}x" if base else "(baseline)"
        cratio = f"{base['cpu_per_article'] / r['cpu_per_article']:.2f}x" if base else "(baseline)"
        peaks = ", ".join(f"{p:.0f}" for p in r["peak_rss_mb"])
        lines.append(f"| {LABELS[run]} | {r['articles']} | {r['seconds']:.0f} | {r['rate']:.2f} | {ratio} "
                     f"| {r['cpu_per_article']:.3f} | {cratio} | {peaks} |")
    return "\n".join(lines)


def projection(results: dict[str, dict[str, Any]]) -> str:
    out = []
    one, two = results.get("ingest1"), results.get("ingest2")
    if one:
        out.append(f"- one laptop core: {DAY / one['rate'] / 3600:.1f} h for {DAY:,} articles "
                   f"({one['rate']:.2f} articles/s)")
    if one and two:
        eff = two["rate"] / (2 * one["rate"])
        out.append(f"- 2 local workers: {DAY / two['rate'] / 3600:.1f} h ({two['rate']:.2f} articles/s, "
                   f"{two['rate'] / one['rate']:.2f}x one worker, {eff:.0%} per-worker efficiency)")
        load = results.get("load", {})
        writer = load["records"] / load["sqlite"] if load.get("sqlite") else None
        for n in (8, 32, 128):
            rate = n * one["rate"] * eff
            note = ""
            if writer and rate > writer:
                rate, note = writer, " (capped by the one SQLite writer)"
            out.append(f"- {n} workers (Dask, {n} cores): {DAY / rate / 60:.0f} min{note}")
        if writer:
            out.append(f"- the one writer stores {writer:.0f} records/s into SQLite"
                       + (f", {load['records'] / load['postgres']:.0f} into PostgreSQL" if load.get("postgres")
                          else ""))
    return "\n".join(out)


def _wikinews() -> Path:
    for parent in ROOT.parents:
        candidate = parent / "shared" / "corpus" / "wikinews" / "articles.jsonl"
        if candidate.exists():
            return candidate
    return ROOT / "src" / "chronicle" / "demo" / "articles.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--corpus", type=Path, default=_wikinews())
    ap.add_argument("--runs", default=",".join(RUNS))
    ap.add_argument("--trap", action="store_true", help="also run Dask with distributed's malloc setting")
    ap.add_argument("--rounds", type=int, default=1, help="rounds, every other one in reverse order")
    ap.add_argument("--no-load", action="store_true", help="skip the PostgreSQL vs SQLite load test")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    runs = [r for r in args.runs.split(",") if r] + (["dask2-trap"] if args.trap else [])
    results: dict[str, dict[str, Any]] = {}
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="chronicle-scale-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        info = build_corpus(args.corpus, args.n, corpus)
        print(f"bench: {info['articles']} articles ({info['distinct']} distinct, "
              f"{info['chars'] / info['articles']:.0f} characters each) from {args.corpus}; "
              f"load average {loads[0]:.1f} on {os.cpu_count()} CPUs", file=sys.stderr, flush=True)
        order = [r for k in range(max(1, args.rounds)) for r in (runs if k % 2 == 0 else runs[::-1])]
        for k, run in enumerate(order):
            db = os.path.join(tmp, f"{run}.db")
            if os.path.exists(db):
                db = os.path.join(tmp, f"{run}-{k}.db")
            if run == "spacy1":
                r = run_spacy(corpus, 1)
            elif run == "spacy2":
                r = run_spacy(corpus, 2)
            elif run == "ingest1":
                r = run_ingest(corpus, db, ["--workers", "1"])
            elif run == "ingest2":
                r = run_ingest(corpus, db, ["--workers", "2"])
            elif run == "dask2":
                r = run_ingest(corpus, db, ["--dask", "local", "--workers", "2"])
            elif run == "dask2-trap":
                r = run_ingest(corpus, db, ["--dask", "local", "--workers", "2"], trap=True)
            else:
                raise SystemExit(f"bench: unknown run {run}")
            r["load_after"] = os.getloadavg()[0]
            loads.append(r["load_after"])
            print(f"  {run}: {r['articles'] / r['seconds']:.2f} articles/s, "
                  f"{r['cpu_seconds'] / r['articles']:.3f} CPU s/article, load {r['load_after']:.1f}",
                  file=sys.stderr, flush=True)
            if run in results:  # another round: the sums of the rounds
                prev = results[run]
                for key in ("articles", "seconds", "cpu_seconds"):
                    r[key] += prev[key]
                r["peak_rss_mb"] = [max(a, b) for a, b in zip(prev["peak_rss_mb"], r["peak_rss_mb"], strict=False)]
                r["rounds"] = prev.get("rounds", 1) + 1
            r["rate"] = r["articles"] / r["seconds"]
            r["cpu_per_article"] = r["cpu_seconds"] / r["articles"]
            results[run] = r
        source = os.path.join(tmp, "ingest1.db") if "ingest1" in results else None
        if source and not args.no_load:
            results["load"] = load_times(source, tmp)
    print(render(results))
    if "load" in results:
        ld = results["load"]
        print(f"\nLoading the same {ld['records']} records, 32 a transaction: SQLite {ld['sqlite']:.1f} s"
              + (f", PostgreSQL (COPY) {ld['postgres']:.1f} s" if "postgres" in ld else ""))
    print("\nProjected 100,000-article day:\n" + projection(results))
    print(f"\n{info['articles']} articles x {max(1, args.rounds)} round(s), {os.cpu_count()} CPUs, load average {min(loads):.1f}-{max(loads):.1f} "
          "during the runs")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"corpus": info, "loads": loads, "results": results}, indent=1) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
