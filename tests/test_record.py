"""The record: JSON in and out, and real output valid against the shipped JSON Schema."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from chronicle.record import (
    Article,
    DateValue,
    Entity,
    Event,
    Mention,
    Party,
    Place,
    Quantity,
    Record,
    SentenceSpan,
    Span,
    Statement,
    Time,
    article_id_for,
)


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads((resources.files("chronicle.schema") / "record.schema.json").read_text())


def full_record() -> Record:
    text = "On Tuesday the UK pledged £300m to Ukraine, Mr Smith said."
    return Record(
        article=Article(id="a1", text=text, title="Pledge", published="2022-05-03", source="Wire"),
        entities=[Entity("e1", "United Kingdom", "GPE", "GBR", "GOV", [Mention("UK", 15, 17)])],
        statements=[Statement("s1", Party("Mr Smith", 44, 52, None), Span("said", 53, 57),
                              Span("On Tuesday the UK pledged £300m to Ukraine", 0, 42), "indirect", "assert")],
        events=[Event("v1", "AID", Span("pledged", 18, 25), SentenceSpan(0, 58), mode="military",
                      actor=Party("the UK", 11, 17, "e1", "GBR", "GOV"), date=DateValue("2022-05-03", "day"),
                      quantities=["q1"])],
        quantities=[Quantity("q1", "£300m", 26, 31, 300_000_000, "GBP", "money")],
        times=[Time("t1", "Tuesday", 3, 10, "2022-05-03", "day")],
        places=[Place("p1", "Ukraine", 35, 42, "Ukraine", "UA", 49.0, 32.0, 690791)],
    )


def test_record_json_round_trip() -> None:
    rec = full_record()
    again = Record.from_json(rec.to_json())
    assert again == rec
    assert again.events[0].actor.country == "GBR"
    assert again.statements[0].cue.text == "said"


def test_record_from_dict_ignores_unknown_fields() -> None:
    d = full_record().to_dict()
    d["entities"][0]["future_field"] = 1
    assert Record.from_dict(d).entities[0].name == "United Kingdom"


def test_record_matches_schema(schema: dict) -> None:
    jsonschema.validate(full_record().to_dict(), schema)


def test_record_schema_rejects_bad_event_type(schema: dict) -> None:
    d = full_record().to_dict()
    d["events"][0]["type"] = "BOMBING"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(d, schema)


def test_real_output_validates_against_schema(schema: dict, extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Russian President Vladimir Putin spoke to French President Emmanuel Macron by phone. "
                  "Mr Putin said Ukraine was to blame, the Kremlin said.")
    jsonschema.validate(json.loads(rec.to_json()), schema)
    assert rec.entities


def test_article_id_is_stable() -> None:
    assert article_id_for("some text here") == article_id_for("some  text\nhere")
    assert article_id_for("x", "https://a.example/1") == article_id_for("y", "https://a.example/1")
    assert article_id_for("x") != article_id_for("y")
