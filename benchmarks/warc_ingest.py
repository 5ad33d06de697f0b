"""Ingesting a WARC archive: pages/second and peak memory.

    python benchmarks/warc_ingest.py [--pages 2000] [--mode read|ingest] [--keep FILE]

Builds a gzipped WARC of generated news pages (nothing real is committed or fetched): each page
comes with its request record, about one in six with an image response, one in twenty with a
redirect, some copies of earlier stories republished by other "sites", and some pages in German.
Then, in a fresh process so its peak memory is its own, it reads the archive:

- ``read``: the ingest layer alone: WARC streaming, HTML extraction, language detection and the
  near-duplicate check (what this benchmark is about), no spaCy;
- ``ingest``: ``chronicle ingest`` in full, extraction and the SQLite store included (slow: the
  spaCy pipeline runs at ~7 articles/s per core).

Prints pages/second (HTML pages, the records that cost), records/second and the peak resident
memory; run it at two sizes to see memory stay flat as the archive grows.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PEOPLE = ["Maria Kovalenko", "John Adeyemi", "Chen Wei", "Anna Schmidt", "Omar Haddad", "Lucia Rossi",
          "Pavel Ivanov", "Grace Mensah", "Hiroshi Tanaka", "Sofia Almeida"]
PLACES = ["Kyiv", "Geneva", "Nairobi", "Istanbul", "Warsaw", "Ankara", "Brussels", "Lagos", "Manila", "Lima"]
BODIES = ["the foreign ministry", "the central bank", "the United Nations", "the regional council",
          "the interior ministry", "the World Health Organization", "the electoral commission", "the army"]
VERBS = ["said", "announced", "warned", "confirmed", "denied", "told reporters", "added", "insisted"]
TOPICS = ["grain exports", "a ceasefire", "fuel prices", "the election", "flood relief", "new sanctions",
          "a prisoner exchange", "vaccine supplies", "border crossings", "interest rates"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
GERMAN = ["Die Regierung kündigte am Dienstag neue Maßnahmen an, um die steigenden Energiepreise zu begrenzen.",
          "Nach Angaben des Ministeriums sollen die Hilfen noch vor dem Winter ausgezahlt werden.",
          "Kritiker bemängelten, dass die Entlastungen vor allem Haushalte mit hohem Einkommen erreichten.",
          "Die Opposition forderte eine Debatte im Parlament und kündigte eigene Vorschläge an."]
SITES = ["Daily Ledger", "Morning Courier", "The Observer Post", "Evening Wire", "Metro Tribune"]


def sentence(rng: random.Random) -> str:
    who, where, topic = rng.choice(PEOPLE), rng.choice(PLACES), rng.choice(TOPICS)
    forms = [
        f"{who}, a spokesperson for {rng.choice(BODIES)}, {rng.choice(VERBS)} on {rng.choice(DAYS)} that talks "
        f"on {topic} in {where} would continue despite the objections raised by several delegations.",
        f"Officials in {where} {rng.choice(VERBS)} that {rng.randint(2, 900)} people had been affected by the "
        f"decision on {topic}, and that further measures were being prepared for the coming weeks.",
        f"\"We will not accept any agreement on {topic} that ignores the people of {where},\" {who} "
        f"{rng.choice(VERBS)} in a statement published late on {rng.choice(DAYS)}.",
        f"The dispute over {topic} has strained relations between {where} and its neighbours since "
        f"{rng.randint(1995, 2022)}, when {rng.choice(BODIES)} first raised the issue.",
    ]
    return rng.choice(forms)


def story(rng: random.Random) -> tuple[str, list[str]]:
    title = f"{rng.choice(PEOPLE).split()[1]}: {rng.choice(TOPICS)} talks in {rng.choice(PLACES)}"
    paras = [" ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(5, 12))]
    return title, paras


def render(title: str, paras: list[str], site: str, url: str, lang: str = "en") -> bytes:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paras)
    related = "".join(f'<li><a href="/s/{i}">{escape(sentence(random.Random(i))[:60])}</a></li>' for i in range(5))
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)} | {site}</title>
<meta property="og:title" content="{escape(title)}"><meta property="og:site_name" content="{site}">
<link rel="canonical" href="{url}"><meta property="article:published_time" content="2022-05-03T08:00:00Z">
<script>var ads = {{slot: "top", sizes: [[728, 90]]}};</script></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav></header>
<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
<main><article><h1>{escape(title)}</h1><p class="byline">By {escape(random.choice(PEOPLE))}</p>
<figure><img src="/img/1.jpg"><figcaption>A file photo. Photo: Agency</figcaption></figure>
{body}</article>
<aside class="related"><h3>Related stories</h3><ul>{related}</ul></aside></main>
<footer>Copyright {site}. All rights reserved. <a href="/privacy">Privacy</a></footer></body></html>""".encode()


