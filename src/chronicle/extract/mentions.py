"""Mention candidates: names (with their titles), descriptions and group nouns, before merging.

A name's mention is widened over the title words before it ("Russian President Vladimir
Putin", "Iranian airline Mahan Air", "President of Ukraine Volodymyr Zelenskyy") and after it
("President Hassan Rouhani of Iran"); what the title says becomes the mention's profile
(country, role, office class, gender). Descriptions are noun phrases headed by a role noun
("the French leader", "Ukrainian forces", "the ministry").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from chronicle.extract.analysis import Analysis
from chronicle.lexicon import Lexicon, Role, fold, norm

__all__ = ["GENERIC_GROUPS", "Cand", "Profile", "fold", "role_ending_at"]

MAX_ROLE_WORDS = 5
# words that may sit inside a title without being a role or a country
TITLE_FILLERS = {
    "former", "then", "then-", "acting", "caretaker", "interim", "deputy", "vice", "top", "chief",
    "senior", "new", "outgoing", "incoming", "first", "-", "of", "for", "and", "the", "lord", "late",
}
# title fillers that may not start a title (we never widen over a bare "of the")
NO_TITLE_START = {"of", "for", "and", "the", "-"}
OPPOSITION_WORDS = {"opposition", "dissident", "exiled"}
# nouns too generic to be an office or a group of their own ("man James Fields", "people")
GENERIC_GROUPS = {"people", "person", "man", "woman", "men", "women", "individual", "public", "crowd", "group"}


@dataclass
class Profile:
    """What the text says about who a mention is: country, role, office class, gender."""

    country: str | None = None
    role: str | None = None
    cls: str | None = None
    gender: str | None = None
    why: list[str] = field(default_factory=list)

    def absorb(self, other: Profile) -> None:
        if other.country and not self.country:
            self.country = other.country
        if other.role and not self.role:
            self.role = other.role
        if other.cls and not self.cls:
            self.cls = other.cls
        if other.gender and not self.gender:
            self.gender = other.gender
        self.why.extend(w for w in other.why if w not in self.why)


@dataclass
class Cand:
    """A mention candidate: its token range, the bare name inside it, and what it says."""

    start: int  # token range of the whole mention (title included)
    end: int
    name_start: int  # token range of the name itself
    name_end: int
    label: str  # PERSON, ORG, GPE, NORP, GROUP, FAC, LOC
    kind: str  # name, title, description, pronoun, acronym
    sent: int
    profile: Profile = field(default_factory=Profile)
    key: str = ""  # how it is looked up when merging
    country_code: str | None = None  # for GPE names that are countries, capitals used as actors
    subject: bool = False
    quoted: bool = False
    plural: bool = False
    cluster: int | None = None


def _word(an: Analysis, i: int) -> str:
    """Token i as the lexicon's word indexes hold it ("Gen." -> "gen", "Ukraine's" -> "ukraine's")."""
    return an.lowers[i].rstrip(".").replace("\u2019", "'")


def role_ending_at(an: Analysis, i: int, lex: Lexicon) -> tuple[int, Role] | None:
    """The longest role term ending at token i: (first token index, Role)."""
    if _word(an, i) not in lex.role_tails:
        return None
    best = None
    spaces = an.is_space
    for n in range(MAX_ROLE_WORDS, 0, -1):
        s = i - n + 1
        if s < 0:
            continue
        if any(spaces[j] for j in range(s, i + 1)):
            continue
        role = lex.roles.get(norm(an.span_text(s, i + 1)))
        if role is not None:
            best = (s, role)
            break
    return best


def role_starting_at(an: Analysis, i: int, lex: Lexicon, stop: int) -> tuple[int, Role] | None:
    """The longest role term starting at token i and ending before ``stop``: (end, Role)."""
    spaces = an.is_space
    for n in range(MAX_ROLE_WORDS, 0, -1):
        e = i + n
        if e > stop:
            continue
        if any(spaces[j] for j in range(i, e)):
            continue
        role = lex.roles.get(norm(an.span_text(i, e)))
        if role is not None:
            return e, role
    return None


def country_of_words(span: Span | Token, lex: Lexicon) -> str | None:
    """alpha3 when the words name a country, its people or a well-known body of it."""
    return country_of_text(span.text, lex)


def country_of_text(text: str, lex: Lexicon) -> str | None:
    """``country_of_words`` of the words' text."""
    code = lex.country_code(text)
    if code:
        return code
    key = norm(text)
    if key.endswith("'s"):
        key = key[:-2]
    if key in lex.capitals:
        return lex.capitals[key]
    if key in lex.seats:
        return lex.seats[key]
    org = lex.orgs.get(key)
    if org is not None and org.country:
        return org.country
    # "Moscow-backed" is about a backer, not the group's own country
    return None


