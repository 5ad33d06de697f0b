"""The first-character lookahead (extract/patterns.py) must never change what a pattern finds."""

from __future__ import annotations

import re

from chronicle.extract.patterns import first_chars, with_first_chars

TEXT = (
    "KYIV, Ukraine (AP) — Late on Tuesday, 24 February 2022, two years ago to the day, Russian forces "
    "crossed the border. By Wednesday night the fighting had spread; on Feb. 25 officials said 1,200 "
    "people had fled, and TODAY the ministry said the figure was nearly 5.5 million. \"We will not "
    "leave,\" the mayor said at 1830 GMT. In mid-1996, the year-end report (fiscal 1989) was revised; "
    "the next day it was withdrawn. Christmas Day, Easter Monday and Election Day are holidays. "
    "Earlier in the week, a decade earlier, in the year two thousand and one: nineteen ninety-six. "
    "13/04/2022, 2022-02-24, the 24th of February, MAY 2022, this morning, last night, ſome days later, "
    "the \u212aelvin sign, İstanbul, ıdle words."
)


def _matches(rx: re.Pattern[str], text: str) -> list[tuple[int, int, dict[str, str | None]]]:
    return [(m.start(), m.end(), m.groupdict()) for m in rx.finditer(text)]


def test_same_matches_on_real_text() -> None:
    patterns = [
        r"(?<!\w)(?=\w)(?:(?P<d>\d{1,2})\s+(?P<m>(?i:jan|feb|may)\w*))",
        r"\b(?i:earlier|later|today|tonight)\b",
        r"(?:(?P<rel>(?i:last|this|next))\s+)?(?P<wd>Monday|Tuesday|Wednesday)",
        r"(?<![\d$])(?:1[6-9]\d\d|20\d\d)(?!\d)",
        r"(?i:some|about)\s+\d+|(?i:s)ome",  # "ſome": case folding beyond ASCII
        r"(?i:k)elvin|(?i:i)stanbul|(?i:i)dle",  # the Kelvin sign, dotted and dotless i
        r"[A-Z]{2,}\b",
    ]
    for pattern in patterns:
        plain = re.compile(pattern)
        fast = with_first_chars(plain, r"(?<!\w)" if pattern.startswith("(?<!\\w)") else "")
        assert _matches(fast, TEXT) == _matches(plain, TEXT), pattern


def test_case_insensitive_first_characters_fold_as_re_does() -> None:
    # "(?i:s)" matches the long s and "(?i:k)" the Kelvin sign: the lookahead must let them through
    for pattern, text in [(r"(?i:s)ome", "\u017fome"), (r"(?i:k)elvin", "\u212aelvin"), (r"(?i:i)dle", "\u0131dle")]:
        assert re.search(pattern, text) is not None
        assert with_first_chars(re.compile(pattern)).search(text) is not None


def test_no_claim_when_a_match_may_start_anywhere_or_be_empty() -> None:
    assert first_chars(r"\w+day") is None  # \w: too wide
    assert first_chars(r".?x") is None  # any character
    assert first_chars(r"(?:ab)?") is None  # may be empty
    assert first_chars(r"[^a]b") is None  # negated class
    assert first_chars(r"(?P<a>x)(?P=a)") == "(?=[x])"
    assert first_chars(r"(?i:ab)|\d|c") == "(?=[\\dc]|(?i:[a]))"
    assert first_chars(r"ab", re.IGNORECASE) == "(?=(?i:[a]))"


def test_global_flags_keep_the_pattern_as_it_is() -> None:
    rx = re.compile(r"(?i)may")
    assert with_first_chars(rx, r"(?<!\w)").pattern == rx.pattern  # a prefix would be an error
    assert _matches(with_first_chars(rx), "In MAY and may") == _matches(rx, "In MAY and may")


def test_times_one_scan_finds_what_each_pattern_finds() -> None:
    from chronicle.extract import times

    assert times.ANY_START is not None
    for text in (TEXT, TEXT.upper(), TEXT.lower(), "", "2022", "Tuesday", "x" * 50):
        fast = [(f.family, f.start, f.end, f.m.groupdict()) for f in times._at_starts(text)]
        each = [(f.family, f.start, f.end, f.m.groupdict()) for f in times._each(text)]
        assert sorted(fast, key=str) == sorted(each, key=str)
    assert times._at_starts(TEXT)  # the text holds dates: the comparison is not of two empty lists
