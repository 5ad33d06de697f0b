"""`chronicle link`, `entities`, `disputes`, `timeline`: what is the same across articles."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from chronicle.cli import DB_HELP, cli
from chronicle.errors import ChronicleError
from chronicle.link import LinkSummary, query
from chronicle.link import link as run_link
from chronicle.store import Store, default_db, open_store

__all__ = ["disputes_cmd", "entities_cmd", "link_cmd", "timeline_cmd"]


def _not_linked(db: str | None) -> str:
    return f"nothing linked in {db or default_db()} yet: run `chronicle link --db {db or default_db()}` first"


@cli.command("link")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--rebuild", is_flag=True, help="Forget what was linked and link every stored article anew.")
@click.option("--batch-size", default=2000, show_default=True, help="Articles linked per transaction.")
@click.option("-q", "--quiet", is_flag=True, help="No progress line.")
def link_cmd(db: str | None, rebuild: bool, batch_size: int, quiet: bool) -> None:
    """Link the stored articles across each other: one canonical entity per real-world referent,
    one story event per event however many articles report it, and the disputes between claims
    and their denials. Incremental: only articles not linked yet are read (--rebuild: all)."""
    live = not quiet and sys.stderr.isatty()

    def progress(s: LinkSummary) -> None:
        if live:
            click.echo(f"\r  {s.articles} article(s) linked, {s.reports} event report(s), {s.disputes} dispute(s)",
                       err=True, nl=False)

    with open_store(db) as store:
        summary = run_link(store, rebuild=rebuild, batch_size=batch_size, progress=progress)
    if live:
        click.echo("", err=True)
    click.echo(f"{summary.line()} -> {store.target}")


@cli.command("entities")
@click.option("--country", metavar="CODE", help="Country (RUS) or organisation code (UN).")
@click.option("--type", "etype", metavar="TYPE", help="PERSON, ORG, GPE, NORP, LOC, FAC, GROUP.")
@click.option("--name", metavar="TEXT", help="Part of the name (case-insensitive).")
@click.option("--min-articles", default=1, show_default=True, help="Only entities in at least this many articles.")
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.option("--db", default=None, help=DB_HELP)
def entities_cmd(country: str | None, etype: str | None, name: str | None, min_articles: int, limit: int,
                 offset: int, as_json: bool, db: str | None) -> None:
    """Canonical entities (an entity across articles, as `chronicle link` resolved it), the most
    widely reported first, with their codes, names and how many articles name them."""
    with open_store(db, readonly=True) as store:
        if not query.is_linked(store):
            raise ChronicleError(_not_linked(db))
        rows = query.canonical_entities(store, country=country, type=etype, name=name, min_articles=min_articles,
                                        limit=limit, offset=offset)
    if as_json:
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    if not rows:
        click.echo("no canonical entities match")
    for r in rows:
        codes = "/".join(x for x in (r["country"], r["role"]) if x) or "-"
        others = [n for n in r["names"] if n != r["name"]][:4]
        names = f"  also: {', '.join(others)}" if others else ""
        span = f"{r['first'] or '?'}..{r['last'] or '?'}" if r["first"] else ""
        click.echo(f"{r['id']}  {r['name']} ({r['type'] or '?'}, {codes})  {r['articles']} article(s), "
                   f"{r['mentions']} mention(s) {span}{names}")


def _canonical(store: Store, ref: str, db: str | None) -> dict[str, Any]:
    if not query.is_linked(store):
        raise ChronicleError(_not_linked(db))
    c = query.find_canonical(store, ref)
    if c is None:
        raise ChronicleError(f"no canonical entity '{ref}' in {db or default_db()} (see `chronicle entities`)")
    return c


def _one_line(text: str, n: int = 160) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"


@cli.command("disputes")
@click.option("--entity", metavar="NAME", help="A canonical entity (name or id) on either side or in either article.")
@click.option("--article", metavar="ID", help="An article on either side (an id prefix will do).")
@click.option("--across", is_flag=True, help="Only disputes across two articles.")
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.option("--db", default=None, help=DB_HELP)
def disputes_cmd(entity: str | None, article: str | None, across: bool, limit: int, offset: int, as_json: bool,
                 db: str | None) -> None:
    """Claims and their denials or refutations, in one article or across articles, with both
    sides' speakers, spans and dates (found by `chronicle link`)."""
    with open_store(db, readonly=True) as store:
        if not query.is_linked(store):
            raise ChronicleError(_not_linked(db))
        cid = _canonical(store, entity, db)["id"] if entity else None
        aid = store.resolve_id(article) if article else None
        if article and aid is None:
            raise ChronicleError(f"no article '{article}' in {db or default_db()}")
        rows = query.disputes(store, entity=cid, article=aid, across=across, limit=limit, offset=offset)
    if as_json:
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    if not rows:
        click.echo("no disputes found")
    for r in rows:
        for label, side in (("claim ", r["a"]), ("denial", r["b"])):
            who = side["speaker"] or "(narrator)" if side["kind"] != "event" else "(event)"
            click.echo(f"{label} {side['published'] or '----------'} {side['source'] or ''} "
                       f"{side['article'][:10]}[{side['start']}:{side['end']}] {who}: {_one_line(side['text'])}")
        click.echo(f"       {r['why']}; shared: {', '.join(r['shared'][:8])}  ({r['id']})\n")


@cli.command("timeline")
@click.option("--entity", required=True, metavar="NAME", help="A canonical entity: its name (or part) or id.")
@click.option("--limit", default=200, show_default=True, help="At most this many events and statements each.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.option("--csv", "as_csv", is_flag=True, help="A CSV table (a header line, one row an item).")
@click.option("--db", default=None, help=DB_HELP)
def timeline_cmd(entity: str, limit: int, as_json: bool, as_csv: bool, db: str | None) -> None:
    """The dated story events an entity takes part in (as actor or recipient) and its
    statements, oldest first, each with how many articles and outlets report it."""
    with open_store(db, readonly=True) as store:
        c = _canonical(store, entity, db)
        items = query.timeline(store, c["id"], limit=limit)
    if as_json:
        for i in items:
            click.echo(json.dumps(i, ensure_ascii=False))
        return
    if as_csv:
        import csv

        cols = ["kind", "date", "precision", "type", "mode", "status", "role", "actor", "recipient", "place",
                "stance", "cue", "content", "reports", "articles", "sources", "story_event", "article", "statement",
                "source", "title"]
        w = csv.DictWriter(sys.stdout, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for i in items:
            w.writerow(i)
        return
    click.echo(f"{c['name']} ({c['id']}): {len(items)} item(s)")
    for i in items:
        when = i["date"] or f"({i['first'] or '?'})"
        if i["kind"] == "event":
            click.echo(f"{when:12s} {i['type']}{'/' + i['mode'] if i['mode'] else ''} "
                       f"{i['actor'] or '?'} -> {i['recipient'] or '?'}"
                       f"{' in ' + i['place'] if i['place'] else ''} [{i['status']}]  "
                       f"{i['reports']} report(s), {i['articles']} article(s), {i['sources']} source(s)  "
                       f"{i['story_event']}")
        else:
            click.echo(f"{when:12s} said ({i['stance'] or 'assert'}, '{i['cue'] or ''}'): "
                       f"{_one_line(i['content'], 120)}  {i['source'] or ''} {i['article'][:10]}:{i['statement']}")
