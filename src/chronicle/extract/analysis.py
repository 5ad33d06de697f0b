"""What the extract stages share about one article: the parsed Doc and the record so far.

The spaCy ``Doc`` never leaves ``extract/``: stages read it and add facts to ``record``.
The entities stage fills ``entity_of_token`` so that later stages can resolve any span
(a speaker, an actor) to the entity it names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from chronicle.record import Article, Party, Record

__all__ = ["Analysis"]


@dataclass
class Analysis:
    article: Article
    doc: Doc
    record: Record
    # token index -> id of the entity whose mention covers the token
    entity_of_token: dict[int, str] = field(default_factory=dict)
    # mention char span (start, end) -> entity id
    entity_of_span: dict[tuple[int, int], str] = field(default_factory=dict)
    _quoted: list[bool] | None = None

    # --- entities -----------------------------------------------------------------------
    def entity_at(self, start: int, end: int) -> str | None:
        """The entity a char span names: an exact mention, else the mention covering its head."""
        eid = self.entity_of_span.get((start, end))
        if eid is not None:
            return eid
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        head = span.root
        eid = self.entity_of_token.get(head.i)
        if eid is not None:
            return eid
        for tok in span:
            eid = self.entity_of_token.get(tok.i)
            if eid is not None:
                return eid
        return None

    def party(self, span: Span | Token | tuple[int, int]) -> Party:
        """A Party for a span of the text, linked to its entity with that entity's codes."""
        if isinstance(span, Token):
            start, end = span.idx, span.idx + len(span.text)
        elif isinstance(span, Span):
            start, end = span.start_char, span.end_char
        else:
            start, end = span
        text = self.article.text[start:end]
        eid = self.entity_at(start, end)
        ent = self.record.entity(eid)
        return Party(
            text=text,
            start=start,
            end=end,
            entity=eid,
            country=ent.country if ent else None,
            role=ent.role if ent else None,
        )

    # --- quotations -------------------------------------------------------------------------
    def quoted(self) -> list[bool]:
        """Per token: does it lie inside quotation marks? (computed once)."""
        if self._quoted is None:
            from chronicle.extract.quotes import quoted_tokens

            self._quoted = quoted_tokens(self.doc)
        return self._quoted
