"""The statements stage: one short example, written for chronicle, per construction it handles."""

from __future__ import annotations

import pytest

from chronicle.extract.quotes import quotations
from chronicle.lexicon.cues import STANCES, cue_lexicon
from chronicle.record import Record, Statement

TITLE = "Talks in Geneva\n\n"


def one(rec: Record, cue: str | None = None) -> Statement:
    """The statement of a record (the one whose cue contains ``cue`` when given)."""
    found = [s for s in rec.statements if cue is None or (s.cue is not None and cue in s.cue.text)]
    assert len(found) == 1, [(s.cue.text if s.cue else None, s.content.text) for s in rec.statements]
    return found[0]


def check_spans(rec: Record) -> None:
    text = rec.article.text
    for s in rec.statements:
        for part in (s.speaker, s.cue, s.content, s.target, s.addressee, s.source, *s.parts):
            if part is not None:
                assert text[part.start : part.end] == part.text


# --- direct quotations -------------------------------------------------------------------------
@pytest.mark.parametrize("opening,closing", [('"', '"'), ("\u201c", "\u201d"), ("\u2018", "\u2019"),
                                             ("\u00ab", "\u00bb")])
def test_statements_direct_quote_in_every_style(extract, opening: str, closing: str) -> None:
    rec = extract(TITLE + f"{opening}We will not give up our land,{closing} the minister said on Tuesday.")
    s = one(rec)
    assert s.kind == "direct" and s.stance == "assert"
    assert s.content.text.startswith("We will not give up our land")
    assert s.speaker is not None and s.speaker.text == "the minister"
    assert s.cue is not None and s.cue.text == "said"
    check_spans(rec)


def test_statements_quote_over_several_paragraphs(extract) -> None:
    rec = extract(TITLE + 'Anna Berg, the mayor, spoke on Friday. "The shelling went on all night. Nobody slept.\n\n'
                  '"We need water and medicine," she said.')
    s = one(rec, "said")
    assert s.kind == "direct" and len(s.parts) == 2
    assert "Nobody slept" in s.content.text and "water and medicine" in s.content.text
    assert s.speaker is not None and s.speaker.text == "she" and s.speaker.entity is not None
    check_spans(rec)


def test_statements_quote_split_by_its_attribution(extract) -> None:
    rec = extract(TITLE + '"We will not," Anna Berg said, "give up our land to anyone."')
    s = one(rec)
    assert s.kind == "direct"
    assert [p.text for p in s.parts] == ["We will not,", "give up our land to anyone."]
    assert s.speaker is not None and s.speaker.text == "Anna Berg"
    check_spans(rec)


def test_statements_colon_introduction(extract) -> None:
    rec = extract(TITLE + 'The governor said: "The bridge is closed until further notice."')
    s = one(rec)
    assert (s.kind, s.content.text) == ("direct", "The bridge is closed until further notice.")


def test_statements_colon_introduction_with_the_quote_in_the_next_paragraph(extract) -> None:
    rec = extract(TITLE + 'The governor issued a short message to residents:\n\n'
                  '"The bridge is closed until further notice. Stay at home."')
    s = one(rec)
    assert s.kind == "direct" and s.content.text.endswith("Stay at home.")
    assert s.source is not None and s.source.text == "a short message"
    assert s.speaker is not None and s.speaker.text == "The governor"


def test_statements_continuation_quote_keeps_the_speaker(extract) -> None:
    rec = extract(TITLE + '"The roads are cut," the governor said. "We have no fuel left and the hospitals are full."')
    s = one(rec)
    assert "no fuel left" in s.content.text and s.speaker is not None and s.speaker.text == "the governor"


def test_statements_trailing_attribution_without_quotes(extract) -> None:
    rec = extract(TITLE + "The talks had failed because neither side would move, the envoy said.")
    s = one(rec)
    assert (s.kind, s.content.text) == ("indirect", "The talks had failed because neither side would move")
    assert s.speaker is not None and s.speaker.text == "the envoy"


def test_statements_parenthetical_attribution(extract) -> None:
    rec = extract(TITLE + "The offensive, the general said, would continue through the winter.")
    s = one(rec)
    assert s.content.text == "would continue through the winter"
    assert s.speaker is not None and s.speaker.text == "the general"


def test_statements_titles_in_quotation_marks_are_not_statements(extract) -> None:
    rec = extract(TITLE + 'The senator appeared on "Meet the Press" and the "Morning Show" this week.')
    assert rec.statements == []


# --- indirect and mixed speech -------------------------------------------------------------------
def test_statements_said_that(extract) -> None:
    s = one(extract(TITLE + "The foreign minister said that the border would stay closed."))
    assert (s.kind, s.stance, s.content.text) == ("indirect", "assert", "that the border would stay closed")


