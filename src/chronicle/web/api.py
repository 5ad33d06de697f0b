"""The JSON API under ``/api/``: everything the pages show, paginated, one error shape.

Lists answer ``{"ok": true, "total", "limit", "offset", "next", "items": [...]}`` (``next`` is the
URL of the following page, or null). An article's record is served as it is stored, exactly
the JSON of ``chronicle show --json``. Errors answer ``{"ok": false, "error", "status"}``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BaseModel, ConfigDict

from chronicle.record import Record
from chronicle.store import Store
from chronicle.store.base import Filters, Page
from chronicle.web.app import ApiError, CachedStore, check_token

__all__ = ["MAX_LIMIT", "filters", "page_params", "router", "store"]

router = APIRouter(prefix="/api", tags=["api"])
MAX_LIMIT = 500
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
T = TypeVar("T")


# --- models (for the OpenAPI description; the store already returns plain JSON values) --------

class ErrorOut(BaseModel):
    ok: bool = False
    error: str
    status: int


class PageOut(BaseModel, Generic[T]):
    ok: bool = True
    total: int
    limit: int
    offset: int
    next: str | None
    items: list[T]


class ArticleOut(BaseModel):
    id: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    origin: str | None
    n_entities: int | None = None
    n_statements: int | None = None
    n_events: int | None = None
    n_quantities: int | None = None
    n_times: int | None = None
    n_places: int | None = None
    snippet: str | None = None


class StatementOut(BaseModel):
    article_id: str
    title: str | None
    published: str | None
    source: str | None
    id: str
    speaker: str | None
    speaker_name: str | None
    cue: str | None
    content: str
    kind: str | None
    stance: str | None
    target: str | None
    target_entity: str | None
    addressee: str | None
    start: int
    end: int


class EventOut(BaseModel):
    article_id: str
    title: str | None
    published: str | None
    source: str | None
    id: str
    type: str
    mode: str | None
    status: str | None
    actor: str | None
    actor_name: str | None
    actor_country: str | None
    recipient: str | None
    recipient_name: str | None
    recipient_country: str | None
    date: str | None
    place: str | None
    place_country: str | None
    trigger: str | None
    statement: str | None
    sentence: str | None
    start: int
    end: int


class EntityOut(BaseModel):
    name: str
    articles: int
    type: str | None
    country: str | None
    role: str | None


class MentionOut(BaseModel):
    article_id: str
    title: str | None
    published: str | None
    source: str | None
    text: str
    start: int
    end: int
    kind: str | None
    before: str
    after: str


class EntityProfileOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    ok: bool = True
    name: str
    type: str | None
    country: str | None
    role: str | None
    articles: int
    mentions: int
    first: str | None
    last: str | None
    statements_by: int
    events_as_actor: int
    events_as_recipient: int
    codes: list[dict[str, Any]]
    names: list[dict[str, Any]]
    related: list[dict[str, Any]]


class ItemsOut(BaseModel):
    ok: bool = True
    items: list[dict[str, Any]]


class NetworkOut(BaseModel):
    ok: bool = True
    by: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


class StatsOut(BaseModel):
    ok: bool = True
    counts: dict[str, int]
    facets: dict[str, Any]


class WriteOut(BaseModel):
    ok: bool = True
    stored: int
    skipped: int


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "a bad parameter"},
    404: {"model": ErrorOut, "description": "no such thing"},
}


# --- parameters shared with the pages -------------------------------------------------------

def store(request: Request) -> Store:
    """This thread's store, its heavier queries cached."""
    app = request.app
    return CachedStore(app.state.pool.get(), app.state.cache)  # type: ignore[return-value]


def _clean(value: str | None) -> str | None:
    value = value.strip() if value else None
    return value or None


