"""The quantities stage: money, counts, percentages, bounds, conversions and what is counted.

Every example here was written for these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from chronicle.extract import quantities as quantities_stage
from chronicle.extract import times as times_stage
from chronicle.extract.analysis import Analysis
from chronicle.extract.quantities import currencies
from chronicle.record import Article, Quantity, Record


@pytest.fixture(scope="module")
def quantities(extractor):  # type: ignore[no-untyped-def]
    """quantities(text) -> the record's quantities (after the times stage, as in the pipeline)."""

    def run(text: str, published: str | None = "2022-05-03") -> list[Quantity]:
        article = Article(id="q", text=text, published=published)
        analysis = Analysis(article=article, doc=extractor.nlp(text), record=Record(article=article))
        times_stage.run(analysis)
        quantities_stage.run(analysis)
        for q in analysis.record.quantities:
            assert text[q.start:q.end] == q.text
        return analysis.record.quantities

    return run


def only(qs: list[Quantity]) -> Quantity:
    assert len(qs) == 1, [q.to_dict() for q in qs]
    return qs[0]


def fields(q: Quantity, *names: str) -> tuple[Any, ...]:
    return tuple(getattr(q, n) for n in names)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Britain pledged £300m in aid.", 300_000_000, "GBP"),
    ("Washington sent $376m in weapons.", 376_000_000, "USD"),
    ("The EU released €1.5bn for reconstruction.", 1_500_000_000, "EUR"),
    ("London will give 300 million pounds to Kyiv.", 300_000_000, "GBP"),
    ("Brussels approved 1.2 billion euros in loans.", 1_200_000_000, "EUR"),
    ("Ottawa sent C$500 million.", 500_000_000, "CAD"),
    ("Sales reached 7.38 billion Canadian dollars.", 7_380_000_000, "CAD"),
    ("The fund holds USD 5m in bonds.", 5_000_000, "USD"),
    ("The fine was 20,000 EUR.", 20_000, "EUR"),
    ("The contract is worth Rs 500 crore.", 500, "INR"),
    ("Moscow set aside 2 trillion roubles.", 2_000_000_000_000, "RUB"),
    ("Kyiv printed 25 billion hryvnias.", 25_000_000_000, "UAH"),
    ("The firm paid $17.3 million, or $1.02 a share.", 17_300_000, "USD"),
])
def test_quantities_money_forms(quantities, text: str, value: float, unit: str) -> None:  # type: ignore[no-untyped-def]
    q = quantities(text)[0]
    assert fields(q, "value", "unit", "kind", "bound") == (value, unit, "money", "exact")


def test_quantities_money_with_an_ambiguous_currency_word_keeps_no_unit(quantities) -> None:  # type: ignore[no-untyped-def]
    q = only(quantities("The bank lent 40 million francs."))
    assert fields(q, "value", "unit", "kind") == (40_000_000, None, "money")


def test_quantities_currency_lexicon_loads() -> None:
    c = currencies()
    assert c.symbols["£"] == "GBP" and c.symbols["US$"] == "USD" and c.words["euros"] == "EUR"
    assert c.words["francs"] is None and "JPY" in c.codes


def test_quantities_conversion_is_linked_to_its_original(quantities) -> None:  # type: ignore[no-untyped-def]
    gbp, usd = quantities("The UK pledged £300m ($376m) in military aid.")
    assert fields(gbp, "value", "unit", "converts") == (300_000_000, "GBP", None)
    assert fields(usd, "value", "unit", "converts") == (376_000_000, "USD", gbp.id)
    cad, usd2 = quantities("Revenue was 7.38 billion Canadian dollars (US$6.3 billion).")
    assert usd2.converts == cad.id
    eur, gbp2 = quantities("The prize is €9,000, or about £7,700.")
    assert gbp2.converts == eur.id and gbp2.bound == "approx"


def test_quantities_two_amounts_in_one_currency_are_no_conversion(quantities) -> None:  # type: ignore[no-untyped-def]
    _, b = quantities("Profit was $4m ($2m a year earlier).")
    assert b.converts is None


@pytest.mark.parametrize(("text", "qtext", "value", "bound", "counted"), [
    ("More than 5.5 million refugees have fled.", "More than 5.5 million", 5_500_000, "min", "refugees"),
    ("At least 300 civilians were killed.", "At least 300", 300, "min", "civilians"),
    ("Over 1,000 soldiers surrendered.", "Over 1,000", 1000, "min", "soldiers"),
    ("Up to 40,000 troops could be sent.", "Up to 40,000", 40_000, "max", "troops"),
    ("Fewer than 200 residents remain.", "Fewer than 200", 200, "max", "residents"),
    ("Nearly 700 seats were added.", "Nearly 700", 700, "max", "seats"),
    ("About 2.9 million people voted.", "About 2.9 million", 2_900_000, "approx", "people"),
    ("Some 60 thousand people need food.", "Some 60 thousand", 60_000, "approx", "people"),
    ("Roughly a dozen tanks advanced.", "Roughly a dozen", 12, "approx", "tanks"),
    ("An estimated 14,000 homes were damaged.", "An estimated 14,000", 14_000, "approx", "homes"),
    ("The 176 people on board were killed.", "176", 176, "exact", "people"),
    ("Police arrested 33 Russian nationals.", "33", 33, "exact", "nationals"),
    ("Three soldiers died.", "Three", 3, "exact", "soldiers"),
    ("Two hundred and thirty four Americans have flown in space.", "Two hundred and thirty four", 234, "exact",
     "Americans"),
    ("500 prisoners or more were freed.", "500", 500, "min", "prisoners"),
])
def test_quantities_counts_with_bounds(quantities, text: str, qtext: str, value: int, bound: str,  # type: ignore[no-untyped-def]
                                       counted: str) -> None:
    q = only(quantities(text))
    assert fields(q, "text", "value", "kind", "bound", "counted") == (qtext, value, "count", bound, counted)


