"""Calendar arithmetic for the times stage: pure functions over ``datetime.date``, no spaCy.

Every relative expression is resolved against an explicit anchor (the publication date or a
date mentioned earlier in the article), never the system clock. ``direction`` is what the
tense of the governing verb says: "past" (on or before the anchor), "future" (on or after) or
None (no tense: the anchor's own year for months, the past for weekdays, as news mostly is).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import cache

from chronicle.lexicon import read_tsv

__all__ = [
    "Resolved",
    "add_months",
    "add_years",
    "easter",
    "fmt",
    "holiday",
    "holiday_names",
    "month_range",
    "month_year",
    "monthday",
    "week_value",
    "weekday_date",
]

Resolved = tuple[str | None, str | None]  # (value, precision)


def fmt(d: date, precision: str) -> str:
    """ISO 8601 as precise as ``precision``: day "2022-05-03", month "2022-05", year "2022"."""
    if precision == "day":
        return d.isoformat()
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}"


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` months, the day clamped to the month's length."""
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def add_years(d: date, n: int) -> date:
    y = d.year + n
    return date(y, d.month, min(d.day, calendar.monthrange(y, d.month)[1]))


def month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def weekday_date(anchor: date, weekday: int, rel: str | None, direction: str | None) -> date:
    """The date of a weekday (0 = Monday) named relative to ``anchor``.

    - "last Tuesday": strictly before, 1-7 days back; "next Tuesday": strictly after, 1-7 ahead;
    - bare "Tuesday" (or "this Tuesday"): the most recent on or before the anchor, or the next on
      or after it when the tense is future. The anchor's own weekday is the anchor itself.
    """
    back = (anchor.weekday() - weekday) % 7  # days back to the most recent such day (0..6)
    if rel == "last":
        return anchor - timedelta(days=back or 7)
    if rel == "next":
        return anchor + timedelta(days=(weekday - anchor.weekday()) % 7 or 7)
    if direction == "future":
        return anchor + timedelta(days=(weekday - anchor.weekday()) % 7)
    return anchor - timedelta(days=back)


# a date ahead of the anchor counts this much farther than one behind it: news looks back
FUTURE_WEIGHT = 1.5


def _nearest(cands: list[tuple[int, int]]) -> int:
    """Index of the nearest candidate, given (years, signed distance); past preferred."""
    best = min(range(len(cands)), key=lambda i: abs(cands[i][1]) * (FUTURE_WEIGHT if cands[i][1] > 0 else 1))
    return cands[best][0]


def month_year(anchor: date, month: int, rel: str | None, direction: str | None) -> int:
    """The year of a month named without one ("in May", "last May", "next May", "this May").

    - "last May": the most recent May before the anchor's month (but not the month just ended
      when it is in the same year: that would be "last month");
    - "next May": the first May after the anchor's month; "this May": the anchor's year;
    - a bare month: on or before the anchor's month under past tense, on or after it under
      future tense, else the nearest May (one ahead counting 1.5 times one behind).
    """
    y = anchor.year
    if rel == "last":
        return y if month < anchor.month - 1 else y - 1
    if rel == "next":
        return y if month > anchor.month else y + 1
    if rel == "this":
        return y
    if direction == "past":
        return y if month <= anchor.month else y - 1
    if direction == "future":
        return y if month >= anchor.month else y + 1
    here = y * 12 + anchor.month
    return _nearest([(yy, yy * 12 + month - here) for yy in (y - 1, y, y + 1)])


def monthday(anchor: date, month: int, day: int, direction: str | None) -> date | None:
    """The date of "24 February" without a year: the most recent sensible year.

    Past tense: on or before the anchor. Future tense: on or after it. No tense: the nearest
    such day, one ahead counting 1.5 times one behind ("on 24 February" in a May article is
    this February, in a January one last February). None when the day exists in no candidate
    year (30 February); 29 February goes to the nearest leap year in the tense's direction.
    """

    def make(y: int) -> date | None:
        try:
            return date(y, month, day)
        except ValueError:
            return None

    if month == 2 and day == 29:
        step = 1 if direction == "future" else -1
        years = range(anchor.year, anchor.year + 8 * step, step)
        for y in years:
            d = make(y)
            if d is not None and (d <= anchor if direction != "future" else d >= anchor):
                return d
        return None
    this = make(anchor.year)
    if this is None:
        return None
    if direction == "past":
        return this if this <= anchor else make(anchor.year - 1)
    if direction == "future":
        return this if this >= anchor else make(anchor.year + 1)
    y = _nearest([(yy, (d - anchor).days) for yy in (anchor.year - 1, anchor.year, anchor.year + 1)
                  if (d := make(yy)) is not None])
    return make(y)


def week_value(monday: date, end: date | None = None) -> Resolved:
    """A week (Monday to Sunday, or to ``end``) as the finest calendar unit holding all of it."""
    last = end or monday + timedelta(days=6)
    if (monday.year, monday.month) == (last.year, last.month):
        return fmt(monday, "month"), "month"
    if monday.year == last.year:
        return fmt(monday, "year"), "year"
    return None, None


# --- holidays -------------------------------------------------------------------------------

_WEEKDAYS = {"MON": 0, "TUE": 1, "WED": 2, "THU": 3, "FRI": 4, "SAT": 5, "SUN": 6}
_RULE = re.compile(r"^(?:(?P<wd>MON|TUE|WED|THU|FRI|SAT|SUN)>=)?(?P<m>\d\d)-(?P<d>\d\d)$|^easter(?P<off>[+-]\d+)?$")


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@cache
def _holidays() -> dict[str, str]:
    """Lowercased name or alias -> rule, from lexicon/data/holidays.tsv."""
    out: dict[str, str] = {}
    for row in read_tsv("holidays.tsv"):
        for name in [row["name"], *[a for a in row.get("aliases", "").split("|") if a.strip()]]:
            out.setdefault(" ".join(name.lower().split()), row["rule"])
    return out


def holiday_names() -> list[str]:
    """Every holiday name and alias we know, lowercased."""
    return list(_holidays())


def holiday(name: str, year: int) -> date | None:
    """The date of a named holiday in ``year`` ("Thanksgiving Day", 1999 -> 1999-11-25)."""
    rule = _holidays().get(" ".join(name.lower().replace("\u2019", "'").split()))
    if rule is None:
        return None
    m = _RULE.match(rule)
    if m is None:
        return None
    if m.group("m") is None:
        return easter(year) + timedelta(days=int(m.group("off") or 0))
    d = date(year, int(m.group("m")), int(m.group("d")))
    if m.group("wd"):
        d += timedelta(days=(_WEEKDAYS[m.group("wd")] - d.weekday()) % 7)
    return d
