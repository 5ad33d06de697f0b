"""Places: the gazetteer, the places stage (mentions, metonymy, parents, disambiguation) and the
store query and command behind ``chronicle places``. Every example sentence is written here."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from chronicle.cli import cli
from chronicle.extract.places import place_near
from chronicle.lexicon.gazetteer import distance_km, gazetteer, name_key
from chronicle.record import Article, Event, Place, Record, SentenceSpan, Span


def places_of(record: Record) -> dict[str, Place]:
    return {p.text: p for p in record.places}


def near(p: Place, lat: float, lon: float, km: float = 50) -> bool:
    assert p.lat is not None and p.lon is not None
    return distance_km(p.lat, p.lon, lat, lon) <= km


# --- the gazetteer ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "key"),
    [("St. Louis", "st louis"), ("Saint Louis", "st louis"), ("Erdoğan", "erdogan"),
     ("Winston-Salem", "winston salem"), ("Kharkiv\u2019s", "kharkivs")],
)
def test_places_name_key_folds_spelling(text: str, key: str) -> None:
    assert name_key(text) == key


def test_places_gazetteer_loads_fast_and_finds_alternate_spellings() -> None:
    gazetteer.cache_clear()
    t = time.perf_counter()
    gaz = gazetteer()
    gaz.lookup("Kyiv")
    assert time.perf_counter() - t < 1.0  # the index is built once per machine, then opened
    for old, new in (("Kiev", "Kyiv"), ("Kharkov", "Kharkiv"), ("Odessa", "Odesa")):
        assert any(c.name == new and c.country == "UA" for c in gaz.lookup(old)), old


def test_places_gazetteer_has_counties_states_and_our_regions() -> None:
    gaz = gazetteer()
    assert any(c.kind == "admin2" and c.admin1 == "KY" for c in gaz.lookup("Laurel County"))
    assert any(c.kind == "admin1" and c.country == "US" for c in gaz.lookup("Texas"))
    assert any(c.kind == "sea" for c in gaz.lookup("the Black Sea"))
    assert any(c.kind == "region" and c.country == "UA" for c in gaz.lookup("Donbas"))


def test_places_gazetteer_division_point_is_the_middle_of_its_territory() -> None:
    gaz = gazetteer()
    ontario = next(c for c in gaz.lookup("Ontario") if c.kind == "admin1" and c.country == "CA")
    assert distance_km(ontario.lat, ontario.lon, 49.25, -84.5) < 250  # not near Toronto, where most live
    alaska = next(c for c in gaz.lookup("Alaska") if c.kind == "admin1")
    assert alaska.lon < -140 and alaska.lat > 60
    chukotka = next(c for c in gaz.lookup("Chukotskiy Avtonomnyy Okrug") if c.kind == "admin1")
    assert chukotka.lon > 160 or chukotka.lon < -170  # across the 180th meridian, not in the Atlantic


def test_places_gazetteer_unknown_name_has_no_candidate() -> None:
    assert gazetteer().lookup("Zzyzqvillex") == []
    assert gazetteer().lookup("") == []


# --- the stage ----------------------------------------------------------------------------------
def test_places_city_with_offsets_and_geonameid(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Russian shelling continued in Mariupol on Tuesday, officials said.")
    p = places_of(rec)["Mariupol"]
    assert rec.article.text[p.start : p.end] == "Mariupol"
    assert p.country == "UA" and p.kind == "city" and p.geonameid == 701822
    assert near(p, 47.10, 37.55)


@pytest.mark.parametrize(("text", "name"), [("Kiev", "Kyiv"), ("Kharkov", "Kharkiv"), ("Odessa", "Odesa")])
def test_places_old_spellings_resolve_to_the_city(extract, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    rec = extract(f"Air raid sirens sounded in {text} overnight, and residents went to shelters.")
    p = places_of(rec)[text]
    assert p.name == name and p.country == "UA"


def test_places_ambiguous_name_follows_the_article(extract) -> None:  # type: ignore[no-untyped-def]
    texas = extract("Storms hit north Texas on Monday. In Paris, the county seat, roofs were torn off "
                    "and the Lamar County sheriff closed two roads near Dallas.")
    p = places_of(texas)["Paris"]
    assert p.country == "US" and p.admin1 == "Texas"
    france = extract("Protesters marched in Paris on Saturday against the pension reform.")
    assert places_of(france)["Paris"].country == "FR"  # alone, the best-known Paris


def test_places_parent_decides(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The company moved its offices to Springfield, Ill., last year.")
    p = places_of(rec)["Springfield"]
    assert p.country == "US" and p.admin1 == "Illinois"
    assert places_of(rec)["Ill."].kind == "admin1"


def test_places_regions_and_seas(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Fighting intensified in the Donbas while warships patrolled the Black Sea.")
    ps = places_of(rec)
    assert ps["Donbas"].kind == "region" and ps["Donbas"].country == "UA"
    assert ps["Black Sea"].kind == "sea"


def test_places_direction_makes_a_region(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Russian troops advanced in eastern Ukraine, the ministry said.")
    p = places_of(rec)["eastern Ukraine"]
    assert p.kind == "region" and p.country == "UA"
    assert p.lon is not None and p.lon > 33  # east of the country's middle


def test_places_capital_acting_is_no_place(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Moscow said the talks had failed. Later, protesters gathered in Moscow.")
    mentions = [p for p in rec.places if p.text == "Moscow"]
    assert len(mentions) == 1  # only the second: the first is the Russian government speaking
    assert mentions[0].start > rec.article.text.index("Later")


def test_places_country_is_a_place_only_where_used_as_one(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Ukraine said it would not give up territory. Refugees fled across Ukraine.")
    ukraine = [p for p in rec.places if p.text == "Ukraine"]
    assert len(ukraine) == 1 and ukraine[0].kind == "country" and ukraine[0].country == "UA"
    assert ukraine[0].entity is not None  # the same span is a mention of the country's entity
    assert rec.entity(ukraine[0].entity).country == "UKR"  # type: ignore[union-attr]


def test_places_a_place_that_has_or_loses_is_a_place(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Boone County has a workforce of 27,733, and Madison County lost just 20 people last "
                  "year. Nebraska's 93 counties reported their figures on Monday.")
    ps = places_of(rec)
    assert {"Boone County", "Madison County", "Nebraska"} <= set(ps)
    assert ps["Boone County"].admin1 == ps["Madison County"].admin1 == "Nebraska"


def test_places_possessive_is_a_place_unless_it_acts(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The exhibition opens at Moscow's Tretyakov Gallery in June. The Sudanese government "
                  "declined Cairo's bid, and Texas's governor said nothing.")
    assert "Moscow" in places_of(rec)  # a capital, but where the gallery is
    assert "Cairo" not in places_of(rec) and "Texas" not in places_of(rec)


@pytest.mark.parametrize(
    "text",
    ["Ashley Turner, 23, Paris, was indicted by a Lamar County grand jury on Monday.",
     "The service will be held at 400 S. Main St., Paris, on Friday, Lamar County officials said.",
     "The truck overturned two miles east of Paris, a Lamar County deputy said."],
)
def test_places_hometowns_addresses_and_distances(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    p = places_of(extract(text))["Paris"]
    assert p.country == "US" and p.admin1 == "Texas"


def test_places_a_side_of_a_town_and_its_population(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The bomb squad was called to Richmond's east side on Tuesday. Connecticut's population "
                  "grew, the Madison County clerk said.")
    assert {"Richmond", "Connecticut"} <= set(places_of(rec))


def test_places_country_name_used_as_a_town(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("A 36-year-old Palestine man was arrested Wednesday at an Anderson County residence. "
                  "James Barnett, 36, of Palestine was held in the county jail.")
    palestine = [p for p in rec.places if p.text == "Palestine"]
    assert len(palestine) == 2 and all(p.kind == "city" and p.admin1 == "Texas" for p in palestine)
    assert all(p.entity is None for p in palestine)  # not the country's entity
    abroad = extract("Israeli forces and Palestinian militants clashed in Palestine on Friday.")
    assert places_of(abroad)["Palestine"].kind == "country"


def test_places_one_state_with_counties_is_the_state(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The rate puts Boone County near the middle of Indiana counties, officials said.")
    assert places_of(rec)["Indiana"].kind == "admin1"


def test_places_place_of_an_office_holder(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Athens Mayor Randy Daniel said the Henderson County commissioners would meet on Tuesday.")
    p = places_of(rec)["Athens"]
    assert p.country == "US" and p.admin1 == "Texas"


@pytest.mark.parametrize(
    ("text", "place", "admin1"),
    [("Rep. Vicki Lensing, D-Iowa City, voted against the bill in Des Moines.", "Iowa City", "Iowa"),
     ("Two men were arrested in W. Columbia after the shooting, Lexington County deputies said.",
      "Columbia", "South Carolina"),
     ("Hellinghausen was booked into the Titus County Jail in Mount Pleasant.", "Titus County", "Texas"),
     ("Fire damages S.E. Paris apartment. Lamar County firefighters were called at noon.", "Paris", "Texas")],
)
def test_places_name_inside_a_longer_place_name(extract, text: str, place: str, admin1: str) -> None:  # type: ignore[no-untyped-def]
    p = next(p for p in extract(text).places if p.name == place)
    assert p.admin1 == admin1


@pytest.mark.parametrize(
    ("text", "place", "admin1"),
    [("The bill's sponsors were Sen. Ron Stollings, D-Madison, and Del. Linda Sumner, R-Beckley, in "
      "Charleston, W.Va.", "Beckley", "West Virginia"),
     ("BY ABBEY ROY Advocate Reporter March 30, 2009 NEWARK -- The Licking County commissioners met on "
      "Monday.", "NEWARK", "Ohio"),
     ("Both were taken to Northeast Georgia Medical Center in Gainesville, Ga., for treatment.", "Georgia",
      "Georgia")],
)
def test_places_hometowns_bylines_and_hospitals(extract, text: str, place: str, admin1: str) -> None:  # type: ignore[no-untyped-def]
    p = places_of(extract(text))[place]
    assert p.admin1 == admin1 or p.name == admin1


def test_places_a_person_from_a_place(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("A Lovejoy senior won the scholarship, and an Alton funeral director was charged with "
                  "robbery in Madison County, Illinois.")
    assert {"Lovejoy", "Alton"} <= set(places_of(rec))


def test_places_a_capital_at_the_start_of_a_sentence_is_no_place(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Rain gardens are planted in depressions. Police officers said the road was closed.")
    assert not [p for p in rec.places if p.text in ("Rain", "Police")]


def test_places_two_places_joined_by_a_hyphen(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The Red River will crest at 39 feet in Fargo-Moorhead on Friday. She lives in "
                  "Winston-Salem. Man-made levees failed.")
    ps = places_of(rec)
    assert ps["Fargo"].admin1 == "North Dakota" and ps["Moorhead"].admin1 == "Minnesota"
    assert ps["Winston-Salem"].admin1 == "North Carolina"  # one town's name
    assert "Man" not in ps


def test_places_unknown_place_is_left_out(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The convoy reached Zzyzqvillex before dawn.")
    assert not [p for p in rec.places if "Zzyzq" in p.text]


def test_places_every_place_says_why(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Officials in Kharkiv reported new strikes near Odesa.")
    assert rec.places and all(p.why for p in rec.places)


def test_places_county_list_names_counties(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Flood warnings were issued for Alachua and Gilchrist counties on Sunday.")
    ps = places_of(rec)
    for name in ("Alachua", "Gilchrist"):
        assert ps[name].kind == "admin2" and ps[name].admin1 == "Florida", name


def test_places_short_form_of_a_county(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("A woman was hurt in Laurel County on Monday. DeKalb officials were not involved; "
                  "Laurel deputies closed the road.")
    assert places_of(rec)["Laurel County"].kind == "admin2"
    laurel = [p for p in rec.places if p.text == "Laurel"]
    assert all(p.kind == "admin2" and p.admin1 == "Kentucky" for p in laurel)


def test_places_dateline(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("BEIRUT — Several explosions shook the port on Tuesday, witnesses said.")
    p = places_of(rec)["BEIRUT"]
    assert p.country == "LB" and "dateline" in (p.why or "")


def test_places_facility_placed_by_its_city(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The plane was shot down shortly after take-off from Baghdad International Airport.")
    p = places_of(rec)["Baghdad International Airport"]
    assert p.kind == "facility" and p.country == "IQ" and near(p, 33.3, 44.4)


def test_places_institution_names_name_their_place(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The University of Texas announced a new campus, and the Kentucky Department of "
                  "Education approved it.")
    ps = places_of(rec)
    assert ps["Texas"].kind == "admin1" and ps["Kentucky"].kind == "admin1"  # not "Kentucky Department"
    assert "named in 'Kentucky Department of Education'" in (ps["Kentucky"].why or "")
    local = extract("The Athens Police Department arrested a 33-year-old man on Monday. Henderson County "
                    "Sheriff Ray Nutt said the man was held in the county jail.")
    athens = places_of(local)["Athens"]
    assert athens.country == "US" and athens.admin1 == "Texas"  # beside Henderson County, not Greece
    assert "named in 'Athens Police Department'" in (athens.why or "")


@pytest.mark.parametrize(
    ("text", "place"),
    [("She graduated from the University of Cincinnati in 1998.", "Cincinnati"),
     ("Titus County Sheriff's Office deputies stopped the truck on Edwards Street.", "Titus County"),
     ("The Hamilton County Board of Education will meet on Tuesday.", "Hamilton County")],
)
def test_places_institution_patterns(extract, text: str, place: str) -> None:  # type: ignore[no-untyped-def]
    assert place in places_of(extract(text))


@pytest.mark.parametrize(
    "text",
    ["Conservatives have twice brought challenges to the Supreme Court, the lawyers said.",
     "The EU Commission has known since 2002 that the chemical is harmful.",
     "A group of Cornell University undergraduates travelled to Hanoi in January.",
     "The bogus story comes from the fake-news website Empire News.",
     "He is the first Jewish godson of an Argentine president."],
)
def test_places_institutions_not_named_after_places(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    rec = extract(text)
    assert not [p for p in rec.places if p.text in ("Supreme", "EU", "Cornell", "Empire", "Argentine")]


def test_places_a_capital_as_a_city_is_no_mention_of_the_country(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Paris said it would not negotiate. The jewels were stolen from a store in central Paris.")
    paris = [p for p in rec.places if p.name == "Paris"]
    assert paris and all(p.entity is None for p in paris)  # the city, not France's entity


def test_places_named_schools_and_companies_are_not_their_namesakes(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Students at Lincoln High School visited the Ford Motor plant on Friday.")
    assert not [p for p in rec.places if p.text in ("Lincoln", "Ford")]


def test_places_a_name_repeated_is_no_evidence_for_itself(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Ashley Evans, 26, of Paris, appeared in court on Thursday. She was held in the Edgar "
                  "County jail until Paris police completed their report. Her passenger was taken to a "
                  "hospital in Urbana. Paris officials said the road would reopen.")
    paris = [p for p in rec.places if p.text == "Paris"]
    assert len(paris) >= 2 and all(p.country == "US" and p.admin1 == "Illinois" for p in paris)


def test_places_an_institution_named_after_a_place_is_no_evidence_for_it(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The Paris Public Library will offer a workshop for job seekers who wish to sign up for "
                  "the service of the Illinois Department of Employment Security. Paris Public Library "
                  "staff will help.")
    paris = [p for p in rec.places if p.text == "Paris"]
    assert paris and all(p.country == "US" and p.admin1 == "Illinois" for p in paris)


def test_places_famous_cities_are_no_cluster_of_namesakes(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("After stops in Washington, New York and Boston, the prince flew to Houston for a final "
                  "day of meetings.")
    ps = places_of(rec)
    assert ps["Washington"].admin1 == "District of Columbia"  # no parent "New York": a list
    assert ps["Boston"].admin1 == "Massachusetts" and ps["Houston"].admin1 == "Texas"


def test_places_a_person_named_in_full_is_no_place(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Canadian Foreign Minister Chrystia Freeland left for Washington on Thursday. Freeland, "
                  "U.S. Trade Representative Robert Lighthizer and their Mexican counterpart will meet there.")
    assert "Freeland" not in places_of(rec)
    assert places_of(rec)["Washington"].admin1 == "District of Columbia"


def test_places_one_sense_per_article(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The fire started in a barn outside Paris, Texas, on Sunday. Paris firefighters needed "
                  "three hours to put it out, and Paris residents were asked to stay away.")
    paris = [p for p in rec.places if p.text == "Paris"]
    assert len(paris) == 3 and all(p.admin1 == "Texas" for p in paris)


def test_places_state_abbreviation_is_a_state(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The plant in Gainesville, Fla., will close next year.")
    ps = places_of(rec)
    assert ps["Gainesville"].admin1 == "Florida"
    assert ps["Fla."].kind == "admin1" and ps["Fla."].name == "Florida"


def test_places_state_abbreviations_keep_their_dots(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The port of L.A. signed on for 25 trucks, and a plant near Raleigh, N.C., will build them.")
    ps = places_of(rec)
    assert not [p for p in rec.places if p.name == "Louisiana"]  # "L.A." is not "La."
    assert ps["N.C."].name == "North Carolina" and ps["Raleigh"].admin1 == "North Carolina"


# --- for events -----------------------------------------------------------------------------
def test_places_place_near_prefers_the_preposition(extractor) -> None:  # type: ignore[no-untyped-def]
    from chronicle.extract.analysis import Analysis

    text = "Officials in Kyiv said missiles struck a depot in Lviv on Sunday."
    art = Article(id="n1", text=text)
    doc = extractor.nlp(text)
    rec = Record(article=art)
    an = Analysis(article=art, doc=doc, record=rec)
    for name, stage in extractor.stages:
        if name in ("entities", "places"):
            stage(an)
    at = text.index("struck")
    link = place_near(an, at, at + len("struck"))
    assert link is not None and link.how == "prep"
    assert next(p for p in rec.places if p.id == link.place).name == "Lviv"


# --- the store and the command -----------------------------------------------------------------
def _stored(store) -> None:  # type: ignore[no-untyped-def]
    def rec(aid: str, places: list[Place]) -> Record:
        r = Record(article=Article(id=aid, text=aid * 50, title=aid))
        r.places = places
        return r

    kyiv = Place(id="p1", text="Kyiv", start=0, end=4, name="Kyiv", country="UA", lat=50.45, lon=30.52)
    lviv = Place(id="p2", text="Lviv", start=5, end=9, name="Lviv", country="UA", lat=49.84, lon=24.03)
    paris = Place(id="p2", text="Paris", start=0, end=5, name="Paris", country="FR", lat=48.85, lon=2.35)
    a = rec("a1", [kyiv, lviv])
    a.events = [Event(id="v1", type="ASSAULT", trigger=Span("struck", 10, 16), sentence=SentenceSpan(0, 50),
                      place="p2")]
    b = rec("a2", [Place(**{**kyiv.to_dict(), "start": 10, "end": 14}), paris])
    store.write([a, b])


def test_places_store_counts_mentions_and_articles(store) -> None:  # type: ignore[no-untyped-def]
    _stored(store)
    rows = store.places()
    assert (rows[0].name, rows[0].mentions, rows[0].articles) == ("Kyiv", 2, 2)
    assert {r.name for r in store.places(country="UA")} == {"Kyiv", "Lviv"}
    assert [r.name for r in store.places(near=(50.0, 30.0, 100))] == ["Kyiv"]
    assert store.places(near=(0.0, 0.0, 10)) == []


def test_places_store_filters_events_by_place(store) -> None:  # type: ignore[no-untyped-def]
    _stored(store)
    assert [(e.event_id, e.place) for e in store.events_at(country="UA")] == [("v1", "Lviv")]
    assert store.events_at(near=(50.45, 30.52, 50)) == []  # Lviv is 470 km from Kyiv
    assert store.events_at(country="FR") == []


def test_places_events_query_and_command_filter_by_place(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _stored(store)
    assert [r.event.id for r in store.events(country="UA")] == ["v1"]
    assert [r.place.name for r in store.events(near=(49.84, 24.03, 30)) if r.place] == ["Lviv"]
    assert store.events(near=(50.45, 30.52, 50)) == [] and store.events(country="FR") == []
    store.close()
    db = str(tmp_path / "test.db")
    res = CliRunner().invoke(cli, ["events", "--db", db, "--country", "UKR"])
    assert res.exit_code == 0 and "in Lviv" in res.output
    res = CliRunner().invoke(cli, ["events", "--db", db, "--near", "48.85,2.35,100"])
    assert res.exit_code == 0 and "Lviv" not in res.output


def test_places_command_lists_and_filters(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _stored(store)
    store.close()
    db = str(tmp_path / "test.db")
    runner = CliRunner()
    res = runner.invoke(cli, ["places", "--db", db])
    assert res.exit_code == 0 and "Kyiv (UA)" in res.output.splitlines()[0]
    res = runner.invoke(cli, ["places", "--db", db, "--country", "Ukraine", "--json"])
    assert [json.loads(line)["name"] for line in res.output.splitlines()] == ["Kyiv", "Lviv"]
    res = runner.invoke(cli, ["places", "--db", db, "--near", "48.85,2.35,20"])
    assert "Paris" in res.output and "Kyiv" not in res.output


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--near", "50,30"], "not LAT,LON,KM"), (["--country", "Atlantis"], "unknown country")],
)
def test_places_command_bad_filters(store, tmp_path, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    store.close()
    from chronicle.cli import main  # noqa: F401  (errors become one line through main)

    res = CliRunner().invoke(cli, ["places", "--db", str(tmp_path / "test.db"), *args])
    assert res.exit_code != 0
    assert message in (res.output + str(res.exception))