def _date(name: str, value: str | None) -> str | None:
    value = _clean(value)
    if value:
        full = value + "-01-01"[len(value) - 4:] if _DATE.match(value) else ""
        try:
            dt.date.fromisoformat(full)
        except ValueError:
            raise ApiError(400, f"{name}: '{value}' is not a date like 2022-05-03 (or 2022-05, 2022)") from None
    return value


def filters(
    date_from: Annotated[str | None, Query(alias="from", description="First day (inclusive), YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="Last day (inclusive), YYYY-MM-DD")] = None,
    source: Annotated[str | None, Query(description="The outlet, as stored")] = None,
    country: Annotated[str | None, Query(description="An entity's or actor's code: RUS, UKR, UN")] = None,
    entity: Annotated[str | None, Query(description="An entity's name, exactly")] = None,
    event_type: Annotated[str | None, Query(description="A PLOVER event type: ASSAULT, AID, ...")] = None,
    stance: Annotated[str | None, Query(description="A statement's stance: accuse, deny, ...")] = None,
    status: Annotated[str | None, Query(description="An event's status: asserted, claimed, ...")] = None,
    statement_kind: Annotated[str | None, Query(description="A statement's kind: direct, indirect, mixed")] = None,
    role: Annotated[str | None, Query(description="An entity's role: GOV, MIL, ...")] = None,
    entity_type: Annotated[str | None, Query(description="An entity's type: PERSON, ORG, GPE, ...")] = None,
) -> Filters:
    return Filters(
        date_from=_date("from", date_from), date_to=_date("to", date_to), source=_clean(source),
        country=(_clean(country) or "").upper() or None, entity=_clean(entity),
        event_type=(_clean(event_type) or "").upper() or None, stance=_clean(stance), status=_clean(status),
        kind=_clean(statement_kind), role=(_clean(role) or "").upper() or None,
        type=(_clean(entity_type) or "").upper() or None)


class PageParams(BaseModel):
    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT})")] = 50,
    offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


Filt = Annotated[Filters, Depends(filters)]
Pg = Annotated[PageParams, Depends(page_params)]
St = Annotated[Store, Depends(store)]


def envelope(request: Request, page: Page) -> dict[str, Any]:
    nxt = None
    if page.offset + page.limit < page.total:
        nxt = str(request.url.include_query_params(offset=page.offset + page.limit, limit=page.limit))
    return {"ok": True, "total": page.total, "limit": page.limit, "offset": page.offset, "next": nxt,
            "items": page.items}


# --- endpoints --------------------------------------------------------------------------------

@router.get("", summary="What the API offers")
def index(request: Request) -> dict[str, Any]:
    """The endpoints, each with its summary, and where the OpenAPI description is."""
    spec = request.app.openapi()
    endpoints = [{"method": m.upper(), "path": p, "summary": op.get("summary", "")}
                 for p, ops in spec["paths"].items() for m, op in ops.items()]
    return {"ok": True, "version": spec["info"]["version"], "openapi": "/api/openapi.json", "docs": "/api/docs",
            "endpoints": endpoints}


@router.get("/stats", summary="Counts and filter values", response_model=StatsOut)
def stats(st: St) -> dict[str, Any]:
    """How many facts of each kind the database holds, and the values each filter can take."""
    return {"ok": True, "counts": st.stats(), "facets": st.facets()}


@router.get("/articles", summary="Articles", response_model=PageOut[ArticleOut], responses=ERRORS)
def articles(request: Request, st: St, f: Filt, pg: Pg) -> dict[str, Any]:
    """Articles that pass the filters, newest first, with how many facts of each kind they hold."""
    return envelope(request, st.list_articles(f, pg.limit, pg.offset))


@router.get("/articles/{article_id}", summary="An article's record", responses=ERRORS)
def article(article_id: str, st: St) -> dict[str, Any]:
    """The article's whole record, as stored (the record format of DESIGN.md; an unambiguous id
    prefix will do)."""
    rec = st.get_record(article_id)
    if rec is None:
        raise ApiError(404, f"no article '{article_id}'")
    return rec.to_dict()


