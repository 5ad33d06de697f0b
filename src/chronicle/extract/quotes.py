"""Where quotations are: pairs of quotation marks, by style, within and across paragraphs.

Marks are paired by type, an opening mark with a closing mark that fits it (after the CoreNLP
QuoteAnnotator and textacy's fix for curly apostrophes; see ../shared/PRIOR-ART-statements.md):
“…”, „…“, «…», ‹…›, "…", and at the top level (outside a double quotation) ‘…’ and '…'. A
quotation left open at the end of a paragraph goes on when the next paragraph opens one again
(the newsroom convention for a quotation over several paragraphs); a stray mark that never
closes is ignored, never an error. Offsets are character offsets into the text, marks excluded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc

__all__ = ["OPENERS", "Quote", "quotations", "quote_spans", "quoted_tokens"]

# opening mark -> closing marks it pairs with
OPENERS: dict[str, tuple[str, ...]] = {
    "\u201c": ("\u201d",),  # “ ”
    "\u201e": ("\u201c", "\u201d"),  # „ “
    "\u00ab": ("\u00bb",),  # « »
    "\u2039": ("\u203a",),  # ‹ ›
    '"': ('"',),
}
SINGLE_OPENERS: dict[str, tuple[str, ...]] = {
    "\u2018": ("\u2019",),  # ‘ ’
    "'": ("'",),
}
# what may stand right before an opening mark, and right after a closing one
_BEFORE_OPEN = set(" \t\n([{\u2014\u2013-/:;,")
_AFTER_CLOSE = set(" \t\n.,;:!?)]}\u2014\u2013-\u2026")
_MARKS = re.compile("[" + re.escape("".join([*OPENERS, *SINGLE_OPENERS, "`"])) + "]")
_PUNCT_BEFORE_CLOSE = set(".,;:!?\u2026\u2014\u2013-")


@dataclass(frozen=True, slots=True)
class Quote:
    """One quotation: its text inside the marks, one piece per paragraph it runs over."""

    pieces: tuple[tuple[int, int], ...]
    mark: str  # the opening mark

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def _opens_double(text: str, i: int) -> bool:
    if text[i] != '"':
        return True
    n = len(text)
    # a straight mark right after a word and before a space closes rather than opens
    return not (i + 1 < n and text[i + 1].isspace() and i > 0 and not text[i - 1].isspace())


def _opens_single(text: str, i: int) -> bool:
    n = len(text)
    if i + 1 >= n or not (text[i + 1].isalnum() or text[i + 1] in "\"\u201c"):
        return False
    if i > 0 and text[i - 1] not in _BEFORE_OPEN and text[i - 1] not in "\"\u201c":
        return False  # inside a word: an apostrophe (don't, Putin's)
    # '80s, 'em, 'til: an elided word, not a quotation
    return not (text[i + 1].isdigit() and i + 3 < n and text[i + 3] in "s " and text[i + 2].isdigit())


def _closes_single(text: str, j: int, start: int) -> bool:
    if j <= start or text[j - 1].isspace():
        return False
    after = text[j + 1] if j + 1 < len(text) else "\n"
    if text[j - 1] in _PUNCT_BEFORE_CLOSE:
        return True
    if after.isalnum():
        return False  # an apostrophe inside a word
    # "the voters’ anger": a plural possessive, not a closing mark
    return after != " " or (j + 2 < len(text) and not text[j + 2].islower())


@cache
def _stops(marks: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(marks)) + "\n]")


def _scan(text: str, i: int, opener: str, closers: tuple[str, ...], single: bool) -> Quote | None:
    """The quotation opened by the mark at i, or None when the mark is stray."""
    n = len(text)
    pieces: list[tuple[int, int]] = []
    start = i + 1
    j = start
    stops = _stops((*closers, opener))
    while j <= n:
        m = stops.search(text, j)
        j = m.start() if m is not None else n
        c = text[j] if j < n else "\n"  # the end of the text ends the paragraph
        if c == opener == "\u201c" and j > start and text[j - 1] in ",.!?" and (j + 1 >= n or text[j + 1].isspace()):
            pieces.append((start, j))  # a closing mark typed the wrong way round: \u201cYes,\u201c she said
            return Quote(tuple(pieces), opener)
        if c in closers and j > start and (not single or _closes_single(text, j, start)) and (
            c != '"' or j == start or not text[j - 1].isspace() or j + 1 >= n or text[j + 1] in _AFTER_CLOSE
        ):
            pieces.append((start, j))
            return Quote(tuple(pieces), opener)
        if c == "\n":
            # the paragraph ends inside the quotation: it goes on if the next paragraph reopens
            k = j
            while k < n and text[k] in "\n \t\r":
                k += 1
            if k < n and text[k] == opener and j > start:
                pieces.append((start, j))
                start = k + 1
                j = start
                continue
            if pieces or j - start < 2 or single:
                return None
            # an opening mark never closed in its paragraph: the quotation ends with it, unless
            # another mark of its kind stands there (then the mark is stray)
            para = text[start:j]
            if any(c in para for c in (opener, *closers)) or text[j - 1] not in ".!?,…—-":
                return None
            pieces.append((start, j))
            return Quote(tuple(pieces), opener)
        j += 1
    return None


def _opens_doubled(text: str, i: int) -> bool:
    """Two apostrophes (or backticks) opening a quotation, a style some newsrooms' systems
    write: ''We will win,'' she said."""
    n = len(text)
    if i + 2 >= n or text[i + 2].isspace() or text[i + 2] == "'":
        return False
    return i == 0 or text[i - 1] in _BEFORE_OPEN or text[i - 1] in "\"\u201c"


def _scan_doubled(text: str, i: int) -> Quote | None:
    """The quotation opened by '' (or ``) at i, closed by '' after a word, over paragraphs."""
    n = len(text)
    opener = text[i : i + 2]
    pieces: list[tuple[int, int]] = []
    start = i + 2
    j = start
    while j < n - 1:
        if text[j] == "'" and text[j + 1] == "'" and j > start and not text[j - 1].isspace():
            pieces.append((start, j))
            return Quote(tuple(pieces), opener)
        if text[j] == "\n":
            k = j
            while k < n and text[k] in "\n \t\r":
                k += 1
            if text.startswith(opener, k) and j > start:
                pieces.append((start, j))
                start = k + 2
                j = start
                continue
            return None
        j += 1
    return None


def quotations(text: str) -> list[Quote]:
    """Every quotation of the text, in order; nested quotations are part of the outer one."""
    out: list[Quote] = []
    i, n = 0, len(text)
    while i < n:
        m = _MARKS.search(text, i)
        if m is None:
            break
        i = m.start()
        ch = text[i]
        q = None
        if ch in "'`" and text.startswith(ch * 2, i) and _opens_doubled(text, i):
            q = _scan_doubled(text, i)
            if q is not None:
                out.append(q)
                i = q.end + 2
                continue
        if ch in OPENERS and _opens_double(text, i):
            q = _scan(text, i, ch, OPENERS[ch], single=False)
        elif ch in SINGLE_OPENERS and _opens_single(text, i):
            q = _scan(text, i, ch, SINGLE_OPENERS[ch], single=True)
        if q is None:
            i += 1
            continue
        out.append(q)
        i = q.end + 1
    return out


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (marks excluded), one per paragraph piece."""
    return [p for q in quotations(text) for p in q.pieces]


def quoted_tokens(doc: Doc, starts: list[int] | None = None, text: str | None = None) -> list[bool]:
    """Per token: does it lie inside quotation marks? (``starts``: the tokens' offsets, and
    ``text``: the Doc's text, if known: ``Doc.text`` joins every token anew on each call)"""
    flags = [False] * len(doc)
    spans = quote_spans(doc.text if text is None else text)
    if not spans:
        return flags
    if starts is None:
        starts = [t.idx for t in doc]
    k = 0
    for i, idx in enumerate(starts):
        while k < len(spans) and spans[k][1] <= idx:
            k += 1
        if k < len(spans) and spans[k][0] <= idx < spans[k][1]:
            flags[i] = True
    return flags