def _country_ending_at(an: Analysis, i: int, lex: Lexicon) -> tuple[int, str] | None:
    """A country/demonym/organisation of 1-4 tokens ending at token i (a possessive 's allowed)."""
    texts, spaces, puncts = an.texts, an.is_space, an.is_punct
    j = i
    if texts[j] in ("'s", "\u2019s", "'"):
        j -= 1
    if j < 0 or _word(an, j) not in lex.name_tails:
        return None
    for n in range(4, 0, -1):
        s = j - n + 1
        if s < 0:
            continue
        words = range(s, j + 1)
        if any(spaces[k] for k in words) or any(puncts[k] and texts[k] not in ".-" for k in words):
            continue
        code = country_of_text(an.span_text(s, j + 1), lex)
        if code:
            if s > 0 and an.pos[s - 1] == "PROPN" and texts[s - 1][:1].isupper() \
                    and lex.roles.get(an.lowers[s - 1]) is None and country_of_text(texts[s - 1], lex) is None:
                return None  # "New Mexico governor": part of a longer place name
            return s, code
    return None


def widen_left(an: Analysis, start: int, lex: Lexicon, limit: int, person: bool = True) -> tuple[int, Profile]:
    """Widen a name to the left over its title; returns (new start, what the title says).

    For a person only words naming an individual's office count ("President", not "presidency"),
    and a title never ends in "of"/"the" right before the name ("the presidency of Barack Obama")."""
    prof = Profile()
    texts, lowers = an.texts, an.lowers
    i = start - 1
    new_start = start
    saw_role = False
    if i >= limit and lowers[i] in NO_TITLE_START:
        return start, prof
    while i >= limit:
        if an.is_space[i] or texts[i] in (",", ";", ":", "(", ")", '"', "\u201c", "\u201d"):
            break
        r = role_ending_at(an, i, lex)
        if r is not None and person and (r[1].group or r[1].term in GENERIC_GROUPS):
            break
        if r is not None:
            s, role = r
            if not saw_role and role.cls != "honorific":  # the office word nearest the name
                prof.role = role.role
                prof.cls = role.cls
                if role.role:
                    prof.why.append(f"title '{an.span_text(s, i + 1)}'")
            if role.gender and not prof.gender:
                prof.gender = role.gender
            saw_role = saw_role or role.cls != "honorific"
            new_start = s
            i = s - 1
            continue
        c = _country_ending_at(an, i, lex)
        if c is not None and an.ent_types[i] != "PERSON":
            s, code = c
            if s > limit and lowers[s - 1] in ("to", "in", "at"):
                # "US Ambassador to Germany Richard Grenell": the post, not the person's country
                new_start = s - 1
                i = s - 2
                continue
            if not prof.country:
                prof.country = code
                prof.why.append(f"title country '{an.span_text(s, i + 1)}'")
            new_start = s
            i = s - 1
            continue
        low = lowers[i]
        if low in OPPOSITION_WORDS:
            prof.role = "OPP"
            prof.why.append(f"title '{texts[i]}'")
            new_start = i
            i -= 1
            continue
        if low in TITLE_FILLERS or (an.pos[i] == "ADJ" and saw_role and an.is_lower[i]):
            i -= 1
            continue  # kept only if a role or country comes before it
        break
    # never start on a filler ("of", "the")
    while new_start < start and lowers[new_start] in NO_TITLE_START:
        new_start += 1
    if not saw_role and new_start < start and an.ent_types[start] == "PERSON":
        # a bare demonym before a person's name is not a title ("Russian Vladimir Putin" is rare)
        return new_start, prof
    return new_start, prof


def widen_right(an: Analysis, end: int, lex: Lexicon) -> tuple[int, Profile]:
    """"President Hassan Rouhani of Iran": take a following "of <country>" into the mention."""
    prof = Profile()
    n_tokens = len(an.texts)
    if end + 1 < n_tokens and an.lowers[end] == "of":
        for n in range(4, 0, -1):
            e = end + 1 + n
            if e > n_tokens:
                continue
            if any(an.is_space[k] or an.is_punct[k] for k in range(end + 1, e)):
                continue
            text = an.span_text(end + 1, e)
            code = country_of_text(text, lex)
            if code and lex.country_code(text) == code:
                prof.country = code
                prof.why.append(f"'of {text}'")
                return e, prof
    return end, prof


def is_subject(tok: Token) -> bool:
    return tok.dep_ in ("nsubj", "nsubjpass", "agent") or (
        tok.dep_ == "pobj" and tok.head.dep_ == "agent"
    )