@router.get("/search", summary="Full-text search", response_model=PageOut[dict[str, Any]], responses=ERRORS)
def search(request: Request, st: St, f: Filt, pg: Pg,
           q: Annotated[str, Query(min_length=1, description="Words to find (SQLite FTS5 syntax works)")],
           kind: Annotated[str, Query(pattern="^(articles|statements|events|entities)$",
                                      description="What to find: articles, statements, events, entities")]
           = "articles") -> dict[str, Any]:
    """Articles matching ``q`` (best first, with a snippet whose matches are between [ and ]),
    or the statements, events or entities of matching articles that hold the words."""
    return envelope(request, run_search(st, kind, q, f, pg.limit, pg.offset, ("[", "]")))


def run_search(st: Store, kind: str, q: str | None, f: Filters, limit: int, offset: int,
               marks: tuple[str, str], cap: int | None = None) -> Page:
    if kind == "statements":
        return st.list_statements(f, q, limit, offset, cap=cap)
    if kind == "events":
        return st.list_events(f, q, limit, offset, cap=cap)
    if kind == "entities":
        return st.list_entities(f, q, limit, offset, cap=cap)
    if q:
        return st.search_articles(q, f, limit, offset, marks)
    return st.list_articles(f, limit, offset)


@router.get("/statements", summary="Statements", response_model=PageOut[StatementOut], responses=ERRORS)
def statements(request: Request, st: St, f: Filt, pg: Pg) -> dict[str, Any]:
    """Who said what: statements that pass the filters (``entity`` and ``country`` are the
    speaker's), newest article first."""
    return envelope(request, st.list_statements(f, None, pg.limit, pg.offset))


@router.get("/events", summary="Events", response_model=PageOut[EventOut], responses=ERRORS)
def events(request: Request, st: St, f: Filt, pg: Pg) -> dict[str, Any]:
    """Who did what to whom: events that pass the filters (``entity`` and ``country`` as actor
    or recipient; dates are the event's, else its article's), latest first."""
    return envelope(request, st.list_events(f, None, pg.limit, pg.offset))


@router.get("/events/timeline", summary="Events per day and type", response_model=ItemsOut, responses=ERRORS)
def events_timeline(st: St, f: Filt) -> dict[str, Any]:
    """How many events of each type happened each day (``day``: the event's date, else its
    article's; dates less precise than a day are kept as they are)."""
    return {"ok": True, "items": st.event_timeline(f)}


@router.get("/events/network", summary="Who acts on whom", response_model=NetworkOut, responses=ERRORS)
def events_network(st: St, f: Filt,
                   by: Annotated[str, Query(pattern="^(entity|country)$",
                                            description="Nodes are entities (by name) or countries")] = "entity",
                   limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most edges")] = 60,
                   ) -> dict[str, Any]:
    """Edges actor → recipient weighted by their number of events, heaviest first."""
    return {"ok": True, **st.event_network(f, by=by, limit=limit)}


@router.get("/events/places", summary="Where events happened", response_model=ItemsOut, responses=ERRORS)
def events_places(st: St, f: Filt,
                  limit: Annotated[int, Query(ge=1, le=5000, description="Most places")] = 500) -> dict[str, Any]:
    """The places of the events that pass the filters (name, country, lat, lon, n)."""
    return {"ok": True, "items": st.event_places(f, limit=limit)}


@router.get("/entities", summary="Entities", response_model=PageOut[EntityOut], responses=ERRORS)
def entities(request: Request, st: St, f: Filt, pg: Pg,
             q: Annotated[str | None, Query(description="Words the name must hold")] = None) -> dict[str, Any]:
    """Entities by name, the most widely reported first, with their commonest type and codes."""
    return envelope(request, st.list_entities(f, _clean(q), pg.limit, pg.offset))


