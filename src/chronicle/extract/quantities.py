"""The quantities stage: amounts of money, counts, percentages and measures, as numbers.

Each quantity keeps its span and says what it is:

- ``value``: the number ("£300m" -> 300000000, "5.5 million" -> 5500000, "12%" -> 12); None for a
  vague count ("hundreds", "tens of thousands"), whose order of size is in ``magnitude``;
- ``unit``: ISO 4217 for money (from our own ``lexicon/data/currencies.tsv``: symbols, codes and
  words: "$", "US$", "C$", "€", "EUR", "euros", "300 million pounds"), "%" or "pp" (percentage
  points) for percentages, a unit symbol for measures ("km", "t") and durations ("day");
- ``kind``: money, count, percent, measure, duration;
- ``bound``: exact, min ("more than", "at least", "over", "or more"), max ("up to", "less than",
  "nearly", "almost"), approx ("about", "around", "some", "roughly", "an estimated"); a range
  "between 300 and 400" is a min and a max, "around 18,250 to 63,000" two approx;
- ``counted``: what is counted, when the text says ("5.5 million refugees" -> "refugees");
- ``converts``: for a conversion given beside an amount ("£300m ($376m)"), the id of the original.

Numbers that belong to something else are left out: dates and years (the times stage's spans),
clock times ("18:00", "1500 UTC", "6 a.m."), labels ("resolution 2259", "Boeing 737", "Article 5",
"Flight 752"), compounds ("Covid-19", "78-year-old", "G7") and a lone "one".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from chronicle.extract.analysis import Analysis
from chronicle.extract.numbers import DIGITS, SCALES, SHORT_SCALES, WORD_NUMBER, parse_digits, parse_words
from chronicle.extract.patterns import with_first_chars
from chronicle.lexicon import read_tsv
from chronicle.record import Quantity

__all__ = ["Found", "currencies", "find_quantities", "run"]


# --- currencies -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Currencies:
    symbols: dict[str, str | None]  # "$" -> USD, "C$" -> CAD
    words: dict[str, str | None]  # "euros" -> EUR, "francs" -> None (money, unit unknown)
    codes: frozenset[str]  # ISO codes accepted written out: USD, EUR, GBP...
    symbol_rx: str
    word_rx: str
    code_rx: str


@cache
def currencies() -> Currencies:
    """The currency lexicon, loaded once per process."""
    symbols: dict[str, str | None] = {}
    words: dict[str, str | None] = {}
    codes: set[str] = set()
    for row in read_tsv("currencies.tsv"):
        code = row["code"] if row["code"] != "-" else None
        if code and len(code) == 3 and code.isalpha():
            codes.add(code)
        for s in (x.strip() for x in row.get("symbols", "").split("|")):
            if s:
                symbols.setdefault(s, code)
        for w in (x.strip() for x in row.get("words", "").split("|")):
            if w:
                words.setdefault(w.lower(), code)

    def alt(items: list[str]) -> str:
        return "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in sorted(items, key=len, reverse=True))

    return Currencies(symbols=symbols, words=words, codes=frozenset(codes), symbol_rx=alt(list(symbols)),
                      word_rx=alt(list(words)), code_rx=alt(sorted(codes)))


# --- the pattern ----------------------------------------------------------------------------

MEASURES = {
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "miles": "mi", "mile": "mi", "metres": "m", "meters": "m", "metre": "m", "meter": "m",
    "kg": "kg", "kilograms": "kg", "kilogrammes": "kg", "tonnes": "t", "tons": "t", "tonne": "t", "ton": "t",
    "barrels": "bbl", "barrel": "bbl", "litres": "l", "liters": "l", "gallons": "gal", "hectares": "ha",
    "acres": "acre", "square kilometres": "km2", "square kilometers": "km2", "square miles": "mi2",
    "sq km": "km2", "megawatts": "MW", "MW": "MW", "gigawatts": "GW", "GW": "GW", "feet": "ft", "ft": "ft",
    "inches": "in", "mm": "mm", "cm": "cm", "kilotons": "kt", "megatons": "Mt", "bpd": "bbl/d",
    "lbs": "lb", "lb": "lb", "mg": "mg", "grams": "g", "ml": "ml", "ppm": "ppm",
    "miles per hour": "mph", "mph": "mph", "kilometres per hour": "km/h", "kilometers per hour": "km/h",
    "km/h": "km/h", "kph": "km/h", "knots": "kn", "degrees": "°", "megabytes": "MB", "gigabytes": "GB",
}
DURATIONS = {"seconds": "second", "minutes": "minute", "hours": "hour", "days": "day", "weeks": "week",
             "months": "month", "years": "year", "decades": "decade", "centuries": "century",
             "second": "second", "minute": "minute", "hour": "hour", "day": "day", "week": "week",
             "month": "month", "year": "year", "decade": "decade"}
_UNIT_RX = "|".join(re.escape(u).replace(r"\ ", r"\s+") for u in sorted([*MEASURES, *DURATIONS], key=len, reverse=True))
_SCALE_WORDS = r"(?:hundred|thousand|million|billion|trillion)"
VAGUE = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000, "tens of thousands": 10_000,
         "hundreds of thousands": 100_000, "millions": 1_000_000, "tens of millions": 10_000_000,
         "hundreds of millions": 100_000_000, "billions": 1_000_000_000}


_NOT_AFTER = r"(?<![\w$£€¥₹₽₴₺₪₦₩₱₿.,:/])"  # a number never continues a word, an amount or a number


@cache
def _pattern() -> re.Pattern[str]:
    c = currencies()
    # with a lookahead for the characters a match can start with (the same matches, sooner)
    return with_first_chars(re.compile(
        rf"{_NOT_AFTER}(?<![A-Za-z]-)(?<!--)"
        rf"(?:(?P<pre>{c.symbol_rx})\s?|(?P<precode>{c.code_rx})\s?)?"
        rf"(?:(?P<digits>{DIGITS})(?![\d:]|\.\d|,\d|/\d|(?:st|nd|rd|th)\b)"
        rf"(?:(?P<short>\s?(?:bn|mn|mln|tn|trn|m|b|k))(?![\w])|(?:\s+|-)(?P<scale>{_SCALE_WORDS}(?:\s+{_SCALE_WORDS})*)\b)?"
        rf"|(?P<vague>(?i:(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|scores|hundreds|thousands|millions|billions))\b"
        rf"|(?P<words>(?i:(?:a|an|half\s+a)\s+(?:dozen|hundred|thousand|million|billion)(?:\s+{_SCALE_WORDS})*)\b|{WORD_NUMBER}))"
        rf"(?:\s?(?P<pct>%|(?i:per\s?cent|percent|pct|percentage[\s-]points?))(?![\w]))?"
        rf"(?:\s+(?P<word>(?i:{c.word_rx}))\b|\s(?P<postcode>{c.code_rx})\b|\s?(?P<postsym>[€₽₴₺₪₩₫]))?"
        rf"(?:\s+(?P<unit>(?i:{_UNIT_RX}))\b)?"
    ), _NOT_AFTER)


@dataclass(slots=True)
class Found:
    """One number as written, with what the pattern read around it."""

    start: int  # the number with its currency and unit (the bound word comes later)
    end: int
    value: float | int | None
    kind: str
    unit: str | None
    magnitude: int | None
    why: str
    bound: str = "exact"
    bstart: int = -1  # where the bound word starts, when there is one
    counted: str | None = None
    upper: Found | None = None  # the other end, for the lower end of a range


def _num(m: re.Match[str]) -> tuple[float | int | None, int | None, str]:
    """The value of the number part: (value, magnitude of a vague count, how it was read)."""
    if m["digits"]:
        v: float | int = parse_digits(m["digits"])
        if m["scale"]:
            for w in m["scale"].lower().split():
                v = v * SCALES[w]
        elif m["short"]:
            v = v * SHORT_SCALES[m["short"].strip().lower()]
        return _tidy(v), None, "digits"
    if m["vague"]:
        key = " ".join(m["vague"].lower().split())
        return None, VAGUE[key], "vague count"
    words = " ".join(m["words"].lower().split())
    if words.startswith(("a ", "an ", "half a ")):
        rest = words.split(" ", 1)[1] if not words.startswith("half") else words[7:]
        scale = 1.0
        for w in rest.split():
            scale *= 12 if w == "dozen" else SCALES.get(w, 1)
        return _tidy(scale * (0.5 if words.startswith("half") else 1)), None, "words"
    return parse_words(words), None, "words"


def _tidy(v: float | int) -> float | int:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, float):
        return round(v, 6)
    return v


# --- bounds -----------------------------------------------------------------------------------

_BOUNDS = [
    ("min", r"more\s+than|over|at\s+least|upwards\s+of|in\s+excess\s+of|no\s+(?:fewer|less)\s+than|not\s+less\s+than|"
            r"above|exceeding|a\s+minimum\s+of|north\s+of|just\s+over|well\s+over|well\s+above|over\s+a"),
    ("max", r"up\s+to|less\s+than|fewer\s+than|under|below|at\s+most|no\s+more\s+than|not\s+more\s+than|as\s+many\s+as|"
            r"as\s+much\s+as|nearly|almost|just\s+under|a\s+maximum\s+of|close\s+to|just\s+shy\s+of|as\s+few\s+as|"
            r"as\s+little\s+as|up\s+to\s+about|up\s+to\s+around"),
    ("approx", r"about|around|some|roughly|approximately|an\s+estimated|estimated|circa|c\.|approx\.|an\s+approximate|"
               r"some\s+estimated|perhaps|an\s+average\s+of|on\s+average|~"),
]
_BOUND_LEFT = [(b, re.compile(rf"(?i:(?<![\w])(?:{rx}))\s*$")) for b, rx in _BOUNDS]
_BOUND_RIGHT = [("min", re.compile(r"^(?:\s+[a-z]+)?(?:\s+or\s+more|\s+and\s+more|\s+and\s+up)\b"
                                   r"|^(?:-plus|\s+plus)\b|^\+", re.I)),
                ("max", re.compile(r"^\s+or\s+(?:fewer|less)\b", re.I)),
                ("approx", re.compile(r"^\s+or\s+so\b|^\s+or\s+thereabouts\b", re.I))]
_RANGE_GAP = re.compile(r"^\s*(?:to|-|–|—|and|or)\s*$", re.I)
# a verb of change (or "by") before the first number: "rose from 5 to 7" is no range
_CHANGE_BEFORE = re.compile(
    r"(?i:\b(?:rose|rise|rises|rising|risen|fell|fall|falls|falling|fallen|increased?|increases|increasing|"
    r"decreased?|decreases|dropped|drops?|dropping|climbed?|climbs|jumped?|jumps|grew|grow|grows|growing|grown|"
    r"declined?|declines|slipped|slid|soared?|surged?|plunged?|plummeted|tumbled?|raised?|cut|cuts|reduced?|"
    r"lowered?|boosted?|doubled?|tripled?|shrank|swelled|went|up|down|by))\s+(?:from\s+)?$")
_BETWEEN = re.compile(r"(?i:\b(?:between|from))\s*$")
_CONVERSION_GAP = re.compile(r"^\s*(?:\(|\[|,\s*or|,|\bor)\s*"
                             r"(?:(?:about|around|approximately|roughly|some|nearly|almost|"
                             r"equivalent\s+to|worth|or)\s+)*$", re.I)


def _bound(text: str, f: Found) -> None:
    left = text[max(0, f.start - 30):f.start]
    for b, rx in _BOUND_LEFT:
        m = rx.search(left)
        if m:
            f.bound, f.bstart = b, f.start - (len(left) - m.start())
            return
    right = text[f.end:f.end + 20]
    for b, rx in _BOUND_RIGHT:
        if rx.search(right):
            f.bound = b
            return


# --- vetoes -----------------------------------------------------------------------------------

LABEL_WORDS = {"resolution", "article", "no", "no.", "nos.", "number", "flight", "route", "page", "pages", "chapter",
               "section", "room", "highway", "level", "category", "phase", "paragraph", "clause", "item", "rule",
               "line", "gate", "platform", "seat", "row", "district", "ward", "precinct", "block", "lot", "exit",
               "interstate", "channel", "version", "season", "episode", "volume", "vol.", "issue", "grade",
               "class", "size", "model", "type", "code", "zone", "sector", "stage", "step", "act", "amendment",
               "paragraphs", "articles", "resolutions", "term", "protocol", "annex", "bill", "case", "file",
               "terminal", "pier", "track", "bus", "train", "unit", "apartment", "suite", "box", "lane", "road",
               "street", "avenue", "cell", "wing", "flat", "hall", "tier", "the", "game", "round", "week",
               "day", "year", "month", "series", "appendix", "table", "figure", "fig.", "p.", "pp.",
               "sections", "vs", "vs.", "v", "v.", "covid", "mh", "su", "mig", "tu", "an", "il", "boeing", "airbus"}
CLOCK_AFTER = re.compile(r"^\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock|hrs\b|hours?\s+(?:GMT|UTC|local)|GMT\b|UTC\b|"
                         r"EST\b|EDT\b|CET\b|CEST\b|BST\b|MSK\b|IST\b|local\s+time)", re.I)


def _is_label(text: str, doc: Doc | None, f: Found, m: re.Match[str]) -> bool:
    """"resolution 2259", "Boeing 737", "Article 5": a number that names, not counts."""
    if m["pre"] or m["precode"] or m["pct"] or m["word"] or m["scale"] or m["vague"]:
        return False
    before = text[max(0, f.start - 25):f.start]
    w = re.search(r"([A-Za-z][\w.']*)\s*$", before)
    if w is None:
        return bool(re.search(r"#\s*$", before))
    word = w.group(1)
    if word.lower() in LABEL_WORDS or word.lower().rstrip(".") in LABEL_WORDS:
        return word.lower() != "the" or bool(re.match(r"^\s*(?:st|nd|rd|th)\b", text[f.end:]))
    if word[:1].isupper() and doc is not None:
        # a capitalised word right before a bare number names it ("Apollo 11", "Windows 95"),
        # unless it starts the sentence or is a month, a bound word or a verb
        toks = doc.char_span(f.start, f.end, alignment_mode="expand")
        if toks is None or toks.start == 0:
            return False
        prev = doc[toks.start - 1]
        if prev.is_sent_start or prev.pos_ in ("VERB", "AUX", "ADP", "DET", "CCONJ", "PRON", "ADV", "ADJ"):
            return False
        return prev.pos_ == "PROPN" and prev.text[:1].isupper()
    return False


def _looks_like_year(m: re.Match[str], value: float | int | None) -> bool:
    d = m["digits"]
    return bool(d and len(d) == 4 and "," not in d and "." not in d and isinstance(value, int)
                and 1600 <= value <= 2099 and not (m["pre"] or m["precode"] or m["pct"] or m["word"] or m["short"]
                                                   or m["scale"] or m["unit"] or m["postcode"] or m["postsym"]))


_AGE_LEFT = re.compile(r"(?i:\b(?:aged|age|ages|at\s+the\s+age\s+of|at\s+age))\s*$")
_AGE_APPOSITION = re.compile(r"\w\s*,\s*$")
_MAGNITUDE_LEFT = re.compile(r"(?i:\bmagnitude(?:-|\s+|\s+of\s+))$")


def _after_name(doc: Doc | None, start: int) -> bool:
    """Is the number right after a person's name and a comma ("Thomas Gray, 24,")?"""
    if doc is None:
        return False
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None or span.start < 2:
        return False
    prev = doc[span.start - 2]
    return prev.ent_type_ == "PERSON" and doc[span.start - 1].text == ","


