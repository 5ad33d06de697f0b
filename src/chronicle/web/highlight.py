"""An article's text cut into segments, each knowing which facts cover it (the reader's highlights).

Facts overlap (a mention inside a statement's content, a time inside an event's sentence), so
the text is cut at every fact boundary; each segment carries the layers and fact keys that cover
it. The template escapes each segment's text; nothing here builds HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chronicle.record import Record

__all__ = ["LAYERS", "Fact", "Segment", "facts_of", "segments"]

# layer key -> label, in the order the reader lists them
LAYERS = {
    "ent": "entities",
    "stm": "statements",
    "evt": "events",
    "tim": "times",
    "plc": "places",
    "qty": "quantities",
}


@dataclass(slots=True)
class Fact:
    """One fact of the record as the reader shows it: a key unique in the page (``ent-e1``),
    its layer, a one-line label and its spans (with a css class each)."""

    key: str
    layer: str
    label: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Segment:
    text: str
    start: int
    classes: list[str]
    keys: list[str]
    titles: list[str]


def _codes(*parts: Any) -> str:
    return "/".join(str(p) for p in parts if p) or "-"


def facts_of(rec: Record) -> list[Fact]:
    """Every fact of a record with its label and spans, grouped by layer."""
    out: list[Fact] = []
    ents = {e.id: e for e in rec.entities}
    for e in rec.entities:
        out.append(Fact(f"ent-{e.id}", "ent", f"{e.name} · {e.type} · {_codes(e.country, e.role)}",
                        [(m.start, m.end, "l-ent") for m in e.mentions], e.to_dict()))
    for s in rec.statements:
        spans = [(s.content.start, s.content.end, "l-cnt")]
        if s.speaker:
            spans.append((s.speaker.start, s.speaker.end, "l-spk"))
        if s.cue:
            spans.append((s.cue.start, s.cue.end, "l-cue"))
        who = s.speaker.text if s.speaker else "(no speaker)"
        if s.speaker and s.speaker.entity in ents:
            who = ents[s.speaker.entity].name
        out.append(Fact(f"stm-{s.id}", "stm",
                        f"{who} {s.cue.text if s.cue else '—'}: {s.kind}{', ' + s.stance if s.stance else ''}",
                        spans, s.to_dict()))
    places = {p.id: p for p in rec.places}
    for v in rec.events:
        spans = [(v.trigger.start, v.trigger.end, "l-evt")]
        for party in (v.actor, v.recipient):
            if party and party.end > party.start:
                spans.append((party.start, party.end, "l-evp"))
        actor = v.actor.text if v.actor else "?"
        recipient = v.recipient.text if v.recipient else "?"
        where = f" at {places[v.place].name or places[v.place].text}" if v.place in places else ""
        when = f" on {v.date.value}" if v.date and v.date.value else ""
        out.append(Fact(f"evt-{v.id}", "evt",
                        f"{v.type}{'/' + v.mode if v.mode else ''} ({v.status}): {actor} → {recipient}{when}{where}",
                        spans, v.to_dict()))
    for t in rec.times:
        out.append(Fact(f"tim-{t.id}", "tim", f"{t.text} → {t.value or '?'} ({t.precision or '-'})",
                        [(t.start, t.end, "l-tim")], t.to_dict()))
    for p in rec.places:
        point = f" {p.lat:.4f},{p.lon:.4f}" if p.lat is not None and p.lon is not None else ""
        out.append(Fact(f"plc-{p.id}", "plc", f"{p.text} → {p.name or '?'} ({p.country or '-'}){point}",
                        [(p.start, p.end, "l-plc")], p.to_dict()))
    for q in rec.quantities:
        value = f"{q.value:,}" if isinstance(q.value, int | float) else "?"
        out.append(Fact(f"qty-{q.id}", "qty", f"{q.text} → {value} {q.unit or ''} ({q.kind}, {q.bound})",
                        [(q.start, q.end, "l-qty")], q.to_dict()))
    return out


def segments(text: str, facts: list[Fact]) -> list[Segment]:
    """The text cut at every span boundary; each piece lists the facts covering it."""
    n = len(text)
    opens: dict[int, list[tuple[str, str, str]]] = {}
    closes: dict[int, list[tuple[str, str, str]]] = {}
    bounds = {0, n}
    for f in facts:
        for start, end, css in f.spans:
            s, e = max(0, min(start, n)), max(0, min(end, n))
            if e <= s:
                continue
            item = (f.key, css, f.label)
            opens.setdefault(s, []).append(item)
            closes.setdefault(e, []).append(item)
            bounds.update((s, e))
    cuts = sorted(bounds)
    active: dict[tuple[str, str, str], int] = {}
    out: list[Segment] = []
    for i, pos in enumerate(cuts[:-1]):
        for item in closes.get(pos, []):
            active[item] -= 1
            if active[item] == 0:
                del active[item]
        for item in opens.get(pos, []):
            active[item] = active.get(item, 0) + 1
        piece = text[pos:cuts[i + 1]]
        if not active:
            out.append(Segment(piece, pos, [], [], []))
            continue
        keys = list(dict.fromkeys(k for k, _, _ in active))
        classes = sorted({c for _, c, _ in active})
        titles = list(dict.fromkeys(t for _, _, t in active))
        out.append(Segment(piece, pos, classes, keys, titles))
    return out
