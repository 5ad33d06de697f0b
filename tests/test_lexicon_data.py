"""Shape checks for the lexicon data files in src/chronicle/lexicon/data.

Stdlib + pytest only: these tests read the TSV files directly, so they run without the package
installed. They check that every file parses, that codes are well formed and consistent between
files, and that the few facts everything downstream relies on are right.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "src" / "chronicle" / "lexicon" / "data"


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of a literal block, as a set."""
    return frozenset(text.split())


ROLE_CODES = words("GOV MIL REB OPP COP SPY JUD MED BUS CVL REF IGO NGO EDU HLH REL PTY LAB AGR ENV CRM LEG")

# Short codes that international organisations use in place of a country code (see README.md).
IGO_CODES = words(
    """
    UN EU NATO AU OSCE IAEA ICC ICJ INTERPOL OPEC ASEAN WHO IMF WB WTO ICRC AL GCC CIS CSTO SCO BRICS
    G7 G8 G20 UNHCR UNICEF WFP OHCHR
    UNESCO UNDP UNRWA FAO ILO IOM OPCW IFRC UNEP UNFPA OCHA UNODC UNCTAD UNAIDS WMO ITU ICAO IMO WIPO
    IFAD IPCC UNFCCC CTBTO ICTY ICTR STL ITLOS PCA CAS
    OECD EBRD ADB AIIB AFDB IDB NDB EIB BIS FATF IEA COE ESA CERN V4 AUKUS QUAD
    OIC EAEU APEC SAARC PIF OAS CARICOM MERCOSUR CELAC ECOWAS SADC IGAD EAC ECCAS AES NONALIGNED
    COMMONWEALTH OTS IOC FIFA UEFA WADA
    """
)

COUNTRY_COLUMNS = ["alpha3", "alpha2", "name", "aliases", "demonyms", "people", "capitals", "seats"]
ORG_COLUMNS = ["name", "aliases", "country", "role", "type"]
ROLE_COLUMNS = ["term", "role", "class", "gender", "group"]

# The 193 member states of the United Nations, by ISO 3166-1 alpha-3 code.
UN_MEMBERS = words(
    """
    AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN
    BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK DJI DMA
    DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND
    HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU
    LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MDA MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC
    NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR ROU RUS RWA KNA LCA VCT WSM SMR STP
    SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO
    TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
    """
)

# Demonyms and people-nouns that genuinely name more than one country; listed under each.
SHARED_DEMONYMS = frozenset({"congolese", "dominican", "dominicans"})

# Places with no capital city of their own.
NO_CAPITAL = frozenset({"HKG", "MAC"})


def read_tsv(name: str, columns: list[str]) -> list[dict[str, str]]:
    path = DATA / name
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # must be UTF-8
    assert not text.startswith("\ufeff"), f"{name}: no byte-order mark"
    assert "\r" not in text, f"{name}: use LF line endings"
    assert text.endswith("\n"), f"{name}: end with a newline"
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for lineno, line in enumerate(text.split("\n")[:-1], start=1):
        if line.startswith("#"):
            continue
        assert line.strip(), f"{name}:{lineno}: blank line"
        cells = line.split("\t")
        if header is None:
            header = cells
            assert header == columns, f"{name}: header is {header}, expected {columns}"
            continue
        assert len(cells) == len(columns), f"{name}:{lineno}: {len(cells)} cells, expected {len(columns)}"
        for col, cell in zip(columns, cells, strict=True):
            assert cell == cell.strip(), f"{name}:{lineno}: {col} has leading/trailing space: {cell!r}"
            assert "  " not in cell, f"{name}:{lineno}: {col} has a double space: {cell!r}"
        row = dict(zip(columns, cells, strict=True))
        row["_line"] = str(lineno)
        rows.append(row)
    assert header is not None, f"{name}: no header"
    return rows


