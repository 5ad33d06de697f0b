"""`chronicle validate`: check records (JSON or JSONL) against the record's JSON Schema."""

from __future__ import annotations

import json
import sys

import click

from chronicle.cli import cli
from chronicle.schema import validate_record


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(paths: tuple[str, ...]) -> None:
    """Check records (one JSON record, or JSONL as `chronicle extract --format jsonl` writes)
    against the JSON Schema; prints each problem and exits 1 if there is any."""
    bad = total = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                content = f.read()
        except OSError as e:
            click.echo(f"chronicle: error: {path}: {e.strerror or e}", err=True)
            sys.exit(1)
        for where, obj in _records(path, content):
            total += 1
            problems = ["invalid JSON (" + obj + ")"] if isinstance(obj, str) else validate_record(obj)
            if problems:
                bad += 1
                for p in problems[:10]:
                    click.echo(f"{where}: {p}")
    click.echo(f"{total - bad} of {total} record(s) valid")
    if bad:
        sys.exit(1)


def _records(path: str, content: str) -> list[tuple[str, dict | str]]:
    """The JSON values one after another (JSONL, or the indented records `extract` prints)."""
    dec = json.JSONDecoder()
    out: list[tuple[str, dict | str]] = []
    i, n = 0, 0
    while True:
        while i < len(content) and content[i].isspace():
            i += 1
        if i >= len(content):
            return out
        n += 1
        try:
            obj, i = dec.raw_decode(content, i)
        except json.JSONDecodeError as e:
            out.append((f"{path}#{n}", e.msg))
            return out
        out.append((f"{path}#{n}", obj))
