"""Stories: articles that report the same news, found by what they are about.

An article joins the story whose articles it is most like on average (average link over its
candidates, the articles sharing one of its heaviest terms), when that average reaches
``STORY_SIMILARITY`` and, for dated articles, they appeared within ``STORY_DAYS`` of each
other; otherwise it starts a story of its own. Average link keeps two stories of the same kind
(two earthquakes, two jewel heists) apart better than nearest-neighbour linking, which chains
them through their common words. A story is named after its first article, so its id never
changes as articles join it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from chronicle.link.terms import Vector, cosine

__all__ = ["STORY_DAYS", "STORY_SIMILARITY", "Stories"]

STORY_SIMILARITY = 0.15
STORY_DAYS = 7
NEIGHBOURS = 0.1  # similarities kept from assigning an article, for whoever asks again (disputes)
CANDIDATE_TERMS = 20  # an article's heaviest terms looked up to find the articles like it
MAX_POSTINGS = 5000  # a term in more articles than this finds nothing in particular


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


@dataclass
class Stories:
    """The linked articles' vectors and stories, in memory, with an index of their terms."""

    vectors: dict[str, Vector] = field(default_factory=dict)
    story_of: dict[str, str] = field(default_factory=dict)
    day_of: dict[str, int | None] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    postings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # the articles like one it was compared with when it was assigned (cosine >= NEIGHBOURS), this run
    neighbours: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def add(self, article_id: str, story: str, vec: Vector, published: str | None) -> None:
        self.vectors[article_id] = vec
        self.story_of[article_id] = story
        self.day_of[article_id] = _day(published)
        self.members[story].append(article_id)
        for term in vec:
            self.postings[term].append(article_id)

    def similar(self, article_id: str, threshold: float) -> list[tuple[str, float]]:
        """Linked articles whose cosine with this one reaches ``threshold``, most alike first
        (dated articles: within ``STORY_DAYS``)."""
        known = self.neighbours.get(article_id)
        if known is not None and threshold >= NEIGHBOURS:
            return [(a, sim) for a, sim in known if sim >= threshold]
        vec = self.vectors.get(article_id)
        if vec is None:
            return []
        day = self.day_of.get(article_id)
        out = []
        for other in self._candidates(vec):
            if other == article_id:
                continue
            oday = self.day_of.get(other)
            if day is not None and oday is not None and abs(day - oday) > STORY_DAYS:
                continue
            sim = cosine(vec, self.vectors[other])
            if sim >= threshold:
                out.append((other, sim))
        out.sort(key=lambda kv: (-kv[1], kv[0]))
        return out

    def _candidates(self, vec: Vector) -> set[str]:
        candidates: set[str] = set()
        for term, _ in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:CANDIDATE_TERMS]:
            posting = self.postings.get(term)
            if posting and len(posting) <= MAX_POSTINGS:
                candidates.update(posting)
        return candidates

    def assign(self, article_id: str, vec: Vector, published: str | None) -> tuple[str, float]:
        """The story an article belongs to (an existing one, or its own) and the similarity."""
        day = _day(published)
        candidates = self._candidates(vec)
        sims: dict[str, list[float]] = defaultdict(list)
        near: list[tuple[str, float]] = []
        for other in candidates:
            if other == article_id:
                continue
            oday = self.day_of.get(other)
            if day is not None and oday is not None and abs(day - oday) > STORY_DAYS:
                continue
            sim = cosine(vec, self.vectors[other])
            sims[self.story_of[other]].append(sim)
            if sim >= NEIGHBOURS:
                near.append((other, sim))
        near.sort(key=lambda kv: (-kv[1], kv[0]))
        self.neighbours[article_id] = near
        best, score = None, 0.0
        for story, values in sorted(sims.items()):
            members = self.members[story]
            if day is not None:  # dated: the story's articles of these days only
                n = 0
                for m in members:
                    mday = self.day_of.get(m)
                    n += mday is None or abs(mday - day) <= STORY_DAYS
            else:
                n = len(members)
            avg = sum(values) / max(n, len(values))
            if avg > score:
                best, score = story, avg
        if best is not None and score >= STORY_SIMILARITY:
            self.add(article_id, best, vec, published)
            return best, score
        story = "s-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]
        self.add(article_id, story, vec, published)
        return story, 0.0