def test_statements_told_addressee_that(extract) -> None:
    s = one(extract(TITLE + "The foreign minister told reporters that the border would stay closed."))
    assert s.addressee is not None and s.addressee.text == "reporters"
    assert s.content.text == "that the border would stay closed"


def test_statements_told_the_broadcaster(extract) -> None:
    s = one(extract(TITLE + "The mayor told the BBC the city had run out of fuel."))
    assert s.addressee is not None and s.addressee.text == "the BBC"
    assert s.content.text == "the city had run out of fuel"


def test_statements_added(extract) -> None:
    rec = extract(TITLE + "The minister said the border was closed. He added that talks would resume next week.")
    s = one(rec, "added")
    assert s.content.text == "that talks would resume next week"
    assert s.speaker is not None and s.speaker.text == "He"


def test_statements_according_to(extract) -> None:
    s = one(extract(TITLE + "Casualties were rising, according to Maria Olsen, a doctor at the hospital."))
    assert s.cue is not None and s.cue.text == "according to"
    assert s.content.text == "Casualties were rising"
    assert s.speaker is not None and s.speaker.text.startswith("Maria Olsen")


def test_statements_according_to_a_document_is_the_cited_source(extract) -> None:
    rec = extract(TITLE + "Mr Petrov accused Ukrainian forces of shelling a school, according to a Kremlin statement.")
    s = one(rec)
    assert s.cue is not None and s.cue.text == "accused" and s.stance == "accuse"
    assert s.speaker is not None and s.speaker.text == "Mr Petrov"
    assert s.source is not None and s.source.text == "a Kremlin statement"
    assert s.target is not None and s.target.text == "Ukrainian forces"
    assert s.content.text == "Ukrainian forces of shelling a school"


def test_statements_document_as_subject(extract) -> None:
    s = one(extract(TITLE + "The ministry's statement said the convoy had been turned back at the border."))
    assert s.source is not None and s.source.text == "The ministry's statement"
    assert s.content.text == "the convoy had been turned back at the border"


def test_statements_statement_by_an_office(extract) -> None:
    s = one(extract(TITLE + "A statement by the Élysée Palace said the two leaders had spoken for an hour."))
    assert s.source is not None and s.source.text == "A statement by the Élysée Palace"
    assert s.speaker is not None and "Élysée Palace" in s.speaker.text


@pytest.mark.parametrize("sentence,source", [
    ("The president said in an interview with the BBC that the war would end soon.", "an interview with the BBC"),
    ("The commander said on Telegram that the town had been retaken.", "Telegram"),
    ("The senator said in a tweet that the vote had been postponed.", "a tweet"),
])
def test_statements_cited_channel(extract, sentence: str, source: str) -> None:
    s = one(extract(TITLE + sentence))
    assert s.source is not None and s.source.text == source


def test_statements_called_for(extract) -> None:
    s = one(extract(TITLE + "President Jean Moreau again called for a ceasefire."))
    assert (s.stance, s.content.text) == ("request", "a ceasefire")
    assert s.cue is not None and s.cue.text == "again called for"


def test_statements_called_on_to(extract) -> None:
    s = one(extract(TITLE + "The president called on both sides to open a humanitarian corridor."))
    assert s.stance == "request" and s.content.text == "both sides to open a humanitarian corridor"
    assert s.addressee is not None and s.addressee.text == "both sides"


def test_statements_urged(extract) -> None:
    s = one(extract(TITLE + "The charity urged the government to release the detained workers."))
    assert s.stance == "request" and s.addressee is not None and s.addressee.text == "the government"


def test_statements_asked_to(extract) -> None:
    s = one(extract(TITLE + "Moreau asked Mr Petrov to allow further evacuations."))
    assert s.stance == "request"
    assert s.addressee is not None and s.addressee.text == "Mr Petrov"
    assert s.content.text == "Mr Petrov to allow further evacuations"


def test_statements_accused_of(extract) -> None:
    s = one(extract(TITLE + "The governor accused the rebels of shelling the market."))
    assert s.stance == "accuse" and s.target is not None and s.target.text == "the rebels"
    assert s.content.text == "the rebels of shelling the market"


def test_statements_denial_targets_whose_claim_it_denies(extract) -> None:
    s = one(extract(TITLE + "Kyiv rejected Moscow's claims that its troops had shelled the plant."))
    assert s.stance == "reject" and s.target is not None and s.target.text == "Moscow"


