"""Story events: one event, however many articles report it.

An event report (one article's event) joins a story event when nothing about them conflicts
and enough agrees (the recipe of ../shared/PRIOR-ART-events.md, 6.4):

- **the same PLOVER type**, and statuses of one family: what is said to have happened
  (asserted, claimed, denied: a claim and its denial are reports of one alleged event) never
  mixes with what is requested, planned or hypothetical;
- **no conflict**: known actors (their canonical entities, else their countries) must be the
  same, and so must known recipients; known dates must overlap (a day against a month: the day
  lies in it; a day against a day: at most one apart, as reports written on different days say
  "overnight" or "on Tuesday"); known places must be the same place, one inside the other, or
  within ``PLACE_KM`` of each other;
- **enough in common**: within one story (articles on the same news, ``stories.py``) the same
  trigger word, the same actor or recipient, or two weaker agreements (the parties' countries,
  the date, the place); across stories a known date on both sides and a shared actor or
  recipient, plus the same place or trigger word.

A report joins the best-scoring candidate (shared trigger word, actor, recipient, date and place
add to the score). A story event keeps its reports (article, event, span, status), what they
say (types, modes, actors, recipients, dates, places as counts: the commonest is shown) and
how many articles and independent outlets report it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from chronicle.link.terms import stem
from chronicle.record import Event, Place

__all__ = ["FAMILY", "PLACE_KM", "Report", "StoryEvent", "StoryEvents", "trigger_lemma"]

FAMILY = {"asserted": "fact", "claimed": "fact", "denied": "fact"}
PLACE_KM = 60.0
MIN_EVIDENCE = 2
DAY_SLACK = 1
_ROW_LEMMA = re.compile(r"plover_triggers\.tsv:\d+ '([^']+)'")


def trigger_lemma(event: Event) -> str:
    """The trigger's lemma as the events stage matched it (its `why`), else the stemmed text."""
    m = _ROW_LEMMA.search(event.why or "")
    if m:
        return m.group(1).lower()
    words = event.trigger.text.lower().split()
    return stem(words[-1]) if words else ""


def _interval(value: str | None) -> tuple[int, int] | None:
    """The days (ordinals) a date value covers: a day, a month or a year."""
    if not value:
        return None
    try:
        if len(value) >= 10:
            d = dt.date.fromisoformat(value[:10]).toordinal()
            return d, d
        if len(value) == 7:
            y, mth = int(value[:4]), int(value[5:7])
            first = dt.date(y, mth, 1)
            nxt = dt.date(y + (mth == 12), mth % 12 + 1, 1)
            return first.toordinal(), nxt.toordinal() - 1
        if len(value) == 4:
            y = int(value)
            return dt.date(y, 1, 1).toordinal(), dt.date(y, 12, 31).toordinal()
    except ValueError:
        return None
    return None


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(min(1.0, h)))


@dataclass(slots=True)
class Party:
    canonical: str | None
    country: str | None
    text: str | None


@dataclass(slots=True)
class Where:
    key: str | None  # geo:... of the place
    country: str | None  # ISO alpha-2
    admin1: str | None
    point: tuple[float, float] | None
    kind: str | None
    name: str | None


@dataclass(slots=True)
class Report:
    """One article's event, as the clustering sees it."""

    article: str
    event: str
    type: str
    mode: str | None
    status: str
    story: str
    lemma: str
    actor: Party | None
    recipient: Party | None
    date: str | None
    precision: str | None
    where: Where | None
    published: str | None
    source: str | None
    start: int
    end: int
    text: str


def _party(p: Any, canon: dict[str, str]) -> Party | None:
    if p is None:
        return None
    return Party(canon.get(p.entity) if p.entity else None, p.country, p.text)


def report_of(article: str, event: Event, story: str, canon: dict[str, str], places: dict[str, Place],
              published: str | None, source: str | None) -> Report:
    where = None
    if event.place and event.place in places:
        p = places[event.place]
        where = Where(canon.get(p.id), p.country, p.admin1,
                      (p.lat, p.lon) if p.lat is not None and p.lon is not None else None, p.kind, p.name or p.text)
    return Report(article=article, event=event.id, type=event.type, mode=event.mode, status=event.status,
                  story=story, lemma=trigger_lemma(event), actor=_party(event.actor, canon),
                  recipient=_party(event.recipient, canon),
                  date=event.date.value if event.date else None, precision=event.date.precision if event.date else None,
                  where=where, published=published, source=source, start=event.trigger.start,
                  end=event.trigger.end, text=event.trigger.text)


