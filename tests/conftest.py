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
