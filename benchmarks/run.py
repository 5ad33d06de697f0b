#!/usr/bin/env python3
"""Throughput benchmarks: articles/second and peak memory, against bare spaCy.

    python benchmarks/run.py [--n 1000] [--corpus PATH] [--json OUT] [--stage-costs]
                             [--runs spacy,extract,ingest] [--batch-size 16]

One corpus (the demo corpus, repeated to ``--n`` articles; each copy gets its own id, URL and a
marker line so the store never skips it as a duplicate) goes through, one process each, one
after the other:

- ``spacy``: bare spaCy, ``spacy.load(MODEL).pipe(texts)``: the baseline;
- ``extract``: chronicle's ``Extractor().pipe(articles)``: the parse plus every extract stage;
- ``ingest``: ``chronicle.runner.ingest_paths`` into a fresh SQLite database: read the JSONL,
  extract, store (with full-text index), as ``chronicle ingest`` does.

Each run is a fresh child process, so its peak RSS is its own; the model is loaded before the
clock starts (load time is reported apart). ``--stage-costs`` adds a run that times every
entry of ``chronicle.extract.pipeline.STAGES`` per article. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "chronicle" / "demo" / "articles.jsonl"
RUNS = ("spacy", "extract", "ingest")
LABELS = {
    "spacy": "bare spaCy `nlp.pipe` (baseline)",
    "extract": "chronicle extract (`Extractor.pipe`)",
    "ingest": "chronicle ingest into fresh SQLite",
    "stages": "extract, stages timed",
}


def default_corpus() -> Path:
    """The demo corpus; the shared Wikinews corpus where the demo corpus is missing."""
    if DEMO.exists():
        return DEMO
    for parent in ROOT.parents:
        candidate = parent / "shared" / "corpus" / "wikinews" / "articles.jsonl"
        if candidate.exists():
            return candidate
    return DEMO


def build_corpus(source: Path, n: int, out: Path) -> dict[str, Any]:
    """Write ``n`` articles to ``out``: the source's articles, repeated, each copy distinct."""
    items = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not items:
        raise SystemExit(f"bench: no articles in {source}")
    chars = 0
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            item = dict(items[i % len(items)])
            copy = i // len(items)
            if copy:
                item["id"] = f"{item.get('id') or 'article'}~{copy}"
                item["url"] = f"{item['url']}#copy-{copy}" if item.get("url") else None
                item["text"] = f"{item['text']}\n(benchmark copy {copy})"
            chars += len(item["text"])
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    return {"articles": n, "distinct": len(items), "chars": chars}


