"""Statements stage: who said what, to whom, citing which document, with what stance.

Every attributed statement of an article, direct (inside quotation marks), indirect (reported
speech) or mixed, as speaker, cue, content, addressee, target, cited source and stance. The
design follows the recipe in ../shared/PRIOR-ART-statements.md (section 8):

1. quotations are paired by mark type, over paragraphs when a paragraph reopens a quotation
   (``quotes.py``), and the words inside them are masked: a cue inside a quotation is never an
   attribution cue;
2. cue candidates are found by lemma and syntax from our lexicon (``lexicon/data/cues.tsv``):
   verbs ("said", "accused", "called for"), "according to", and nouns with a possessor
   ("Russia's claim that ...");
3. each cue finds its content: a quotation next to its attribution ('"...," he said', 'he said:
   "..."'), else its that-clause, to-infinitive, object or prepositional object, as its row in
   the lexicon allows; a parenthetical cue ("The plan, he said, is dead") takes its clause;
4. the speaker is the cue's subject, or its head's ("... adding that"), or the agent of a
   passive; a passive without agent has no speaker (and says so); an artifact as subject ("a
   Kremlin statement said") is the cited source and its creator the speaker; any other cue
   whose speaker cannot be found is dropped (an unattributed statement is noise);
5. quotations that follow an attributed quotation with no cue of their own continue it (the
   same sentence, or the next paragraphs; up to five);
6. stance comes from the cue's row, undone by negation ("did not deny"); the target of an
   accusation and the addressee of "told"/"urged" come from the object.

Nested attributions are reported once, the outermost (PolNeAR's univocal rule): a cue inside
another statement's content is not a statement of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.attrs import IDX, LEMMA, LOWER
from spacy.strings import StringStore
from spacy.tokens import Doc, Token

from chronicle.extract.analysis import Analysis
from chronicle.extract.quotes import OPENERS, SINGLE_OPENERS, Quote, quotations
from chronicle.lexicon.cues import Cue, CueLexicon, cue_lexicon
from chronicle.record import Party, Span, Statement

__all__ = ["run"]

QUOTE_MARKS = set(OPENERS) | {c for cs in OPENERS.values() for c in cs} | set(SINGLE_OPENERS) | {
    c for cs in SINGLE_OPENERS.values() for c in cs} | {"``", "''"}
SUBJECTS = ("nsubj", "nsubjpass", "csubj")
CLAUSE_DEPS = ("ccomp",)
# prepositions after which a noun names the document or channel a statement came from
SOURCE_PREPS = {"in", "on", "at", "during", "via", "through", "over"}
# prepositions that may stand in an attribution after its cue ("said in a statement to reporters")
ATTRIBUTION_PREPS = SOURCE_PREPS | {"to", "with", "of", "after", "before", "from"}
# prepositions whose object names the creator of a document ("a statement by the ministry")
CREATOR_PREPS = {"by", "from", "of"}
# a cue's own prepositional content ("warned of", "complained about", "appealed for")
CONTENT_PREPS = {"of", "about", "against", "for", "on", "over"}
PRONOUNS_ORG = {"it", "they"}
FIRST_PERSON = {"i", "we"}
RELATIVES = {"who", "which", "that"}
MAX_CONTINUATIONS = 5
_NEWLINE = re.compile(r"\n")
# a clause opened by one of these is adverbial ("..., he said, as the crowd cheered"), not content
ADVERBIAL_MARKS = {"as", "while", "because", "when", "after", "before", "since", "although", "though", "until"}
ANIMATE_PRONOUNS = {"i", "we", "you", "he", "she", "they", "who", "it"}
# nouns for people and bodies that speak (beyond named entities), for cues whose content is a
# plain object ("the spokesman denied the report"; not "the data showed a rise")
PEOPLE_NOUNS = {
    "official", "spokesman", "spokeswoman", "spokesperson", "critic", "supporter", "voter",
    "campaign", "administration", "government", "ministry", "minister", "president", "leader", "candidate",
    "senator", "governor", "mayor", "lawmaker", "legislator", "party", "committee", "group", "analyst", "expert",
    "people", "aide", "adviser", "advisor", "source", "side", "team", "office", "agency", "department",
    "democrat", "republican", "conservative", "liberal", "chairman", "chairwoman", "chair", "secretary",
    "prosecutor", "judge", "court", "police", "army", "military", "company", "firm", "union", "coalition",
    "delegate", "activist", "protester", "resident", "witness", "family", "parent", "student", "nominee",
    "frontrunner", "front-runner", "rival", "opponent", "ally", "member", "head", "chief", "director",
    "ambassador", "envoy", "diplomat", "general", "commander", "representative", "congressman", "congresswoman",
    "speaker", "host", "anchor", "moderator", "reporter", "journalist", "editor", "columnist", "writer", "author",
    "economist", "lawyer", "attorney", "doctor", "scientist", "researcher", "woman", "man", "person",
    "charity", "organisation", "organization", "association", "council", "board", "institute", "foundation",
    "commission", "parliament", "congress", "senate", "house", "cabinet", "regime", "authority", "bank",
    "country", "nation", "state", "city", "alliance", "bloc", "movement", "rebel", "force", "troop", "junta",
    "ngo", "embassy", "kremlin", "palace", "camp", "staff", "crowd", "public", "majority", "everyone",
    "assembly", "summit", "meeting", "panel", "conference", "delegation", "mission", "leadership",
}
BODY_NOUNS = {"service", "unit", "intelligence", "navy", "air", "guard", "media", "press", "security", "side"}
PEOPLE_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "man", "woman", "men", "women")
# content frames whose speaker must be able to speak ("the poll showed a lead" is no statement)
OBJECT_FRAMES = {"obj", "prep", "of"}
# cues that are statements only with a document as object and its words quoted after it
DOCUMENT_VERBS = {"issue", "release", "put"}
# cues that are statements only with a that-clause ("the report found that"; not "found it")
THAT_ONLY = {"find", "show", "guarantee", "indicate", "signal", "attack", "question", "challenge", "charge"}


@dataclass
class Found:
    """A statement under construction."""

    cue: Token
    cue_span: tuple[int, int]  # token range [start, end)
    entry: Cue
    content: tuple[int, int] | None = None  # token range
    quotes: list[int] = field(default_factory=list)  # indexes of the quotations it holds
    speaker: tuple[int, int] | None = None  # token range
    speaker_entity: str | None = None
    speaker_why: str = ""
    passive: bool = False
    addressee: tuple[int, int] | None = None
    target: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    negated: bool = False
    stance: str | None = None
    why: list[str] = field(default_factory=list)
    kind: str = "indirect"
    frame: str = "clause"  # which complement gave the content
    inner_cue: bool = False  # the cue may sit inside the content ("X, according to Y, Z")


class _Stage:
    def __init__(self, an: Analysis) -> None:
        self.an = an
        self.doc: Doc = an.doc
        self.text = an.article.text
        self.lex: CueLexicon = cue_lexicon()
        self.quotes: list[Quote] = quotations(self.text)
        # per-token columns, read once (making spaCy Token objects is what costs)
        arr = self.doc.to_array([IDX, LEMMA, LOWER]) if len(self.doc) else None
        self.starts: list[int] = arr[:, 0].tolist() if arr is not None else []
        self._lemmas = arr[:, 1] if arr is not None else None
        self._lowers = arr[:, 2] if arr is not None else None
        n = len(self.doc)
        self.quote_of: list[int] = [-1] * n
        for qi, q in enumerate(self.quotes):
            for ps, pe in q.pieces:
                for i in range(bisect_left(self.starts, ps), bisect_left(self.starts, pe)):
                    self.quote_of[i] = qi
        # paragraph of each token: a line break between two tokens starts a new one
        breaks = sorted({bisect_right(self.starts, m.start()) for m in _NEWLINE.finditer(self.text)})
        self.para_of: list[int] = [0] * n
        para, k = 0, 0
        for i in range(n):
            while k < len(breaks) and breaks[k] <= i:
                para += 1
                k += 1
            self.para_of[i] = para
        self.claimed: set[int] = set()

    def inside(self, i: int) -> bool:
        return self.quote_of[i] >= 0

    def is_mark(self, tok: Token) -> bool:
        return self._is_mark(tok.i)

    def _is_mark(self, i: int) -> bool:
        text = self.an.texts[i]
        return text in QUOTE_MARKS or (self.an.is_punct[i] and any(ch in QUOTE_MARKS for ch in text))

    def quote_tokens(self, qi: int) -> tuple[int, int]:
        """Token range [start, end) of a quotation's inside."""
        q = self.quotes[qi]
        return bisect_left(self.starts, q.start), bisect_left(self.starts, q.end)

    # --- cues ------------------------------------------------------------------------------
    def cues(self) -> list[tuple[Token, Cue]]:
        if self._lemmas is None or self._lowers is None:
            return []
        wanted = _cue_hashes(self.lex, self.doc.vocab.strings)
        lemmas, lowers = self._lemmas.tolist(), self._lowers.tolist()
        hits = [i for i, lemma in enumerate(lemmas) if lemma in wanted or lowers[i] in wanted]
        out = []
        for i in hits:
            tok = self.doc[i]
            if self.inside(i) or tok.is_space or tok.is_punct:
                continue
            low = tok.lower_
            if low == "according":
                to = [c for c in tok.children if c.lower_ == "to"]
                nxt = tok.nbor(1) if tok.i + 1 < len(self.doc) else None
                if to or (nxt is not None and nxt.lower_ == "to"):
                    cue = self.lex.preps.get("according to")
                    if cue is not None:
                        out.append((tok, cue))
                continue
            if tok.tag_.startswith("VB") or tok.pos_ == "VERB":
                # a particle counts when it follows the verb ("called for", not "called them on it")
                parts = {c.lower_ for c in tok.children if c.dep_ in ("prt", "prep") and (
                    c.i == tok.i + 1 or (c.i == tok.i + 2 and tok.nbor(1).pos_ == "ADV"))}
                vcue = self.lex.verb(tok.lemma_.lower(), parts)
                if vcue is None and tok.lemma_.lower() != low:
                    vcue = self.lex.verb(low, parts)
                if vcue is not None:
                    out.append((tok, vcue))
                continue
            if tok.pos_ == "NOUN":
                ncue = self.lex.nouns.get(tok.lemma_.lower())
                if ncue is not None:
                    out.append((tok, ncue))
        return out

    # --- building one statement -------------------------------------------------------------
    def build(self, tok: Token, cue: Cue) -> Found | None:
        if cue.pos == "prep":
            return self._according(tok, cue)
        if cue.pos == "noun":
            return self._noun(tok, cue)
        return self._verb(tok, cue)

    def _verb_group(self, v: Token, cue: Cue) -> tuple[int, int]:
        an = self.an
        deps = an.deps
        idx = [v.i]
        for c in an.children[v.i]:
            before = c < v.i and (deps[c] in ("aux", "auxpass", "neg") or (deps[c] == "advmod" and c >= v.i - 2))
            particle = cue.particle is not None and an.lowers[c] == cue.particle and deps[c] in ("prt", "prep")
            if before or particle:
                idx.append(c)
        s, e = min(idx), max(idx) + 1
        # never swallow a comma or the subject between auxiliary and verb ("did he say")
        for i in range(s, e):
            if deps[i] in SUBJECTS or an.is_punct[i]:
                s = i + 1 if i < v.i else s
                if i > v.i:
                    e = i
                    break
        return s, e

    def _verb(self, v: Token, cue: Cue) -> Found | None:
        f = Found(cue=v, cue_span=self._verb_group(v, cue), entry=cue, stance=cue.stance)
        f.why.append(f"cue '{cue.text}' ({cue.stance or 'no stance'})")
        kids, deps = self.an.children[v.i], self.an.deps
        passive = any(deps[c] in ("nsubjpass", "auxpass") for c in kids)
        f.passive = passive
        if v.dep_ in ("amod", "acomp") or (v.tag_ == "VBN" and v.dep_ in ("amod", "acl") and not passive):
            if v.dep_ != "acl":
                return None  # "the said document", "a reported attack"
        if not self._content(f, v, cue):
            return None
        if cue.lemma in DOCUMENT_VERBS:
            dobj = self._child(v, ("dobj",))
            if not f.quotes or dobj is None or not self._is_document(dobj):
                return None
            f.source = self._artifact_range(dobj)
            f.cue_span = (f.cue_span[0], max(f.cue_span[1], dobj.i + 1))
        if cue.lemma in THAT_ONLY and (not f.quotes or cue.lemma == "charge"):
            ccomp = self._clause(v)
            subj = self._child(v, ("nsubj",))
            if ccomp is None or not (any(deps[c] == "mark" and self.an.lowers[c] == "that"
                                         for c in self.an.children[ccomp.i])
                                     or (subj is not None and self._person(subj))):
                return None
        own = {deps[c] for c in kids}
        bare_participle = not own & {"aux", "nsubj"} and (v.tag_ == "VBN" or "mark" in own)  # "when asked"
        if (f.passive or bare_participle) and cue.lemma in ("ask", "tell", "question") \
                and self._child(v, ("agent",)) is None:
            return None  # "when asked about it, she said": the question is not the statement
        if cue.lemma == "tell" and v.i > 0 and self.doc[v.i - 1].lower_ == "all":
            return None  # "all told"
        self._speaker(f, v)
        if f.frame in OBJECT_FRAMES and f.speaker is not None and not self._animate(
                self.doc[f.speaker[0]:f.speaker[1]].root):
            return None
        self._objects(f, v, cue)
        self._sources(f, v)
        self._negation(f, v)
        return f

    # content ------------------------------------------------------------------------------
    def _child(self, v: Token, deps: tuple[str, ...]) -> Token | None:
        labels = self.an.deps
        for c in self.an.children[v.i]:
            if labels[c] in deps:
                return self.doc[c]
        return None

    def _subtree_range(self, t: Token, exclude: Token | None = None) -> tuple[int, int]:
        sub = self.an.subtree(t.i)
        if exclude is None:
            ids = sub
        else:
            lo, hi = exclude.left_edge.i, exclude.right_edge.i
            ids = [x for x in sub if not (lo <= x <= hi)]
        if not ids:  # the excluded part was the whole subtree
            ids = [t.i]
        return self._trim(min(ids), max(ids) + 1)

    def _trim(self, s: int, e: int) -> tuple[int, int]:
        an, mark = self.an, self._is_mark
        texts, spaces, puncts = an.texts, an.is_space, an.is_punct
        while s < e and (spaces[s] or (puncts[s] and not mark(s)) or (mark(s) and not self.inside(s))):
            s += 1
        while e > s and (spaces[e - 1] or (puncts[e - 1] and texts[e - 1] not in ".!?)]") or mark(e - 1)):
            e -= 1
        while e > s + 1 and an.deps[e - 1] == "case":  # "Moscow's" names Moscow
            e -= 1
        # a closing bracket stays when its opening one is in the span ("Bernie Sanders (I-VT)")
        while e > s and texts[e - 1] in ")]" and not any(texts[i] in "([" for i in range(s, e - 1)):
            e -= 1
            while e > s and (spaces[e - 1] or (puncts[e - 1] and texts[e - 1] not in ".!?)]")):
                e -= 1
        return s, e

    def _clause(self, v: Token) -> Token | None:
        """The cue's clausal complement: the one after it when there are two."""
        an, doc = self.an, self.doc
        deps, lowers, kids = an.deps, an.lowers, an.children
        found = [doc[c] for c in kids[v.i] if deps[c] in CLAUSE_DEPS and not any(
            deps[m] == "mark" and lowers[m] in ADVERBIAL_MARKS for m in kids[c])]
        quoted = [c for c in found if self._mostly_quoted(c)]
        if quoted:
            return quoted[0]
        if not found:
            # "he said legalizing it could help": a gerund clause the parser calls xcomp
            found = [doc[c] for c in kids[v.i] if deps[c] == "xcomp" and an.tags[c] == "VBG" and c > v.i]
        if not found:
            # "told the BBC in an interview that ...": a that-clause the parser hung on a noun
            entry = self.lex.verb(v.lemma_.lower(), set())
            hosts = ("dative", "prep", "npadvmod", "dobj") if entry is not None and entry.object == "addressee" \
                else ("dative", "prep", "npadvmod")  # "rejected the claim that ...": the whole object
            for c in kids[v.i]:
                if deps[c] in hosts and c > v.i:
                    for t in an.subtree(c):
                        if deps[t] in ("acl", "relcl") and t > c and any(
                                deps[m] == "mark" and lowers[m] == "that" and m < t for m in kids[t]):
                            found.append(doc[t])
                            break
        if not found:
            return None
        after = [c for c in found if c.i > v.i]
        return after[0] if after else found[-1]

    def _content(self, f: Found, v: Token, cue: Cue) -> bool:
        frames = cue.content
        ccomp = self._clause(v)
        # a quotation next to the attribution, or the clause inside one, is the content
        if "clause" in frames:
            qs = self._adjacent_quotes(v, ccomp)
            if qs:
                f.quotes = qs
                f.kind = "direct"
                f.why.append("quotation next to its attribution")
                return True
        if ccomp is not None and "clause" in frames:
            if ccomp.lower_ in ("how", "what") and ccomp.dep_ != "ccomp":
                return False
            cs, ce = self._subtree_range(ccomp)
            if ccomp.i > v.i:  # "said he would run, so he will need votes": the clause goes on
                for c in v.children:
                    if c.i > ccomp.i and c.dep_ == "advcl" and c.lemma_.lower() not in self.lex.verbs:
                        ce = max(ce, self._subtree_range(c)[1])
            f.content = (cs, ce)
            f.why.append("that-clause")
            return self._ok_content(f)
        xcomp = self._child(v, ("xcomp",))
        dobj = self._child(v, ("dobj", "dative"))
        if "clause" in frames and v.i + 1 < len(self.doc) and self.doc[v.i + 1].lower_ in ("yes", "no", "so") and \
                self.doc[v.i + 1].head.i == v.i and cue.lemma in ("say", "answer", "reply", "respond"):
            f.content = (v.i + 1, v.i + 2)  # "55 percent said yes"
            f.why.append("answer")
            return True
        for frame in frames:
            if frame == "clause" and v.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as"
                                                               for c in v.children):
                # "As reported by the Post, the deal is dead": the clause it qualifies
                cs, ce = self._subtree_range(v.head, exclude=v)
                if not cs <= v.i < ce:
                    f.content = (cs, ce)
                    f.why.append("'as' attribution")
                    return self._ok_content(f)
            if frame == "clause":
                # "the plan, he said, is dead": a parenthetical cue takes its clause
                if v.tag_ != "VBG" and self._child(v, ("nsubj",)) is not None and (
                        v.dep_ == "parataxis" or (v.dep_ in ("ccomp", "advcl") and v.i > v.head.i
                                                  and self._between_commas(v))):
                    head = v.head
                    cs, ce = self._subtree_range(head, exclude=v)
                    if cs <= v.i < ce:  # the attribution sits inside its clause: the larger side
                        left = self._trim(cs, v.left_edge.i)
                        right = self._trim(v.right_edge.i + 1, ce)
                        cs, ce = left if left[1] - left[0] > right[1] - right[0] else right
                    f.content = (cs, ce)
                    f.why.append("parenthetical attribution")
                    return self._ok_content(f)
                continue
            if frame == "inf" and xcomp is not None and any(c.dep_ == "aux" and c.lower_ == "to"
                                                             for c in xcomp.children):
                s, e = self._subtree_range(xcomp)
                if dobj is not None and dobj.i < xcomp.i and cue.object == "addressee":
                    s = min(s, dobj.left_edge.i)
                f.content = (s, e)
                f.why.append("to-infinitive")
                f.frame = "inf"
                return self._ok_content(f)
            if frame == "inf" and xcomp is None and dobj is not None:
                # "urged Russia to withdraw" parsed with the clause under the object
                for c in dobj.children:
                    if c.dep_ in ("relcl", "acl") and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children):
                        f.content = self._trim(dobj.left_edge.i, c.right_edge.i + 1)
                        f.why.append("to-infinitive")
                        f.frame = "inf"
                        return self._ok_content(f)
            if frame == "obj" and dobj is not None and dobj.dep_ == "dobj":
                if cue.lemma in ("call", "describe", "characterize", "characterise", "dismiss"):
                    pred = self._child(v, ("oprd", "xcomp", "ccomp")) or next(
                        (c for c in v.children if c.dep_ == "prep" and c.lower_ == "as"), None)
                    if pred is None and cue.lemma in ("call", "characterize", "characterise"):
                        continue  # "called the meeting" is no statement
                    end = max(dobj.right_edge.i, pred.right_edge.i if pred is not None else -1) + 1
                    f.content = self._trim(dobj.left_edge.i, end)
                else:
                    f.content = self._subtree_range(dobj)
                f.why.append("object")
                f.frame = "obj"
                return self._ok_content(f)
            if frame == "prep":
                p = next((c for c in v.children if c.dep_ == "prep" and (
                    c.lower_ == cue.particle or (cue.particle is None and c.lower_ in CONTENT_PREPS))), None)
                if p is not None:
                    obj = self._child(p, ("pobj", "pcomp"))
                    if obj is not None:
                        s, e = self._subtree_range(obj)
                        # "called on Russia to withdraw"
                        if xcomp is not None and xcomp.i > obj.i:
                            e = max(e, self._subtree_range(xcomp)[1])
                        f.content = (s, e)
                        f.why.append(f"object of '{p.text}'")
                        f.frame = "prep"
                        return self._ok_content(f)
            # "accused X of Y", "blamed X for Y", "praised X for Y": the object and the reason
            preps = ("of", "for") if cue.stance in ("accuse",) else ("for",)
            if frame == "of" and dobj is not None:
                p = next((c for c in v.children if c.dep_ == "prep" and c.lower_ in (*preps, "over")), None)
                end = p.right_edge.i + 1 if p is not None else -1
                if p is None:  # the reason parsed under the object
                    p = next((c for c in dobj.children if c.dep_ == "prep" and c.lower_ in preps and any(
                        x.tag_ == "VBG" for x in c.subtree)), None)
                    end = dobj.right_edge.i + 1
                if p is not None:
                    f.content = self._trim(dobj.left_edge.i, end)
                    f.why.append(f"object and '{p.text}'")
                    f.frame = "of"
                    return self._ok_content(f)
            if frame == "of" and dobj is None and f.passive:
                p = next((c for c in v.children if c.dep_ == "prep" and c.lower_ in (*preps, "over")), None)
                agent = self._child(v, ("agent",))
                by = self._child(agent, ("pobj",)) if agent is not None else None
                if p is None and by is not None:  # "accused by the mayor of looting": parsed under the agent
                    p = next((c for c in by.children if c.dep_ == "prep" and c.lower_ in preps and any(
                        x.tag_ == "VBG" for x in c.subtree)), None)
                if p is not None:
                    obj = self._child(p, ("pobj", "pcomp"))
                    if obj is not None:
                        f.content = self._subtree_range(obj)
                        f.why.append(f"object of '{p.text}'")
                        f.frame = "prep"
                        return self._ok_content(f)
            if frame == "obj" and dobj is None and f.passive and cue.object == "target":
                # "the operation was condemned by members of the EU": what was condemned
                subj = self._child(v, ("nsubjpass",))
                if subj is not None:
                    f.content = self._subtree_range(subj)
                    f.why.append("subject of a passive")
                    f.frame = "obj"
                    return self._ok_content(f)
        return False

    def _animate(self, t: Token) -> bool:
        """Can this subject speak? A person, organisation, country or group, a pronoun for one,
        or a noun for people ("critics", "the spokesman")."""
        low = t.lower_
        if low in ANIMATE_PRONOUNS:
            return True
        eid = self._entity_of(t)
        if eid is not None:
            ent = self.an.record.entity(eid)
            return ent is None or ent.type in ("PERSON", "ORG", "GPE", "NORP", "GROUP")
        if t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            return True
        lemma = t.lemma_.lower()
        if lemma in PEOPLE_NOUNS or lemma.endswith(PEOPLE_SUFFIXES):
            return True
        # "Ukraine's special services", "the Russian authorities"
        return lemma in BODY_NOUNS and any(
            c.dep_ in ("poss", "amod", "compound") and (self._entity_of(c) is not None or c.pos_ == "PROPN")
            for c in t.children)

    def _person(self, t: Token) -> bool:
        """A person: a PERSON entity, he/she, or a noun for a person ("the spokesperson")."""
        if t.lower_ in ("he", "she", "i", "we", "they"):
            return True
        eid = self._entity_of(t)
        ent = self.an.record.entity(eid) if eid else None
        if ent is not None:
            return ent.type == "PERSON"
        return t.ent_type_ == "PERSON" or t.lemma_.lower() in PEOPLE_NOUNS

    def _ok_content(self, f: Found) -> bool:
        if f.content is None:
            return False
        s, e = f.content
        texts = self.an.texts
        while e > s and texts[e - 1] in (".", ";") and not self.inside(e - 1):
            e -= 1  # reported speech ends without the sentence's full stop
        f.content = (s, e)
        words = [i for i in range(s, e) if not self.an.is_punct[i] and not self.an.is_space[i]]
        if not words:
            return False
        if s <= f.cue.i < e and not f.inner_cue:
            return False
        if any(self.inside(i) for i in words):
            inside = [i for i in words if self.inside(i)]
            qs = sorted({self.quote_of[i] for i in inside})
            f.quotes = [q for q in qs if q not in self.claimed]
            if len(inside) >= len(words) - 1:
                f.kind = "direct"
                # the whole quotation, not just the clause the parser saw inside it
                f.content = None
                return bool(f.quotes)
            f.kind = "mixed"
        return True

    def _after_dateline(self, s: int, e: int) -> int:
        """Skip a dateline opening a paragraph ("WASHINGTON (AP) \u2014 ", "CLEVELAND, July 19 (UPI) -- ")."""
        doc = self.doc
        for i in range(s, min(e, s + 12)):
            if doc[i].text in ("\u2014", "\u2013", "--", "-") and i > s and doc[s].text.isupper() \
                    and len(doc[s].text) > 2:
                return i + 1
        return s

    def _mostly_quoted(self, t: Token) -> bool:
        """Does a clause lie inside one quotation (a word or two outside allowed)?"""
        if not self.inside(t.i):
            return False
        qi = self.quote_of[t.i]
        puncts, spaces = self.an.is_punct, self.an.is_space
        words = [x for x in self.an.subtree(t.i) if not puncts[x] and not spaces[x]]
        outside = sum(1 for x in words if self.quote_of[x] != qi)
        return outside <= 1

    def _between_commas(self, v: Token) -> bool:
        left = v.left_edge.i - 1
        right = v.right_edge.i + 1
        doc = self.doc
        return left >= 0 and doc[left].text in (",", "\u2014", "-") and (
            right >= len(doc) or doc[right].text in (",", ".", "\u2014", "-", ";"))

    def _block(self, v: Token, content: Token | None) -> tuple[int, int]:
        """The attribution around a cue ("he said on Tuesday"): the contiguous run of the cue's
        own words, outside quotations and outside its content."""
        excl = (content.left_edge.i, content.right_edge.i) if content is not None else (-1, -2)
        an = self.an
        sub = {t for t in an.subtree(v.i) if not self.inside(t) and not (excl[0] <= t <= excl[1])
               and not self._is_mark(t)}
        # after the cue, what it says about something ("dismissed the idea as 'absurd'") is not
        # attribution: only its speaker, addressee, source, time and manner are
        entry = self.lex.verb(v.lemma_.lower(), set())
        addressed = (entry is not None and entry.object == "addressee") or v.lemma_.lower() in DOCUMENT_VERBS
        deps = an.deps
        for c in an.children[v.i]:
            if c > v.i and (deps[c] in ("attr", "oprd", "acomp", "xcomp", "ccomp")
                            or (deps[c] == "dobj" and not addressed)
                            or (deps[c] == "prep" and an.lowers[c] not in ATTRIBUTION_PREPS)):
                sub -= set(an.subtree(c))
        s = v.i
        while s - 1 >= 0 and (s - 1) in sub and not an.is_space[s - 1]:
            s -= 1
        e = v.i + 1
        while e < len(an.texts) and e in sub and not an.is_space[e] and an.texts[e] not in (",", ":"):
            e += 1
        return s, e

    def _adjacent_quotes(self, v: Token, ccomp: Token | None) -> list[int]:
        """Quotations that are this cue's content: one ending right before its attribution
        ('"...," she said'), one starting right after it ('she said: "..."'), or the one its
        clause lies in."""
        doc = self.doc
        found: list[int] = []
        if ccomp is not None and self._mostly_quoted(ccomp):
            qi = self.quote_of[ccomp.i]
            if qi not in self.claimed:
                found.append(qi)
        elif ccomp is not None:
            return []
        s, e = self._block(v, ccomp if ccomp is not None and not self._mostly_quoted(ccomp) else None)
        # before: skip back over commas and the closing mark
        texts, puncts, spaces = self.an.texts, self.an.is_punct, self.an.is_space
        i = s - 1
        while i >= 0 and not self.inside(i) and (puncts[i] or spaces[i]) and "\n" not in texts[i]:
            if texts[i] in (".", ";", ":") and not self._is_mark(i):
                i = -1
                break
            i -= 1
        if i >= 0 and self.inside(i):
            qi = self.quote_of[i]
            q = self.quotes[qi]
            last = self.text[q.start:q.end].rstrip()
            ends_sentence = last.endswith(".") and not (e > s and texts[s][:1].islower())
            if qi not in self.claimed and qi not in found and not ends_sentence \
                    and self.para_of[i] == self.para_of[v.i] and not self.title_like(qi):
                found.append(qi)
        # after: skip over commas, colons, dashes; a colon may end the paragraph
        j = e
        colon = False
        while j < len(doc) and not self.inside(j) and (doc[j].is_punct or doc[j].is_space):
            if doc[j].text == ":":
                colon = True
            if doc[j].is_space and "\n" in doc[j].text and not colon:
                break
            if doc[j].text in (".", ";", "?", "!"):
                break
            if "\n" in doc[j].whitespace_ and not colon:
                j = len(doc)
                break
            j += 1
        if j < len(doc) and self.inside(j) and (colon or self.para_of[j] == self.para_of[v.i]):
            qi = self.quote_of[j]
            if qi not in self.claimed and qi not in found and (colon or not found) and not self.title_like(qi):
                found.append(qi)
        return sorted(found)

    # speaker -------------------------------------------------------------------------------
    def _speaker(self, f: Found, v: Token) -> None:
        self._speaker_by_syntax(f, v)
        if f.speaker is None and not f.passive:
            self._speaker_nearby(f, v)

    def _speaker_nearby(self, f: Found, v: Token) -> None:
        """When the parse gives the cue no subject: the nearest person (else organisation or
        country) named before the cue in its sentence, or right after it ("..., said Trump")."""
        sent_start, sent_end = self.an.sent_start_of[v.i], self.an.sent_end_of[v.i]
        best = None
        for i in range(f.cue_span[0] - 1, sent_start - 1, -1):
            if self.inside(i):
                continue
            eid = self.an.entity_of_token.get(i)
            if eid is None:
                continue
            ent = self.an.record.entity(eid)
            if ent is None or ent.type not in ("PERSON", "ORG", "GPE"):
                continue
            if ent.type == "PERSON":
                best = (i, eid)
                break
            if best is None and f.cue_span[0] - i <= 3:  # an organisation or country right before the cue
                best = (i, eid)
        if best is None:
            for i in range(f.cue_span[1], min(f.cue_span[1] + 3, sent_end)):
                eid = self.an.entity_of_token.get(i)
                if eid is not None and not self.inside(i):
                    best = (i, eid)
                    break
        if best is None:
            return
        i, eid = best
        s, e = i, i + 1
        while s - 1 >= sent_start and self.an.entity_of_token.get(s - 1) == eid and not self.an.is_punct[s - 1]:
            s -= 1
        while e < sent_end and self.an.entity_of_token.get(e) == eid and not self.an.is_punct[e]:
            e += 1
        f.speaker = (s, e)
        f.speaker_entity = eid
        f.speaker_why = "nearest name (no subject in the parse)"

    def _speaker_by_syntax(self, f: Found, v: Token) -> None:
        head = v
        an = self.an
        deps, kids = an.deps, an.children
        for _ in range(4):
            subj_i = next((c for c in kids[head.i] if deps[c] in ("nsubj", "csubj") and not an.is_punct[c]
                           and not self._is_mark(c)), None)
            subj = self.doc[subj_i] if subj_i is not None else None
            if subj is not None and not self.inside(subj.i):
                if subj.dep_ == "expl" or subj.lower_ == "there":
                    return
                self._set_speaker(f, subj, head)
                return
            passive = self._child(head, ("nsubjpass",))
            if passive is not None or any(deps[c] == "auxpass" for c in kids[head.i]):
                agent = self._child(head, ("agent",))
                pobj = self._child(agent, ("pobj",)) if agent is not None else None
                if pobj is not None:
                    self._set_speaker(f, pobj, head)
                    if f.speaker is not None and f.content is not None and f.speaker[0] < f.content[0] < f.speaker[1]:
                        f.speaker = self._trim(f.speaker[0], f.content[0] - 1)
                    f.speaker_why = "agent of a passive"
                    return
                if head is v:
                    f.passive = True
                    f.why.append("passive without agent: no speaker")
                    return
            if head.dep_ in ("conj", "xcomp", "advcl", "pcomp") and head.head is not head:
                nxt = head.head
                if nxt.dep_ == "prep" and head.dep_ == "pcomp":  # "before saying"
                    nxt = nxt.head
                if nxt.dep_ in ("acomp", "attr") and nxt.head is not nxt:  # "was quick in blaming"
                    nxt = nxt.head
                if not (nxt.tag_.startswith("VB") or nxt.pos_ in ("VERB", "AUX")):
                    return
                head = nxt
                continue
            if head.dep_ == "acl" and head.tag_ == "VBG":
                # "a statement saying ...", "issued a statement, saying": the document cites
                noun = head.head
                if self._is_document(noun):
                    f.source = self._np_range(noun)
                    creator = self._creator(noun)
                    if creator is not None:
                        self._set_speaker(f, creator, head)
                        return
                    verb = noun.head if noun.dep_ in ("dobj", "pobj") else None
                    if verb is not None and verb.dep_ == "prep":
                        verb = verb.head
                    if verb is not None and verb.pos_ in ("VERB", "AUX"):
                        head = verb
                        continue
                return
            return

    def _set_speaker(self, f: Found, subj: Token, verb: Token) -> None:
        if self._is_document(subj):
            # "a Kremlin statement said", "a letter from the ministry said": the document is the
            # cited source; the speaker is the phrase as written, resolved to the document's creator
            f.source = self._np_range(subj)
            creator = self._creator(subj)
            if creator is not None:
                f.speaker = f.source
                f.speaker_entity = self._entity_of(creator)
                f.speaker_why = "document's creator"
                return
        if subj.lower_ in RELATIVES and subj.dep_ in SUBJECTS and verb.dep_ == "relcl":
            f.speaker_entity = self._entity_of(verb.head)
            f.speaker_why = "relative pronoun"
            f.speaker = (subj.i, subj.i + 1)
            if subj.lower_ == "that":  # "the report that suggested ...": the report as written
                s, e = self._np_range(verb.head)
                f.speaker = self._trim(s, min(e, verb.left_edge.i))
            return
        s, e = self._np_range(subj)
        an = self.an
        for c in an.children[subj.i]:  # "Trump this week also said": the time is not the speaker
            if an.deps[c] == "npadvmod" and c > subj.i and an.ent_types[c] in ("DATE", "TIME"):
                e = min(e, self.doc[c].left_edge.i)
        if e - s > 40:
            s, e = subj.i, subj.i + 1
        f.speaker = (s, e)
        f.speaker_entity = self._entity_of(subj)
        if subj.lower_ in FIRST_PERSON and e - s == 1:
            f.speaker_why = "first person outside quotation marks: the author"
        elif f.speaker_entity is None and e - s == 1:
            f.speaker_entity = self._pronoun_entity(subj)

    def _np_range(self, t: Token) -> tuple[int, int]:
        s, e = t.left_edge.i, t.right_edge.i + 1
        # a speaker never runs into a quotation (a short title in quotation marks aside: host of
        # "Morning Joe") or over a paragraph
        for i in range(t.i, e):
            if self._stops_phrase(i, s, e):
                e = i
                break
        for i in range(t.i, s - 1, -1):
            if self._stops_phrase(i, s, e):
                s = i + 1
                break
        s, e = self._trim(s, e)
        if e <= s:
            return t.i, t.i + 1
        # the comma closing an apposition or relative clause belongs to the speaker's phrase, as
        # the one opening it does (PolNeAR's source spans: "Jane Doe, the party's chair, said")
        texts, deps = self.an.texts, self.an.deps
        if e < len(texts) and texts[e] in (",", "\u2014") and any(
                texts[i] in (",", "(", texts[e]) for i in range(t.i + 1, e)) and any(
                deps[c] in ("appos", "relcl", "acl") or (deps[c] == "punct" and texts[c] in (",", "(", "\u2014"))
                for c in self.an.children[t.i]):
            e += 1
        return s, e

    def _stops_phrase(self, i: int, s: int, e: int) -> bool:
        if self.an.is_space[i]:
            return "\n" in self.an.texts[i]
        if not (self.inside(i) or self._is_mark(i)):
            return False
        qi = self.quote_of[i]
        if qi < 0:  # a mark: look at the quotation next to it
            for j in (i + 1, i - 1):
                if s <= j < e and self.inside(j):
                    qi = self.quote_of[j]
                    break
        if qi < 0:  # a mark next to no quotation: an apostrophe ("Sanders' campaign manager")
            return False
        qs, qe = self.quote_tokens(qi)
        # a title in quotation marks may stand in a speaker's phrase ("a co-author of 'Those Guys'")
        return not (s <= qs - 1 and qe + 1 <= e and (qe - qs <= 6 or self.title_like(qi)))

    def _party_range(self, t: Token) -> tuple[int, int]:
        """A target's or addressee's phrase, without what is said about it ("accused Ukraine's
        special services of blowing up the bridge" -> "Ukraine's special services")."""
        s, e = self._np_range(t)
        an = self.an
        deps, kids = an.deps, an.children
        for c in kids[t.i]:
            if c > t.i and ((deps[c] in ("prep", "acl", "relcl") and an.lowers[c] not in ("of",)) or (
                    deps[c] == "prep" and any(deps[x] == "pcomp" for x in kids[c]))):
                e = min(e, self.doc[c].left_edge.i)
        return self._trim(s, max(e, t.i + 1))

    def _artifact_range(self, t: Token) -> tuple[int, int]:
        """A document's or channel's phrase without trailing times and places ("a statement on
        Monday" -> "a statement"; "an interview with the BBC" stays whole)."""
        s, e = self._np_range(t)
        an = self.an
        deps = an.deps
        for c in an.children[t.i]:
            keep = an.lowers[c] in ("by", "from", "with", "of")
            if c > t.i and ((deps[c] in ("prep", "relcl", "acl", "punct") and not keep) or deps[c] == "npadvmod"):
                e = min(e, self.doc[c].left_edge.i)
        return self._trim(s, max(e, t.i + 1))

    def _is_document(self, t: Token) -> bool:
        an, i = self.an, t.i
        if an.pos[i] != "NOUN" or not an.texts[i].islower():  # "The Jakarta Post" is a newspaper, not a post
            return False
        low = an.lemmas[i].lower()
        prev = an.lowers[i - 1] if i > 0 else ""
        return (low in self.lex.sources and self.lex.sources[low] == "document") or (
            f"{prev} {low}" in self.lex.sources)

    def _creator(self, t: Token) -> Token | None:
        """Who made a document: "the ministry's statement", "a statement by the ministry",
        "a Kremlin statement"."""
        an, doc = self.an, self.doc
        deps, kids = an.deps, an.children[t.i]
        for c in kids:
            if deps[c] == "poss":
                return doc[c]
        for c in kids:
            if deps[c] == "prep" and an.lowers[c] in CREATOR_PREPS:
                pobj = self._child(doc[c], ("pobj",))
                if pobj is not None and (self._entity_of(pobj) is not None or pobj.pos_ == "PROPN"):
                    return pobj
        for c in kids:
            if deps[c] in ("compound", "amod") and c < t.i and self._entity_of_i(c) is not None:
                return doc[c]
        return None

    def _entity_of(self, t: Token) -> str | None:
        return self._entity_of_i(t.i)

    def _entity_of_i(self, i: int) -> str | None:
        an = self.an
        eid = an.entity_of_token.get(i)
        if eid is not None:
            return eid
        for c in an.children[i]:
            if an.deps[c] == "compound":
                eid = an.entity_of_token.get(c)
                if eid is not None:
                    return eid
        return None

    def _pronoun_entity(self, t: Token) -> str | None:
        """"it"/"they" as a speaker: the organisation, country or group that spoke last."""
        low = t.lower_
        if low not in PRONOUNS_ORG:
            return None
        for prev in reversed(self.found_so_far):
            if prev.cue.i >= t.i or prev.speaker_entity is None:
                continue
            ent = self.an.record.entity(prev.speaker_entity)
            if ent is None or self.an.sent_start_of[prev.cue.i] < self.an.sent_start_of[t.i] - 400:
                continue
            if low == "it" and ent.type in ("ORG", "GPE"):
                return ent.id
            if low == "they" and ent.type in ("ORG", "GROUP", "NORP", "GPE"):
                return ent.id
            break
        return None

    # objects, sources, negation ----------------------------------------------------------------
    def _objects(self, f: Found, v: Token, cue: Cue) -> None:
        dobj = self._child(v, ("dobj", "dative"))
        if dobj is not None and f.stance in ("deny", "reject") and not self._animate(dobj):
            # "Kyiv denied Moscow's claims", "rejected the accusations by Ukraine": whose words
            owner = next((c for c in dobj.children if c.dep_ == "poss"), None)
            if owner is None:
                by = next((c for c in dobj.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")), None)
                owner = self._child(by, ("pobj",)) if by is not None else None
            if owner is not None and self._animate(owner) and owner.lower_ not in ("its", "his", "her", "their"):
                f.target = self._party_range(owner)
        if dobj is not None and f.content is not None and f.content[0] <= dobj.i < f.content[1] and \
                cue.object != "addressee" and cue.object != "target":
            dobj = None
        if dobj is not None and not self._animate(dobj):
            dobj = None  # "ordered the withdrawal", "threatened a response": no one addressed
        if dobj is not None and cue.object == "addressee":
            f.addressee = self._party_range(dobj)
        elif dobj is not None and cue.object == "target":
            f.target = self._party_range(dobj)
        elif dobj is not None and dobj.dep_ == "dative":
            f.addressee = self._party_range(dobj)
        if f.passive and cue.object == "target":
            subj = self._child(v, ("nsubjpass",))
            if subj is not None and self._animate(subj):
                f.target = self._party_range(subj)
        if f.passive and cue.object == "addressee":
            subj = self._child(v, ("nsubjpass",))
            if subj is not None and self._animate(subj):
                f.addressee = self._party_range(subj)
        if f.addressee is None and cue.particle in ("on", "upon"):
            p = next((c for c in v.children if c.dep_ == "prep" and c.lower_ == cue.particle), None)
            pobj = self._child(p, ("pobj",)) if p is not None else None
            if pobj is not None:
                f.addressee = self._np_range(pobj)
        if f.addressee is None:
            for c in v.children:
                if c.dep_ == "prep" and c.lower_ == "to" and cue.lemma in ("say", "write", "explain", "complain",
                                                                          "speak", "announce", "declare"):
                    pobj = self._child(c, ("pobj",))
                    if pobj is not None:
                        f.addressee = self._np_range(pobj)
        if cue.lemma == "tell" and f.content is not None and not f.quotes:
            xcomp = self._child(v, ("xcomp",))
            if xcomp is not None and f.content[0] <= xcomp.i < f.content[1]:
                f.stance = "request"
        if cue.lemma == "ask":
            ccomp = self._child(v, ("ccomp",))
            if ccomp is not None and f.content is not None and f.content[0] <= ccomp.i < f.content[1]:
                f.stance = None  # a question
        # content never holds the addressee ("told reporters that ...")
        if f.addressee is not None and f.content is not None:
            s, e = f.content
            a0, a1 = f.addressee
            if s == a0 and a1 < e and cue.object == "addressee" and cue.stance != "request":
                f.content = self._trim(a1, e)

    def _sources(self, f: Found, v: Token) -> None:
        for c in v.children:
            if c.dep_ != "prep" or c.lower_ not in SOURCE_PREPS:
                continue
            pobj = self._child(c, ("pobj",))
            if pobj is None:
                continue
            low = pobj.lemma_.lower()
            prev = self.doc[pobj.i - 1].lower_ if pobj.i > 0 else ""
            if low in self.lex.sources or f"{prev} {low}" in self.lex.sources or pobj.lower_ in self.lex.sources:
                if f.source is None:
                    f.source = self._artifact_range(pobj)
                    f.why.append(f"source '{pobj.text}'")
                if f.addressee is None and low == "interview":
                    for cc in pobj.children:
                        if cc.dep_ == "prep" and cc.lower_ == "with":
                            w = self._child(cc, ("pobj",))
                            if w is not None:
                                f.addressee = self._np_range(w)

    def _negation(self, f: Found, v: Token) -> None:
        an = self.an
        neg = any(an.deps[c] == "neg" for c in an.children[v.i])
        if not neg and an.deps[v.i] == "xcomp":  # "refused to deny", "did not want to say"
            h = an.heads[v.i]
            neg = any(an.deps[c] == "neg" for c in an.children[h]) or an.lemmas[h] in ("refuse", "decline")
        if neg:
            f.negated = True
            if f.stance is not None:
                f.why.append(f"negated: not '{f.stance}'")
            f.stance = None

    # according to, nouns ---------------------------------------------------------------------
    def _according(self, tok: Token, cue: Cue) -> Found | None:
        doc = self.doc
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        if to is None and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
        if to is None:
            return None
        pobj = self._child(to, ("pobj",)) or self._child(tok, ("pobj",))
        if pobj is None:
            return None
        f = Found(cue=tok, cue_span=(tok.i, to.i + 1), entry=cue, stance=cue.stance)
        f.why.append("cue 'according to'")
        # the rest of its sentence, without the phrase ("X, according to Y." / "According to Y, X")
        sent = tok.sent
        ps, pe = tok.left_edge.i, tok.right_edge.i + 1
        left = self._trim(self._after_dateline(sent.start, ps), ps)
        right = self._trim(pe, sent.end)
        if left[1] > left[0] and right[1] > right[0]:
            f.content = (left[0], right[1])  # in mid-sentence: the whole sentence
        else:
            f.content = left if left[1] > left[0] else right
        f.inner_cue = True
        if not self._ok_content(f):
            return None
        if self._is_document(pobj):
            self._set_speaker(f, pobj, tok)
            if f.speaker is None:
                f.speaker = self._np_range(pobj)
        else:
            f.speaker = self._np_range(pobj)
            f.speaker_entity = self._entity_of(pobj)
        return f

    def _noun(self, n: Token, cue: Cue) -> Found | None:
        """"Russia's claim that ...", "Macron's call for a ceasefire": a noun cue with its maker."""
        poss = next((c for c in n.children if c.dep_ == "poss"), None)
        maker = poss
        if maker is None:
            for c in n.children:
                if c.dep_ == "prep" and c.lower_ in ("by", "from"):
                    maker = self._child(c, ("pobj",))
                    break
        if maker is None:
            return None
        if n.dep_ in SUBJECTS and n.head.lemma_.lower() in self.lex.verbs:
            return None  # "the ministry's statement said": the verb is the cue
        f = Found(cue=n, cue_span=(n.i, n.i + 1), entry=cue, stance=cue.stance)
        f.why.append(f"noun cue '{cue.lemma}'")
        content = None
        for frame in cue.content:
            if frame == "clause":
                clause = next((c for c in n.children if c.dep_ in ("acl", "ccomp") and any(
                    m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
                if clause is not None:
                    content = self._subtree_range(clause)
            elif frame == "inf":
                clause = next((c for c in n.children if c.dep_ in ("acl", "relcl") and any(
                    a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)
                if clause is not None:
                    content = self._subtree_range(clause)
            elif frame == "prep":
                p = next((c for c in n.children if c.dep_ == "prep" and c.lower_ in ("for", "of", "on")), None)
                if p is not None:
                    obj = self._child(p, ("pobj", "pcomp"))
                    if obj is not None:
                        content = self._subtree_range(obj)
            if content is not None:
                break
        if content is None:
            return None
        f.content = content
        if not self._ok_content(f):
            return None
        if maker.lower_ in ("his", "her", "its", "their"):
            f.speaker = (maker.i, maker.i + 1)
            f.speaker_entity = self.an.entity_of_token.get(maker.i)
        else:
            f.speaker = self._np_range(maker)
            f.speaker_entity = self._entity_of(maker)
        return f

    # --- the whole article --------------------------------------------------------------------
    def run(self) -> list[Found]:
        self.found_so_far: list[Found] = []
        cues = self.cues()
        # verbs with a quotation first (the strongest evidence), then the rest in text order
        built: list[Found] = []
        for tok, cue in cues:
            f = self.build(tok, cue)
            if f is None:
                continue
            for qi in f.quotes:
                self.claimed.add(qi)
            built.append(f)
            self.found_so_far.append(f)
        built.sort(key=lambda f: f.cue.i)
        built = self._according_to_sources(built)
        built = self._drop_nested(built)
        self._continuations(built)
        for f in built:
            f.quotes = sorted(set(f.quotes))
            if f.quotes and f.content is None:
                f.kind = "direct"
        return built

    def _according_to_sources(self, built: list[Found]) -> list[Found]:
        """"Mr Putin accused X of Y, according to a Kremlin statement": one statement, Putin's,
        whose cited source is the Kremlin statement (not the Kremlin reporting Putin)."""
        drop = set()
        for f in built:
            if f.entry.pos != "prep" or f.content is None:
                continue
            s, e = f.content
            inner = [g for g in built if g is not f and s <= g.cue.i < e and g.speaker is not None
                     and g.cue.sent.start == f.cue.sent.start]
            if not inner:
                continue
            pobj = self._child(self.doc[f.cue_span[1] - 1], ("pobj",))  # the object of "to"
            src = self._artifact_range(pobj) if pobj is not None else f.speaker
            for g in inner:
                if g.source is None:
                    g.source = src
                    g.why.append("source: 'according to' phrase")
            drop.add(id(f))
        return [f for f in built if id(f) not in drop]

    def _drop_nested(self, built: list[Found]) -> list[Found]:
        """Report nested attributions once: a cue inside another statement's content is dropped."""
        out = []
        ranges = [(self._content_range(f), f) for f in built]
        for f in built:
            nested = False
            for (s, e), g in ranges:
                if g is f:
                    continue
                if s <= f.cue.i < e and not (s <= g.cue.i < e):
                    if f.speaker is not None and f.speaker == g.speaker and g.content is not None \
                            and g.content[0] < f.cue_span[0] and not g.quotes:
                        # the same speaker's next cue ("said X, adding that Y"): two statements
                        cut = self._block(f.cue, None)[0]
                        content = self._trim(g.content[0], min(cut, f.speaker[0], f.cue_span[0]))
                        if content[1] > content[0]:
                            g.content = content
                            continue
                    nested = True
                    break
            if not nested:
                out.append(f)
        return out

    def _content_range(self, f: Found) -> tuple[int, int]:
        if f.quotes:
            ranges = [self.quote_tokens(q) for q in f.quotes]
            s, e = min(r[0] for r in ranges), max(r[1] for r in ranges)
            if f.content is not None:
                s, e = min(s, f.content[0]), max(e, f.content[1])
            return s, e
        return f.content or (0, 0)

    def _continuations(self, built: list[Found]) -> None:
        """Quotations with no cue of their own that follow an attributed one continue it: the
        rest of a split quotation ('"We will not," he said, "give up."'), and quotations opening
        the next sentences or paragraphs (PolNeAR's content continuations), up to five."""
        if not self.quotes or not built:
            return
        doc = self.doc
        for qi in range(len(self.quotes)):
            if qi in self.claimed or self.title_like(qi):
                continue
            qs, qe = self.quote_tokens(qi)
            if qe <= qs:
                continue
            prev = None
            for f in built:
                if self._attr_end(f) <= qs and (prev is None or self._attr_end(f) >= self._attr_end(prev)):
                    prev = f
            if prev is None or (prev.speaker is None and not prev.passive):
                continue
            if len(prev.quotes) > MAX_CONTINUATIONS:
                continue
            end = self._attr_end(prev)
            last_sent = doc[max(end - 1, 0)].sent
            opens = self._opens_sentence(qs)
            ok = True
            for t in doc[end:qs]:
                if t.is_punct or t.is_space or self.is_mark(t):
                    continue
                if t.sent.start == last_sent.start and opens:
                    continue  # the rest of the attribution's sentence ("..., he said as he left.")
                ok = False
                break
            if not ok:
                continue
            p_prev, p_q = self.para_of[max(end - 1, 0)], self.para_of[qs]
            if p_q - p_prev > 1 or (p_q != p_prev and not self._opens_paragraph(qs)):
                continue
            if p_q != p_prev and prev.kind in ("indirect", "mixed"):
                continue
            prev.quotes.append(qi)
            self.claimed.add(qi)
            if prev.kind == "indirect":
                prev.kind = "mixed"
            prev.why.append("continued by the next quotation")

    def title_like(self, qi: int) -> bool:
        """A quotation that is a name or title ("State of the Union"), or too short to be speech."""
        qs, qe = self.quote_tokens(qi)
        words = [t for t in self.doc[qs:qe] if not t.is_punct and not t.is_space]
        if len(words) < 3:  # a word or two is speech only as a sentence of its own ("No.")
            q = self.quotes[qi]
            return not words or self.text[q.start:q.end].rstrip()[-1:] not in (".", "!", "?")
        content = [t for t in words if not t.is_stop]
        return bool(content) and all(t.text[:1].isupper() for t in content) and not any(
            t.text in ".!?" for t in self.doc[qs:qe])

    def _opens_sentence(self, qs: int) -> bool:
        """Does the quotation starting at token qs open its sentence (its mark first)?"""
        i = qs - 1
        while i >= 0 and (self.is_mark(self.doc[i]) or self.doc[i].is_space):
            if self.doc[i].is_sent_start:
                return True
            i -= 1
        return i < 0 or bool(self.doc[qs].is_sent_start) or self.doc[i].text in (".", "!", "?", ":", "\u2026") or (
            i + 1 < qs and bool(self.doc[i + 1].is_sent_start))

    def _opens_paragraph(self, qs: int) -> bool:
        i = qs - 1
        while i >= 0 and self.is_mark(self.doc[i]):
            i -= 1
        return i < 0 or (self.doc[i].is_space and "\n" in self.doc[i].text) or "\n" in self.doc[i].whitespace_

    def _attr_end(self, f: Found) -> int:
        """Where a statement's words end (its content, cue and speaker)."""
        ends = [f.cue_span[1]]
        if f.speaker is not None:
            ends.append(f.speaker[1])
        ends.append(self._content_range(f)[1])
        end = max(ends)
        # past the closing mark and the sentence's last punctuation
        doc = self.doc
        while end < len(doc) and (self.is_mark(doc[end]) or (doc[end].is_punct and doc[end].text in ".,!?;")):
            end += 1
        return end

    # --- to the record ------------------------------------------------------------------------
    def char_range(self, r: tuple[int, int]) -> tuple[int, int]:
        s, e = r
        return self.doc[s].idx, self.doc[e - 1].idx + len(self.doc[e - 1].text)

    def span(self, r: tuple[int, int] | None) -> Span | None:
        if r is None or r[1] <= r[0]:
            return None
        s, e = self.char_range(r)
        return Span(text=self.text[s:e], start=s, end=e)

    def party(self, r: tuple[int, int] | None, entity: str | None = None) -> Party | None:
        if r is None or r[1] <= r[0]:
            return None
        s, e = self.char_range(r)
        if entity is None:
            tokens = self.doc[r[0] : r[1]]
            root = tokens.root
            entity = self.an.entity_of_span.get((s, e)) or self._entity_of(root)
        ent = self.an.record.entity(entity)
        return Party(text=self.text[s:e], start=s, end=e, entity=entity,
                     country=ent.country if ent else None, role=ent.role if ent else None)

    def statement(self, n: int, f: Found) -> Statement:
        if f.quotes:
            pieces = [p for qi in f.quotes for p in self.quotes[qi].pieces]
            cs = min(p[0] for p in pieces)
            ce = max(p[1] for p in pieces)
            if f.content is not None:
                a, b = self.char_range(f.content)
                cs, ce = min(cs, a), max(ce, b)
            content = Span(text=self.text[cs:ce], start=cs, end=ce)
            parts = [Span(text=self.text[s:e], start=s, end=e) for s, e in pieces] if len(pieces) > 1 or \
                f.content is not None else []
        else:
            content = self.span(f.content)  # type: ignore[assignment]
            parts = []
        speaker = self.party(f.speaker, f.speaker_entity)
        why = list(f.why)
        if f.speaker_why:
            why.append(f.speaker_why)
        return Statement(
            id=f"s{n}",
            speaker=speaker,
            cue=self.span(f.cue_span),
            content=content,
            kind=f.kind,
            stance=f.stance,
            target=self.party(f.target),
            addressee=self.party(f.addressee),
            source=self.span(f.source),
            why="; ".join(why),
            negated=f.negated,
            parts=parts,
        )


_CUE_HASHES: dict[int, frozenset[int]] = {}  # id of a cue lexicon -> the string hashes of its words


def _cue_hashes(lex: CueLexicon, strings: StringStore) -> frozenset[int]:
    """The hashes of every cue word (a string's hash is the same in every vocabulary)."""
    found = _CUE_HASHES.get(id(lex))
    if found is None:
        found = _CUE_HASHES[id(lex)] = frozenset(strings[w] for w in {*lex.verbs, *lex.nouns, "according"})
    return found


def prepare() -> None:
    """Load what the stage reads (the cue lexicon), before the first article."""
    _cue_hashes(cue_lexicon(), StringStore())


def run(an: Analysis) -> None:
    """Fill ``record.statements``."""
    stage = _Stage(an)
    found = stage.run()
    found = [f for f in found if f.quotes or (f.content is not None and f.content[1] > f.content[0])]
    found = [f for f in found if f.speaker is not None or f.passive]
    found.sort(key=lambda f: (stage._content_range(f)[0], f.cue.i))
    an.record.statements = [stage.statement(n, f) for n, f in enumerate(found, 1)]
