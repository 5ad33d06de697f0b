"""Hand-made records with every list of the record filled, for the web tests (written for
these tests; no article text is copied from anywhere)."""

from __future__ import annotations

from chronicle.link import link
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
)
from chronicle.store import open_store
from chronicle.store.base import Duplicate

__all__ = ["SCRIPT", "link_copies", "link_records", "linked_store", "records"]

SCRIPT = "<script>alert('x')</script>"


class _Text:
    """Find spans in a text by their words (the n-th occurrence)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def at(self, words: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(words, start + 1)
        return start, start + len(words)

    def span(self, words: str, nth: int = 0) -> Span:
        s, e = self.at(words, nth)
        return Span(words, s, e)

    def mention(self, words: str, nth: int = 0, kind: str = "name") -> Mention:
        s, e = self.at(words, nth)
        return Mention(words, s, e, kind)

    def party(self, words: str, entity: str | None, country: str | None = None, role: str | None = None,
              nth: int = 0) -> Party:
        s, e = self.at(words, nth)
        return Party(words, s, e, entity, country, role)

    def sentence(self, words: str) -> SentenceSpan:
        s, _ = self.at(words)
        start = self.text.rfind(". ", 0, s)
        start = 0 if start < 0 else start + 2
        end = self.text.find(".", s)
        return SentenceSpan(start, len(self.text) if end < 0 else end + 1)


def _aid_1() -> Record:
    t = _Text(
        "Ruritania's President Anna Berg accused Borduria of shelling the port of Lumen on Tuesday. "
        "\"Our patience has limits,\" Berg told reporters in Vela. "
        "Borduria's foreign ministry denied the claim. "
        "The Grand Alliance pledged $200m in aid to Ruritania on Wednesday, and its envoy Tomas Reed "
        "met Berg in Vela.")
    text = t.text
    berg = Entity("e1", "Anna Berg", "PERSON", "RUR", "GOV",
                  [t.mention("Ruritania's President Anna Berg", kind="title"), t.mention("Berg", 1),
                   t.mention("Berg", 2)], why="title 'President'; title country 'Ruritania'")
    bord = Entity("e2", "Borduria", "GPE", "BOR", "GOV", [t.mention("Borduria")])
    ministry = Entity("e3", "Bordurian foreign ministry", "ORG", "BOR", "GOV",
                      [t.mention("Borduria's foreign ministry")])
    alliance = Entity("e4", "Grand Alliance", "ORG", "GRA", "IGO", [t.mention("The Grand Alliance"),
                                                                    Mention("its", t.at("its envoy")[0],
                                                                            t.at("its envoy")[0] + 3, "pronoun")])
    rur = Entity("e5", "Ruritania", "GPE", "RUR", "GOV", [t.mention("Ruritania", 1)])
    reed = Entity("e6", "Tomas Reed", "PERSON", "GRA", "IGO", [t.mention("Tomas Reed")])
    s1 = Statement("s1", t.party("Ruritania's President Anna Berg", "e1", "RUR", "GOV"), t.span("accused"),
                   t.span("Borduria of shelling the port of Lumen on Tuesday"), "indirect", "accuse",
                   target=t.party("Borduria", "e2", "BOR", "GOV"))
    s2 = Statement("s2", t.party("Berg", "e1", "RUR", "GOV", nth=1), t.span("told"),
                   t.span("Our patience has limits"), "direct", "warn",
                   addressee=Party("reporters", *t.at("reporters")))
    s3 = Statement("s3", t.party("Borduria's foreign ministry", "e3", "BOR", "GOV"), t.span("denied"),
                   t.span("the claim"), "indirect", "deny")
    v1 = Event("v1", "ASSAULT", t.span("shelling"), t.sentence("shelling"), mode="artillery", status="claimed",
               statement="s1", actor=t.party("Borduria", "e2", "BOR", "GOV"),
               recipient=t.party("Lumen", None, "RUR", None), date=DateValue("2022-05-03", "day"), place="p1")
    v2 = Event("v2", "AID", t.span("pledged"), t.sentence("pledged"), mode="economic", status="asserted",
               actor=t.party("The Grand Alliance", "e4", "GRA", "IGO"),
               recipient=t.party("Ruritania", "e5", "RUR", "GOV", nth=1), date=DateValue("2022-05-04", "day"),
               quantities=["q1"])
    v3 = Event("v3", "CONSULT", t.span("met"), t.sentence("met Berg"), status="asserted",
               actor=t.party("Tomas Reed", "e6", "GRA", "IGO"), recipient=t.party("Berg", "e1", "RUR", "GOV", nth=2),
               date=DateValue("2022-05-04", "day"), place="p2")
    return Record(
        Article("art-1", url="https://news.example/ruritania-1", origin="tests/ruritania-1.json",
                title="Ruritania accuses Borduria over shelling of Lumen", published="2022-05-04",
                source="Test Wire", text=text),
        entities=[berg, bord, ministry, alliance, rur, reed],
        statements=[s1, s2, s3],
        events=[v1, v2, v3],
        quantities=[Quantity("q1", "$200m", *t.at("$200m"), value=200_000_000, unit="USD", kind="money")],
        times=[Time("t1", "Tuesday", *t.at("Tuesday"), value="2022-05-03", precision="day"),
               Time("t2", "Wednesday", *t.at("Wednesday"), value="2022-05-04", precision="day")],
        places=[Place("p1", "Lumen", *t.at("Lumen"), name="Lumen", country="RU", lat=46.5, lon=30.7),
                Place("p2", "Vela", *t.at("Vela", 1), name="Vela", country="RU", lat=50.45, lon=30.52)],
    )


def _aid_2() -> Record:
    t = _Text(
        "Borduria's army moved troops to the border near Kessel on 9 May, officials said. "
        "Anna Berg warned that Ruritania would respond. About 3,000 soldiers were deployed.")
    berg = Entity("e1", "Anna Berg", "PERSON", "RUR", "GOV", [t.mention("Anna Berg")])
    army = Entity("e2", "Bordurian army", "ORG", "BOR", "MIL", [t.mention("Borduria's army")])
    rur = Entity("e3", "Ruritania", "GPE", "RUR", "GOV", [t.mention("Ruritania")])
    return Record(
        Article("art-2", title="Borduria masses troops near Kessel", published="2022-05-09", source="Other Post",
                text=t.text),
        entities=[berg, army, rur],
        statements=[Statement("s1", t.party("Anna Berg", "e1", "RUR", "GOV"), t.span("warned"),
                              t.span("Ruritania would respond"), "indirect", "threaten",
                              target=t.party("Ruritania", "e3", "RUR", "GOV"))],
        events=[Event("v1", "MOBILIZE", t.span("moved troops"), t.sentence("moved troops"), mode="military",
                      actor=t.party("Borduria's army", "e2", "BOR", "MIL"),
                      recipient=t.party("Ruritania", "e3", "RUR", "GOV"),
                      date=DateValue("2022-05-09", "day"), place="p1", quantities=["q1"]),
                Event("v2", "THREATEN", t.span("warned"), t.sentence("warned"), status="asserted",
                      actor=t.party("Anna Berg", "e1", "RUR", "GOV"), recipient=None,
                      date=DateValue("2022-05", "month"))],
        quantities=[Quantity("q1", "About 3,000", *t.at("About 3,000"), value=3000, unit="soldiers", kind="count",
                             bound="approx")],
        times=[Time("t1", "9 May", *t.at("9 May"), value="2022-05-09", precision="day")],
        places=[Place("p1", "Kessel", *t.at("Kessel"), name="Kessel", country="BO", lat=48.0, lon=37.8,
                      geonameid=123456)],
    )


def _hostile() -> Record:
    """An article whose text, title and facts try to inject markup."""
    text = f"Officials in Vela said {SCRIPT} was found in a <b>leaflet</b> & \"quotes\"."
    t = _Text(text)
    ent = Entity("e1", f"Evil {SCRIPT}", "ORG", "RUR", "GOV", [t.mention("Officials")])
    return Record(
        Article("art-3", title=f"Title {SCRIPT}", published="2022-04-01", source=f"<i>{SCRIPT}</i>", text=text),
        entities=[ent],
        statements=[Statement("s1", t.party("Officials", "e1", "RUR", "GOV"), t.span("said"), t.span(SCRIPT),
                              "indirect", "assert")],
        events=[Event("v1", "PROTEST", t.span(SCRIPT), t.sentence("said"),
                      actor=t.party("Officials", "e1", "RUR", "GOV"), date=DateValue("2022-04-01", "day"))],
    )


def records() -> list[Record]:
    """Three articles: two about a made-up conflict with every list filled, one hostile."""
    return [_aid_1(), _aid_2(), _hostile()]


# --- for the link step: the shelling of Lumen reported by two more outlets, one of them Borduria's,
# which denies it (a story event with three sources, disputed; a claim and its denial across articles)

def _lumen_report() -> Record:
    t = _Text(
        "Bordurian artillery shelled the port of Lumen on Tuesday, damaging the harbour and a grain store, "
        "witnesses said. Ruritania's President Anna Berg said the shelling of Lumen would not go unanswered. "
        "Harbour workers cleared the damaged quays. Borduria's defence ministry denied that its artillery had "
        "shelled the port.")
    bord = Entity("e1", "Borduria", "GPE", "BOR", "GOV", [t.mention("Bordurian")])
    berg = Entity("e2", "Anna Berg", "PERSON", "RUR", "GOV", [t.mention("Ruritania's President Anna Berg",
                                                                       kind="title")])
    defence = Entity("e3", "Bordurian defence ministry", "ORG", "BOR", "MIL",
                     [t.mention("Borduria's defence ministry")])
    return Record(
        Article("art-4", url="https://harbour.example/lumen", title="Port of Lumen shelled", published="2022-05-04",
                source="Harbour Times", text=t.text),
        entities=[bord, berg, defence],
        statements=[Statement("s1", t.party("Ruritania's President Anna Berg", "e2", "RUR", "GOV"), t.span("said", 1),
                              t.span("the shelling of Lumen would not go unanswered"), "indirect", "assert"),
                    Statement("s2", t.party("Borduria's defence ministry", "e3", "BOR", "MIL"), t.span("denied"),
                              t.span("its artillery had shelled the port"), "indirect", "deny")],
        events=[Event("v1", "ASSAULT", t.span("shelled"), t.sentence("shelled"), mode="artillery", status="asserted",
                      actor=t.party("Bordurian artillery", "e1", "BOR", "GOV"),
                      recipient=t.party("Lumen", None, "RUR", None), date=DateValue("2022-05-03", "day"),
                      place="p1")],
        times=[Time("t1", "Tuesday", *t.at("Tuesday"), value="2022-05-03", precision="day")],
        places=[Place("p1", "Lumen", *t.at("Lumen"), name="Lumen", country="RU", lat=46.5, lon=30.7)],
    )


def _lumen_denial() -> Record:
    t = _Text(
        "Borduria denied shelling the port of Lumen on Tuesday and called the reports of damage to the harbour "
        f"a fabrication: {SCRIPT}. Bordurian forces did not fire on Lumen, the foreign ministry said. "
        "Ruritania's President Anna Berg repeated her accusation.")
    bord = Entity("e1", "Borduria", "GPE", "BOR", "GOV", [t.mention("Borduria")])
    ministry = Entity("e2", "Bordurian foreign ministry", "ORG", "BOR", "GOV", [t.mention("the foreign ministry")])
    berg = Entity("e3", "Anna Berg", "PERSON", "RUR", "GOV", [t.mention("Ruritania's President Anna Berg",
                                                                       kind="title")])
    content = t.span(f"shelling the port of Lumen on Tuesday and called the reports of damage to the harbour "
                     f"a fabrication: {SCRIPT}")
    return Record(
        Article("art-5", url="https://bordurian.example/denial", title=f"Borduria denies <b>shelling</b> {SCRIPT}",
                published="2022-05-05", source=f"<i>Bordurian Herald</i> {SCRIPT}", text=t.text),
        entities=[bord, ministry, berg],
        statements=[Statement("s1", t.party("Borduria", "e1", "BOR", "GOV"), t.span("denied"), content,
                              "indirect", "deny")],
        events=[Event("v1", "ASSAULT", t.span("shelling"), t.sentence("shelling"), mode="artillery", status="denied",
                      actor=t.party("Borduria", "e1", "BOR", "GOV"), recipient=t.party("Lumen", None, "RUR", None),
                      date=DateValue("2022-05-03", "day"), place="p1")],
        times=[Time("t1", "Tuesday", *t.at("Tuesday"), value="2022-05-03", precision="day")],
        places=[Place("p1", "Lumen", *t.at("Lumen"), name="Lumen", country="RU", lat=46.5, lon=30.7)],
    )


def link_records() -> list[Record]:
    """Two more articles for a linked store (with ``records()``): another outlet reports the
    shelling of Lumen, and Borduria's own outlet denies it in words that hold markup."""
    return [_lumen_report(), _lumen_denial()]


def link_copies() -> list[Duplicate]:
    """A near-duplicate of the second report, republished by another site (never a source)."""
    return [Duplicate("art-4-copy", "art-4", 0.93, url="https://mirror.example/lumen-shelled",
                      title="Port of Lumen shelled", published="2022-05-04", source=f"Mirror {SCRIPT}",
                      content_hash="0" * 40)]


def linked_store(db: str) -> str:
    """A store at ``db`` with ``records()``, ``link_records()`` and their copy, linked."""
    with open_store(db) as s:
        s.write(records() + link_records())
        s.write_duplicates(link_copies())
        link(s)
    return db
