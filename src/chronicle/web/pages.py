"""The HTML pages: reader, search, entities, events explorer, and what ``chronicle link`` found
across articles (disputes, story events, canonical entities). Server-rendered with Jinja2
(autoescaped: every string from an article is escaped), one stylesheet and one script from
``static/``, charts drawn as SVG on the server. Each page's data comes from the same store
queries the JSON API serves.
"""

from __future__ import annotations

import time
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from chronicle import __version__
from chronicle.store import Store
from chronicle.store.base import Filters, Page
from chronicle.web import charts
from chronicle.web.api import (
    Filt,
    Pg,
    SFilt,
    StoryFilters,
    canonical_page,
    dispute_page,
    linked,
    run_search,
    store,
    story_page,
    the_canonical,
    the_story_event,
    with_names,
)
from chronicle.web.app import ApiError
from chronicle.web.app import link_reads as lq
from chronicle.web.highlight import LAYERS, Fact, facts_of, segments

__all__ = ["mount_static", "render_error", "router"]

router = APIRouter(include_in_schema=False)
St = Annotated[Store, Depends(store)]

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("chronicle.web", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["q"] = lambda s: quote(str(s), safe="")
_env.filters["urlencode"] = lambda d: urlencode(d)
_env.filters["marks"] = lambda s: escape(s).replace("\x02", Markup("<mark>")).replace("\x03", Markup("</mark>"))
_env.globals.update(version=__version__, LAYERS=LAYERS, EVENT_TYPES=charts.EVENT_TYPES)
templates = Jinja2Templates(env=_env)


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(packages=[("chronicle.web", "static")]), name="static")


def _ctx(request: Request, **kw: Any) -> dict[str, Any]:
    args = {k: v for k, v in request.query_params.items() if v}
    return {"request": request, "args": args, "db": request.app.state.db, "t0": time.perf_counter(), **kw}


def _page(request: Request, name: str, **kw: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, _ctx(request, **kw))


def render_error(request: Request, status: int, message: str) -> Response:
    return templates.TemplateResponse(request, "error.html", _ctx(request, status=status, message=message),
                                      status_code=status)


def pager(request: Request, page: Page, key: str = "offset", anchor: str = "") -> dict[str, Any]:
    """Links to the previous and next pages, keeping every other parameter (``key`` is the
    parameter that holds this list's offset, for a page with two lists)."""
    args = {k: v for k, v in request.query_params.items() if v and k != key}

    def link(offset: int) -> str:
        return ("?" + urlencode({**args, key: offset}) if offset else "?" + urlencode(args)) + anchor

    return {
        "total": page.total, "first": page.offset + 1 if page.items else 0, "last": page.offset + len(page.items),
        "prev": link(max(page.offset - page.limit, 0)) if page.offset > 0 else None,
        "next": link(page.offset + page.limit) if page.offset + page.limit < page.total else None,
    }


# What the overview, the explorer and the entity pages need, gathered by functions that the
# start-up warm-up calls too (so that both fill and read the same cache entries).

def home_data(st: Store, cache: Any) -> dict[str, Any]:
    f = Filters()
    return {"counts": st.stats(), "latest": st.list_articles(limit=10).items, "top": st.list_entities(limit=15).items,
            "timeline": cache.memo(st, ("timeline", f), lambda: charts.timeline(st.event_timeline(f)))}


def events_data(st: Store, cache: Any, f: Filters, by: str, limit: int, offset: int) -> dict[str, Any]:
    def the_map() -> dict[str, Any]:
        points = charts.place_points(st.event_places(f))
        view = charts.map_view(points)
        return {"n": len(points), "view": view, "svg": charts.places_svg(points)}

    m = cache.memo(st, ("map", f), the_map)
    return {"page": st.list_events(f, None, limit, offset), "facets": st.facets(),
            "timeline": cache.memo(st, ("timeline", f), lambda: charts.timeline(st.event_timeline(f))),
            "network": cache.memo(st, ("network", f, by), lambda: charts.network(st.event_network(f, by=by))),
            "by": by, "n_places": m["n"], "places_svg": m["svg"], "view": m["view"], "map_w": charts.MAP_W,
            "map_h": charts.MAP_H}


def entity_data(st: Store, cache: Any, name: str, offset: int = 0) -> dict[str, Any] | None:
    prof = st.entity_profile(name)
    if prof is None:
        return None
    events = st.entity_events(name, "any", limit=500)
    timeline = cache.memo(st, ("entity-timeline", name), lambda: charts.entity_timeline(events.items, name))
    return {"p": prof, "by": st.entity_statements(name, "by", limit=30),
            "about": st.entity_statements(name, "about", limit=30), "events": events.items, "n_events": events.total,
            "timeline": timeline, "mentions": st.entity_mentions(name, limit=30, offset=offset)}


