"""`chronicle export`: stored facts written out in other formats (see chronicle.export)."""

from __future__ import annotations

import sys

import click

from chronicle.cli import cli
from chronicle.cli.events import filters
from chronicle.export import FORMATS, export
from chronicle.store import open_store

__all__ = ["export_cmd"]


@cli.command("export")
@click.argument("out", type=click.Path(allow_dash=True, dir_okay=False), default="-")
@click.option("--format", "fmt", type=click.Choice(sorted({f for f, _ in FORMATS})), default="gdelt",
              show_default=True, help="Output format.")
@click.option("--what", type=click.Choice(sorted({w for _, w in FORMATS})), default="events", show_default=True,
              help="Which facts to export.")
@filters
def export_cmd(out: str, fmt: str, what: str, etype: str | None, actor: str | None, recipient: str | None,
               since: str | None, until: str | None, status: str | None, db: str | None) -> None:
    """Write stored facts to OUT (a file, or - for standard output): `--format gdelt --what
    events` is one tab-separated row per event (date, actor, recipient, type, mode, status,
    place, article, sentence span)."""
    opts = {"type": etype, "actor": actor, "recipient": recipient, "since": since, "until": until,
            "status": status}
    with open_store(db, readonly=True) as store:
        if out == "-":
            n = export(store, fmt, what, sys.stdout, **opts)
        else:
            with open(out, "w", encoding="utf-8", newline="") as f:
                n = export(store, fmt, what, f, **opts)
    if out != "-":
        click.echo(f"{n} {what} written to {out}", err=True)