def build(path: Path, pages: int, seed: int = 7) -> dict[str, int]:
    """Write a gzipped WARC of ``pages`` HTML pages (plus the other records a crawl holds)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(seed)
    counts = {"html": 0, "copies": 0, "german": 0, "other_records": 0}
    stories: list[tuple[str, list[str]]] = []
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)

        def put(rec: object) -> None:
            writer.write_record(rec)
            rec.raw_stream.close()  # type: ignore[attr-defined]

        put(writer.create_warcinfo_record(path.name, {"software": "chronicle benchmark"}))
        for i in range(pages):
            site = SITES[i % len(SITES)]
            url = f"https://{site.lower().replace(' ', '')}.example/news/{i}"
            if stories and rng.random() < 0.08:  # a wire story republished elsewhere, lightly edited
                title, paras = rng.choice(stories)
                paras = paras[:-1] if len(paras) > 6 and rng.random() < 0.5 else list(paras)
                counts["copies"] += 1
                payload = render(title, paras, site, url)
            elif rng.random() < 0.05:
                payload = render("Energiepreise", rng.sample(GERMAN, 4), site, url, "de")
                counts["german"] += 1
            else:
                title, paras = story(rng)
                stories.append((title, paras))
                payload = render(title, paras, site, url)
            req = StatusAndHeaders("GET /news HTTP/1.1", [("Host", "example")], is_http_request=True)
            put(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req))
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            put(writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http))
            counts["html"] += 1
            counts["other_records"] += 1
            if rng.random() < 1 / 6:
                img = StatusAndHeaders("200 OK", [("Content-Type", "image/jpeg")], protocol="HTTP/1.1")
                put(writer.create_warc_record(url + ".jpg", "response", payload=io.BytesIO(os.urandom(20_000)),
                                              http_headers=img))
                counts["other_records"] += 1
            if rng.random() < 1 / 20:
                moved = StatusAndHeaders("301 Moved Permanently", [("Location", url)], protocol="HTTP/1.1")
                put(writer.create_warc_record(url + "?amp", "response", payload=io.BytesIO(b""), http_headers=moved))
                counts["other_records"] += 1
    return counts


def measure(warc: str, mode: str) -> dict[str, object]:
    """Runs in a child process: read (or ingest) the archive, report rates and peak memory."""
    from chronicle.runner import Summary, ingest_paths
    from chronicle.store import SQLiteStore

    t0 = time.perf_counter()
    start = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = start.ru_utime + start.ru_stime
    if mode == "ingest":
        with tempfile.TemporaryDirectory() as d, SQLiteStore(os.path.join(d, "bench.db")) as store:
            summary = ingest_paths([warc], store, batch_size=64)
    else:
        from chronicle.ingest import Failure, dedup, language, read_sources

        summary = Summary()
        index_store = _MemoryBands()
        index = dedup.Index(index_store)
        for item in read_sources([warc], on_skip=lambda origin, reason: summary.skip(reason)):
            if isinstance(item, Failure):
                summary.fail(item)
                continue
            summary.read += 1
            lang = language.detect(item)
            if lang and lang != "en":
                summary.skip(f"language {lang}")
                continue
            fp = dedup.fingerprint(item.text)
            if index.find(fp):
                summary.duplicates += 1
                continue
            index_store.add(item.id, item.text, fp.keys)  # what the store does at write time
            summary.stored += 1
            if summary.stored % 64 == 0:
                index.flushed()  # as the runner does after each batch
    seconds = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_kb = usage.ru_maxrss
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime - cpu0, "read": summary.read,
            "stored": summary.stored, "duplicates": summary.duplicates, "failed": summary.failed,
            "skipped": dict(summary.skipped_by), "peak_mb": peak_kb / 1024}


class _MemoryBands:
    """The store's side of the near-duplicate check, as the SQLite store keeps it: band keys and
    texts in a database file (texts are read back for candidates only)."""

    def __init__(self) -> None:
        import sqlite3

        self.dir = tempfile.TemporaryDirectory()
        self.db = sqlite3.connect(os.path.join(self.dir.name, "bands.db"))
        self.db.execute("CREATE TABLE b (key TEXT, id TEXT)")
        self.db.execute("CREATE INDEX bk ON b (key)")
        self.db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, text TEXT)")

    def add(self, aid: str, text: str, keys: list[str]) -> None:
        self.db.executemany("INSERT INTO b VALUES (?,?)", [(k, aid) for k in keys])
        self.db.execute("INSERT OR IGNORE INTO t VALUES (?,?)", (aid, text))

    def duplicate_candidates(self, keys: list[str]) -> list[str]:
        marks = ",".join("?" * len(keys))
        return [r[0] for r in self.db.execute(f"SELECT DISTINCT id FROM b WHERE key IN ({marks})", keys)]

    def article_text(self, aid: str) -> str | None:
        row = self.db.execute("SELECT text FROM t WHERE id = ?", (aid,)).fetchone()
        return row[0] if row else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000, help="HTML pages in the archive (default 2000)")
    ap.add_argument("--mode", choices=["read", "ingest"], default="read")
    ap.add_argument("--keep", default=None, help="write the archive here and keep it")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.mode)))
        return 0
    with tempfile.TemporaryDirectory() as d:
        path = Path(args.keep) if args.keep else Path(d) / "bench.warc.gz"
        t0 = time.perf_counter()
        counts = build(path, args.pages)
        size = path.stat().st_size
        print(f"archive: {counts['html']} HTML pages ({counts['copies']} republished copies, {counts['german']} "
              f"in German) and {counts['other_records']} other records, {size / 1e6:.1f} MB gzipped, "
              f"built in {time.perf_counter() - t0:.1f}s")
        proc = subprocess.run([sys.executable, __file__, "--mode", args.mode, "--child", str(path)],
                              capture_output=True, text=True, check=False, cwd=ROOT)
        if proc.returncode != 0:
            print(proc.stderr[-2000:], file=sys.stderr)
            return 1
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        secs = r["seconds"]
        records = counts["html"] + counts["other_records"] + 1
        print(f"mode {args.mode}: {r['read']} articles read in {secs:.1f}s = {counts['html'] / secs:.1f} pages/s "
              f"({records / secs:.0f} WARC records/s); {r['stored']} kept, {r['duplicates']} duplicates, "
              f"{r['failed']} failed, skipped {r['skipped']}")
        print(f"CPU time {r['cpu']:.1f}s = {counts['html'] / r['cpu']:.1f} pages per CPU-second "
              f"(the wall-clock rate above depends on what else the machine runs)")
        print(f"peak memory (resident, whole process): {r['peak_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
