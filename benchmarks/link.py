#!/usr/bin/env python3
"""The link step at scale: link 10,000 stored articles in one run, then 100 more incrementally.

    python benchmarks/link.py [--articles 10000] [--more 100] [--records PATH ...] [--db PATH] [--json OUT]

The articles are real records: by default the 281 Wikinews articles of ``../shared/corpus/wikinews``
(extracted once and kept in ``artifacts/bench/wikinews.records.jsonl``), or the records files
given with ``--records`` (e.g. the gate's ``artifacts/eval/*/records.jsonl``). They are repeated
to ``--articles``, each copy with its own id, URL and outlet and its publication date moved by
eight days a copy (undated articles get one), so that copies fall in different story windows
as the same news would not: the store then holds many stories, the same people and countries in
thousands of articles, and one event type reported again and again, as a real archive does.

Reported: articles linked per second, wall and CPU seconds, peak memory (RSS) of the process,
the stories, canonical entities, story events and disputes found; then the same for ``--more``
articles added afterwards (incremental: only they are read), which must not grow with the
store. Target (issue "Across articles"): 10,000 articles in under 2 minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from chronicle.link import link  # noqa: E402
from chronicle.record import Record  # noqa: E402
from chronicle.store import open_store  # noqa: E402

OUTLETS = ["Test Wire", "Daily Courier", "Evening Post", "World Desk", "Harbour Times", "Plains Herald",
           "Capital Report", "River News", "Morning Star", "Coast Gazette"]


def _corpus() -> Path:
    for parent in ROOT.parents:
        p = parent / "shared" / "corpus" / "wikinews" / "articles.jsonl"
        if p.exists():
            return p
    raise SystemExit("no ../shared/corpus/wikinews/articles.jsonl: give --records")


def default_records() -> list[Path]:
    cache = ROOT / "artifacts" / "bench" / "wikinews.records.jsonl"
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        print(f"extracting {_corpus()} once into {cache} ...", file=sys.stderr, flush=True)
        with open(cache, "w", encoding="utf-8") as out:
            subprocess.run([sys.executable, "-m", "chronicle", "extract", str(_corpus()), "--format", "jsonl"],
                           stdout=out, check=True)
    return [cache]


def load(paths: list[Path]) -> list[Record]:
    out = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            out += [Record.from_json(line) for line in f if line.strip()]
    return out


def copies(base: list[Record], n: int, start: int = 0) -> list[Record]:
    """``n`` records from ``base``, copy k of an article moved by 8*k days, with its own id and outlet."""
    out = []
    for i in range(start, start + n):
        rec = base[i % len(base)]
        k = i // len(base)
        a = rec.article
        day = dt.date.fromisoformat(a.published[:10]) if a.published else dt.date(2020, 1, 1)
        published = (day + dt.timedelta(days=8 * k)).isoformat()
        art = dataclasses.replace(a, id=f"{a.id}~{k}", url=f"{a.url or 'https://bench.example/' + a.id}#copy-{k}",
                                  published=published, source=OUTLETS[(i + k) % len(OUTLETS)],
                                  text=a.text + f"\n\n[copy {k}]")
        out.append(dataclasses.replace(rec, article=art))
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(store: object, label: str) -> dict[str, object]:
    t0, c0 = time.monotonic(), time.process_time()
    s = link(store)  # type: ignore[arg-type]
    wall, cpu = time.monotonic() - t0, time.process_time() - c0
    row = {"run": label, "articles": s.articles, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
           "articles_per_s": round(s.articles / wall, 1) if wall else None, "peak_rss_mb": round(peak_mb()),
           "new_stories": s.stories, "canonical_entities": s.entities, "story_events": s.story_events,
           "reports": s.reports, "disputes": s.disputes}
    print(json.dumps(row), file=sys.stderr, flush=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--more", type=int, default=100)
    ap.add_argument("--records", type=Path, nargs="*", help="records JSONL files (default: Wikinews, extracted)")
    ap.add_argument("--db", default=str(ROOT / "artifacts" / "bench" / "link.db"))
    ap.add_argument("--json", type=Path, help="write the figures here too")
    args = ap.parse_args()
    base = load(args.records or default_records())
    for suffix in ("", "-wal", "-shm"):
        Path(args.db + suffix).unlink(missing_ok=True)
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    with open_store(args.db) as store:
        recs = copies(base, args.articles)
        for i in range(0, len(recs), 1000):
            store.write(recs[i:i + 1000])
        print(f"{len(recs)} records of {len(base)} distinct articles stored in {time.monotonic() - t0:.0f} s",
              file=sys.stderr)
        rows = [timed(store, f"link {args.articles} articles")]
        store.write(copies(base, args.more, start=args.articles))
        rows.append(timed(store, f"then {args.more} more (incremental)"))
        rows.append(timed(store, "then nothing new"))
    load_avg = os.getloadavg()
    print("\n| run | articles | wall s | CPU s | articles/s | peak RSS MB |\n|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['run']} | {r['articles']} | {r['wall_s']} | {r['cpu_s']} | {r['articles_per_s']} | "
              f"{r['peak_rss_mb']} |")
    print(f"\nload average {load_avg[0]:.1f} on {os.cpu_count()} CPUs; {rows[0]['canonical_entities']} canonical "
          f"entities, {rows[0]['story_events']} story events from {rows[0]['reports']} reports, "
          f"{rows[0]['disputes']} disputes")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "load": load_avg}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
