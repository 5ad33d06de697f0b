"""Page-render times of the web UI and the API on a large synthetic database.

    python benchmarks/web_pages.py [--articles 10000] [--db PATH] [--runs 5]

Builds (once, then reuses) a database of made-up records with every list filled, in the
proportions of real news (about 500 words, 15 entities, 6 statements, 5 events an article),
links it across articles (``chronicle link``: canonical entities, story events, disputes; a
database built before is linked when it is not yet), then requests each page in-process (ASGI,
templates and all; no network) and prints the median and the worst time of several runs. The
target is under 300 ms a page at 10,000 articles.

"first" is a page's first request with nothing of it cached: the query cache (and each store's
memo of the articles a fact search looks in) is emptied before it, so no page profits from the
pages asked before it. With ``--warm`` the cache is filled first, as ``chronicle serve`` does in
the background at start, and kept: "first" is then what a visitor of a running server waits.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from urllib.parse import quote

from chronicle.link import link, query
from chronicle.record import (
    Article,
    DateValue,
    Entity,
    Event,
    Mention,
    Party,
    Place,
    Quantity,
    Record,
    SentenceSpan,
    Span,
    Statement,
    Time,
)
from chronicle.store import open_store

COUNTRIES = ["RUR", "BOR", "SYL", "GRA", "ELB", "KAS", "OST", "VAL", "MER", "TOR", "ZAN", "KRA"]
ROLES = ["GOV", "MIL", "REB", "OPP", "BUS", "CVL", "MED", "IGO", "NGO", "JUD"]
TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
         "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
STANCES = ["assert", "accuse", "deny", "request", "threaten", "promise", "warn", None]
SOURCES = ["Test Wire", "Daily Courier", "Evening Post", "World Desk", "Harbour Times", "Plains Herald",
           "Capital Report", "River News"]
_FILLER = ("the officials said talks would resume after the ceasefire collapsed while aid convoys waited near "
           "the border and residents described shelling overnight as ministers met to discuss sanctions grain "
           "exports energy prices refugees reconstruction and the wider region")
WORDS = _FILLER.split()
CUES = ["said", "told", "accused", "denied", "warned", "promised", "added", "claimed"]


def _names(rng: random.Random) -> list[tuple[str, str, str, str]]:
    first = ["Anna", "Boris", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Lev",
             "Mira", "Nils", "Olga", "Pavel", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wim", "Yana", "Zoran",
             "Ada", "Bram", "Cleo", "Dario", "Edda", "Femi", "Goran", "Hana", "Ivo", "Jana", "Karl", "Lina"]
    last = ["Berg", "Costa", "Dahl", "Ekker", "Fontaine", "Gruber", "Holm", "Ivanko", "Jansen", "Kovac", "Lund",
            "Marek", "Novak", "Orlov", "Petrov", "Quist", "Ribeiro", "Sato", "Tamm", "Urban", "Varga", "Weber",
            "Yilmaz", "Zelenko", "Abbas", "Brandt", "Chen", "Duval", "Engel", "Falk", "Gallo", "Horvat"]
    out = [(f"{f} {la}", "PERSON", rng.choice(COUNTRIES), rng.choice(ROLES)) for f in first for la in last]
    out += [(f"{c} Ministry of {w}", "ORG", c, "GOV") for c in COUNTRIES for w in ("Defence", "Foreign Affairs")]
    out += [(f"Republic of {c.title()}", "GPE", c, "GOV") for c in COUNTRIES]
    out += [(f"{c.title()} Armed Forces", "ORG", c, "MIL") for c in COUNTRIES]
    rng.shuffle(out)
    return out


def make_record(i: int, rng: random.Random, names: list[tuple[str, str, str, str]]) -> Record:
    parts: list[str] = []
    pos = 0

    def add(s: str) -> tuple[int, int]:
        nonlocal pos
        parts.append(s)
        start = pos
        pos += len(s)
        return start, pos

    def filler(n: int) -> None:
        add(" ".join(rng.choice(WORDS) for _ in range(n)) + ". ")

    # a Zipf-like pick: a few names are in many articles (the commonest in about a third), most in few
    chosen: list[int] = []
    while len(chosen) < 15:
        k = rng.choices(range(len(names)), cum_weights=_CUM)[0]
        if k not in chosen:
            chosen.append(k)
    ents = [Entity(f"e{j + 1}", *names[k]) for j, k in enumerate(chosen)]
    day = 1 + i * 730 // 10_000
    published = f"{2022 + day // 365}-{1 + (day % 365) // 31:02d}-{1 + (day % 365) % 28:02d}"
    statements, events, times, places, quantities = [], [], [], [], []
    for j in range(20):
        e = ents[j % 15]
        s, t = add(e.name)
        e.mentions.append(Mention(e.name, s, t))
        add(" ")
        if j < 6:
            cue_text = rng.choice(CUES)
            cs, ct = add(cue_text)
            add(" that ")
            content = " ".join(rng.choice(WORDS) for _ in range(14))
            ns, nt = add(content)
            add(". ")
            statements.append(Statement(f"s{j + 1}", Party(e.name, s, t, e.id, e.country, e.role),
                                        Span(cue_text, cs, ct), Span(content, ns, nt),
                                        rng.choice(["direct", "indirect"]), rng.choice(STANCES)))
        elif j < 11:
            trig = rng.choice(["attacked", "met", "pledged", "sanctioned", "rejected", "urged"])
            gs, gt = add(trig)
            add(" ")
            r = ents[(j + 3) % 15]
            rs, rt = add(r.name)
            r.mentions.append(Mention(r.name, rs, rt))
            add(" in ")
            city = f"City{rng.randint(1, 300)}"
            ps, pt = add(city)
            add(" on ")
            ts, tt = add("Tuesday")
            add(", with ")
            qs, qt = add(f"{rng.randint(2, 900)} troops")
            add(". ")
            k = len(events) + 1
            lat, lon = 40 + (hash(city) % 2000) / 100, 20 + (hash(city[::-1]) % 2500) / 100
            places.append(Place(f"p{k}", city, ps, pt, city, "RR", lat, lon))
            times.append(Time(f"t{k}", "Tuesday", ts, tt, published, "day"))
            quantities.append(Quantity(f"q{k}", parts[-2], qs, qt, rng.randint(2, 900), "troops"))
            events.append(Event(f"v{k}", rng.choice(TYPES), Span(trig, gs, gt), SentenceSpan(s, pos),
                                status=rng.choice(["asserted", "asserted", "claimed", "planned"]),
                                actor=Party(e.name, s, t, e.id, e.country, e.role),
                                recipient=Party(r.name, rs, rt, r.id, r.country, r.role),
                                date=DateValue(published, "day"), place=f"p{k}", quantities=[f"q{k}"]))
        else:
            filler(rng.randint(12, 30))
    filler(60)
    text = "".join(parts)
    art = Article(f"bench-{i:05d}", title=f"Article {i}: {' '.join(rng.choice(WORDS) for _ in range(6))}",
                  published=published, source=rng.choice(SOURCES), text=text)
    return Record(art, ents, statements, events, quantities, times, places)


_CUM: list[float] = []


def build(db: str, n: int) -> None:
    rng = random.Random(42)
    names = _names(rng)
    total = 0.0
    for k in range(len(names)):
        total += 1 / (k + 6)
        _CUM.append(total)
    t0 = time.perf_counter()
    with open_store(db) as s:
        batch = []
        for i in range(n):
            batch.append(make_record(i, rng, names))
            if len(batch) == 500:
                s.write(batch)
                batch = []
        if batch:
            s.write(batch)
        s.conn.execute("ANALYZE")  # type: ignore[attr-defined]
    print(f"built {db}: {n} articles in {time.perf_counter() - t0:.1f}s ({os.path.getsize(db) / 1e6:.0f} MB)",
          file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--db", default=None, help="database to build or reuse (default: out/bench-web-N.db)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warm", action="store_true",
                    help="fill the cache first, as `chronicle serve` does in the background at start")
    args = ap.parse_args()
    db = args.db or os.path.join("out", f"bench-web-{args.articles}.db")
    os.makedirs(os.path.dirname(db) or ".", exist_ok=True)
    if not os.path.exists(db):
        build(db, args.articles)
    with open_store(db) as s:  # bring the schema (read-side indexes) up to date, and link what is not linked
        if not query.is_linked(s):
            t0 = time.perf_counter()
            print(f"linking {db} across articles ...", file=sys.stderr)
            print(f"{link(s).line()} ({time.perf_counter() - t0:.0f} s wall)", file=sys.stderr)

    from fastapi.testclient import TestClient

    from chronicle.web import create_app

    app = create_app(db, warm=False)
    client = TestClient(app)
    if args.warm:
        from chronicle.web.app import CachedStore
        from chronicle.web.pages import warm

        t0 = time.perf_counter()
        warm(CachedStore(app.state.pool.get(), app.state.cache), app.state.cache)  # type: ignore[arg-type]
        print(f"warm-up: {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    api = client.get("/api/entities?limit=200").json()["items"]
    top, mid = api[0]["name"], api[len(api) // 2]["name"]
    mid_id = f"bench-{args.articles // 2:05d}"
    canon = client.get("/api/canonical-entities?limit=1").json()["items"][0]["id"]  # the most reported
    story = client.get(f"/api/story-events?entity={canon}&limit=1").json()["items"][0]["id"]
    disputed = client.get("/api/disputes?limit=1").json()["items"][0]["b"]["article"]  # a reader with disputes
    urls = [
        "/", "/articles", "/articles?source=Daily+Courier&event_type=ASSAULT", "/articles?offset=5000",
        f"/articles/{mid_id}",
        "/search?q=ceasefire", "/search?q=sanctions+grain&kind=statements", "/search?q=shelling&kind=events",
        "/search?q=berg&kind=entities", "/search?q=ceasefire&country=RUR&from=2022-06-01&to=2022-12-31",
        "/entities", "/entities?role=MIL", f"/entities/{quote(top)}", f"/entities/{quote(mid)}",
        "/events", "/events?event_type=ASSAULT", "/events?by=country", "/events?entity=" + quote(top),
        "/api/articles", f"/api/articles/{mid_id}", "/api/search?q=ceasefire", "/api/statements?stance=deny",
        "/api/events?country=BOR", "/api/events/timeline", "/api/events/network", "/api/events/places",
        "/api/entities", f"/api/entities/{quote(top)}", f"/api/entities/{quote(top)}/mentions",
        f"/api/entities/{quote(top)}/statements?rel=about", "/api/stats",
        # across articles (chronicle link)
        "/disputes", "/disputes?across=true", f"/disputes?entity={canon}", "/disputes?offset=20000",
        "/story-events", "/story-events?event_type=ASSAULT&status=claimed", "/story-events?source=Daily+Courier",
        "/story-events?country=BOR&from=2022-06-01&to=2022-12-31", f"/story-events/{story}",
        "/canonical-entities", "/canonical-entities?q=berg", f"/canonical-entities/{canon}",
        f"/canonical-entities/{canon}?offset=3000", f"/articles/{disputed}",
        "/api/disputes", f"/api/disputes?entity={canon}", "/api/story-events?country=BOR", f"/api/story-events/{story}",
        "/api/canonical-entities", f"/api/canonical-entities/{canon}", f"/api/canonical-entities/{canon}/timeline",
        f"/api/canonical-entities/{canon}/articles",
    ]
    load = os.getloadavg()[0]
    print(f"{args.articles} articles; top entity '{top}' in {api[0]['articles']} of them; load average "
          f"{load:.1f} on {os.cpu_count()} cores; {'cache filled at start' if args.warm else 'nothing cached'} "
          "before each page's first request. wall: elapsed time; cpu: this process's CPU time (what the page "
          "costs, whatever else the machine is doing)\n")
    print("| page | first: wall ms | first: cpu ms | then, median: wall ms | cpu ms | worst wall ms |")
    print("|---|---:|---:|---:|---:|---:|")
    worst = worst_cold_cpu = 0.0
    for url in urls:
        if not args.warm:  # nothing cached: what this page costs on its own
            app.state.cache.clear()
            for st in app.state.pool._all:
                st._matches = None
        w0, c0 = time.perf_counter(), time.process_time()
        r = client.get(url)
        cold, cold_cpu = (time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000
        assert r.status_code == 200, (url, r.status_code, r.text[:200])
        walls, cpus = [], []
        for _ in range(args.runs):
            w0, c0 = time.perf_counter(), time.process_time()
            client.get(url)
            walls.append((time.perf_counter() - w0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
        worst = max(worst, max(walls))
        worst_cold_cpu = max(worst_cold_cpu, cold_cpu)
        print(f"| `{url}` | {cold:.0f} | {cold_cpu:.0f} | {statistics.median(walls):.0f} | "
              f"{statistics.median(cpus):.0f} | {max(walls):.0f} |")
    print(f"\nslowest request after the first: {worst:.0f} ms wall; most CPU for a first request: "
          f"{worst_cold_cpu:.0f} ms (target: pages under 300 ms)")


if __name__ == "__main__":
    main()
