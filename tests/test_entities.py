"""The entities stage: one entity per referent, with its mentions, country and role.

Every example below was written for these tests."""

from __future__ import annotations

import pytest

from chronicle.record import Entity, Record

SEED = (
    "Russian President Vladimir Putin has told his French counterpart that Western countries could bring "
    "the fighting in Ukraine to an end by stopping their weapons shipments to Kyiv.\n"
    "In a telephone call on Tuesday, Mr Putin said Ukrainian forces were committing war crimes and shelling "
    "towns in the Donbas, according to a Kremlin statement.\n"
    "The French leader once more urged a ceasefire. Emmanuel Macron also asked Mr Putin to let more "
    "civilians leave the Azovstal steelworks in Mariupol, the Élysée Palace said.\n"
    "He said France would keep supporting Ukraine. Ukraine denies shelling residential areas.\n"
    "On Tuesday the UK announced a further pledge of military equipment worth £300m ($376m). "
    "Moscow said the aid would prolong the war. The Russian leader did not comment on it."
)


def by_name(rec: Record, name: str) -> Entity:
    found = [e for e in rec.entities if e.name == name]
    assert len(found) == 1, [(e.name, [m.text for m in e.mentions]) for e in rec.entities]
    return found[0]


def mentions(e: Entity) -> set[str]:
    return {m.text for m in e.mentions}


def holding(rec: Record, text: str) -> Entity:
    found = [e for e in rec.entities if text in mentions(e)]
    assert len(found) == 1, (text, [(e.name, sorted(mentions(e))) for e in rec.entities])
    return found[0]


def test_entities_seed_article(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract(SEED)
    putin = by_name(rec, "Vladimir Putin")
    assert (putin.country, putin.role, putin.type) == ("RUS", "GOV", "PERSON")
    assert {"Russian President Vladimir Putin", "Mr Putin", "The Russian leader"} <= mentions(putin)
    macron = by_name(rec, "Emmanuel Macron")
    assert (macron.country, macron.role) == ("FRA", "GOV")
    assert {"Emmanuel Macron", "The French leader", "He"} <= mentions(macron)
    ukraine = by_name(rec, "Ukraine")
    assert (ukraine.country, ukraine.type) == ("UKR", "GPE")
    forces = holding(rec, "Ukrainian forces")
    assert (forces.country, forces.role) == ("UKR", "MIL")
    assert (holding(rec, "Kremlin").country, holding(rec, "Élysée Palace").country) == ("RUS", "FRA")
    assert holding(rec, "Moscow").country == "RUS"  # the capital speaking is Russia's government


def test_entities_mentions_are_exact_spans(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract(SEED)
    for e in rec.entities:
        for m in e.mentions:
            assert rec.article.text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("text", "name", "country", "role"),
    [
        ("Egyptian foreign minister Sameh Shoukry met his counterparts on Monday.", "Sameh Shoukry", "EGY", "GOV"),
        ("President Hassan Rouhani of Iran addressed the assembly.", "Hassan Rouhani", "IRN", "GOV"),
        ("Sergei Lavrov, Russia's foreign minister, arrived in Ankara.", "Sergei Lavrov", "RUS", "GOV"),
        ("Kremlin spokesman Dmitry Peskov told reporters the talks were over.", "Dmitry Peskov", "RUS", "GOV"),
        ("Iranian airline Mahan Air was banned from German airports.", "Mahan Air", "IRN", "BUS"),
    ],
)
def test_entities_title_gives_country_and_role(extract, text, name, country, role) -> None:  # type: ignore[no-untyped-def]
    e = by_name(extract(text), name)
    assert (e.country, e.role) == (country, role)
    assert e.why


def test_entities_same_surname_different_first_names_stay_apart(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Boris Johnson arrived in Kyiv on Saturday. Aid worker Sarah Johnson said the convoy was "
                  "ready. Mr Johnson later met President Volodymyr Zelensky.")
    boris, sarah = by_name(rec, "Boris Johnson"), by_name(rec, "Sarah Johnson")
    assert boris is not sarah
    assert "Mr Johnson" in mentions(boris)


def test_entities_first_name_alone_joins_the_full_name(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Opposition candidate Olena Kovalenko rallied supporters in the capital. Her husband "
                  "Taras Kovalenko was detained in May. Taras had planned to run himself.")
    taras = by_name(rec, "Taras Kovalenko")
    assert "Taras" in mentions(taras)
    assert by_name(rec, "Olena Kovalenko") is not taras


def test_entities_acronym_joins_its_organisation(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The Northern Liberation Front (NLF) seized two villages. A spokesman said the NLF "
                  "would hold them.")
    nlf = holding(rec, "Northern Liberation Front")
    assert "NLF" in mentions(nlf)


def test_entities_country_aliases_are_one_entity(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The United States imposed new sanctions. US officials said more would follow, and "
                  "the U.S. Treasury published the list.")
    us = by_name(rec, "United States")
    assert (us.country, us.role) == ("USA", "GOV")
    assert {"United States", "US"} <= mentions(us) or {"United States", "U.S."} <= mentions(us)


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Moscow said the sanctions were illegal.", True),
        ("The talks were held in Moscow on Friday.", False),
        ("Paris rejected the claim.", True),
        ("She flew to Paris last week.", False),
    ],
)
def test_entities_capital_as_actor_or_place(extract, text: str, actor: bool) -> None:  # type: ignore[no-untyped-def]
    rec = extract(text)
    city = "Moscow" if "Moscow" in text else "Paris"
    holders = [e for e in rec.entities if city in mentions(e)]
    assert bool(holders) == actor
    if actor:
        assert holders[0].country in ("RUS", "FRA") and holders[0].role == "GOV"


