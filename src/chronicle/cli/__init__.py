"""The ``chronicle`` command: a thin skin over the library.

Every error is one line naming the input (``chronicle: error: ...``), never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from typing import Any

import click

from chronicle import __version__
from chronicle.cli.render import render_copies, render_record
from chronicle.errors import ChronicleError
from chronicle.ingest import Failure
from chronicle.runner import DEFAULT_LANGUAGES, Summary, extract_paths, ingest_paths
from chronicle.store import default_db, open_store

__all__ = ["cli", "main"]

DB_HELP = "Database: a SQLite file or a postgresql:// URL (default: $CHRONICLE_DB or ./chronicle.db)."


def _published(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date like 2022-05-03") from None


def _err(message: str) -> None:
    click.echo(f"chronicle: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="chronicle")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """chronicle: news articles in, a sourced record out (who said and did what, to whom,
    when and where), stored and searchable."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _languages(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...] | None:
    codes = tuple(c.strip().lower() for v in value for c in v.split(",") if c.strip())
    if not codes:
        return DEFAULT_LANGUAGES
    if "any" in codes or "all" in codes:
        return None
    bad = [c for c in codes if not (c.isalpha() and 2 <= len(c) <= 3)]
    if bad:
        raise click.BadParameter(f"'{bad[0]}' is not a language code like en, de, fr (or 'any')")
    return codes


source_options: list[Callable[[Any], Any]] = [
    click.argument("paths", nargs=-1, required=True),
    click.option("--published", callback=_published, metavar="DATE",
                 help="Publication date (YYYY-MM-DD) for every article read."),
    click.option("--source", "source_name", metavar="NAME", help="Outlet name for articles that have none."),
    click.option("--allow-private", is_flag=True,
                 help="Fetch URLs on private, loopback and link-local addresses (refused by default)."),
    click.option("--language", "languages", multiple=True, callback=_languages, metavar="CODE",
                 help="Languages to keep (ISO 639-1, repeatable or comma-separated; 'any' keeps all). "
                      "Default: en. Others are skipped with the reason 'language xx'."),
]


def with_sources(f: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed(source_options):
        f = opt(f)
    return f


@cli.command()
@with_sources
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json", show_default=True,
              help="json: indented records; jsonl: one record a line.")
def extract(paths: tuple[str, ...], published: str | None, source_name: str | None, allow_private: bool,
            languages: tuple[str, ...] | None, fmt: str) -> None:
    """Extract the records of PATHS (files, directories, globs, URLs, feeds, WARC files) and print
    them; no database."""
    summary = Summary()
    extracted = 0
    for out in extract_paths(paths, published=published, source=source_name, summary=summary,
                             allow_private=allow_private, languages=languages):
        if isinstance(out, Failure):
            _err(f"error: {out}")
            continue
        extracted += 1
        click.echo(out.to_json(indent=2 if fmt == "json" else None))
    if summary.skipped_by:
        _err(f"skipped: {summary.skips()}")
    if summary.failed:
        _err(f"{summary.failed} input(s) failed; {extracted} extracted")
        sys.exit(1)


class _Progress:
    """Counts on one stderr line, updated in place when stderr is a terminal."""

    def __init__(self, quiet: bool) -> None:
        self.live = not quiet and sys.stderr.isatty()
        self.t0 = time.monotonic()

    def __call__(self, s: Summary) -> None:
        if self.live:
            rate = s.read / max(time.monotonic() - self.t0, 1e-6)
            click.echo(f"\r  {s.read} read, {s.stored} stored, {s.duplicates} copies, "
                       f"{s.skipped + sum(s.skipped_by.values())} skipped, {s.failed} failed"
                       f" ({rate:.1f} articles/s)", err=True, nl=False)

    def done(self) -> None:
        if self.live:
            click.echo("", err=True)


SMALL_INPUT = 200_000  # bytes of local files below which a pool of workers costs more than it gains


def _auto_workers(paths: tuple[str, ...]) -> int:
    """--workers by default: one per core, except for small inputs (a few dozen articles of local
    files), where loading the model in every worker costs more than it saves."""
    import os

    from chronicle.ingest import expand_paths
    from chronicle.ingest.url import is_url

    cores = os.cpu_count() or 1
    if cores == 1 or any(is_url(p) for p in paths):
        return cores
    total = 0
    for path in expand_paths(paths):
        try:
            total += os.path.getsize(path)
        except OSError:
            continue
        if total >= SMALL_INPUT:
            return cores
    return 1


@cli.command()
@with_sources
@click.option("--db", default=None, help=DB_HELP)
@click.option("--batch-size", default=32, show_default=True, help="Articles per transaction.")
@click.option("--workers", type=click.IntRange(1, 1024), default=None,
              help="Processes that extract in parallel on this machine (1: this process) "
                   "[default: one per core; small inputs run in this process].")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Extract on a Dask cluster: tcp://scheduler:8786, or 'local' for a LocalCluster of "
                   "--workers processes. The inputs must be readable from the workers.")
@click.option("--no-dedup", is_flag=True, help="Store near-copies of stored articles as articles of their own.")
@click.option("--dup-threshold", type=click.FloatRange(0.1, 1.0), default=None, metavar="J",
              help="Similarity (Jaccard of word 5-grams) at which an article is a copy [default: 0.8].")
@click.option("--link", "do_link", is_flag=True,
              help="Then link the new articles across the stored ones (what `chronicle link` does).")