def canonical_data(st: Store, canonical_id: str, offset: int = 0, aoffset: int = 0) -> dict[str, Any]:
    c = the_canonical(st, canonical_id)
    items, total = lq(st).timeline_page(canonical_id, 50, offset, (c["n_story_events"], c["n_statements"]))
    n_articles = lq(st).count_canonical_articles(canonical_id)
    return {"c": c, "timeline": Page(items, total, 50, offset),
            "articles": Page(lq(st).canonical_articles(canonical_id, 20, aoffset), n_articles, 20, aoffset),
            "disputes": dispute_page(st, canonical_id, None, False, None, 10, 0, total=c["n_disputes"])}


def warm(st: Store, cache: Any, entities: int = 10) -> None:
    """Fill the cache for the overview, the explorer and the most reported entities' pages; when
    the store is linked, for the first pages of the disputes, the story events and the canonical
    entities, and the most reported canonical entities' pages."""
    home = home_data(st, cache)
    events_data(st, cache, Filters(), "entity", 50, 0)
    st.list_entities(Filters(), None, 50, 0)
    for e in home["top"][:entities]:
        entity_data(st, cache, e["name"])
    if linked(st):
        lq(st).link_counts()
        lq(st).canonical_types()
        dispute_page(st, None, None, False, None, 50, 0)
        story_page(st, StoryFilters(), 50, 0)
        top = canonical_page(st, None, None, None, 1, 50, 0)
        for c in top.items[:entities // 2]:
            canonical_data(st, c["id"])


@router.get("/", response_class=HTMLResponse)
def home(request: Request, st: St) -> HTMLResponse:
    return _page(request, "home.html", link=lq(st).link_counts() if linked(st) else None,
                 **home_data(st, request.app.state.cache))


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request, st: St, f: Filt, pg: Pg) -> HTMLResponse:
    page = st.list_articles(f, pg.limit, pg.offset)
    return _page(request, "articles.html", page=page, pager=pager(request, page), facets=st.facets())


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def reader(request: Request, article_id: str, st: St) -> Response:
    rec = st.get_record(article_id)
    if rec is None:
        raise ApiError(404, f"no article '{article_id}'")
    if rec.article.id != article_id:  # an id prefix: send the reader to the article's own URL
        return RedirectResponse(f"/articles/{quote(rec.article.id, safe='')}", status_code=307)
    facts = facts_of(rec)
    layers = dict(LAYERS)
    is_linked = linked(st)
    links: dict[str, Any] = {"events": {}, "entities": {}, "places": {}}
    disputes: list[dict[str, Any]] = []
    if is_linked:
        links = lq(st).article_links(article_id)
        disputes = with_names(st, lq(st).disputes(article=article_id, limit=200))
        facts += dispute_facts(article_id, disputes)
        if disputes:
            layers["dsp"] = "disputes"
    by_layer: dict[str, list[Any]] = {k: [] for k in layers}
    for f in facts:
        by_layer[f.layer].append(f)
    return _page(request, "reader.html", rec=rec, segments=segments(rec.article.text, facts), by_layer=by_layer,
                 layers=layers, entity_names={e.id: e.name for e in rec.entities},
                 places={p.id: p for p in rec.places}, quantities={q.id: q for q in rec.quantities},
                 statements={s.id: s for s in rec.statements}, linked=is_linked, links=links, disputes=disputes)


def dispute_facts(article_id: str, disputes: list[dict[str, Any]]) -> list[Fact]:
    """The reader's highlights for the disputes an article takes part in: each side in this
    article (``dsp-ID-a`` the claim, ``dsp-ID-b`` the denial), with the other side beside it."""
    out = []
    for d in disputes:
        for side, other in (("a", "b"), ("b", "a")):
            here = d[side]
            if here["article"] != article_id:
                continue
            there = d[other]
            what = "claim" if side == "a" else "denial"
            where = "here" if there["article"] == article_id else f"in “{there['title'] or there['article']}”"
            label = f"{what} ({here['speaker'] or here['kind']}), {'denied' if side == 'a' else 'of a claim'} {where}"
            out.append(Fact(f"dsp-{d['id']}-{side}", "dsp", label, [(here["start"], here["end"], "l-dsp")],
                            {"d": d, "side": side, "other": other, "what": what}))
    return out


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, st: St, f: Filt, pg: Pg,
           q: Annotated[str | None, Query()] = None,
           kind: Annotated[str, Query(pattern="^(articles|statements|events|entities)$")] = "articles",
           ) -> HTMLResponse:
    q = (q or "").strip() or None
    page = run_search(st, kind, q, f, pg.limit, pg.offset, ("\x02", "\x03"))
    counts: dict[str, str] = {}
    if q:  # the other tabs' counts, stopping at 1,000
        for k in ("articles", "statements", "events", "entities"):
            other = page if k == kind else run_search(st, k, q, f, 1, 0, ("", ""), cap=1000)
            counts[k] = f"{other.total:,}{'+' if other.capped else ''}"
    return _page(request, "search.html", q=q or "", kind=kind, page=page, pager=pager(request, page), counts=counts,
                 facets=st.facets())


