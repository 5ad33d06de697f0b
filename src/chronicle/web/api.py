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

from chronicle.errors import StoreError
from chronicle.link import query
from chronicle.record import Record
from chronicle.store import Store
from chronicle.store.base import Filters, Page
from chronicle.web.app import ApiError, CachedStore, check_token
from chronicle.web.app import link_reads as lq

__all__ = ["MAX_LIMIT", "NOT_LINKED", "StoryFilters", "filters", "linked", "page_params", "router", "store",
           "story_filters"]

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
    link: dict[str, int] | None = None


class DisputeSideOut(BaseModel):
    article: str
    kind: str
    ref: str | None
    start: int
    end: int
    text: str
    speaker: str | None
    canonical: str | None
    canonical_name: str | None = None
    title: str | None
    published: str | None
    source: str | None


class DisputeOut(BaseModel):
    id: str
    story: str | None
    score: float
    why: str | None
    shared: list[str]
    a: DisputeSideOut
    b: DisputeSideOut


class OneDisputeOut(DisputeOut):
    ok: bool = True


class StoryEventOut(BaseModel):
    id: str
    type: str
    mode: str | None
    status: str | None
    date: str | None
    precision: str | None
    actor: str | None
    actor_country: str | None
    actor_canonical: str | None
    recipient: str | None
    recipient_country: str | None
    recipient_canonical: str | None
    place: str | None
    place_country: str | None
    lat: float | None
    lon: float | None
    reports: int
    articles: int
    sources: int
    first: str | None
    last: str | None


class ReportOut(BaseModel):
    article_id: str
    event_id: str
    start: int
    end: int
    status: str | None
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    trigger: str | None


class CopyOut(BaseModel):
    of: str
    id: str
    source: str | None
    url: str | None


class StoryEventDetailOut(StoryEventOut):
    ok: bool = True
    statuses: dict[str, int]
    lemmas: dict[str, int]
    reports_list: list[ReportOut]
    copies: list[CopyOut]


class CanonicalEntityOut(BaseModel):
    id: str
    name: str
    type: str | None
    country: str | None
    role: str | None
    articles: int
    mentions: int
    first: str | None
    last: str | None
    names: dict[str, int]
    why: str | None


class CanonicalEntityDetailOut(CanonicalEntityOut):
    ok: bool = True
    n_story_events: int
    n_statements: int
    n_disputes: int


class CanonicalArticleOut(BaseModel):
    article_id: str
    title: str | None
    published: str | None
    source: str | None
    entities: list[dict[str, str]]


class TimelineItemOut(BaseModel):
    """A dated story event (``kind`` event) or a statement (``kind`` statement)."""

    kind: str
    date: str | None
    precision: str | None
    first: str | None
    articles: int
    sources: int
    story_event: str | None = None
    role: str | None = None
    type: str | None = None
    mode: str | None = None
    status: str | None = None
    actor: str | None = None
    recipient: str | None = None
    place: str | None = None
    reports: int | None = None
    article: str | None = None
    statement: str | None = None
    stance: str | None = None
    cue: str | None = None
    content: str | None = None
    source: str | None = None
    title: str | None = None


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
    """How many facts of each kind the database holds, the values each filter can take, and
    what ``chronicle link`` made of them (``link``: null until the store is linked)."""
    return {"ok": True, "counts": st.stats(), "facets": st.facets(),
            "link": lq(st).link_counts() if linked(st) else None}


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


# --- across articles: what `chronicle link` made of the record ---------------------------------

NOT_LINKED = "this database has not been linked across articles yet: run `chronicle link`"


def linked(st: Store) -> bool:
    """Whether ``chronicle link`` has run on this store (False for a database made before it existed)."""
    try:
        return query.is_linked(st)
    except StoreError:
        return False


def _canonical_ref(st: Store, ref: str | None) -> str | None:
    """A canonical entity's id from its id or exact name; a name that is none gives an id that matches nothing."""
    ref = _clean(ref)
    if not ref:
        return None
    return lq(st).canonical_id(ref) or "\x00none"


def _article_ref(st: Store, ref: str | None) -> str | None:
    ref = _clean(ref)
    if not ref:
        return None
    return st.resolve_id(ref) or "\x00none"


