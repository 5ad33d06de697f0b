"""Ingest: plain text, JSONL, HTML, directories and globs, and every kind of bad input."""

from __future__ import annotations

import gzip

import pytest

from chronicle.errors import InputError
from chronicle.ingest import Failure, expand_paths, read_sources
from chronicle.ingest.files import decode, read_bytes
from chronicle.ingest.text import split_title
from chronicle.record import Article

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Kyiv talks resume | Example News</title>
<meta property="og:title" content="Kyiv talks resume">
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2022-03-29T10:00:00Z">
<link rel="canonical" href="https://news.example.org/kyiv-talks">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Kyiv talks resume</h1>
<p>Negotiators from Russia and Ukraine met in Istanbul on Tuesday for their first face-to-face talks in weeks,
the Turkish foreign ministry said in a statement after the session ended.</p>
<p>The Ukrainian delegation proposed a neutral status for the country in exchange for security guarantees,
while the Russian side said it would scale down operations around the capital.</p>
<p>Observers cautioned that the gap between the two sides remained wide and that fighting continued in the east.</p>
</article>
<footer>Share this article. Follow us. Copyright Example News.</footer>
</body></html>"""


def read_all(*specs: str, **kw: str) -> list[Article | Failure]:
    return list(read_sources(specs, **kw))


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Ceasefire talks stall\n\nThe talks stalled on Monday.", "Ceasefire talks stall"),
        ("The talks stalled on Monday. Both sides blamed each other.\nMore later.", None),
        ("Only one line without a break", None),
    ],
)
def test_text_title_is_first_line_when_it_looks_like_one(text: str, title: str | None) -> None:
    assert split_title(text)[0] == title


def test_text_file_reads_title_and_body(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "a.txt"
    p.write_text("Grain deal signed\n\nUkraine and Russia signed the deal in Istanbul.\n", encoding="utf-8")
    (a,) = read_all(str(p), published="2022-07-22")
    assert isinstance(a, Article)
    assert a.title == "Grain deal signed"
    assert a.text == "Ukraine and Russia signed the deal in Istanbul."
    assert a.published == "2022-07-22"
    assert a.origin == str(p)


def test_jsonl_keeps_given_ids_and_reports_bad_lines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "arts.jsonl"
    p.write_text(
        '{"id": "gold-1", "title": "T", "published": "2022-05-03T09:00:00Z", "url": null, '
        '"source": "Wire", "text": "Text one."}\n'
        "not json at all\n"
        '{"id": "gold-2", "text": ""}\n'
        '{"title": "no id", "text": "Text three."}\n',
        encoding="utf-8",
    )
    items = read_all(str(p))
    assert [type(i).__name__ for i in items] == ["Article", "Failure", "Failure", "Article"]
    assert items[0].id == "gold-1" and items[0].published == "2022-05-03" and items[0].source == "Wire"
    assert items[1].origin.endswith("arts.jsonl:2") and "invalid JSON" in items[1].reason
    assert "no 'text'" in items[2].reason
    assert len(items[3].id) == 16


def test_html_file_main_text_and_metadata(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "page.html"
    p.write_text(PAGE, encoding="utf-8")
    (a,) = read_all(str(p))
    assert isinstance(a, Article)
    assert a.title == "Kyiv talks resume"
    assert a.text.startswith("Negotiators from Russia and Ukraine met in Istanbul")
    assert "Home" not in a.text and "Copyright" not in a.text
    assert a.source == "Example News"
    assert a.published == "2022-03-29"
    assert a.url == "https://news.example.org/kyiv-talks"


def test_gzipped_html_and_sniffed_kind(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "noext").write_text(PAGE, encoding="utf-8")
    items = read_all(str(tmp_path))
    assert [i.title for i in items] == ["Kyiv talks resume"] * 2  # type: ignore[union-attr]


def test_directory_and_glob_expansion(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "b.txt").write_text("B body text.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A body text.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.txt").write_text("C body text.", encoding="utf-8")
    assert [p.rsplit("/", 1)[1] for p in expand_paths([str(tmp_path)])] == ["a.txt", "b.txt", "c.txt"]
    assert [p.rsplit("/", 1)[1] for p in expand_paths([str(tmp_path / "*.txt")])] == ["a.txt", "b.txt"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x00\x01\x02\x03binary\x00junk" * 50, "not text (binary data)"),
        (gzip.compress(b"<html><body>" + b"<p>word</p>" * 1000)[:60], "truncated gzip"),
        (b"   \n\n  ", "empty article"),
    ],
)
def test_bad_inputs_fail_with_one_line_naming_the_input(tmp_path, content: bytes, reason: str) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    (f,) = read_all(str(p))
    assert isinstance(f, Failure)
    assert reason in f.reason
    assert str(f).startswith(str(p)) and "\n" not in str(f)


def test_missing_file_and_bad_file_do_not_stop_the_batch(tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.txt"
    good.write_text("A good article body.", encoding="utf-8")
    items = read_all(str(tmp_path / "missing.txt"), str(good))
    assert isinstance(items[0], Failure) and "no such file" in items[0].reason
    assert isinstance(items[1], Article)


def test_hostile_html_is_a_failure_not_a_crash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "bomb.html"
    p.write_text("<html><body>" + "<div>" * 50_000 + "x" + "</div>" * 10 + "</body></html>", encoding="utf-8")
    items = read_all(str(p))
    assert len(items) == 1  # an Article or a Failure, never an exception


def test_file_size_cap(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "big.txt"
    p.write_bytes(b"a" * 2000)
    with pytest.raises(InputError, match="too large"):
        read_bytes(str(p), limit=1000)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Zelensky said «no»".encode(), "Zelensky said «no»"),
        ("Élysée Palace".encode("cp1252"), "Élysée Palace"),
        ("\ufeffKyiv".encode("utf-8"), "Kyiv"),
        ("Київ заявив".encode("utf-16"), "Київ заявив"),
    ],
)
def test_encodings_are_detected(data: bytes, expected: str) -> None:
    assert decode(data, "x") == expected
