"""When and where an event happened: the time expression and the place it is attached to.

A pure function over the record: it needs no parse, so it can be tested with records whose
``times`` and ``places`` were filled by hand. The events stage passes in what it read from
the parse, as character ranges:

- ``prefer``: the phrases that modify the event's own verb or noun ("on Tuesday", "in Minsk");
- ``clause``: the event's whole clause;
- ``leave_out``: parts of the sentence that belong to other acts: clauses of their own ("after
  Turkey began an offensive on Wednesday"), appositions ("a candidate in the election on 9
  August"), and the reporting clause ("..., officials said on Tuesday": Tuesday is when
  officials spoke);
- ``report``: the reporting clause's own time, the fallback for a reported event that has none
  ("Late on Sunday, the SDF announced it had entered into an agreement");
- ``anchors``: clauses of time ("a few hours before the jet crashed on Wednesday, Iran launched
  missiles"): their time dates the event only when nothing closer does;
- ``not_places``: the actor's and recipient's phrases (the country in "US troops" is who, not
  where).

Rules, in order:
- date: a time in ``prefer``, else in the clause, else in the report, else elsewhere in the
  sentence (anchors included), never in ``leave_out``, nearest the trigger at each step; else
  none. Never the publication date: an event whose text gives no time has ``date: null``.
- place: a place in ``prefer``, else in the clause, else elsewhere in the sentence, outside
  ``leave_out`` and ``not_places``; else none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from chronicle.record import DateValue, Event, Place, Time

__all__ = ["attach_when_where"]

Range = tuple[int, int]
Item = TypeVar("Item", Time, Place)


def _inside(start: int, end: int, rng: Range) -> bool:
    return rng[0] <= start and end <= rng[1]


def _overlaps(start: int, end: int, rng: Range) -> bool:
    return start < rng[1] and rng[0] < end


def _pick(items: Sequence[Item], at: int, steps: Sequence[Sequence[Range]], avoid: Sequence[Range]) -> Item | None:
    """The item nearest ``at`` inside the first step (a list of ranges) that holds any, never
    one overlapping ``avoid``."""
    allowed = [x for x in items if not any(_overlaps(x.start, x.end, r) for r in avoid)]
    for ranges in steps:
        found = [x for x in allowed if any(_inside(x.start, x.end, r) for r in ranges)]
        if found:
            return min(found, key=lambda x: abs(x.start - at))
    return None


def attach_when_where(event: Event, times: Sequence[Time], places: Sequence[Place],
                      clause: Range | None = None, leave_out: Sequence[Range] = (), *,
                      prefer: Sequence[Range] = (), report: Sequence[Range] = (),
                      anchors: Sequence[Range] = (), not_places: Sequence[Range] = ()) -> None:
    """Set ``event.date``/``event.time`` and ``event.place`` from the record's times and places."""
    sent = (event.sentence.start, event.sentence.end)
    at = event.trigger.start
    own = [clause] if clause is not None else []
    dated = [t for t in times if t.value and _inside(t.start, t.end, sent)]
    # the report's time is only left out while the event's own clause and the rest are searched
    chosen = _pick(dated, at, [prefer, own], [*leave_out, *anchors]) or _pick(dated, at, [report], ()) or \
        _pick(dated, at, [[sent]], leave_out)
    if chosen is not None:
        event.date = DateValue(value=chosen.value, precision=chosen.precision or _precision(chosen.value))
        event.time = chosen.id
    else:
        event.date = None
        event.time = None
    here = [p for p in places if _inside(p.start, p.end, sent)]
    parties = [(x.start, x.end) for x in (event.actor,) if x is not None]
    place = _pick(here, at, [prefer, own, [sent]], [*leave_out, *anchors, *not_places, *parties])
    event.place = place.id if place is not None else None


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
