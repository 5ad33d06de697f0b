"""Records as a human reads them (what `chronicle show` prints)."""

from __future__ import annotations

import json
import textwrap

from chronicle.record import Record
from chronicle.store.base import Duplicate

__all__ = ["render_copies", "render_record"]


def _codes(country: str | None, role: str | None) -> str:
    return "/".join(x for x in (country, role) if x) or "-"


def render_record(rec: Record) -> str:
    """A record as a human reads it."""
    a = rec.article
    out = [f"{a.title or '(no title)'}", f"  id {a.id}  published {a.published or 'unknown'}  "
           f"source {a.source or '-'}", f"  from {a.url or a.origin or '-'}", ""]
    out.append(textwrap.fill(a.text[:600] + ("…" if len(a.text) > 600 else ""), 100,
                             initial_indent="  ", subsequent_indent="  "))
    out.append(f"\nentities ({len(rec.entities)})")
    for e in rec.entities:
        names = sorted({m.text for m in e.mentions if m.kind != "pronoun"} - {e.name})
        pron = sum(1 for m in e.mentions if m.kind == "pronoun")
        extra = (f"; also {', '.join(repr(n) for n in names[:6])}" if names else "") + (
            f"; {pron} pronoun(s)" if pron else "")
        out.append(f"  {e.id:4s} {e.name} [{e.type} {_codes(e.country, e.role)}] "
                   f"{len(e.mentions)} mention(s){extra}")
    if rec.statements:
        out.append(f"\nstatements ({len(rec.statements)})")
        for s in rec.statements:
            who = s.speaker.text if s.speaker else "(no speaker)"
            notes = [s.kind] + ([s.stance] if s.stance else []) + (["negated"] if s.negated else [])
            notes += [f"{label} {p.text}" for label, p in (("target", s.target), ("to", s.addressee),
                                                           ("source", s.source)) if p is not None]
            out.append(f"  {s.id:4s} {who} —{s.cue.text if s.cue else ':'}→ {s.content.text[:120]!r} "
                       f"[{', '.join(notes)}]")
    if rec.events:
        out.append(f"\nevents ({len(rec.events)})")
        for v in rec.events:
            out.append(f"  {v.id:4s} {v.type}{'/' + v.mode if v.mode else ''} {v.status}: "
                       f"{v.actor.text if v.actor else '?'} -> {v.recipient.text if v.recipient else '?'} "
                       f"('{v.trigger.text}'{', ' + v.date.value if v.date and v.date.value else ''})")
    for label, items in (("times", rec.times), ("places", rec.places), ("quantities", rec.quantities)):
        if items:
            out.append(f"\n{label} ({len(items)})")
            for x in items:
                d = x.to_dict()
                val = {k: v for k, v in d.items() if k not in ("id", "text", "start", "end") and v is not None}
                out.append(f"  {d['id']:4s} {d['text']!r} {json.dumps(val, ensure_ascii=False)}")
    return "\n".join(out)


def render_copies(copies: list[Duplicate]) -> str:
    """The stored copies of an article (the same story republished elsewhere)."""
    out = [f"\ncopies ({len(copies)}): the same story elsewhere, not extracted again"]
    for d in copies:
        where = d.url or d.origin or "-"
        out.append(f"  {d.id}  {d.similarity:.2f}  {d.source or '-'}  {d.published or '----------'}  {where}")
    return "\n".join(out)
