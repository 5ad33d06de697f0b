"""Disputes: a claim and its denial or refutation, in one article or across articles.

**Claims** are what an article puts forward as true: its statements with stance assert or
accuse, its events reported as happened or claimed, and (for articles that report a story
without disputing it) its sentences. **Denials** are statements with stance deny or reject,
and sentences that call something false ("the story is a hoax", "no
evidence that...", ``lexicon/data/refutations.tsv``), unless negated ("not a hoax").

A claim and a denial are linked when they speak of the same thing: in one article, a denial
that follows a claim and shares its words or answers its parties (the accused denies: the
denial's speaker is the claim's target or its event's actor; or the denial rejects the
claimant's words); across articles of one story (``stories.py``), every article that reports
the story without disputing it is paired with every article that disputes it, the claim being
the report's span most like the denial. Each dispute keeps both spans, their speakers (with
their canonical entities) and their articles' dates.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from chronicle.lexicon import read_tsv
from chronicle.link.terms import positioned_words
from chronicle.record import Record

if TYPE_CHECKING:
    from chronicle.link.entities import Canonicals
    from chronicle.link.stories import Stories
    from chronicle.store.base import Store

__all__ = ["Disputes", "Span", "claims_and_denials", "refutation_terms"]

CLAIM_STANCES = frozenset({"assert", "accuse"})
MIN_SHARED = 2  # content words a claim and its denial must share (besides a structural match)
MIN_SIMILARITY = 0.15  # and how alike their words must be (idf-weighted cosine)
# words that refer to a claim without saying it ("denied it", "dismissed the accusations")
REFERRING = frozenset({"claim", "accusation", "allegation", "charge", "report", "story", "rumor", "rumour",
                       "suggestion", "assertion", "idea", "notion", "this", "that", "version"})
MIN_SENTENCE_WORDS = 4  # content words a sentence needs to be a claim
CENTRAL = 0.3  # a denial disputes what another article reports when it is this central to its own
SAME_DENIAL = 3  # content words two articles' denials share when they report the same denial
RELATED_SIMILARITY = 0.1  # articles of another story this much alike may still dispute
MAX_STORY_ARTICLES = 200  # the story's most recent articles compared with a new one
KEEP_SIDES = 4000  # articles' claims and denials kept in memory between batches
_NEGATION = re.compile(r"\b(?:not|no|never|n't|nor|without)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|\n|$)")


def _pattern(terms: list[str]) -> re.Pattern[str]:
    parts = []
    for term in terms:
        body = re.escape(term.rstrip("*")).replace(r"\ ", r"\s+").replace("'", "['’]")
        # "was made up of": a phrase ending in "up" followed by "of" says what something consists of
        tail = r"(?!\s+of\b)" if term.endswith(" up") else ""
        parts.append(body + (r"\w*" if term.endswith("*") else r"\b") + tail)
    parts.sort(key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)


@cache
def refutation_terms() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The refutation lexicon as two patterns: words that call something false (or rebut it),
    and nouns that name a claim (what a rejection must be about to dispute something)."""
    refute: list[str] = []
    claim: list[str] = []
    for row in read_tsv("refutations.tsv"):
        term = row["term"].strip().lower()
        (claim if row.get("kind") == "claim" else refute).append(term)
    return _pattern(refute), _pattern(claim)


@dataclass(slots=True)
class Span:
    """One side of a dispute: what the article says, where, and who says it."""

    article: str
    kind: str  # statement, event, sentence
    ref: str | None  # the statement's or event's id
    start: int
    end: int
    text: str
    words: frozenset[str]
    speaker: str | None = None
    speaker_canonical: str | None = None
    target_canonicals: frozenset[str] = frozenset()  # whom a claim accuses / a denial answers
    actor_canonicals: frozenset[str] = frozenset()
    story_event: str | None = None
    published: str | None = None
    agents: frozenset[str] = frozenset()  # countries of who did what is claimed or denied
    accuses: bool = False  # an accusation, or an event someone claims (its agents are the accused)
    denies: bool = False  # a denial by its speaker (its agents are the denier)
    borrowed: bool = False  # a denial whose words are those of the sentence before ("Moscow denies it")


def _agents(*parties: Any) -> frozenset[str]:
    return frozenset(p.country for p in parties if p is not None and p.country)


