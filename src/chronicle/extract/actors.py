"""Actors and recipients: the party a token stands for, coded with a country and a role.

An event's participants are often not entity mentions: "Syrian rebels", "a Turkish warship",
"Palestinian homes", "the navies of China and India". In order (after NGEC's cascade, see
../shared/PRIOR-ART-events.md):

1. the token lies in an entity mention: that mention, with its entity's country and role;
2. an unresolved pronoun (it, they, we, its ...): the speaker of the statement it stands in
   (first person, or "Syria says it ..."), else the nearest preceding subject that names a party;
3. otherwise the noun phrase around the token, coded from our lexicon: a country's name,
   alias, capital, seat of government or demonym in the phrase (or in an "of"/"in" phrase:
   "the government of Syria", "security forces in Guinea"), and the role of its head noun
   from roles.tsv ("rebels" REB, "police" COP).

Every party says in ``why`` how it was coded.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from chronicle.extract.analysis import Analysis
from chronicle.lexicon import Lexicon, lexicon, norm
from chronicle.record import Party

__all__ = ["Coded", "PartyCoder"]

PRONOUNS = {"it", "its", "they", "them", "their", "we", "us", "our", "i", "me", "my", "itself", "themselves"}
FIRST_PERSON = {"we", "us", "our", "i", "me", "my"}
NP_LEFT = {"det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "npadvmod", "case", "punct"}
# prepositions whose object can give a group its country: "forces in Guinea", "government of Syria"
PLACE_PREPS = ("in", "of", "from", "throughout", "across")
# nouns for people and groups that the role lexicon does not list
AGENT_NOUNS = {"power", "powers", "side", "sides", "party", "parties", "member", "members", "leader", "leaders",
               "ally", "allies", "partner", "partners", "nation", "nations", "country", "countries", "state",
               "states", "people", "person", "man", "men", "woman", "women", "group", "groups", "attorney",
               "attorneys", "lawmaker", "lawmakers", "delegate", "delegates", "representative", "representatives",
               "signatory", "signatories", "neighbour", "neighbours", "neighbor", "neighbors", "coalition",
               "alliance", "bloc", "community", "west", "regime", "faction", "factions", "militant", "militants",
               "gunman", "gunmen", "attacker", "attackers", "assailant", "assailants", "bomber", "bombers",
               "hacker", "hackers", "fighter", "fighters", "crowd", "crowds", "mob", "demonstrators", "youths",
               "supporters", "followers", "residents", "villagers", "settlers", "inmates", "prisoners", "doctors",
               "workers", "farmers", "students", "critics", "opponents", "rivals", "counterparts", "officials",
               "head", "heads", "chief", "chiefs", "foe", "foes", "enemy", "enemies", "team", "teams", "envoys",
               "organisers", "organizers", "activists", "protesters", "negotiators", "mediators", "sponsors"}
BLOCS = {"west", "east", "north", "south", "western", "eastern", "international community", "middle east"}
BORDERS = {"border", "borders", "frontier", "frontiers", "boundary", "boundaries", "coast", "waters"}
POSSESSIVE_PRONOUNS = {"its", "their", "his", "her", "our", "my", "your"}
# heads that stand for the people in their "of" phrase: "thousands of students", "a group of refugees"
CROWD_HEADS = {"thousand", "thousands", "hundred", "hundreds", "ten", "tens", "dozen", "dozens", "million",
               "millions", "group", "groups", "members", "member", "number", "crowd", "crowds", "band", "some",
               "many", "most", "all", "one", "two", "three", "several", "scores", "score", "delegation", "team"}


@dataclass(slots=True)
class Coded:
    """A party with the token it was found at and how it was coded."""

    party: Party
    token: int  # head token index
    why: str


class PartyCoder:
    """Codes the party at a token, for one article (caches per token)."""

    def __init__(self, an: Analysis) -> None:
        self.an = an
        self.doc = an.doc
        self.lex: Lexicon = lexicon()
        self._cache: dict[tuple[int, int | None], Coded | None] = {}
        self._mention_of: dict[int, tuple[int, int]] = {}
        self._nps: dict[int, tuple[int, int, int]] = {}  # token -> its noun phrase (see _np_tokens)
        alpha3 = {a2: a3 for a3, a2 in self.lex.alpha2_of.items()}
        # token -> alpha-3 of the place it names, from the places stage (when it has run)
        self._place_country: dict[int, str] = {}
        for p in an.record.places:
            if p.text.lower().removeprefix("the ") in BLOCS:
                continue  # "the West" is a bloc of countries, not a region of one
            code = alpha3.get((p.country or "").upper())
            span = self.doc.char_span(p.start, p.end, alignment_mode="expand") if code else None
            if span is not None and code is not None:
                for i in range(span.start, span.end):
                    self._place_country[i] = code
        # every mention, lowercased, for _named_before (in the order of the entities)
        self._mentions: list[tuple[int, int, str, list[str], str]] = []
        for e in an.record.entities:
            for m in e.mentions:
                low = m.text.lower()
                self._mentions.append((m.start, m.end, low, low.split(), e.id))
                span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    for i in range(span.start, span.end):
                        self._mention_of.setdefault(i, (m.start, m.end))

    # --- public ------------------------------------------------------------------------------
    def code(self, tok: Token, speaker: Coded | None = None, loose: bool = False) -> Coded | None:
        """The party ``tok`` stands for, or None when it names nothing that can act. With
        ``loose`` a noun phrase that names no country, entity or role still makes a party
        (the subject of an act is its doer even when we cannot code it: "foreign powers")."""
        key = (tok.i, speaker.token if speaker else None)
        if key not in self._cache:
            self._cache[key] = None  # breaks cycles (a pronoun's antecedent naming the pronoun)
            self._cache[key] = self._residence(tok, self._code(tok, speaker))
        found = self._cache[key]
        if found is None and loose and tok.lower_ not in PRONOUNS and (
                tok.pos_ == "PROPN" or (tok.pos_ == "NOUN" and self.agentive(tok))):
            start, end = self._np(tok)
            return Coded(Party(text=self.an.article.text[start:end], start=start, end=end), tok.i,
                         "uncoded noun phrase")
        return found

    def members(self, tok: Token, speaker: Coded | None = None, loose: bool = False) -> list[Coded]:
        """The party at ``tok`` and those coordinated with it ("Turkey and Libya"; "Turkish and
        Greek officials")."""
        out = []
        first = self.code(tok, speaker, loose)
        if first is not None:
            out.append(first)
        for c in tok.conjuncts:
            if c.i > tok.i:
                p = self.code(c, speaker, loose)
                if p is not None:
                    out.append(p)
        sub = self.an.subtree(tok.i)
        if first is not None and len(out) == 1 and any(self.an.deps[t] == "cc" for t in sub if t < tok.i):
            # a coordination the parser folded into one name: "US President Donald Trump and
            # Turkish President Recep Tayyip Erdogan"
            seen = {first.party.entity}
            for t in sub:
                if t >= tok.i or t not in self._mention_of:
                    continue
                p = self.code(self.doc[t], speaker)
                if p is not None and p.party.entity not in seen and p.party.end <= first.party.start:
                    seen.add(p.party.entity)
                    out.insert(len(out) - 1, p)
            if len(out) > 1:
                out = sorted(out, key=lambda c: c.party.start)
        if first is not None and len(out) == 1:
            for m in tok.children:  # "Hungarian and Romanian officials"
                if m.dep_ in ("amod", "compound") and m.conjuncts:
                    for c in [m, *m.conjuncts]:
                        code = self.lex.country_code(c.text)
                        if code and code != first.party.country:
                            out.append(Coded(Party(text=c.text, start=c.idx, end=c.idx + len(c.text),
                                                   country=code, role=first.party.role), c.i, "coordinated demonym"))
        return out

    def country_in(self, tok: Token, depth: int = 2) -> Coded | None:
        """A party found inside a phrase that is not one itself ("a U.S. request" -> the U.S.,
        "Palestinian homes" -> Palestinian, "roads in the capital Algiers" -> Algiers)."""
        an, doc = self.an, self.doc
        deps, lowers, pos, kids = an.deps, an.lowers, an.pos, an.children
        if an.lemmas[tok.i].lower() in BORDERS:
            return None  # "on the Thai border": a line two countries share, not a party
        best = self.code(tok)
        if best is not None and best.party.country:
            return best
        for c in kids[tok.i]:
            if deps[c] in ("poss", "compound", "amod", "nmod") and c < tok.i and pos[c] != "PRON":
                p = self.code(doc[c])
                if p is not None and p.party.country:
                    return p
        if depth > 0:
            for c in kids[tok.i]:
                if deps[c] == "prep" and lowers[c] in ("of", "in", "from", "to", "with", "against", "on", "by", "at",
                                                       "between", "into", "as", "for"):
                    for o in kids[c]:
                        if deps[o] == "pobj":
                            p = self.country_in(doc[o], depth - 1)
                            if p is not None:
                                return p
                elif deps[c] in ("appos", "acl", "relcl") and pos[c] in ("NOUN", "PROPN"):
                    p = self.country_in(doc[c], depth - 1)
                    if p is not None:
                        return p
                elif deps[c] in ("acl", "relcl") and pos[c] in ("VERB", "AUX"):
                    # "refugees fleeing the war in Liberia"
                    for g in sorted(kids[c], key=lambda x: deps[x] != "dobj"):
                        if deps[g] == "dobj":
                            p = self.country_in(doc[g], depth - 1)
                            if p is not None:
                                return p
                        if deps[g] == "prep" and lowers[g] in ("in", "from", "of", "into", "to", "by", "against",
                                                               "with"):
                            for o in kids[g]:
                                if deps[o] == "pobj":
                                    p = self.country_in(doc[o], depth - 1)
                                    if p is not None:
                                        return p
        return None

    # --- the cascade ---------------------------------------------------------------------------
    def _code(self, tok: Token, speaker: Coded | None) -> Coded | None:
        if tok.lower_ in PRONOUNS and tok.i not in self._mention_of:
            return self._pronoun(tok, speaker)
        if tok.i in self._mention_of:
            start, end = self._mention_of[tok.i]
            party = self.an.party((start, end))
            if party.country is None:
                country, _ = self._lexicon_codes(tok)
                party.country = country
            if party.country is None and tok.i in self._place_country and (
                    party.entity is None or (self.an.record.entity(party.entity) or party).country is None):
                party.country = self._place_country[tok.i]  # a place the places stage geocoded
            if party.country is None and tok.pos_ == "PROPN":  # "Mahan" after "Mahan Air"
                ent = self.an.record.entity(self._named_before(tok))
                if ent is not None and ent.country:
                    party.entity, party.country, party.role = ent.id, ent.country, ent.role
            return Coded(party, tok.i, "entity mention" if party.entity else "mention")
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM") and tok.lower_ not in PRONOUNS:
            return None
        if tok.pos_ == "NUM" or tok.lower_ in CROWD_HEADS:
            # "two of its nationals", "thousands of students", "a group of refugees": the party
            # is the "of" phrase
            deps, kids = self.an.deps, self.an.children
            for c in kids[tok.i]:
                if deps[c] == "prep" and self.an.lowers[c] == "of":
                    for o in kids[c]:
                        if deps[o] == "pobj":
                            inner = self.code(self.doc[o], speaker)
                            if inner is not None:
                                return inner
        left, start, end = self._np_tokens(tok)
        party = self.an.party((start, end))
        if tok.i > left and self.an.lowers[left] in POSSESSIVE_PRONOUNS:
            # "its European Community partners": the name inside says more than "its"
            named = self.an.party((self.an.token_starts[left + 1], end))
            if named.entity is not None or named.country is not None:
                party = Party(text=party.text, start=start, end=end, entity=named.entity, country=named.country,
                              role=named.role)
        if party.entity is None or (party.country is None and tok.pos_ == "PROPN"):
            eid = self._named_before(tok)
            ent = self.an.record.entity(eid)
            if ent is not None and (party.entity is None or ent.country):
                party.entity, party.country, party.role = eid, ent.country, ent.role
        country, role = self._lexicon_codes(tok)
        if country is None:
            country = next((self._place_country[i] for i in range(left, tok.i + 1)
                            if i in self._place_country), None)
        why = "entity" if party.entity else "lexicon"
        if party.country is None and country:
            party.country = country
        if party.role is None and role:
            party.role = role
        if party.entity is None and party.country is None and party.role is None:
            return None  # a thing, not a party
        return Coded(party, tok.i, why)

    def agentive(self, tok: Token) -> bool:
        """Whether a noun that names no country, entity or role can still be a doer: people and
        groups of people ("foreign powers", "attorneys", "the leaders"), not things ("a fire",
        "the declaration")."""
        lemma = tok.lemma_.lower()
        if lemma in AGENT_NOUNS or tok.lower_ in AGENT_NOUNS or self.lex.role(tok.text) or self.lex.role(lemma):
            return True
        if lemma in CROWD_HEADS:
            return True
        if any(c.pos_ == "PROPN" and c.dep_ in ("compound", "appos", "poss", "conj") for c in tok.children):
            return True  # "Old foes Gondor and Osgiliath", "Gryffindor's head Minerva McGonagall"
        return tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")

    def _named_before(self, tok: Token) -> str | None:
        """The entity a short name or a definite description refers back to: "Mahan" for
        "Mahan Air", "the airline" for "Iranian airline Mahan Air" (the latest mention before it
        that holds the word)."""
        an = self.an
        definite = any(an.deps[c] == "det" and an.lowers[c] in ("the", "this", "that") for c in an.children[tok.i])
        if not (an.pos[tok.i] == "PROPN" or (definite and an.pos[tok.i] == "NOUN")):
            return None
        word = tok.lower_
        at = tok.idx
        best: tuple[int, str] | None = None
        for start, end, low, words, eid in self._mentions:
            if end <= at and word in words and low != word and (best is None or start > best[0]):
                best = (start, eid)
        return best[1] if best else None

    def _residence(self, tok: Token, coded: Coded | None) -> Coded | None:
        """A people named for their ethnicity are coded by where they live when the text says:
        "ethnic Albanians in south Serbia" -> SRB (as PLOVER's reference codings do)."""
        if coded is None or self.lex.peoples.get(norm(tok.text)) is None:
            return coded
        an = self.an
        deps, kids = an.deps, an.children
        for c in kids[tok.i]:
            if deps[c] == "prep" and an.lowers[c] in ("in", "throughout", "of"):
                for o in kids[c]:
                    if deps[o] == "pobj" and an.pos[o] == "PROPN":
                        sub = self.code(self.doc[o])
                        if sub is not None and sub.party.country and sub.party.country != coded.party.country:
                            p = coded.party
                            return Coded(Party(text=p.text, start=p.start, end=p.end, entity=p.entity,
                                               country=sub.party.country, role=p.role), coded.token,
                                         f"people living in '{sub.party.text}'")
        return coded

    def _np(self, tok: Token) -> tuple[int, int]:
        """Characters of the noun phrase headed by ``tok``: its left modifiers and itself."""
        _, start, end = self._np_tokens(tok)
        return start, end

    def _np_tokens(self, tok: Token) -> tuple[int, int, int]:
        """The noun phrase's first token, and its characters (``_np``); the phrase's tokens are
        [first, tok.i] (what ``char_span`` of those characters gives). Once per token."""
        found = self._nps.get(tok.i)
        if found is None:
            an, i = self.an, tok.i
            left = i
            for c in an.children[i]:
                if c < i and an.deps[c] in NP_LEFT:
                    left = min(left, self.doc[c].left_edge.i)  # spaCy's left edge, as the parser set it
            while left < i and (an.is_punct[left] or an.lowers[left] in ("the", "a", "an")):
                left += 1
            found = self._nps[i] = (left, an.token_starts[left], an.token_starts[i] + len(an.texts[i]))
        return found

    def _lexicon_codes(self, tok: Token) -> tuple[str | None, str | None]:
        lex = self.lex
        country: str | None = None
        words = range(self._np_tokens(tok)[0], tok.i + 1)
        texts, pos = self.an.texts, self.an.pos
        # longest country name first ("South Korea", "Saudi Arabia")
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                chunk = words[i:i + n]
                text = " ".join(texts[j] for j in chunk)
                code = lex.country_code(text) or lex.capitals.get(norm(text)) or lex.seats.get(norm(text)) \
                    or lex.peoples.get(norm(text))
                if code:
                    country = code
                    break
                org = lex.orgs.get(norm(text)) if any(pos[j] == "PROPN" for j in chunk) else None
                if org is not None and org.country:
                    country = org.country
                    break
            if country:
                break
        if country is None:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in PLACE_PREPS:
                    for o in c.children:
                        if o.dep_ == "pobj":
                            sub = self.code(o)
                            if sub is not None and sub.party.country and (
                                    sub.party.role in (None, "GOV", "IGO") or o.ent_type_ in ("GPE", "LOC")):
                                country = sub.party.country
        role_entry = lex.role(tok.text) or lex.role(tok.lemma_)
        role = role_entry.role if role_entry else None
        return country, role

    def _pronoun(self, tok: Token, speaker: Coded | None) -> Coded | None:
        third = tok.lower_ in ("it", "its", "they", "their", "them")
        if third and speaker is not None:  # "Syria says it ...", "the rebels said they ...": number agrees
            said_by = self.doc[speaker.token] if 0 <= speaker.token < len(self.doc) else None
            plural_speaker = said_by is not None and said_by.tag_ in ("NNS", "NNPS")
            third = plural_speaker == (tok.lower_ in ("they", "their", "them"))
        if speaker is not None and (tok.lower_ in FIRST_PERSON or (third and not self.an.quoted()[tok.i])):
            p = speaker.party
            return Coded(Party(text=tok.text, start=tok.idx, end=tok.idx + len(tok.text), entity=p.entity,
                               country=p.country, role=p.role), tok.i, f"pronoun -> speaker '{p.text}'")
        if tok.lower_ in FIRST_PERSON:
            return None
        # nearest preceding subject that names a party, in this sentence then the one before
        sent = tok.sent
        start = sent.start
        prev = self.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        plural = tok.lower_ in ("they", "them", "their", "themselves")
        if tok.lower_ in ("it", "its", "itself"):  # "A fire destroyed ... Officials said it killed nine"
            for i in range(tok.i - 1, prev - 1, -1):
                t = self.doc[i]
                if t.dep_ in ("nsubj", "nsubjpass") and t.lower_ not in PRONOUNS and t.pos_ in ("NOUN", "PROPN") \
                        and t.tag_ not in ("NNS", "NNPS"):
                    c = self.code(t)
                    if c is None or (c.party.country is None and c.party.entity is None):
                        return None
                    break
        if tok.lower_ in ("them", "themselves"):  # an object pronoun: the nearest plural party before it
            for i in range(tok.i - 1, start - 1, -1):
                t = self.doc[i]
                if t.tag_ in ("NNS", "NNPS") and t.lower_ not in PRONOUNS:
                    c = self.code(t)
                    if c is not None and c.party.country:
                        p = c.party
                        return Coded(Party(text=tok.text, start=tok.idx, end=tok.idx + len(tok.text),
                                           entity=p.entity, country=p.country, role=p.role), tok.i,
                                     f"pronoun -> '{p.text}'")
        for i in range(tok.i - 1, prev - 1, -1):
            t = self.doc[i]
            if t.lower_ in PRONOUNS or t.pos_ not in ("NOUN", "PROPN"):
                continue
            subject = t.dep_ in ("nsubj", "nsubjpass")
            if not subject and not (plural and t.ent_type_ in ("ORG", "GPE", "NORP")):
                continue
            if i < start and subject and t.head.dep_ != "ROOT":
                continue
            c = self.code(t)
            if c is None or (c.party.country is None and c.party.entity is None):
                continue
            if not plural and t.tag_ in ("NNS", "NNPS"):
                continue
            ent = self.an.record.entity(c.party.entity)
            if plural and ent is not None and ent.type == "PERSON":
                continue
            p = c.party
            return Coded(Party(text=tok.text, start=tok.idx, end=tok.idx + len(tok.text), entity=p.entity,
                               country=p.country, role=p.role), tok.i, f"pronoun -> '{p.text}'")
        return None