def key(term: str) -> str:
    """How the loader (chronicle.lexicon.norm) keys a surface form: lowercased, straight
    apostrophes, spaces folded, a leading "the" dropped."""
    t = " ".join(term.replace("\u2019", "'").replace("\u2018", "'").split()).lower()
    return t[4:] if t.startswith("the ") else t


def split_list(cell: str) -> list[str]:
    return cell.split("|") if cell else []


def check_list(where: str, cell: str) -> list[str]:
    items = split_list(cell)
    for item in items:
        assert item, f"{where}: empty item in {cell!r}"
        assert item == item.strip(), f"{where}: item with leading/trailing space in {cell!r}"
    dupes = [k for k, n in Counter(items).items() if n > 1]
    assert not dupes, f"{where}: repeated items {dupes}"
    return items


@pytest.fixture(scope="module")
def countries() -> list[dict[str, str]]:
    return read_tsv("countries.tsv", COUNTRY_COLUMNS)


@pytest.fixture(scope="module")
def organisations() -> list[dict[str, str]]:
    return read_tsv("organisations.tsv", ORG_COLUMNS)


@pytest.fixture(scope="module")
def roles() -> list[dict[str, str]]:
    return read_tsv("roles.tsv", ROLE_COLUMNS)


# --- countries.tsv -------------------------------------------------------------------------------


def test_countries_codes(countries):
    assert len(countries) >= 199
    a3 = Counter(r["alpha3"] for r in countries)
    a2 = Counter(r["alpha2"] for r in countries)
    for r in countries:
        where = f"countries.tsv:{r['_line']}"
        assert re.fullmatch(r"[A-Z]{3}", r["alpha3"]), f"{where}: bad alpha3 {r['alpha3']!r}"
        assert re.fullmatch(r"[A-Z]{2}", r["alpha2"]), f"{where}: bad alpha2 {r['alpha2']!r}"
        assert r["name"], f"{where}: empty name"
    assert [k for k, n in a3.items() if n > 1] == []
    assert [k for k, n in a2.items() if n > 1] == []


def test_countries_cover_un_members_and_others(countries):
    codes = {r["alpha3"] for r in countries}
    assert UN_MEMBERS - codes == set()
    assert {"TWN", "XKX", "PSE", "ESH", "HKG", "VAT"} <= codes


@pytest.mark.parametrize(
    ("alpha3", "alpha2", "name"),
    [
        ("XKX", "XK", "Kosovo"),
        ("PSE", "PS", "Palestine"),
        ("TWN", "TW", "Taiwan"),
        ("SSD", "SS", "South Sudan"),
        ("MKD", "MK", "North Macedonia"),
        ("SWZ", "SZ", "Eswatini"),
        ("GBR", "GB", "United Kingdom"),
        ("USA", "US", "United States"),
        ("RUS", "RU", "Russia"),
        ("KOR", "KR", "South Korea"),
        ("PRK", "KP", "North Korea"),
        ("COD", "CD", "DR Congo"),
        ("COG", "CG", "Republic of the Congo"),
        ("DEU", "DE", "Germany"),
        ("CHE", "CH", "Switzerland"),
        ("SRB", "RS", "Serbia"),
        ("MNE", "ME", "Montenegro"),
        ("ESH", "EH", "Western Sahara"),
        ("VAT", "VA", "Vatican City"),
    ],
)
def test_country_spot_checks(countries, alpha3, alpha2, name):
    by3 = {r["alpha3"]: r for r in countries}
    assert by3[alpha3]["alpha2"] == alpha2
    assert by3[alpha3]["name"] == name


def test_countries_lists(countries):
    for r in countries:
        where = f"countries.tsv:{r['_line']} ({r['alpha3']})"
        for col in ("aliases", "demonyms", "people", "capitals", "seats"):
            check_list(f"{where} {col}", r[col])
        assert r["name"] not in split_list(r["aliases"]), f"{where}: name repeated in aliases"
        assert split_list(r["demonyms"]), f"{where}: no demonym"
        if r["alpha3"] not in NO_CAPITAL:
            assert split_list(r["capitals"]), f"{where}: no capital"


