"""The cue lexicon of attributed statements (``data/cues.tsv``) and the documents and channels
statements are cited from (``data/sources.tsv``), loaded once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from chronicle.lexicon import read_tsv

__all__ = ["STANCES", "Cue", "CueLexicon", "cue_lexicon"]

STANCES = ("assert", "accuse", "deny", "request", "warn", "threaten", "promise", "reject", "concede",
           "praise", "criticise")
CONTENT_FRAMES = ("clause", "inf", "obj", "prep", "of")
OBJECT_ROLES = ("addressee", "target")


@dataclass(frozen=True, slots=True)
class Cue:
    """One row of cues.tsv: a cue word, the stance it carries and where its content may be."""

    lemma: str  # "call"
    particle: str | None  # "for" in "call for"
    pos: str  # verb, noun, prep
    stance: str | None
    content: tuple[str, ...]  # content frames, in order of preference
    object: str | None  # what a direct object is when the content is elsewhere

    @property
    def text(self) -> str:
        return f"{self.lemma} {self.particle}" if self.particle else self.lemma


@dataclass
class CueLexicon:
    verbs: dict[str, list[Cue]] = field(default_factory=dict)  # lemma -> cues (with particle first)
    nouns: dict[str, Cue] = field(default_factory=dict)
    preps: dict[str, Cue] = field(default_factory=dict)  # "according to"
    sources: dict[str, str] = field(default_factory=dict)  # document/channel term -> kind

    def verb(self, lemma: str, particles: set[str]) -> Cue | None:
        """The cue for a verb lemma given the particles and prepositions it governs."""
        for cue in self.verbs.get(lemma, ()):
            if cue.particle is None or cue.particle in particles:
                return cue
        return None


def _row_cue(row: dict[str, str]) -> Cue:
    words = row["cue"].split()
    pos = row["pos"]
    stance = row.get("stance") or None
    if stance is not None and stance not in STANCES:
        raise ValueError(f"cues.tsv: unknown stance '{stance}' for '{row['cue']}'; valid: {', '.join(STANCES)}")
    frames = tuple(x for x in (row.get("content") or "").split("|") if x)
    bad = [f for f in frames if f not in CONTENT_FRAMES]
    if bad:
        raise ValueError(f"cues.tsv: unknown content frame(s) {bad} for '{row['cue']}'; valid: {CONTENT_FRAMES}")
    obj = row.get("object") or None
    if obj is not None and obj not in OBJECT_ROLES:
        raise ValueError(f"cues.tsv: unknown object role '{obj}' for '{row['cue']}'; valid: {OBJECT_ROLES}")
    if pos == "verb" and len(words) == 2:
        return Cue(words[0], words[1], pos, stance, frames, obj)
    return Cue(" ".join(words), None, pos, stance, frames, obj)


@cache
def cue_lexicon() -> CueLexicon:
    """The loaded cue and source lexicon (once per process)."""
    lex = CueLexicon()
    for row in read_tsv("cues.tsv"):
        cue = _row_cue(row)
        if cue.pos == "verb":
            lex.verbs.setdefault(cue.lemma, []).append(cue)
        elif cue.pos == "noun":
            lex.nouns.setdefault(cue.lemma, cue)
        else:
            lex.preps.setdefault(cue.lemma, cue)
    for cues in lex.verbs.values():
        cues.sort(key=lambda c: c.particle is None)  # "call for" before "call"
    for row in read_tsv("sources.tsv"):
        lex.sources.setdefault(row["term"].lower(), row.get("kind") or "document")
    return lex
