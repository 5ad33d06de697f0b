"""The HTML pages: reader, search, entities, events explorer. Server-rendered with Jinja2
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
from chronicle.web.api import Filt, Pg, run_search, store
from chronicle.web.app import ApiError
from chronicle.web.highlight import LAYERS, facts_of, segments

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


def pager(request: Request, page: Page) -> dict[str, Any]:
    """Links to the previous and next pages, keeping every other parameter."""
    args = {k: v for k, v in request.query_params.items() if v and k != "offset"}

    def link(offset: int) -> str:
        return "?" + urlencode({**args, "offset": offset}) if offset else "?" + urlencode(args)

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


def warm(st: Store, cache: Any, entities: int = 10) -> None:
    """Fill the cache for the overview, the explorer and the most reported entities' pages."""
    home = home_data(st, cache)
    events_data(st, cache, Filters(), "entity", 50, 0)
    st.list_entities(Filters(), None, 50, 0)
    for e in home["top"][:entities]:
        entity_data(st, cache, e["name"])


@router.get("/", response_class=HTMLResponse)
def home(request: Request, st: St) -> HTMLResponse:
    return _page(request, "home.html", **home_data(st, request.app.state.cache))


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
    by_layer: dict[str, list[Any]] = {k: [] for k in LAYERS}
    for f in facts:
        by_layer[f.layer].append(f)
    return _page(request, "reader.html", rec=rec, segments=segments(rec.article.text, facts), by_layer=by_layer,
                 entity_names={e.id: e.name for e in rec.entities},
                 places={p.id: p for p in rec.places}, quantities={q.id: q for q in rec.quantities},
                 statements={s.id: s for s in rec.statements},
                 disputes=[])  # filled by `link` when it lands: claims and their denials, side by side


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
    return _page(request, "entities.html", q=q or "", page=page, pager=pager(request, page), facets=st.facets())


@router.get("/entities/{name:path}", response_class=HTMLResponse)
def entity(request: Request, name: str, st: St,
           offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    data = entity_data(st, request.app.state.cache, name, offset)
    if data is None:
        raise ApiError(404, f"no entity named '{name}'")
    return _page(request, "entity.html", pager=pager(request, data["mentions"]), **data)


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, st: St, f: Filt, pg: Pg,
           by: Annotated[str, Query(pattern="^(entity|country)$")] = "entity") -> HTMLResponse:
    data = events_data(st, request.app.state.cache, f, by, pg.limit, pg.offset)
    return _page(request, "events.html", pager=pager(request, data["page"]), **data)


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