def with_names(st: Store, disputes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each side's speaker's canonical entity's name beside its id."""
    names = lq(st).canonical_names([d[s]["canonical"] for d in disputes for s in "ab" if d[s]["canonical"]])
    for d in disputes:
        for side in "ab":
            d[side]["canonical_name"] = names.get(d[side]["canonical"] or "")
    return disputes


def dispute_page(st: Store, entity: str | None, article: str | None, across: bool, story_event: str | None,
                 limit: int, offset: int, total: int | None = None) -> Page:
    """A page of disputes (empty when the store is not linked; ``total``: their number, when known)."""
    if not linked(st):
        return Page([], 0, limit, offset)
    cid, aid = _canonical_ref(st, entity), _article_ref(st, article)
    if total is None:
        total = lq(st).count_disputes(entity=cid, article=aid, across=across, story_event=story_event)
    items = lq(st).disputes(entity=cid, article=aid, across=across, story_event=story_event, limit=limit,
                           offset=offset) if offset < total else []
    return Page(with_names(st, items), total, limit, offset)


class StoryFilters(BaseModel):
    since: str | None = None
    until: str | None = None
    source: str | None = None
    country: str | None = None
    entity: str | None = None
    type: str | None = None
    status: str | None = None
    min_articles: int = 1


def story_filters(
    date_from: Annotated[str | None, Query(alias="from", description="First day (inclusive), YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="Last day (inclusive), YYYY-MM-DD")] = None,
    source: Annotated[str | None, Query(description="An outlet that reports it, as stored")] = None,
    country: Annotated[str | None, Query(description="The actor's or recipient's code: RUS, UKR, UN")] = None,
    entity: Annotated[str | None, Query(description="A canonical entity as actor or recipient: its id or its "
                                                    "name, exactly")] = None,
    event_type: Annotated[str | None, Query(description="A PLOVER event type: ASSAULT, AID, ...")] = None,
    status: Annotated[str | None, Query(description="disputed (some reports deny it), or a status some report "
                                                    "has: asserted, claimed, denied, ...")] = None,
    min_articles: Annotated[int, Query(ge=1, description="Reported by at least this many articles")] = 1,
) -> StoryFilters:
    return StoryFilters(since=_date("from", date_from), until=_date("to", date_to), source=_clean(source),
                        country=(_clean(country) or "").upper() or None, entity=_clean(entity),
                        type=(_clean(event_type) or "").upper() or None, status=_clean(status),
                        min_articles=min_articles)


def story_page(st: Store, f: StoryFilters, limit: int, offset: int) -> Page:
    """A page of story events (empty when the store is not linked)."""
    if not linked(st):
        return Page([], 0, limit, offset)
    kw: dict[str, Any] = {"type": f.type, "since": f.since, "until": f.until, "entity": _canonical_ref(st, f.entity),
                          "status": f.status, "min_articles": f.min_articles, "country": f.country, "source": f.source}
    total = lq(st).count_story_events(**kw)
    items = lq(st).story_events(limit=limit, offset=offset, **kw) if offset < total else []
    return Page(items, total, limit, offset)


def canonical_page(st: Store, q: str | None, country: str | None, etype: str | None, min_articles: int,
                   limit: int, offset: int) -> Page:
    """A page of canonical entities (empty when the store is not linked)."""
    if not linked(st):
        return Page([], 0, limit, offset)
    kw: dict[str, Any] = {"country": _clean(country), "type": _clean(etype), "name": _clean(q),
                          "min_articles": min_articles}
    total = lq(st).count_canonical_entities(**kw)
    items = lq(st).canonical_entities(limit=limit, offset=offset, **kw) if offset < total else []
    return Page(items, total, limit, offset)


def the_story_event(st: Store, story_id: str) -> dict[str, Any]:
    ev = lq(st).story_event(story_id) if linked(st) else None
    if ev is None:
        raise ApiError(404, f"no story event '{story_id}'" + ("" if linked(st) else f" ({NOT_LINKED})"))
    return ev


def the_canonical(st: Store, canonical_id: str, counts: bool = True) -> dict[str, Any]:
    """A canonical entity by its id, with how many story events, statements and disputes it has
    (unless not ``counts``)."""
    is_linked = linked(st)
    c = lq(st).find_canonical(canonical_id) if is_linked and lq(st).canonical_id(canonical_id) == canonical_id \
        else None
    if c is None:
        raise ApiError(404, f"no canonical entity '{canonical_id}'" + ("" if is_linked else f" ({NOT_LINKED})"))
    if not counts:
        return c
    c["n_story_events"], c["n_statements"] = lq(st).count_timeline(canonical_id)
    c["n_disputes"] = lq(st).count_disputes(entity=canonical_id)
    return c


@router.get("/disputes", summary="Disputes: claims and their denials", response_model=PageOut[DisputeOut],
            responses=ERRORS)
def disputes(request: Request, st: St, pg: Pg,
             entity: Annotated[str | None, Query(description="A canonical entity that speaks on either side or is "
                                                             "in either article: its id or its name, exactly")] = None,
             article: Annotated[str | None, Query(description="An article on either side (an id prefix will do)")]
             = None,
             across: Annotated[bool, Query(description="Only disputes across two articles")] = False,
             story_event: Annotated[str | None, Query(description="Only disputes with a report of this story event "
                                                                  "on a side")] = None) -> dict[str, Any]:
    """Each dispute a claim (``a``) and its denial or refutation (``b``): the spans' text,
    speakers (and their canonical entities), articles and dates, and why they were linked
    (``why``, the ``shared`` words, ``score``); the latest first. Empty until ``chronicle link``."""
    return envelope(request, dispute_page(st, entity, article, across, _clean(story_event), pg.limit, pg.offset))


@router.get("/disputes/{dispute_id}", summary="A dispute", response_model=OneDisputeOut, responses=ERRORS)
def one_dispute(dispute_id: str, st: St) -> dict[str, Any]:
    """One dispute, as the list gives it."""
    d = lq(st).dispute(dispute_id) if linked(st) else None
    if d is None:
        raise ApiError(404, f"no dispute '{dispute_id}'" + ("" if linked(st) else f" ({NOT_LINKED})"))
    return {"ok": True, **with_names(st, [d])[0]}


SFilt = Annotated[StoryFilters, Depends(story_filters)]


@router.get("/story-events", summary="Story events: one event however many articles report it",
            response_model=PageOut[StoryEventOut], responses=ERRORS)
def story_events(request: Request, st: St, f: SFilt, pg: Pg) -> dict[str, Any]:
    """Events across articles, the latest first, each with what its reports say (the commonest
    value) and how many ``reports``, ``articles`` and independent ``sources`` (outlets) it has.
    ``status`` is ``disputed`` when some reports deny it. Empty until ``chronicle link``."""
    return envelope(request, story_page(st, f, pg.limit, pg.offset))


@router.get("/story-events/{story_id}", summary="A story event with its reports", response_model=StoryEventDetailOut,
            responses=ERRORS)
def story_event(story_id: str, st: St) -> dict[str, Any]:
    """One story event with every report (article, outlet, date, trigger span, status), how
    many reports have each status, and the near-duplicate copies of its articles (not counted as
    sources)."""
    return {"ok": True, **the_story_event(st, story_id)}


@router.get("/canonical-entities", summary="Canonical entities: one entity across articles",
            response_model=PageOut[CanonicalEntityOut], responses=ERRORS)
def canonical_entities(request: Request, st: St, pg: Pg,
                       q: Annotated[str | None, Query(description="Part of the name (case-insensitive)")] = None,
                       country: Annotated[str | None, Query(description="Its code: RUS, UKR, UN")] = None,
                       entity_type: Annotated[str | None, Query(description="PERSON, ORG, GPE, LOC, ...")] = None,
                       min_articles: Annotated[int, Query(ge=1, description="In at least this many articles")] = 1,
                       ) -> dict[str, Any]:
    """Entities as ``chronicle link`` resolved them across articles, the most widely reported
    first, with their names (and how often each is used), codes and first and last day reported."""
    return envelope(request, canonical_page(st, q, country, entity_type, min_articles, pg.limit, pg.offset))


@router.get("/canonical-entities/{canonical_id}/timeline", summary="A canonical entity's timeline",
            response_model=PageOut[TimelineItemOut], responses=ERRORS)
def canonical_timeline(request: Request, canonical_id: str, st: St, pg: Pg) -> dict[str, Any]:
    """The dated story events it acts in or is acted on (with their reports, articles and
    sources) and its statements, oldest first."""
    the_canonical(st, canonical_id, counts=False)
    items, total = lq(st).timeline_page(canonical_id, pg.limit, pg.offset)
    return envelope(request, Page(items, total, pg.limit, pg.offset))


@router.get("/canonical-entities/{canonical_id}/articles", summary="The articles a canonical entity is in",
            response_model=PageOut[CanonicalArticleOut], responses=ERRORS)
def canonical_articles(request: Request, canonical_id: str, st: St, pg: Pg) -> dict[str, Any]:
    """The articles it appears in, the latest first, each with its entities (and places)
    resolved to it."""
    c = the_canonical(st, canonical_id, counts=False)
    total = lq(st).count_canonical_articles(c["id"])
    items = lq(st).canonical_articles(c["id"], pg.limit, pg.offset) if pg.offset < total else []
    return envelope(request, Page(items, total, pg.limit, pg.offset))


@router.get("/canonical-entities/{canonical_id}", summary="A canonical entity", response_model=CanonicalEntityDetailOut,
            responses=ERRORS)
def canonical_entity(canonical_id: str, st: St) -> dict[str, Any]:
    """Its names with how often each is used, its commonest type, country and role, how many
    articles and mentions, and how many story events, statements and disputes it has."""
    return {"ok": True, **the_canonical(st, canonical_id)}


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