def test_statements_country_denies(extract) -> None:
    s = one(extract(TITLE + "Ukraine denies shelling residential areas."))
    assert s.stance == "deny" and s.content.text == "shelling residential areas"
    assert s.speaker is not None and s.speaker.text == "Ukraine" and s.speaker.entity is not None


@pytest.mark.parametrize("sentence,stance,content", [
    ("The general warned that the offensive would continue.", "warn", "that the offensive would continue"),
    ("Officials insisted the strikes were lawful.", "assert", "the strikes were lawful"),
    ("The company announced a withdrawal from the market.", "assert", "a withdrawal from the market"),
    ("The rebels claimed the town had fallen.", "assert", "the town had fallen"),
    ("Moreau promised to hold new elections.", "promise", "to hold new elections"),
    ("The group threatened to cut off supplies.", "threaten", "to cut off supplies"),
    ("The army rejected the report.", "reject", "the report"),
    ("The spokesman dismissed the claims as propaganda.", "reject", "the claims as propaganda"),
    ("The prime minister conceded that mistakes had been made.", "concede", "that mistakes had been made"),
    ("The president praised the rescue workers.", "praise", "the rescue workers"),
    ("The opposition leader criticised the new tax.", "criticise", "the new tax"),
])
def test_statements_cue_verbs_and_their_stance(extract, sentence: str, stance: str, content: str) -> None:
    s = one(extract(TITLE + sentence))
    assert (s.stance, s.content.text) == (stance, content)


def test_statements_mixed_keeps_the_quoted_fragment(extract) -> None:
    s = one(extract(TITLE + 'Petrov said the agreement was "null and void" and "a war of aggression".'))
    assert s.kind == "mixed"
    assert s.content.text == 'the agreement was "null and void" and "a war of aggression'


def test_statements_negation_undoes_the_stance(extract) -> None:
    s = one(extract(TITLE + "The minister did not deny that the talks had collapsed."))
    assert s.negated and s.stance is None
    assert s.cue is not None and s.cue.text == "did not deny"


def test_statements_same_speaker_second_cue(extract) -> None:
    rec = extract(TITLE + "The mayor said the water supply had been cut, adding that repairs would take a week.")
    assert [s.cue.text for s in rec.statements if s.cue] == ["said", "adding"]
    assert rec.statements[0].content.text == "the water supply had been cut"
    assert rec.statements[1].content.text == "that repairs would take a week"


def test_statements_nested_attribution_reported_once(extract) -> None:
    rec = extract(TITLE + "The envoy said the rebels had told him that they would withdraw.")
    s = one(rec)
    assert s.cue is not None and s.cue.text == "said"


# --- speakers ------------------------------------------------------------------------------------
def test_statements_pronoun_speaker_resolves_to_the_person(extract) -> None:
    rec = extract(TITLE + "Anna Berg met the envoy on Monday. She said the town needed water.")
    s = one(rec)
    assert s.speaker is not None and s.speaker.text == "She"
    ent = rec.entity(s.speaker.entity)
    assert ent is not None and ent.name == "Anna Berg"


def test_statements_institution_and_description_speakers(extract) -> None:
    rec = extract(TITLE + "The Kremlin said the talks had stalled. French President Emmanuel Macron spoke to "
                  "Vladimir Putin on Tuesday. The French leader again called for a ceasefire.")
    kremlin, leader = rec.statements
    k = rec.entity(kremlin.speaker.entity if kremlin.speaker else None)
    assert k is not None and (k.country, k.role) == ("RUS", "GOV")
    assert leader.speaker is not None and leader.speaker.text == "The French leader"
    m = rec.entity(leader.speaker.entity)
    assert m is not None and m.name == "Emmanuel Macron"
    assert (leader.speaker.country, leader.speaker.role) == ("FRA", "GOV")


def test_statements_the_ministry_speaks(extract) -> None:
    rec = extract(TITLE + "The Ministry of Defence of Ukraine reported heavy shelling overnight. The ministry "
                  "said three villages had been hit.")
    first, second = rec.statements
    assert second.speaker is not None and second.speaker.text == "The ministry"
    assert second.speaker.entity is not None and second.speaker.entity == (first.speaker.entity if first.speaker
                                                                             else None)


def test_statements_that_clause_hung_on_a_noun(extract) -> None:
    s = one(extract(TITLE + "The foreign minister told the BBC in an interview that the talks had been difficult."))
    assert s.content.text == "that the talks had been difficult"
    assert s.addressee is not None and s.addressee.text == "the BBC"
    assert s.source is not None and s.source.text == "an interview"


def test_statements_passive_without_agent_has_no_speaker(extract) -> None:
    s = one(extract(TITLE + "Soldiers have been accused of looting shops in the city."))
    assert s.speaker is None and s.why is not None and "no speaker" in s.why
    assert s.stance == "accuse" and s.target is not None and s.target.text == "Soldiers"


