"""Shape checks for the shipped people table (src/chronicle/lexicon/data/people.tsv)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "src" / "chronicle" / "lexicon" / "data" / "people.tsv"
HEADER = ["name", "aliases", "country", "role", "office", "class", "start", "end", "gender"]

ISO3 = set(
    ["ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF", "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS", "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF", "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV", "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM", "DZA", "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM", "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD", "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN", "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ", "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE", "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX", "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS", "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL", "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK", "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP", "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR", "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL", "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY", "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF", "ZMB", "ZWE", "XKX"]
)  # XKX: Kosovo, the user-assigned code in common use
# Codes of international organisations, as in the lexicon README (organisations.tsv).
IGO = {
    "UN", "EU", "NATO", "AU", "OSCE", "IAEA", "ICC", "ICJ", "WHO", "IMF", "WB", "WTO", "UNHCR",
    "UNICEF", "UNRWA", "UNESCO", "WFP", "OHCHR", "OCHA", "ICRC", "COE", "AL", "OPEC", "OPCW",
    "INTERPOL", "IOC", "ASEAN", "GCC",
}
ROLES = {"GOV", "MIL", "REB", "OPP", "COP", "SPY", "JUD", "MED", "BUS", "IGO", "NGO", "LEG", "CVL", "REL"}
ROLES_TSV = DATA.parent / "roles.tsv"
# The brief's classes plus the finer ones roles.tsv uses for the same offices (see its README),
# so that a description's class ("the home secretary" -> interior-minister) can be matched here.
CLASSES = {
    "", "leader", "deputy-leader", "royal", "foreign-minister", "defence-minister", "minister",
    "deputy-minister", "interior-minister", "finance-minister", "justice-minister", "health-minister",
    "trade-minister", "spokesperson", "military-commander", "diplomat", "negotiator", "adviser",
    "security-adviser", "intelligence", "police-chief", "prosecutor", "judge", "speaker",
    "legislator", "governor", "mayor", "official", "igo-head", "secretary-general",
    "director-general", "high-commissioner", "commissioner", "rapporteur", "opposition",
    "opposition-leader", "rebel-leader", "religious-leader", "journalist", "executive",
}
# Offices whose class here differs on purpose from the class roles.tsv gives the same words:
# the Chinese and Vietnamese general secretary leads the country; Hong Kong's chief executive
# leads a government; the IMF's managing director heads an international organisation.
CLASS_EXCEPTIONS = {"general secretary", "chief executive", "managing director"}
PARTICLES = ("al-", "el-", "Al-", "El-")


def _rows() -> list[tuple[int, list[str]]]:
    rows = []
    lines = DATA.read_text(encoding="utf-8").splitlines()
    header_seen = False
    for n, line in enumerate(lines, 1):
        if line.startswith("#"):
            continue
        if not header_seen:
            assert line.split("\t") == HEADER, f"line {n}: bad header {line!r}"
            header_seen = True
            continue
        assert line.strip(), f"line {n}: blank line"
        rows.append((n, line.split("\t")))
    assert header_seen
    return rows


ROWS = _rows()


def test_enough_rows() -> None:
    assert len(ROWS) >= 500


def test_column_count() -> None:
    bad = [n for n, r in ROWS if len(r) != len(HEADER)]
    assert not bad, f"lines with wrong column count: {bad[:20]}"


def test_no_stray_spaces() -> None:
    for n, r in ROWS:
        for field in r:
            assert field == field.strip(), f"line {n}: leading/trailing space in {field!r}"
            assert "  " not in field, f"line {n}: double space in {field!r}"
            assert "\u00a0" not in field, f"line {n}: no-break space in {field!r}"
        aliases = r[1]
        if aliases:
            parts = aliases.split("|")
            assert all(p and p == p.strip() for p in parts), f"line {n}: bad alias list {aliases!r}"
            assert len(parts) == len(set(parts)), f"line {n}: repeated alias"
            assert r[0] not in parts, f"line {n}: name repeated among aliases"


def test_name_present() -> None:
    for n, r in ROWS:
        assert r[0], f"line {n}: empty name"
        assert "|" not in r[0], f"line {n}: '|' in name"


def test_country_codes() -> None:
    for n, r in ROWS:
        country, role = r[2], r[3]
        if country == "":
            # Only transnational armed groups (al-Qaeda, Islamic State) and international NGOs
            # (Amnesty, Human Rights Watch) go without a country.
            assert role in {"REB", "NGO"}, f"line {n}: empty country outside REB/NGO"
            continue
        if re.fullmatch(r"[A-Z]{3}", country) and country in ISO3:
            continue
        assert country in IGO, f"line {n}: unknown country code {country!r}"


def test_roles_and_classes() -> None:
    for n, r in ROWS:
        assert r[3] in ROLES, f"line {n}: role {r[3]!r}"
        assert r[5] in CLASSES, f"line {n}: class {r[5]!r}"
        assert r[4] and r[4] == r[4].lower(), f"line {n}: office must be lowercase: {r[4]!r}"


def test_years() -> None:
    for n, r in ROWS:
        start, end = r[6], r[7]
        for y in (start, end):
            assert y == "" or re.fullmatch(r"\d{4}", y), f"line {n}: bad year {y!r}"
            assert y == "" or 1900 <= int(y) <= 2030, f"line {n}: implausible year {y!r}"
        if start and end:
            assert int(start) <= int(end), f"line {n}: start {start} after end {end}"


def test_gender() -> None:
    for n, r in ROWS:
        assert r[8] in {"m", "f"}, f"line {n}: gender {r[8]!r}"


def test_no_duplicate_rows() -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for n, r in ROWS:
        key = (r[0], r[4], r[6])
        assert key not in seen, f"line {n}: duplicate of line {seen[key]}: {key}"
        seen[key] = n


def test_one_gender_per_person() -> None:
    genders: dict[str, set[str]] = defaultdict(set)
    for _, r in ROWS:
        genders[r[0]].add(r[8])
    assert not [k for k, v in genders.items() if len(v) > 1]


def _spans() -> dict[str, tuple[int, int]]:
    spans: dict[str, tuple[int, int]] = {}
    for _, r in ROWS:
        lo = int(r[6]) if r[6] else (int(r[7]) if r[7] else 2025)
        hi = int(r[7]) if r[7] else 9999
        if r[0] in spans:
            a, b = spans[r[0]]
            spans[r[0]] = (min(a, lo), max(b, hi))
        else:
            spans[r[0]] = (lo, hi)
    return spans


def _strip_particle(word: str) -> str:
    for p in PARTICLES:
        if word.startswith(p.lower()) or word.startswith(p):
            return word[len(p):].lower()
    return word.lower()


def _surname(name: str) -> str:
    return _strip_particle(name.split()[-1])


def test_aliases_unambiguous() -> None:
    """No alias (nor bare surname) points at two people in office in overlapping years.

    Years overlap strictly: a hand-over year shared by predecessor and successor is allowed.
    """
    spans = _spans()
    forms: dict[str, set[str]] = defaultdict(set)  # alias or name -> people
    surnames: dict[str, set[str]] = defaultdict(set)  # bare surname -> people
    for _, r in ROWS:
        forms[r[0].lower()].add(r[0])
        surnames[_surname(r[0])].add(r[0])
        for a in filter(None, r[1].split("|")):
            forms[a.lower()].add(r[0])

    def overlap(p: str, q: str) -> bool:
        (a, b), (c, d) = spans[p], spans[q]
        return a < d and c < b

    problems = []
    for form, people in forms.items():
        people_list = sorted(people)
        for i, p in enumerate(people_list):
            for q in people_list[i + 1:]:
                if overlap(p, q):
                    problems.append((form, p, q))
        if " " not in form:  # a bare word: must not be another overlapping person's surname
            for q in surnames.get(_strip_particle(form), set()):
                for p in people:
                    if p != q and overlap(p, q):
                        problems.append((form, p, q))
    assert not problems, f"ambiguous aliases: {sorted(set(problems))[:30]}"


def test_classes_agree_with_roles_tsv() -> None:
    """Where an office is itself a term of roles.tsv, it has the class roles.tsv gives it."""
    if not ROLES_TSV.is_file():
        pytest.skip("roles.tsv not present")
    classes: dict[str, str] = {}
    header = True
    for line in ROLES_TSV.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if header:
            header = False
            continue
        cells = line.split("\t")
        classes.setdefault(cells[0], cells[2])
    bad = [
        (n, r[4], r[5], classes[r[4]])
        for n, r in ROWS
        if r[4] in classes and r[4] not in CLASS_EXCEPTIONS and r[5] != classes[r[4]]
    ]
    assert not bad, f"class differs from roles.tsv: {bad[:20]}"


def _find(name: str, office: str) -> list[list[str]]:
    return [r for _, r in ROWS if r[0] == name and r[4] == office]


@pytest.mark.parametrize(
    "name,office,country,role,start,end",
    [
        ("Vladimir Putin", "president", "RUS", "GOV", "2012", ""),
        ("Bashar al-Assad", "president", "SYR", "GOV", "2000", "2024"),
        ("Qasem Soleimani", "quds force commander", "IRN", "MIL", "1998", "2020"),
        ("Hassan Nasrallah", "secretary-general of hezbollah", "LBN", "REB", "1992", "2024"),
        ("António Guterres", "secretary-general", "UN", "IGO", "2017", ""),
    ],
)
def test_spot_checks(name: str, office: str, country: str, role: str, start: str, end: str) -> None:
    rows = _find(name, office)
    assert any(r[2] == country and r[3] == role and r[6] == start and r[7] == end for r in rows), rows
