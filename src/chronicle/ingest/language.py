"""Which language an article is written in, offline (py3langid ships its model in the wheel).

``detect(article)`` sets ``article.language`` to an ISO 639-1 code when the text says so with
confidence, and keeps what the source declared (``<html lang>``, a JSONL field) otherwise.
The runner skips articles outside the languages asked for (English by default: the extraction
pipeline is English) with the reason "language xx"; the record keeps ``article.language`` so
other languages can be let in when their pipelines exist.
"""

from __future__ import annotations

import threading
from typing import Any

from chronicle.record import Article

__all__ = ["MIN_CONFIDENCE", "detect", "identify", "normalise", "prepare"]

MIN_CONFIDENCE = 0.8  # below this, the text does not say clearly; keep what the source declared
SHORT_CHARS = 200  # a text shorter than this must be clearer still (MIN_CONFIDENCE_SHORT)
MIN_CONFIDENCE_SHORT = 0.95
MIN_CHARS = 40  # fewer characters than this say too little to tell
SAMPLE_CHARS = 3000  # the opening of the text is enough, and keeps long articles cheap

_LOCK = threading.Lock()
_IDENTIFIER: Any = None


def _identifier() -> Any:
    global _IDENTIFIER
    with _LOCK:
        if _IDENTIFIER is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _IDENTIFIER


def prepare() -> None:
    """Load the language model now (it is loaded on first use otherwise, about half a second)."""
    _identifier()


def normalise(code: str | None) -> str | None:
    """'en-US', 'EN_gb', 'en' -> 'en'; None and junk -> None."""
    if not code:
        return None
    head = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return head if head.isalpha() and 2 <= len(head) <= 3 else None


def identify(text: str) -> tuple[str | None, float]:
    """(language code, confidence) of a text; (None, 0.0) when it is too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return None, 0.0
    lang, conf = _identifier().classify(sample)
    return str(lang), float(conf)


def detect(article: Article) -> str | None:
    """The article's language (also set on ``article.language``), or None when unknown."""
    sample = ((article.title or "") + "\n" + article.text).strip()
    lang, conf = identify(sample)
    needed = MIN_CONFIDENCE if len(sample) >= SHORT_CHARS else MIN_CONFIDENCE_SHORT
    if lang is not None and conf >= needed:
        article.language = lang
    else:
        article.language = normalise(article.language)
    return article.language
