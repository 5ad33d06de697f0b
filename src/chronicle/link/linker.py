"""The link step: read the stored records the step has not seen yet, and link them to the rest.

For each new article, in publication order: its terms (``terms.py``), its story (``stories.py``),
its entities and places resolved to canonical entities (``entities.py``), its events placed in
story events (``events.py``); then, for the batch, the claims and denials it holds linked to
those of its story (``disputes.py``). Each batch is written in one transaction, so an
interrupted run loses at most the batch it was in, and the next run goes on from there.

Incremental by construction: the state (every linked article's terms and story, the canonical
entities and their keys, the story events) is read once, new articles are added to it, and only
what they touch is written back. Nothing already linked is computed again. ``rebuild`` clears
the link tables first and links everything anew.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from chronicle.link.disputes import Disputes
from chronicle.link.entities import Canonicals
from chronicle.link.events import StoryEvents, report_of
from chronicle.link.keys import entity_keys, year_of
from chronicle.link.stories import Stories
from chronicle.link.terms import term_counts, vector
from chronicle.record import Record
from chronicle.store.base import Store, now

__all__ = ["LINK_TABLES", "LinkSummary", "link"]

LOGGER = logging.getLogger(__name__)
LINK_TABLES = ("link_articles", "link_terms", "canonical_entities", "canonical_keys", "entity_links",
               "story_events", "event_links", "disputes")
BATCH = 2000
_CHUNK = 500  # ids per IN (...) list


@dataclass
class LinkSummary:
    """What one run of the link step did."""

    articles: int = 0  # linked by this run
    linked: int = 0  # linked in all, after the run
    stories: int = 0  # new stories
    joined: int = 0  # articles that joined an existing story
    entities: int = 0  # canonical entities after the run
    new_entities: int = 0
    merged_entities: int = 0
    reports: int = 0  # event reports linked by this run
    story_events: int = 0  # story events after the run
    new_story_events: int = 0
    disputes: int = 0  # new disputes
    seconds: float = 0.0
    batches: list[float] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.articles} article(s) linked ({self.joined} joined a story, {self.stories} new stor"
                f"{'y' if self.stories == 1 else 'ies'}); {self.entities} canonical entities "
                f"({self.new_entities} new, {self.merged_entities} merged); {self.reports} event report(s) -> "
                f"{self.story_events} story events ({self.new_story_events} new); {self.disputes} new dispute(s); "
                f"{self.linked} article(s) linked in all; {self.seconds:.1f} s")


def _chunks(ids: list[str], n: int = _CHUNK) -> Iterable[list[str]]:
    for i in range(0, len(ids), n):
        yield ids[i:i + n]


def _marks(ids: list[Any]) -> str:
    return ",".join("?" * len(ids))


class Linker:
    """The link state in memory, loaded from the store, and the work of one run."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.stories = Stories()
        self.df: Counter[str] = Counter()
        self.canonicals = Canonicals()
        self.events = StoryEvents()
        self.disputes = Disputes(store)
        self.docs = 0

    def load(self) -> None:
        q = self.store._query
        for r in q("SELECT l.article_id, l.story, l.terms, a.published FROM link_articles l "
                   "JOIN articles a ON a.id = l.article_id ORDER BY l.linked_at, l.article_id"):
            self.stories.add(r[0], r[1], json.loads(r[2]), r[3])
        self.docs = len(self.stories.vectors)
        self.df = Counter({r[0]: int(r[1]) for r in q("SELECT term, n FROM link_terms")})
        self.canonicals.load(q("SELECT id, name, type, country, role, articles, mentions, first, last, data "
                               "FROM canonical_entities"), [(r[0], r[1]) for r in q(
                                   "SELECT key, canonical_id FROM canonical_keys")])
        self.events.load(q("SELECT * FROM story_events"))

    def _name(self, canonical: str) -> str | None:
        c = self.canonicals.by_id.get(self.canonicals.resolve_id(canonical))
        return c.name if c is not None else None

    def pending(self) -> list[str]:
        rows = self.store._query(
            "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM link_articles l WHERE l.article_id = a.id) "
            "ORDER BY a.published, a.id")
        return [r[0] for r in rows]

    def records(self, ids: list[str]) -> list[Record]:
        by_id: dict[str, Record] = {}
        for chunk in _chunks(ids):
            for r in self.store._query(f"SELECT id, record FROM articles WHERE id IN ({_marks(chunk)})", tuple(chunk)):
                by_id[r[0]] = Record.from_json(r[1])
        return [by_id[i] for i in ids if i in by_id]

    def run_batch(self, ids: list[str], summary: LinkSummary) -> None:
        t0 = time.monotonic()
        records = self.records(ids)
        can, evs = self.canonicals, self.events
        can.touched, can.new_keys = set(), []
        evs.touched = set()
        merged_before = dict(can.merged)
        known_entities = len(can.by_id)
        known_events = len(evs.by_id)
        # terms: the batch counts in the document frequencies before any of its vectors is made
        prepared = []
        touched_terms: set[str] = set()
        for rec in records:
            year = year_of(rec.article.published)
            keys_of = {e.id: entity_keys(e, year) for e in rec.entities}
            counts = term_counts(rec, {i: k.strong for i, k in keys_of.items()})
            self.df.update(counts.keys())
            touched_terms.update(counts.keys())
            prepared.append((rec, year, keys_of, counts))
        self.docs += len(records)
        rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in ("link_articles", "entity_links", "event_links")}
        stamp = now()
        linked = []
        for rec, year, keys_of, counts in prepared:
            a = rec.article
            vec = vector(counts, self.df, self.docs)
            story, sim = self.stories.assign(a.id, vec, a.published)
            if sim > 0:
                summary.joined += 1
            else:
                summary.stories += 1
            n_merged = len(can.merged)
            res = can.resolve(rec.entities, rec.places, story, a.published, year, keys_of)
            if len(can.merged) > n_merged:
                evs.follow_merges({k: v for k, v in can.merged.items() if k not in merged_before}, can.resolve_id)
            for eid, cid in res.links.items():
                rows["entity_links"].append((a.id, eid, res.kinds[eid], cid))
            places = {p.id: p for p in rec.places}
            event_of: dict[str, str] = {}
            for v in rec.events:
                report = report_of(a.id, v, story, res.links, places, a.published, a.source)
                se = evs.place(report)
                event_of[v.id] = se.id
                rows["event_links"].append((a.id, v.id, se.id, v.trigger.start, v.trigger.end, v.status))
                summary.reports += 1
            rows["link_articles"].append((a.id, story, round(sim, 4), json.dumps(vec, separators=(",", ":")), stamp))
            linked.append((rec, story, res.links, event_of))
        dispute_rows = self.disputes.find(linked, self.stories, can, self.df, self.docs)
        summary.disputes += len(dispute_rows)
        # merges of this batch: every link table follows the surviving id
        merged_now = {k: can.resolve_id(k) for k in can.merged if k not in merged_before}
        statements: list[tuple[str, tuple[Any, ...]]] = []
        for old, new in merged_now.items():
            statements.append(("UPDATE entity_links SET canonical_id = ? WHERE canonical_id = ?", (new, old)))
            statements.append(("UPDATE disputes SET a_canonical = ? WHERE a_canonical = ?", (new, old)))
            statements.append(("UPDATE disputes SET b_canonical = ? WHERE b_canonical = ?", (new, old)))
            statements.append(("UPDATE story_events SET actor_canonical = ? WHERE actor_canonical = ?", (new, old)))
            statements.append(("UPDATE story_events SET recipient_canonical = ? WHERE recipient_canonical = ?",
                               (new, old)))
        rows["entity_links"] = [(r[0], r[1], r[2], can.resolve_id(r[3])) for r in rows["entity_links"]]
        gone = sorted(merged_now)
        touched = sorted(c for c in can.touched if c in can.by_id)
        for chunk in _chunks(gone + touched):
            statements.append((f"DELETE FROM canonical_entities WHERE id IN ({_marks(chunk)})", tuple(chunk)))
            statements.append((f"DELETE FROM canonical_keys WHERE canonical_id IN ({_marks(chunk)})", tuple(chunk)))
        events_touched = sorted(evs.touched)
        for chunk in _chunks(events_touched):
            statements.append((f"DELETE FROM story_events WHERE id IN ({_marks(chunk)})", tuple(chunk)))
        terms = sorted(touched_terms)
        for chunk in _chunks(terms):
            statements.append((f"DELETE FROM link_terms WHERE term IN ({_marks(chunk)})", tuple(chunk)))
        inserts: dict[str, list[tuple[Any, ...]]] = {
            "link_articles": rows["link_articles"],
            "link_terms": [(t, self.df[t]) for t in terms],
            "canonical_entities": [can.by_id[c].to_row() for c in touched],
            "canonical_keys": [(k, c) for c in touched for k in sorted(can.by_id[c].keys)],
            "entity_links": rows["entity_links"],
            "story_events": [evs.by_id[e].to_row(self._name) for e in events_touched],
            "event_links": rows["event_links"],
            "disputes": dispute_rows,
        }
        self.store.write_rows(statements, inserts)
        summary.articles += len(records)
        summary.new_entities += max(0, len(can.by_id) + len(merged_now) - known_entities)
        summary.merged_entities += len(merged_now)
        summary.new_story_events += len(evs.by_id) - known_events
        summary.batches.append(time.monotonic() - t0)


def link(store: Store, *, rebuild: bool = False, batch_size: int = BATCH,
         progress: Callable[[LinkSummary], None] | None = None) -> LinkSummary:
    """Link the stored articles the link step has not read yet (all of them with ``rebuild``):
    canonical entities, stories, story events and disputes. Returns what was done."""
    t0 = time.monotonic()
    summary = LinkSummary()
    if rebuild:
        store.write_rows([(f"DELETE FROM {t}", ()) for t in LINK_TABLES], {})
    linker = Linker(store)
    linker.load()
    ids = linker.pending()
    for chunk in _chunks(ids, max(1, batch_size)):
        linker.run_batch(chunk, summary)
        if progress is not None:
            progress(summary)
    summary.linked = linker.docs
    summary.entities = len(linker.canonicals.by_id)
    summary.story_events = len(linker.events.by_id)
    summary.seconds = time.monotonic() - t0
    LOGGER.info("link: %s", summary.line())
    return summary
