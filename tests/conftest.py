"""Fixtures defined once: the loaded extractor (slow to build, shared), temp stores."""

from __future__ import annotations

import pytest

from chronicle.extract import Extractor
from chronicle.record import Article, Record
from chronicle.store import SQLiteStore


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture()
def extract(extractor):  # type: ignore[no-untyped-def]
    """extract(text, published=...) -> Record, through the real pipeline."""

    def run(text: str, published: str | None = "2022-05-03", **meta: str) -> Record:
        return extractor.process(Article(id=meta.pop("id", "t1"), text=text, published=published, **meta))

    return run


@pytest.fixture()
def store(tmp_path):  # type: ignore[no-untyped-def]
    s = SQLiteStore(str(tmp_path / "test.db"))
    yield s
    s.close()
