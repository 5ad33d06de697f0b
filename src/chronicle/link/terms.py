"""What an article is about, as weighted terms: the basis for grouping articles into stories.

An article's terms are the names it mentions (the keys its entities resolve by, the places it
names by GeoNames id), the numbers it gives, and its content words (lowercased, crudely
stemmed, function words left out). Each term is weighted by log term frequency times inverse
document frequency over the linked articles (names count double: they tell two stories of the
same kind apart, "an earthquake in Indonesia" from "an earthquake in California"). Two articles
are compared by the cosine of their vectors.

Everything here is computed from the stored record alone: no parse, no model.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from importlib import resources

from chronicle.record import Record

__all__ = ["STOPWORDS", "TOP_TERMS", "Vector", "content_words", "cosine", "positioned_words", "stem", "term_counts",
           "vector"]

TOP_TERMS = 60  # terms kept per article (the heaviest): enough to compare, small to store
NAME_WEIGHT = 2.0

Vector = dict[str, float]



def _stopwords() -> frozenset[str]:
    """English function words and the commonest words of reporting, time and number
    (``lexicon/data/stopwords.txt``): they say nothing about which story an article tells."""
    path = resources.files("chronicle.lexicon") / "data" / "stopwords.txt"
    text = path.read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


STOPWORDS = _stopwords()

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*")


def stem(word: str) -> str:
    """A crude English stem, enough to make "shooting"/"shootings"/"shot" less apart and
    "killed"/"kills"/"killing" one: plural and verb endings cut, nothing clever."""
    w = word
    if len(w) > 5 and w.endswith("ings"):
        w = w[:-4]
    elif len(w) > 4 and w.endswith("ing"):
        w = w[:-3]
    elif (len(w) > 4 and w.endswith("ied")) or (len(w) > 4 and w.endswith("ies")):
        w = w[:-3] + "y"
    elif (len(w) > 4 and w.endswith("ed")) or (len(w) > 4 and w.endswith("es") and w[-3] in "sxz"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # "shott" (from "shotting"), "stopp"
    return w


_TERMS: dict[str, str] = {}  # a word as written -> its term ("" when it is none): words repeat a lot


def _term(word: str) -> str:
    t = _TERMS.get(word)
    if t is None:
        w = word.lower().replace("’", "'")
        if w[0].isdigit():
            t = "#" + w.replace(",", "") if len(w) >= 2 or "." in w else ""
        else:
            if w.endswith("'s"):
                w = w[:-2]
            t = "" if len(w) < 3 or w in STOPWORDS else stem(w)
        if len(_TERMS) < 500_000:
            _TERMS[word] = t
    return t


def content_words(text: str) -> Iterable[str]:
    """The stemmed content words and the numbers of a text, in order."""
    for m in _WORD.finditer(text):
        t = _term(m.group())
        if t:
            yield t


def positioned_words(text: str) -> list[tuple[int, str]]:
    """The content words of a text (not its numbers) with where each starts, in order."""
    out = []
    for m in _WORD.finditer(text):
        t = _term(m.group())
        if t and t[0] != "#":
            out.append((m.start(), t))
    return out


def term_counts(record: Record, name_keys: Mapping[str, Iterable[str]]) -> Counter[str]:
    """Term frequencies of an article: its content words (title included), then its names
    (``name_keys``: entity id -> the keys it resolves by) and places, once per mention."""
    counts: Counter[str] = Counter()
    a = record.article
    counts.update(content_words(a.title or ""))
    counts.update(content_words(a.text))
    for e in record.entities:
        keys = list(name_keys.get(e.id, ()))
        if not keys:
            continue
        n = sum(1 for m in e.mentions if m.kind in ("name", "title", "acronym")) or 1
        for k in keys:
            counts["@" + k] += n
    for p in record.places:
        if p.geonameid is not None:
            counts[f"@geo:{p.geonameid}"] += 1
        elif p.name:
            counts["@place:" + p.name.lower()] += 1
    return counts


def vector(counts: Mapping[str, int], df: Mapping[str, int], docs: int, top: int = TOP_TERMS) -> Vector:
    """The article's heaviest ``top`` terms, log-tf x idf, names weighted up, L2-normalised.
    A term found in one article only (``df`` <= 1) is kept too: it may be the one name a later
    article shares with this one."""
    weights: dict[str, float] = {}
    for term, tf in counts.items():
        idf = math.log((docs + 1) / (df.get(term, 0) + 1)) + 1.0
        w = (1.0 + math.log(tf)) * idf
        if term.startswith("@"):
            w *= NAME_WEIGHT
        weights[term] = w
    best = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    norm = math.sqrt(sum(w * w for _, w in best)) or 1.0
    return {t: round(w / norm, 5) for t, w in best}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())