def test_country_names_unambiguous(countries):
    """A name or alias points at one country only."""
    seen: dict[str, str] = {}
    for r in countries:
        for term in [r["name"], *split_list(r["aliases"])]:
            owner = seen.setdefault(key(term), r["alpha3"])
            assert owner == r["alpha3"], f"{term!r} names both {owner} and {r['alpha3']}"


@pytest.mark.parametrize("col", ["demonyms", "people", "capitals", "seats"])
def test_country_words_unambiguous(countries, col):
    owners: dict[str, set[str]] = {}
    for r in countries:
        for term in split_list(r[col]):
            owners.setdefault(key(term), set()).add(r["alpha3"])
    shared = {t: sorted(o) for t, o in owners.items() if len(o) > 1 and t not in SHARED_DEMONYMS}
    assert shared == {}


def test_shared_demonyms_usual_country_first(countries):
    """The loader keeps the first row for a shared word: the country news usually means."""
    order = [r["alpha3"] for r in countries]
    assert order.index("COD") < order.index("COG")
    assert order.index("DOM") < order.index("DMA")


def test_country_examples(countries):
    by3 = {r["alpha3"]: r for r in countries}

    def has(code: str, col: str, *terms: str) -> None:
        items = set(split_list(by3[code][col]))
        missing = [t for t in terms if t not in items]
        assert not missing, f"{code} {col} lacks {missing}"

    has("USA", "aliases", "US", "U.S.", "USA", "America", "United States of America")
    has("USA", "demonyms", "American", "US", "U.S.")
    has("USA", "capitals", "Washington")
    has("USA", "seats", "White House")
    has("GBR", "aliases", "UK", "U.K.", "Britain", "Great Britain")
    has("GBR", "demonyms", "British")
    has("GBR", "people", "Britons")
    has("GBR", "seats", "Downing Street")
    has("RUS", "seats", "Kremlin")
    has("UKR", "capitals", "Kyiv", "Kiev")
    has("UKR", "aliases", "the Ukraine")
    has("TUR", "aliases", "Türkiye")
    has("CZE", "aliases", "Czechia")
    has("MMR", "aliases", "Burma")
    has("CIV", "aliases", "Côte d'Ivoire")
    has("BLR", "demonyms", "Belarusian", "Belarussian", "Byelorussian")
    has("PHL", "demonyms", "Philippine", "Filipino")
    has("NLD", "demonyms", "Dutch")
    has("IRN", "aliases", "Persia", "Islamic Republic of Iran")
    has("PRK", "aliases", "DPRK")
    has("COD", "aliases", "DRC", "Democratic Republic of the Congo")


def test_igo_codes_are_not_country_codes(countries):
    assert IGO_CODES & {r["alpha3"] for r in countries} == set()


# --- organisations.tsv ---------------------------------------------------------------------------


def test_organisations(organisations, countries):
    assert len(organisations) >= 250
    alpha3 = {r["alpha3"] for r in countries}
    names = Counter(r["name"].casefold() for r in organisations)
    assert [k for k, n in names.items() if n > 1] == []
    for r in organisations:
        where = f"organisations.tsv:{r['_line']} ({r['name']})"
        assert r["name"], f"{where}: empty name"
        aliases = check_list(f"{where} aliases", r["aliases"])
        assert r["name"] not in aliases, f"{where}: name repeated in aliases"
        assert r["country"] == "" or r["country"] in alpha3 or r["country"] in IGO_CODES, (
            f"{where}: unknown country code {r['country']!r}"
        )
        assert r["role"] in ROLE_CODES, f"{where}: role {r['role']!r} not allowed"
        assert r["type"] in {"ORG", "GPE"}, f"{where}: type {r['type']!r}"
        if r["role"] == "IGO":
            assert r["country"] in IGO_CODES, f"{where}: an IGO takes an organisation code"


