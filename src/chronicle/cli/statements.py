"""`chronicle statements`: who said what, queried from the store."""

from __future__ import annotations

import json

import click

from chronicle.cli import DB_HELP, cli
from chronicle.lexicon.cues import STANCES
from chronicle.store import StatementRow, open_store

__all__ = ["statement_line", "statements"]


def statement_line(row: StatementRow, width: int = 140) -> str:
    """One stored statement as one line: where, who (and whom it resolves to), cue, what."""
    s = row.statement
    who = s.speaker.text if s.speaker else "(no speaker)"
    if row.speaker_name and s.speaker and row.speaker_name.lower() not in who.lower():
        who += f" [{row.speaker_name}]"
    cue = s.cue.text if s.cue else ":"
    extra = [s.kind] + ([s.stance] if s.stance else []) + (["negated"] if s.negated else [])
    if s.target:
        extra.append(f"target {s.target.text}")
    if s.addressee:
        extra.append(f"to {s.addressee.text}")
    if s.source:
        extra.append(f"source {s.source.text}")
    content = " ".join(s.content.text.split())
    room = max(40, width - len(who) - len(cue))
    if len(content) > room:
        content = content[: room - 1] + "…"
    return (f"{row.published or '----------'}  {row.article_id[:12]} {s.id:4s} {who} —{cue}→ "
            f"\u201c{content}\u201d [{', '.join(extra)}]")


@cli.command()
@click.option("--speaker", metavar="NAME", help="Speaker as written or the entity's name (part of it will do).")
@click.option("--stance", type=click.Choice(STANCES), help="Only statements with this stance.")
@click.option("--kind", type=click.Choice(["direct", "indirect", "mixed"]), help="Only this kind of statement.")
@click.option("--article", "article_id", metavar="ID", help="Only this article (an id prefix will do).")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line: the statement and its article id.")
def statements(speaker: str | None, stance: str | None, kind: str | None, article_id: str | None, db: str | None,
               limit: int, offset: int, as_json: bool) -> None:
    """Who said what: the stored statements, filtered by speaker, stance or kind."""
    with open_store(db, readonly=True) as store:
        rows = store.statements(speaker=speaker, stance=stance, kind=kind, article_id=article_id,
                                limit=limit, offset=offset)
    if as_json:
        for r in rows:
            click.echo(json.dumps({"article": r.article_id, "published": r.published, "speaker_name": r.speaker_name,
                                   **r.statement.to_dict()}, ensure_ascii=False))
        return
    if not rows:
        click.echo("no statements match")
    for r in rows:
        click.echo(statement_line(r))