@dataclass(slots=True)
class Sides:
    """An article's claims and denials."""

    article: str
    story: str
    published: str | None
    vector: dict[str, float] = field(default_factory=dict)  # what the article is about (its terms)
    claims: list[Span] = field(default_factory=list)
    denials: list[Span] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)


def sentences(text: str) -> Iterable[tuple[int, int]]:
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s >= 12:
            yield s, e


def _names_claim(text: str) -> bool:
    return refutation_terms()[1].search(text) is not None


def _refutes(sentence: str) -> bool:
    pattern, _ = refutation_terms()
    return any(not _NEGATION.search(sentence[max(0, m.start() - 40):m.start()]) for m in pattern.finditer(sentence))


def claims_and_denials(rec: Record, story: str, canon: dict[str, str],
                       event_of: dict[str, str] | None = None, vector: dict[str, float] | None = None) -> Sides:
    """An article's claims and denials, each with its words and parties."""
    a = rec.article
    text = a.text
    sides = Sides(a.id, story, a.published, vector or {})
    event_of = event_of or {}
    tokens = positioned_words(text)
    starts = [t[0] for t in tokens]

    def span_words(start: int, end: int) -> frozenset[str]:
        return frozenset(t[1] for t in tokens[bisect_left(starts, start):bisect_left(starts, end)])

    def cid(entity: str | None) -> str | None:
        return canon.get(entity) if entity else None

    stated: list[tuple[int, int]] = []
    spans = list(sentences(text))
    for s in rec.statements:
        if s.negated:
            continue
        spk = s.speaker
        start = min(x.start for x in (s.content, s.cue, spk) if x is not None)
        end = max(x.end for x in (s.content, s.cue, spk) if x is not None)
        target = cid(s.target.entity) if s.target else None
        # a denial; a rejection only of a claim ("rejected the accusations", not "rejected the plan")
        denial = (s.stance == "deny" or (s.stance == "reject" and _names_claim(s.content.text))
                  or _refutes(s.content.text))
        # who did what is at stake: the accused of an accusation, the denier of a denial
        agents = _agents(s.target) if s.stance == "accuse" else _agents(spk) if s.stance == "deny" else frozenset()
        words = span_words(s.content.start, s.content.end)
        borrowed = denial and len(words - REFERRING) < 2
        if borrowed:
            # "Moscow denies it", "Lavrov dismissed the accusations": what is denied is what came before
            before = [t for t in spans if t[1] <= start][-1:]
            words = words | frozenset(w for b, e in before for w in span_words(b, e))
        span = Span(a.id, "statement", s.id, start, end, text[start:end], words,
                    spk.text if spk else None, cid(spk.entity) if spk else None,
                    frozenset({target} if target else ()), published=a.published, agents=agents,
                    accuses=s.stance == "accuse", denies=s.stance == "deny", borrowed=borrowed)
        if denial:
            sides.denials.append(span)
            stated.append((start, end))
        elif s.stance in CLAIM_STANCES:
            sides.claims.append(span)
    said_by = {s.id: s.speaker for s in rec.statements}
    for v in rec.events:
        actors = frozenset(c for c in (cid(p.entity) for p in [v.actor, *v.actors] if p is not None) if c)
        spk = said_by.get(v.statement) if v.statement else None
        targets = frozenset(c for c in (cid(p.entity) for p in [v.recipient, *v.recipients] if p is not None) if c)
        st, en = v.sentence.start, v.sentence.end
        span = Span(a.id, "event", v.id, st, en, text[st:en], span_words(st, en), spk.text if spk else None,
                    cid(spk.entity) if spk else None, targets, actors, event_of.get(v.id), a.published,
                    _agents(v.actor, *v.actors), accuses=v.status == "claimed")
        # an event the text negates ("did not attack") is no denial of anyone's claim: denials are
        # attributed (a deny statement) or call something false
        if v.status in ("asserted", "claimed"):
            sides.claims.append(span)
    for st, en in spans:
        sent = text[st:en]
        span = Span(a.id, "sentence", None, st, en, sent, span_words(st, en), published=a.published)
        if len(span.words) >= MIN_SENTENCE_WORDS:  # "Bernie Sanders: 1,501." claims nothing
            sides.sentences.append(span)
        if _refutes(sent) and not any(s <= st < e or st <= s < en for s, e in stated):
            sides.denials.append(span)
    return sides


