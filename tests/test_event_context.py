"""When and where an event happened, from times and places filled in by hand (no parse)."""

from __future__ import annotations

from chronicle.extract.event_context import attach_when_where
from chronicle.record import Event, Party, Place, SentenceSpan, Span, Time

TEXT = ("Russian forces shelled Kharkiv on Tuesday, officials in Kyiv said on Wednesday. "
        "The strike came a week after talks in Istanbul in March.")


def event(trigger: str, sentence: tuple[int, int], actor: tuple[int, int] | None = None) -> Event:
    at = TEXT.index(trigger)
    return Event(id="v1", type="ASSAULT", trigger=Span(text=trigger, start=at, end=at + len(trigger)),
                 sentence=SentenceSpan(*sentence),
                 actor=Party(text=TEXT[actor[0]:actor[1]], start=actor[0], end=actor[1]) if actor else None)


def time(tid: str, text: str, value: str, precision: str | None = None) -> Time:
    at = TEXT.index(text)
    return Time(id=tid, text=text, start=at, end=at + len(text), value=value, precision=precision)


def place(pid: str, text: str, country: str = "UA") -> Place:
    at = TEXT.index(text)
    return Place(id=pid, text=text, start=at, end=at + len(text), name=text, country=country)


S1 = (0, TEXT.index(".") + 1)
S2 = (TEXT.index("The strike"), len(TEXT))
TIMES = [time("t1", "Tuesday", "2022-05-03", "day"), time("t2", "Wednesday", "2022-05-04", "day"),
         time("t3", "March", "2022-03")]
PLACES = [place("p1", "Kharkiv"), place("p2", "Kyiv"), place("p3", "Istanbul", "TR")]


def test_event_context_clause_time_and_place() -> None:
    ev = event("shelled", S1)
    clause = (0, TEXT.index(","))
    attach_when_where(ev, TIMES, PLACES, clause, leave_out=[(TEXT.index("officials"), S1[1])])
    assert ev.date is not None and (ev.date.value, ev.date.precision) == ("2022-05-03", "day")
    assert ev.time == "t1"
    assert ev.place == "p1"


def test_event_context_reporting_clause_left_out() -> None:
    """With no time in its own clause, the event does not take the time of the saying."""
    ev = event("shelled", S1)
    attach_when_where(ev, TIMES[1:], PLACES, (0, TEXT.index(" on Tuesday")),
                      leave_out=[(TEXT.index("officials"), S1[1])])
    assert ev.date is None and ev.time is None


def test_event_context_sentence_fallback_and_precision() -> None:
    ev = event("talks", S2)
    attach_when_where(ev, TIMES, PLACES, clause=None)
    assert ev.date is not None and (ev.date.value, ev.date.precision) == ("2022-03", "month")
    assert ev.place == "p3"


def test_event_context_nothing_in_sentence_is_unknown() -> None:
    """No time in the sentence: the date is unknown, never the publication date."""
    ev = event("talks", S2)
    attach_when_where(ev, TIMES[:2], PLACES[:2], clause=None)
    assert (ev.date, ev.time, ev.place) == (None, None, None)


def test_event_context_actor_is_not_the_place() -> None:
    ev = event("shelled", S1, actor=(0, len("Russian forces")))
    at = TEXT.index("Russian")
    russia = Place(id="p9", text="Russian", start=at, end=at + 7, country="RU")
    attach_when_where(ev, [], [russia], (0, TEXT.index(",")))
    assert ev.place is None


def test_event_context_report_and_anchor_fallbacks() -> None:
    """A party reporting its own act dates it by the report; a clause of time ("a week after
    ...") dates an event only when nothing closer does."""
    ev = event("talks", S2)
    after = (TEXT.index("a week after"), len(TEXT) - 1)
    attach_when_where(ev, TIMES, PLACES, clause=(S2[0], after[0]), anchors=[after])
    assert ev.date is not None and ev.date.value == "2022-03"  # only the anchor has a time
    ev = event("shelled", S1)
    said = (TEXT.index("on Wednesday"), S1[1] - 1)
    attach_when_where(ev, TIMES[1:], [], clause=(0, TEXT.index(",")), leave_out=[said], report=[said])
    assert ev.date is not None and ev.date.value == "2022-05-04"
