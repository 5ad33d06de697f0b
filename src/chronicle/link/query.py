"""Reading what the link step stored: canonical entities, story events, disputes, timelines.

Portable SQL over ``Store._query`` (SQLite and PostgreSQL alike). Every function returns plain
dicts, ready for the CLI, the JSON API and the exports.
"""

from __future__ import annotations

import json
from typing import Any

from chronicle.store.base import Store

__all__ = [
    "article_links", "canonical_articles", "canonical_entities", "canonical_entity", "canonical_id",
    "canonical_names", "canonical_types", "canonicals_of_name", "count_canonical_articles", "count_canonical_entities",
    "count_disputes", "count_story_events", "count_timeline", "dispute", "disputes", "find_canonical", "is_linked",
    "link_counts", "story_event", "story_events", "timeline", "timeline_page",
]

_CANON_COLS = ("id", "name", "type", "country", "role", "articles", "mentions", "first", "last", "data")
_STORY_COLS = ("id", "type", "mode", "status", "date", "precision", "actor", "actor_country", "actor_canonical",
               "recipient", "recipient_country", "recipient_canonical", "place", "place_country", "lat", "lon",
               "reports", "articles", "sources", "first", "last")
_DISPUTE_COLS = ("id", "a_article", "a_kind", "a_ref", "a_start", "a_end", "a_speaker", "a_canonical",
                 "b_article", "b_kind", "b_ref", "b_start", "b_end", "b_speaker", "b_canonical", "story", "score",
                 "data")


def _dicts(rows: list[Any], cols: tuple[str, ...]) -> list[dict[str, Any]]:
    return [dict(zip(cols, tuple(r), strict=True)) for r in rows]


def is_linked(store: Store) -> bool:
    return bool(store._query("SELECT 1 FROM link_articles LIMIT 1"))


def link_counts(store: Store) -> dict[str, int]:
    """How much the link step holds: articles linked, stories, canonical entities, story events
    (and those reported by more than one article), event reports, disputes."""
    q = store._query
    return {
        "articles": int(q("SELECT count(*) FROM link_articles")[0][0]),
        "stories": int(q("SELECT count(DISTINCT story) FROM link_articles")[0][0]),
        "entities": int(q("SELECT count(*) FROM canonical_entities")[0][0]),
        "entities_across": int(q("SELECT count(*) FROM canonical_entities WHERE articles > 1")[0][0]),
        "story_events": int(q("SELECT count(*) FROM story_events")[0][0]),
        "story_events_across": int(q("SELECT count(*) FROM story_events WHERE articles > 1")[0][0]),
        "reports": int(q("SELECT count(*) FROM event_links")[0][0]),
        "disputes": int(q("SELECT count(*) FROM disputes")[0][0]),
        "disputes_across": int(q("SELECT count(*) FROM disputes WHERE a_article <> b_article")[0][0]),
    }


