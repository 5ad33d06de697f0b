"""What the extract stages share about one article: the parsed Doc and the record so far.

The spaCy ``Doc`` never leaves ``extract/``: stages read it and add facts to ``record``.
The entities stage fills ``entity_of_token`` so that later stages can resolve any span
(a speaker, an actor) to the entity it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from spacy.attrs import (
    DEP,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_LOWER,
    IS_PUNCT,
    IS_SPACE,
    LEMMA,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    TAG,
)
from spacy.tokens import Doc, Span, Token

from chronicle.record import Article, Party, Record, Time

__all__ = ["Analysis"]

# verbs of saying: a clause reported under one is not dated by the time of the saying
_REPORTING = {"say", "tell", "announce", "report", "add", "state", "confirm", "claim", "note", "write",
              "declare", "insist", "warn", "explain", "argue", "acknowledge", "admit", "disclose", "reveal",
              "accuse", "deny", "allege", "believe", "think", "suggest"}


@dataclass
class Analysis:
    article: Article
    doc: Doc
    record: Record
    # token index -> id of the entity whose mention covers the token
    entity_of_token: dict[int, str] = field(default_factory=dict)
    # mention char span (start, end) -> entity id
    entity_of_span: dict[tuple[int, int], str] = field(default_factory=dict)
    # time id -> token index of the time expression's head, and of the verb (or noun) it modifies
    time_heads: dict[str, int] = field(default_factory=dict)
    time_governors: dict[str, int] = field(default_factory=dict)
    _quoted: list[bool] | None = None
    _subtrees: dict[int, list[int]] = field(default_factory=dict)

    # --- per-token arrays, read once from the Doc (indexing a Doc token by token is slow) ----
    @cached_property
    def token_starts(self) -> list[int]:
        """Character offset of each token."""
        return [int(x) for x in self.doc.to_array(IDX)] if len(self.doc) else []

    @cached_property
    def sentence_of(self) -> list[int]:
        """Sentence number of each token."""
        out, n = [], -1
        for i, flag in enumerate(self.doc.to_array(SENT_START).tolist() if len(self.doc) else []):
            if flag == 1 or i == 0:
                n += 1
            out.append(n)
        return out

    def _strings(self, attr: int) -> list[str]:
        """One string attribute of every token, from ``Doc.to_array`` (each distinct value looked
        up once) rather than from a Token per word: the same strings the Token attributes give."""
        if not len(self.doc):
            return []
        col = self.doc.to_array(attr).tolist()
        strings = self.doc.vocab.strings
        value = {h: strings[h] for h in set(col)}
        return [value[h] for h in col]

    @cached_property
    def sent_start_of(self) -> list[int]:
        """Index of the first token of each token's sentence (``Token.sent.start``)."""
        out, start = [], 0
        for i, flag in enumerate(self.doc.to_array(SENT_START).tolist() if len(self.doc) else []):
            if flag == 1:
                start = i
            out.append(start)
        return out

    @cached_property
    def sent_end_of(self) -> list[int]:
        """Index after the last token of each token's sentence (``Token.sent.end``)."""
        flags = self.doc.to_array(SENT_START).tolist() if len(self.doc) else []
        out, end = [0] * len(flags), len(flags)
        for i in range(len(flags) - 1, -1, -1):
            out[i] = end
            if flags[i] == 1:
                end = i
        return out

    @cached_property
    def lowers(self) -> list[str]:
        """Lowercased text of each token (``lower_``)."""
        return self._strings(LOWER)

    @cached_property
    def texts(self) -> list[str]:
        """Text of each token."""
        return self._strings(ORTH)

    @cached_property
    def lemmas(self) -> list[str]:
        """Lemma of each token (as spaCy gives it)."""
        return self._strings(LEMMA)

    @cached_property
    def pos(self) -> list[str]:
        """Coarse part of speech of each token (``pos_``)."""
        return self._strings(POS)

    @cached_property
    def tags(self) -> list[str]:
        """Fine part-of-speech tag of each token (``tag_``)."""
        return self._strings(TAG)

    @cached_property
    def deps(self) -> list[str]:
        """Dependency label of each token (``dep_``)."""
        return self._strings(DEP)

    @cached_property
    def heads(self) -> list[int]:
        """Index of each token's head (the token itself for a root)."""
        if not len(self.doc):
            return []
        return (np.arange(len(self.doc)) + self.doc.to_array(HEAD).astype(np.int64)).tolist()  # type: ignore[no-any-return]

    @cached_property
    def children(self) -> list[Sequence[int]]:
        """Indices of each token's children, in order: what ``Token.children`` gives (every token
        whose head it is, left to right), without making a Token for each. Read only (a token
        without children shares one empty tuple)."""
        out: list[Sequence[int]] = [()] * len(self.doc)
        for i, h in enumerate(self.heads):
            if h != i:
                kids = out[h]
                if kids:
                    kids.append(i)  # type: ignore[attr-defined]
                else:
                    out[h] = [i]
        return out

    def subtree(self, i: int) -> list[int]:
        """``Token.subtree`` of token i, as indices (its left children's subtrees, itself, its
        right children's), computed once per token. The list is shared: do not change it."""
        found = self._subtrees.get(i)
        if found is None:
            kids = self.children[i]
            found = []
            for c in kids:
                if c < i:
                    found.extend(self.subtree(c))
            found.append(i)
            for c in kids:
                if c > i:
                    found.extend(self.subtree(c))
            self._subtrees[i] = found
        return found

    @cached_property
    def is_space(self) -> list[bool]:
        """Is each token white space (``Token.is_space``)?"""
        return [bool(x) for x in self.doc.to_array(IS_SPACE).tolist()] if len(self.doc) else []

    @cached_property
    def is_punct(self) -> list[bool]:
        """Is each token punctuation (``Token.is_punct``)?"""
        return [bool(x) for x in self.doc.to_array(IS_PUNCT).tolist()] if len(self.doc) else []

    @cached_property
    def is_lower(self) -> list[bool]:
        """Is each token in lower case (``Token.is_lower``)?"""
        return [bool(x) for x in self.doc.to_array(IS_LOWER).tolist()] if len(self.doc) else []

    @cached_property
    def ent_types(self) -> list[str]:
        """Named-entity label of each token ("" outside entities)."""
        return self._strings(ENT_TYPE)

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens [start, end), as ``Doc[start:end].text`` gives it (read from the
        article's text instead of joining the tokens); an end past the last token is the end."""
        end = min(end, len(self.texts))
        if end <= start:
            return ""
        return self.article.text[self.token_starts[start]:self.token_starts[end - 1] + len(self.texts[end - 1])]

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

    # --- times -------------------------------------------------------------------------------
    def time_of(self, token: int | Token, inherit: bool = True) -> Time | None:
        """The time of a token's clause (for dating an event by its trigger).

        The clause is the token's verb (the token itself, or the first verb above it). A time
        whose expression modifies that verb is the clause's own ("attacked on Tuesday"). With
        ``inherit``, a time modifying a verb higher up the same sentence is used when the clause
        has none ("On Tuesday, troops entered the town and shelled it" -> "shelled" gets Tuesday),
        except across a reporting verb ("said on Friday that troops had shelled" -> None).
        """
        i = token.i if isinstance(token, Token) else token
        if not self.time_governors:
            return None
        tok = self.doc[i]
        verb = tok
        for _ in range(8):
            if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
                break
            verb = verb.head
        by_gov: dict[int, list[str]] = {}
        for tid, g in self.time_governors.items():
            by_gov.setdefault(g, []).append(tid)
        times = {t.id: t for t in self.record.times}

        def best(ids: list[str]) -> Time | None:
            found = [times[x] for x in ids if x in times]
            rank = {"day": 0, "month": 1, "year": 2}
            found.sort(key=lambda t: (t.value is None, rank.get(t.precision or "", 3), t.start))
            return found[0] if found else None

        if verb.i in by_gov:
            return best(by_gov[verb.i])
        if i in by_gov:
            return best(by_gov[i])
        if not inherit:
            return None
        node = verb
        for _ in range(12):
            if node.head is node:
                break
            if node.dep_ in ("ccomp", "parataxis") and node.head.lemma_ in _REPORTING:
                return None
            node = node.head
            if node.i in by_gov:
                return best(by_gov[node.i])
        return None

    # --- quotations -------------------------------------------------------------------------
    def quoted(self) -> list[bool]:
        """Per token: does it lie inside quotation marks? (computed once)."""
        if self._quoted is None:
            from chronicle.extract.quotes import quoted_tokens

            self._quoted = quoted_tokens(self.doc, self.token_starts, self.article.text)
        return self._quoted
