"""The times stage: every date the article mentions, normalised to ISO 8601 with its span.

Two passes, as HeidelTime does:

1. **Find**: regular expressions over the text, one family per kind of expression (absolute
   dates, months, weekdays, deictic words, "N units ago", anaphoric "that year", years,
   holidays), longest match wins. spaCy is used only to veto ambiguous words ("May" the name,
   "2000 people") and to read tense.
2. **Resolve**, in text order: absolute expressions need nothing; deictic ones ("Tuesday",
   "last month", "24 February") are resolved against the publication date, with the tense of
   the governing verb deciding past or future; anaphoric ones ("a year earlier", "the next
   day") against the last date the article mentioned, or the publication date when there is
   none. Without a publication date a relative expression is kept with ``value`` None and a
   ``reason``: never guessed, never read from the clock.

Values keep the text's granularity (day, month, year). A week or weekend, which has no such
unit, is given as the month (or year) that holds all of it, with ``earliest``/``latest``.

For later stages (events): ``analysis.time_heads`` maps each time's id to the token index of
its head and ``analysis.time_governors`` to the verb (or noun) it modifies;
``analysis.time_of(token_index)`` returns the time of a token's clause.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from spacy.tokens import Doc, Token

from chronicle.extract.analysis import Analysis
from chronicle.extract.numbers import WORD_NUMBER, small_number
from chronicle.extract.patterns import with_first_chars
from chronicle.extract.timenorm import (
    add_months,
    add_years,
    fmt,
    holiday,
    holiday_names,
    month_range,
    month_year,
    monthday,
    week_value,
    weekday_date,
)
from chronicle.record import Time

__all__ = ["find_times", "parse_published", "run", "tense_at"]

# --- vocabulary ------------------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MONTH_OF = {m.lower(): i + 1 for i, m in enumerate(MONTHS)}
MONTH_OF.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                 "sept": 9, "oct": 10, "nov": 11, "dec": 12})
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAY_OF = {d.lower(): i for i, d in enumerate(WEEKDAYS)}
WEEKDAY_OF.update({"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
                   "sat": 5, "sun": 6})


def _alt(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _cased(words: list[str]) -> list[str]:
    """A word as written in running text or in a headline: "May", "MAY"."""
    return [w for x in words for w in (x, x.upper())]


MONTH_NAME = rf"(?:{_alt(_cased(MONTHS))})\b"
_ABBR = ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec"]
MONTH_ABBR = rf"(?:{_alt(_cased(_ABBR))})(?:\.|\b)"
MONTH_ANY = rf"(?:{MONTH_NAME}|{MONTH_ABBR})"
WEEKDAY = rf"(?:{_alt(_cased(WEEKDAYS))}|(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri)\.)"
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
# a four-digit year, not part of a larger number, an amount or a decade ("1990s", "$2000", "2,000")
YEAR_CORE = r"(?:1[6-9]\d\d|20\d\d)"
YEAR_END = r"(?![\d%]|s\b|'s\b|,\d|\.\d|/\d|:\d)"
YEAR = rf"(?<![\d$£€¥.,/-]){YEAR_CORE}{YEAR_END}"
PART_OF_DAY = r"(?i:morning|afternoon|evening|night|overnight)"
MOD = r"(?i:early|mid|late|the\s+(?:end|beginning|start|middle|close|turn)\s+of|the\s+(?:first|second)\s+half\s+of)"
MOD_OF = {"early": "early", "mid": "mid", "late": "late", "end": "end", "close": "end", "beginning": "start",
          "start": "start", "middle": "mid", "turn": "start", "first": "early", "second": "late"}
REL = r"(?i:last|this|next|this\s+past|this\s+coming|the\s+coming|past|coming)"
UNIT = r"(?i:day|week|weekend|month|year|fortnight)"


def _rel(word: str | None) -> str | None:
    """"this past" -> last, "the coming" -> next, "this" -> this."""
    if not word:
        return None
    w = " ".join(word.lower().split())
    if "past" in w or w == "last":
        return "last"
    if "coming" in w or w == "next":
        return "next"
    return "this"


def _mod(word: str | None) -> str | None:
    if not word:
        return None
    for key, mod in MOD_OF.items():
        if key in word.lower().split() or word.lower().startswith(key):
            return mod
    return None


# --- patterns -------------------------------------------------------------------------------

_HOLIDAY = _alt([re.escape(n).replace(r"\ ", r"\s+").replace("'", "['’]?") for n in
                 ["Christmas Day", "Christmas Eve", "Christmas", "Boxing Day", "New Year's Day",
                  "New Year's Eve", "Valentine's Day", "Halloween", "Easter Sunday", "Easter Monday",
                  "Easter", "Good Friday", "Thanksgiving Day", "Thanksgiving", "Independence Day",
                  "Election Day", "Labor Day", "Memorial Day", "Veterans Day", "Armistice Day",
                  "Remembrance Day", "Martin Luther King Day", "Presidents' Day", "Columbus Day",
                  "Bastille Day", "Victory Day", "International Women's Day"]])

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(
        rf"(?<![\d-])(?P<year>{YEAR_CORE})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?![\d-])")),
    ("numeric", re.compile(r"(?<![\d/.])(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4}|\d{2})(?![\d/]|\.\d)")),
    ("month", re.compile(
        rf"(?:(?P<wd>{WEEKDAY}),?\s+(?:the\s+)?)?"
        rf"(?:(?P<mod>{MOD})[\s-]+)?"
        rf"(?:(?P<rel>{REL})\s+)?"
        rf"(?:(?P<d1>{DAY})\s+(?:(?i:of)\s+)?(?P<m1>{MONTH_ANY})"
        rf"|(?P<m2>{MONTH_ANY})\s+(?:the\s+)?(?P<d2>{DAY})"
        rf"|(?P<m3>{MONTH_NAME}))"
        rf"(?:,?\s+(?:(?i:of)\s+)?(?P<year>{YEAR})|\s+(?P<yrel>(?i:last|this|next))\s+(?i:year))?")),
    ("holiday", re.compile(rf"(?:(?P<rel>{REL})\s+)?(?P<name>(?:{_HOLIDAY}))\b(?:,?\s+(?P<year>{YEAR}))?")),
    ("weekday", re.compile(
        rf"(?:(?P<mod>(?i:early|late|earlier|later))\s+)?"
        rf"(?:(?P<rel>{REL})\s+|(?P<nrel>(?i:the\s+(?:previous|preceding|following|next)))\s+)?(?P<wd>{WEEKDAY})(?!\w)"
        rf"(?:\s+(?P<pod>{PART_OF_DAY})\b)?")),
    ("deictic", re.compile(
        rf"\b(?:(?P<mod>(?i:early|late|earlier|later))\s+)?(?P<word>(?i:today|tonight|yesterday|tomorrow))\b"
        rf"(?:\s+(?P<pod>{PART_OF_DAY})\b)?"
        rf"|\b(?P<this>(?i:this))\s+(?P<pod2>{PART_OF_DAY})\b"
        rf"|\b(?i:the\s+day\s+(?P<around>before\s+yesterday|after\s+tomorrow))\b"
        rf"|\b(?P<last>(?i:last))\s+(?P<night>(?i:night))\b")),
    ("relunit", re.compile(
        rf"\b(?:(?P<mod>(?i:earlier|later|early|late|the\s+(?:end|beginning|start|middle|rest)\s+of))[\s-]+)?"
        rf"(?:(?P<rel>{REL}|(?i:the\s+(?:past|previous|current|coming|last)))\s+)"
        rf"(?P<fiscal>(?i:fiscal|calendar)\s+)?(?P<unit>{UNIT})\b(?!-)")),
    ("inthe", re.compile(r"\b(?P<mod>(?i:earlier|later))\s+(?i:in)\s+the\s+(?P<unit>(?i:week|month|year))\b")),
    ("yearend", re.compile(r"\b(?:(?i:the\s+)?(?P<which>(?i:year|month))(?:[-\s](?i:end)|(?i:['’]s\s+end))|"
                           r"(?i:the\s+end\s+of\s+the\s+)(?P<which2>(?i:year|month)))\b")),
    ("ago", re.compile(
        rf"\b(?:(?P<approx>(?i:nearly|almost|about|some|roughly|around|just|only|barely|more\s+than|over|less\s+than|"
        rf"exactly|precisely))\s+)?"
        rf"(?P<n>\d+|{WORD_NUMBER}|(?i:an?|a\s+few|few|several|a\s+couple\s+of|a\s+dozen|many|some))\s+"
        rf"(?P<unit>(?i:days?|weeks?|fortnights?|months?|years?|decades?))"
        rf"(?P<orso>\s+(?i:or\s+so))?\s+"
        rf"(?P<dir>(?i:ago|earlier|later|before|after|from\s+now|hence|previously|back|on(?=\s*[,.;:]|\s+from\b)))\b")),
    ("yearago", re.compile(r"\b(?P<unit>(?i:year|month|week))-(?P<dir>(?i:earlier|ago|before))\b")),
    ("anaphor", re.compile(
        r"\b(?:(?P<mod>(?i:earlier|later|early|late))\s+)?(?i:that)\s+(?P<unit>(?i:day|week|month|year|morning|"
        r"afternoon|evening|night|weekend))\b"
        r"|\b(?i:the\s+)(?P<rel>(?i:same|following|next|previous|preceding|prior))\s+"
        r"(?P<unit2>(?i:day|week|month|year|morning|afternoon|evening|night|weekend))\b"
        r"|\b(?i:the\s+)(?P<unit3>(?i:day|week|month|year))\s+(?P<rel3>(?i:before|after|earlier|later))\b")),
    # "for the year", "the full year", "the fiscal year": the year being reported on
    ("theyear", re.compile(
        r"\b(?i:the\s+)(?P<q>(?i:full|whole|entire|fiscal|financial)\s+)?(?i:year)\b"
        r"(?!\s+(?i:of|when|that|in\s+which|which|before|after|earlier|later|ago|to\s+date|and|or)\b|['’-])")),
    ("year", re.compile(
        rf"(?:(?P<mod>{MOD}|(?i:fiscal|calendar|financial\s+year|the\s+year|the\s+summer\s+of|the\s+spring\s+of|"
        rf"the\s+autumn\s+of|the\s+fall\s+of|the\s+winter\s+of|summer|spring|autumn|fall|winter|post|pre))"
        rf"(?:\s+|-)(?P<year>{YEAR_CORE}){YEAR_END}|(?<![\w-])(?P<year2>{YEAR}))")),
    ("spelled_year", re.compile(
        r"\b(?i:(?:the\s+year\s+)?(?P<c19>nineteen)[\s-]+(?P<tens>twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
        r"(?:[\s-]+(?P<unit>one|two|three|four|five|six|seven|eight|nine))?"
        r"|(?P<y2k>the\s+year\s+two\s+thousand)(?:\s+(?:and\s+)?(?P<unit2>one|two|three|four|five|six|seven|eight|nine"
        r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?)\b")),
]
# every expression starts a word: checked first, this also makes the search several times faster;
# then the characters its matches can start with (read off the pattern: the same matches, sooner)
PATTERNS = [(name, with_first_chars(re.compile(r"(?<!\w)(?=\w)(?:" + rx.pattern + ")"), r"(?<!\w)"))
            for name, rx in PATTERNS]
PRIORITY = {name: i for i, (name, _) in enumerate(PATTERNS)}


def _any_of(patterns: list[tuple[str, re.Pattern[str]]]) -> re.Pattern[str] | None:
    """One pattern that finds, in one pass, every position where one of ``patterns`` matches
    (their alternation inside a lookahead, groups unnamed); None if they cannot be joined."""
    try:
        return re.compile(r"(?<!\w)(?=\w)(?=" + "|".join(
            "(?:" + re.sub(r"\(\?P<\w+>", "(?:", rx.pattern) + ")" for _, rx in patterns) + ")")
    except re.error:
        return None


ANY_START = _any_of(PATTERNS)


@dataclass(slots=True)
class Found:
    family: str
    start: int
    end: int
    m: re.Match[str]


def _each(text: str) -> list[Found]:
    """Every match of every pattern (each pattern's search over the whole text)."""
    cands: list[Found] = []
    for name, rx in PATTERNS:
        for m in rx.finditer(text):
            if m.end() > m.start():
                cands.append(Found(name, m.start(), m.end(), m))
    return cands


def _at_starts(text: str) -> list[Found]:
    """What ``_each`` finds, faster: one scan gives the positions where some pattern matches,
    and each pattern is tried there only, after its previous match, as its own search would."""
    if ANY_START is None:
        return _each(text)
    cands: list[Found] = []
    ends = [0] * len(PATTERNS)  # where each pattern's search goes on from
    for hit in ANY_START.finditer(text):
        at = hit.start()
        for k, (name, rx) in enumerate(PATTERNS):
            if at < ends[k]:
                continue
            m = rx.match(text, at)
            if m is not None:
                if m.end() <= at:  # an empty match (none of ours can be one): search as before
                    return _each(text)
                cands.append(Found(name, at, m.end(), m))
                ends[k] = m.end()
    return cands


def find_times(text: str) -> list[Found]:
    """Candidate time expressions, longest first where they overlap, in text order."""
    cands = _at_starts(text)
    cands.sort(key=lambda f: (-(f.end - f.start), PRIORITY[f.family], f.start))
    taken: list[Found] = []
    for f in cands:
        if all(f.end <= t.start or f.start >= t.end for t in taken):
            taken.append(f)
    taken.sort(key=lambda f: f.start)
    return taken


# --- tense ----------------------------------------------------------------------------------

REPORTING = {"say", "tell", "announce", "report", "add", "state", "confirm", "claim", "note", "write",
             "declare", "insist", "warn", "explain", "argue", "acknowledge", "admit", "disclose", "reveal"}
FUTURE_AUX = {"will", "'ll", "shall", "wo", "ll", "would", "'d"}
# verbs whose object or complement lies ahead of them: "scheduled a news conference Thursday"
PLAN_VERBS = {"schedule", "reschedule", "postpone", "delay", "defer", "adjourn", "slate", "plan", "reconvene"}
# verbs whose infinitive complement lies ahead: "is expected to join in April", "due to expire Nov. 6"
PLAN_HEADS = PLAN_VERBS | {"expect", "intend", "hope", "aim", "prepare", "want", "seek", "decide", "agree", "vow",
                           "promise", "threaten", "propose", "set", "due", "ready", "likely", "able", "go", "be",
                           "wish", "need", "have", "try", "call", "urge", "ask", "order"}
# verbs that move a deadline: "extended to Nov. 16", "postponed until Tuesday"
DEFER_VERBS = {"extend", "postpone", "delay", "defer", "adjourn", "push", "move", "suspend", "give", "grant",
               "reschedule", "set", "put"}


def _verb_of(tok: Token) -> Token | None:
    """The verb an expression hangs from: climb the heads to the first verb or auxiliary."""
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX"):
            return tok
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _verb_tense(v: Token, depth: int = 0) -> str | None:
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    if not auxes and v.dep_ == "conj" and v.tag_ in ("VB", "VBN", "VBG") and v.head.pos_ in ("VERB", "AUX"):
        # "will stay ... and return on Friday": the second verb shares the first one's auxiliaries
        auxes = [c for c in v.head.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & FUTURE_AUX:
        return "future"
    if v.lemma_ in PLAN_VERBS:
        # "a service planned for Saturday was cancelled": a participle takes its clause's tense
        return None if v.dep_ in ("acl", "amod") else "future"
    if "to" in words and v.tag_ == "VB":  # an infinitive: "plans to meet on Friday"
        head = v.head if v.head is not v else None
        if head is None:
            return None
        if head.lemma_ == "be":  # "is to meet" lies ahead; "was to meet" may lie behind
            return "future" if head.tag_ in ("VBZ", "VBP") else None
        if head.lemma_ in PLAN_HEADS:
            return "future"
        if head.pos_ in ("VERB", "AUX") and depth < 3:
            t = _verb_tense(head, depth + 1)
            return "future" if t in ("present", "future", None) else None
        return None
    if "going" in words:
        return "future"
    if v.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if v.tag_ == "VBN" and words & {"has", "have", "'ve", "'s"}:
        return "past"
    if v.tag_ in ("VBP", "VBZ") or words & {"is", "are", "am", "'re", "'m"}:
        return "present-report" if v.lemma_ in REPORTING else "present"
    if v.tag_ == "VBG" and v.dep_ in ("ROOT", "conj"):
        return "present"
    return None


def governing_verb(doc: Doc, start: int, end: int) -> Token | None:
    """The verb a span hangs from (through the dependency heads), else the nearest in its sentence."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verb = _verb_of(span.root)
    if verb is None:
        sent = span.sent
        before = [t for t in sent if t.i < span.start and t.pos_ in ("VERB", "AUX")]
        after = [t for t in sent if t.i >= span.end and t.pos_ in ("VERB", "AUX")]
        verb = before[-1] if before else (after[0] if after else None)
    return verb


def tense_at(doc: Doc, start: int, end: int) -> str | None:
    """The tense governing a span: past, future, present, present-report (says), or None.

    The governing verb is found through the dependency heads; if the span hangs from no verb,
    the last verb before it in the sentence is used, else the first after it. Verbs of planning
    ("scheduled a meeting Thursday", "is expected to join in April") count as future.
    """
    verb = governing_verb(doc, start, end)
    return _verb_tense(verb) if verb is not None else None


# words just before a date that put it ahead: "payable Dec. 7", "until 9 a.m. Tuesday";
# weak ones only where the tense does not say past ("by February", "through January")
_CLOCK = (r"(?:(?:at\s+)?(?:\d{1,2}(?:[:.]\d\d)?\s*(?:a\.m\.|p\.m\.|am|pm|GMT|UTC)|noon|midnight)\s+"
          r"(?:[A-Z]{2,4},?\s+)?)?")
_STRONG_CUE = re.compile(
    r"(?i:\b(?:payable|effective|due|expires?|expiring|of\s+record|takes?\s+effect|as\s+early\s+as|as\s+soon\s+as|"
    r"no\s+later\s+than|not\s+before|scheduled\s+for|set\s+for|slated\s+for|planned\s+for|"
    r"record\s+date\s+is|"
    r"deadline\s+(?:of|is))\s+(?:on\s+|in\s+)?(?:the\s+)?)" + _CLOCK + r"$")
_WEAK_CUE = re.compile(
    r"(?i:\b(?:until|till|through|by|to|starting|beginning)\s+(?:on\s+)?(?:the\s+)?)" + _CLOCK + r"$")
# the gap between the two weekdays of a range: "Wednesday through Friday", "Monday-Thursday"
_RANGE_END = re.compile(r"^\s*(?:through|thru|to|until|till|-|–|—)\s*$", re.I)
_DEADLINE_AFTER = re.compile(r"^(?:'s)?\s+(?i:deadline|target\s+date)")


# --- resolution -----------------------------------------------------------------------------

NO_DCT = "relative to the publication date, which is unknown"


@dataclass(slots=True)
class Result:
    value: str | None
    precision: str | None
    anchor: str | None
    why: str
    mod: str | None = None
    earliest: date | None = None
    latest: date | None = None
    reason: str | None = None


@dataclass
class Context:
    doc: Doc | None
    dct: date | None
    text: str = ""
    last: tuple[date, str, int] | None = None  # the last date the text mentioned: date, precision, end
    tenses: dict[tuple[int, int], str | None] = field(default_factory=dict)

    def tense(self, f: Found) -> str | None:
        if self.doc is None:
            return None
        key = (f.start, f.end)
        if key not in self.tenses:
            self.tenses[key] = tense_at(self.doc, f.start, f.end)
        return self.tenses[key]

    def direction(self, f: Found, kind: str) -> str | None:
        """Which way a date without a year (or a bare weekday) lies from the publication date.

        "future" under a future or planning verb or after a cue like "payable", "effective",
        "until" (with a verb that moves deadlines); "past" under a past verb; otherwise weekdays
        look back (news mostly reports) and months are left to the nearest reading (None).
        """
        t = self.tense(f)
        if t == "future":
            return "future"
        if _DEADLINE_AFTER.match(self.text[f.end:f.end + 20]):
            return "future"
        # a cue word before a date that modifies a noun belongs to the noun ("by the Feb. 23 accord")
        left = self.text[max(0, f.start - 60):f.start] if not self._modifies_noun(f) else ""
        if _STRONG_CUE.search(left):
            return "future"
        weak = _WEAK_CUE.search(left)
        if weak is not None:
            word = weak.group(0).split()[0].lower()
            verb = governing_verb(self.doc, f.start, f.end) if self.doc is not None else None
            if verb is not None and verb.lemma_ in DEFER_VERBS and word in ("until", "till", "to", "through"):
                return "future"
            if t not in ("past", "present-report") and word != "to":
                return "future"
        if t in ("past", "present-report"):
            return "past"
        if kind == "weekday":
            return "past"
        return None

    def _modifies_noun(self, f: Found) -> bool:
        if self.doc is None:
            return False
        span = self.doc.char_span(f.start, f.end, alignment_mode="expand")
        if span is None or span.end >= len(self.doc):
            return False
        nxt = self.doc[span.end]
        return nxt.pos_ in ("NOUN", "PROPN") and nxt.i > span.root.i and span.root.head.i >= nxt.i

    def narrative(self) -> tuple[date, str, str] | None:
        """The anchor of an anaphoric expression: the last date mentioned, else the publication date."""
        if self.last is not None:
            return self.last[0], self.last[1], "narrative"
        if self.dct is not None:
            return self.dct, "day", "published"
        return None


def _none(why: str, reason: str, mod: str | None = None) -> Result:
    return Result(None, None, None, why, mod=mod, reason=reason)


def _two_digit_year(y: str) -> int:
    n = int(y)
    if len(y) == 4:
        return n
    return 2000 + n if n < 50 else 1900 + n


def _day(y: int, mo: int, d: int) -> date | None:
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def r_iso(f: Found, ctx: Context) -> Result | None:
    d = _day(int(f.m["year"]), int(f.m["month"]), int(f.m["day"]))
    return Result(fmt(d, "day"), "day", "absolute", "iso date") if d else None


def r_numeric(f: Found, ctx: Context) -> Result | None:
    a, b, y = int(f.m["a"]), int(f.m["b"]), _two_digit_year(f.m["year"])
    if "." in f.m.group(0) and len(f.m["year"]) == 2:
        return None  # "1.5.22" reads as a version or a score more often than a date
    if a > 12 and b <= 12:
        d = _day(y, b, a)
        why = "numeric date, day first (first part over 12)"
    elif b > 12 and a <= 12:
        d = _day(y, a, b)
        why = "numeric date, month first (second part over 12)"
    elif a == b:
        d = _day(y, a, b)
        why = "numeric date, day and month equal"
    else:
        if a > 12 and b > 12:
            return None
        return Result(str(y), "year", "absolute", "numeric date, ambiguous day/month order", reason=(
            "day and month order ambiguous (both 12 or under); only the year is certain"))
    return Result(fmt(d, "day"), "day", "absolute", why) if d else None


def _year_from_rel(ctx: Context, yrel: str) -> int | None:
    if ctx.dct is None:
        return None
    return ctx.dct.year + {"last": -1, "this": 0, "next": 1}[yrel.lower()]


def r_month(f: Found, ctx: Context) -> Result | None:
    m = f.m
    mname = m["m1"] or m["m2"] or m["m3"]
    month = MONTH_OF[mname.lower().rstrip(".")]
    dtext = m["d1"] or m["d2"]
    day = int(re.sub(r"\D", "", dtext)) if dtext else None
    mod, rel = _mod(m["mod"]), _rel(m["rel"])
    if day is not None and mod is not None:
        return None  # "late 24 May" is not a form we know
    year: int | None = None
    anchor = "absolute"
    if m["year"]:
        year = int(m["year"])
    elif m["yrel"]:
        year = _year_from_rel(ctx, m["yrel"])
        anchor = "published"
        if year is None:
            return _none("month with a relative year", NO_DCT, mod)
    if year is not None:
        if day is None:
            return Result(f"{year:04d}-{month:02d}", "month", anchor, "month and year", mod=mod)
        d = _day(year, month, day)
        if d is None:
            return None
        return Result(fmt(d, "day"), "day", anchor, "day, month and year" + (", weekday given" if m["wd"] else ""))
    # no year: the publication date decides
    if ctx.dct is None:
        return _none("day and month without a year" if day else "month without a year", NO_DCT, mod)
    if day is not None:
        if m["wd"]:  # "Tuesday, March 15": the year whose March 15 is a Tuesday, near the DCT
            wd = WEEKDAY_OF[m["wd"].lower().rstrip(".")]
            for y in (ctx.dct.year, ctx.dct.year - 1, ctx.dct.year + 1):
                d0 = _day(y, month, day)
                if d0 is not None and d0.weekday() == wd:
                    return Result(fmt(d0, "day"), "day", "published", "weekday, day and month: the year that fits")
        d = monthday(ctx.dct, month, day, ctx.direction(f, "month"))
        if d is None:
            return None
        return Result(fmt(d, "day"), "day", "published", f"day and month, year by tense ({ctx.tense(f) or 'none'})")
    y = month_year(ctx.dct, month, rel, ctx.direction(f, "month"))
    why = f"{rel} month" if rel else f"month, year by tense ({ctx.tense(f) or 'none'})"
    return Result(f"{y:04d}-{month:02d}", "month", "published", why, mod=mod)


def r_holiday(f: Found, ctx: Context) -> Result | None:
    name = f.m["name"]
    rel = _rel(f.m["rel"])
    if f.m["year"]:
        d = holiday(name, int(f.m["year"]))
        return Result(fmt(d, "day"), "day", "absolute", "holiday and year") if d else None
    if ctx.dct is None:
        return _none("holiday without a year", NO_DCT)
    this = holiday(name, ctx.dct.year)
    if this is None:
        return None
    direction = ctx.direction(f, "month")
    if rel == "last" or (rel is None and direction == "past"):
        d = this if this < ctx.dct else holiday(name, ctx.dct.year - 1)
    elif rel == "next" or (rel is None and direction == "future"):
        d = this if this > ctx.dct else holiday(name, ctx.dct.year + 1)
    elif rel == "this":
        d = this
    else:  # the nearest one, looking back rather than ahead
        prev, nxt = holiday(name, ctx.dct.year - 1), holiday(name, ctx.dct.year + 1)
        dct = ctx.dct
        cands = [x for x in (prev, this, nxt) if x is not None]
        d = min(cands, key=lambda x: abs((x - dct).days) * (1.5 if x > dct else 1))
    return Result(fmt(d, "day"), "day", "published", "holiday, year by tense") if d else None


def r_weekday(f: Found, ctx: Context) -> Result | None:
    wd = WEEKDAY_OF[f.m["wd"].lower().rstrip(".")]
    rel = _rel(f.m["rel"])
    if f.m["nrel"]:  # "the previous Friday": the Friday before the date under discussion
        nar = ctx.narrative()
        if nar is None or nar[1] != "day":
            return _none("the previous/following weekday", "relative to an earlier day, and there is none")
        after = any(w in f.m["nrel"].lower() for w in ("following", "next"))
        d = weekday_date(nar[0], wd, "next" if after else "last", None)
        return Result(fmt(d, "day"), "day", nar[2], "the previous/following weekday")
    if ctx.dct is None:
        return _none("weekday", NO_DCT)
    if ctx.last is not None and ctx.last[1] == "day" and rel is None and \
            _RANGE_END.search(ctx.text[ctx.last[2]:f.start]):
        # "Wednesday through Friday", "from Monday to Thursday": the end follows the start
        d = weekday_date(ctx.last[0], wd, "next", None)
        return Result(fmt(d, "day"), "day", "published", "weekday ending a range")
    direction = ctx.direction(f, "weekday")
    d = weekday_date(ctx.dct, wd, rel if rel in ("last", "next") else None, direction)
    why = f"{rel} weekday" if rel in ("last", "next") else f"weekday, by tense ({ctx.tense(f) or 'none'})"
    return Result(fmt(d, "day"), "day", "published", why)


def r_deictic(f: Found, ctx: Context) -> Result | None:
    m = f.m
    if ctx.dct is None:
        return _none("today/yesterday/tomorrow", NO_DCT)
    if m["word"]:
        off = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[m["word"].lower()]
        why = m["word"].lower()
    elif m["this"]:
        off, why = 0, "this morning/evening"
    elif m["around"]:
        off = -2 if "before" in m["around"].lower() else 2
        why = "the day before yesterday / after tomorrow"
    else:
        off, why = -1, "last night"
    d = ctx.dct + timedelta(days=off)
    return Result(fmt(d, "day"), "day", "published", why)


def _unit(word: str) -> str:
    w = word.lower()
    return "week" if w == "fortnight" else w


def r_relunit(f: Found, ctx: Context) -> Result | None:
    m = f.m
    unit = _unit(m["unit"])
    relw = " ".join(m["rel"].lower().split())
    rel: str | None
    modw = " ".join((m["mod"] or "").lower().split())
    if relw in ("the past", "the previous", "the last") and unit in ("week", "month", "year", "day"):
        # "the past year" counts back from today: a duration ending now, named by its unit
        rel = "last" if unit != "day" else "this"
    elif relw in ("the current",):
        rel = "this"
    elif relw == "the coming":
        rel = "next"
    else:
        rel = _rel(relw)
    if unit == "day":
        return None  # "this day", "the past day": not dates we can place
    if ctx.dct is None:
        return _none(f"{relw} {unit}", NO_DCT)
    dct = ctx.dct
    step = {"last": -1, "this": 0, "next": 1}[rel or "this"]
    mod = None
    earliest = latest = None
    mod = None if modw.startswith("earlier") or modw.startswith("later") else _mod(modw) if modw else None
    if unit == "year":
        y = dct.year + step
        if m["fiscal"]:
            pass  # fiscal years vary by company and country; named by the year they end in, as here
        if modw.startswith("earlier") and step == 0:
            earliest, latest = date(y, 1, 1), dct
        if modw.startswith("later") and step == 0:
            earliest, latest = dct, date(y, 12, 31)
        return Result(f"{y:04d}", "year", "published", f"{relw} year", mod=mod, earliest=earliest, latest=latest)
    if unit == "month":
        d = add_months(dct.replace(day=1), step)
        if modw.startswith("earlier") and step == 0:
            earliest, latest = d, dct
        if modw.startswith("later") and step == 0:
            earliest, latest = dct, month_range(d.year, d.month)[1]
        return Result(fmt(d, "month"), "month", "published", f"{relw} month", mod=mod, earliest=earliest,
                      latest=latest)
    # weeks and weekends: the month (or year) holding all of them
    monday = dct - timedelta(days=dct.weekday()) + timedelta(weeks=step)
    if unit == "weekend":
        start, end = monday + timedelta(days=5), monday + timedelta(days=6)
        if rel is None or (rel == "this" and dct.weekday() < 5 and ctx.direction(f, "weekday") == "past"):
            start, end = start - timedelta(weeks=1), end - timedelta(weeks=1)
    else:
        start, end = monday, monday + timedelta(days=6)
        if modw.startswith("earlier") and step == 0:
            end = dct
        elif modw.startswith("later") and step == 0:
            start = dct
    value, precision = week_value(start, end)
    return Result(value, precision, "published", f"{relw} {unit}", mod=mod, earliest=start, latest=end,
                  reason=None if value else "a week across two years")


def r_inthe(f: Found, ctx: Context) -> Result | None:
    unit = f.m["unit"].lower()
    if ctx.dct is None:
        return _none(f"earlier/later in the {unit}", NO_DCT)
    dct = ctx.dct
    if unit == "year":
        return Result(fmt(dct, "year"), "year", "published", f"in the {unit}")
    if unit == "month":
        return Result(fmt(dct, "month"), "month", "published", f"in the {unit}")
    monday = dct - timedelta(days=dct.weekday())
    value, precision = week_value(monday, monday + timedelta(days=6))
    return Result(value, precision, "published", "in the week", earliest=monday, latest=monday + timedelta(days=6))


def r_yearend(f: Found, ctx: Context) -> Result | None:
    which = (f.m["which"] or f.m["which2"]).lower()
    if ctx.dct is None:
        return _none(f"{which} end", NO_DCT, "end")
    if which == "year":
        return Result(fmt(ctx.dct, "year"), "year", "published", "year end", mod="end")
    return Result(fmt(ctx.dct, "month"), "month", "published", "month end", mod="end")


def _shift(d: date, unit: str, n: int) -> tuple[date, str]:
    if unit == "day":
        return d + timedelta(days=n), "day"
    if unit == "week":
        return d + timedelta(weeks=n), "day"
    if unit == "month":
        return add_months(d, n), "month"
    if unit == "decade":
        return add_years(d, 10 * n), "year"
    return add_years(d, n), "year"


_COARSER = {"day": 0, "month": 1, "year": 2}


def r_ago(f: Found, ctx: Context) -> Result | None:
    m = f.m
    unit = _unit(m["unit"].lower().rstrip("s"))
    n = small_number(m["n"])
    dirw = " ".join(m["dir"].lower().split())
    approx = m["approx"] or m["orso"]
    mod = "approx" if approx and approx.lower().split()[0] in ("nearly", "almost", "about", "some", "roughly",
                                                                "around", "or") else None
    if dirw == "on":
        if unit != "year" and unit != "day":
            return None
        dirw = "later"
    if n is None:
        return _none("a vague number of units ago", "vague: no number of units", mod)
    if dirw in ("ago", "back", "from now", "hence"):
        if ctx.dct is None:
            return _none(f"N {unit}s {dirw}", NO_DCT, mod)
        base, base_prec, anchor = ctx.dct, "day", "published"
    else:
        nar = ctx.narrative()
        if nar is None:
            return _none(f"N {unit}s {dirw}", "relative to an earlier date, and there is none", mod)
        base, base_prec, anchor = nar
    sign = 1 if dirw in ("later", "after", "from now", "hence") else -1
    d, precision = _shift(base, unit, sign * n)
    if _COARSER[base_prec] > _COARSER[precision]:
        precision = base_prec  # "a day later" after "in May" is still only May
    if mod == "approx" and precision == "day" and unit in ("week", "month"):
        precision = "month"
    return Result(fmt(d, precision), precision, anchor, f"{n} {unit}(s) {dirw}", mod=mod)


def r_yearago(f: Found, ctx: Context) -> Result | None:
    unit = f.m["unit"].lower()
    if ctx.dct is None:
        return _none(f"{unit}-earlier", NO_DCT)
    d, precision = _shift(ctx.dct, unit, -1)
    if unit == "week":
        precision = "day"
    return Result(fmt(d, precision), precision, "published", f"{unit}-earlier (the same period a {unit} before)")


def r_anaphor(f: Found, ctx: Context) -> Result | None:
    m = f.m
    unit = (m["unit"] or m["unit2"] or m["unit3"]).lower()
    relw = (m["rel"] or m["rel3"] or "that").lower()
    nar = ctx.narrative()
    if nar is None:
        return _none(f"{relw} {unit}", "relative to an earlier date, and there is none")
    base, base_prec, anchor = nar
    if unit in ("morning", "afternoon", "evening", "night"):
        unit = "day"
    step = 0
    if relw in ("following", "next", "after", "later"):
        step = 1
    elif relw in ("previous", "preceding", "prior", "before", "earlier"):
        step = -1
    if unit in ("week", "weekend"):
        start = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
        end = start + timedelta(days=6)
        if base_prec != "day":
            return None
        value, precision = week_value(start, end)
        return Result(value, precision, anchor, f"{relw} {unit}", earliest=start, latest=end)
    d, precision = _shift(base, unit, step)
    if _COARSER[base_prec] > _COARSER[precision]:
        # "that day" or "the next day" after "in May" or "in 2014": which day is not known
        return _none(f"{relw} {unit}",
                     f"the {unit} referred to is not known (the last date mentioned is a {base_prec})")
    return Result(fmt(d, precision), precision, anchor, f"{relw} {unit}", mod=_mod(m["mod"]) if m["mod"] else None)


def r_theyear(f: Found, ctx: Context) -> Result | None:
    if ctx.dct is None:
        return _none("the year", NO_DCT)
    return Result(fmt(ctx.dct, "year"), "year", "published", "the (full, fiscal) year: the current one")


def r_year(f: Found, ctx: Context) -> Result | None:
    y = int(f.m["year"] or f.m["year2"])
    modw = (f.m["mod"] or "").lower()
    mod = _mod(modw)
    if any(s in modw for s in ("summer", "spring", "autumn", "fall", "winter")):
        mod = None
    if modw in ("post", "pre"):
        mod = "after" if modw == "post" else "before"
    return Result(f"{y:04d}", "year", "absolute", "fiscal year" if "fiscal" in modw else "year", mod=mod)


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}


def r_spelled_year(f: Found, ctx: Context) -> Result | None:
    m = f.m
    if m["c19"]:
        y = 1900 + _TENS[m["tens"].lower()] + (small_number(m["unit"]) or 0 if m["unit"] else 0)
    else:
        y = 2000 + (small_number(m["unit2"]) or 0 if m["unit2"] else 0)
    return Result(f"{y:04d}", "year", "absolute", "year in words")


RESOLVERS: dict[str, Callable[[Found, Context], Result | None]] = {
    "iso": r_iso, "numeric": r_numeric, "month": r_month, "holiday": r_holiday, "weekday": r_weekday,
    "deictic": r_deictic, "relunit": r_relunit, "inthe": r_inthe, "yearend": r_yearend, "ago": r_ago,
    "yearago": r_yearago, "anaphor": r_anaphor, "theyear": r_theyear, "year": r_year, "spelled_year": r_spelled_year,
}


# --- vetoes: words that look like dates but are not -----------------------------------------

AMBIGUOUS_MONTHS = {"may", "march", "june", "april", "august"}
DATE_PREPS = {"in", "since", "until", "till", "by", "from", "of", "during", "before", "after", "through", "between",
              "and", "to", "early", "late", "mid", "last", "this", "next", "-", "or", "each", "every",
              "throughout", "on", "for", "around", "past", "coming", "that", "following", "end", "beginning", ","}


HOLIDAY_PREPS = {"on", "since", "before", "after", "until", "till", "by", "over", "during", "at", "around", "ahead",
                 "last", "this", "next", "of", "through", "from", "eve"}


def _tokens(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def accept(f: Found, doc: Doc | None, text: str) -> bool:
    """False for a match that is not a date in this context (checked with the parse)."""
    m = f.m
    if f.family == "month" and m["m3"] and not (m["wd"] or m["mod"] or m["rel"] or m["year"] or m["yrel"]):
        word = m["m3"]
        if word.lower() in AMBIGUOUS_MONTHS:
            if doc is None:
                return False
            toks = _tokens(doc, f.start, f.end)
            if not toks:
                return False
            tok = toks[0]
            if tok.ent_type_ in ("PERSON", "ORG", "FAC", "WORK_OF_ART", "GPE"):
                return False
            prev = doc[tok.i - 1] if tok.i > 0 else None
            if prev is None or (prev.is_sent_start and prev.is_title and prev.lower_ not in DATE_PREPS):
                return tok.ent_type_ == "DATE"
            if prev.lower_ not in DATE_PREPS and tok.ent_type_ != "DATE":
                return False
            if word.lower() == "may" and tok.tag_ == "MD":
                return False
    if f.family == "year" and m["year2"]:
        if doc is None:
            return True
        toks = _tokens(doc, f.start, f.end)
        if not toks:
            return True
        tok = toks[-1]
        # "2000 people", "1500 UTC", "at 1830 GMT": a count or a clock time, not a year; but "the
        # 1996 law", "a 1971 convention", "its 1990 invasion" are years
        prev = doc[tok.i - 1] if tok.i > 0 else None
        determined = prev is not None and (prev.pos_ in ("DET", "PRON") or prev.tag_ in ("PRP$", "POS", "WP$"))
        if tok.dep_ == "nummod" and tok.head.i > tok.i and tok.head.tag_ in ("NNS", "NNPS") and not determined:
            return False
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ in ("gmt", "utc", "hours", "hrs", "est", "edt", "bst", "cet", "cest", "msk",
                                              "local", "km", "kilometres", "kilometers", "miles", "metres", "meters",
                                              "people", "troops", "soldiers", "dollars", "euros", "pounds", "tons",
                                              "tonnes", "%", "percent", "per"):
            return False
        if prev is not None and prev.lower_ in ("at", "about", "around", "nearly", "some", "flight", "no.", "number",
                                                "resolution", "article", "route", "highway", "page", "room",
                                                "model", "rs", "us$", "rs.", "over", "than", "approximately",
                                                "roughly", "to"):
            # "at 1830", "some 2000", "resolution 2259", "rose to 2000": not years; "to 2025" is ambiguous
            return bool(prev.lower_ == "to" and tok.ent_type_ == "DATE")
    if f.family == "ago" and m["dir"].lower() in ("before", "after", "on", "earlier", "later") and doc is not None:
        # "two days after the attack" is relative to the attack, not to a date: keep only when
        # the expression ends its phrase ("two days later, ...", "a year earlier")
        if m["dir"].lower() in ("before", "after"):
            rest = text[f.end:f.end + 12].lstrip()
            if rest[:1].isalnum() and not rest.lower().startswith(("that", "and", "but", "when")):
                return False
    if f.family == "anaphor" and m["rel3"] and m["rel3"].lower() in ("before", "after"):
        rest = text[f.end:f.end + 12].lstrip()
        if rest[:1].isalnum() and not rest.lower().startswith(("that", "and", "but", "when")):
            return False
    if f.family == "holiday":
        after = text[f.end:f.end + 30]
        if re.match(r"^\s+[A-Z][a-z]", after) and not f.m["year"]:
            return False  # part of a name: "Easter Island", "Christmas Charity"
        if not (m["rel"] or m["year"]) and doc is not None:
            # a holiday is a date only where the text uses it as one: "on Christmas Day",
            # "since Thanksgiving", "was found Thanksgiving Day"; not "her love for Halloween"
            toks = _tokens(doc, f.start, f.end)
            if not toks:
                return False
            prev = doc[toks[0].i - 1] if toks[0].i > 0 else None
            root = toks[-1]
            temporal = prev is not None and prev.lower_ in HOLIDAY_PREPS
            if not temporal and root.dep_ not in ("npadvmod", "tmod"):
                return False
    if f.family == "weekday" and doc is not None:
        toks = _tokens(doc, f.start, f.end)
        if toks and any(t.ent_type_ in ("ORG", "PERSON", "WORK_OF_ART", "FAC") for t in toks if t.text in WEEKDAYS):
            # "Bloody Sunday", "Black Monday" stay dates; "Good Friday Agreement" is a name
            nxt = doc[toks[-1].i + 1] if toks[-1].i + 1 < len(doc) else None
            if nxt is not None and nxt.is_title and nxt.ent_type_ == toks[-1].ent_type_:
                return False
    return True


# --- the stage ------------------------------------------------------------------------------


def parse_published(published: str | None) -> date | None:
    """The publication date, if the article gives a whole one (YYYY-MM-DD, or a timestamp)."""
    if not published:
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", published.strip())
    if not m:
        return None
    return _day(int(m[1]), int(m[2]), int(m[3]))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a trailing comma or sentence dot the pattern swallowed (keeping "Sept." and "Feb.")."""
    while end > start and text[end - 1] in ", ":
        end -= 1
    return start, end


# "a year earlier" is counted from the date under discussion but does not become it: in
# "up from $4m a year earlier ... compared with $2m a year earlier" both are the same year
CHAINLESS = {"ago", "yearago"}


def resolve_all(text: str, doc: Doc | None, published: str | None) -> list[tuple[Found, Result]]:
    """Find and resolve every time expression (the stage without a record: testable alone)."""
    ctx = Context(doc=doc, dct=parse_published(published), text=text)
    out: list[tuple[Found, Result]] = []
    for f in find_times(text):
        if not accept(f, doc, text):
            continue
        res = RESOLVERS[f.family](f, ctx)
        if res is None:
            continue
        out.append((f, res))
        if res.value is not None and res.precision is not None and f.family not in CHAINLESS:
            y, mo, d = ([*res.value.split("-"), "01", "01"])[:3]
            ctx.last = (date(int(y), int(mo), int(d)), res.precision, f.end)
    return out


def prepare() -> None:
    """Load what the stage reads (the holidays), before the first article."""
    holiday_names()


def run(analysis: Analysis) -> None:
    """Fill ``record.times`` (and the token links later stages use to date their clauses)."""
    text = analysis.article.text
    doc = analysis.doc
    for f, res in resolve_all(text, doc, analysis.article.published):
        start, end = _trim(text, f.start, f.end)
        tid = f"t{len(analysis.record.times) + 1}"
        analysis.record.times.append(Time(
            id=tid, text=text[start:end], start=start, end=end, value=res.value, precision=res.precision,
            mod=res.mod, anchor=res.anchor,
            earliest=res.earliest.isoformat() if res.earliest else None,
            latest=res.latest.isoformat() if res.latest else None,
            reason=res.reason, why=res.why))
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            analysis.time_heads[tid] = span.root.i
            gov = _verb_of(span.root)
            analysis.time_governors[tid] = gov.i if gov is not None else span.root.head.i
