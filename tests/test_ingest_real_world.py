"""Ingesting the real world into a store: every kind of bad input recorded with its reason while
the batch goes on, other languages skipped and counted, wire copies stored as duplicates."""

from __future__ import annotations

import gzip

from click.testing import CliRunner

from chronicle.cli import cli
from chronicle.runner import ingest_paths
from chronicle.store import SQLiteStore
from pages import GERMAN, WIRE, page, warc

COPY_B = [WIRE[0], WIRE[1].replace("Kyiv", "the capital Kyiv"), WIRE[2], WIRE[3]]  # lightly edited
COPY_C = WIRE[:3]  # the last paragraph cut


def wire_pages(tmp_path):  # type: ignore[no-untyped-def]
    d = tmp_path / "wire"
    d.mkdir()
    (d / "a.html").write_text(page("Talks resume in Istanbul", WIRE, url="https://a.example/talks",
                                   site="A News"), encoding="utf-8")
    (d / "b.html").write_text(page("Russia, Ukraine talks resume", COPY_B, url="https://b.example/world/talks",
                                   site="B Daily"), encoding="utf-8")
    (d / "c.html").write_text(page("Talks resume", [*COPY_C, WIRE[3][:40] + "."], url="https://c.example/t",
                                   site="C Post"), encoding="utf-8")
    return d


def test_ingest_bad_inputs_recorded_and_batch_goes_on(tmp_path, store, extractor, web, fetcher) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.html"
    good.write_text(page("Talks resume", WIRE), encoding="utf-8")
    junk = tmp_path / "junk.html"
    junk.write_bytes(bytes(range(256)) * 40)
    cut = tmp_path / "cut.html.gz"
    cut.write_bytes(gzip.compress(page("Cut", WIRE).encode())[:-40])
    bomb = tmp_path / "bomb.html.gz"  # 60 MB of markup in a few kilobytes
    bomb.write_bytes(gzip.compress(b"<html><body>" + b"<div>" * 12_000_000, compresslevel=9))
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 100_000 + "text" + "</div>" * 100_000 + "</body></html>")
    crawl = tmp_path / "crawl.warc.gz"
    data = bytearray(warc([("response", "https://w.example/1", 200, "text/html", page("Kept", [
        "The ceasefire in the south held through the night, the regional governor said on Wednesday, as "
        "aid convoys reached the city for the first time since the start of the month.",
        "Residents queued for water and bread while engineers worked to restore power lines."]).encode()),
        ("response", "https://w.example/2", 200, "text/html", page("Broken", WIRE).encode())]))
    last = data.rfind(b"\x1f\x8b\x08")
    data[last + 20:last + 50] = b"\xff" * 30
    crawl.write_bytes(bytes(data))
    web.route("/slow", page("Slow", WIRE), delay=2.5)

    specs = [str(good), str(junk), str(cut), str(bomb), str(deep), str(crawl), web.url("/slow"),
             str(tmp_path / "missing.html")]
    s = ingest_paths(specs, store, extractor=extractor, fetcher=fetcher, batch_size=2)
    assert s.stored == 2  # good.html and the first WARC record
    reasons = {f["origin"].rsplit("/", 1)[-1]: f["reason"] for f in store.failures()}
    assert reasons["junk.html"] == "not text (binary data)"
    assert reasons["cut.html.gz"] == "truncated gzip file"
    assert "decompresses to more than" in reasons["bomb.html.gz"]
    assert "deep.html" in reasons  # no article in it, whatever the parser made of it
    assert any(k.startswith("crawl.warc.gz#") and v.startswith("broken WARC record") for k, v in reasons.items())
    assert "timed out" in reasons["slow"]
    assert reasons["missing.html"] == "no such file or directory"
    assert s.failed == len(store.failures()) == 7

    again = ingest_paths(specs[:1], store, extractor=extractor)
    assert (again.stored, again.skipped) == (0, 1)
    assert store.count() == 2  # nothing stored was lost