def _party_conflict(a: Counter[str], ac: Counter[str], p: Party | None) -> bool | None:
    """True when a known party conflicts with the story event's; None when nothing to compare;
    False when they agree."""
    if p is None:
        return None
    if p.canonical and a:
        if p.canonical in a:
            return False
        if p.country and ac and p.country in ac:
            return None  # another entity of the same country ("Russian forces" / "Russia")
        return True
    if p.country and ac:
        return p.country not in ac
    return None


@dataclass
class StoryEvent:
    id: str
    seq: int
    type: str
    family: str
    stories: set[str] = field(default_factory=set)
    lemmas: Counter[str] = field(default_factory=Counter)
    modes: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    actors: Counter[str] = field(default_factory=Counter)  # canonical ids
    actor_countries: Counter[str] = field(default_factory=Counter)
    actor_names: Counter[str] = field(default_factory=Counter)
    recipients: Counter[str] = field(default_factory=Counter)
    recipient_countries: Counter[str] = field(default_factory=Counter)
    recipient_names: Counter[str] = field(default_factory=Counter)
    dates: Counter[str] = field(default_factory=Counter)
    places: dict[str, dict[str, Any]] = field(default_factory=dict)  # place key -> what it is, with n
    articles: dict[str, str | None] = field(default_factory=dict)  # article id -> its outlet
    reports: int = 0
    first: str | None = None
    last: str | None = None

    # --- what it says --------------------------------------------------------------------------
    def best_date(self) -> tuple[str | None, str | None]:
        if not self.dates:
            return None, None
        # the most reported, then the most precise
        value = sorted(self.dates.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        return value, {10: "day", 7: "month", 4: "year"}.get(len(value))

    def best_place(self) -> dict[str, Any] | None:
        if not self.places:
            return None
        return sorted(self.places.values(), key=lambda p: (-p["n"], p.get("name") or ""))[0]

    @property
    def sources(self) -> int:
        """Independent outlets: distinct outlet names, an article without one counting alone."""
        named = {s for s in self.articles.values() if s}
        return len(named) + sum(1 for s in self.articles.values() if not s)

    # --- matching --------------------------------------------------------------------------------
    def conflicts(self, r: Report) -> bool:
        if FAMILY.get(r.status, r.status) != self.family or r.type != self.type:
            return True
        if _party_conflict(self.actors, self.actor_countries, r.actor):
            return True
        if _party_conflict(self.recipients, self.recipient_countries, r.recipient):
            return True
        span = _interval(r.date)
        if span is not None and self.dates:
            ok = False
            for value in self.dates:
                other = _interval(value)
                if other is None:
                    ok = True
                    break
                slack = DAY_SLACK if (span[0] == span[1] and other[0] == other[1]) else 0
                if span[0] <= other[1] + slack and other[0] <= span[1] + slack:
                    ok = True
                    break
            if not ok:
                return True
        if r.where is not None and self.places:
            return not any(_same_place(r.where, p) for p in self.places.values())
        return False

    def score(self, r: Report) -> int:
        return (2 if r.story in self.stories else 0) + self.evidence(r)

    def evidence(self, r: Report) -> int:
        """What the report and the story event have in common besides their type: the trigger
        word, the parties (the same entity, else the same country), the date, the place."""
        s = 0
        for party, ids, countries in ((r.actor, self.actors, self.actor_countries),
                                      (r.recipient, self.recipients, self.recipient_countries)):
            if party is None:
                continue
            if party.canonical and party.canonical in ids:
                s += 2
            elif party.country and party.country in countries:
                s += 1
        if r.lemma in self.lemmas:
            s += 2
        if r.date and r.date in self.dates:
            s += 1
        if r.where is not None and r.where.key and r.where.key in self.places:
            s += 1
        return s

    def joinable(self, r: Report) -> bool:
        """Enough in common (the conflicts are checked apart): in one story, the trigger word, a
        party, or two weaker agreements (countries, date, place); across stories, a known date, a
        shared party and the same place or trigger word."""
        if r.story in self.stories:
            return self.evidence(r) >= MIN_EVIDENCE
        if not (r.date and self.dates):
            return False
        shared = bool((r.actor and r.actor.canonical and r.actor.canonical in self.actors)
                      or (r.recipient and r.recipient.canonical and r.recipient.canonical in self.recipients))
        same_where = r.where is not None and bool(r.where.key) and r.where.key in self.places
        return shared and (same_where or r.lemma in self.lemmas)

    def add(self, r: Report) -> None:
        self.stories.add(r.story)
        self.lemmas[r.lemma] += 1
        if r.mode:
            self.modes[r.mode] += 1
        self.statuses[r.status] += 1
        for party, ids, countries, names in ((r.actor, self.actors, self.actor_countries, self.actor_names),
                                             (r.recipient, self.recipients, self.recipient_countries,
                                              self.recipient_names)):
            if party is None:
                continue
            if party.canonical:
                ids[party.canonical] += 1
            if party.country:
                countries[party.country] += 1
            if party.text:
                names[" ".join(party.text.split())] += 1
        if r.date:
            self.dates[r.date] += 1
        if r.where is not None:
            key = r.where.key or f"name:{r.where.name}"
            p = self.places.setdefault(key, {"key": r.where.key, "name": r.where.name, "country": r.where.country,
                                             "admin1": r.where.admin1, "kind": r.where.kind,
                                             "point": list(r.where.point) if r.where.point else None, "n": 0})
            p["n"] += 1
        self.articles.setdefault(r.article, r.source)
        self.reports += 1
        if r.published:
            self.first = min(self.first or r.published, r.published)
            self.last = max(self.last or r.published, r.published)

    # --- stored form ----------------------------------------------------------------------------
    def to_row(self, name_of: Any = None) -> tuple[Any, ...]:
        """The stored row; ``name_of(canonical id)`` names the actor and recipient when given."""
        date, precision = self.best_date()
        place = self.best_place() or {}
        point = place.get("point") or (None, None)
        statuses = dict(self.statuses)
        status = _top(self.statuses) if len(statuses) == 1 or "denied" not in statuses else "disputed"
        data = {
            "seq": self.seq, "family": self.family, "stories": sorted(self.stories), "lemmas": dict(self.lemmas),
            "modes": dict(self.modes), "statuses": statuses, "actors": dict(self.actors),
            "actor_countries": dict(self.actor_countries), "actor_names": _trim(self.actor_names),
            "recipients": dict(self.recipients), "recipient_countries": dict(self.recipient_countries),
            "recipient_names": _trim(self.recipient_names), "dates": dict(self.dates),
            "places": list(self.places.values()), "articles": self.articles,
        }
        actor, recipient = _top(self.actors), _top(self.recipients)
        actor_name = (name_of(actor) if name_of and actor else None) or _top(self.actor_names)
        recipient_name = (name_of(recipient) if name_of and recipient else None) or _top(self.recipient_names)
        return (self.id, self.type, _top(self.modes), status, date, precision,
                actor_name, _top(self.actor_countries), actor,
                recipient_name, _top(self.recipient_countries), recipient,
                place.get("name"), place.get("country"), point[0], point[1],
                self.reports, len(self.articles), self.sources, self.first, self.last,
                json.dumps(data, ensure_ascii=False, separators=(",", ":")))

    @classmethod
    def from_row(cls, row: Any) -> StoryEvent:
        data = json.loads(row[-1])
        e = cls(id=row[0], seq=int(data["seq"]), type=row[1], family=data["family"])
        e.stories = set(data["stories"])
        e.lemmas, e.modes, e.statuses = Counter(data["lemmas"]), Counter(data["modes"]), Counter(data["statuses"])
        e.actors, e.actor_countries = Counter(data["actors"]), Counter(data["actor_countries"])
        e.actor_names = Counter(data["actor_names"])
        e.recipients, e.recipient_countries = Counter(data["recipients"]), Counter(data["recipient_countries"])
        e.recipient_names = Counter(data["recipient_names"])
        e.dates = Counter(data["dates"])
        e.places = {p["key"] or f"name:{p['name']}": p for p in data["places"]}
        e.articles = dict(data["articles"])
        e.reports, e.first, e.last = int(row[16]), row[19], row[20]
        return e


def _top(c: Counter[str]) -> str | None:
    if not c:
        return None
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _trim(c: Counter[str], n: int = 10) -> dict[str, int]:
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def _same_place(w: Where, p: dict[str, Any]) -> bool:
    """Whether two places may be where one event happened: the same place, one inside the other,
    or two points within ``PLACE_KM``."""
    if w.key and p.get("key") == w.key:
        return True
    if w.country and p.get("country") and w.country != p["country"]:
        return False
    kinds = {w.kind, p.get("kind")}
    if "country" in kinds or kinds & {"region", "sea", "water", "continent"}:
        return True  # the same country, or an area that cannot be compared
    if "admin1" in kinds:
        if w.kind == "admin1" and p.get("kind") == "admin1":
            return bool(w.name and w.name == p.get("name"))
        division, other = (w.name, p.get("admin1")) if w.kind == "admin1" else (p.get("name"), w.admin1)
        return bool(division and division == other)
    if w.point and p.get("point"):
        return _km(w.point, tuple(p["point"])) <= PLACE_KM  # type: ignore[arg-type]
    return False


class StoryEvents:
    """Every story event, in memory while linking, indexed by type and story and by type and day."""

    def __init__(self) -> None:
        self.by_id: dict[str, StoryEvent] = {}
        self.by_story: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.by_day: dict[tuple[str, int], list[str]] = defaultdict(list)
        self.by_canonical: dict[str, set[str]] = defaultdict(set)
        self.touched: set[str] = set()
        self.seq = 0

    def load(self, rows: list[Any]) -> None:
        for r in rows:
            e = StoryEvent.from_row(r)
            self.by_id[e.id] = e
            self.seq = max(self.seq, e.seq + 1)
            self._index(e)

    def _index(self, e: StoryEvent, r: Report | None = None) -> None:
        for c in (e.actors, e.recipients) if r is None else ():
            for cid in c:
                self.by_canonical[cid].add(e.id)
        if r is not None:
            for party in (r.actor, r.recipient):
                if party is not None and party.canonical:
                    self.by_canonical[party.canonical].add(e.id)
        stories = [r.story] if r is not None else sorted(e.stories)
        for s in stories:
            ids = self.by_story[(e.type, s)]
            if e.id not in ids:
                ids.append(e.id)
        dates = [r.date] if r is not None and r.date else ([] if r is not None else list(e.dates))
        for value in dates:
            span = _interval(value)
            if span is not None and span[0] == span[1]:
                ids = self.by_day[(e.type, span[0])]
                if e.id not in ids:
                    ids.append(e.id)

    def candidates(self, r: Report) -> list[StoryEvent]:
        ids: list[str] = list(self.by_story.get((r.type, r.story), ()))
        span = _interval(r.date)
        if span is not None and span[0] == span[1]:
            for d in range(span[0] - DAY_SLACK, span[0] + DAY_SLACK + 1):
                ids.extend(self.by_day.get((r.type, d), ()))
        seen: set[str] = set()
        out = []
        for i in ids:
            if i not in seen:
                seen.add(i)
                out.append(self.by_id[i])
        return out

    def place(self, r: Report) -> StoryEvent:
        """The story event a report joins (found or new)."""
        best, best_score = None, -1
        for e in self.candidates(r):
            if e.conflicts(r) or not e.joinable(r):
                continue
            s = e.score(r)
            if s > best_score or (s == best_score and best is not None and e.seq < best.seq):
                best, best_score = e, s
        if best is None:
            digest = hashlib.sha1(f"{r.article}:{r.event}".encode()).hexdigest()[:12]
            best = StoryEvent(id="x-" + digest, seq=self.seq, type=r.type, family=FAMILY.get(r.status, r.status))
            self.seq += 1
            self.by_id[best.id] = best
        best.add(r)
        self._index(best, r)
        self.touched.add(best.id)
        return best

    def follow_merges(self, merged: dict[str, str], resolve: Any) -> None:
        """Canonical entities merged into others: the story events that name them follow."""
        if not merged:
            return
        for old in merged:
            for eid in self.by_canonical.pop(old, set()):
                e = self.by_id[eid]
                new = resolve(old)
                for c in (e.actors, e.recipients):
                    if old in c:
                        c[new] += c.pop(old)
                self.by_canonical[new].add(eid)
                self.touched.add(eid)
