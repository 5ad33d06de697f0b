"""The command line: each command end to end, and errors as one line without a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = """Talks in Istanbul

Ukrainian and Russian negotiators met in Istanbul on Tuesday. Ukraine's foreign minister Dmytro Kuleba
said the talks had been difficult. Mr Kuleba added that Kyiv would not give up any territory.
"""


def chronicle(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "chronicle", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    (d / "talks.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "junk.txt").write_bytes(b"\x00\xff" * 400)
    return d


def test_cli_extract_prints_valid_records(corpus: Path) -> None:
    res = chronicle("extract", str(corpus / "talks.txt"), "--format", "jsonl", "--published", "2022-03-29")
    assert res.returncode == 0, res.stderr
    (line,) = res.stdout.splitlines()
    rec = json.loads(line)
    assert rec["article"]["title"] == "Talks in Istanbul"
    assert rec["article"]["published"] == "2022-03-29"
    kuleba = [e for e in rec["entities"] if e["name"] == "Dmytro Kuleba"]
    assert kuleba and kuleba[0]["country"] == "UKR"
    assert "Mr Kuleba" in {m["text"] for m in kuleba[0]["mentions"]}


def test_cli_ingest_search_show_failures(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    res = chronicle("ingest", str(corpus), "--db", db)
    assert res.returncode == 0, res.stderr
    assert "2 article(s) read" not in res.stdout
    assert "1 article(s) read, 1 stored, 0 skipped (already stored), 1 failed" in res.stdout
    assert "junk.txt: not text (binary data)" in res.stderr
    assert "Traceback" not in res.stderr
    again = chronicle("ingest", str(corpus / "talks.txt"), "--db", db)
    assert "1 skipped" in again.stdout

    hits = chronicle("search", "Istanbul negotiators", "--db", db, "--json")
    (hit,) = [json.loads(x) for x in hits.stdout.splitlines()]
    assert hit["title"] == "Talks in Istanbul"

    shown = chronicle("show", hit["id"][:8], "--db", db)
    assert shown.returncode == 0
    assert "Dmytro Kuleba [PERSON UKR/GOV]" in shown.stdout
    as_json = json.loads(chronicle("show", hit["id"], "--db", db, "--json").stdout)
    assert as_json["article"]["id"] == hit["id"]

    fails = chronicle("failures", "--db", db)
    assert "junk.txt: not text (binary data)" in fails.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nosuchid", "--db", "{db}"], "no article 'nosuchid'"),
        (["extract", "/no/such/file.txt"], "/no/such/file.txt: no such file or directory"),
        (["ingest", "x.txt", "--published", "yesterday"], "'yesterday' is not a date"),
        (["search", "x", "--db", "{junk}"], "not a chronicle database"),
    ],
)
def test_cli_errors_are_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    chronicle("ingest", "/dev/null", "--db", str(db))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    res = chronicle(*[a.format(db=db, junk=junk) for a in args])
    assert res.returncode != 0
    assert message in res.stderr
    assert "Traceback" not in res.stderr
    assert len([ln for ln in res.stderr.splitlines() if ln.strip()]) <= 3


def test_cli_validate_checks_records_against_the_schema(corpus: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(chronicle("extract", str(corpus / "talks.txt")).stdout, encoding="utf-8")
    res = chronicle("validate", str(good))
    assert res.returncode == 0 and "1 of 1 record(s) valid" in res.stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"article": {"id": "x", "text": "t"}, "entities": []}\nnot json\n', encoding="utf-8")
    res = chronicle("validate", str(bad))
    assert res.returncode == 1
    assert "'statements' is a required property" in res.stdout
    assert "invalid JSON" in res.stdout