@click.option("-q", "--quiet", is_flag=True, help="No progress line.")
def ingest(paths: tuple[str, ...], published: str | None, source_name: str | None, allow_private: bool,
           languages: tuple[str, ...] | None, db: str | None, batch_size: int, workers: int | None,
           dask_address: str | None, no_dedup: bool, dup_threshold: float | None, do_link: bool, quiet: bool) -> None:
    """Extract PATHS (files, directories, globs, URLs, feeds, WARC files) and store the records in
    the database. An article already stored is skipped, so an interrupted run resumes where it
    stopped; a near-copy of a stored article is stored as its duplicate, not extracted again.
    Extraction runs in --workers processes or on a Dask cluster (--dask); this process is the one
    writer, one transaction per batch."""
    from chronicle.scale import make_executor

    progress = _Progress(quiet)
    if workers is None and not dask_address:
        workers = _auto_workers(paths)
    with open_store(db) as store, make_executor(workers, dask_address) as executor:
        summary = ingest_paths(paths, store, published=published, source=source_name,
                               batch_size=batch_size, progress=progress, allow_private=allow_private,
                               languages=languages, dedup=not no_dedup, dup_threshold=dup_threshold,
                               executor=executor)
    progress.done()
    for f in summary.failures[:20]:
        _err(f"failed: {f}")
    if len(summary.failures) > 20:
        _err(f"... and {len(summary.failures) - 20} more (see `chronicle failures`)")
    how = executor.name if executor.workers == 1 and executor.name == "in-process" else (
        f"{executor.workers} worker(s), {executor.name}")
    if summary.workers:
        peaks = sorted(summary.workers.values())
        how += f"; peak memory per worker {peaks[0]:.0f}-{peaks[-1]:.0f} MB" if len(peaks) > 1 else (
            f"; peak memory {peaks[0]:.0f} MB")
    rate = summary.read / max(time.monotonic() - progress.t0, 1e-6)
    click.echo(f"{summary.line()} -> {store.target} ({how}; {rate:.1f} articles/s)")
    if do_link:
        from chronicle.link import link

        with open_store(db) as store:
            click.echo(f"linked: {link(store).line()}")


@cli.command()
@click.argument("query")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--limit", default=20, show_default=True)
@click.option("--offset", default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
def search(query: str, db: str | None, limit: int, offset: int, as_json: bool) -> None:
    """Full-text search over the stored articles' titles and texts."""
    with open_store(db, readonly=True) as store:
        hits = store.search(query, limit=limit, offset=offset)
    if as_json:
        for h in hits:
            click.echo(json.dumps({"id": h.id, "title": h.title, "published": h.published,
                                   "source": h.source, "snippet": h.snippet}, ensure_ascii=False))
        return
    if not hits:
        click.echo("no articles match")
    for h in hits:
        click.echo(f"{h.id}  {h.published or '----------'}  {h.source or ''}  {h.title or ''}")
        click.echo(f"    {h.snippet}")


@cli.command()
@click.argument("article_id")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="The record as JSON.")
def show(article_id: str, db: str | None, as_json: bool) -> None:
    """Show the stored record of an article (an unambiguous id prefix will do)."""
    with open_store(db, readonly=True) as store:
        rec = store.get_record(article_id)
        copies = store.duplicates_of(rec.article.id) if rec is not None else []
    if rec is None:
        raise ChronicleError(f"no article '{article_id}' in {db or default_db()}")
    if as_json:
        click.echo(rec.to_json(indent=2))
        return
    click.echo(render_record(rec))
    if copies:
        click.echo(render_copies(copies))


@cli.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--limit", default=50, show_default=True)
def failures(db: str | None, limit: int) -> None:
    """List the inputs that could not be read or extracted, newest first."""
    with open_store(db, readonly=True) as store:
        rows = store.failures(limit)
    if not rows:
        click.echo("no failures recorded")
    for r in rows:
        click.echo(f"{r['at']}  {r['stage']:8s} {r['origin']}: {r['reason']}")


@cli.command()
@click.option("--db", default="demo.db", show_default=True, help="Database to build.")
def demo(db: str) -> None:
    """Ingest the demo corpus shipped with chronicle and show what was found."""
    from importlib import resources

    corpus = resources.files("chronicle.demo") / "articles.jsonl"
    with resources.as_file(corpus) as path, open_store(db) as store:
        summary = ingest_paths([str(path)], store, progress=_Progress(False))
        click.echo(f"demo corpus: {summary.line()} -> {db}")
        from chronicle.link import link

        click.echo(f"linked across articles: {link(store).line()}")
        click.echo(
            f"the database holds {store.count('articles')} articles, {store.count('entities')} entities, "
            f"{store.count('statements')} statements, {store.count('events')} events, "
            f"{store.count('times')} times, {store.count('places')} places, "
            f"{store.count('quantities')} quantities")
        first = store.articles(limit=1)
        if first:
            rec = store.get_record(first[0].id)
            if rec is not None:
                click.echo("\nthe newest article, as `chronicle show` prints it:\n")
                click.echo(render_record(rec))
        click.echo(f"\nnext: .venv/bin/chronicle search Mariupol --db {db}")
        click.echo(f"  or see it in a browser: .venv/bin/chronicle serve --db {db}  (or `make serve`), "
                   "then open http://127.0.0.1:8000/")


# Commands of later stages live in their own modules and register themselves on `cli`
# when imported here (one line each).
from chronicle.cli import _commands  # noqa: E402,F401


def main() -> None:
    """Entry point: run the CLI, turning every known error into one line on stderr."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        _err("interrupted")
        sys.exit(130)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except ChronicleError as e:
        _err(f"error: {e}")
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as e:
        _err(f"error: {e.filename or ''}: {e.strerror or e}")
        sys.exit(1)


if __name__ == "__main__":
    main()