def test_entities_government_descriptions_join_the_country(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Syria rejected the report. The Syrian government said it was fabricated, and the "
                  "government of Syria asked the UN to withdraw it.")
    syria = by_name(rec, "Syria")
    assert {"Syria", "Syrian government"} <= {m.text.removeprefix("The ") for m in syria.mentions}


@pytest.mark.parametrize(
    ("phrase", "country", "role"),
    [
        ("Russian troops", "RUS", "MIL"),
        ("Ukrainian soldiers", "UKR", "MIL"),
        ("refugees", None, "REF"),
    ],
)
def test_entities_groups_get_codes(extract, phrase: str, country: str | None, role: str) -> None:  # type: ignore[no-untyped-def]
    rec = extract(f"Aid agencies said {phrase} had crossed the river near the border on Sunday.")
    e = holding(rec, phrase)
    assert (e.country, e.role) == (country, role)


def test_entities_pronouns_follow_the_subject(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Chancellor Olaf Scholz met Polish President Andrzej Duda in Warsaw. He said Germany "
                  "would send more air defence systems. Duda thanked him.")
    scholz = by_name(rec, "Olaf Scholz")
    assert "He" in mentions(scholz) and "him" in mentions(scholz)
    assert "He" not in mentions(by_name(rec, "Andrzej Duda"))


def test_entities_pronoun_inside_quote_is_not_resolved_across(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract('Antonio Guterres visited the plant. "He told us nothing," an engineer said.')
    assert "He" not in mentions(by_name(rec, "Antonio Guterres"))


def test_entities_office_holder_table_fills_missing_country(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Assad met his allies in Damascus on Monday.", published="2019-10-15")
    assad = holding(rec, "Assad")
    assert (assad.country, assad.role) == ("SYR", "GOV")


def test_entities_description_before_the_name(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The Italian foreign minister called for calm. Italian foreign minister Luigi Di Maio "
                  "said later that Rome would host the talks.")
    di_maio = by_name(rec, "Luigi Di Maio")
    assert "The Italian foreign minister" in mentions(di_maio)
    assert di_maio.country == "ITA"


def test_entities_it_and_they_for_bodies_and_groups(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("The Russian defence ministry said it had destroyed two depots. It added that its units had "
                  "suffered no losses. Ukrainian troops crossed the river on Monday. They were met by heavy fire.")
    ministry = holding(rec, "Russian defence ministry")
    assert {"it", "It", "its"} <= mentions(ministry)
    assert (ministry.country, ministry.role) == ("RUS", "GOV")
    assert "They" in mentions(holding(rec, "Ukrainian troops"))


def test_entities_pleonastic_it_refers_to_nothing(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Poland denied the report. It is unclear whether the talks will resume.")
    assert "It" not in mentions(by_name(rec, "Poland"))


@pytest.mark.parametrize("text", [
    "Kyiv denied the claims on Monday.",
    "Kiev says Russian troops broke into the site.",  # spaCy takes this spelling for a person
])
def test_entities_capital_acting_is_its_government(extract, text: str) -> None:  # type: ignore[no-untyped-def]
    rec = extract(text)
    (e,) = [x for x in rec.entities if x.mentions[0].text in ("Kyiv", "Kiev")]
    assert (e.type, e.country, e.role) == ("GPE", "UKR", "GOV")
    assert rec.statements and rec.statements[0].speaker is not None
    assert rec.statements[0].speaker.entity == e.id
    assert not [p for p in rec.places if p.text in ("Kyiv", "Kiev")]  # an actor, not a place
