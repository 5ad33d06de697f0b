"""WARC archives: HTML responses read, everything else skipped and counted, broken records
recorded and passed over, truncated files ended with a failure."""

from __future__ import annotations

import gzip as gz

import pytest

from chronicle.ingest import Failure, kind_of, read_sources
from chronicle.record import Article
from pages import GERMAN, WIRE, page, warc

OTHER = [p.replace("Istanbul", "Geneva").replace("Tuesday", "Thursday") for p in WIRE]


def records() -> list[tuple[str, str, int, str, bytes]]:
    return [
        ("request", "https://a.example/1", 0, "", b""),
        ("response", "https://a.example/1", 200, "text/html; charset=utf-8", page("Talks resume", WIRE).encode()),
        ("response", "https://a.example/logo.png", 200, "image/png", b"\x89PNG" + bytes(64)),
        ("response", "https://a.example/old", 301, "text/html", b"moved"),
        ("metadata", "https://a.example/1", 0, "application/warc-fields", b"via: test\r\n"),
        ("response", "https://b.example/2", 200, "text/html", page("Talks in Geneva", OTHER).encode()),
    ]


def read_with_skips(path: str) -> tuple[list[Article], list[Failure], dict[str, int]]:
    skips: dict[str, int] = {}

    def on_skip(origin: str, reason: str) -> None:
        assert "#" in origin
        skips[reason] = skips.get(reason, 0) + 1

    out = list(read_sources([path], on_skip=on_skip))
    return ([x for x in out if isinstance(x, Article)], [x for x in out if isinstance(x, Failure)], skips)


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_html_responses_become_articles(tmp_path, gzip: bool) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    p.write_bytes(warc(records(), gzip=gzip))
    arts, fails, skips = read_with_skips(str(p))
    assert [a.title for a in arts] == ["Talks resume", "Talks in Geneva"]
    assert [a.url for a in arts] == ["https://a.example/1", "https://b.example/2"]
    assert all(a.origin and a.origin.startswith(f"{p}#") for a in arts)
    assert not fails
    assert skips == {"non-HTML WARC record": 4, "WARC response HTTP 301": 1}  # warcinfo, request, png, metadata


def test_warc_offset_finds_the_record_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from warcio.archiveiterator import ArchiveIterator

    p = tmp_path / "crawl.warc.gz"
    p.write_bytes(warc(records()))
    arts, _, _ = read_with_skips(str(p))
    offset = int(arts[1].origin.rsplit("#", 1)[1])  # type: ignore[union-attr]
    with open(p, "rb") as f:
        f.seek(offset)
        rec = next(iter(ArchiveIterator(f)))
        assert rec.rec_headers.get_header("WARC-Target-URI") == "https://b.example/2"


def test_warc_sniffed_without_suffix(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = warc(records())
    assert kind_of("download.bin", data[:4096]) == "warc"
    assert kind_of("download.bin", warc(records(), gzip=False)[:4096]) == "warc"


def test_warc_broken_record_is_recorded_and_reading_goes_on(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = bytearray(warc(records()))
    # damage the gzip member of the first HTML response (the third record)
    starts = [i for i in range(len(data) - 2) if data[i:i + 3] == b"\x1f\x8b\x08"]
    first_html = starts[2]
    data[first_html + 30:first_html + 60] = b"\x00" * 30
    p = tmp_path / "broken.warc.gz"
    p.write_bytes(bytes(data))
    arts, fails, _ = read_with_skips(str(p))
    assert [a.title for a in arts] == ["Talks in Geneva"]  # the record after the broken one
    assert len(fails) == 1
    assert fails[0].origin == f"{p}#{first_html}"
    assert fails[0].reason.startswith("broken WARC record")


def test_warc_truncated_file_ends_with_a_failure(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = warc(records())
    p = tmp_path / "cut.warc.gz"
    p.write_bytes(data[: len(data) - 300])  # the last record is cut short
    arts, fails, _ = read_with_skips(str(p))
    assert [a.title for a in arts] == ["Talks resume"]
    assert len(fails) == 1 and "truncated" in fails[0].reason


def test_warc_plain_with_junk_between_records(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = warc(records(), gzip=False)
    cut = data.index(b"WARC/1.", data.index(b"https://a.example/logo.png") - 400)
    p = tmp_path / "junk.warc"
    p.write_bytes(data[:cut] + b"WARC/1.0\r\nthis is not a header\r\n\r\ngarbage" + data[cut:])
    arts, fails, _ = read_with_skips(str(p))
    assert [a.title for a in arts] == ["Talks resume", "Talks in Geneva"]
    assert fails and all("broken WARC record" in f.reason for f in fails)


def test_warc_not_a_warc(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "fake.warc.gz"
    p.write_bytes(gz.compress(b"hello, this is not a WARC file at all\n" * 10))
    arts, fails, _ = read_with_skips(str(p))
    assert not arts and fails


def test_warc_non_english_page_is_read_with_its_language(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "de.warc.gz"
    p.write_bytes(warc([("response", "https://de.example/1", 200, "text/html",
                         page("Verhandlungen", GERMAN, lang="de").encode())]))
    arts, _, _ = read_with_skips(str(p))
    assert arts[0].language == "de"
