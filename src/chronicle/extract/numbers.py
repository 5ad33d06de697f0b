"""Numbers as news writes them: "5,500", "1.5", "5.5 million", "two hundred and thirty four".

Shared by the times stage ("two weeks ago", "nineteen ninety-six") and the quantities stage.
Pure functions over strings; no spaCy.
"""

from __future__ import annotations

import re

__all__ = [
    "DIGITS",
    "SCALES",
    "WORD_NUMBER",
    "parse_digits",
    "parse_words",
    "small_number",
]

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
# scale words and their multipliers (the short forms only follow digits: "£300m", "$1.2bn")
SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
SHORT_SCALES = {
    "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
    "b": 1_000_000_000, "tn": 1_000_000_000_000, "trn": 1_000_000_000_000,
}

_WORD = "|".join(sorted([*UNITS, *TENS, "hundred", "thousand", "million", "billion", "trillion"],
                        key=len, reverse=True))
# a number written in words: "twenty-six", "two hundred and thirty four", "five million"
WORD_NUMBER = rf"(?i:\b(?:{_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}))*\b)"
# digits with thousands separators and decimals: "5,500", "1.5", "18,250", "2000"
DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"

_SPLIT = re.compile(r"[\s-]+")


def parse_digits(text: str) -> float | int:
    """ "5,500" -> 5500, "1.5" -> 1.5 (an int when it has no fraction)."""
    t = text.replace(",", "")
    return float(t) if "." in t else int(t)


def parse_words(text: str) -> int | None:
    """A number written in words: "two hundred and thirty four" -> 234; None if not one."""
    words = [w for w in _SPLIT.split(text.lower().strip()) if w and w != "and"]
    if not words:
        return None
    total, current, seen = 0, 0, False
    for w in words:
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


_SMALL = {"a": 1, "an": 1, "one": 1, "a couple of": 2, "couple of": 2, "a dozen": 12, "dozen": 12}


def small_number(text: str) -> int | None:
    """The count in "two", "a", "a dozen", "12", "twenty-one" (for "two weeks ago"); None if vague."""
    t = " ".join(text.lower().split())
    if t in _SMALL:
        return _SMALL[t]
    if t.isdigit():
        return int(t)
    return parse_words(t)
