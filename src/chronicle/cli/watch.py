"""`chronicle watch FEED... --every 15m`: keep polling feeds, ingesting only new items."""

from __future__ import annotations

import time

import click

from chronicle.cli import DB_HELP, _languages, cli
from chronicle.errors import ConfigError
from chronicle.store import default_db, open_store
from chronicle.watch import FeedWatcher, PollResult, parse_interval


@cli.command()
@click.argument("feeds", nargs=-1, required=True)
@click.option("--every", default="15m", show_default=True, metavar="INTERVAL",
              help="Time between polls: 30s, 15m, 2h.")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--allow-private", is_flag=True,
              help="Fetch URLs on private, loopback and link-local addresses (refused by default).")
@click.option("--language", "languages", multiple=True, callback=_languages, metavar="CODE",
              help="Languages to keep (default: en; 'any' keeps all).")
@click.option("--rounds", type=click.IntRange(1), default=None, help="Stop after this many polls (default: never).")
@click.option("--link", "do_link", is_flag=True,
              help="After each round with new items, link them across articles (`chronicle link`).")
def watch(feeds: tuple[str, ...], every: str, db: str | None, allow_private: bool,
          languages: tuple[str, ...] | None, rounds: int | None, do_link: bool) -> None:
    """Poll RSS/Atom FEEDS (URLs or files) and ingest their new items until stopped (Ctrl-C).

    A feed that is down is recorded in `chronicle failures` and tried again next round."""
    try:
        seconds = parse_interval(every)
    except ConfigError as e:
        raise click.BadParameter(str(e), param_hint="--every") from None
    target = db or default_db()

    def report(r: PollResult) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        down = f", {r.feeds_down} down" if r.feeds_down else ""
        line = f"{stamp}  {r.feeds_read} feed(s) read{down}, {r.new_items} new item(s)"
        if r.new_items:
            line += f": {r.summary.line()}"
            if do_link and r.summary.stored:
                from chronicle.link import link

                line += f"; linked: {link(store).line()}"
        click.echo(line)

    with open_store(target) as store:
        watcher = FeedWatcher(feeds, store, allow_private=allow_private, languages=languages)
        click.echo(f"watching {len(feeds)} feed(s) every {every} -> {target} (Ctrl-C stops)", err=True)
        try:
            watcher.run(seconds, rounds=rounds, report=report)
        except KeyboardInterrupt:
            click.echo("stopped", err=True)
        finally:
            watcher.close()