def test_ingest_other_languages_are_skipped_and_counted(tmp_path, store, extractor) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "en.html").write_text(page("Talks resume", WIRE), encoding="utf-8")
    (tmp_path / "de.html").write_text(page("Verhandlungen", GERMAN, lang="en"), encoding="utf-8")  # lang lies
    s = ingest_paths([str(tmp_path)], store, extractor=extractor)
    assert (s.read, s.stored) == (2, 1)
    assert s.skipped_by == {"language de": 1}
    assert "skipped: 1 language (de 1)" in s.line()
    rec = store.get_record(store.articles()[0].id)
    assert rec is not None and rec.article.language == "en"
    every = ingest_paths([str(tmp_path)], SQLiteStore(str(tmp_path / "all.db")), extractor=extractor,
                         languages=None)
    assert every.stored == 2


def test_ingest_wire_copies_are_duplicates_not_extracted(tmp_path, store, extractor) -> None:  # type: ignore[no-untyped-def]
    d = wire_pages(tmp_path)
    s = ingest_paths([str(d)], store, extractor=extractor)
    assert (s.stored, s.duplicates) == (1, 2)
    first = store.articles()[0]
    assert first.url == "https://a.example/talks"
    copies = store.duplicates_of(first.id)
    assert {c.url for c in copies} == {"https://b.example/world/talks", "https://c.example/t"}
    assert all(0.8 <= c.similarity < 1.0 for c in copies)
    assert store.count("entities") == len(store.get_record(first.id).entities)  # type: ignore[union-attr]
    # a second run knows them all
    again = ingest_paths([str(d)], store, extractor=extractor)
    assert (again.stored, again.duplicates, again.skipped) == (0, 0, 3)
    # the copy's id leads to the first copy
    assert store.resolve_id(copies[0].id) == first.id


def test_ingest_exact_copy_under_another_url_is_a_duplicate(tmp_path, store, extractor) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.html").write_text(page("Talks", WIRE, url="https://a.example/1"), encoding="utf-8")
    (tmp_path / "b.html").write_text(page("Talks", WIRE, url="https://b.example/2"), encoding="utf-8")
    s = ingest_paths([str(tmp_path)], store, extractor=extractor)
    assert (s.stored, s.duplicates) == (1, 1)
    (c,) = store.duplicates_of(store.articles()[0].id)
    assert c.similarity == 1.0


def test_ingest_different_stories_are_not_duplicates(tmp_path, store, extractor) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.html").write_text(page("Talks", WIRE), encoding="utf-8")
    (tmp_path / "b.html").write_text(page("Ceasefire", [
        "The ceasefire in the south held through the night, the regional governor said on Wednesday, as aid "
        "convoys reached the city for the first time since the start of the month.",
        "Residents queued for water and bread while engineers worked to restore power lines damaged by shelling.",
    ]), encoding="utf-8")
    s = ingest_paths([str(tmp_path)], store, extractor=extractor)
    assert (s.stored, s.duplicates) == (2, 0)


def test_cli_show_lists_copies(tmp_path) -> None:  # type: ignore[no-untyped-def]
    d = wire_pages(tmp_path)
    db = str(tmp_path / "c.db")
    runner = CliRunner()
    res = runner.invoke(cli, ["ingest", str(d), "--db", db, "-q"])
    assert res.exit_code == 0, res.output
    assert "2 duplicate(s) of stored articles" in res.output
    with SQLiteStore(db) as s:
        aid = s.articles()[0].id
    shown = runner.invoke(cli, ["show", aid[:8], "--db", db])
    assert "copies (2)" in shown.output and "https://c.example/t" in shown.output


def test_cli_ingest_url_refused_without_allow_private(web, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = web.route("/p", page("Talks", WIRE))
    db = str(tmp_path / "u.db")
    res = CliRunner().invoke(cli, ["ingest", url, "--db", db, "-q"])
    assert "loopback address" in res.output and "1 failed" in res.output
    failures = CliRunner().invoke(cli, ["failures", "--db", db])
    assert "--allow-private" in failures.output


def test_ingest_html_bomb_of_elements_is_refused_quickly() -> None:
    import time

    import pytest

    from chronicle.errors import InputError
    from chronicle.ingest import html

    bomb = b"<html><body>" + b"<p>word word word.</p>" * 120_000 + b"</body></html>"
    t0 = time.monotonic()
    with pytest.raises(InputError, match="too complex"):
        html.read(bomb, "bomb.html")
    assert time.monotonic() - t0 < 30
