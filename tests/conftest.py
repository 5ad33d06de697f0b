"""Fixtures defined once: the loaded extractor (slow to build, shared), temp stores."""

from __future__ import annotations

import pytest

from chronicle.extract import Extractor
from chronicle.record import Article, Record
from chronicle.store import SQLiteStore


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture()
def extract(extractor):  # type: ignore[no-untyped-def]
    """extract(text, published=...) -> Record, through the real pipeline."""

    def run(text: str, published: str | None = "2022-05-03", **meta: str) -> Record:
        return extractor.process(Article(id=meta.pop("id", "t1"), text=text, published=published, **meta))

    return run


@pytest.fixture()
def store(tmp_path):  # type: ignore[no-untyped-def]
    s = SQLiteStore(str(tmp_path / "test.db"))
    yield s
    s.close()


# --- a local web server for fetch, redirect, timeout, size-cap and feed tests (no network) --------

@pytest.fixture()
def web():  # type: ignore[no-untyped-def]
    """A web server on 127.0.0.1: ``web.route(path, body, status=200, headers=None, delay=0.0)``,
    ``web.url(path)``; ``web.hits[path]`` counts requests, ``web.agents`` keeps User-Agents."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    routes: dict[str, list[tuple[int, dict[str, str], bytes, float]]] = {}
    hits: dict[str, int] = {}
    agents: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            hits[self.path] = hits.get(self.path, 0) + 1
            agents.append(self.headers.get("User-Agent", ""))
            answers = routes.get(self.path) or [(404, {"Content-Type": "text/plain"}, b"not found", 0.0)]
            status, headers, body, delay = answers[0] if len(answers) == 1 else answers.pop(0)
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                for k, v in headers.items():
                    if v:  # an empty value leaves the header out (no Content-Length: read to the end)
                        self.send_header(k, v)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class Web:
        port = server.server_address[1]

        def url(self, path: str) -> str:
            return f"http://127.0.0.1:{self.port}{path}"

        def route(self, path: str, body: bytes | str = b"", status: int = 200,
                  headers: dict[str, str] | None = None, delay: float = 0.0) -> str:
            data = body.encode("utf-8") if isinstance(body, str) else body
            hdrs = {"Content-Type": "text/html; charset=utf-8"} if headers is None else headers
            routes.setdefault(path, []).append((status, hdrs, data, delay))
            return self.url(path)

        @property
        def hits(self) -> dict[str, int]:
            return hits

        @property
        def agents(self) -> list[str]:
            return agents

    yield Web()
    server.shutdown()
    server.server_close()


@pytest.fixture()
def fetcher():  # type: ignore[no-untyped-def]
    """A Fetcher that lets 127.0.0.1 through the private-address guard (and only it), fast timeouts,
    and no real sleeping between retries (the delays are kept in ``fetcher.slept``)."""
    from chronicle.ingest.url import Fetcher

    f = Fetcher(allowed_networks=["127.0.0.1/32"], timeout=1.0, connect_timeout=1.0, retries=1, backoff=0.01,
                per_host_delay=0)
    f.slept = []  # type: ignore[attr-defined]
    f.sleep = f.slept.append  # type: ignore[attr-defined]
    yield f
    f.close()


# --- a throwaway PostgreSQL server for the PostgreSQL store's tests ------------------------------

def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pg_server():  # type: ignore[no-untyped-def]
    """A PostgreSQL server for the tests: $CHRONICLE_TEST_PG when set, else a throwaway cluster
    started here from Debian's postgresql package (initdb in a temporary directory, 127.0.0.1 on a
    free port, stopped at the end). Skips, saying why, only when none can start."""
    import glob
    import os
    import shutil
    import subprocess
    import tempfile

    dsn = os.environ.get("CHRONICLE_TEST_PG")
    if dsn:
        yield dsn
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'chronicle[postgres]'; make setup does)")
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or ([shutil.which("initdb")] if shutil.which(
        "initdb") else [])
    if not found:
        pytest.skip("no PostgreSQL server binaries (apt-get install postgresql; .ci/run does) and no "
                    "$CHRONICLE_TEST_PG=postgresql://... to use instead")
    bindir = os.path.dirname(found[-1])
    root = os.geteuid() == 0
    if root and subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
        pytest.skip("running as root and there is no 'postgres' user to run the server as")
    data = tempfile.mkdtemp(prefix="chronicle-pg-")
    as_pg = ["runuser", "-u", "postgres", "--"] if root else []
    if root:
        shutil.chown(data, "postgres")
    port = _free_port()
    init = subprocess.run([*as_pg, f"{bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                           "--locale=C.UTF-8"], capture_output=True, text=True)
    if init.returncode != 0:
        shutil.rmtree(data, ignore_errors=True)
        pytest.skip(f"initdb failed: {init.stderr.strip()[-300:]}")
    start = subprocess.run([*as_pg, f"{bindir}/pg_ctl", "-D", data, "-l", f"{data}/server.log", "-w", "-o",
                            f"-p {port} -c listen_addresses=127.0.0.1 -k {data} -c fsync=off "
                            "-c synchronous_commit=off -c full_page_writes=off", "start"],
                           capture_output=True, text=True)
    if start.returncode != 0:
        shutil.rmtree(data, ignore_errors=True)
        pytest.skip(f"the PostgreSQL server did not start: {start.stderr.strip()[-300:]}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_pg, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture()
def pg_dsn(pg_server):  # type: ignore[no-untyped-def]
    """A fresh, empty database on the test server (dropped afterwards)."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    base = pg_server.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