def _counts_plural(doc: Doc | None, start: int, end: int) -> bool:
    """"2000 troops": a four-digit number that counts a plural noun is no year."""
    if doc is None:
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    head = _head_noun(span)
    return head is not None and head.tag_ in ("NNS", "NNPS")


# --- counted nouns --------------------------------------------------------------------------


def _counted(doc: Doc, f: Found) -> str | None:
    """The noun a count counts: "5.5 million refugees" -> "refugees", "hundreds of civilians"."""
    span = doc.char_span(f.start, f.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    last = span[-1]
    head = _head_noun(span)
    if head is not None:
        return _noun_text(head)
    for child in last.children:  # "hundreds of civilians", "5,000 of them" (not a noun: left out)
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.pos_ in ("NOUN", "PROPN"):
                    return _noun_text(obj)
    # the parse missed it: the next word, a plural noun ("176 people on board")
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is not None and nxt.tag_ in ("NNS", "NNPS") and nxt.idx - f.end <= 1:
        return nxt.text
    if nxt is not None and nxt.pos_ == "ADJ" and span.end + 1 < len(doc):
        nn = doc[span.end + 1]
        if nn.tag_ in ("NNS", "NNPS"):
            return nn.text
    return None


def _head_noun(span: Span) -> Token | None:
    """The noun a number modifies, just after it ("two hundred and thirty four Americans")."""
    for tok in span:
        head = tok.head
        if head.i >= span.end and tok.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod") and \
                head.pos_ in ("NOUN", "PROPN") and head.i - span.end <= 3:
            return head
    return None


def _noun_text(tok: Token) -> str:
    return tok.text


# --- finding ----------------------------------------------------------------------------------


def find_quantities(text: str, doc: Doc | None, skip: list[tuple[int, int]] | None = None) -> list[Found]:
    """Every quantity in ``text`` (``skip``: spans that belong to something else, e.g. dates)."""
    c = currencies()
    skip = skip or []
    out: list[Found] = []
    for m in _pattern().finditer(text):
        start, end = m.start(), m.end()
        if end <= start or any(s < end and start < e for s, e in skip):
            continue
        if start > 0 and text[start - 1] in "-–" and not (out and out[-1].end == start - 1):
            continue  # "737-800" after a label, "2-1" after a score: the second of a pair that is not a range
        value, magnitude, how = _num(m)
        if how == "words" and value is None:
            continue
        money_unit: str | None = None
        money = False
        if m["pre"]:
            money, money_unit = True, c.symbols.get(m["pre"])
        elif m["precode"]:
            money, money_unit = True, m["precode"]
        if m["word"]:
            wkey = " ".join(m["word"].lower().split())
            if not money:
                money, money_unit = True, c.words.get(wkey)
            elif money_unit == "USD" and c.words.get(wkey) not in (None, "USD"):
                money_unit = c.words.get(wkey)  # "$3 Canadian dollars"
        elif m["postcode"]:
            money, money_unit = True, m["postcode"]
        elif m["postsym"]:
            money, money_unit = True, c.symbols.get(m["postsym"])
        short = (m["short"] or "").strip().lower()
        # "5.5m" is five and a half million only beside money or before a plural noun; "100m" may be metres
        if short and not money:
            nxt = text[end:end + 30]
            if short in ("m", "k") and not re.match(r"^\s+[a-z]+s\b", nxt):
                if short == "m":
                    value = parse_digits(m["digits"])
                    f = Found(start, end, value, "measure", "m", None, "number and metres")
                    out.append(f)
                continue
            if short == "b":
                continue
        unit_word = (m["unit"] or "").lower()
        if money and unit_word:
            # "$5 million a year": the unit belongs elsewhere; trim it off
            end = m.start("unit") - 1
            while end > start and text[end - 1].isspace():
                end -= 1
            unit_word = ""
        if money and m["word"] and not (m["pre"] or m["precode"] or m["scale"] or short) and \
                " ".join(m["word"].lower().split()) in ("pounds", "pound") and \
                re.match(r"^\s+of\b", text[m.end("word"):]):
            out.append(Found(start, m.end("word"), value, "measure", "lb", None, "number and pounds (weight)"))
            continue  # "five pounds of sugar"
        if m["pct"]:
            pp = "point" in m["pct"].lower()
            f = Found(start, end, value, "percent", "pp" if pp else "%", None, "percentage")
        elif money:
            f = Found(start, end, value, "money", money_unit, magnitude,
                      "money" + ("" if money_unit else ": currency not known"))
        elif unit_word:
            key = " ".join(unit_word.split())
            if key in MEASURES or m["unit"] in MEASURES:
                f = Found(start, end, value, "measure", MEASURES.get(m["unit"], MEASURES.get(key)), None,
                          "number and unit")
            else:
                f = Found(start, end, value, "duration", DURATIONS[key], None, "number and unit of time")
        else:
            if how == "words" and (value == 1 and not m["words"].lower().startswith(("a ", "an "))):
                continue  # "one of them", "one man": not worth a quantity
            f = Found(start, end, value, "count", None, magnitude, "vague count" if magnitude else "count")
        if f.kind == "count" and m["digits"]:
            left = text[max(0, start - 25):start]
            if _AGE_LEFT.search(left) or (_AGE_APPOSITION.search(left) and re.match(r"^\s*[,)]", text[end:end + 2])
                                          and _after_name(doc, start)):
                f.kind, f.unit, f.why = "age", "year", "age"  # "aged 17", "Thomas Gray, 24,"
            elif _MAGNITUDE_LEFT.search(left):
                f.kind, f.unit, f.why = "measure", "magnitude", "earthquake magnitude"
        # vetoes
        if f.kind in ("count", "measure", "duration") and not (m["pre"] or m["precode"]):
            if CLOCK_AFTER.match(text[end:end + 20]):
                continue
            if _looks_like_year(m, value) and not _counts_plural(doc, start, end):
                continue
            if re.match(r"^-[A-Za-z]", text[m.end("digits") if m["digits"] else end:][:2]) and \
                    not re.match(r"^-(?:plus|strong)\b", text[m.end("digits") if m["digits"] else end:]):
                continue  # "78-year-old", "5-day": an adjective, not an amount
            if _is_label(text, doc, f, m):
                continue
            if how == "words" and doc is not None and f.kind == "count" and not _words_count_something(doc, f):
                continue
        if f.kind == "count" and how == "vague count":
            f.bound = "approx"
        out.append(f)
    out.sort(key=lambda f: f.start)
    _ranges(text, out)
    for f in out:
        if f.bound == "exact" and f.bstart < 0:
            _bound(text, f)
    if doc is not None:
        for f in out:
            if f.kind in ("count",) or (f.kind == "money" and f.value is None):
                f.counted = _counted(doc, f)
        for f in out:
            if f.upper is not None and f.counted is None and f.kind == "count":
                f.counted = f.upper.counted  # "18,250 to 63,000 visitors"
    return out


def _words_count_something(doc: Doc, f: Found) -> bool:
    """A number in words is a count only beside what it counts ("two soldiers", "three of them")."""
    span = doc.char_span(f.start, f.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    if _head_noun(span) is not None:
        return True
    return any(c.dep_ == "prep" and c.lower_ == "of" for c in span[-1].children)


def _ranges(text: str, found: list[Found]) -> None:
    """"18,250 to 63,000", "between 5 and 10 million", "$5-10bn": two ends of one range.

    The second end lends the first its scale, currency and unit ("5 to 10 million" is five
    million); the ends are a min and a max, or both approx after "around". After a verb of
    change ("rose from 5 to 7 million") the two numbers share a scale but are no range.
    """
    drop: list[Found] = []
    for a, b in pairwise(found):
        gap = text[a.end:b.start]
        word = gap.strip().lower()
        if not _RANGE_GAP.match(gap) or word == "or":
            continue
        if gap in ("-", "–") and isinstance(a.value, (int, float)) and isinstance(b.value, (int, float)) and \
                a.value >= b.value and _bare(text[b.start:b.end]) == b.value:
            drop.extend([a, b])  # "a 2-1 win", "a 3-0 vote": a score, not a range
            continue
        if a.kind == "money" and b.kind == "count" and gap in ("-", "–"):
            b.kind, b.unit, b.why = "money", a.unit, a.why  # "$5-10bn"
        if a.kind != b.kind and not (a.kind == "count" and b.kind in ("money", "percent", "measure", "duration")):
            continue
        between = _BETWEEN.search(text[max(0, a.start - 12):a.start])
        if word == "and" and not between:
            continue
        if a.unit is not None and b.unit is not None and a.unit != b.unit:
            continue  # "fell 2.5 percentage points to 5%": a change and where it ended
        if a.kind == "count" and b.kind != "count":
            a.kind, a.unit, a.why = b.kind, b.unit, b.why
        if isinstance(a.value, (int, float)) and isinstance(b.value, (int, float)) and a.value and b.value:
            bare_b = _bare(text[b.start:b.end])
            if bare_b is not None and a.value < bare_b < b.value:
                a.value = _tidy(a.value * (b.value / bare_b))
        if a.unit is None and b.unit is not None and a.kind == b.kind:
            a.unit = b.unit
        if _CHANGE_BEFORE.search(text[max(0, a.start - 40):a.start]):
            continue  # "rose from 5% to 7%", "cut by 300 to 1,200": no range
        _bound(text, a)
        if a.bound == "approx":
            b.bound, b.bstart = "approx", -1
        else:
            if between:
                a.bstart = a.start - len(between.group(0))
            a.bound, b.bound = "min", "max"
        a.why += "; lower end of a range"
        a.upper = b
        b.why += "; upper end of a range"
    for d in drop:
        if d in found:
            found.remove(d)


def _bare(text: str) -> float | int | None:
    m = re.search(DIGITS, text)
    return parse_digits(m.group(0)) if m else None


# --- the stage --------------------------------------------------------------------------------


def prepare() -> None:
    """Load what the stage reads (currencies, its pattern), before the first article."""
    currencies()
    _pattern()


def run(analysis: Analysis) -> None:
    """Fill ``record.quantities`` (after the times stage, whose spans are not quantities)."""
    text = analysis.article.text
    skip = [(t.start, t.end) for t in analysis.record.times]
    found = find_quantities(text, analysis.doc, skip)
    ids: list[str] = []
    for f in found:
        qid = f"q{len(analysis.record.quantities) + 1}"
        ids.append(qid)
        start = f.bstart if f.bstart >= 0 else f.start
        analysis.record.quantities.append(Quantity(
            id=qid, text=text[start:f.end], start=start, end=f.end, value=f.value, unit=f.unit, kind=f.kind,
            bound=f.bound, counted=f.counted, magnitude=f.magnitude, why=f.why))
    qs = analysis.record.quantities
    for i in range(1, len(found)):
        a, b = found[i - 1], found[i]
        bstart = b.bstart if b.bstart >= 0 else b.start
        if a.kind == b.kind == "money" and a.unit != b.unit and _CONVERSION_GAP.match(text[a.end:bstart]):
            q = qs[len(qs) - len(found) + i]
            q.converts = ids[i - 1]
            q.why = (q.why or "") + "; a conversion of " + ids[i - 1]
