"""Events stage: who did what to whom, coded in PLOVER, each tied to its trigger and sentence.

The coding rules are data (``lexicon/data/plover_*.tsv``, see its README); this module applies
them to the dependency parse. Per sentence (the recipe of ../shared/PRIOR-ART-events.md, 6.1):

1. **Triggers.** Every verb, noun or adjective whose lemma has a row in plover_triggers.tsv is
   tried against its rows in order; the first whose conditions hold (object, subject,
   particle, governing verb ...) gives a PLOVER type and mode, or a frame (@say, @plan ...).
2. **Structure.** From each trigger we walk up the tree through complement and modifier
   links to the nearest trigger above it:
   - under a *frame* the trigger takes the frame's reading (reported: claimed; denied;
     planned; wished) and the walk goes on above the frame;
   - under a *verbal* event (AGREE, REQUEST, ACCUSE, REJECT, THREATEN, ...) it is absorbed:
     PLOVER codes one event, "agreed to aid" is AGREE, "called for a ceasefire" REQUEST, and a
     conflictual act promised is a THREATEN;
   - under a *material* event of the same type it merges ("launched missiles targeting US
     troops" is one ASSAULT); of another type it stands alone;
   - infinitives of purpose ("to disperse the crowd") and participles that only describe a
     noun ("refugees fleeing the war") are not events.
3. **Status.** asserted, unless: reported (a statement's content, a reporting verb, "according
   to", quotation marks) -> claimed; negated or denied -> denied; could/might/would, inside an
   "if" clause -> hypothetical; planned, prepared, about to -> planned; should/must without a
   speaker -> requested. PLOVER's single-type rule turns a future cooperative act into AGREE,
   a future conflictual one into THREATEN, a refused cooperative act into REJECT, and a
   speaker's "X must/should ..." into a REQUEST of X.
4. **Actor and recipient** from the parse (subject, by-agent of a passive, object, the
   prepositions each type takes), coded by :mod:`chronicle.extract.actors`.
5. **Date and place** from the sentence's times and places (:mod:`event_context`).

Each event says in ``why`` which trigger row, frames and argument rules produced it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from chronicle.extract.actors import Coded, PartyCoder
from chronicle.extract.analysis import Analysis
from chronicle.extract.event_context import attach_when_where
from chronicle.lexicon.plover import CONFLICT_MATERIAL, COOPERATIVE, Cond, Plover, TriggerRule, plover
from chronicle.record import Event, Party, Place, SentenceSpan, Span

__all__ = ["run"]

LOGGER = logging.getLogger(__name__)

VERBAL = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"})
# links a trigger can be reached through from the trigger above it
COMPLEMENT = {"xcomp", "ccomp", "pcomp", "dobj", "pobj", "prep", "attr", "oprd", "acomp", "dative", "agent",
              "nsubjpass", "compound", "appos", "acl", "relcl", "advcl", "nsubj", "conj", "amod", "npadvmod"}
FUTURE = {"will", "shall", "'ll", "wo"}
POSSIBLE = {"could", "might", "may", "can", "ca"}
OBLIGE = {"should", "must", "ought"}
CONDITION_MARKS = {"if", "unless"}
TIME_MARKS = {"after", "before", "as", "while", "when", "since", "until", "once", "because", "though", "although"}
STATUS_RANK = {"denied": 6, "hypothetical": 5, "requested": 4, "planned": 3, "claimed": 2, "asserted": 1}
# prepositions that introduce the recipient, per type, in order of preference; "dobj" is the object
RECIPIENT_SLOTS: dict[str, tuple[str, ...]] = {
    "AGREE": ("with", "to", "dative", "dobj", "for"),
    "CONSULT": ("with", "dobj", "to", "between", "in"),
    "SUPPORT": ("dobj", "with", "for", "to"),
    "CONCEDE": ("to", "dative", "dobj", "for"),
    "COOPERATE": ("with", "to", "dobj"),
    "AID": ("dative", "to", "for", "dobj", "with"),
    "RETREAT": ("from", "to", "dative", "dobj"),
    "REQUEST": ("dobj", "on", "upon", "to", "from", "for"),
    "ACCUSE": ("dobj", "against", "over", "into", "of", "for", "by"),
    "REJECT": ("dobj", "from", "by", "to"),
    "THREATEN": ("dobj", "against", "to", "on"),
    "PROTEST": ("against", "dobj", "outside", "at"),
    "SANCTION": ("on", "against", "dobj", "with", "to", "from", "for"),
    "MOBILIZE": ("against", "into", "to", "in", "on"),
    "COERCE": ("dobj", "against", "on", "into", "in"),
    "ASSAULT": ("dobj", "against", "on", "at", "into", "in"),
}
# types whose plural or coordinated actor with no recipient means the parties acted on each other
RECIPROCAL = {"CONSULT", "AGREE", "SUPPORT", "COOPERATE", "ASSAULT", "REJECT"}
# THREATEN mode for a conflictual act announced for the future
THREAT_MODE = {"ASSAULT": "violence", "MOBILIZE": "violence", "PROTEST": "restrict", "SANCTION": "relations"}
COERCE_THREAT = {"arrest": "arrest", "deport": "expel", "curfew": "restrict", "restrict": "restrict",
                 "martial-law": "restrict", "censor": "restrict", "seize": "territory"}
BLAME_WORDS = {"doing", "responsible", "responsibility", "behind", "fault", "guilty", "culprit"}
# head nouns a trigger noun can modify and still be an event ("mediation effort", "bombing campaign");
# any other head makes it a description ("assassination plots", "the main fighting force")
EFFORT_NOUNS = {"effort", "efforts", "operation", "operations", "campaign", "mission", "attempt", "attempts",
                "bid", "drive", "spree", "wave", "round", "process", "initiative"}
DEFINITE = {"the", "this", "that", "these", "those"}
# messages whose participle is the act of their sender: "a statement condemning", "a letter demanding"
MESSAGES = {"declaration", "statement", "letter", "resolution", "communique", "note", "message", "communiqué",
            "appeal", "petition", "motion", "decree", "order", "tweet", "post", "speech", "report"}
# word pairs that are not acts: "as opposed to", "as compared with"
IDIOMS = {("as", "opposed"), ("as", "compared"), ("as", "threatened"), ("be", "attacked")}
# nouns that refer back to an act without naming its kind
EVENT_NOUNS = {"operation", "move", "action", "incident", "strike", "raid", "assault", "mistake", "error",
               "tragedy", "crash", "downing", "act", "actions", "decision"}
LOCATIVE = {"in", "at", "near", "outside", "inside", "across", "throughout", "into", "around", "off", "within",
            "on", "along", "towards", "toward", "over"}
RESPONSES = {"response", "reaction", "retaliation", "reprisal", "revenge", "answer", "reply"}
GRIEVANCE_PREPS = {"of", "against", "over", "at", "about", "for"}
CONTAINERS = {"ton", "tons", "tonne", "tonnes", "kg", "kilogram", "kilograms", "amount", "worth", "number",
              "quantity", "quantities", "shipment", "shipments", "package", "packages", "state", "series",
              "part", "wave", "round", "set", "batch", "consignment", "kind", "type", "lot", "lots", "load",
              "loads", "convoy", "convoys", "plenty", "range", "host", "dozen", "dozens", "hundreds", "thousands",
              "millions", "pound", "pounds", "dollar", "dollars", "euro", "euros", "volley", "salvo", "barrage"}
# prepositions that introduce circumstances, not content: "agreed to a ceasefire after two days of fighting"
CIRCUMSTANCE_PREPS = {"after", "before", "during", "following", "despite", "amid", "since", "until", "while",
                      "because", "due", "as", "in"}
# adjectives that make a nominal event not (yet) real
UNREAL = {"imminent": "planned", "planned": "planned", "proposed": "planned", "future": "planned",
          "expected": "planned", "looming": "planned", "possible": "hypothetical", "potential": "hypothetical",
          "threatened": "planned", "alleged": "claimed", "reported": "claimed", "suspected": "claimed"}
# types coded against the actor's own state when the text names no counterpart (PLOVER's convention:
# "Algerian landowners began a hunger strike" is DZA -> DZA)
DOMESTIC = {"PROTEST", "COERCE", "CONCEDE"}
STATE_ROLES = {None, "GOV", "MIL", "COP", "JUD", "LEG", "SPY"}
FOREIGN_ROLES = {"IGO", "NGO", "REF"}
# who makes demands of their own government when the text names no addressee
CIVIL_ROLES = {"OPP", "REB", "CVL", "LAB", "EDU", "PTY", "REL"}
APOLOGIES = {"regret", "apologize", "apologise", "apology", "admit", "acknowledge", "concede"}
# types kept with no actor, when the recipient is coded (PLOVER leaves the actor of an attack optional)
ACTORLESS = {"ASSAULT", "COERCE", "SANCTION", "ACCUSE"}
# types whose recipient, when the text names none (or none with a country), is where it happened
PLACED = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "CONCEDE"}
GENERIC_SLOTS = ("to", "dobj", "with", "for", "against", "in", "into", "from")
SAY_FRAMES_TO_ACCUSE = {"claim", "allege", "charge", "insist"}


@dataclass
class Trig:
    """A trigger found in the text (an event or a frame) and what the structure made of it."""

    tok: Token
    rule: TriggerRule
    parts: list[Token]
    type: str
    mode: str | None
    parent: Trig | None = None  # the event this one is absorbed into or merged with
    absorbed: list[Trig] = field(default_factory=list)  # events inside this one's content
    merged: list[Trig] = field(default_factory=list)  # same-type events that are this one
    frames: list[Trig] = field(default_factory=list)  # frames above, nearest first
    path: list[Token] = field(default_factory=list)  # tokens between it and what is above
    status: str = "asserted"
    speaker: Coded | None = None
    statement: str | None = None
    why: list[str] = field(default_factory=list)
    emitted: bool = True
    light: Trig | None = None  # the light or aspect verb governing a noun trigger
    crossed: bool = False  # reached its upper through a noun's relative clause or participle
    direct: bool = False  # absorbed as the upper's own complement ("vowed [to attack]")
    forced: tuple[Coded, Coded] | None = None  # (actor, recipient) set by the rule that made it
    orig: str = ""  # the type the trigger row gave, before PLOVER's single-type rule changed it

    @property
    def is_frame(self) -> bool:
        return self.type.startswith("@")

    def set_status(self, status: str, why: str) -> None:
        if STATUS_RANK[status] > STATUS_RANK[self.status]:
            self.status = status
            self.why.append(why)


def prepare() -> None:
    """Load what the stage reads (the PLOVER rules, the lexicon), before the first article."""
    from chronicle.lexicon import lexicon

    _ = plover().trigger_lemmas
    lexicon()


def run(an: Analysis) -> None:
    """Add the article's events to ``an.record.events``."""
    _Coder(an).run()


