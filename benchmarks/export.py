#!/usr/bin/env python3
"""Exports stream: peak memory of exporting N events, for several N.

    python benchmarks/export.py [--events 10000,100000,1000000] [--format parquet]

Builds a SQLite store of made-up records (50 events each, ~1 KB of JSON per event), then exports
its events in a fresh process per size and reports the seconds and the peak RSS of that process.
Constant memory means the peak does not grow with N.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(db: str, events: int, per: int = 50) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from chronicle.store import open_store
    from test_export import make_record  # made-up records with every kind of fact

    with open_store(db) as store:
        batch = []
        for i in range(events // per):
            batch.append(make_record(i, events=per))
            if len(batch) == 200:
                store.write(batch)
                batch = []
        if batch:
            store.write(batch)


def child(db: str, fmt: str, out: str) -> None:
    from chronicle.export import export
    from chronicle.store import open_store

    t0 = time.perf_counter()
    with open_store(db, readonly=True) as store:
        if fmt == "parquet":
            n = export(store, fmt, "events", out)
        else:
            with open(out, "w", encoding="utf-8") as f:
                n = export(store, fmt, "events", f)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": n, "seconds": time.perf_counter() - t0, "peak_rss_mb": peak,
                      "bytes": os.path.getsize(out)}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", default="10000,100000,1000000")
    ap.add_argument("--format", default="parquet", choices=["parquet", "csv", "gdelt", "plover", "jsonl"])
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0
    print("| events | seconds | peak RSS (MB) | file (MB) |\n|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="chronicle-export-") as tmp:
        for n in (int(x) for x in args.events.split(",")):
            db = os.path.join(tmp, f"{n}.db")
            build(db, n)
            out = os.path.join(tmp, f"out.{args.format}")
            proc = subprocess.run([sys.executable, __file__, "--child", db, args.format, out], capture_output=True,
                                  text=True, check=True)
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"| {r['rows']:,} | {r['seconds']:.1f} | {r['peak_rss_mb']:.0f} | {r['bytes'] / 1e6:.1f} |",
                  flush=True)
            os.remove(db)
    print(f"\n--format {args.format}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