@pytest.mark.parametrize(("text", "magnitude", "counted"), [
    ("Hundreds of civilians were trapped.", 100, "civilians"),
    ("Tens of thousands of people marched.", 10_000, "people"),
    ("Thousands fled the city.", 1000, None),
    ("Dozens of drones were shot down.", 12, "drones"),
])
def test_quantities_vague_counts_have_no_value(quantities, text: str, magnitude: int, counted: str | None) -> None:  # type: ignore[no-untyped-def]
    q = only(quantities(text))
    assert fields(q, "value", "magnitude", "bound", "counted") == (None, magnitude, "approx", counted)


def test_quantities_ranges(quantities) -> None:  # type: ignore[no-untyped-def]
    lo, hi = quantities("Around 18,250 to 63,000 visitors attended.")
    assert fields(lo, "value", "bound", "counted") == (18_250, "approx", "visitors")
    assert fields(hi, "value", "bound", "counted") == (63_000, "approx", "visitors")
    lo, hi = quantities("Between 5 and 10 million people could be displaced.")
    assert fields(lo, "value", "bound") == (5_000_000, "min")  # the scale is shared
    assert fields(hi, "value", "bound") == (10_000_000, "max")
    lo, hi = quantities("The plan costs $5-10bn.")
    assert fields(lo, "value", "unit", "bound") == (5_000_000_000, "USD", "min")
    assert fields(hi, "value", "unit", "bound") == (10_000_000_000, "USD", "max")


def test_quantities_a_change_is_no_range(quantities) -> None:  # type: ignore[no-untyped-def]
    a, b = quantities("Output rose from 5 to 7 million barrels.")
    assert fields(a, "value", "unit", "bound") == (5_000_000, "bbl", "exact")
    assert fields(b, "value", "unit", "bound") == (7_000_000, "bbl", "exact")


@pytest.mark.parametrize(("text", "value", "unit", "bound"), [
    ("Inflation reached 12% in April.", 12, "%", "exact"),
    ("Turnout was 63.5 per cent.", 63.5, "%", "exact"),
    ("Unemployment fell 2.5 percentage points.", 2.5, "pp", "exact"),
    ("Support is about 28 percent.", 28, "%", "approx"),
    ("Mortality was at least 25%.", 25, "%", "min"),
])
def test_quantities_percentages(quantities, text: str, value: float, unit: str, bound: str) -> None:  # type: ignore[no-untyped-def]
    q = only(quantities(text))
    assert fields(q, "value", "unit", "kind", "bound") == (value, unit, "percent", bound)


@pytest.mark.parametrize(("text", "value", "unit", "kind"), [
    ("The convoy stretched 64 km.", 64, "km", "measure"),
    ("Winds reached 120 miles per hour.", 120, "mph", "measure"),
    ("The airline has 45 days to wind down.", 45, "day", "duration"),
    ("She bought five pounds of sugar.", 5, "lb", "measure"),
    ("A magnitude 5.2 earthquake hit.", 5.2, "magnitude", "measure"),
    ("His daughter, aged 17, escaped.", 17, "year", "age"),
])
def test_quantities_measures_durations_and_ages(quantities, text: str, value: float, unit: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    q = only(quantities(text))
    assert fields(q, "value", "unit", "kind") == (value, unit, kind)


@pytest.mark.parametrize("text", [
    "The Boeing 737-800 crashed after take-off.",
    "The council cited resolution 2259 and Article 5.",
    "The 78-year-old died of Covid-19.",
    "The rally started at 18:00 local time (1500 UTC).",
    "The company was founded in 1992.",
    "The attack began on 24 February.",
    "The team won a 2-1 victory.",
    "One of them said the line was open 24/7.",
    "Flight 752 was shot down.",
])
def test_quantities_not_quantities(quantities, text: str) -> None:  # type: ignore[no-untyped-def]
    assert quantities(text) == []


def test_quantities_a_count_can_be_a_four_digit_number(quantities) -> None:  # type: ignore[no-untyped-def]
    q = only(quantities("Officials said 2000 troops had crossed."))
    assert fields(q, "value", "counted") == (2000, "troops")


def test_quantities_in_the_pipeline(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Britain pledged £300m ($376m) on Tuesday, and more than 5.5 million refugees have fled.")
    assert [(q.text, q.value, q.unit, q.kind, q.bound) for q in rec.quantities] == [
        ("£300m", 300_000_000, "GBP", "money", "exact"),
        ("$376m", 376_000_000, "USD", "money", "exact"),
        ("more than 5.5 million", 5_500_000, None, "count", "min"),
    ]
    assert rec.quantities[1].converts == rec.quantities[0].id
    assert [t.text for t in rec.times] == ["Tuesday"]
