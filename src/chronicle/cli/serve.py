"""``chronicle serve``: the web UI and the JSON API over a database."""

from __future__ import annotations

import ipaddress
import logging
import os

import click

from chronicle.cli import DB_HELP, cli
from chronicle.errors import ChronicleError
from chronicle.store import default_db

__all__ = ["serve"]

LOGGER = logging.getLogger(__name__)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@cli.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default serves this machine only).")
@click.option("--token", default=None, metavar="TOKEN",
              help="Enable the write endpoint (POST /api/records) for requests that carry this token "
                   "('Authorization: Bearer TOKEN'). Without it the server is read-only.")
def serve(db: str | None, port: int, host: str, token: str | None) -> None:
    """Serve the web UI and the JSON API over a database (read-only unless --token is given)."""
    try:
        import uvicorn

        from chronicle.web import create_app
    except ImportError as e:
        raise ChronicleError(f"the web UI needs the 'web' extra ({e.name} is missing): "
                             "pip install 'chronicle[web]' (make setup installs it)") from None
    db = db or default_db()
    from chronicle.store.postgres import is_postgres, redact

    if not is_postgres(db) and not os.path.exists(db):
        raise ChronicleError(f"no database at {db} (build one with `chronicle ingest FILES --db {db}` "
                             "or `chronicle demo`)")
    hosts = ["127.0.0.1", "localhost", "[::1]", "::1"] if _loopback(host) else None
    app = create_app(db, token=token, allowed_hosts=hosts)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"chronicle: serving {redact(db)} at http://{shown}:{port}/ "
               f"({'writes need the token' if token else 'read-only'}; Ctrl-C to stop)", err=True)
    if not _loopback(host) and not token:
        click.echo("chronicle: note: listening beyond this machine; anyone who can reach it can read the "
                   "database", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
