"""The events stage: PLOVER type, mode, actor, recipient and status of each act.

Every sentence below was written for these tests (one family of rules per test)."""

from __future__ import annotations

import pytest

from chronicle.extract import entities, events
from chronicle.extract.analysis import Analysis
from chronicle.extract.nlp import load_nlp
from chronicle.record import Article, Event, Party, Record, Span, Statement


def only(rec: Record, etype: str | None = None) -> Event:
    found = [e for e in rec.events if etype is None or e.type == etype]
    assert len(found) == 1, [(e.type, e.trigger.text, e.status) for e in rec.events]
    return found[0]


def codes(e: Event) -> tuple[str | None, str | None]:
    return (e.actor.country if e.actor else None, e.recipient.country if e.recipient else None)


# --- verbal triggers, actor and recipient from the parse -------------------------------------
@pytest.mark.parametrize(("text", "etype", "pair"), [
    ("Ukrainian artillery shelled Russian positions near Kherson on Monday.", "ASSAULT", ("UKR", "RUS")),
    ("Poland sent tanks to Ukraine in April.", "AID", ("POL", "UKR")),
    ("Lithuania expelled the Russian ambassador on Tuesday.", "SANCTION", ("LTU", "RUS")),
    ("Georgia accused Russia of occupying its territory.", "ACCUSE", ("GEO", "RUS")),
    ("Kazakhstan rejected a Russian proposal on grain exports.", "REJECT", ("KAZ", "RUS")),
    ("Finland praised Sweden for its decision.", "SUPPORT", ("FIN", "SWE")),
    ("Serbian police arrested six Kosovo officials at the border.", "COERCE", ("SRB", "XKX")),
])
def test_events_verbal_triggers(extract, text: str, etype: str, pair: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    e = only(extract(text), etype)
    assert codes(e) == pair
    assert e.status == "asserted"
    assert text[e.trigger.start:e.trigger.end] == e.trigger.text
    assert e.sentence.start == 0


def test_events_passive_by_agent(extract) -> None:  # type: ignore[no-untyped-def]
    e = only(extract("A Ukrainian convoy was shelled by Russian forces on Tuesday."), "ASSAULT")
    assert (e.actor.text, e.actor.country, e.actor.role) == ("Russian forces", "RUS", "MIL")
    assert e.recipient is not None and e.recipient.country == "UKR"


# --- nominal triggers ----------------------------------------------------------------------
@pytest.mark.parametrize(("text", "etype", "mode", "pair"), [
    ("Canada announced a further pledge of military equipment to Ukraine.", "AGREE", "military", ("CAN", "UKR")),
    ("Turkey's invasion of northern Syria began in October.", "ASSAULT", None, ("TUR", "SYR")),
    ("Moldova imposed a curfew on Tuesday.", "COERCE", "curfew", ("MDA", "MDA")),
    ("German Chancellor Olaf Scholz held telephone talks with Emmanuel Macron on Friday.", "CONSULT", "phone",
     ("DEU", "FRA")),
    ("Israeli airstrikes hit Gaza overnight.", "ASSAULT", "aerial", ("ISR", None)),
])
def test_events_nominal_triggers(extract, text: str, etype: str, mode: str | None,  # type: ignore[no-untyped-def]
                                 pair: tuple[str | None, str | None]) -> None:
    e = only(extract(text), etype)
    assert e.mode == mode
    assert codes(e)[0] == pair[0]
    if pair[1]:
        assert codes(e)[1] == pair[1]


def test_events_bare_definite_noun_refers_back(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Russian forces attacked Kharkiv on Monday. The attack was condemned by Germany.")
    assert [e.type for e in rec.events] == ["ASSAULT", "ACCUSE"]  # "the attack" is not a second attack
    accuse = rec.events[1]
    assert codes(accuse) == ("DEU", "RUS")  # the recipient is who did the attack


# --- PLOVER's single type: an embedded act gives its type to nothing but the upper event -------
@pytest.mark.parametrize(("text", "etype", "pair"), [
    ("Germany pledged to send air defence systems to Ukraine.", "AGREE", ("DEU", "UKR")),
    ("Belarus vowed to strike Ukrainian towns.", "THREATEN", ("BLR", "UKR")),
    ("The EU called on Russia to withdraw its troops.", "REQUEST", ("EU", "RUS")),
    ("Hungary refused to send weapons to Ukraine.", "REJECT", ("HUN", "UKR")),
    ("Estonia will provide medical aid to Ukraine.", "AGREE", ("EST", "UKR")),  # future cooperation
    ("Moscow will cut gas supplies to Latvia.", "THREATEN", ("RUS", "LVA")),  # future conflict
    ("Armenia said it will not accept the proposal.", "REJECT", ("ARM", None)),  # refused cooperation
])
def test_events_single_type_composition(extract, text: str, etype: str,  # type: ignore[no-untyped-def]
                                        pair: tuple[str, str | None]) -> None:
    e = only(extract(text))
    assert e.type == etype
    assert codes(e)[0] == pair[0]
    if pair[1]:
        assert codes(e)[1] == pair[1]


def test_events_reported_request(extract) -> None:  # type: ignore[no-untyped-def]
    e = only(extract("The Polish president said Belarus must release the detained journalists."))
    assert (e.type, codes(e)) == ("REQUEST", ("POL", "BLR"))


# --- status: what did not (yet) happen is never asserted --------------------------------------
@pytest.mark.parametrize(("text", "status"), [
    ("Russia did not attack the convoy on Monday.", "denied"),
    ("Russia never shelled the town, the minister said.", "denied"),
    ("Russia denied shelling the hospital.", "denied"),
    ("Western countries could end the war by halting arms deliveries to Ukraine.", "hypothetical"),
    ("If Russia attacks Moldova, Romania will respond.", "hypothetical"),
    ("Russia might invade Georgia again.", "hypothetical"),
    ("Ukraine is about to launch a counteroffensive in the south.", "planned"),
    ("Ukraine says Russian troops shelled Kharkiv.", "claimed"),
    ("According to Ukrainian officials, Russian troops shelled the village.", "claimed"),
])
def test_events_not_asserted(extract, text: str, status: str) -> None:  # type: ignore[no-untyped-def]
    rec = extract(text)
    acts = [e for e in rec.events if e.type not in ("ACCUSE", "REJECT")]
    assert acts, [(e.type, e.status) for e in rec.events]
    assert all(e.status == status for e in acts), [(e.type, e.trigger.text, e.status) for e in acts]


def test_events_hypothetical_negated_requested_never_asserted(extract) -> None:  # type: ignore[no-untyped-def]
    text = ("Western countries could stop the war by cutting arms supplies to Kyiv. "
            "Russian troops did not attack Odesa on Sunday. "
            "Ukraine called for a ceasefire. "
            "Russia should withdraw its forces, the Polish foreign minister said.")
    rec = extract(text)
    asserted = [(e.type, e.trigger.text) for e in rec.events if e.status == "asserted"]
    # the arms cut is hypothetical, the attack negated; the ceasefire and the withdrawal are only
    # asked for: PLOVER codes the asking (REQUEST), never a ceasefire or a withdrawal
    assert all(t in ("REQUEST",) for t, _ in asserted), asserted
    assert not [e for e in rec.events if e.type in ("RETREAT", "SANCTION") and e.status == "asserted"]
    attack = [e for e in rec.events if e.type == "ASSAULT"]
    assert attack and attack[0].status == "denied"
    cut = [e for e in rec.events if e.type == "SANCTION"]
    assert cut and cut[0].status == "hypothetical"
    requests = [e for e in rec.events if e.type == "REQUEST"]
    assert {codes(e) for e in requests} == {("UKR", None), ("POL", "RUS")}


def test_events_claimed_link_to_statements() -> None:
    """An event inside a statement's content is claimed and points at the statement."""
    text = "The mayor said Russian forces shelled the port overnight."
    nlp = load_nlp()
    rec = Record(article=Article(id="t", text=text, published="2022-05-03"))
    an = Analysis(article=rec.article, doc=nlp(text), record=rec)
    entities.run(an)
    start = text.index("Russian")
    rec.statements.append(Statement(
        id="s1", speaker=Party(text="The mayor", start=0, end=9), cue=Span(text="said", start=10, end=14),
        content=Span(text=text[start:-1], start=start, end=len(text) - 1), kind="indirect"))
    events.run(an)
    e = only(rec, "ASSAULT")
    assert (e.status, e.statement) == ("claimed", "s1")


# --- groups and coordination -------------------------------------------------------------------
def test_events_groups_and_reciprocal(extract) -> None:  # type: ignore[no-untyped-def]
    e = only(extract("Moscow-backed separatists attacked Ukrainian positions near Donetsk."), "ASSAULT")
    assert codes(e) == ("RUS", "UKR")
    e = only(extract("Azerbaijan and Armenia agreed on a prisoner exchange."), "AGREE")
    assert codes(e) == ("AZE", "ARM")
    assert [p.country for p in e.actors] == ["AZE", "ARM"]
    e = only(extract("Polish volunteers sheltered refugees from Ukraine."), "AID")
    assert e.actor is not None and e.actor.country == "POL"
    assert e.recipient is not None and e.recipient.role == "REF"


def test_events_one_event_per_act(extract) -> None:  # type: ignore[no-untyped-def]
    rec = extract("Syrian rebels shelled the city of Aleppo, killing twelve civilians.")
    assert [e.type for e in rec.events] == ["ASSAULT"]


def test_events_dates_never_default_to_publication(extract) -> None:  # type: ignore[no-untyped-def]
    e = only(extract("Latvia closed its border with Belarus."), "SANCTION")
    assert e.date is None and e.time is None


# --- wire copy: the dateline is where the story was filed, not who acted -----------------------------
@pytest.mark.parametrize(("text", "etype", "pair"), [
    ("KYIV, May 3 - Russian forces shelled the city of Kharkiv on Tuesday, Ukrainian officials said.",
     "ASSAULT", ("RUS", "UKR")),
    ("WARSAW (Reuters) - Poland expelled 45 Russian diplomats on Wednesday.", "SANCTION", ("POL", "RUS")),
    ("BERLIN—Germany pledged air defence systems to Ukraine on Thursday.", "AGREE", ("DEU", "UKR")),
])
def test_events_dateline_is_no_actor(extract, text: str, etype: str, pair: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    e = only(extract(text), etype)
    assert codes(e) == pair
    assert e.actor is not None and not e.actor.text.isupper()