def test_statements_passive_with_agent(extract) -> None:
    s = one(extract(TITLE + "The soldiers were accused by the mayor of looting shops."))
    assert s.speaker is not None and s.speaker.text == "the mayor"


def test_statements_relative_pronoun_speaker(extract) -> None:
    rec = extract(TITLE + "Anna Berg, who said the town needed water, left on Monday.")
    s = one(rec)
    assert s.speaker is not None and s.speaker.text == "who"
    ent = rec.entity(s.speaker.entity)
    assert ent is not None and ent.name == "Anna Berg"


def test_statements_speaker_keeps_its_apposition(extract) -> None:
    s = one(extract(TITLE + "Anna Berg, the mayor of the town, said the shelling had stopped."))
    assert s.speaker is not None and s.speaker.text == "Anna Berg, the mayor of the town,"


def test_statements_it_resolves_to_the_organisation_that_spoke(extract) -> None:
    rec = extract(TITLE + "The World Health Organization said the clinic had been hit. It added that two nurses "
                  "were wounded.")
    first, second = rec.statements
    assert second.speaker is not None and second.speaker.text == "It"
    assert first.speaker is not None and second.speaker.entity == first.speaker.entity is not None


# --- quotation marks -----------------------------------------------------------------------------
def test_statements_quotation_pairing_ignores_apostrophes() -> None:
    text = "The voters\u2019 anger was clear. \u2018We\u2019re done,\u2019 one said. Don\u2019t ask."
    assert [text[q.start:q.end] for q in quotations(text)] == ["We\u2019re done,"]


def test_statements_stray_mark_is_not_a_quotation() -> None:
    text = 'He measured a 12" pipe and left.\n\nThen "it rained," she said.'
    assert [text[q.start:q.end] for q in quotations(text)] == ["it rained,"]


def test_statements_unclosed_quotation_ends_with_its_paragraph() -> None:
    text = '"The roads are cut and we have no fuel,\n\nThe next day the convoy arrived.'
    (q,) = quotations(text)
    assert text[q.start:q.end] == "The roads are cut and we have no fuel,"


# --- lexicon ---------------------------------------------------------------------------------------
def test_statements_cue_lexicon_rows_are_valid() -> None:
    lex = cue_lexicon()
    assert lex.verb("say", set()) is not None
    assert lex.verb("call", {"for"}).stance == "request"  # type: ignore[union-attr]
    assert lex.verb("call", set()).particle is None  # type: ignore[union-attr]
    assert "according to" in lex.preps and "statement" in lex.sources
    stances = {c.stance for cues in lex.verbs.values() for c in cues} | {c.stance for c in lex.nouns.values()}
    assert stances - {None} <= set(STANCES)
    assert set(STANCES) <= stances


# --- store and command line ------------------------------------------------------------------------
STORED = (TITLE + "Anna Berg, the mayor, met the envoy on Monday. She said the town needed water. "
          "The rebels denied shelling the market.")


def test_statements_stored_and_queried(extract, store) -> None:  # type: ignore[no-untyped-def]
    rec = extract(STORED, id="a1")
    store.write([rec])
    assert store.count("statements") == len(rec.statements) == 2
    rows = store.statements(speaker="berg")  # "She", resolved to Anna Berg
    assert [r.statement.speaker.text for r in rows if r.statement.speaker] == ["She"]
    assert rows[0].speaker_name == "Anna Berg" and rows[0].article_id == "a1"
    (denial,) = store.statements(stance="deny")
    assert denial.statement == next(s for s in rec.statements if s.stance == "deny")
    assert store.statements(speaker="nobody") == []
    assert len(store.statements(kind="indirect", article_id="a1", limit=1)) == 1


def test_statements_command(extract, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from chronicle.cli import cli
    from chronicle.store import SQLiteStore

    db = str(tmp_path / "s.db")
    with SQLiteStore(db) as s:
        s.write([extract(STORED, id="a1")])
    runner = CliRunner()
    res = runner.invoke(cli, ["statements", "--db", db, "--stance", "deny"])
    assert res.exit_code == 0, res.output
    assert "The rebels —denied→" in res.output and "shelling the market" in res.output
    res = runner.invoke(cli, ["statements", "--db", db, "--speaker", "Anna Berg", "--json"])
    (line,) = res.output.splitlines()
    assert '"speaker_name": "Anna Berg"' in line
    res = runner.invoke(cli, ["statements", "--db", db, "--stance", "praise"])
    assert res.output.strip() == "no statements match"
