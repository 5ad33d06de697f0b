"""Mention candidates: names (with their titles), descriptions and group nouns, before merging.

A name's mention is widened over the title words before it ("Russian President Vladimir
Putin", "Iranian airline Mahan Air", "President of Ukraine Volodymyr Zelenskyy") and after it
("President Hassan Rouhani of Iran"); what the title says becomes the mention's profile
(country, role, office class, gender). Descriptions are noun phrases headed by a role noun
("the French leader", "Ukrainian forces", "the ministry").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

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


def _word(tok: Token) -> str:
    """The token as the lexicon's word indexes hold it ("Gen." -> "gen", "Ukraine's" -> "ukraine's")."""
    return tok.lower_.rstrip(".").replace("\u2019", "'")


def role_ending_at(doc: Doc, i: int, lex: Lexicon) -> tuple[int, Role] | None:
    """The longest role term ending at token i: (first token index, Role)."""
    if _word(doc[i]) not in lex.role_tails:
        return None
    best = None
    for n in range(MAX_ROLE_WORDS, 0, -1):
        s = i - n + 1
        if s < 0:
            continue
        words = doc[s : i + 1]
        if any(t.is_space for t in words):
            continue
        role = lex.roles.get(norm(words.text))
        if role is not None:
            best = (s, role)
            break
    return best


def role_starting_at(doc: Doc, i: int, lex: Lexicon, stop: int) -> tuple[int, Role] | None:
    """The longest role term starting at token i and ending before ``stop``: (end, Role)."""
    for n in range(MAX_ROLE_WORDS, 0, -1):
        e = i + n
        if e > stop:
            continue
        words = doc[i:e]
        if any(t.is_space for t in words):
            continue
        role = lex.roles.get(norm(words.text))
        if role is not None:
            return e, role
    return None


def country_of_words(span: Span | Token, lex: Lexicon) -> str | None:
    """alpha3 when the words name a country, its people or a well-known body of it."""
    text = span.text
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


def _country_ending_at(doc: Doc, i: int, lex: Lexicon) -> tuple[int, str] | None:
    """A country/demonym/organisation of 1-4 tokens ending at token i (a possessive 's allowed)."""
    j = i
    if doc[j].text in ("'s", "\u2019s", "'"):
        j -= 1
    if j < 0 or _word(doc[j]) not in lex.name_tails:
        return None
    for n in range(4, 0, -1):
        s = j - n + 1
        if s < 0:
            continue
        words = doc[s : j + 1]
        if any(t.is_space for t in words) or any(t.is_punct and t.text not in ".-" for t in words):
            continue
        code = country_of_words(words, lex)
        if code:
            prev = doc[s - 1] if s > 0 else None
            if prev is not None and prev.pos_ == "PROPN" and prev.text[:1].isupper() \
                    and lex.roles.get(prev.lower_) is None and country_of_words(prev, lex) is None:
                return None  # "New Mexico governor": part of a longer place name
            return s, code
    return None


def widen_left(doc: Doc, start: int, lex: Lexicon, limit: int, person: bool = True) -> tuple[int, Profile]:
    """Widen a name to the left over its title; returns (new start, what the title says).

    For a person only words naming an individual's office count ("President", not "presidency"),
    and a title never ends in "of"/"the" right before the name ("the presidency of Barack Obama")."""
    prof = Profile()
    i = start - 1
    new_start = start
    saw_role = False
    if i >= limit and doc[i].lower_ in NO_TITLE_START:
        return start, prof
    while i >= limit:
        tok = doc[i]
        if tok.is_space or tok.text in (",", ";", ":", "(", ")", '"', "\u201c", "\u201d"):
            break
        r = role_ending_at(doc, i, lex)
        if r is not None and person and (r[1].group or r[1].term in GENERIC_GROUPS):
            break
        if r is not None:
            s, role = r
            if not saw_role and role.cls != "honorific":  # the office word nearest the name
                prof.role = role.role
                prof.cls = role.cls
                if role.role:
                    prof.why.append(f"title '{doc[s:i + 1].text}'")
            if role.gender and not prof.gender:
                prof.gender = role.gender
            saw_role = saw_role or role.cls != "honorific"
            new_start = s
            i = s - 1
            continue
        c = _country_ending_at(doc, i, lex)
        if c is not None and tok.ent_type_ != "PERSON":
            s, code = c
            if s > limit and doc[s - 1].lower_ in ("to", "in", "at"):
                # "US Ambassador to Germany Richard Grenell": the post, not the person's country
                new_start = s - 1
                i = s - 2
                continue
            if not prof.country:
                prof.country = code
                prof.why.append(f"title country '{doc[s:i + 1].text}'")
            new_start = s
            i = s - 1
            continue
        low = tok.lower_
        if low in OPPOSITION_WORDS:
            prof.role = "OPP"
            prof.why.append(f"title '{tok.text}'")
            new_start = i
            i -= 1
            continue
        if low in TITLE_FILLERS or (tok.pos_ == "ADJ" and saw_role and tok.is_lower):
            i -= 1
            continue  # kept only if a role or country comes before it
        break
    # never start on a filler ("of", "the")
    while new_start < start and doc[new_start].lower_ in NO_TITLE_START:
        new_start += 1
    if not saw_role and new_start < start and doc[start].ent_type_ == "PERSON":
        # a bare demonym before a person's name is not a title ("Russian Vladimir Putin" is rare)
        return new_start, prof
    return new_start, prof


def widen_right(doc: Doc, end: int, lex: Lexicon) -> tuple[int, Profile]:
    """"President Hassan Rouhani of Iran": take a following "of <country>" into the mention."""
    prof = Profile()
    if end + 1 < len(doc) and doc[end].lower_ == "of":
        for n in range(4, 0, -1):
            e = end + 1 + n
            if e > len(doc):
                continue
            words = doc[end + 1 : e]
            if any(t.is_space or t.is_punct for t in words):
                continue
            code = country_of_words(words, lex)
            if code and lex.country_code(words.text) == code:
                prof.country = code
                prof.why.append(f"'of {words.text}'")
                return e, prof
    return end, prof


def is_subject(tok: Token) -> bool:
    return tok.dep_ in ("nsubj", "nsubjpass", "agent") or (
        tok.dep_ == "pobj" and tok.head.dep_ == "agent"
    )
