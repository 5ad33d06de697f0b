"""``chronicle places``: the stored places, most often named first, filtered by country or distance."""

from __future__ import annotations

import json

import click

from chronicle.cli import DB_HELP, cli
from chronicle.errors import ChronicleError
from chronicle.store import open_store

__all__ = ["country_code", "parse_near", "places"]


def country_code(value: str) -> str:
    """ISO alpha-2 for "UA", "UKR" or "Ukraine"; a ChronicleError naming the valid forms otherwise."""
    from chronicle.extract.places import country_names
    from chronicle.lexicon import lexicon
    from chronicle.lexicon.gazetteer import name_key

    v = value.strip()
    if len(v) == 2 and v.isalpha():
        return v.upper()
    lex = lexicon()
    if len(v) == 3 and v.isalpha() and v.upper() in lex.alpha2_of:
        return lex.alpha2_of[v.upper()]
    code = country_names().get(name_key(v))
    if code:
        return code
    raise ChronicleError(f"unknown country '{value}'; give an ISO code (UA, UKR) or a country's name")


def parse_near(value: str) -> tuple[float, float, float]:
    """"50.45,30.52,100" -> (lat, lon, km)."""
    try:
        lat, lon, km = (float(x) for x in value.split(","))
    except ValueError:
        raise click.BadParameter(f"'{value}' is not LAT,LON,KM (e.g. 50.45,30.52,100)") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km > 0):
        raise click.BadParameter(f"'{value}': latitude -90..90, longitude -180..180, km > 0")
    return lat, lon, km


@cli.command()
@click.option("--country", default=None, metavar="CODE", help="Only places in this country (UA, UKR or Ukraine).")
@click.option("--near", default=None, metavar="LAT,LON,KM", help="Only places within KM kilometres of a point.")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
def places(country: str | None, near: str | None, db: str | None, limit: int, as_json: bool) -> None:
    """List the stored places, most often named first, with how many articles name them."""
    code = country_code(country) if country else None
    point = parse_near(near) if near else None
    with open_store(db, readonly=True) as store:
        rows = store.places(country=code, near=point, limit=limit)
    if not rows:
        click.echo("no places stored" + (" matching the filter" if code or point else ""))
        return
    for r in rows:
        if as_json:
            click.echo(json.dumps({"name": r.name, "country": r.country, "lat": r.lat, "lon": r.lon,
                                   "mentions": r.mentions, "articles": r.articles}, ensure_ascii=False))
        else:
            click.echo(f"{r.mentions:6d} {r.articles:6d}  {r.name or '?'} ({r.country or '--'})  "
                       f"{r.lat:.4f},{r.lon:.4f}")
