"""The web application: HTML pages and the JSON API over one chronicle database.

``create_app(db)`` builds it; ``chronicle serve`` runs it with uvicorn. Reads go through
``chronicle.store`` (one read-only store per worker thread); the one write endpoint exists only
when a token was given and demands it. Every response carries a strict Content-Security-Policy;
every API error has one shape: ``{"ok": false, "error": "...", "status": 404}``.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from chronicle import __version__
from chronicle.errors import ChronicleError, StoreError
from chronicle.store import Store, open_store

__all__ = ["CSP", "ApiError", "CachedStore", "LinkReads", "QueryCache", "StorePool", "create_app", "link_reads"]

LOGGER = logging.getLogger(__name__)

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class ApiError(Exception):
    """An error the API reports as ``{"ok": false, "error": message, "status": status}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class QueryCache:
    """Results of the heavier read queries (facets, counts, aggregates, entity pages), kept until
    the database changes (``Store.data_version``, or a write through this server) or for ``ttl``
    seconds, least recently used first out. Keyed on the query's name and arguments."""

    CACHED = frozenset({"facets", "stats", "list_entities", "event_timeline", "event_network", "event_places",
                        "entity_profile", "entity_statements", "entity_events", "entity_mentions",
                        "list_statements", "list_events", "list_articles", "search_articles"})

    def __init__(self, pool: StorePool, size: int = 512, ttl: float = 300.0) -> None:
        self.pool = pool
        self.size = size
        self.ttl = ttl
        self._data: OrderedDict[tuple[Any, ...], tuple[tuple[int, int], float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def call(self, store: Store, name: str, *args: Any, **kw: Any) -> Any:
        version = (self.pool.generation, store.data_version())
        key = (name, repr(args), repr(sorted(kw.items())))
        now = time.monotonic()
        with self._lock:
            hit = self._data.get(key)
            if hit is not None and hit[0] == version and now - hit[1] < self.ttl:
                self._data.move_to_end(key)
                self.hits += 1
                return hit[2]
        value = getattr(store, name)(*args, **kw)
        with self._lock:
            self.misses += 1
            self._data[key] = (version, now, value)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every kept result."""
        with self._lock:
            self._data.clear()

    def memo(self, store: Store, key: tuple[Any, ...], fn: Callable[[], Any]) -> Any:
        """What ``fn()`` returns (a chart built from cached queries), kept like a query's result."""
        version = (self.pool.generation, store.data_version())
        k = ("memo", repr(key))
        now = time.monotonic()
        with self._lock:
            hit = self._data.get(k)
            if hit is not None and hit[0] == version and now - hit[1] < self.ttl:
                self._data.move_to_end(k)
                return hit[2]
        value = fn()
        with self._lock:
            self._data[k] = (version, now, value)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value


class CachedStore:
    """A store whose heavier queries go through a ``QueryCache``; everything else passes through."""

    def __init__(self, store: Store, cache: QueryCache) -> None:
        self._store = store
        self._cache = cache

    def __getattr__(self, name: str) -> Any:
        if name in QueryCache.CACHED:
            return lambda *a, **kw: self._cache.call(self._store, name, *a, **kw)
        return getattr(self._store, name)


class LinkReads:
    """The link step's read functions (``chronicle.link.query``) over one store, the heavier ones
    kept in the query cache until what ``chronicle link`` stored changes (how many articles it
    linked, story events and disputes it holds; ``chronicle link`` may run beside the server) or
    for the cache's ttl."""

    CACHED = frozenset({"link_counts", "disputes", "count_disputes", "story_events", "count_story_events",
                        "canonical_entities", "count_canonical_entities", "canonical_types", "count_timeline",
                        "timeline_page", "canonical_articles", "count_canonical_articles", "canonicals_of_name"})

    def __init__(self, store: Store, cache: QueryCache | None) -> None:
        self._store = store
        self._cache = cache
        self._version: tuple[Any, ...] | None = None

    def version(self) -> tuple[Any, ...]:
        if self._version is None:
            self._version = tuple(self._store._query(
                "SELECT (SELECT count(*) FROM link_articles), (SELECT count(*) FROM story_events), "
                "(SELECT count(*) FROM disputes)")[0])
        return self._version

    def __getattr__(self, name: str) -> Any:
        from chronicle.link import query

        fn = getattr(query, name)
        store, cache = self._store, self._cache
        if cache is None or name not in self.CACHED:
            return lambda *a, **kw: fn(store, *a, **kw)
        return lambda *a, **kw: cache.memo(store, ("link", self.version(), name, a, sorted(kw.items())),
                                           lambda: fn(store, *a, **kw))


def link_reads(st: Store) -> LinkReads:
    """The link step's reads over a request's store (cached when the store is a ``CachedStore``,
    the one ``LinkReads`` of the request)."""
    if isinstance(st, CachedStore):
        reads = st.__dict__.get("_link_reads")
        if reads is None:
            reads = st.__dict__["_link_reads"] = LinkReads(st._store, st._cache)
        return reads  # type: ignore[no-any-return]
    return LinkReads(st, None)


class StorePool:
    """One read-only store per thread (SQLite connections are not shared across threads), and a
    lock-guarded writable store opened only for writes."""

    def __init__(self, db: str, opener: Callable[..., Store] = open_store) -> None:
        self.db = db
        self.opener = opener
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()
        self.generation = 0  # bumped after every write: caches keyed on it go stale

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self.opener(self.db, readonly=True)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    @contextmanager
    def writer(self) -> Iterator[Store]:
        with self._lock, self.opener(self.db) as store:
            yield store
            self.generation += 1

    def close(self) -> None:
        with self._lock:
            for s in self._all:
                s.close()
            self._all.clear()
        self._local = threading.local()


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        parts.append(f"{'.'.join(loc) or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def warm_up(pool: StorePool, cache: QueryCache) -> None:
    """Fill the cache with what the first pages need (counts, filter values, the overview's and
    the explorer's aggregates, the most reported entities' pages), in the background, so that
    the first visitors do not wait."""
    from chronicle.web.pages import warm

    try:
        warm(CachedStore(pool.get(), cache), cache)  # type: ignore[arg-type]
    except ChronicleError as e:  # the requests will say it again, with the error shape
        LOGGER.warning("warm-up stopped: %s", e)


def create_app(db: str, token: str | None = None, *, opener: Callable[..., Store] = open_store,
               allowed_hosts: list[str] | None = None, warm: bool = True) -> FastAPI:
    """The web UI and JSON API over the database ``db`` (read-only; writes need ``token``).
    ``warm`` fills the query cache in the background at start."""
    pool = StorePool(db, opener)
    # fail now, with the store's own message, rather than on the first request
    pool.get()

    cache = QueryCache(pool)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            threading.Thread(target=warm_up, args=(pool, cache), name="chronicle-warm-up", daemon=True).start()
        yield
        pool.close()

    app = FastAPI(
        lifespan=lifespan,
        title="chronicle API",
        version=__version__,
        description=("Read-only JSON over a chronicle database: articles and their records, full-text "
                     "search, entities, statements and events. Lists are paginated with `limit` and "
                     "`offset`; every error is `{\"ok\": false, \"error\": ..., \"status\": ...}`."),
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
    )
    app.state.pool = pool
    app.state.cache = cache
    app.state.token = token
    app.state.db = db
    hosts = {h.lower() for h in allowed_hosts or ()}

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        # a server on this machine answers only requests addressed to this machine's names (no
        # DNS rebinding); the error has the API's shape like every other
        host = request.headers.get("host", "").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        response: Response
        if hosts and name not in hosts:
            response = fail(request, 400, f"this server does not answer for host '{host}'")
        else:
            response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    def is_api(request: Request) -> bool:
        return request.url.path == "/api" or request.url.path.startswith("/api/")

    def fail(request: Request, status: int, message: str) -> Response:
        if is_api(request):
            return JSONResponse(error_body(status, message), status_code=status)
        from chronicle.web.pages import render_error

        return render_error(request, status, message)

    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, exc: ApiError) -> Response:
        return fail(request, exc.status, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return fail(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
        return fail(request, 400, _validation_message(exc))

    @app.exception_handler(StoreError)
    async def on_store_error(request: Request, exc: StoreError) -> Response:
        message = str(exc)
        status = 400 if ("ambiguous" in message or "no relation" in message) else 503
        return fail(request, status, message)

    @app.exception_handler(ChronicleError)
    async def on_chronicle_error(request: Request, exc: ChronicleError) -> Response:
        return fail(request, 500, str(exc))

    @app.exception_handler(Exception)
    async def on_any_error(request: Request, exc: Exception) -> Response:
        LOGGER.exception("unexpected error on %s", request.url.path)
        return fail(request, 500, f"internal error ({type(exc).__name__}); see the server's log")

    from chronicle.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    pages.mount_static(app)
    return app


def check_token(request: Request) -> None:
    """Writes need the token given on the command line, as ``Authorization: Bearer TOKEN``."""
    token: str | None = request.app.state.token
    if not token:
        raise ApiError(403, "read-only: this server was started without --token, so it takes no writes")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise ApiError(401, "a write needs the server's token as 'Authorization: Bearer TOKEN'")


def html(content: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(content, status_code=status)