@router.get("/entities", response_class=HTMLResponse)
def entities(request: Request, st: St, f: Filt, pg: Pg,
             q: Annotated[str | None, Query()] = None) -> HTMLResponse:
    page = st.list_entities(f, (q or "").strip() or None, pg.limit, pg.offset)
    return _page(request, "entities.html", q=q or "", page=page, pager=pager(request, page), facets=st.facets(),
                 linked=linked(st))


@router.get("/entities/{name:path}", response_class=HTMLResponse)
def entity(request: Request, name: str, st: St,
           offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    data = entity_data(st, request.app.state.cache, name, offset)
    if data is None:
        raise ApiError(404, f"no entity named '{name}'")
    canonicals = lq(st).canonicals_of_name(name) if linked(st) else None
    return _page(request, "entity.html", pager=pager(request, data["mentions"]), canonicals=canonicals, **data)


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, st: St, f: Filt, pg: Pg,
           by: Annotated[str, Query(pattern="^(entity|country)$")] = "entity") -> HTMLResponse:
    data = events_data(st, request.app.state.cache, f, by, pg.limit, pg.offset)
    return _page(request, "events.html", pager=pager(request, data["page"]), linked=linked(st), **data)


# --- across articles ---------------------------------------------------------------------------

@router.get("/disputes", response_class=HTMLResponse)
def disputes(request: Request, st: St, pg: Pg,
             entity: Annotated[str | None, Query()] = None, article: Annotated[str | None, Query()] = None,
             across: Annotated[bool, Query()] = False, story_event: Annotated[str | None, Query()] = None,
             ) -> HTMLResponse:
    page = dispute_page(st, entity, article, across, (story_event or "").strip() or None, pg.limit, pg.offset)
    is_linked = linked(st)
    who = lq(st).canonical_id(entity.strip()) if is_linked and entity and entity.strip() else None
    return _page(request, "disputes.html", page=page, pager=pager(request, page), linked=is_linked,
                 entity_id=who, entity_name=lq(st).canonical_names([who]).get(who) if who else None)


@router.get("/story-events", response_class=HTMLResponse)
def story_events(request: Request, st: St, f: SFilt, pg: Pg) -> HTMLResponse:
    page = story_page(st, f, pg.limit, pg.offset)
    return _page(request, "story_events.html", page=page, pager=pager(request, page), linked=linked(st),
                 facets=st.facets())


@router.get("/story-events/{story_id}", response_class=HTMLResponse)
def story_event(request: Request, story_id: str, st: St) -> HTMLResponse:
    ev = the_story_event(st, story_id)
    names = lq(st).canonical_names([c for c in (ev["actor_canonical"], ev["recipient_canonical"]) if c])
    disputes = dispute_page(st, None, None, False, story_id, 20, 0)
    return _page(request, "story_event.html", ev=ev, names=names, disputes=disputes)


@router.get("/canonical-entities", response_class=HTMLResponse)
def canonical_entities(request: Request, st: St, pg: Pg, q: Annotated[str | None, Query()] = None,
                       country: Annotated[str | None, Query()] = None,
                       entity_type: Annotated[str | None, Query()] = None,
                       min_articles: Annotated[int, Query(ge=1)] = 1) -> HTMLResponse:
    page = canonical_page(st, q, country, entity_type, min_articles, pg.limit, pg.offset)
    is_linked = linked(st)
    return _page(request, "canonical_entities.html", page=page, pager=pager(request, page), linked=is_linked,
                 facets=st.facets(), types=lq(st).canonical_types() if is_linked else [])


@router.get("/canonical-entities/{canonical_id}", response_class=HTMLResponse)
def canonical_entity(request: Request, canonical_id: str, st: St,
                     offset: Annotated[int, Query(ge=0)] = 0,
                     aoffset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    data = canonical_data(st, canonical_id, offset, aoffset)
    return _page(request, "canonical_entity.html", tpager=pager(request, data["timeline"], "offset", "#timeline"),
                 apager=pager(request, data["articles"], "aoffset", "#articles"), **data)


@router.get("/assets/world.svg")
def world() -> Response:
    return Response(charts.world_svg(), media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    ops = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "description": p.get("description") or (p.get("schema") or {}).get("description", "")}
                      for p in op.get("parameters", [])]
            ops.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "params": params})
    return _page(request, "api.html", ops=ops, info=spec["info"])
