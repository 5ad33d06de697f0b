"""The keys an article's entity is known by across articles.

A key is what two articles must share to speak of the same entity: ``per:vladimir putin`` (a
person's full name, or the office holder a description names in the article's year: "the Russian
president" in 2022), ``cty:RUS`` (a country, however it is named), ``org:world health
organization`` (an organisation; its acronym and known aliases give more keys), ``gpe:malibu``,
``geo:5368361`` (a geocoded place). Some keys only hold within one story (``scoped``): a
surname alone ("Reid"), a group ("the police", "Ukrainian forces") or a description that names
nobody in particular ("a publicist") is the same referent in two reports of one story, not
across the whole store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chronicle.lexicon import fold, lexicon, norm
from chronicle.record import Entity, Place

__all__ = ["EntityKeys", "entity_keys", "name_tokens", "place_keys", "year_of"]

# words before a person's name that are not part of it
HONORIFICS = frozenset((
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "professor", "rev", "reverend", "fr",
    "father", "sister", "brother", "gen", "general", "col", "colonel", "lt", "lieutenant", "sgt", "sergeant",
    "capt", "captain", "cpl", "corporal", "maj", "major", "adm", "admiral", "cmdr", "commander", "sen", "senator",
    "rep", "representative", "gov", "governor", "pres", "president", "judge", "justice", "officer", "detective",
    "deputy", "sheriff", "chief", "minister", "secretary", "ambassador", "mayor", "king", "queen", "prince",
    "princess", "sheikh", "crown", "st", "saint"
))
NAME_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])
PROPER_KINDS = ("name", "title", "acronym")
_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


@dataclass(slots=True)
class EntityKeys:
    """How one article's entity is matched across articles."""

    strong: list[str] = field(default_factory=list)  # keys that name it anywhere
    weak: list[str] = field(default_factory=list)  # keys that name it within its story only
    surname: str | None = None  # a person named by one word only: may join a full name of its story
    why: str = ""
    display: str | None = None  # the name to show for it (the office holder a description names)


def year_of(published: str | None) -> int | None:
    if published and len(published) >= 4 and published[:4].isdigit():
        return int(published[:4])
    return None


def name_tokens(text: str) -> list[str]:
    """A name's words, folded (accents, case, dots and spacing gone: "U . S ." -> ["u", "s"])."""
    toks = _TOKEN.findall(fold(text).replace("’", "'"))
    if toks and toks[-1] == "s" and "'" in text[-4:]:
        toks = toks[:-1]  # "Lionsgate 's"
    return [t.removesuffix("'s") for t in toks]


def _person_tokens(text: str) -> list[str]:
    toks = name_tokens(text)
    roles = lexicon().roles
    while len(toks) > 1 and (toks[0] in HONORIFICS or toks[0] in roles):
        toks = toks[1:]
    while len(toks) > 1 and toks[-1] in NAME_SUFFIXES:
        toks = toks[:-1]
    return toks


def _proper(entity: Entity) -> bool:
    return any(m.kind in PROPER_KINDS for m in entity.mentions)


def _office_holder(entity: Entity, year: int | None) -> str | None:
    """The office holder a description names ("the Russian president" -> Vladimir Putin), when
    the people table has exactly one for the entity's country, office and year."""
    if entity.country is None or year is None:
        return None
    lex = lexicon()
    words = norm(entity.name).split()
    # the office: the longest run of words at the end that is a role term ("prime minister")
    office = None
    for i in range(len(words)):
        term = " ".join(words[i:])
        if term in lex.roles:
            office = term
            break
    if office is None:
        return None
    role = lex.roles[office]
    holders = {p.name for rows in lex.people.values() for p in rows
               if p.country == entity.country and p.office == office and p.in_office(year)}
    if len(holders) != 1 and role.cls:
        holders = {p.name for rows in lex.people.values() for p in rows
                   if p.country == entity.country and p.cls == role.cls and p.office.endswith(office)
                   and p.in_office(year)}
    return next(iter(holders)) if len(holders) == 1 else None


def entity_keys(entity: Entity, year: int | None) -> EntityKeys:
    """The keys of one entity of an article published in ``year``."""
    lex = lexicon()
    out = EntityKeys()
    etype = entity.type or ""
    if not _proper(entity):
        holder = _office_holder(entity, year) if etype == "PERSON" else None
        if holder:
            out.strong.append("per:" + " ".join(name_tokens(holder)))
            out.why = f"office holder '{holder}' ({year})"
            out.display = holder
            return out
        code = lex.country_code(entity.name) if etype in ("GPE", "NORP") else None
        if code:
            out.strong.append("cty:" + code)
            out.why = "country"
            return out
        words = " ".join(name_tokens(entity.name))
        if words:
            out.weak.append(f"desc:{etype.lower()}:{words}:{entity.country or ''}:{entity.role or ''}")
            out.why = "description (within its story)"
        return out
    if etype == "PERSON":
        toks = _person_tokens(entity.name)
        known = lex.person(entity.name, year)
        if known is not None:
            out.strong.append("per:" + " ".join(name_tokens(known.name)))
            out.why = f"office holder '{known.name}'"
            out.display = known.name
        elif len(toks) >= 2:
            out.strong.append("per:" + " ".join(toks))
            out.why = "full name"
            # other full forms of the same name in the article ("Vladimir V. Putin")
            for m in entity.mentions:
                if m.kind not in PROPER_KINDS:
                    continue
                mt = _person_tokens(m.text)
                if len(mt) >= 2 and mt[-1] == toks[-1] and mt[0] == toks[0]:
                    key = "per:" + " ".join(mt)
                    if key not in out.strong:
                        out.strong.append(key)
        elif toks:
            out.surname = toks[0]
            out.weak.append("sur:" + toks[0])
            out.why = "one name (within its story)"
        return out
    code = lex.country_code(entity.name)
    if code and etype in ("GPE", "NORP", "LOC"):
        out.strong.append("cty:" + code)
        out.why = "country"
        return out
    seat = lex.seats.get(norm(entity.name)) or lex.capitals.get(norm(entity.name))
    if seat and entity.role == "GOV" and entity.country == seat:
        # "the Kremlin said", "Moscow denies": the government speaking, which is its country acting
        out.strong.append("cty:" + seat)
        out.why = "seat of government acting"
        return out
    prefix = "gpe" if etype in ("GPE", "LOC", "FAC") else "org"
    names: list[str] = []
    for text in [entity.name] + [m.text for m in entity.mentions if m.kind in PROPER_KINDS]:
        org = lex.orgs.get(norm(text))
        toks = name_tokens(text)
        if toks and toks[0] == "the":
            toks = toks[1:]
        key = f"{prefix}:" + (" ".join(name_tokens(org.name)) if org else " ".join(toks))
        if len(key) > 4 and key not in names:
            names.append(key)
    out.strong.extend(names)
    out.why = "name" if len(names) == 1 else "names and acronym"
    return out


def place_keys(place: Place) -> list[str]:
    """The keys of a geocoded place: its GeoNames id, else its name in its country."""
    if place.geonameid is not None:
        return [f"geo:{place.geonameid}"]
    if place.name:
        return [f"geo:{place.country or ''}:{' '.join(name_tokens(place.name))}"]
    return []