@router.get("/entities/{name:path}/mentions", summary="An entity's mentions", response_model=PageOut[MentionOut],
            responses=ERRORS)
def entity_mentions(request: Request, name: str, st: St, pg: Pg) -> dict[str, Any]:
    """Every mention of the entity, with the text around it, newest article first."""
    _known(st, name)
    return envelope(request, st.entity_mentions(name, pg.limit, pg.offset))


@router.get("/entities/{name:path}/statements", summary="Statements by or about an entity",
            response_model=PageOut[StatementOut], responses=ERRORS)
def entity_statements(request: Request, name: str, st: St, pg: Pg,
                      rel: Annotated[str, Query(pattern="^(by|about)$",
                                                description="by: it speaks; about: others' statements "
                                                            "that mention it")] = "by") -> dict[str, Any]:
    _known(st, name)
    return envelope(request, st.entity_statements(name, rel, pg.limit, pg.offset))


@router.get("/entities/{name:path}/events", summary="An entity's events", response_model=PageOut[EventOut],
            responses=ERRORS)
def entity_events(request: Request, name: str, st: St, pg: Pg,
                  rel: Annotated[str, Query(pattern="^(actor|recipient|any)$",
                                            description="The entity as actor, recipient or either")] = "any",
                  ) -> dict[str, Any]:
    _known(st, name)
    return envelope(request, st.entity_events(name, rel, pg.limit, pg.offset))


@router.get("/entities/{name:path}", summary="An entity", response_model=EntityProfileOut, responses=ERRORS)
def entity(name: str, st: St) -> dict[str, Any]:
    """What is known about the entities of this name: codes, names used, counts, related entities."""
    return {"ok": True, **_known(st, name)}


def _known(st: Store, name: str) -> dict[str, Any]:
    prof = st.entity_profile(name)
    if prof is None:
        raise ApiError(404, f"no entity named '{name}'")
    return prof


@router.get("/failures", summary="Inputs that failed", response_model=ItemsOut)
def failures(st: St, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100) -> dict[str, Any]:
    """Inputs that could not be read or extracted, newest first."""
    return {"ok": True, "items": st.failures(limit)}


@router.post("/records", summary="Store records (needs the token)", response_model=WriteOut,
             responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 400: {"model": ErrorOut}},
             dependencies=[Depends(check_token)])
def write_records(request: Request,
                  body: Annotated[dict[str, Any] | list[dict[str, Any]], Body(
                      description="One record, or a list of records, in the record format")]) -> dict[str, Any]:
    """Store records made elsewhere (``chronicle extract --format jsonl``); an article already
    stored is skipped. Only when the server was started with ``--token``, and only with it as
    ``Authorization: Bearer TOKEN``."""
    items = body if isinstance(body, list) else [body]
    records = [_record(i, d) for i, d in enumerate(items)]
    with request.app.state.pool.writer() as w:
        res = w.write(records)
    return {"ok": True, "stored": res.stored, "skipped": res.skipped}


def _record(i: int, data: dict[str, Any]) -> Record:
    art = data.get("article")
    if not isinstance(art, dict) or not isinstance(art.get("id"), str) or not isinstance(art.get("text"), str):
        raise ApiError(400, f"record {i}: needs an 'article' with a string 'id' and 'text'")
    try:
        rec = Record.from_dict(data)
    except (TypeError, ValueError, KeyError, AttributeError) as e:
        raise ApiError(400, f"record {i}: not in the record format ({e})") from None
    n = len(rec.article.text)
    spans = [(m.start, m.end) for e in rec.entities for m in e.mentions]
    spans += [(x.start, x.end) for x in rec.quantities] + [(x.start, x.end) for x in rec.times]
    spans += [(x.start, x.end) for x in rec.places]
    if any(not (0 <= s <= e <= n) for s, e in spans):
        raise ApiError(400, f"record {i}: a span lies outside the article's text (0..{n})")
    return rec
