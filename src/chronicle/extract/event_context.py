"""When and where an event happened: the time expression and the place it is attached to.

A pure function over the record: it needs no parse, so it can be tested with records whose
``times`` and ``places`` were filled by hand. The events stage passes in what it read from
the parse: the character range of the trigger's own clause, and ranges to leave out (the
reporting clause: in "Iran attacked the base, officials said on Tuesday", Tuesday is when
officials spoke, not when Iran attacked).

Rules, in order:
- date: a time expression inside the trigger's clause, nearest the trigger; else one elsewhere
  in the sentence outside the left-out ranges, nearest the trigger; else none. Never the
  publication date: an event whose text gives no time has ``date: null``.
- place: a place inside the trigger's clause, nearest the trigger; else one elsewhere in the
  sentence, outside the actor's span (the country in "Russian forces" is who, not where); else none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from chronicle.record import DateValue, Event, Place, Time

__all__ = ["attach_when_where"]

Range = tuple[int, int]


def _inside(start: int, end: int, rng: Range) -> bool:
    return rng[0] <= start and end <= rng[1]


def _overlaps(start: int, end: int, rng: Range) -> bool:
    return start < rng[1] and rng[0] < end


def _nearest(items: Iterable[Time | Place], at: int) -> Time | Place | None:
    best, dist = None, None
    for x in items:
        d = abs(x.start - at)
        if dist is None or d < dist:
            best, dist = x, d
    return best


def attach_when_where(event: Event, times: Sequence[Time], places: Sequence[Place],
                      clause: Range | None = None, leave_out: Sequence[Range] = ()) -> None:
    """Set ``event.date``/``event.time`` and ``event.place`` from the record's times and places."""
    sent = (event.sentence.start, event.sentence.end)
    at = event.trigger.start
    in_sentence = [t for t in times if _inside(t.start, t.end, sent) and t.value]
    own = [t for t in in_sentence if clause is not None and _inside(t.start, t.end, clause)]
    rest = [t for t in in_sentence if not any(_overlaps(t.start, t.end, r) for r in leave_out)]
    chosen = _nearest(own, at) or _nearest(rest, at)
    if isinstance(chosen, Time):
        event.date = DateValue(value=chosen.value, precision=chosen.precision or _precision(chosen.value))
        event.time = chosen.id
    else:
        event.date = None
        event.time = None

    actor = (event.actor.start, event.actor.end) if event.actor else None
    here = [p for p in places if _inside(p.start, p.end, sent)
            and not (actor is not None and _overlaps(p.start, p.end, actor))]
    own_p = [p for p in here if clause is not None and _inside(p.start, p.end, clause)]
    place = _nearest(own_p, at) or _nearest(here, at)
    event.place = place.id if isinstance(place, Place) else None


def _precision(value: str | None) -> str | None:
    """The precision an ISO 8601 value implies: 2022 year, 2022-05 month, 2022-05-03 day."""
    if not value:
        return None
    if len(value) == 4 and value.isdigit():
        return "year"
    if len(value) == 7 and value[4] == "-":
        return "month"
    if len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return "day"
    if "W" in value:
        return "week"
    return None
