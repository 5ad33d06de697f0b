"""Where quotations are: pairs of quotation marks, by style, within and across paragraphs."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["OPENERS", "quote_spans", "quoted_tokens"]

# opening mark -> closing marks it pairs with
OPENERS: dict[str, tuple[str, ...]] = {
    "\u201c": ("\u201d",),  # “ ”
    "\u201e": ("\u201c", "\u201d"),  # „ “
    "\u00ab": ("\u00bb",),  # « »
    "\u2039": ("\u203a",),  # ‹ ›
    '"': ('"',),
}


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges inside double-style quotation marks (marks excluded).

    A quote left open at the end of a paragraph continues when the next paragraph opens one
    (the newsroom convention for a quote over several paragraphs); a stray mark that never
    closes is ignored.
    """
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        closers = OPENERS.get(ch)
        if closers is None or (ch == '"' and i + 1 < n and text[i + 1].isspace() and i > 0
                               and not text[i - 1].isspace()):
            i += 1
            continue
        start = i + 1
        j = start
        end = -1
        while j < n:
            c = text[j]
            if c in closers and j > start:
                end = j
                break
            if c == "\n":
                # paragraph ends inside the quote: it goes on if the next paragraph reopens
                k = j
                while k < n and text[k] in "\n \t":
                    k += 1
                if k < n and text[k] == ch:
                    spans.append((start, j))
                    start = k + 1
                    j = start
                    continue
                break
            j += 1
        if end < 0:
            i += 1
            continue
        spans.append((start, end))
        i = end + 1
    return spans


def quoted_tokens(doc: Doc) -> list[bool]:
    flags = [False] * len(doc)
    spans = quote_spans(doc.text)
    if not spans:
        return flags
    k = 0
    for tok in doc:
        while k < len(spans) and spans[k][1] <= tok.idx:
            k += 1
        if k < len(spans) and spans[k][0] <= tok.idx < spans[k][1]:
            flags[tok.i] = True
    return flags
