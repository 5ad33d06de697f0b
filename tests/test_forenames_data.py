"""Shape checks for src/chronicle/lexicon/data/forenames.tsv (given name -> usual gender).

Stdlib + pytest only, like test_lexicon_data.py: the file is read directly, so the test runs
without the package installed. ``fold`` below is the same as ``chronicle.lexicon.fold``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[1] / "src" / "chronicle" / "lexicon" / "data" / "forenames.tsv"

# A name is letters, with single hyphens ("Jean-Luc", "Jae-in") or apostrophes ("Ze'ev") inside.
NAME = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


def words(text: str) -> list[str]:
    """The whitespace-separated words of a literal block."""
    return text.split()


def fold(text: str) -> str:
    """Lowercase with accents removed, as chronicle.lexicon.fold does."""
    t = unicodedata.normalize("NFKD", " ".join(text.replace("\u2019", "'").split()))
    return "".join(ch for ch in t if not unicodedata.combining(ch)).lower()


@pytest.fixture(scope="module")
def rows() -> list[tuple[int, str, str]]:
    raw = PATH.read_bytes()
    text = raw.decode("utf-8")  # must be UTF-8
    assert not text.startswith("\ufeff"), "no byte-order mark"
    assert "\r" not in text, "use LF line endings"
    assert text.endswith("\n"), "end with a newline"
    lines = text.split("\n")[:-1]
    n = 0
    while n < len(lines) and lines[n].startswith("#"):  # comments only at the top
        n += 1
    assert n < len(lines), "no header"
    assert lines[n] == "name\tgender", f"header is {lines[n]!r}"
    out = []
    for lineno, line in enumerate(lines[n + 1 :], start=n + 2):
        assert not line.startswith("#"), f"line {lineno}: comments belong at the top"
        assert line.strip(), f"line {lineno}: blank line"
        cells = line.split("\t")
        assert len(cells) == 2, f"line {lineno}: {len(cells)} cells, expected 2: {line!r}"
        for cell in cells:
            assert cell == cell.strip(), f"line {lineno}: leading/trailing space in {cell!r}"
            assert cell, f"line {lineno}: empty cell"
        out.append((lineno, cells[0], cells[1]))
    return out


def test_row_count(rows):
    assert len(rows) >= 2500


def test_gender_values(rows):
    bad = [(n, name, g) for n, name, g in rows if g not in {"m", "f"}]
    assert not bad, f"gender must be m or f: {bad[:10]}"


def test_names_well_formed(rows):
    bad = [(n, name) for n, name, _ in rows if not NAME.fullmatch(name)]
    assert not bad, f"not a single given name: {bad[:10]}"
    assert all(unicodedata.is_normalized("NFC", name) for _, name, _ in rows), "names must be NFC"


def test_names_unique_after_folding(rows):
    seen: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for n, name, _ in rows:
        seen[fold(name)].append((n, name))
    dupes = {k: v for k, v in seen.items() if len(v) > 1}
    assert not dupes, f"names repeated after lowercasing and accent-folding: {list(dupes.values())[:10]}"


def test_known_names(rows):
    gender = {fold(name): g for _, name, g in rows}
    male = words(
        """Volodymyr Vladimir Oleksandr Aleksandr Alexander Dmytro Dmitry Dmitri Serhiy Sergei Sergey
        Siarhei Mykhailo Mikhail Viktar Mohammed Muhammad Mohamed Ahmed Abdel Hassan Javad Qasem Ghasem
        Ebrahim Andrés Andres Łukasz Lukasz"""
    )
    female = words(
        """Yulia Yuliya Iuliia Sviatlana Svetlana Veranika Maria Fatima Aisha Masoumeh Sarah Olena
        Małgorzata Malgorzata"""
    )
    expected = {**dict.fromkeys(male, "m"), **dict.fromkeys(female, "f")}
    wrong = {n: gender.get(fold(n)) for n, g in expected.items() if gender.get(fold(n)) != g}
    assert not wrong, f"missing or wrong: {wrong}"


def test_ambiguous_names_left_out(rows):
    names = {fold(name) for _, name, _ in rows}
    # given to both sexes, or masculine in one culture and feminine in another
    ambiguous = {"alex", "jordan", "sasha", "kim", "jean", "andrea", "nicola", "simone", "michele", "luca"}
    assert not ambiguous & names, f"ambiguous names listed: {sorted(ambiguous & names)}"