def test_organisation_names_unambiguous(organisations):
    """A name or alias points at one organisation only."""
    seen: dict[str, str] = {}
    for r in organisations:
        for term in [r["name"], *split_list(r["aliases"])]:
            owner = seen.setdefault(key(term), r["name"])
            assert owner == r["name"], f"{term!r} names both {owner!r} and {r['name']!r}"


def test_organisation_examples(organisations):
    by_term = {}
    for r in organisations:
        for term in [r["name"], *split_list(r["aliases"])]:
            by_term[term] = (r["country"], r["role"])
    assert by_term["UN"] == ("UN", "IGO")
    assert by_term["NATO"] == ("NATO", "IGO")
    assert by_term["Hamas"] == ("PSE", "REB")
    assert by_term["ISIS"] == ("", "REB")
    assert by_term["IRGC"] == ("IRN", "MIL")
    assert by_term["Gazprom"] == ("RUS", "BUS")
    assert by_term["Reuters"][1] == "MED"
    assert by_term["FSB"] == ("RUS", "SPY")
    assert by_term["Verkhovna Rada"] == ("UKR", "GOV")


# --- roles.tsv -----------------------------------------------------------------------------------


def test_roles(roles):
    assert len(roles) >= 250
    terms = Counter(r["term"] for r in roles)
    assert [k for k, n in terms.items() if n > 1] == []
    for r in roles:
        where = f"roles.tsv:{r['_line']} ({r['term']})"
        assert r["term"], f"{where}: empty term"
        assert r["term"] == r["term"].lower(), f"{where}: term must be lowercase"
        assert "|" not in r["term"], f"{where}: one term a row"
        assert r["role"] == "" or r["role"] in ROLE_CODES, f"{where}: role {r['role']!r} not allowed"
        assert r["class"] == "" or re.fullmatch(r"[a-z]+(-[a-z]+)*", r["class"]), f"{where}: class"
        assert r["gender"] in {"", "m", "f"}, f"{where}: gender {r['gender']!r}"
        assert r["group"] in {"0", "1"}, f"{where}: group {r['group']!r}"
        if r["class"] == "honorific":
            assert r["group"] == "0", f"{where}: an honorific names one person"


def test_role_examples(roles):
    by = {r["term"]: r for r in roles}
    assert by["president"]["class"] == "leader"
    assert by["prime minister"]["class"] == "leader"
    assert by["foreign minister"]["class"] == "foreign-minister"
    assert by["secretary of state"]["class"] == "foreign-minister"
    assert by["defence minister"]["class"] == "defence-minister"
    assert by["spokeswoman"]["gender"] == "f"
    assert by["spokesman"]["gender"] == "m"
    assert by["troops"]["role"] == "MIL"
    assert by["troops"]["group"] == "1"
    assert by["rebels"]["role"] == "REB"
    assert by["mr"]["role"] == ""
    assert by["mr"]["class"] == "honorific"
    assert by["refugees"]["role"] == "REF"
    assert by["judge"]["role"] == "JUD"


# --- through the loader ---------------------------------------------------------------------------


def test_loader_reads_the_files():
    lexmod = pytest.importorskip("chronicle.lexicon")
    lex = lexmod.lexicon()
    assert len(lex.countries) >= 199
    assert lex.country_code("Russian") == "RUS"
    assert lex.country_code("the UK") == "GBR"
    assert lex.country_code("Congolese") == "COD"
    assert lex.seats["kremlin"] == "RUS"
    assert lex.capitals["kyiv"] == "UKR"
    assert lex.orgs["nato"].country == "NATO"
    assert lex.orgs["hamas"].role == "REB"
    assert lex.role("Foreign Minister").cls == "foreign-minister"
    assert lex.role("troops").group is True
