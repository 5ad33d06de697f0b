"""The times stage: finding dates and resolving them against the publication date.

Every example here was written for these tests.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chronicle.extract.analysis import Analysis
from chronicle.extract.timenorm import easter, holiday, month_year, monthday, weekday_date
from chronicle.extract.times import resolve_all
from chronicle.extract.times import run as times_run
from chronicle.record import Article, Record


@pytest.fixture(scope="module")
def times(extractor):  # type: ignore[no-untyped-def]
    """times(text, published) -> [(text, value, precision, result)] in text order."""

    def run(text: str, published: str | None = "2022-05-03") -> list[tuple[str, str | None, str | None]]:
        doc = extractor.nlp(text)
        return [(text[f.start:f.end].rstrip(", "), r.value, r.precision) for f, r in resolve_all(text, doc, published)]

    return run


def value_of(found: list[tuple[str, str | None, str | None]], text: str) -> str | None:
    for t, v, _ in found:
        if t == text:
            return v
    raise AssertionError(f"{text!r} not found in {found}")


# --- calendar arithmetic -------------------------------------------------------------------

DCTS = [date(2022, 5, 2) + timedelta(days=i) for i in range(7)]  # Monday 2 May .. Sunday 8 May 2022


@pytest.mark.parametrize("dct", DCTS, ids=lambda d: d.strftime("%a"))
@pytest.mark.parametrize("weekday", range(7))
def test_times_weekday_past_is_on_or_before_the_publication_date(dct: date, weekday: int) -> None:
    d = weekday_date(dct, weekday, None, "past")
    assert d.weekday() == weekday and 0 <= (dct - d).days <= 6


@pytest.mark.parametrize("dct", DCTS, ids=lambda d: d.strftime("%a"))
@pytest.mark.parametrize("weekday", range(7))
def test_times_weekday_future_is_on_or_after_the_publication_date(dct: date, weekday: int) -> None:
    d = weekday_date(dct, weekday, None, "future")
    assert d.weekday() == weekday and 0 <= (d - dct).days <= 6


@pytest.mark.parametrize("dct", DCTS, ids=lambda d: d.strftime("%a"))
@pytest.mark.parametrize("weekday", range(7))
def test_times_last_and_next_weekday_are_strict(dct: date, weekday: int) -> None:
    last, nxt = weekday_date(dct, weekday, "last", None), weekday_date(dct, weekday, "next", None)
    assert last.weekday() == weekday and 1 <= (dct - last).days <= 7
    assert nxt.weekday() == weekday and 1 <= (nxt - dct).days <= 7


@pytest.mark.parametrize(("dct", "month", "rel", "direction", "year"), [
    (date(2022, 5, 3), 12, None, "past", 2021),     # "in December" (past tense), in May: last December
    (date(2022, 5, 3), 12, None, "future", 2022),   # "will ... in December"
    (date(2022, 5, 3), 2, None, "future", 2023),    # "will ... in February"
    (date(2022, 5, 3), 2, None, None, 2022),        # no tense: the nearest February
    (date(2022, 10, 30), 1, None, None, 2023),      # no tense, January seen from October: ahead
    (date(2022, 10, 3), 6, "last", None, 2022),     # "last June" in October
    (date(2022, 3, 1), 2, "last", None, 2021),      # "last February" in March is not last month
    (date(2022, 1, 12), 12, "last", None, 2021),    # "last December" in January
    (date(2022, 2, 5), 9, "this", "past", 2022),    # "this September"
    (date(2022, 5, 3), 4, "next", None, 2023),      # "next April"
])
def test_times_month_year_by_tense(dct: date, month: int, rel: str | None, direction: str | None, year: int) -> None:
    assert month_year(dct, month, rel, direction) == year


@pytest.mark.parametrize(("dct", "direction", "expected"), [
    (date(2022, 5, 3), None, date(2022, 2, 24)),    # "on 24 February" in May: this year
    (date(2022, 1, 10), None, date(2022, 2, 24)),   # no tense, in January: six weeks ahead, not ten months back
    (date(2022, 9, 10), None, date(2022, 2, 24)),   # no tense, in September: behind
    (date(2022, 1, 10), "past", date(2021, 2, 24)),  # "left on 24 February", in January: last year
    (date(2022, 1, 10), "future", date(2022, 2, 24)),
    (date(2022, 2, 20), "past", date(2021, 2, 24)),
])
def test_times_day_and_month_take_the_most_recent_sensible_year(dct: date, direction: str | None,
                                                                expected: date) -> None:
    assert monthday(dct, 2, 24, direction) == expected


def test_times_29_february_goes_to_a_leap_year() -> None:
    assert monthday(date(2023, 5, 3), 2, 29, "past") == date(2020, 2, 29)
    assert monthday(date(2023, 5, 3), 2, 29, "future") == date(2024, 2, 29)


def test_times_holidays_by_rule() -> None:
    assert easter(2024) == date(2024, 3, 31)
    assert holiday("Thanksgiving", 2021) == date(2021, 11, 25)
    assert holiday("Good Friday", 2022) == date(2022, 4, 15)
    assert holiday("Christmas Day", 2022) == date(2022, 12, 25)
    assert holiday("Election Day", 2022) == date(2022, 11, 8)
    assert holiday("Festival of Nothing", 2022) is None


# --- finding and resolving, through the parse -----------------------------------------------

@pytest.mark.parametrize(("text", "expr", "value", "precision"), [
    ("The offensive began on 24 February 2022 in the east.", "24 February 2022", "2022-02-24", "day"),
    ("The offensive began on Feb. 24, 2022, officials said.", "Feb. 24, 2022", "2022-02-24", "day"),
    ("The offensive began on 2022-02-24 at dawn.", "2022-02-24", "2022-02-24", "day"),
    ("The siege ended in May 2022 after weeks of shelling.", "May 2022", "2022-05", "month"),
    ("The peninsula was annexed in 2014 by Russia.", "2014", "2014", "year"),
    ("The talks were held on the 24th of February, 2022.", "24th of February, 2022", "2022-02-24", "day"),
    ("The summit opened on Tuesday, March 15, 2022, in Brussels.", "Tuesday, March 15, 2022", "2022-03-15", "day"),
    ("The rebels were routed in mid-1996 after the split.", "mid-1996", "1996", "year"),
    ("Unrest returned in late November, the ministry said.", "late November", "2021-11", "month"),
    ("The nineteen ninety-six treaty still holds.", "nineteen ninety-six", "1996", "year"),
])
def test_times_absolute_and_month_forms(times, text: str, expr: str, value: str, precision: str) -> None:  # type: ignore[no-untyped-def]
    found = times(text)
    assert (expr, value, precision) in found


@pytest.mark.parametrize(("text", "expr", "value"), [
    ("The mayor resigned yesterday.", "yesterday", "2022-05-02"),
    ("The mayor will resign tomorrow.", "tomorrow", "2022-05-04"),
    ("The ministry confirmed the deal today.", "today", "2022-05-03"),
    ("Prices rose sharply last month.", "last month", "2022-04"),
    ("Elections are due next year.", "next year", "2023"),
    ("Exports fell 5% this year.", "this year", "2022"),
    ("The bridge was destroyed two weeks ago.", "two weeks ago", "2022-04-19"),
    ("The envoy left 10 days ago.", "10 days ago", "2022-04-23"),
    ("Fighting resumed earlier this month.", "earlier this month", "2022-05"),
    ("The town fell five years ago.", "five years ago", "2017"),
])
def test_times_relative_to_the_publication_date(times, text: str, expr: str, value: str) -> None:  # type: ignore[no-untyped-def]
    assert value_of(times(text), expr) == value


@pytest.mark.parametrize(("text", "value"), [
    ("Troops entered the city on Saturday.", "2022-04-30"),       # past: the Saturday before (DCT Tuesday)
    ("The minister said Tuesday that talks would go on.", "2022-05-03"),  # past, on the DCT's weekday: the DCT
    ("The ministers will meet on Saturday.", "2022-05-07"),       # future
    ("The court has scheduled a hearing for Friday.", "2022-05-06"),  # a planning verb looks ahead
    ("The team plans to leave Kyiv on Thursday.", "2022-05-05"),  # an infinitive under a planning verb
    ("The deadline was extended until Monday.", "2022-05-09"),   # a verb that moves deadlines, with until
    ("The convoy could arrive as early as Friday.", "2022-05-06"),
])
def test_times_weekday_by_tense_and_context(times, text: str, value: str) -> None:  # type: ignore[no-untyped-def]
    (found,) = [x for x in times(text) if x[2] == "day"]
    assert found[1] == value


def test_times_weekday_range_ends_after_it_starts(times) -> None:  # type: ignore[no-untyped-def]
    found = times("Three days of mourning were declared, Wednesday through Friday.", "2022-05-05")
    assert value_of(found, "Wednesday") == "2022-05-04"
    assert value_of(found, "Friday") == "2022-05-06"


def test_times_month_without_year_by_tense(times) -> None:  # type: ignore[no-untyped-def]
    assert value_of(times("The plant was shut in December."), "December") == "2021-12"
    assert value_of(times("The plant will reopen in December."), "December") == "2022-12"
    assert value_of(times("The dividend is payable Nov. 7 to holders."), "Nov. 7") == "2022-11-07"


def test_times_day_and_month_without_year(times) -> None:  # type: ignore[no-untyped-def]
    assert value_of(times("The column left on 24 February."), "24 February") == "2022-02-24"
    assert value_of(times("The column left on 24 February.", "2022-01-10"), "24 February") == "2021-02-24"


def test_times_anaphoric_expressions_follow_the_last_date(times) -> None:  # type: ignore[no-untyped-def]
    found = times("The port was seized on March 2, 2014. The next day the garrison surrendered, "
                  "and a year later the treaty was signed.")
    assert value_of(found, "The next day") == "2014-03-03"
    assert value_of(found, "a year later") == "2015"


def test_times_the_previous_weekday(times) -> None:  # type: ignore[no-untyped-def]
    found = times("The index fell on Friday, down 4% from the previous Friday.", "2022-05-09")
    assert value_of(found, "the previous Friday") == "2022-04-29"


def test_times_weeks_become_the_month_that_holds_them(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Shelling intensified last week and eased earlier this week."
    found = {text[f.start:f.end]: r for f, r in resolve_all(text, extractor.nlp(text), "2022-05-19")}
    last = found["last week"]
    assert (last.value, last.precision, last.earliest, last.latest) == ("2022-05", "month", date(2022, 5, 9),
                                                                        date(2022, 5, 15))
    this = found["earlier this week"]
    assert (this.value, this.earliest, this.latest) == ("2022-05", date(2022, 5, 16), date(2022, 5, 19))
    # a week across a month boundary is only as precise as its year
    across = {text[f.start:f.end]: r for f, r in resolve_all(text, extractor.nlp(text), "2022-05-03")}
    assert (across["last week"].value, across["last week"].precision) == ("2022", "year")


def test_times_holidays_in_text(times) -> None:  # type: ignore[no-untyped-def]
    assert value_of(times("The boy was found on Thanksgiving Day.", "2022-01-07"), "Thanksgiving Day") == "2021-11-25"
    assert value_of(times("The truce held over Christmas 2014.", None), "Christmas 2014") == "2014-12-25"


def test_times_no_publication_date_keeps_relative_expressions_without_value(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Troops withdrew on Tuesday. Talks began on 24 February 2022 and resumed last month."
    found = {text[f.start:f.end]: r for f, r in resolve_all(text, extractor.nlp(text), None)}
    assert found["Tuesday"].value is None and "publication date" in (found["Tuesday"].reason or "")
    assert found["last month"].value is None and found["last month"].reason
    assert found["24 February 2022"].value == "2022-02-24"  # absolute: no anchor needed


def test_times_no_publication_date_still_resolves_against_a_written_date(times) -> None:  # type: ignore[no-untyped-def]
    found = times("The dam was finished in 2014. A year later it failed.", None)
    assert value_of(found, "A year later") == "2015"


def test_times_anaphor_without_a_fine_enough_anchor_has_no_value(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "The company was founded in 2009. That day, its founder left."
    found = {text[f.start:f.end]: r for f, r in resolve_all(text, extractor.nlp(text), "2022-05-03")}
    assert found["That day"].value is None and "not known" in (found["That day"].reason or "")


def test_times_ambiguous_numeric_date_keeps_only_the_year(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "The order dated 03/04/2022 was revoked; a second, dated 13/04/2022, stands."
    found = {text[f.start:f.end]: r for f, r in resolve_all(text, extractor.nlp(text), "2022-05-03")}
    assert (found["03/04/2022"].value, found["03/04/2022"].precision) == ("2022", "year")
    assert "ambiguous" in (found["03/04/2022"].reason or "")
    assert found["13/04/2022"].value == "2022-04-13"


@pytest.mark.parametrize("text", [
    "Theresa May met the French president.",
    "Officials said 2000 troops had crossed the border.",
    "Some 1500 people fled the town.",
    "The first shell landed at 1830 GMT.",
    "Tourism on Easter Island has collapsed.",
    "Talks may resume, officials said.",
    "Crowds march through the capital.",
    "The council adopted resolution 2259 unanimously.",
])
def test_times_not_dates(times, text: str) -> None:  # type: ignore[no-untyped-def]
    assert times(text) == []


def test_times_stage_fills_the_record_and_links_clauses(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Russian troops shelled Kharkiv on Tuesday. The mayor said on Friday that the city had been hit."
    article = Article(id="t", text=text, published="2022-05-07")
    analysis = Analysis(article=article, doc=extractor.nlp(text), record=Record(article=article))
    times_run(analysis)
    t1, t2 = analysis.record.times
    assert (t1.id, t1.text, t1.value, t1.precision, t1.anchor) == ("t1", "Tuesday", "2022-05-03", "day", "published")
    assert text[t1.start:t1.end] == "Tuesday"
    assert t2.value == "2022-05-06"
    shelled = next(t for t in analysis.doc if t.text == "shelled")
    said = next(t for t in analysis.doc if t.text == "said")
    hit = next(t for t in analysis.doc if t.text == "hit")
    assert analysis.time_of(shelled) is t1
    assert analysis.time_of(said) is t2
    assert analysis.time_of(hit) is None  # reported under "said": not dated by the saying