class Matcher:
    """How alike a claim and a denial are: the cosine of their content words, each weighted by its
    inverse document frequency over the linked articles (a shared rare word says more than a shared
    common one), with the structural links between their parties."""

    def __init__(self, df: dict[str, int] | None = None, docs: int = 0) -> None:
        self.df = df or {}
        self.docs = docs
        self._norms: dict[int, float] = {}

    def idf(self, word: str) -> float:
        return math.log((self.docs + 1) / (self.df.get(word, 0) + 1)) + 1.0

    def norm(self, span: Span) -> float:
        n = self._norms.get(id(span))
        if n is None:
            n = math.sqrt(sum(self.idf(w) ** 2 for w in span.words)) or 1.0
            self._norms[id(span)] = n
        return n

    def similarity(self, a: Span, b: Span) -> float:
        shared = a.words & b.words
        if not shared:
            return 0.0
        return sum(self.idf(w) ** 2 for w in shared) / (self.norm(a) * self.norm(b))

    def linked(self, claim: Span, denial: Span) -> float | None:
        """The score of a claim and a denial that speak of the same thing, else None."""
        if claim.agents and denial.agents and not claim.agents & denial.agents:
            return None  # one says X did it, the other that Y did not: two different acts
        if claim.speaker_canonical and claim.speaker_canonical == denial.speaker_canonical:
            return None  # nobody disputes their own words
        sim = self.similarity(claim, denial)
        shared = len(claim.words & denial.words)
        answers = _answers(claim, denial)
        if (answers and shared >= 1 and sim >= MIN_SIMILARITY / 2) or (shared >= MIN_SHARED and sim >= MIN_SIMILARITY):
            return sim + (0.3 if answers else 0.0)
        return None


def _answers(claim: Span, denial: Span) -> bool:
    """The denial answers the claim's parties: the accused denies, or the claimant is rejected."""
    accused = claim.target_canonicals if claim.kind == "statement" else (
        claim.actor_canonicals if claim.accuses else frozenset())  # an event someone claims: its actor is accused
    if denial.speaker_canonical and denial.speaker_canonical in accused:
        return True
    if claim.accuses and denial.denies and claim.agents & denial.agents:
        return True  # "accused Ukrainian forces of ..." / "Ukraine denied ..."
    return bool(claim.speaker_canonical and claim.speaker_canonical in denial.target_canonicals)


def _row(claim: Span, denial: Span, story: str, score: float, why: str) -> tuple[Any, ...]:
    key = f"{claim.article}:{claim.start}:{claim.end}|{denial.article}:{denial.start}:{denial.end}"
    did = "d-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    shared = sorted(claim.words & denial.words)
    data = {"a": {"text": claim.text, "speaker": claim.speaker, "published": claim.published},
            "b": {"text": denial.text, "speaker": denial.speaker, "published": denial.published},
            "shared": shared[:20], "why": why}
    return (did, claim.article, claim.kind, claim.ref, claim.start, claim.end, claim.speaker,
            claim.speaker_canonical, denial.article, denial.kind, denial.ref, denial.start, denial.end,
            denial.speaker, denial.speaker_canonical, story, round(score, 3),
            json.dumps(data, ensure_ascii=False, separators=(",", ":")))


