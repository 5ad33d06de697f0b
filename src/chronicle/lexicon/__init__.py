"""Our own data files of facts (countries, demonyms, organisations, role nouns) and their indexes.

Each file is a TSV in ``lexicon/data/`` described in its README. Loaded once per process,
lazily, into plain dicts keyed by lowercased surface forms.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

__all__ = [
    "Country",
    "Lexicon",
    "Org",
    "Person",
    "Role",
    "fold",
    "lexicon",
    "norm",
    "read_tsv",
]


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """The key a surface form is looked up by: lowercased, curly apostrophes straightened,
    dots of abbreviations kept, white space folded, a leading "the" dropped."""
    t = " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split()).lower()
    if t.startswith("the "):
        t = t[4:]
    return t


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lowercase with accents removed ("Erdoğan" -> "erdogan"), for matching names."""
    t = unicodedata.normalize("NFKD", " ".join(text.replace("\u2019", "'").split()))
    return "".join(ch for ch in t if not unicodedata.combining(ch)).lower()


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a data file as dicts (header line first; '#' lines are comments); [] if absent."""
    path = resources.files("chronicle.lexicon") / "data" / name
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


@dataclass(slots=True)
class Country:
    alpha3: str
    alpha2: str
    name: str
    aliases: list[str]
    demonyms: list[str]
    people: list[str]
    capitals: list[str]
    seats: list[str]


@dataclass(slots=True)
class Org:
    name: str
    aliases: list[str]
    country: str | None
    role: str | None
    type: str


@dataclass(slots=True)
class Role:
    term: str
    role: str | None
    cls: str | None
    gender: str | None
    group: bool


@dataclass(slots=True)
class Person:
    """An office holder from people.tsv: who, where, what office, which years."""

    name: str
    aliases: list[str]
    country: str | None
    role: str | None
    office: str
    cls: str | None
    start: int | None
    end: int | None
    gender: str | None

    def in_office(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


@dataclass
class Lexicon:
    countries: dict[str, Country] = field(default_factory=dict)  # alpha3 -> Country
    country_names: dict[str, str] = field(default_factory=dict)  # name/alias -> alpha3
    demonyms: dict[str, str] = field(default_factory=dict)  # adjective -> alpha3
    peoples: dict[str, str] = field(default_factory=dict)  # plural people noun -> alpha3
    capitals: dict[str, str] = field(default_factory=dict)  # capital -> alpha3
    seats: dict[str, str] = field(default_factory=dict)  # government seat -> alpha3
    orgs: dict[str, Org] = field(default_factory=dict)  # name/alias -> Org
    roles: dict[str, Role] = field(default_factory=dict)  # term -> Role
    alpha2_of: dict[str, str] = field(default_factory=dict)  # alpha3 -> alpha2
    people: dict[str, list[Person]] = field(default_factory=dict)  # folded name/alias -> holders
    forenames: dict[str, str] = field(default_factory=dict)  # folded given name -> m/f
    # first and last words of every name and role term, to skip most tokens at once
    role_tails: set[str] = field(default_factory=set)
    name_tails: set[str] = field(default_factory=set)
    name_heads: set[str] = field(default_factory=set)

    def country_code(self, text: str) -> str | None:
        """alpha3 for a country's name, alias or demonym ("Russia", "Russian", "the UK")."""
        k = norm(text)
        if k.endswith("'s"):
            k = k[:-2]
        return self.country_names.get(k) or self.demonyms.get(k)

    def role(self, text: str) -> Role | None:
        return self.roles.get(norm(text))

    def person(self, name: str, year: int | None = None) -> Person | None:
        """The office holder a name refers to, preferring the office held in ``year``."""
        rows = self.people.get(fold(name))
        if not rows:
            return None
        names = {r.name for r in rows}
        if len(names) > 1:  # two different people share this form of name
            rows = [r for r in rows if r.in_office(year)]
            if len({r.name for r in rows}) != 1:
                return None
        current = [r for r in rows if r.in_office(year)]
        return (current or rows)[-1]


@cache
def lexicon() -> Lexicon:
    """The loaded lexicon (once per process)."""
    lex = Lexicon()
    for row in read_tsv("countries.tsv"):
        c = Country(
            alpha3=row["alpha3"],
            alpha2=row["alpha2"],
            name=row["name"],
            aliases=_split(row.get("aliases", "")),
            demonyms=_split(row.get("demonyms", "")),
            people=_split(row.get("people", "")),
            capitals=_split(row.get("capitals", "")),
            seats=_split(row.get("seats", "")),
        )
        lex.countries[c.alpha3] = c
        lex.alpha2_of[c.alpha3] = c.alpha2
        for n in [c.name, *c.aliases]:
            lex.country_names.setdefault(norm(n), c.alpha3)
        for d in c.demonyms:
            lex.demonyms.setdefault(norm(d), c.alpha3)
        for p in c.people:
            lex.peoples.setdefault(norm(p), c.alpha3)
        for cap in c.capitals:
            lex.capitals.setdefault(norm(cap), c.alpha3)
        for s in c.seats:
            lex.seats.setdefault(norm(s), c.alpha3)
    for row in read_tsv("organisations.tsv"):
        o = Org(
            name=row["name"],
            aliases=_split(row.get("aliases", "")),
            country=row.get("country") or None,
            role=row.get("role") or None,
            type=row.get("type") or "ORG",
        )
        for n in [o.name, *o.aliases]:
            lex.orgs.setdefault(norm(n), o)
    for row in read_tsv("roles.tsv"):
        r = Role(
            term=norm(row["term"]),
            role=row.get("role") or None,
            cls=row.get("class") or None,
            gender=row.get("gender") or None,
            group=row.get("group") == "1",
        )
        lex.roles.setdefault(r.term, r)
    for row in read_tsv("people.tsv"):
        holder = Person(
            name=row["name"],
            aliases=_split(row.get("aliases", "")),
            country=row.get("country") or None,
            role=row.get("role") or None,
            office=row.get("office", ""),
            cls=row.get("class") or None,
            start=int(row["start"]) if row.get("start", "").isdigit() else None,
            end=int(row["end"]) if row.get("end", "").isdigit() else None,
            gender=row.get("gender") or None,
        )
        for n in {fold(x) for x in [holder.name, *holder.aliases]}:
            lex.people.setdefault(n, []).append(holder)
    for row in read_tsv("forenames.tsv"):
        lex.forenames.setdefault(fold(row["name"]), row["gender"])
    _index_words(lex)
    return lex


_WORDS = re.compile(r"[\w']+")


def _edge_words(key: str) -> tuple[set[str], set[str]]:
    """First and last words of a key in every form a tokenizer may cut them ("u.s.", "u", "s")."""
    heads: set[str] = set()
    tails: set[str] = set()
    for words in (_WORDS.findall(key), [w.rstrip(".") for w in key.split()]):
        if words:
            heads.add(words[0])
            tails.add(words[-1])
    return heads, tails


def _index_words(lex: Lexicon) -> None:
    for key in lex.roles:
        lex.role_tails |= _edge_words(key)[1]
    for key in [*lex.country_names, *lex.demonyms, *lex.capitals, *lex.seats, *lex.orgs, *lex.peoples, *lex.people]:
        heads, tails = _edge_words(key)
        lex.name_heads |= heads
        lex.name_tails |= tails