class _Coder:
    def __init__(self, an: Analysis) -> None:
        self.an = an
        self.doc = an.doc
        self.pl: Plover = plover()
        self.parties = PartyCoder(an)
        self.quoted = an.quoted()
        self.trigs: dict[int, Trig] = {}
        self.events: list[Event] = []  # emitted so far, in text order
        self._according: dict[int, Coded | None] = {}
        self._locative: list[Place] | None = None  # the record's places that say where something happened

    # ============================================================ 1. triggers
    def run(self) -> None:
        doc, lowers, lemmas = self.doc, self.an.lowers, self.an.lemmas
        known = self.pl.trigger_lemmas
        for i in range(len(doc)):
            if known.isdisjoint(_lemma_forms(lemmas[i].lower(), lowers[i])):
                continue  # no trigger row for any form of the word
            tok = doc[i]
            trig = self.match(tok)
            if trig is not None:
                self.trigs[i] = trig
        for tok_i in sorted(self.trigs):
            self.structure(self.trigs[tok_i])
        events: list[Event] = self.events
        for sent in self.doc.sents:
            events.extend(self.sentence_events(sent))
        for n, ev in enumerate(sorted(events, key=lambda e: (e.trigger.start, e.type)), 1):
            ev.id = f"v{n}"
        self.an.record.events.extend(events)

    def match(self, tok: Token) -> Trig | None:
        pos = tok.pos_
        if tok.i > 0 and (self.doc[tok.i - 1].lower_, tok.lower_) in IDIOMS:
            return None
        keys = []
        for lemma in _lemmas(tok):
            if pos in ("VERB", "AUX"):
                keys.append((lemma, "VERB"))
            elif pos in ("NOUN", "PROPN"):
                keys.append((lemma, "NOUN"))
            if pos in ("ADJ", "ADV", "ADP") or tok.tag_ == "VBN":
                keys.append((lemma, "ADJ"))
            if pos == "NOUN" and tok.tag_ == "VBG":
                keys.append((lemma, "VERB"))
        for key in dict.fromkeys(keys):
            for rule in self.pl.rules(*key):
                parts = self.words_match(tok, rule)
                if parts is None:
                    continue
                if all(self.cond_ok(tok, rule, c) for c in rule.conds if c.key != "foreign"):
                    if any(c.key == "foreign" for c in rule.conds) and not self.foreign(tok, rule):
                        continue
                    return Trig(tok=tok, rule=rule, parts=parts, type=rule.type, mode=rule.mode,
                                why=[rule.label()], orig=rule.type)
        return None

    def words_match(self, tok: Token, rule: TriggerRule) -> list[Token] | None:
        """The tokens of a multi-word trigger ("blow up", "hunger strike"), or None."""
        if len(rule.words) == 1:
            return [tok]
        others = [w for w in rule.words if w != rule.head]
        an, i = self.an, tok.i
        lemmas, lowers = an.lemmas, an.lowers
        taken = [i]
        near = [*an.children[i], *(j for j in range(max(i - 1, 0), min(i + 2, len(lowers))) if j != i)]
        for w in others:
            hit = next((j for j in near if (lemmas[j].lower() == w or lowers[j] == w) and j not in taken), None)
            if hit is None:
                return None
            taken.append(hit)
        return [tok if j == i else self.doc[j] for j in sorted(taken)]

    # --- conditions ------------------------------------------------------------------------
    def cond_ok(self, tok: Token, rule: TriggerRule, c: Cond) -> bool:
        k = c.key
        if k in ("swap", "recipient"):
            return True
        if k == "pred":
            pr = self.predicate(tok)
            return pr is not None and any(self.word_in(t, c) for t in [pr, *pr.conjuncts, *pr.subtree])
        if k == "comp":
            return self.complement(tok) is not None
        if k == "nocomp":
            return self.complement(tok) is None
        an = self.an
        deps, lowers, kids = an.deps, an.lowers, an.children
        i = tok.i
        if k == "that":
            return any(deps[x] == "ccomp" and any(deps[m] == "mark" and lowers[m] == "that" for m in kids[x])
                       for x in kids[i])
        if k == "noobj":
            return self.obj(tok) is None
        if k == "passive":
            return self.passive(tok)
        if k == "active":
            return not self.passive(tok)
        if k == "obj":
            o = self.obj(tok)
            hit = o is not None and self.word_in(o, c)
            return hit != c.negated if o is not None else c.negated
        if k == "subj":
            s = self.subj(tok)
            hit = s is not None and self.word_in(s, c)
            return hit != c.negated if s is not None else c.negated
        if k == "prep":
            hit = any(deps[x] in ("prep", "prt", "agent", "mark", "advmod") and lowers[x] in c.words
                      for x in kids[i]) or any(lowers[j] in c.words and deps[j] in ("prep", "prt", "mark")
                                               for j in range(i + 1, min(i + 2, len(lowers))))
            return hit != c.negated
        if k == "mod":  # also mod!=
            lemmas = an.lemmas
            hit = any(deps[x] in ("amod", "compound", "advmod", "nmod", "npadvmod") and
                      (lemmas[x].lower() in c.words or lowers[x] in c.words) for x in kids[i])
            if not hit and deps[i] in ("pobj",) and lemmas[an.heads[an.heads[i]]].lower() in c.words:
                hit = True  # "spoke on the phone": the modifier is the object of "on"
            if not hit and an.pos[i] in ("VERB", "AUX"):
                hit = any(lowers[p] in c.words for x in kids[i] if deps[x] == "prep" for p in kids[x])
            return hit != c.negated
        if k == "gov":
            g = self.governor(tok)
            if g is None:
                return c.negated
            hit = g.lemma_.lower() in c.words or any(self.is_frame_word(g, f[1:]) for f in c.classes)
            return hit != c.negated
        return False

    def word_in(self, tok: Token, c: Cond) -> bool:
        lemmas = _lemmas(tok)
        if any(x in c.words for x in lemmas):
            return True
        role = None
        etype = None
        if c.classes:
            coded = self.parties.code(tok)
            if coded is not None:
                role = coded.party.role
                eid = self.an.entity_of_token.get(tok.i)
                ent = self.an.record.entity(eid) if eid else None
                etype = ent.type if ent else None
        for cls in c.classes:
            if cls.startswith("@"):
                if self.is_frame_word(tok, cls[1:]):
                    return True
                continue
            if self.pl.in_class(cls, lemmas[0], role, etype) or any(self.pl.in_class(cls, x) for x in lemmas[1:]):
                return True
            if cls == "aid_goods" and tok.ent_type_ == "MONEY":
                return True  # "a million rupees"
        # "two artillery shells": the head noun may be a number
        return False

    @staticmethod
    def predicate(tok: Token) -> Token | None:
        """What the object is said to be: "called the deal [null and void]", "described it [as a
        provocation]", "claiming them [to be mercenaries]"."""
        for c in tok.children:
            if c.dep_ in ("oprd",):
                return c
            if c.dep_ == "prep" and c.lower_ == "as":
                return next((o for o in c.children if o.dep_ == "pobj"), None)
            if c.dep_ in ("ccomp", "xcomp") and c.lemma_ == "be":
                return next((o for o in c.children if o.dep_ in ("attr", "acomp")), None)
        return None

    def is_frame_word(self, tok: Token, frame: str) -> bool:
        return any(r.type == "@" + frame for x in _lemmas(tok) for r in self.pl.rules(x, "VERB"))

    def foreign(self, tok: Token, rule: TriggerRule) -> bool:
        actor, recipient = self.quick_args(tok, rule.type)
        a = actor.party.country if actor else None
        r = recipient.party.country if recipient else None
        return bool(a and r and a != r)

    # --- parse helpers -----------------------------------------------------------------------
    def passive(self, tok: Token) -> bool:
        i = tok.i
        t = self.trigs.get(i)
        if t is not None and (t.rule.pos == "ADJ" or t.type in ("@light", "@aspect")):
            return False  # "was disappointed by", "were engaged in": a state of the subject
        an = self.an
        deps, kids, vbn = an.deps, an.children[i], an.tags[i] == "VBN"
        if vbn and self.pl.rules(an.lowers[i], "ADJ") and not any(deps[c] == "agent" for c in kids):
            return False  # "is committed to", "is prepared to": adjectives that look like participles
        return any(deps[c] in ("auxpass", "nsubjpass") for c in kids) or (vbn and deps[i] in ("acl",))

    def complement(self, tok: Token) -> Token | None:
        an = self.an
        deps, lowers, kids = an.deps, an.lowers, an.children
        for c in kids[tok.i]:
            if deps[c] in ("xcomp", "ccomp"):
                return self.doc[c]
        for c in kids[tok.i]:
            if deps[c] == "advcl" and any(deps[a] == "aux" and lowers[a] == "to" for a in kids[c]) and not any(
                    deps[m] == "mark" for m in kids[c]):
                return self.doc[c]
            if deps[c] == "prep" and lowers[c] in ("to", "of", "on", "about", "that"):
                for g in kids[c]:
                    if deps[g] == "pcomp" and an.pos[g] in ("VERB", "AUX"):
                        return self.doc[g]
        return None

    def obj(self, tok: Token) -> Token | None:
        """The object: direct object, passive subject, or (for a noun) its governing verb's role.
        A container noun gives way to what it holds ("tons of food aid", "a state of emergency")."""
        o = self._obj(tok)
        an = self.an
        deps, kids = an.deps, an.children
        for _ in range(2):
            if o is None or an.lemmas[o.i].lower() not in CONTAINERS:
                break
            inner = next((g for c in kids[o.i] if deps[c] == "prep" and an.lowers[c] == "of"
                          for g in kids[c] if deps[g] == "pobj"), None)
            if inner is None:
                break
            o = self.doc[inner]
        return o

    def _obj(self, tok: Token) -> Token | None:
        an, doc = self.an, self.doc
        deps, lowers, pos, kids = an.deps, an.lowers, an.pos, an.children
        i = tok.i
        for c in kids[i]:
            if deps[c] in ("dobj", "nsubjpass"):
                if pos[c] == "NUM" or lowers[c] in ("two", "some", "most", "all"):
                    for p in kids[c]:
                        if deps[p] == "prep" and lowers[p] == "of":
                            for o in kids[p]:
                                if deps[o] == "pobj":
                                    return doc[o]
                return doc[c]
        if pos[i] in ("VERB", "AUX"):
            for c in kids[i]:  # "called the agreement null and void": oprd
                if deps[c] in ("oprd",):
                    return doc[c]
            for c in kids[i]:
                if deps[c] == "prep" and lowers[c] in ("as", "to", "into", "on", "at", "of"):
                    for o in kids[c]:
                        if deps[o] == "pobj" and lowers[c] == "as":
                            return doc[o]
        if pos[i] in ("NOUN", "PROPN"):
            for c in kids[i]:
                if deps[c] == "prep" and lowers[c] in ("of", "on", "against"):
                    for o in kids[c]:
                        if deps[o] == "pobj":
                            return doc[o]
        return None

    def subj(self, tok: Token) -> Token | None:
        """The doer: the subject, or the by-agent of a passive."""
        an, doc = self.an, self.doc
        deps, pos, heads, kids = an.deps, an.pos, an.heads, an.children
        i = tok.i
        if self.passive(tok):
            for c in kids[i]:
                if deps[c] == "agent":
                    for o in kids[c]:
                        if deps[o] == "pobj":
                            return doc[o]
            return None
        t = self.trigs.get(i)
        dep, h = deps[i], heads[i]
        if t is not None and (t.rule.pos == "ADJ" or t.type in ("@light", "@aspect")):
            return next((doc[c] for c in kids[i] if deps[c] in ("nsubj", "nsubjpass")), None) or (
                self.subj(tok.head) if dep in ("acomp", "xcomp", "conj") else None)
        for c in kids[i]:
            if deps[c] in ("nsubj", "csubj"):
                return doc[c]
        for c in kids[i]:  # "The US has been encouraging": the parser hung the subject on "been"
            if deps[c] == "aux":
                for hung in kids[c]:
                    if deps[hung] == "nsubj":
                        return doc[hung]
        if dep == "conj" and pos[h] in ("VERB", "AUX"):
            if self.passive(tok.head) and an.tags[i] == "VBN":  # "were killed or wounded": passive too
                return self.subj(tok.head)
            if self.passive(tok.head):  # "was indicted ... and will resign": the one indicted resigns
                return next((doc[c] for c in kids[h] if deps[c] == "nsubjpass"), None)
            return self.subj(tok.head)
        if dep == "pcomp" and deps[h] == "prep" and pos[heads[h]] in ("VERB", "AUX", "ADJ"):
            return self.subj(tok.head.head)  # "was forceful in blaming Iran"
        if dep in ("xcomp", "advcl", "acomp") and pos[h] in ("VERB", "AUX", "ADJ"):
            return self.subj(tok.head)
        if dep in ("relcl", "acl"):
            if any(deps[c] in ("nsubj",) and an.tags[c] in ("WDT", "WP") for c in kids[i]):
                return tok.head
            if dep == "acl" and an.lemmas[h].lower() in MESSAGES:
                sender = self.governor(tok.head)
                if sender is not None:
                    return self.subj(sender)
        if pos[i] in ("NOUN", "PROPN"):
            if dep == "pobj" and an.lowers[h] in CIRCUMSTANCE_PREPS - {"in"}:
                return None  # "imposed a curfew after a demonstration": not the curfew's imposers
            g = self.governor(tok)
            gt = self.trigs.get(g.i) if g is not None else None
            if g is not None and gt is not None and gt.type in ("@light", "@aspect", "@attempt", "@plan"):
                if tok.dep_ == "nsubjpass" and tok.head is g:  # "an inquiry was ordered (by X)"
                    return next((o for c in g.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"),
                                None)
                return self.subj(g)  # "Turkey launched an offensive"; not "the move follows the killing"
            if g is not None and t is not None and any(c.key == "gov" and not c.negated for c in t.rule.conds):
                return self.subj(g)  # the row names the verb: "troops remained on alert"
            if g is not None and tok.dep_ == "pobj" and (tok.head.lower_ in ("on", "for") or (
                    tok.head.lower_ in ("in", "during") and t is not None and t.type == "PROTEST")) and not any(
                    c.dep_ in ("dobj", "auxpass", "nsubjpass") for c in g.children):
                return self.subj(g)  # "thousands converged for a rally", "arrived on a visit"
        return None

    def governor(self, tok: Token) -> Token | None:
        """The verb a noun is the object or subject of ("launched an offensive" -> launched)."""
        g = self._governor(tok.i)
        return None if g is None else self.doc[g]

    def _governor(self, t: int) -> int | None:
        deps, pos, heads = self.an.deps, self.an.pos, self.an.heads
        if deps[t] == "compound" and pos[heads[t]] == "NOUN":  # "mediation effort"
            t = heads[t]
        h = heads[t]
        if deps[t] in ("dobj", "nsubjpass", "attr", "oprd", "nsubj") and pos[h] in ("VERB", "AUX", "ADJ"):
            return h
        if deps[t] == "pobj" and deps[h] in ("prep", "agent") and pos[heads[h]] in ("VERB", "AUX", "ADJ"):
            return heads[h]
        if deps[t] == "conj":
            return self._governor(h)
        return None

    def quick_args(self, tok: Token, etype: str) -> tuple[Coded | None, Coded | None]:
        s = self.subj(tok)
        actor = self.parties.code(s) if s is not None else None
        if actor is None and tok.pos_ in ("NOUN", "PROPN"):
            actor = self.noun_actor(tok)
        recipient = self.recipient_slot(tok, etype)
        return actor, recipient

    # ============================================================ 2. structure
    def structure(self, trig: Trig) -> None:
        """Find the trigger or frames above ``trig`` and what that makes of it."""
        tok = trig.tok
        # a conjunct shares the reading of the trigger it is coordinated with
        if tok.dep_ == "conj" and tok.head.i in self.trigs and not self.trigs[tok.head.i].is_frame:
            head = self.trigs[tok.head.i]
            trig.frames = list(head.frames)
            trig.speaker = head.speaker
            trig.light = trig.light or (head.light if tok.pos_ == head.tok.pos_ else None)
            if not head.emitted and head.parent is None:
                trig.emitted = False
                trig.why.append("coordinated with a non-event")
            if head.parent is not None and head.parent.type in VERBAL and not trig.is_frame:
                self.absorb(head.parent, trig, "coordinated with an absorbed trigger")
            return
        if not trig.is_frame and (self.purpose(tok) or self.descriptive(tok)):
            trig.emitted = False
            trig.why.append("purpose or description, not an event")
            return
        t = tok
        path: list[Token] = []
        crossed = False
        described = False
        while t.dep_ != "ROOT" and t.head is not t:
            dep = t.dep_
            h = t.head
            if dep not in COMPLEMENT:
                break
            if (dep == "prep" and t.lower_ in CIRCUMSTANCE_PREPS and t.lower_ != "in") or (
                    dep == "prep" and t.lower_ == "in" and h.i in self.trigs and self.trigs[h.i].type in VERBAL):
                break  # "after two days of fighting", "in response to the airstrike"
            if t.lemma_.lower() in RESPONSES and t is not tok:
                break  # "in response to the US airstrike": another act
            if dep == "advcl" and (self.mark(t) or self.purpose(t)):
                if t is not tok and self.purpose(t) and not trig.is_frame:
                    trig.emitted = False  # inside a clause of purpose: intended, not done
                    trig.why.append(f"inside the purpose clause of '{h.text}'")
                break  # "after Turkey began ...": a clause of its own
            if dep == "xcomp" and t is not tok and self.purpose(t) and not trig.is_frame:
                trig.emitted = False
                trig.why.append(f"inside the purpose clause of '{h.text}'")
                break
            if dep in ("nsubj", "amod", "npadvmod") and h.i not in self.trigs:
                break
            if dep in ("relcl", "acl") and h.i not in self.trigs:
                crossed = True  # "the measure that bans ...": goes on, as content only
                if dep == "acl" and t.tag_ in ("VBN", "VBG") and not (
                        t is tok and h.lemma_.lower() in MESSAGES and trig.type in VERBAL):
                    described = True  # "nationals suspected of blowing up a plane"
            if dep == "conj" and h.i in self.trigs:
                break
            if h.i in self.trigs:
                upper = self.trigs[h.i]
                if upper.is_frame:
                    if crossed:
                        break
                    if upper.type in ("@light", "@aspect", "@attempt") and not trig.is_frame and (
                            self.descriptive(h) or self.purpose(h)):
                        trig.emitted = False  # "a plan to increase sanctions"
                        trig.why.append(f"'{h.text}' describes or intends, not an event")
                        break
                    trig.frames.append(upper)
                    if upper.type in ("@light", "@aspect", "@attempt") and tok.pos_ in ("NOUN", "PROPN"):
                        trig.light = trig.light or upper
                    elif upper.type in ("@aspect", "@attempt") and not trig.light:
                        trig.light = upper
                    path.append(h)
                    t = h
                    continue
                if trig.is_frame:
                    break
                content_clause = dep in ("relcl", "acl") and any(
                    (c.dep_ == "mark" and c.lower_ == "that") or (c.dep_ == "aux" and c.lower_ == "to")
                    for c in t.children)
                infinitive = dep == "advcl" and not self.mark(t) and any(
                    c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
                if upper.type in VERBAL and (dep not in ("nsubj", "advcl", "relcl", "acl") or crossed or infinitive
                                             or content_clause or (h.pos_ not in ("NOUN", "PROPN") and
                                             dep in ("relcl", "acl"))):
                    trig.path = path
                    trig.crossed = crossed
                    self.absorb(upper, trig, f"in the content of '{upper.tok.text}'")
                    return
                if upper.type == "PROTEST" and (
                        (tok.pos_ in ("NOUN", "PROPN") and dep == "pobj" and t.head.lower_ in GRIEVANCE_PREPS)
                        or (t is tok and dep == "advcl" and tok.tag_ == "VBG" and trig.type in VERBAL)):
                    trig.path = path
                    self.absorb(upper, trig, f"what '{upper.tok.text}' is about")  # "in protest of the arrests"
                    return
                if upper.type == trig.type and not crossed and self.same_doer(upper, trig) and (
                        upper.emitted or upper.parent is not None):
                    trig.path = path
                    trig.parent = upper
                    trig.emitted = False
                    upper.merged.append(trig)
                    trig.why.append(f"same event as '{upper.tok.text}'")
                    return
                if t is tok and dep == "advcl" and tok.tag_ == "VBG" and not self.mark(tok) and \
                        upper.type not in VERBAL and trig.type not in VERBAL and not any(
                            c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
                    trig.path = path  # "rioted, setting fire to their mattresses": how it was done
                    trig.parent = upper
                    trig.emitted = False
                    upper.merged.append(trig)
                    trig.why.append(f"part of '{upper.tok.text}'")
                    return
                break
            path.append(h)
            t = h
        trig.path = path
        trig.crossed = crossed
        if described and not trig.is_frame:
            trig.emitted = False
            trig.why.append("inside a participle describing a noun")

    def same_doer(self, upper: Trig, trig: Trig) -> bool:
        """Whether a trigger below another of the same type is the same act: not when it names
        a different doer ("Iran launched missiles in response to the US airstrike")."""
        mine = self.noun_actor(trig.tok) if trig.tok.pos_ in ("NOUN", "PROPN") else None
        if mine is None and trig.tok.pos_ in ("VERB", "AUX"):
            s = next((c for c in trig.tok.children if c.dep_ in ("nsubj",)), None)
            mine = self.parties.code(s) if s is not None and s.tag_ not in ("WDT", "WP") else None
        if mine is None:
            return True
        s = self.subj(upper.tok)
        theirs = self.parties.code(s) if s is not None else None
        if theirs is None and upper.tok.pos_ in ("NOUN", "PROPN"):
            theirs = self.noun_actor(upper.tok)
        if theirs is None:
            return True
        return _compatible(mine.party, theirs.party)

    def absorb(self, upper: Trig, trig: Trig, why: str) -> None:
        trig.direct = not trig.crossed and all(
            t.dep_ in ("xcomp", "ccomp", "conj", "dobj", "pobj", "prep", "aux", "advcl")
            and (t.dep_ != "prep" or t.lower_ in ("to", "on", "of"))
            and (t is trig.tok or t.pos_ not in ("VERB", "AUX") or t.i in self.trigs)
            for t in [trig.tok, *trig.path] if t.i != upper.tok.i)
        trig.parent = upper
        trig.emitted = False
        trig.why.append(why)
        upper.absorbed.append(trig)

    def mark(self, tok: Token) -> str | None:
        return self._mark(tok.i)

    def _mark(self, i: int) -> str | None:
        deps, lowers = self.an.deps, self.an.lowers
        for c in self.an.children[i]:
            if deps[c] == "mark" and lowers[c] not in ("to", "that"):
                return lowers[c]
        return None

    def purpose(self, tok: Token) -> bool:
        """An infinitive of purpose: "police used tear gas to disperse the crowd"."""
        an = self.an
        deps, i = an.deps, tok.i
        dep = deps[i]
        if dep not in ("advcl", "xcomp") or an.tags[i] != "VB":
            return False
        if not any(deps[c] == "aux" and an.lowers[c] == "to" for c in an.children[i]):
            return False
        h = an.heads[i]
        lemma = an.lemmas[h]
        if dep == "advcl" and h in self.trigs and self.trigs[h].type in ("@light", "@aspect", "@attempt"):
            return True  # "began a hunger strike to protest ...": the aim of what they began
        if h in self.trigs and (self.trigs[h].is_frame or self.trigs[h].type in VERBAL):
            return False  # "agreed to ...", "began to ...": a complement
        if dep == "xcomp" and an.pos[h] in ("ADJ",):
            return False  # "ready to ..."
        if dep == "xcomp" and lemma in ("have", "need", "be", "go", "use", "seem", "appear", "help"):
            return lemma == "use"
        if dep == "xcomp" and h in self.trigs and self.trigs[h].type not in VERBAL:
            return True  # "cooperate to encourage ...", "sent observers to investigate ..."
        if dep == "xcomp":
            return lemma in ("employ", "mobilize", "mobilise")  # "decided to allow": a complement
        return dep == "advcl"

    def descriptive(self, tok: Token) -> bool:
        """A word that describes a thing rather than reports an act: a participle or infinitive
        on a noun ("refugees fleeing the war", "a plan to increase sanctions"), a gerund after a
        noun ("the agreement on sending soldiers"), a trigger noun modifying another noun
        ("assassination plots", "the main fighting force")."""
        an = self.an
        deps, pos, i = an.deps, an.pos, tok.i
        dep, tag, h = deps[i], an.tags[i], an.heads[i]
        noun_head = pos[h] in ("NOUN", "PROPN") and h not in self.trigs
        t = self.trigs.get(i)
        if dep == "acl" and tag == "VBG" and an.lemmas[h].lower() in MESSAGES and t is not None and \
                t.type in VERBAL:
            return False  # "issued a declaration demanding that ...": the message is the act
        if dep == "acl" and noun_head and (tag in ("VBG", "VBN") or any(
                deps[c] == "aux" and an.lowers[c] == "to" for c in an.children[i])):
            return True
        hh = an.heads[h]
        if dep == "pcomp" and deps[h] == "prep" and pos[hh] in ("NOUN", "PROPN") and hh not in self.trigs:
            return True
        return bool(dep in ("compound", "amod") and noun_head and an.lowers[h] not in EFFORT_NOUNS)

    # ============================================================ 3. events of a sentence
    def sentence_events(self, sent: SpacySpan) -> list[Event]:
        trigs = [self.trigs[i] for i in range(sent.start, sent.end) if i in self.trigs]
        out: list[tuple[Trig, Event]] = []
        for trig in trigs:
            if trig.is_frame:
                continue
            self.reading(trig)
        # events made by frames and statements
        extra = self.frame_events(sent, trigs)
        for trig in trigs + extra:
            if trig.is_frame or not trig.emitted:
                continue
            ev = self.build(trig, sent)
            if ev is not None:
                out.append((trig, ev))
                out.extend((trig, e) for e in self.split(ev))
        return self.dedup(out)

    @staticmethod
    def split(ev: Event) -> list[Event]:
        """One event per actor country when several parties did the same thing to a third ("both
        Saudi Arabia and the United States have alleged Iranian involvement"): dyadic exports and
        queries by actor then find each. Parties acting on each other stay one event."""
        if len(ev.actors) < 2 or (ev.why and "reciprocal" in ev.why) or ev.actor is None:
            return []
        seen = {ev.actor.country, ev.recipient.country if ev.recipient else None}
        out = []
        for member in ev.actors[1:4]:
            if member.country and member.country not in seen:
                seen.add(member.country)
                twin = Event.from_dict(ev.to_dict())
                twin.actor = Party.from_dict(member.to_dict())
                twin.why = (ev.why or "") + f"; one of {len(ev.actors)} actors"
                out.append(twin)
        return out

    # --- reading: frames, modals, negation -> status and PLOVER's single type -----------------
    def reading(self, trig: Trig) -> None:
        own_path: list[Token] = []
        for t in trig.path:
            if t.dep_ in ("relcl", "acl") or (own_path and own_path[-1].dep_ in ("relcl", "acl")):
                break
            own_path.append(t)
        toks = [trig.tok, *[t for t in own_path if t.i not in self.trigs or self.trigs[t.i].type in
                           ("@light", "@aspect", "@attempt")]]
        an = self.an
        deps, lowers, lemmas, kids = an.deps, an.lowers, an.lemmas, an.children
        tis = [t.i for t in toks]
        aux = {lowers[c] for t in tis for c in kids[t] if deps[c] in ("aux", "auxpass")}
        aux |= {lemmas[c].lower() for t in tis for c in kids[t] if deps[c] in ("aux",)}
        negated = any(deps[c] == "neg" for t in tis for c in kids[t]) or any(
            deps[c] == "det" and lowers[c] == "no" for c in kids[trig.tok.i]) or any(
            deps[c] == "preconj" and lowers[c] == "neither" for s in [self.subj(trig.tok)] if s is not None
            for c in kids[s.i])
        oblige = bool(aux & OBLIGE) or any(lemmas[t] in ("have", "need") and any(
            deps[c] == "xcomp" for c in kids[t]) for t in tis[1:])
        conditional = any(self._mark(c) in CONDITION_MARKS for t in tis for c in kids[t] if deps[c] == "advcl")
        in_condition = self.inside_condition(trig.tok)
        reported = False
        speaker: Coded | None = trig.speaker
        for f in trig.frames:
            if f.type == "@say":
                reported = True
                if speaker is None:
                    s = self.subj(f.tok)
                    speaker = self.parties.code(s) if s is not None else None
            elif f.type == "@deny":
                trig.set_status("denied", f"denied ('{f.tok.text}')")
            elif f.type == "@plan":
                if f.tok.lemma_ == "prepare" and trig.type == "ASSAULT":
                    trig.type, trig.mode = "MOBILIZE", "weapons" if trig.mode == "heavy-weapons" else "troops"
                    trig.why.append("preparing an attack is a MOBILIZE")
                else:
                    trig.set_status("planned", f"planned ('{f.tok.text}')")
            elif f.type == "@fail":
                if trig.type in ("AGREE", "CONSULT"):
                    trig.type, trig.mode = "REJECT", None
                    trig.why.append(f"failed to agree: REJECT ('{f.tok.text}')")
                else:
                    trig.set_status("denied", f"failed ('{f.tok.text}')")
            elif f.type == "@want":
                trig.set_status("hypothetical", f"wished for ('{f.tok.text}')")
        if self.according_to(trig.tok) is not None:
            reported = True
            speaker = speaker or self.according_to(trig.tok)
        if self.quoted[trig.tok.i]:
            reported = True
            if speaker is None:
                speaker = self.quote_speaker(trig.tok)
        for c in kids[trig.tok.i]:
            if deps[c] == "amod" and lowers[c] in UNREAL and UNREAL[lowers[c]] != "claimed":
                trig.set_status(UNREAL[lowers[c]], f"'{an.texts[c]} {trig.tok.text}'")
        trig.speaker = speaker
        statement = self.statement_of(trig.tok)
        if statement is not None:
            trig.statement = statement
            # "Britain announced a pledge", "Hezbollah declared a ceasefire": the announcement is the
            # act itself (its object is the event), not a report that it happened
            st = next(x for x in self.an.record.statements if x.id == statement)
            performative = trig.light is not None and st.cue is not None and \
                st.cue.start <= trig.light.tok.idx < st.cue.end and trig.tok.dep_ == "dobj"
            reported = reported or not performative
        if reported:
            trig.set_status("claimed", "reported" + (f" by '{speaker.party.text}'" if speaker else ""))
        ultimatum = any(self._mark(c) == "unless" for t in tis for c in kids[t] if deps[c] == "advcl")
        future = bool(aux & FUTURE) or any(lemmas[t] == "go" and an.tags[t] == "VBG" for t in tis[1:]) or (
            "would" in aux and (reported or conditional)) or (bool(aux & POSSIBLE) and conditional)
        coop = trig.type in COOPERATIVE
        if negated and coop and (future or bool(aux & POSSIBLE)):  # "will not accept", "could not agree"
            trig.why.append(f"refused {trig.type}: REJECT")
            trig.type, trig.mode = "REJECT", None
        elif negated:
            trig.set_status("denied", "negated")
        elif future and ultimatum and trig.type not in VERBAL - {"AGREE"}:
            trig.why.append(f"{trig.type} unless ...: THREATEN")  # "will withdraw its force unless ..."
            trig.type, trig.mode = "THREATEN", "relations" if trig.type in COOPERATIVE else THREAT_MODE.get(
                trig.type, "violence")
        elif future and coop and trig.type != "AGREE" and trig.mode != "resign":
            trig.why.append(f"future {trig.type}: AGREE")
            trig.type, trig.mode = "AGREE", None
        elif future and trig.type in CONFLICT_MATERIAL:
            mode = THREAT_MODE.get(trig.type, "violence")
            if trig.type == "COERCE":
                mode = COERCE_THREAT.get(trig.mode or "", "restrict")
            trig.why.append(f"future {trig.type}: THREATEN")
            trig.type, trig.mode = "THREATEN", mode
        elif future and not reported and trig.type not in ("AGREE", "THREATEN"):
            trig.set_status("planned", "future ('will')")  # "will resign", "will meet next week"
        elif bool(aux & POSSIBLE) or ("would" in aux and not future):
            trig.set_status("hypothetical", "modal '" + "/".join(sorted(aux & (POSSIBLE | {"would"}))) + "'")
        elif oblige and not reported:
            trig.set_status("requested", "should/must")
        else:
            above = self.governing_modal(trig.tok, toks, reported)
            if above is not None:
                trig.set_status("hypothetical", f"under '{above.text} {above.head.text}'")
        if in_condition:
            trig.set_status("hypothetical", "inside an if-clause")
        # an upper verbal event takes its type from what it absorbed
        for child in trig.absorbed:
            if trig.type == "AGREE" and child.direct and child.type in CONFLICT_MATERIAL | {"THREATEN"} and not any(
                    c.dep_ == "neg" for c in child.tok.children):
                trig.why.append(f"promised {child.type}: THREATEN")
                trig.mode = THREAT_MODE.get(child.type, "violence") if child.type != "COERCE" else \
                    COERCE_THREAT.get(child.mode or "", "restrict")
                trig.type = "THREATEN"
            if trig.type == "REQUEST" and trig.mode is None:
                trig.mode = ("assist" if child.type in ("AID", "COOPERATE", "SUPPORT") else
                             "yield" if child.type in ("RETREAT", "CONCEDE") else
                             "meet" if child.type == "CONSULT" else "change")

    def quote_speaker(self, tok: Token) -> Coded | None:
        """Who speaks a quotation that has no reporting verb of its own: the subject of the
        sentence's main verb outside the quotation marks ("X responded on Twitter: '...'")."""
        root = tok.sent.root
        if self.quoted[root.i] and tok.sent.start > 0:
            prev = self.doc[tok.sent.start - 1].sent  # "X responded on Twitter: | 'I reject ...'"
            if prev.text.rstrip().rstrip('"\u201c').rstrip().endswith((":", ",")):
                root = prev.root
        if self.quoted[root.i]:
            return None
        s = self.subj(root)
        return self.parties.code(s) if s is not None else None

    def governing_modal(self, tok: Token, own: list[Token], reported: bool = False) -> Token | None:
        """A could/might/may/would on a verb that governs the trigger's clause: "the West could
        help end the war by halting arms deliveries" does not report a halt. The walk stops at a
        reporting verb and at clauses of their own (after ..., relative clauses)."""
        t = tok
        for _ in range(10):
            if t.dep_ in ("ROOT", "relcl", "acl", "parataxis") or (t.dep_ == "advcl" and self.mark(t)):
                return None
            h = t.head
            trig = self.trigs.get(h.i)
            if trig is not None and trig.type == "@say":
                return None
            if h not in own:
                for c in h.children:
                    if c.dep_ == "aux" and (c.lower_ in POSSIBLE or (c.lower_ == "would" and not reported)):
                        return c
            t = h
        return None

    def inside_condition(self, tok: Token) -> bool:
        deps, heads = self.an.deps, self.an.heads
        i = tok.i
        for _ in range(12):
            if deps[i] == "advcl" and self._mark(i) in CONDITION_MARKS:
                return True
            if heads[i] == i:
                return False  # the root: going on would test it again
            i = heads[i]
        return False

    def according_to(self, tok: Token) -> Coded | None:
        """The source of "according to X" attached to the clause of ``tok`` (once per token)."""
        if tok.i not in self._according:
            self._according[tok.i] = self._according_to(tok)
        return self._according[tok.i]

    def _according_to(self, tok: Token) -> Coded | None:
        deps, lowers, heads, kids = self.an.deps, self.an.lowers, self.an.heads, self.an.children
        i = tok.i
        for _ in range(8):
            for c in kids[i]:
                if deps[c] == "prep" and lowers[c] == "according":
                    for p in self.doc[c].subtree:
                        if p.dep_ == "pobj":
                            coded = self.parties.code(p)
                            if coded is not None:
                                return coded
                            inner = self.parties.country_in(p)
                            return inner
                    return None
            if heads[i] == i:
                break  # the root: going on would test it again
            i = heads[i]
        return None

    def statement_of(self, tok: Token) -> str | None:
        at = tok.idx
        for s in self.an.record.statements:
            if s.content.start <= at < s.content.end:
                return s.id
        return None

    # --- events that frames make: "X said Y must ...", "X claims Y attacked ..." --------------
    def frame_events(self, sent: SpacySpan, trigs: list[Trig]) -> list[Trig]:
        out: list[Trig] = []
        for t in trigs:  # "according to US officials, Iran armed the militia": an accusation
            src = self.according_to(t.tok) if not t.is_frame and t.emitted else None
            if src is None or src.party.country is None or not (
                    t.type in CONFLICT_MATERIAL or (t.type == "AID" and t.mode == "military")):
                continue
            s = self.subj(t.tok)
            doer = self.parties.code(s) if s is not None else None
            if doer is None or doer.party.country in (None, src.party.country):
                continue
            rule = TriggerRule(words=("according",), head="according", pos="VERB", type="ACCUSE",
                               mode="allege", conds=(), line=0)
            acc = Trig(tok=t.tok, rule=rule, parts=[t.tok], type="ACCUSE", mode="allege",
                       why=[f"'{src.party.text}' reports that '{doer.party.text}' did it: ACCUSE"])
            acc.forced = (src, doer)
            acc.status = "claimed"
            out.append(acc)
        for f in trigs:
            if f.type != "@say":
                continue
            s = self.subj(f.tok)
            speaker = self.parties.code(s) if s is not None else self.according_to(f.tok)
            if speaker is None:
                continue
            for content in [c for c in f.tok.children if c.dep_ == "ccomp"]:
                clauses = [content, *[c for c in content.conjuncts]]
                for v in clauses:
                    req = self.request_of(f, v, speaker)
                    if req is not None:
                        out.append(req)
                blamed = self.accusation_of(f, content, speaker)
                if blamed is not None:
                    out.append(blamed)
        return out

    def request_of(self, frame: Trig, verb: Token, speaker: Coded) -> Trig | None:
        """"Rouhani said foreign powers should leave": a REQUEST by the speaker of the subject."""
        modal = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ in OBLIGE), None)
        if modal is None and verb.lemma_ in ("have", "need") and any(c.dep_ == "xcomp" for c in verb.children):
            modal = verb
        if modal is None or any(c.dep_ == "neg" for c in verb.children):
            return None
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            return None
        target = self.parties.code(subj, speaker, loose=True)
        if target is None or (target.party.country and target.party.country == speaker.party.country
                              and subj.lower_ in ("we", "i", "us")):
            return None
        rule = TriggerRule(words=(modal.lower_,), head=modal.lower_, pos="VERB", type="REQUEST", mode=None,
                           conds=(), line=0)
        trig = Trig(tok=modal, rule=rule, parts=[modal], type="REQUEST", mode=None,
                    why=[f"'{frame.tok.text}' + '{modal.text}': the speaker asks the subject to act"])
        trig.speaker = speaker
        trig.frames = [frame]
        trig.status = "claimed"
        trig.statement = self.statement_of(modal)
        trig.forced = (speaker, target)
        for t in verb.subtree:
            if t.i in self.trigs and not self.trigs[t.i].is_frame and self.trigs[t.i].emitted:
                self.absorb(trig, self.trigs[t.i], f"asked for by '{speaker.party.text}'")
        return trig

    def accusation_of(self, frame: Trig, content: Token, speaker: Coded) -> Trig | None:
        """"X claims Y attacked ...", "said the crash was Iran's doing": an ACCUSE of Y by X."""
        lemma = frame.tok.lemma_.lower()
        target: Coded | None = None
        blame = next((t for t in content.subtree if t.lemma_.lower() in BLAME_WORDS), None)
        if blame is not None:
            for t in [blame, *blame.children, *[c for c in content.children if c.dep_ in ("nsubj", "nsubjpass")]]:
                if t.dep_ in ("poss", "nsubj", "nsubjpass", "compound") or t is blame:
                    cand = self.parties.country_in(t)
                    if cand is not None and cand.party.country != speaker.party.country:
                        target = cand
                        break
        elif lemma in SAY_FRAMES_TO_ACCUSE:
            for t in content.subtree:
                tr = self.trigs.get(t.i)
                if tr is None or tr.is_frame or tr.type not in CONFLICT_MATERIAL | {"AID"}:
                    continue
                s = self.subj(tr.tok)
                cand = self.parties.code(s) if s is not None else None
                if cand is not None and cand.party.country and cand.party.country != speaker.party.country:
                    target = cand
                    break
        if target is None or speaker.party.country is None:
            return None
        rule = TriggerRule(words=(lemma,), head=lemma, pos="VERB", type="ACCUSE", mode="allege", conds=(), line=0)
        trig = Trig(tok=frame.tok, rule=rule, parts=[frame.tok], type="ACCUSE", mode="allege",
                    why=[f"'{frame.tok.text}' that '{target.party.text}' is to blame: ACCUSE"])
        trig.forced = (speaker, target)
        trig.statement = self.statement_of(frame.tok)
        return trig

    # --- arguments -------------------------------------------------------------------------
    def noun_actor(self, tok: Token) -> Coded | None:
        an, doc = self.an, self.doc
        deps, kids = an.deps, an.children
        for c in kids[tok.i]:
            if deps[c] == "poss":
                p = self.parties.code(doc[c])
                if p is not None:
                    return p
        for c in kids[tok.i]:
            if deps[c] in ("compound", "amod", "nmod") and c < tok.i:
                p = self.parties.code(doc[c])
                if p is not None and (p.party.country or p.party.entity):
                    return p
        for c in kids[tok.i]:
            if deps[c] == "prep" and an.lowers[c] == "by":
                for o in kids[c]:
                    if deps[o] == "pobj":
                        return self.parties.code(doc[o]) or self.parties.country_in(doc[o])
        return None

    def recipient_slot(self, tok: Token, etype: str, skip: set[int] | None = None,
                       slots: tuple[str, ...] | None = None) -> Coded | None:
        skip = skip or set()
        trig = self.trigs.get(tok.i)
        slots = slots or (trig.rule.recipient_slots if trig is not None else None) or \
            RECIPIENT_SLOTS.get(etype, ("dobj",))
        an, doc = self.an, self.doc
        deps, lowers, pos, kids = an.deps, an.lowers, an.pos, an.children
        children = kids[tok.i]
        for slot in slots:
            if slot == "dobj":
                oi = next((c for c in children if deps[c] in ("dobj",)), None)
                if oi is None:  # "kidnapped up to 16 advisers"
                    oi = next((g for c in children if deps[c] == "prt" and lowers[c] == "up" for p2 in kids[c]
                               if lowers[p2] == "to" for g in kids[p2] if deps[g] == "pobj"), None)
                if oi is None and pos[tok.i] in ("VERB", "AUX") and self.passive(tok):
                    oi = next((c for c in children if deps[c] == "nsubjpass"), None)
                if oi is None and pos[tok.i] in ("NOUN", "PROPN"):
                    oi = next((g for c in children if deps[c] == "prep" and lowers[c] == "of"
                               for g in kids[c] if deps[g] == "pobj"), None)
                if oi is not None and oi not in skip and not self.own_thing(oi):
                    o = doc[oi]
                    p = self.parties.country_in(o) or (
                        self.parties.code(o, loose=etype in ("ASSAULT", "COERCE", "AID"))
                        if oi not in self.trigs and an.lemmas[oi].lower() not in EVENT_NOUNS else None)
                    if p is not None and p.token not in skip:
                        return p
                    for c in kids[oi]:  # "missiles targeting US troops"
                        if deps[c] in ("acl", "relcl") and c in self.trigs:
                            p = self.recipient_slot(doc[c], etype, skip | {oi})
                            if p is not None:
                                return p
            elif slot == "dative":
                oi = next((c for c in children if deps[c] == "dative" and pos[c] in ("NOUN", "PROPN", "PRON")), None)
                if oi is not None and oi not in skip:
                    p = self.parties.code(doc[oi])
                    if p is not None:
                        return p
            else:
                for c in children:
                    if deps[c] in ("prep", "dative") and lowers[c] == slot:
                        for oi in kids[c]:
                            if deps[oi] == "pobj" and oi not in skip:
                                p = self.parties.country_in(doc[oi])
                                if p is not None and p.token not in skip:
                                    return p
        # "missiles targeting US troops", "the airstrike that killed the general"
        for c in children:
            if deps[c] in ("acl", "relcl") and c in self.trigs and c not in skip:
                p = self.recipient_slot(doc[c], etype, skip)
                if p is not None:
                    return p
        # the object's own prepositions: "granted asylum to Panamanian officers", "strengthened its
        # forces in Lebanon", "launched rocket fire against guerrilla camps"
        oi = next((c for c in children if deps[c] == "dobj"), None)
        if oi is not None and pos[tok.i] in ("VERB", "AUX") and oi not in self.trigs:
            preps = tuple(x for x in slots if x not in ("dobj", "dative", "of", "by"))
            o = doc[oi]
            for obj in ([o, *o.conjuncts] if preps else []):
                p = self.recipient_slot(obj, etype, skip | {obj.i}, preps)
                if p is not None:
                    return p
        return None

    def own_thing(self, i: int) -> bool:
        """"its airspace", "their forces": a thing of the doer's own (its possessive points back)."""
        an = self.an
        deps, pos, kids = an.deps, an.pos, an.children[i]
        return pos[i] == "NOUN" and any(deps[c] == "poss" and an.lowers[c] in ("its", "their", "our", "his", "her")
                                        for c in kids) and not any(
            deps[c] in ("compound", "amod") and pos[c] in ("PROPN", "ADJ") and an.ent_types[c] for c in kids)

    def against(self, head: Token, skip: set[int]) -> Coded | None:
        """The first party "against" whom anything in the clause is aimed: "mobilized reservists for
        a possible war against Iraq"."""
        for t in head.subtree:
            if t.dep_ == "prep" and t.lower_ == "against":
                for o in t.children:
                    if o.dep_ == "pobj" and o.i not in skip:
                        p = self.parties.country_in(o)
                        if p is not None:
                            return p
        return None

    def antecedent(self, tok: Token) -> Event | None:
        """The earlier event a definite noun refers back to: "the attack", "the operation"."""
        an = self.an
        if an.pos[tok.i] not in ("NOUN", "PROPN") or not any(
                an.deps[c] in ("det", "poss") and an.lowers[c] in DEFINITE | {"its", "their"}
                for c in an.children[tok.i]):
            return None
        t = self.trigs.get(tok.i)
        wanted: frozenset[str] | None = frozenset({t.type}) if t is not None and not t.is_frame else None
        if wanted is None:
            if tok.lemma_.lower() in EVENT_NOUNS:
                wanted = CONFLICT_MATERIAL
            else:
                return None
        for ev in reversed(self.events):
            if ev.type in wanted and ev.trigger.start < tok.idx and ev.actor is not None:
                return ev
        return None

    def arguments(self, trig: Trig) -> tuple[list[Coded], list[Coded], list[str]]:
        if trig.forced is not None:
            return [trig.forced[0]], [trig.forced[1]], ["actor: speaker; recipient: the party asked or blamed"]
        tok = trig.tok
        why: list[str] = []
        actors: list[Coded] = []
        recipients: list[Coded] = []
        speaker = trig.speaker
        passive = tok.pos_ in ("VERB", "AUX") and self.passive(tok)
        subj = self.subj(tok)
        if subj is not None:
            actors = self.parties.members(subj, speaker, loose=True)
            if actors and actors[0].party.country is None and subj.lower_ not in ("it", "they", "we"):
                inner = self.parties.country_in(subj)
                if inner is not None and inner.party.country:
                    actors[0] = Coded(_with_country(actors[0].party, inner.party.country), actors[0].token,
                                      f"country from '{inner.party.text}'")
            if actors:
                why.append("actor: " + ("by-agent" if passive else "subject"))
        if not actors and tok.pos_ in ("NOUN", "PROPN"):
            a = self.noun_actor(tok)
            if a is not None:
                actors = [a]
                why.append("actor: noun modifier")
        if not actors and trig.light is not None:
            s = self.subj(trig.light.tok)
            if s is not None:
                actors = self.parties.members(s, speaker, loose=True)
                if actors:
                    why.append(f"actor: subject of '{trig.light.tok.text}'")
        skip = {a.token for a in actors}
        if subj is not None:
            skip.add(subj.i)
        if passive:
            ps = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            if ps is not None:
                r = self.parties.code(ps, speaker) or self.parties.country_in(ps)
                if r is not None:
                    recipients = [r, *[m for m in self.parties.members(ps, speaker)[1:]]]
                    why.append("recipient: passive subject")
        if not recipients:
            slot_type = trig.orig if trig.orig in self.pl.types and trig.type in ("AGREE", "THREATEN", "MOBILIZE",
                                                                                 "REJECT") else trig.type
            r = self.recipient_slot(tok, slot_type, skip)
            if r is None and trig.light is not None:
                r = self.recipient_slot(trig.light.tok, slot_type, skip | {tok.i})
            if r is None and trig.type in ("MOBILIZE", "THREATEN", "ASSAULT", "PROTEST", "ACCUSE", "SANCTION"):
                r = self.against(self.clause_head(trig), skip)
            if r is not None:
                recipients = [r, *self.parties.members(self.doc[r.token])[1:]]
                why.append("recipient: " + trig.type.lower() + " slot")
        if not recipients and trig.type in ("REQUEST", "ACCUSE", "REJECT", "THREATEN"):
            comp = self.complement(tok)
            if comp is not None:
                s = next((c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if s is not None and s.i not in skip:
                    r = self.parties.code(s, speaker)
                    if r is not None:
                        recipients = [r]
                        why.append("recipient: subject of the complement")
        # what the event absorbed or merged names the other party
        for child in [*trig.merged, *trig.absorbed]:
            if not actors and child in trig.merged:
                s = self.subj(child.tok)
                if s is not None and s.i not in skip:
                    actors = self.parties.members(s, speaker)
            if not recipients:
                if trig.type in ("REQUEST",) and child in trig.absorbed:
                    s = self.subj(child.tok)
                    if s is not None and s.i not in skip and s.i != (subj.i if subj is not None else -1):
                        r = self.parties.code(s, speaker)
                        if r is not None:
                            recipients = [r]
                            why.append("recipient: subject of the content")
                            continue
                if trig.type == "ACCUSE" and child in trig.absorbed and child.type in CONFLICT_MATERIAL:
                    r = self.noun_actor(child.tok) if child.tok.pos_ == "NOUN" else None
                    if r is not None and r.token not in skip:
                        recipients = [r]
                        why.append("recipient: who did what was condemned")
                        continue
                r = self.recipient_slot(child.tok, child.type if trig.type in VERBAL else trig.type,
                                        skip | {a.token for a in actors})
                if r is not None:
                    recipients = [r]
                    why.append(f"recipient: from '{child.tok.text}'")
        if not recipients and trig.type in VERBAL:
            # "offered to hand over to Great Britain", "agreed to set up a centre in Tokyo",
            # "refused to allow UN planes to land"
            comp = self.complement(tok)
            taken = skip | {a.token for a in actors}
            for c in ([comp] if comp is not None else []):
                r = self.recipient_slot(c, "", taken, GENERIC_SLOTS)
                if r is None:
                    comp2 = self.complement(c)
                    who = next((x for x in comp2.children if x.dep_ in ("nsubj", "nsubjpass")), None) \
                        if comp2 is not None else None
                    r = self.parties.country_in(who) if who is not None and who.i not in taken else None
                if r is not None:
                    recipients = [r]
                    why.append(f"recipient: in the complement '{c.text}'")
        if not recipients and tok.dep_ == "pobj" and tok.head.lower_ == "of" and \
                tok.head.head.lemma_ in ("subject", "target", "victim", "focus") and tok.head.head.dep_ == "attr":
            holder = next((c for c in tok.head.head.head.children if c.dep_ == "nsubj"), None)
            r = self.parties.code(holder) if holder is not None else None
            if r is not None:
                recipients = [r]
                why.append(f"recipient: the '{tok.head.head.text}' of it")
        if not recipients and trig.type in ("ACCUSE", "REJECT", "SUPPORT", "REQUEST", "CONCEDE"):
            obj = self.obj(tok) if not passive else next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            ante = self.antecedent(obj) if obj is not None else None
            # condemning an act is aimed at who did it; regretting one, at who suffered it
            other = (ante.recipient if trig.type == "CONCEDE" else ante.actor) if ante is not None else None
            if other is not None and obj is not None:
                recipients = [Coded(other, obj.i, "from the earlier event")]
                why.append(f"recipient: {'who suffered' if trig.type == 'CONCEDE' else 'who did'} "
                           f"'{ante.trigger.text if ante else ''}'")
        if trig.rule.swap:
            actors, recipients = recipients, actors
            why.append("visitor is the actor")
        indirect = any(w.startswith(("recipient: in the complement", "recipient: from '")) for w in why) or (
            bool(recipients) and 0 <= recipients[0].token < len(self.doc)
            and self.doc[recipients[0].token].ent_type_ in ("GPE", "LOC", "FAC")
            and self.doc[recipients[0].token].head.lower_ in ("in", "at"))
        if len(actors) > 1 and (not recipients or indirect) and trig.type in RECIPROCAL:
            recipients = actors[1:2]  # "Turkey and Libya agreed on ...": each is the other's counterpart
            why = [w for w in why if not w.startswith("recipient")] + ["reciprocal"]
        return actors, recipients, why

    # --- building the event ---------------------------------------------------------------------
    def clause_head(self, trig: Trig) -> Token:
        head = trig.light.tok if trig.light is not None else trig.tok
        if head.pos_ in ("NOUN", "PROPN"):
            g = self.governor(head)
            if g is not None:
                head = g
        return head

    def clause_place(self, trig: Trig, taken: set[int], sentence: bool = False) -> Coded | None:
        """The country of the place named in the trigger's clause ("in the capital Kabul"), or
        with ``sentence`` anywhere in its sentence."""
        head = self.clause_head(trig)
        holders = [head, trig.tok, *[c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]]
        if sentence:
            holders += [t for t in trig.tok.sent if t not in holders]
        for h in holders:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "at", "near", "outside", "throughout", "into", "across"):
                    for o in c.children:
                        if o.dep_ == "pobj" and o.i not in taken:
                            p = self.parties.country_in(o, 1)
                            if p is not None and p.party.country and p.token not in taken:
                                return p
        return None

    def foreign_in_clause(self, trig: Trig, country: str) -> bool:
        """Whether the trigger's clause names a party of another country ("hack into the computers
        of South Korean officers")."""
        head = self.clause_head(trig)
        for t in head.subtree:
            if t.pos_ in ("PROPN", "ADJ", "NOUN") and t.i != trig.tok.i:
                code = self.parties.lex.country_code(t.text)
                if code and code != country:
                    return True
        return False

    def purpose_recipient(self, trig: Trig, taken: set[int]) -> Coded | None:
        """Whom a protest is aimed at, from its stated aim: "began a hunger strike to protest
        against Sweden's decision", "in protest of the government's refusal"."""
        head = self.clause_head(trig)
        for h in (trig.tok, head):
            for c in h.children:
                aims = [c] if c.dep_ in ("advcl", "xcomp") else [
                    o for o in c.children if o.dep_ == "pobj" and c.lower_ in ("in", "against")]
                for a in aims:
                    r = self.recipient_slot(a, "PROTEST", taken, ("against", "dobj", "at", "for", "of", "from"))
                    if r is not None and r.party.country:
                        return r
        return None

    def licensed(self, trig: Trig) -> bool:
        """A noun is an event when a verb makes it one ("launched an offensive"), or it names its
        own parties ("Turkey's invasion", "an attack on oil facilities"); a bare definite noun
        ("the attack", "the rally") refers back to an event already coded."""
        tok = trig.tok
        an = self.an
        deps, lowers, kids = an.deps, an.lowers, an.children[tok.i]
        if an.pos[tok.i] not in ("NOUN", "PROPN") or trig.forced is not None:
            return True
        if any(deps[c] == "det" and lowers[c] in DEFINITE for c in kids) and self.noun_actor(tok) is None \
                and self.antecedent(tok) is not None:
            return False  # "The rally started at six": the rally already coded
        if trig.light is not None:
            return True
        if self.noun_actor(tok) is not None:
            return True
        definite = any(deps[c] in ("det", "poss") and lowers[c] in DEFINITE for c in kids)
        if definite:
            return False
        return self.recipient_slot(tok, trig.type) is not None or deps[tok.i] in ("dobj", "pobj", "nsubjpass", "attr")

    def build(self, trig: Trig, sent: SpacySpan) -> Event | None:
        if not self.licensed(trig):
            return None
        actors, recipients, arg_why = self.arguments(trig)
        # one party must not be both sides
        if actors and recipients and actors[0].party.start == recipients[0].party.start:
            recipients = recipients[1:]
        if not actors and not (recipients and trig.type in ACTORLESS and recipients[0].party.country):
            return None
        thing = self.subj(trig.tok) if trig.tok.pos_ in ("VERB", "AUX") and not trig.forced else None
        if not actors and thing is not None and thing.i not in self.trigs and thing.lemma_.lower() not in \
                EVENT_NOUNS and thing.lower_ not in ("it", "they", "which", "that", "who"):
            return None  # the doer is a thing: "a fire destroyed 200 homes"
        actor = actors[0].party if actors else None
        if len(actors) > 1 and trig.type in RECIPROCAL and recipients and actor is not None and \
                recipients[0].party.country == actor.country and actors[1].party.country != actor.country:
            recipients = [actors[1]]  # "Palestinians and Israelis failed to reach agreement on ..."
            arg_why.append("reciprocal")
        if trig.type == "PROTEST" and (not recipients or recipients[0].party.country is None):
            r = self.purpose_recipient(trig, {a.token for a in actors})
            if r is not None:
                recipients = [r]
                arg_why.append("recipient: whom the protest is aimed at")
        weak = not recipients or recipients[0].party.country is None
        if weak and trig.type in PLACED:
            place = self.clause_place(trig, {a.token for a in actors})
            if place is None and recipients and recipients[0].party.role in ("CVL", None):
                place = self.clause_place(trig, {a.token for a in actors}, sentence=True)  # victims
            if place is not None and (actor is None or place.party.country != actor.country or
                                      trig.type in DOMESTIC | {"ASSAULT"}):
                if recipients:
                    recipients[0] = Coded(_with_country(recipients[0].party, place.party.country or ""),
                                          recipients[0].token, f"in '{place.party.text}'")
                    arg_why.append(f"recipient's country: where it happened ('{place.party.text}')")
                elif trig.type != "ASSAULT" or actor is None or place.party.country != actor.country:
                    recipients = [place]
                    arg_why.append(f"recipient: where it happened ('{place.party.text}')")
        if actor is not None and actor.country is None and trig.type in ("ASSAULT", "MOBILIZE", "COERCE") and \
                recipients and recipients[0].party.country and any(
                    w in actor.text.lower() for w in ("government", "authorities", "police", "security", "regime")):
            actors[0] = Coded(_with_country(actor, recipients[0].party.country), actors[0].token,
                              "the government of where it acts")
            actor = actors[0].party
            arg_why.append("actor's country: an unnamed government acting at home")
        if actor is not None and actor.country is None and trig.type == "PROTEST" and recipients and \
                recipients[0].party.country:
            actors[0] = Coded(_with_country(actor, recipients[0].party.country), actors[0].token,
                              "protesters of the country they protest against")
            actor = actors[0].party
            arg_why.append("actor's country: the protest's target's (a domestic protest)")
        if actor is not None and actor.country and (
                (trig.type in DOMESTIC and trig.tok.lemma_.lower() not in APOLOGIES and (not recipients or (
                    recipients[0].party.country is None and recipients[0].party.role not in FOREIGN_ROLES)))
                or (trig.type in ("REQUEST", "REJECT") and recipients and
                    recipients[0].party.country is None and recipients[0].party.role in STATE_ROLES)
                or (trig.type == "REQUEST" and not recipients and actor.role in CIVIL_ROLES)
                or (trig.type == "ASSAULT" and actor.role in ("COP", "SPY") and recipients and
                    recipients[0].party.country is None and recipients[0].party.role in ("CVL", "OPP", None))
                or (trig.type == "ACCUSE" and recipients and recipients[0].party.country is None
                    and recipients[0].party.role in ("REB", "OPP"))):
            if recipients:
                recipients[0] = Coded(_with_country(recipients[0].party, actor.country), recipients[0].token,
                                      "the actor's own state")
                arg_why.append("recipient's country: the actor's (a domestic counterpart)")
            elif trig.type in DOMESTIC | {"REQUEST"} and not self.foreign_in_clause(trig, actor.country):
                recipients = [Coded(_with_country(Party(text=actor.text, start=actor.start, end=actor.end),
                                                  actor.country), actors[0].token, "the actor's own state")]
                arg_why.append("recipient: the actor's own state (no counterpart named)")
        if not recipients and actor is not None and actor.country and trig.type in CONFLICT_MATERIAL | COOPERATIVE \
                - {"AGREE", "CONSULT", "SUPPORT"}:  # a campaign, or regrets for what was admitted before
            for ev in reversed(self.events):
                if ev.type == trig.type and ev.actor is not None and ev.actor.country == actor.country \
                        and ev.recipient is not None and ev.recipient.country:
                    recipients = [Coded(ev.recipient, -1, "recipient of the same act earlier")]
                    arg_why.append(f"recipient: as in the earlier '{ev.trigger.text}'")
                    break
        if trig.type not in self.pl.types:
            return None
        mode = trig.mode or self.mode_of(trig)
        start = min(t.idx for t in trig.parts)
        end = max(t.idx + len(t.text) for t in trig.parts)
        text = self.an.article.text
        if end - start > 40:  # parts far apart ("blew themselves up"): the head alone
            start, end = trig.tok.idx, trig.tok.idx + len(trig.tok.text)
        ev = Event(
            id="",
            type=trig.type,
            trigger=Span(text=text[start:end], start=start, end=end),
            sentence=SentenceSpan(start=sent.start_char, end=sent.end_char),
            mode=mode,
            status=trig.status,
            statement=trig.statement,
            actor=_party(actors[0]) if actors else None,
            recipient=_party(recipients[0]) if recipients else None,
            actors=[_party(a) for a in actors] if len(actors) > 1 else [],
            recipients=[_party(r) for r in recipients] if len(recipients) > 1 else [],
        )
        where = self.clause_ranges(trig, sent, actors, recipients)
        attach_when_where(ev, self.an.record.times, where.pop("places"), **where)
        clause = where["clause"]
        ev.quantities = [q.id for q in self.an.record.quantities if clause[0] <= q.start < clause[1]]
        ev.why = "; ".join([*trig.why, *arg_why, *([a.why for a in actors[:1]] if actors else [])])
        return ev

    def mode_of(self, trig: Trig) -> str | None:
        """The first mode of the type whose cue is in the trigger, its arguments or its clause."""
        modes = self.pl.modes.get(trig.type)
        if not modes:
            return None
        near = [trig.tok.i, *[t.i for t in trig.parts], *self.an.subtree(trig.tok.i),
                *[t for c in trig.merged for t in self.an.subtree(c.tok.i)]]
        if trig.light is not None:
            near.append(trig.light.tok.i)
        lowers, lemmas = self.an.lowers, self.an.lemmas
        words = {lowers[t] for t in near} | {lemmas[t].lower() for t in near}
        text = " ".join(lowers[t] for t in sorted(set(near)))
        for mode, cues in modes:
            for cue in cues:
                if (" " in cue and cue in text) or cue in words:
                    return mode
        return None

    def clause_ranges(self, trig: Trig, sent: SpacySpan, actors: list[Coded],
                      recipients: list[Coded]) -> dict[str, Any]:
        """Where to look for the event's time and place (see event_context): the phrases on its
        own verb or noun, its clause, the clauses and appositions of other acts to leave out,
        the reporting clause, and the parties' phrases."""
        head = trig.light.tok if trig.light is not None else trig.tok
        if trig.forced is not None and trig.frames:
            head = trig.frames[0].tok  # an event made by a reporting verb happens when it is said
        an = self.an
        deps, lowers, kids, starts, texts = an.deps, an.lowers, an.children, an.token_starts, an.texts

        def span_of(ids: list[int]) -> tuple[int, int]:  # _range of the tokens, in subtree order
            return starts[ids[0]], starts[ids[-1]] + len(texts[ids[-1]])

        h = head.i
        if an.pos[h] in ("NOUN", "PROPN") and an.pos[an.heads[h]] in ("VERB", "AUX"):
            h = an.heads[h]
        toks = self.an.subtree(h)
        clause = span_of(toks)
        prefer = [span_of(self.an.subtree(c)) for x in {h, trig.tok.i} for c in kids[x]
                  if deps[c] in ("prep", "npadvmod", "advmod", "tmod", "obl") and lowers[c] not in TIME_MARKS]
        leave: list[tuple[int, int]] = []
        anchors: list[tuple[int, int]] = []  # "before the jet crashed on Wednesday": a last resort
        for i in range(sent.start, sent.end):
            dep = deps[i]
            if dep not in ("advcl", "relcl", "parataxis", "appos", "acl"):
                continue  # no clause of its own
            temporal = dep == "advcl" and self._mark(i) in TIME_MARKS
            # (an "acl" on the trigger itself counts too, as it always has)
            other_clause = (dep == "advcl" and self._mark(i)) or dep in ("relcl", "parataxis", "appos", "acl")
            if other_clause and trig.tok.i not in self.an.subtree(i):
                (anchors if temporal else leave).append(span_of(self.an.subtree(i)))
        if self._locative is None:  # the record's places do not change while events are coded
            self._locative = [p for p in self.an.record.places if self.locative(p.start, p.end)]
        places = list(self._locative)
        report: list[tuple[int, int]] = []
        for f in trig.frames:
            if f.type == "@say" and f.tok.i not in toks:
                for c in kids[f.tok.i]:
                    if deps[c] in ("prep", "npadvmod", "advmod") and c not in toks:
                        leave.append(span_of(self.an.subtree(c)))
                        # a party reporting its own act dates it: "Late on Sunday, the SDF announced it had ..."
                        if trig.speaker is not None and actors and trig.speaker.party.entity and \
                                trig.speaker.party.entity == actors[0].party.entity:
                            report.append(span_of(self.an.subtree(c)))
        not_places = [(p.party.start, p.party.end) for p in [*actors, *recipients] if 0 <= p.token < len(self.doc)
                      and an.ent_types[p.token] not in ("GPE", "LOC", "FAC")]
        return {"clause": clause, "leave_out": leave, "prefer": prefer, "report": report, "not_places": not_places,
                "places": places, "anchors": anchors}

    def locative(self, start: int, end: int) -> bool:
        """Whether a place mention says where something happened: the object of "in", "at",
        "near" ... or of a verb of entering or taking ("entered Tell Tamer"), not a modifier
        ("US troops") or a destination ("flights to Cuba")."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        t = span.root
        while t.dep_ in ("appos", "compound", "conj") and t.head is not t:
            t = t.head
        if t.dep_ == "pobj":
            return t.head.lower_ in LOCATIVE
        return t.dep_ in ("dobj", "npadvmod") and t.head.lemma_.lower() in ("enter", "visit", "capture", "seize",
                                                                            "storm", "shell", "bomb", "hit", "attack")

    # --- one event per act ---------------------------------------------------------------------
    @staticmethod
    def dedup(found: list[tuple[Trig, Event]]) -> list[Event]:
        """Events of one sentence with the same type, status and compatible parties are one."""
        kept: list[Event] = []
        for _, ev in found:
            twin = next((k for k in kept if k.type == ev.type and k.status == ev.status
                         and _compatible(k.actor, ev.actor) and _compatible(k.recipient, ev.recipient)), None)
            if twin is None:
                kept.append(ev)
                continue
            if twin.actor is None and ev.actor is not None:
                twin.actor = ev.actor
            if twin.recipient is None and ev.recipient is not None:
                twin.recipient = ev.recipient
            if twin.date is None and ev.date is not None:
                twin.date, twin.time = ev.date, ev.time
            if twin.place is None:
                twin.place = ev.place
        return kept


def _lemmas(tok: Token) -> tuple[str, ...]:
    """The spaCy lemma, the word itself, and what regular inflection would give: the small model
    lemmatises some verbs wrongly ("staged" -> "stag")."""
    return _lemma_forms(tok.lemma_.lower(), tok.lower_)


@lru_cache(maxsize=1 << 16)
def _lemma_forms(lemma: str, low: str) -> tuple[str, ...]:
    """``_lemmas`` of a word from its lowercased lemma and its lowercased text (cached)."""
    out = [lemma, low]
    if low.endswith("ied") or low.endswith("ies"):
        out.append(low[:-3] + "y")
    if low.endswith("ed"):
        out += [low[:-1], low[:-2]]
        if len(low) > 4 and low[-3] == low[-4]:
            out.append(low[:-3])  # "stopped" -> "stop"
    if low.endswith("ing"):
        out += [low[:-3], low[:-3] + "e"]
        if len(low) > 5 and low[-4] == low[-5]:
            out.append(low[:-4])
    if low.endswith("s") and not low.endswith("ss"):
        out.append(low[:-1])
        if low.endswith("es"):
            out.append(low[:-2])
    return tuple(dict.fromkeys(out))


def _range(toks: list[Token]) -> tuple[int, int]:
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _party(c: Coded) -> Party:
    p = c.party
    return Party(text=p.text, start=p.start, end=p.end, entity=p.entity, country=p.country, role=p.role)


def _with_country(p: Party, country: str) -> Party:
    return Party(text=p.text, start=p.start, end=p.end, entity=p.entity, country=country, role=p.role)


def _compatible(a: Party | None, b: Party | None) -> bool:
    if a is None or b is None:
        return True
    if a.entity and b.entity:
        return a.entity == b.entity
    return a.country == b.country