class Disputes:
    """Finds the disputes a batch of newly linked articles takes part in."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.kept: OrderedDict[str, Sides] = OrderedDict()  # recently read articles' sides, across batches

    def _keep(self, sides: Sides) -> None:
        self.kept[sides.article] = sides
        self.kept.move_to_end(sides.article)
        while len(self.kept) > KEEP_SIDES:
            self.kept.popitem(last=False)

    def _partners(self, article: str, story: str, stories: Stories, can: Canonicals,
                  cache: dict[str, Sides]) -> list[Sides]:
        """The articles a new one may dispute with: its story's (the latest ``MAX_STORY_ARTICLES``)
        and those most like it (``RELATED_SIMILARITY``), whatever their story."""
        ids = list(stories.members.get(story, []))[-MAX_STORY_ARTICLES:]
        ids += [a for a, _ in stories.similar(article, RELATED_SIMILARITY)]
        seen: list[str] = []
        for i in ids:
            if i != article and i not in seen:
                seen.append(i)
        for i in seen:
            if i not in cache and i in self.kept:
                cache[i] = self.kept[i]
        missing = [i for i in seen if i not in cache]
        for sides in self._load_sides(missing, stories, can):
            cache[sides.article] = sides
            self._keep(sides)
        return [cache[i] for i in seen if i in cache]

    def _load_sides(self, members: list[str], stories: Stories, can: Canonicals) -> list[Sides]:
        if not members:
            return []
        marks = ",".join("?" * len(members))
        recs = {r[0]: Record.from_json(r[1]) for r in self.store._query(
            f"SELECT id, record FROM articles WHERE id IN ({marks})", tuple(members))}
        links: dict[str, dict[str, str]] = {}
        for r in self.store._query(
                f"SELECT article_id, entity_id, canonical_id FROM entity_links WHERE article_id IN ({marks})",
                tuple(members)):
            links.setdefault(r[0], {})[r[1]] = can.resolve_id(r[2])
        events: dict[str, dict[str, str]] = {}
        for r in self.store._query(
                f"SELECT article_id, event_id, story_event FROM event_links WHERE article_id IN ({marks})",
                tuple(members)):
            events.setdefault(r[0], {})[r[1]] = r[2]
        return [claims_and_denials(recs[m], stories.story_of.get(m, ""), links.get(m, {}), events.get(m, {}),
                                   stories.vectors.get(m))
                for m in members if m in recs]

    def find(self, linked: list[tuple[Record, str, dict[str, str], dict[str, str]]], stories: Stories,
             can: Canonicals, df: dict[str, int] | None = None, docs: int = 0) -> list[tuple[Any, ...]]:
        """Dispute rows for a batch: ``linked`` holds (record, story, entity links, event links);
        ``df``/``docs`` weigh words by how rare they are in the linked articles."""
        m = Matcher(df, docs)
        new_sides = [claims_and_denials(rec, story, {k: can.resolve_id(v) for k, v in links.items()}, events,
                                        stories.vectors.get(rec.article.id))
                     for rec, story, links, events in linked]
        rows: dict[str, tuple[Any, ...]] = {}
        for sides in new_sides:  # within one article
            for d in sides.denials:
                best, best_score = None, 0.0
                for c in sides.claims:
                    if c.end > d.start:  # the claim comes first, and is not the denial itself
                        continue
                    sc = m.linked(c, d)
                    if sc is not None and sc > best_score:
                        best, best_score = c, sc
                if best is not None:
                    row = _row(best, d, sides.story, best_score, "in one article")
                    rows[row[0]] = row
        # across articles: each new article against its story and the articles most like it
        cache: dict[str, Sides] = {x.article: x for x in new_sides}
        for x in new_sides:
            self._keep(x)
        for n in new_sides:
            partners = [p for p in self._partners(n.article, n.story, stories, can, cache) if p.article != n.article]
            for other in partners:
                for x, y in ((n, other), (other, n)):
                    found = _across(x, y, m)
                    if found is not None:
                        c, d, sc = found
                        row = _row(c, d, y.story, sc, "across articles")
                        rows[row[0]] = row
        return list(rows.values())


def _central(span: Span, vec: dict[str, float]) -> float:
    """How much a span is about what its article is about: the weight its words carry in the
    article's vector (its heaviest terms, L2-normalised)."""
    return sum(vec.get(w, 0.0) for w in span.words)


def _across(x: Sides, y: Sides, m: Matcher) -> tuple[Span, Span, float] | None:
    """The best claim of ``x`` that a denial of ``y`` disputes, unless ``x`` reports that same
    denial itself (then the two articles are on one side)."""
    best: tuple[Span, Span, float] | None = None
    for d in y.denials:
        if any(len(d.words & own.words) >= SAME_DENIAL for own in x.denials):
            continue
        central = _central(d, y.vector) >= CENTRAL
        for c in x.claims + x.sentences:
            if c.kind == "sentence" and any(o.start <= c.start < o.end for o in x.denials):
                continue
            sc = m.linked(c, d)
            if sc is None or not (central or _answers(c, d)):
                continue
            if d.borrowed and not _answers(c, d):
                continue  # "Moscow denies it" answers its own article's claim, or the accuser elsewhere
            sc += 0.1 if c.kind != "sentence" else 0.0
            if best is None or sc > best[2]:
                best = (c, d, sc)
    return best


def _story_words(members: list[Sides]) -> frozenset[str]:
    """Words found in at least two articles of the story: what the story is about."""
    seen: dict[str, int] = {}
    for s in members:
        words: set[str] = set()
        for sp in s.sentences:
            words |= sp.words
        for w in words:
            seen[w] = seen.get(w, 0) + 1
    return frozenset(w for w, n in seen.items() if n >= 2)
