"""`chronicle events`: query the stored events."""

from __future__ import annotations

import datetime as dt
import json

import click

from chronicle.cli import DB_HELP, cli
from chronicle.lexicon.plover import TYPES
from chronicle.store import default_db, open_store

__all__ = ["STATUSES", "events_cmd", "filters"]

STATUSES = ("asserted", "claimed", "denied", "requested", "planned", "hypothetical")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date like 2022-05-03") from None


def _code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    return value.upper() if value else None


def filters(f):  # type: ignore[no-untyped-def]
    """The options every event query takes."""
    for opt in reversed([
        click.option("--type", "etype", type=click.Choice(TYPES, case_sensitive=False), help="PLOVER event type."),
        click.option("--actor", callback=_code, metavar="CODE",
                     help="Actor's country (RUS) or organisation code (NATO)."),
        click.option("--recipient", callback=_code, metavar="CODE", help="Recipient's country or organisation code."),
        click.option("--since", callback=_date, metavar="DATE", help="Events on or after this day (YYYY-MM-DD)."),
        click.option("--until", callback=_date, metavar="DATE", help="Events on or before this day (YYYY-MM-DD)."),
        click.option("--status", type=click.Choice(STATUSES), help="asserted (the article states it), claimed, ..."),
        click.option("--db", default=None, help=DB_HELP),
    ]):
        f = opt(f)
    return f


@cli.command("events")
@filters
@click.option("--country", "place_country", metavar="CODE", help="Events placed in this country (UA, UKR or Ukraine).")
@click.option("--near", metavar="LAT,LON,KM", help="Events placed within KM kilometres of a point.")
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line: the event with its article.")
@click.option("--dedupe", is_flag=True, help="One line per story event (after `chronicle link`): an event however "
                                               "many articles report it, with its reports and sources.")
def events_cmd(etype: str | None, actor: str | None, recipient: str | None, since: str | None, until: str | None,
               status: str | None, place_country: str | None, near: str | None, db: str | None, limit: int,
               offset: int, as_json: bool, dedupe: bool) -> None:
    """Stored events (who did what to whom, PLOVER-coded), newest first. An event the text gives
    no date for counts by its article's publication date in --since/--until; --country and --near
    keep the events whose place lies there. --dedupe counts each story event once."""
    from chronicle.cli.places import country_code, parse_near

    if dedupe:
        _story_events(etype, actor, recipient, since, until, status, place_country, near, db, limit, offset, as_json)
        return

    code = country_code(place_country) if place_country else None
    point = parse_near(near) if near else None
    with open_store(db, readonly=True) as store:
        rows = store.events(type=etype, actor=actor, recipient=recipient, since=since, until=until,
                            status=status, limit=limit, offset=offset, country=code, near=point)
    if as_json:
        for r in rows:
            click.echo(json.dumps({"article": r.article_id, "published": r.published, "url": r.url,
                                   "event": r.event.to_dict(), "place": r.place.to_dict() if r.place else None},
                                  ensure_ascii=False))
        return
    if not rows:
        click.echo(f"no events match in {db or default_db()}")
    for r in rows:
        v = r.event
        when = v.date.value if v.date and v.date.value else f"({r.published or '?'})"
        who = f"{_party(v.actor)} -> {_party(v.recipient)}"
        where = f" in {r.place.name or r.place.text}" if r.place else ""
        click.echo(f"{when:12s} {v.type}{'/' + v.mode if v.mode else ''} {who}{where} [{v.status}] "
                   f"'{v.trigger.text}'  {r.article_id[:10]}:{v.id}")


def _story_events(etype: str | None, actor: str | None, recipient: str | None, since: str | None,
                  until: str | None, status: str | None, place_country: str | None, near: str | None,
                  db: str | None, limit: int, offset: int, as_json: bool) -> None:
    from chronicle.errors import ChronicleError
    from chronicle.link import query

    if place_country or near:
        raise ChronicleError("--country and --near filter reports by their place; with --dedupe, filter by "
                             "--actor/--recipient, or drop --dedupe")
    with open_store(db, readonly=True) as store:
        if not query.is_linked(store):
            raise ChronicleError(f"nothing linked in {db or default_db()} yet: run `chronicle link` first")
        rows = query.story_events(store, type=etype, actor=actor, recipient=recipient, since=since, until=until,
                                  status=status, limit=limit, offset=offset)
    if as_json:
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    if not rows:
        click.echo(f"no story events match in {db or default_db()}")
    for r in rows:
        when = r["date"] or f"({r['first'] or '?'})"
        who = f"{r['actor'] or '?'}{' (' + r['actor_country'] + ')' if r['actor_country'] else ''} -> " \
              f"{r['recipient'] or '?'}{' (' + r['recipient_country'] + ')' if r['recipient_country'] else ''}"
        where = f" in {r['place']}" if r["place"] else ""
        click.echo(f"{when:12s} {r['type']}{'/' + r['mode'] if r['mode'] else ''} {who}{where} [{r['status']}] "
                   f"{r['reports']} report(s), {r['articles']} article(s), {r['sources']} source(s)  {r['id']}")


def _party(p) -> str:  # type: ignore[no-untyped-def]
    if p is None:
        return "?"
    code = "/".join(x for x in (p.country, p.role) if x)
    return f"{p.text} ({code})" if code else p.text
