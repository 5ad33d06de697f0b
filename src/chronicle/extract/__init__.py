"""Extract: the per-article pipeline, a pure function of one Article.

``Extractor().process(article) -> Record``; ``Extractor().pipe(articles)`` for many. No
database, no network, no state but the loaded model: that is what makes it testable with
golden files and trivially parallel.
"""

from chronicle.extract.pipeline import STAGES, ExtractFailure, Extractor, extract

__all__ = ["STAGES", "ExtractFailure", "Extractor", "extract"]