def peak_rss_mb() -> float:
    """This process's peak resident set size, MB (ru_maxrss is KB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


# --- the runs (each in its own child process) -----------------------------------------------------

def _read_articles(path: Path) -> list[Any]:
    from chronicle.ingest import Failure, read_sources

    articles = [a for a in read_sources([str(path)]) if not isinstance(a, Failure)]
    return articles


def run_spacy(path: Path, batch_size: int) -> dict[str, Any]:
    import spacy

    from chronicle.extract.nlp import MODEL

    texts = [a.text for a in _read_articles(path)]
    t0 = time.perf_counter()
    nlp = spacy.load(MODEL)
    load = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    n = sum(1 for _ in nlp.pipe(texts, batch_size=batch_size))
    return {"articles": n, "seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0,
            "load_seconds": load}


def run_extract(path: Path, batch_size: int, timed: bool = False) -> dict[str, Any]:
    from chronicle.extract import pipeline

    costs: dict[str, float] = {}
    if timed:
        for name, stage in list(pipeline.STAGES.items()):
            pipeline.STAGES[name] = _timed(name, stage, costs)
    articles = _read_articles(path)
    t0 = time.perf_counter()
    extractor = pipeline.Extractor()
    load = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    ok = failed = 0
    for out in extractor.pipe(articles, batch_size=batch_size):
        if isinstance(out, pipeline.ExtractFailure):
            failed += 1
        else:
            ok += 1
    result: dict[str, Any] = {"articles": ok + failed, "failed": failed, "seconds": time.perf_counter() - t0,
                              "cpu_seconds": time.process_time() - c0, "load_seconds": load}
    if timed:
        result["stage_seconds"] = costs
    return result


def _timed(name: str, stage: Callable[[Any], None], costs: dict[str, float]) -> Callable[[Any], None]:
    costs[name] = 0.0

    def run(analysis: Any) -> None:
        t0 = time.process_time()  # CPU time: steady when other work shares the machine
        try:
            stage(analysis)
        finally:
            costs[name] += time.process_time() - t0

    return run


def run_ingest(path: Path, batch_size: int) -> dict[str, Any]:
    from chronicle.extract import Extractor
    from chronicle.runner import ingest_paths
    from chronicle.store import open_store

    t0 = time.perf_counter()
    extractor = Extractor()
    # the language model is a model too: loaded before the clock starts, as spaCy's is
    from chronicle.ingest import language

    getattr(language, "prepare", getattr(language, "_identifier", lambda: None))()
    load = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="chronicle-bench-") as tmp:
        db = os.path.join(tmp, "bench.db")
        t0, c0 = time.perf_counter(), time.process_time()
        options: dict[str, Any] = {}
        import chronicle.runner as runner

        takes = inspect.signature(getattr(runner, "ingest_items", ingest_paths)).parameters
        if "dedup" in takes:
            options["dedup"] = False  # the copies are near-duplicates on purpose: store them all
        with open_store(db) as store:
            summary = ingest_paths([str(path)], store, extractor=extractor, **options)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        size = sum(os.path.getsize(os.path.join(tmp, f)) for f in os.listdir(tmp))
    return {"articles": summary.read, "stored": summary.stored, "skipped": summary.skipped,
            "duplicates": getattr(summary, "duplicates", 0),
            "failed": summary.failed, "seconds": seconds, "cpu_seconds": cpu, "load_seconds": load, "db_bytes": size}


def child(run: str, path: Path, batch_size: int) -> int:
    if run == "spacy":
        result = run_spacy(path, batch_size)
    elif run == "extract":
        result = run_extract(path, batch_size)
    elif run == "stages":
        result = run_extract(path, batch_size, timed=True)
    elif run == "ingest":
        result = run_ingest(path, batch_size)
    else:
        raise SystemExit(f"bench: unknown run {run!r}")
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))
    return 0


def spawn(run: str, path: Path, batch_size: int) -> dict[str, Any]:
    """One run in a fresh process (its own peak RSS); its result."""
    proc = subprocess.run([sys.executable, __file__, "--child", run, "--corpus", str(path),
                           "--batch-size", str(batch_size)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"bench: the {run} run failed:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    n = result["articles"]
    result["articles_per_second"] = n / result["seconds"] if result["seconds"] else 0.0
    result["articles_per_cpu_second"] = n / result["cpu_seconds"] if result["cpu_seconds"] else 0.0
    if "stored" in result and result["stored"] != n:
        print(f"bench: warning: the {run} run stored {result['stored']} of {n} articles "
              f"(skipped {result.get('skipped')}, duplicates {result.get('duplicates')})", file=sys.stderr)
    return result


# --- report -----------------------------------------------------------------------------------

def render(results: dict[str, dict[str, Any]]) -> str:
    base = results.get("spacy", {}).get("articles_per_second")
    base_cpu = results.get("spacy", {}).get("articles_per_cpu_second")
    lines = ["| run | articles | seconds | articles/s | vs bare spaCy | articles/CPU-s | vs bare spaCy (CPU) "
             "| peak RSS (MB) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for run, r in results.items():
        if run == "stages":
            continue
        ratio = f"{r['articles_per_second'] / base:.2f}x" if base else "-"
        ratio_cpu = f"{r['articles_per_cpu_second'] / base_cpu:.2f}x" if base_cpu else "-"
        lines.append(f"| {LABELS.get(run, run)} | {r['articles']} | {r['seconds']:.1f} | "
                     f"{r['articles_per_second']:.1f} | {ratio} | {r['articles_per_cpu_second']:.1f} | "
                     f"{ratio_cpu} | {r['peak_rss_mb']:.0f} |")
    return "\n".join(lines)


def render_stages(r: dict[str, Any]) -> str:
    n = r["articles"] or 1
    total = r["cpu_seconds"]
    stages: dict[str, float] = r["stage_seconds"]
    parse = total - sum(stages.values())
    lines = ["| part | CPU ms/article | share of extract |", "|---|---:|---:|",
             f"| spaCy parse (and pipe overhead) | {1000 * parse / n:.2f} | {parse / total:.1%} |"]
    for name, secs in stages.items():
        lines.append(f"| stage `{name}` | {1000 * secs / n:.2f} | {secs / total:.1%} |")
    lines.append(f"| all | {1000 * total / n:.2f} | 100% |")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="articles per run (the corpus repeated; default 1000)")
    ap.add_argument("--corpus", type=Path, default=None,
                    help=f"JSONL of articles (default: {DEMO.relative_to(ROOT)})")
    ap.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    ap.add_argument("--runs", default=",".join(RUNS), help=f"which runs (default: {','.join(RUNS)})")
    ap.add_argument("--stage-costs", action="store_true", help="also time each extract stage per article")
    ap.add_argument("--batch-size", type=int, default=16, help="nlp.pipe batch size (default 16)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child(args.child, args.corpus, args.batch_size)
    runs = [r.strip() for r in args.runs.split(",") if r.strip()]
    unknown = [r for r in runs if r not in RUNS]
    if unknown:
        print(f"bench: unknown run(s) {', '.join(unknown)}; valid: {', '.join(RUNS)}", file=sys.stderr)
        return 2
    if args.stage_costs:
        runs.append("stages")
    source = args.corpus or default_corpus()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="chronicle-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        info = build_corpus(source, args.n, corpus)
        print(f"bench: {info['articles']} articles ({info['distinct']} distinct, "
              f"{info['chars'] / info['articles']:.0f} characters each on average) from {source}; "
              f"one process per run, batch size {args.batch_size}", file=sys.stderr, flush=True)
        load_before = os.getloadavg()[0]
        for run in runs:
            t0 = time.perf_counter()
            results[run] = spawn(run, corpus, args.batch_size)
            r = results[run]
            print(f"  {run}: {r['articles_per_second']:.1f} articles/s, peak RSS {r['peak_rss_mb']:.0f} MB "
                  f"({time.perf_counter() - t0:.0f}s with model load)", file=sys.stderr, flush=True)
        load_after = os.getloadavg()[0]
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
               "load_average_before": load_before, "load_average_after": load_after}
    print(render(results))
    if "stages" in results:
        print()
        print(render_stages(results["stages"]))
    print(f"\n{info['articles']} articles ({info['distinct']} distinct), {os.cpu_count()} CPUs, "
          f"load average {load_before:.1f} before / {load_after:.1f} after")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"corpus": {**info, "source": str(source)}, "machine": machine,
                                         "batch_size": args.batch_size, "results": results},
                                        indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
