"""`chronicle export`: the stored record written out in other formats (see chronicle.export)."""

from __future__ import annotations

import sys

import click

from chronicle.cli import cli
from chronicle.cli.events import filters
from chronicle.errors import ConfigError
from chronicle.export import FORMATS, WHAT, ExportFilters, default_what, export
from chronicle.store import open_store

__all__ = ["export_cmd"]


@cli.command("export")
@click.argument("out", type=click.Path(allow_dash=True, dir_okay=False), default="-")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="jsonl", show_default=True,
              help="jsonl: records (or one object per row); csv; parquet; gdelt: GDELT 2.0-style event table; "
                   "plover: PLOVER JSON events.")
@click.option("--what", type=click.Choice(list(WHAT)), default=None,
              help="What to export [default: articles; events for gdelt and plover].")
@click.option("--source", "source_name", metavar="NAME", help="Only articles from this outlet.")
@click.option("--dedupe", is_flag=True,
              help="gdelt/plover: one row per story event (after `chronicle link`), with its number of reports, "
                   "articles and independent sources, instead of one row per report.")
@filters
def export_cmd(out: str, fmt: str, what: str | None, source_name: str | None, dedupe: bool, etype: str | None,
               actor: str | None, recipient: str | None, since: str | None, until: str | None, status: str | None,
               db: str | None) -> None:
    """Write the stored record to OUT (a file, or - for standard output), streamed from the
    database: `--format jsonl` the records themselves; `--format csv|parquet --what events`
    (or articles, entities, statements, times, places, quantities) tables that pandas, polars
    and DuckDB read; `--format gdelt` a GDELT-style event table; `--format plover` PLOVER JSON
    events. --since/--until/--source keep some articles; --type/--actor/--recipient/--status
    filter events."""
    what = what or default_what(fmt)
    f = ExportFilters(since=since, until=until, source=source_name, type=etype, actor=actor, recipient=recipient,
                      status=status, dedupe=dedupe)
    binary = FORMATS[fmt].binary
    if binary and out == "-":
        raise ConfigError(f"--format {fmt} writes a file: name one (OUT)")
    with open_store(db, readonly=True) as store:
        if out == "-":
            n = export(store, fmt, what, sys.stdout, f)
        elif binary:
            n = export(store, fmt, what, out, f)
        else:
            with open(out, "w", encoding="utf-8", newline="") as fh:
                n = export(store, fmt, what, fh, f)
    if out != "-":
        click.echo(f"{n} {what} written to {out}", err=True)