def _canon(row: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(row.pop("data"))
    row["names"] = data.get("names", {})
    row["why"] = data.get("why")
    return row


def _canon_where(country: str | None, type: str | None, name: str | None,
                 min_articles: int) -> tuple[list[str], list[Any]]:
    where: list[str] = ["articles >= ?"]
    params: list[Any] = [min_articles]
    if country:
        where.append("country = ?")
        params.append(country.upper())
    if type:
        where.append("type = ?")
        params.append(type.upper())
    if name:
        where.append("lower(name) LIKE ?")
        params.append(f"%{name.lower()}%")
    return where, params


def canonical_entities(store: Store, country: str | None = None, type: str | None = None,
                       name: str | None = None, min_articles: int = 1, limit: int = 50,
                       offset: int = 0) -> list[dict[str, Any]]:
    """Canonical entities, the most widely reported first. ``name`` matches part of the name
    (case-insensitive); ``country`` is a code (RUS, UN); ``type`` PERSON, ORG, GPE, ..."""
    where, params = _canon_where(country, type, name, min_articles)
    rows = store._query(
        f"SELECT {', '.join(_CANON_COLS)} FROM canonical_entities WHERE {' AND '.join(where)} "
        "ORDER BY articles DESC, mentions DESC, name, id LIMIT ? OFFSET ?", (*params, limit, offset))
    return [_canon(r) for r in _dicts(rows, _CANON_COLS)]


def count_canonical_entities(store: Store, country: str | None = None, type: str | None = None,
                             name: str | None = None, min_articles: int = 1) -> int:
    """How many canonical entities ``canonical_entities`` would list with these filters."""
    where, params = _canon_where(country, type, name, min_articles)
    return int(store._query(f"SELECT count(*) FROM canonical_entities WHERE {' AND '.join(where)}",
                            tuple(params))[0][0])


def canonical_types(store: Store) -> list[str]:
    """The types canonical entities have (PERSON, ORG, GPE, ...)."""
    return [r[0] for r in store._query("SELECT DISTINCT type FROM canonical_entities WHERE type IS NOT NULL "
                                       "ORDER BY type")]


def canonical_id(store: Store, ref: str) -> str | None:
    """The id of a canonical entity given its id or its name (exactly, case-insensitive; the most
    reported of that name). Unlike ``find_canonical``, never a guess from part of a name."""
    rows = store._query("SELECT id FROM canonical_entities WHERE id = ?", (ref,))
    if not rows:
        rows = store._query("SELECT id FROM canonical_entities WHERE lower(name) = ? ORDER BY articles DESC, id "
                            "LIMIT 1", (ref.strip().lower(),))
    return str(rows[0][0]) if rows else None


def canonical_names(store: Store, ids: list[str]) -> dict[str, str]:
    """The names of canonical entities by id."""
    out: dict[str, str] = {}
    ids = sorted(set(ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in store._query(f"SELECT id, name FROM canonical_entities WHERE id IN ({','.join('?' * len(chunk))})",
                              tuple(chunk)):
            out[r[0]] = r[1]
    return out


def canonicals_of_name(store: Store, name: str) -> list[dict[str, Any]]:
    """The canonical entities the per-article entities of this exact name were resolved to, the
    most of them first: ``{"id", "name", "type", "country", "role", "articles", "n"}``, ``n``
    being how many of those entities (one an article) resolve to it."""
    rows = store._query(
        "SELECT l.canonical_id, count(*) FROM entities e JOIN entity_links l ON l.article_id = e.article_id "
        "AND l.entity_id = e.id AND l.kind = 'entity' WHERE e.name = ? GROUP BY l.canonical_id", (name,))
    counts = {r[0]: int(r[1]) for r in rows}
    if not counts:
        return []
    ids = sorted(counts)
    out = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in store._query(f"SELECT id, name, type, country, role, articles FROM canonical_entities WHERE id IN "
                              f"({','.join('?' * len(chunk))})", tuple(chunk)):
            out.append({"id": r[0], "name": r[1], "type": r[2], "country": r[3], "role": r[4], "articles": r[5],
                        "n": counts[r[0]]})
    out.sort(key=lambda c: (-c["n"], -c["articles"], c["id"]))
    return out


def canonical_articles(store: Store, canonical: str, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """The articles a canonical entity appears in, the latest first, each with the per-article
    entities (or places) resolved to it: ``{"article_id", "title", "published", "source",
    "entities": [{"id", "kind"}]}``."""
    arts = store._query(
        "SELECT a.id, a.title, a.published, a.source FROM articles a WHERE a.id IN (SELECT article_id FROM "
        "entity_links WHERE canonical_id = ?) ORDER BY a.published DESC, a.id LIMIT ? OFFSET ?",
        (canonical, limit, offset))
    out = {r[0]: {"article_id": r[0], "title": r[1], "published": r[2], "source": r[3], "entities": []}
           for r in arts}
    ids = list(out)
    if ids:
        for r in store._query(f"SELECT article_id, entity_id, kind FROM entity_links WHERE canonical_id = ? AND "
                              f"article_id IN ({','.join('?' * len(ids))}) ORDER BY article_id, entity_id",
                              (canonical, *ids)):
            out[r[0]]["entities"].append({"id": r[1], "kind": r[2]})
    return list(out.values())


def count_canonical_articles(store: Store, canonical: str) -> int:
    """How many articles a canonical entity appears in."""
    return int(store._query("SELECT count(DISTINCT article_id) FROM entity_links WHERE canonical_id = ?",
                            (canonical,))[0][0])


def find_canonical(store: Store, ref: str) -> dict[str, Any] | None:
    """A canonical entity by id, else by name (exactly, case-insensitive; else as part of a name),
    the most reported first."""
    rows = store._query(f"SELECT {', '.join(_CANON_COLS)} FROM canonical_entities WHERE id = ?", (ref,))
    if not rows:
        rows = store._query(f"SELECT {', '.join(_CANON_COLS)} FROM canonical_entities WHERE lower(name) = ? "
                            "ORDER BY articles DESC, id LIMIT 1", (ref.lower(),))
    if not rows:  # a name the entity is known by ("Jasmine Tridevil" for "Tridevil", "Russia" for RUS)
        keys = _keys_for(ref)
        if keys:
            rows = store._query(
                f"SELECT c.{', c.'.join(_CANON_COLS)} FROM canonical_entities c WHERE c.id IN (SELECT canonical_id "
                f"FROM canonical_keys WHERE key IN ({','.join('?' * len(keys))})) ORDER BY c.articles DESC, c.id "
                "LIMIT 1", tuple(keys))
    if not rows:
        rows = store._query(f"SELECT {', '.join(_CANON_COLS)} FROM canonical_entities WHERE lower(name) LIKE ? "
                            "ORDER BY articles DESC, id LIMIT 1", (f"%{ref.lower()}%",))
    return _canon(_dicts(rows, _CANON_COLS)[0]) if rows else None


def _keys_for(name: str) -> list[str]:
    """The keys a name would be resolved by (``link/keys.py``)."""
    from chronicle.lexicon import lexicon
    from chronicle.link.keys import name_tokens

    words = " ".join(name_tokens(name))
    if not words:
        return []
    keys = [f"{p}:{words}" for p in ("per", "org", "gpe")]
    code = lexicon().country_code(name)
    if code:
        keys.append("cty:" + code)
    known = lexicon().person(name)
    if known is not None:
        keys.append("per:" + " ".join(name_tokens(known.name)))
    return keys


def canonical_entity(store: Store, ref: str, articles: int = 50) -> dict[str, Any] | None:
    """One canonical entity with the articles it appears in (the latest ``articles``) and, for
    each, the per-article entities it was resolved from."""
    c = find_canonical(store, ref)
    if c is None:
        return None
    rows = store._query(
        "SELECT l.article_id, a.title, a.published, a.source, l.entity_id, l.kind FROM entity_links l "
        "JOIN articles a ON a.id = l.article_id WHERE l.canonical_id = ? "
        "ORDER BY a.published DESC, a.id, l.entity_id LIMIT ?", (c["id"], articles * 4))
    by_article: dict[str, dict[str, Any]] = {}
    for r in rows:
        art = by_article.setdefault(r[0], {"article_id": r[0], "title": r[1], "published": r[2], "source": r[3],
                                           "entities": []})
        art["entities"].append({"id": r[4], "kind": r[5]})
    c["in_articles"] = list(by_article.values())[:articles]
    return c


def _story_where(type: str | None, actor: str | None, recipient: str | None, since: str | None,
                 until: str | None, entity: str | None, status: str | None, min_articles: int,
                 country: str | None = None, source: str | None = None) -> tuple[list[str], list[Any]]:
    where: list[str] = ["articles >= ?"]
    params: list[Any] = [min_articles]
    for col, val in (("type", type), ("actor_country", actor), ("recipient_country", recipient)):
        if val:
            where.append(f"{col} = ?")
            params.append(val.upper())
    if country:
        where.append("(actor_country = ? OR recipient_country = ?)")
        params += [country.upper()] * 2
    if entity:
        where.append("(actor_canonical = ? OR recipient_canonical = ?)")
        params += [entity, entity]
    if status == "disputed":  # the story event's own status: some of its reports deny it
        where.append("status = ?")
        params.append(status)
    elif status:  # a story event with some reports of this status ("disputed" ones hold denied reports)
        where.append("id IN (SELECT story_event FROM event_links WHERE status = ?)")
        params.append(status)
    if source:  # reported by this outlet
        where.append("id IN (SELECT l.story_event FROM event_links l JOIN articles a ON a.id = l.article_id "
                     "WHERE a.source = ?)")
        params.append(source)
    if since:
        where.append("substr(coalesce(date, first) || '-99-99', 1, 10) >= ?")
        params.append(since)
    if until:
        where.append("substr(coalesce(date, first) || '-01-01', 1, 10) <= ?")
        params.append(until)
    return where, params


def story_events(store: Store, type: str | None = None, actor: str | None = None, recipient: str | None = None,
                 since: str | None = None, until: str | None = None, entity: str | None = None,
                 status: str | None = None, min_articles: int = 1, limit: int = 50,
                 offset: int = 0, country: str | None = None, source: str | None = None) -> list[dict[str, Any]]:
    """Story events, the latest first (by date, else first report). ``actor``/``recipient`` are
    country codes, ``country`` either; ``entity`` a canonical entity id as actor or recipient;
    ``status`` keeps those with a report of that status (``disputed``: those some reports deny);
    ``source`` those an outlet reports."""
    where, params = _story_where(type, actor, recipient, since, until, entity, status, min_articles, country,
                                 source)
    rows = store._query(
        f"SELECT {', '.join(_STORY_COLS)} FROM story_events WHERE {' AND '.join(where)} "
        "ORDER BY coalesce(date, first) DESC, reports DESC, id LIMIT ? OFFSET ?", (*params, limit, offset))
    return _dicts(rows, _STORY_COLS)


def count_story_events(store: Store, type: str | None = None, actor: str | None = None, recipient: str | None = None,
                       since: str | None = None, until: str | None = None, entity: str | None = None,
                       status: str | None = None, min_articles: int = 1, country: str | None = None,
                       source: str | None = None) -> int:
    """How many story events ``story_events`` would list with these filters."""
    where, params = _story_where(type, actor, recipient, since, until, entity, status, min_articles, country,
                                 source)
    return int(store._query(f"SELECT count(*) FROM story_events WHERE {' AND '.join(where)}", tuple(params))[0][0])


def story_event(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story event with every report: article, outlet, date, trigger span and its status,
    and the article's near-duplicate copies (which do not count as sources)."""
    rows = store._query(f"SELECT {', '.join(_STORY_COLS)}, data FROM story_events WHERE id = ?", (story_id,))
    if not rows:
        return None
    row = dict(zip((*_STORY_COLS, "data"), tuple(rows[0]), strict=True))
    data = json.loads(row.pop("data"))
    row["statuses"] = data.get("statuses", {})
    row["lemmas"] = data.get("lemmas", {})
    reports = store._query(
        "SELECT l.article_id, l.event_id, l.start, l.\"end\", l.status, a.title, a.published, a.source, a.url, "
        "substr(a.text, l.start + 1, l.\"end\" - l.start) FROM event_links l JOIN articles a ON a.id = l.article_id "
        "WHERE l.story_event = ? ORDER BY a.published, a.id, l.start", (story_id,))
    row["reports_list"] = [
        {"article_id": r[0], "event_id": r[1], "start": r[2], "end": r[3], "status": r[4], "title": r[5],
         "published": r[6], "source": r[7], "url": r[8], "trigger": r[9]} for r in reports]
    ids = sorted({r[0] for r in reports})
    copies = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        copies += store._query(f"SELECT duplicate_of, id, source, url FROM duplicates WHERE duplicate_of IN "
                               f"({','.join('?' * len(chunk))}) ORDER BY duplicate_of, id", tuple(chunk))
    row["copies"] = [{"of": c[0], "id": c[1], "source": c[2], "url": c[3]} for c in copies]
    return row


def _side(row: dict[str, Any], p: str, data: dict[str, Any], meta: dict[str, tuple[Any, ...]]) -> dict[str, Any]:
    art = meta.get(row[f"{p}_article"], (None, None, None))
    return {"article": row[f"{p}_article"], "kind": row[f"{p}_kind"], "ref": row[f"{p}_ref"],
            "start": row[f"{p}_start"], "end": row[f"{p}_end"], "text": data[p]["text"],
            "speaker": row[f"{p}_speaker"], "canonical": row[f"{p}_canonical"],
            "title": art[0], "published": art[1], "source": art[2]}


def _dispute_where(entity: str | None, article: str | None, across: bool,
                   story_event: str | None = None) -> tuple[list[str], list[Any]]:
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    if entity:
        where.append("(a_canonical = ? OR b_canonical = ? OR a_article IN (SELECT article_id FROM entity_links "
                     "WHERE canonical_id = ?) OR b_article IN (SELECT article_id FROM entity_links "
                     "WHERE canonical_id = ?))")
        params += [entity] * 4
    if article:
        where.append("(a_article = ? OR b_article = ?)")
        params += [article, article]
    if across:
        where.append("a_article <> b_article")
    if story_event:  # a side is a report of this story event
        where.append("d.id IN (SELECT x.id FROM event_links l JOIN disputes x ON x.a_article = l.article_id AND "
                     "x.a_ref = l.event_id AND x.a_kind = 'event' WHERE l.story_event = ? UNION SELECT x.id FROM "
                     "event_links l JOIN disputes x ON x.b_article = l.article_id AND x.b_ref = l.event_id AND "
                     "x.b_kind = 'event' WHERE l.story_event = ?)")
        params += [story_event, story_event]
    return where, params


def disputes(store: Store, entity: str | None = None, article: str | None = None, across: bool = False,
             limit: int = 50, offset: int = 0, story_event: str | None = None) -> list[dict[str, Any]]:
    """Disputes, the latest first: each a claim (``a``) and its denial (``b``) with their spans,
    speakers, articles and dates. ``entity``: a canonical entity id that speaks on either side or
    appears in either article; ``article``: an article on either side; ``across``: only those
    across two articles; ``story_event``: those with a report of that story event on a side."""
    where, params = _dispute_where(entity, article, across, story_event)
    # read from the articles, latest first (their date's index), so that the first page stops early
    rows = _dicts(store._query(
        f"SELECT d.{', d.'.join(_DISPUTE_COLS)} FROM articles a JOIN disputes d ON d.b_article = a.id "
        f"WHERE {' AND '.join(where)} ORDER BY a.published DESC, d.score DESC, d.id LIMIT ? OFFSET ?",
        (*params, limit, offset)), _DISPUTE_COLS)
    return _dispute_dicts(store, rows)


def _dispute_dicts(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = sorted({r["a_article"] for r in rows} | {r["b_article"] for r in rows})
    meta: dict[str, tuple[Any, ...]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for m in store._query(f"SELECT id, title, published, source FROM articles WHERE id IN "
                              f"({','.join('?' * len(chunk))})", tuple(chunk)):
            meta[m[0]] = (m[1], m[2], m[3])
    out = []
    for r in rows:
        data = json.loads(r["data"])
        out.append({"id": r["id"], "story": r["story"], "score": r["score"], "why": data.get("why"),
                    "shared": data.get("shared", []), "a": _side(r, "a", data, meta), "b": _side(r, "b", data, meta)})
    return out


def count_disputes(store: Store, entity: str | None = None, article: str | None = None, across: bool = False,
                   story_event: str | None = None) -> int:
    """How many disputes ``disputes`` would list with these filters."""
    where, params = _dispute_where(entity, article, across, story_event)
    return int(store._query(f"SELECT count(*) FROM disputes d WHERE {' AND '.join(where)}", tuple(params))[0][0])


def dispute(store: Store, dispute_id: str) -> dict[str, Any] | None:
    """One dispute by its id, as ``disputes`` gives it."""
    rows = _dicts(store._query(f"SELECT {', '.join(_DISPUTE_COLS)} FROM disputes WHERE id = ?", (dispute_id,)),
                  _DISPUTE_COLS)
    return _dispute_dicts(store, rows)[0] if rows else None


def article_links(store: Store, article_id: str) -> dict[str, dict[str, dict[str, Any]]]:
    """What the link step made of one article's facts: for each event, its story event (``id``,
    ``status``, ``reports``, ``articles``, ``sources``); for each entity and place, its
    canonical entity (``id``, ``name``, ``articles``)."""
    events = {r[0]: {"id": r[1], "status": r[2], "reports": r[3], "articles": r[4], "sources": r[5]}
              for r in store._query(
                  "SELECT l.event_id, s.id, s.status, s.reports, s.articles, s.sources FROM event_links l "
                  "JOIN story_events s ON s.id = l.story_event WHERE l.article_id = ?", (article_id,))}
    entities: dict[str, dict[str, Any]] = {}
    places: dict[str, dict[str, Any]] = {}
    for r in store._query(
            "SELECT l.entity_id, l.kind, c.id, c.name, c.articles FROM entity_links l "
            "JOIN canonical_entities c ON c.id = l.canonical_id WHERE l.article_id = ?", (article_id,)):
        (places if r[1] == "place" else entities)[r[0]] = {"id": r[2], "name": r[3], "articles": r[4]}
    return {"events": events, "entities": entities, "places": places}


def _timeline_event(e: dict[str, Any], entity: str) -> dict[str, Any]:
    role = "actor" if e["actor_canonical"] == entity else "recipient"
    return {"kind": "event", "date": e["date"], "precision": e["precision"], "first": e["first"],
            "role": role, "story_event": e["id"], "type": e["type"], "mode": e["mode"],
            "status": e["status"], "actor": e["actor"], "recipient": e["recipient"],
            "place": e["place"], "reports": e["reports"], "articles": e["articles"],
            "sources": e["sources"]}


def _timeline_statement(r: Any) -> dict[str, Any]:
    return {"kind": "statement", "date": r[5], "precision": "day" if r[5] else None, "first": r[5],
            "article": r[0], "statement": r[1], "stance": r[2], "cue": r[3], "content": r[4],
            "sources": 1, "articles": 1, "source": r[6], "title": r[7]}


_TIMELINE_STATEMENTS = (
    "SELECT s.article_id, s.id, s.stance, s.cue, s.content, a.published, a.source, a.title "
    "FROM statements s JOIN entity_links l ON l.article_id = s.article_id AND l.entity_id = s.speaker_entity "
    "JOIN articles a ON a.id = s.article_id WHERE l.canonical_id = ? ")


def timeline(store: Store, entity: str, limit: int = 200) -> list[dict[str, Any]]:
    """The dated story events an entity acts in or is acted on, and its statements, oldest
    first, each with its sources (articles and outlets). ``entity`` is a canonical entity id."""
    items: list[dict[str, Any]] = [_timeline_event(e, entity) for e in story_events(store, entity=entity, limit=limit)]
    rows = store._query(_TIMELINE_STATEMENTS + "ORDER BY a.published DESC, s.article_id, s.start LIMIT ?",
                        (entity, limit))
    items += [_timeline_statement(r) for r in rows]
    items.sort(key=lambda i: (i["date"] or i["first"] or "", i["kind"]))
    return items


def count_timeline(store: Store, entity: str) -> tuple[int, int]:
    """How many story events and statements an entity's timeline holds."""
    n_statements = int(store._query(
        "SELECT count(*) FROM statements s JOIN entity_links l ON l.article_id = s.article_id "
        "AND l.entity_id = s.speaker_entity WHERE l.canonical_id = ?", (entity,))[0][0])
    return count_story_events(store, entity=entity), n_statements


def timeline_page(store: Store, entity: str, limit: int = 50, offset: int = 0,
                  counts: tuple[int, int] | None = None) -> tuple[list[dict[str, Any]], int]:
    """One page of an entity's whole timeline (the items of ``timeline``, oldest first, in a
    total order: date, then story events before statements, then id), and how many items it has
    (``counts``: what ``count_timeline`` gives, when known)."""
    n_events, n_statements = counts or count_timeline(store, entity)
    where, params = _story_where(None, None, None, None, None, entity, None, 1)
    # the first offset + limit of each kind, in the page's order, merged: the page is their slice
    want = offset + limit
    events = _dicts(store._query(
        f"SELECT {', '.join(_STORY_COLS)} FROM story_events WHERE {' AND '.join(where)} "
        "ORDER BY coalesce(date, first, ''), id LIMIT ?", (*params, want)), _STORY_COLS)
    rows = store._query(_TIMELINE_STATEMENTS + "ORDER BY coalesce(a.published, ''), s.article_id, s.id LIMIT ?",
                        (entity, want))
    items = [_timeline_event(e, entity) for e in events] + [_timeline_statement(r) for r in rows]
    items.sort(key=lambda i: (i["date"] or i["first"] or "", i["kind"], i.get("story_event") or "",
                              i.get("article") or "", i.get("statement") or ""))
    return items[offset:offset + limit], n_events + n_statements
