"""The runner: parse each article once with spaCy, then run the stages in order.

Each stage is a function ``run(analysis) -> None`` that adds one kind of fact to
``analysis.record``. Stages are small, named after what they find, and testable alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language

from chronicle.extract import entities, events, places, quantities, statements, times
from chronicle.extract.analysis import Analysis
from chronicle.extract.nlp import load_nlp
from chronicle.record import Article, Record

__all__ = ["STAGES", "Extractor", "extract"]

LOGGER = logging.getLogger(__name__)

Stage = Callable[[Analysis], None]

# name -> stage, in the order they run (later stages may read what earlier ones found)
STAGES: dict[str, Stage] = {
    "entities": entities.run,
    "times": times.run,
    "places": places.run,
    "quantities": quantities.run,
    "statements": statements.run,
    "events": events.run,
}


# name -> what loads the data the stage reads (once per process); a stage without one loads lazily
PREPARE: dict[str, Callable[[], None]] = {
    "entities": entities.prepare,
    "times": times.prepare,
    "quantities": quantities.prepare,
    "statements": statements.prepare,
    "events": events.prepare,
}


class ExtractFailure(Exception):
    """An article on which a stage failed; carries the stage's name."""

    def __init__(self, article: Article, stage: str, error: BaseException) -> None:
        self.article = article
        self.stage = stage
        self.error = error
        super().__init__(f"{article.origin or article.id}: {stage} stage failed ({type(error).__name__}: {error})")


class Extractor:
    """Runs the stages over articles. Create one per process: it holds the loaded model."""

    def __init__(self, stages: Iterable[str] | None = None, nlp: Language | None = None) -> None:
        names = list(stages) if stages is not None else list(STAGES)
        unknown = [n for n in names if n not in STAGES]
        if unknown:
            from chronicle.errors import ConfigError

            raise ConfigError(f"unknown stage(s) {', '.join(unknown)}; valid: {', '.join(STAGES)}")
        self.stages = [(n, STAGES[n]) for n in STAGES if n in names]
        self.nlp = nlp or load_nlp()
        for n, _ in self.stages:  # the stages' lexicons are loaded with the model, not on the first article
            prepare = PREPARE.get(n)
            if prepare is not None:
                prepare()

    def _run(self, article: Article, doc) -> Record:  # type: ignore[no-untyped-def]
        record = Record(article=article)
        analysis = Analysis(article=article, doc=doc, record=record)
        for name, stage in self.stages:
            try:
                stage(analysis)
            except Exception as e:  # one bad article must never stop a batch
                raise ExtractFailure(article, name, e) from e
        return record

    def process(self, article: Article) -> Record:
        """The record of one article."""
        return self._run(article, self.nlp(article.text))

    def pipe(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Record | ExtractFailure]:
        """Records for many articles, parsed in batches; a failure is yielded, not raised."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, batch: list[Article]) -> Iterator[Record | ExtractFailure]:
        try:
            docs = list(self.nlp.pipe([a.text for a in batch]))
        except Exception:  # noqa: BLE001  (parse one by one to find the bad article)
            docs = None
        for i, article in enumerate(batch):
            try:
                doc = docs[i] if docs is not None else self.nlp(article.text)
                yield self._run(article, doc)
            except ExtractFailure as failure:
                LOGGER.warning("%s", failure)
                yield failure
            except Exception as e:  # noqa: BLE001
                parse_failure = ExtractFailure(article, "parse", e)
                LOGGER.warning("%s", parse_failure)
                yield parse_failure


_DEFAULT: Extractor | None = None


def extract(article: Article) -> Record:
    """The record of one article, with the default stages (model loaded on first call)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT.process(article)
