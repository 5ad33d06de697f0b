"""Entities stage: one entity per real-world referent in the article, with every mention.

Order of work, most precise first (after Stanford's sieves and coreferee's rules; see
../shared/PRIOR-ART-statements.md):

1. name candidates from spaCy's entities, corrected by our lexicon (a known country, capital,
   seat of government or organisation), each widened over its title ("Russian President
   Vladimir Putin") whose words give the mention a profile (country, role, office class);
2. appositions ("Emmanuel Macron, the French president,") add to a name's profile;
3. names merge: exact, then surname/first-name for people ("Mr Putin" -> "Vladimir Putin";
   different first names stay apart), acronyms ("SDF"), a country's aliases and, when used
   as an actor, its capital ("Moscow said") and government ("the Syrian government");
4. descriptions ("the French leader", "the ministry") join the entity whose profile agrees;
   group nouns ("Ukrainian forces", "civilians") become group entities;
5. pronouns (he, she, his, her) join the most salient compatible person nearby.

Each entity gets ``country`` and ``role`` from its profile, else from the lexicon of
organisations and of office holders, and says why in ``why``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from chronicle.extract.analysis import Analysis
from chronicle.extract.mentions import (
    GENERIC_GROUPS,
    Cand,
    Profile,
    country_of_words,
    fold,
    is_subject,
    role_ending_at,
    widen_left,
    widen_right,
)
from chronicle.lexicon import Lexicon, lexicon, norm
from chronicle.record import Entity, Mention

__all__ = ["run"]

NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
# head words that make a name an organisation, with the role they imply
ORG_HEADS: dict[str, str | None] = {
    "ministry": "GOV", "department": "GOV", "office": "GOV", "government": "GOV", "cabinet": "GOV",
    "parliament": "GOV", "assembly": "GOV", "council": "GOV", "congress": "GOV", "senate": "GOV",
    "administration": "GOV", "agency": "GOV", "commission": "GOV", "committee": "GOV",
    "house": "GOV", "presidency": "GOV", "chancellery": "GOV", "embassy": "GOV", "service": "GOV",
    "army": "MIL", "forces": "MIL", "force": "MIL", "navy": "MIL", "corps": "MIL", "guard": "MIL",
    "guards": "MIL", "brigade": "MIL", "regiment": "MIL", "battalion": "MIL", "military": "MIL",
    "police": "COP", "court": "JUD", "tribunal": "JUD",
    "party": "PTY", "movement": "OPP", "front": "REB", "brigades": "REB", "units": "REB",
    "airline": "BUS", "airlines": "BUS", "airways": "BUS", "air": "BUS", "bank": "BUS",
    "company": "BUS", "corporation": "BUS", "corp": "BUS", "inc": "BUS", "ltd": "BUS",
    "group": None, "news": "MED", "times": "MED", "post": "MED", "radio": "MED", "television": "MED",
    "tv": "MED", "broadcasting": "MED", "press": "MED", "university": "EDU", "church": "REL",
    "foundation": "NGO", "watch": "NGO", "international": None,
}
MALE = {"he", "him", "his", "himself"}
IT = {"it", "its", "itself"}
# first or last words that make a PERSON label wrong (weather systems, places, operations)
NOT_PERSON_WORDS = {"storm", "hurricane", "typhoon", "cyclone", "tropical", "operation", "county", "province",
                    "lake", "mount", "river", "island", "islands", "district", "region", "oblast", "street",
                    "avenue", "square", "bridge", "airport", "station", "university", "school", "hospital",
                    "war", "revolution", "crisis", "agreement", "treaty", "act", "accord", "deal", "summit",
                    "party", "movement", "eruption", "earthquake", "virus", "pandemic"}
# names spaCy tags as organisations that are no actor: time zones, diseases
NOT_ENTITY_NAMES = {"UTC", "GMT", "BST", "CET", "CEST", "EST", "EDT", "PST", "PDT", "COVID-19", "Covid-19",
                    "COVID", "Covid", "SARS-CoV-2", "HIV", "AIDS", "Ebola"}
THEY = {"they", "their", "them", "themselves"}
NON_REFERRING_VERBS = {"be", "seem", "appear", "remain", "become", "happen", "matter", "take", "rain", "snow",
                       "cost", "mean", "emerge", "follow"}
FEMALE = {"she", "her", "hers", "herself"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
GOVERNMENT_WORDS = {"government", "administration", "authorities", "regime", "leadership", "officials",
                    "state", "cabinet", "executive"}
QUANTIFIERS = {
    "than", "nearly", "almost", "around", "roughly", "approximately", "up", "to", "estimated", "million",
    "billion", "thousand", "hundred", "an", "additional", "further", "more", "many", "some", "several", "all",
    "other", "few", "most", "both", "hundreds", "thousands", "dozens", "millions", "tens", "of", "least", "at",
    "about", "over",
}
PARTICLES = ("al-", "el-", "ad-", "as-", "bin ", "ibn ")
ACTOR_PREPS = {"with", "against", "by", "between", "from"}
CLASS_NOUNS = {  # "the ministry" -> the last organisation whose name holds that word
    "ministry", "parliament", "government", "army", "council", "party", "company", "airline",
    "agency", "court", "commission", "alliance", "organisation", "organization", "group", "bloc",
}


@dataclass
class Cluster:
    index: int
    label: str
    cands: list[Cand] = field(default_factory=list)
    key: str = ""
    country_code: str | None = None  # for countries (GPE)
    name_tokens: list[str] = field(default_factory=list)  # folded tokens of the fullest name
    profile: Profile = field(default_factory=Profile)
    last_token: int = -1

    def add(self, c: Cand) -> None:
        self.cands.append(c)
        c.cluster = self.index
        self.profile.absorb(c.profile)
        self.last_token = max(self.last_token, c.start)


# where a capital spaCy did not take for a place names its government: "Kyiv denied", "Kiev's plan"
CAPITAL_ACTS = ("nsubj", "nsubjpass", "agent", "poss")


class _Builder:
    """Finds the mentions of one Doc and merges them into clusters."""

    def __init__(self, an: Analysis) -> None:
        self.an = an
        self.doc: Doc = an.doc
        self.lex: Lexicon = lexicon()
        self.sent_of = an.sentence_of
        self.quoted = an.quoted()
        self.taken = [False] * len(self.doc)
        self.clusters: list[Cluster] = []
        self.by_key: dict[str, Cluster] = {}
        self.year = _year(an.article.published)

    # --- 1. names -----------------------------------------------------------------------
    def names(self) -> list[Cand]:
        out: list[Cand] = []
        doc, lex, an = self.doc, self.lex, self.an
        lowers, texts = an.lowers, an.texts
        ents = _fixed_ents(an, lex)
        # people first, so that their titles ("US Ambassador to Germany ...") are theirs
        ents.sort(key=lambda x: (x[0] != "PERSON", x[1]))
        for ent in ents:
            label, s, e = ent
            if label == "SKIP":
                for i in range(s, e):
                    self.taken[i] = True
                continue
            while s < e and lowers[s] in DETERMINERS:
                s += 1
            while e > s and (texts[e - 1] in ("'s", "\u2019s", "'") or (doc[e - 1].is_punct
                             and texts[e - 1] not in (".",))):
                e -= 1
            if s >= e or any(self.taken[i] for i in range(s, e)):
                continue
            span = doc[s:e]
            text = an.span_text(s, e)
            key = norm(text)
            c = Cand(start=s, end=e, name_start=s, name_end=e, label=label, kind="name",
                     sent=self.sent_of[s], quoted=self.quoted[s])
            root = span.root
            c.subject = is_subject(root)
            if key in lex.country_names:
                c.label, c.country_code = "GPE", lex.country_names[key]
                c.key = "country:" + c.country_code
            elif key in lex.seats:
                code = lex.seats[key]
                c.label, c.key = "ORG", "seat:" + key
                c.profile = Profile(code, "GOV", None, None, [f"seat of government of {code}"])
            elif key in lex.orgs and not _generic_word(span, lex):
                e = _longest_org(doc, s, e, lex)
                span = doc[s:e]
                c.end = c.name_end = e
                org = lex.orgs[norm(span.text)]
                c.label, c.key = "ORG", "org:" + norm(org.name)
                c.profile = Profile(org.country, org.role, None, None, [f"known organisation '{org.name}'"])
                self._widen(c)
            elif key in lex.capitals and label != "PERSON":
                if not _acts(root):
                    continue  # a place, not an actor: the places stage takes it
                c.label, c.country_code = "GPE", lex.capitals[key]
                c.key = "country:" + c.country_code
                c.profile.why.append(f"capital '{text}' used as an actor")
            elif key in lex.demonyms:
                continue  # "Russian" alone is an adjective, not an entity
            elif key in lex.peoples:
                c.label, c.key, c.plural = "NORP", "people:" + lex.peoples[key], True
                c.profile = Profile(lex.peoples[key], None, None, None, [f"people '{text}'"])
            elif label == "PERSON":
                if len(span) == 1 and not span[0].text[:1].isupper():
                    continue
                self._widen(c)
                c.key = "person"
            elif label == "ORG" or (label in ("FAC", "GPE") and _org_head(span) is not None):
                c.label = "ORG"
                self._org_profile(c)
                self._widen(c)
                c.key = "org:" + fold(key)
            elif label == "NORP":
                if root.tag_ not in ("NNPS", "NNS"):
                    continue
                c.label, c.key, c.plural = "NORP", "norp:" + fold(key), True
            elif label == "GPE":
                if not _acts(root):
                    continue
                c.key = "gpe:" + fold(key)
            else:
                continue
            for i in range(c.start, c.end):
                self.taken[i] = True
            out.append(c)
        out.extend(self._lexicon_names(out))
        out.extend(self._name_repeats(out))
        out.sort(key=lambda c: c.start)
        return out

    def _name_repeats(self, found: list[Cand]) -> list[Cand]:
        """A person's first or last name alone ("Taras had planned"), where NER missed it."""
        words: dict[str, int] = {}
        for c in found:
            if c.label == "PERSON" and c.name_end - c.name_start >= 2:
                for i in (c.name_start, c.name_end - 1):
                    words.setdefault(self.doc[i].text, c.start)
        out: list[Cand] = []
        if not words:
            return out
        texts, pos = self.an.texts, self.an.pos
        for i, text in enumerate(texts):
            first = words.get(text)
            if first is None or self.taken[i] or i <= first or pos[i] not in ("PROPN", "NOUN"):
                continue
            tok = self.doc[i]
            if tok.ent_type_ not in ("", "PERSON"):
                continue  # "in May" is a month, whatever Theresa May did
            if tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].pos_ == "PROPN" and \
                    self.doc[tok.i + 1].text[:1].isupper():
                continue  # part of a longer name
            c = Cand(tok.i, tok.i + 1, tok.i, tok.i + 1, "PERSON", "name", self.sent_of[tok.i],
                     quoted=self.quoted[tok.i], subject=is_subject(tok), key="person")
            self._widen(c)
            self.taken[tok.i] = True
            out.append(c)
        return out

    def _lexicon_names(self, found: list[Cand]) -> list[Cand]:
        """Seats and known organisations that spaCy did not mark ("the Kremlin" in lower case)."""
        out = []
        doc, lex = self.doc, self.lex
        heads = lex.name_heads
        an = self.an
        lowers, texts, n_tokens = an.lowers, an.texts, len(doc)
        for i, text in enumerate(texts):
            if self.taken[i] or not text[:1].isupper():
                continue
            if lowers[i].rstrip(".") not in heads and fold(text) not in heads:
                continue
            if doc[i].is_space:
                continue
            for n in (4, 3, 2, 1):
                e = i + n
                if e > n_tokens or any(self.taken[j] for j in range(i, e)):
                    continue
                wtext = an.span_text(i, e)
                key = norm(wtext)
                hit = None
                if key in lex.seats:
                    code = lex.seats[key]
                    hit = Cand(i, e, i, e, "ORG", "name", self.sent_of[i],
                               Profile(code, "GOV", None, None, [f"seat of government of {code}"]),
                               key="seat:" + key)
                elif key in lex.orgs and (n > 1 or wtext.isupper() or len(key) > 4) \
                        and not _generic_word(doc[i:e], lex):
                    org = lex.orgs[key]
                    hit = Cand(i, e, i, e, "ORG", "name", self.sent_of[i],
                               Profile(org.country, org.role, None, None, [f"known organisation '{org.name}'"]),
                               key="org:" + norm(org.name))
                elif key in lex.country_names and wtext[:1].isupper() and (
                    not wtext.isupper() or (wtext == wtext.upper() and len(wtext) > 1)
                ) and wtext.lower() != "us":
                    code = lex.country_names[key]
                    hit = Cand(i, e, i, e, "GPE", "name", self.sent_of[i], key="country:" + code)
                    hit.country_code = code
                elif wtext == "US" or wtext == "U.S.":
                    us = lex.country_names.get(norm(wtext))
                    if us and doc[i:e].root.pos_ == "PROPN":
                        hit = Cand(i, e, i, e, "GPE", "name", self.sent_of[i], key="country:" + us)
                        hit.country_code = us
                elif key in lex.capitals and wtext[:1].isupper() and an.ent_types[i] in ("", "ORG") \
                        and doc[i:e].root.dep_ in CAPITAL_ACTS:
                    # "Kyiv denied the claims": a capital spaCy did not mark, acting
                    code = lex.capitals[key]
                    hit = Cand(i, e, i, e, "GPE", "name", self.sent_of[i], key="country:" + code)
                    hit.country_code = code
                    hit.profile.why.append(f"capital '{wtext}' used as an actor")
                elif fold(wtext) in lex.people and all(texts[j][:1].isupper() for j in range(i, e)) and (
                    n >= 2 or an.pos[i] == "PROPN"
                ) and an.ent_types[i] in ("", "PERSON", "WORK_OF_ART", "ORG", "NORP"):
                    hit = Cand(i, e, i, e, "PERSON", "name", self.sent_of[i], key="person")
                    self._widen(hit)
                if hit is not None:
                    root = doc[i:e].root
                    if hit.label == "GPE" and root.dep_ in ("amod", "compound") and n == 1:
                        break  # "US troops": a modifier, not a mention of the country
                    hit.quoted = self.quoted[i]
                    hit.subject = is_subject(root)
                    for j in range(i, e):
                        self.taken[j] = True
                    out.append(hit)
                    break
        return out

    def _widen(self, c: Cand) -> None:
        limit = self.an.sent_start_of[c.start]
        start, prof = widen_left(self.an, c.start, self.lex, limit, person=c.label == "PERSON")
        if start < c.start and not any(self.taken[i] for i in range(start, c.start)):
            if prof.role or prof.cls or prof.gender or prof.country:
                c.start = start
                c.kind = "title"
        c.profile.absorb(prof)
        end, rprof = widen_right(self.an, c.end, self.lex)
        if end > c.end and not any(self.taken[i] for i in range(c.end, end)):
            c.end = end
            c.kind = "title"
            c.profile.absorb(rprof)

    def _org_profile(self, c: Cand) -> None:
        span = self.doc[c.name_start : c.name_end]
        prof = Profile()
        for tok in span:
            code = self.lex.country_code(tok.text) or self.lex.capitals.get(norm(tok.text))
            if code and tok.lower_ not in ("united", "republic"):
                prof.country = code
                prof.why.append(f"name holds '{tok.text}'")
                break
        if prof.country is None:  # multi-word country names inside ("United States Department")
            m = _multiword_countries(self.lex).search(fold(span.text))
            if m:
                prof.country = self.lex.country_names[m.group(0)]
                prof.why.append(f"name holds '{m.group(0)}'")
        head = _org_head(span)
        if head is not None and ORG_HEADS.get(head):
            prof.role = ORG_HEADS[head]
            prof.why.append(f"organisation word '{head}'")
        c.profile.absorb(prof)

    # --- 2. descriptions and groups ------------------------------------------------------------
    def descriptions(self) -> list[Cand]:
        out = []
        doc, lex = self.doc, self.lex
        tails = lex.role_tails
        lowers = self.an.lowers
        for chunk in _nominals(self.an, lambda i: lowers[i].rstrip(".") in tails):
            head = chunk.root
            if self.taken[head.i] or head.pos_ not in ("NOUN", "PROPN"):
                continue
            r = role_ending_at(self.an, head.i, lex)
            if r is None:
                continue
            rs, role = r
            if role.cls == "honorific":
                continue
            s = chunk.start
            while s < rs and (doc[s].lower_ in DETERMINERS or doc[s].lower_ in QUANTIFIERS
                              or doc[s].like_num or doc[s].pos_ == "PRON"):
                s += 1  # "its forces": the pronoun is a mention of its own
            det = [t.lower_ for t in chunk if t.dep_ == "det" or t.dep_ == "poss"]
            prof = Profile(role=role.role, cls=role.cls, gender=role.gender)
            for t in doc[chunk.start : rs]:
                if t.dep_ == "poss" or t.pos_ in ("ADJ", "PROPN", "NOUN"):
                    code = country_of_words(t, lex)
                    if code and not _backed(t):
                        prof.country = code
                        prof.why.append(f"'{t.text}'")
                        break
            if prof.country is None:  # "government of Syria"
                for child in head.children:
                    if child.dep_ == "prep" and child.lower_ == "of":
                        for pobj in child.children:
                            if pobj.dep_ == "pobj":
                                code = lex.country_code(pobj.text)
                                if code:
                                    prof.country = code
                                    prof.why.append(f"'of {pobj.text}'")
                                    s_end = pobj.i + 1
                                    chunk_end = s_end
                                    break
            if any(t.lower_ in ("opposition",) for t in doc[chunk.start : rs]):
                prof.role = "OPP"
            plural = head.tag_ in ("NNS", "NNPS")
            group = plural or role.group
            end = head.i + 1
            if prof.why and prof.why[-1].startswith("'of "):
                end = chunk_end  # type: ignore[possibly-undefined]
            # "The French leader" keeps its article (an anaphor, as written); a body or group
            # ("Iraqi government", "Russian forces") is named without it
            start = s - 1 if not group and s > chunk.start and doc[s - 1].lower_ in ("the", "this", "that") else s
            c = Cand(start=start, end=end, name_start=rs, name_end=head.i + 1,
                     label="GROUP" if group else "PERSON", kind="description",
                     sent=self.sent_of[head.i], profile=prof, quoted=self.quoted[head.i],
                     subject=is_subject(head), plural=plural)
            c.key = "definite" if (det and det[0] in ("the", "this", "that")) or prof.country else ""
            if not group and det and det[0] in ("a", "an"):
                continue  # "a Russian soldier" introduces someone new
            for i in range(c.start, c.end):
                self.taken[i] = True
            out.append(c)
        return out

    # --- 3. merging ---------------------------------------------------------------------------
    def cluster_for(self, key: str, label: str) -> Cluster:
        cl = self.by_key.get(key)
        if cl is None:
            cl = Cluster(index=len(self.clusters), label=label, key=key)
            self.clusters.append(cl)
            self.by_key[key] = cl
        return cl

    def new_cluster(self, label: str) -> Cluster:
        cl = Cluster(index=len(self.clusters), label=label)
        self.clusters.append(cl)
        return cl

    def merge_names(self, cands: list[Cand]) -> None:
        acronyms: dict[str, Cluster] = {}
        persons: list[Cluster] = []
        span_text = self.an.span_text
        for c in cands:
            text = span_text(c.name_start, c.name_end)
            if c.key.startswith(("country:", "seat:", "org:", "people:", "norp:", "gpe:")):
                if c.key.startswith("org:") and c.key not in self.by_key:
                    acr = acronyms.get(text) or acronyms.get(norm(text).upper())
                    if acr is not None:
                        c.profile = Profile()  # defined here: whatever else these letters stand for
                        acr.add(c)
                        c.kind = "acronym"
                        continue
                    cls = self._class_noun_match(c)
                    if cls is not None:
                        cls.add(c)
                        continue
                cl = self.cluster_for(c.key, c.label)
                if c.country_code:
                    cl.country_code = c.country_code
                cl.add(c)
                if c.label == "ORG":
                    for a in _acronyms_of(self.an, c):
                        acronyms.setdefault(a, cl)
                continue
            if c.label == "PERSON":
                tokens = _name_tokens(text)
                person = self._match_person(tokens, persons, c.profile.gender)
                if person is None:
                    person = self.new_cluster("PERSON")
                    person.name_tokens = tokens
                    persons.append(person)
                elif len(tokens) > len(person.name_tokens):
                    person.name_tokens = tokens
                person.add(c)
                if person.profile.gender is None and len(person.name_tokens) >= 2:
                    person.profile.gender = self.lex.forenames.get(person.name_tokens[0])

    def _match_person(self, tokens: list[str], persons: list[Cluster], gender: str | None = None) -> Cluster | None:
        if not tokens:
            return None
        same = [p for p in persons if p.name_tokens == tokens]
        if same:
            return same[-1]
        last = _strip_particle(tokens[-1])
        if len(tokens) >= 2:
            for p in reversed(persons):
                pt = p.name_tokens
                if len(pt) >= 2 and _strip_particle(pt[-1]) == last:
                    short, long_ = (tokens, pt) if len(tokens) <= len(pt) else (pt, tokens)
                    if set(short) <= set(long_) or _initials_agree(short[0], long_[0]):
                        return p
            # "Bashar al-Assad" after "Assad": the earlier bare surname joins the full name
            for p in reversed(persons):
                if len(p.name_tokens) == 1 and _strip_particle(p.name_tokens[0]) == last:
                    return p
            return None
        t = _strip_particle(tokens[0])
        by_last = [p for p in persons if _strip_particle(p.name_tokens[-1]) == t
                   and not (gender and p.profile.gender and gender != p.profile.gender)]
        if by_last:
            return max(by_last, key=lambda p: p.last_token)
        by_first = [p for p in persons if len(p.name_tokens) >= 2 and p.name_tokens[0] == t]
        if len(by_first) == 1:
            return by_first[0]
        return None

    def profile_people(self) -> None:
        """Fill what the text leaves out of a person's profile from the table of office holders
        (Assad in a 2019 article is SYR/GOV), so that "the Syrian president" can find him."""
        for cl in self.clusters:
            if cl.label != "PERSON" or not cl.name_tokens:
                continue
            p = cl.profile
            if p.country and p.cls:
                continue
            name = self._name(cl)
            known = self.lex.person(name, self.year)
            if known is None:
                continue
            if p.country and known.country and p.country != known.country:
                continue  # the text says otherwise: a namesake
            p.absorb(Profile(known.country, known.role, known.cls, known.gender,
                             [f"office holder '{known.name}' ({known.office})"]))

    def _class_noun_match(self, c: Cand) -> Cluster | None:
        """"Parliament" alone after "Parliament of Iraq": the same body."""
        if c.name_end - c.name_start != 1 or self.an.lowers[c.name_start] not in CLASS_NOUNS:
            return None
        word = self.an.lowers[c.name_start]
        span_text = self.an.span_text
        best = None
        for cl in self.clusters:
            if cl.label == "ORG" and any(word in fold(span_text(x.name_start, x.name_end)).split()
                                         for x in cl.cands):
                if best is None or cl.last_token > best.last_token:
                    best = cl
        return best

    def merge_descriptions(self, descs: list[Cand]) -> None:
        rest = []
        for c in descs:  # appositions first: they complete the profiles descriptions match
            cl = self._apposed(c)
            if cl is not None:
                cl.add(c)
            else:
                rest.append(c)
        for c in sorted(rest, key=lambda d: d.start):
            prof = c.profile
            if c.label == "GROUP":
                if prof.role == "GOV" and prof.country and prof.cls != "minister":
                    head = self.doc[c.name_end - 1].lower_
                    if head not in GOVERNMENT_WORDS:  # "Ukraine's parliament", "the defence ministry"
                        key = f"group:{prof.country}:{fold(self.doc[c.name_start:c.name_end].text)}"
                        self.cluster_for(key, "ORG").add(c)
                        continue
                    cl = self.cluster_for("country:" + prof.country, "GPE")
                    cl.country_code = prof.country
                    cl.add(c)
                    continue
                if prof.role is None and not prof.country:
                    continue
                if not prof.country and self.doc[c.name_end - 1].lemma_.lower() in GENERIC_GROUPS:
                    continue  # "people", "fine people": nobody in particular
                if not prof.country and prof.role == "GOV":
                    leader = self._person_within(c.start, c.name_start)
                    if leader is not None:  # "the Trump administration", "Maduro's government"
                        key = f"group:led:{leader.index}:{fold(self.doc[c.name_end - 1].lemma_)}"
                        body = self.cluster_for(key, "ORG")
                        body.add(c)
                        body.profile.absorb(Profile(leader.profile.country, "GOV", None, None,
                                                    [f"led by {self._name(leader)}"]))
                        continue
                if not prof.country:
                    head = self.doc[c.name_end - 1].lower_
                    if head in CLASS_NOUNS and c.key == "definite":
                        target = self._recent_org_with(head, c.start)
                        if target is not None:
                            target.add(c)
                        continue
                    if prof.role not in ("CVL", "REF", "REB", "OPP", "MED"):
                        continue
                key = f"group:{prof.country or ''}:{prof.role or ''}"
                if prof.role in ("REB", "OPP", "CVL", "REF") or not prof.role:
                    key += ":" + fold(self.doc[c.name_end - 1].lemma_)
                self.cluster_for(key, "GROUP").add(c)
                continue
            target = self._person_for(c)
            if target is not None:
                target.add(c)
            elif prof.country and prof.cls:
                cl = self.cluster_for(f"office:{prof.country}:{prof.cls}", "PERSON")
                cl.add(c)

    def _person_within(self, start: int, end: int) -> Cluster | None:
        for cl in self.clusters:
            if cl.label == "PERSON" and any(start <= x.start < end for x in cl.cands if x.kind != "description"):
                return cl
        return None

    def _apposed(self, c: Cand) -> Cluster | None:
        """The named person or body a description stands in apposition to, if any:
        "Emmanuel Macron, the French president," / "The French president, Emmanuel Macron,"."""
        head = self.doc[c.name_end - 1]
        linked = []
        if head.dep_ == "appos":
            linked.append(head.head)
        linked.extend(ch for ch in head.children if ch.dep_ == "appos")
        for tok in linked:
            for cl in self.clusters:
                for x in cl.cands:
                    if x.kind != "description" and x.start <= tok.i < x.end:
                        if (cl.label == "PERSON") == (c.label == "PERSON"):
                            return cl
        return None

    def _recent_org_with(self, word: str, before: int) -> Cluster | None:
        best = None
        for cl in self.clusters:
            if cl.label != "ORG" or cl.last_token >= before:
                continue
            names = " ".join(fold(self.an.span_text(x.name_start, x.name_end)) for x in cl.cands)
            if word in names.split() and (best is None or cl.last_token > best.last_token):
                best = cl
        return best

    def _person_for(self, c: Cand) -> Cluster | None:
        """The person a definite description ("the French leader") refers to."""
        prof = c.profile
        fits = []
        for cl in self.clusters:
            if cl.label != "PERSON" or not any(x.kind != "description" for x in cl.cands):
                continue
            p = cl.profile
            if prof.country and p.country and p.country != prof.country:
                continue
            if prof.country and not p.country:
                continue
            if prof.cls and p.cls != prof.cls:
                if not (prof.cls == "leader" and p.cls in ("leader",)):
                    continue
            if not prof.cls and prof.role and p.role != prof.role:
                continue
            if prof.gender and p.gender and prof.gender != p.gender:
                continue
            fits.append(cl)
        if not fits:
            return None
        before = [cl for cl in fits if min(x.start for x in cl.cands) < c.start]
        if len(fits) == 1:
            return fits[0]
        if not prof.country and not before:
            return None
        pool = before or fits
        return max(pool, key=lambda cl: max((x.start for x in cl.cands if x.start < c.start), default=-1))

    # --- 4. pronouns ------------------------------------------------------------------------------
    def pronouns(self) -> None:
        doc = self.doc
        person_mentions = sorted(
            ((x.start, x, cl) for cl in self.clusters if cl.label == "PERSON" for x in cl.cands
             if not x.plural),
            key=lambda t: t[0],
        )
        if not person_mentions:
            return
        pos = self.an.pos
        for i, low in enumerate(self.an.lowers):
            if (low not in MALE and low not in FEMALE) or pos[i] != "PRON" or self.taken[i]:
                continue
            tok = doc[i]
            if self.quoted[tok.i]:
                continue  # inside a quote "he" may be anyone: left to the statements stage
            gender = "m" if low in MALE else "f"
            si = self.sent_of[tok.i]
            # "Duda thanked him": a plain object pronoun never is the subject of its own verb
            coargs = set()
            if tok.dep_ in ("dobj", "dative", "pobj", "iobj") and not low.endswith("self"):
                verb = tok.head.head if tok.dep_ == "pobj" else tok.head
                coargs = {ch.i for ch in verb.children if ch.dep_ in ("nsubj", "nsubjpass")}
            best, best_score = None, None
            for start, m, cl in person_mentions:
                if start >= tok.i:
                    break
                dist = si - m.sent
                if dist > 4 or m.quoted or any(m.start <= i < m.end for i in coargs):
                    continue
                g = cl.profile.gender
                if g and g != gender:
                    continue
                score = -3.0 * dist + (2.5 if m.subject else 0.0) + start / (10 * len(doc) + 1)
                if dist == 0:
                    score += 1.0
                    if tok.dep_ in ("poss",) and _same_clause(doc[m.end - 1], tok):
                        score += 1.0
                if best_score is None or score > best_score:
                    best, best_score = cl, score
            if best is None:
                continue
            c = Cand(tok.i, tok.i + 1, tok.i, tok.i + 1, "PERSON", "pronoun", si,
                     subject=is_subject(tok))
            if best.profile.gender is None:
                best.profile.gender = gender
            best.add(c)
            person_mentions.append((tok.i, c, best))
            person_mentions.sort(key=lambda t: t[0])
            self.taken[tok.i] = True

    def group_pronouns(self) -> None:
        """"it"/"its" for an organisation or country, "they"/"their" for a group, when the pronoun
        is a subject or possessive and its antecedent was named in the same or the previous
        sentence ("The ministry said it ...", "Russian troops ... They withdrew")."""
        doc = self.doc
        mentions = sorted(((x.start, x, cl) for cl in self.clusters
                           if cl.label in ("ORG", "GPE", "GROUP", "NORP") for x in cl.cands),
                          key=lambda t: t[0])
        if not mentions:
            return
        pos = self.an.pos
        for i, low in enumerate(self.an.lowers):
            if (low not in IT and low not in THEY) or pos[i] != "PRON" or self.taken[i] or self.quoted[i]:
                continue
            tok = doc[i]
            if tok.dep_ not in ("nsubj", "nsubjpass", "poss") or (low == "it" and _pleonastic(tok)):
                continue
            plural = low in THEY
            si = self.sent_of[tok.i]
            best, best_score = None, None
            for start, m, cl in mentions:
                if start >= tok.i:
                    break
                dist = si - m.sent
                if dist > 1 or m.quoted:
                    continue
                if plural != (m.plural or cl.label == "NORP"):
                    continue
                if start < tok.i and _same_clause(doc[m.end - 1], tok) and tok.dep_ != "poss" and m.subject:
                    continue  # "Russia said it ..." is fine (another clause); "Russia ... it" in one clause is not
                score = -3.0 * dist + (2.5 if m.subject else 0.0) + start / (10 * len(doc) + 1)
                if best_score is None or score > best_score:
                    best, best_score = cl, score
            if best is None:
                continue
            c = Cand(tok.i, tok.i + 1, tok.i, tok.i + 1, best.label, "pronoun", si,
                     subject=is_subject(tok), plural=plural)
            best.add(c)
            mentions.append((tok.i, c, best))
            mentions.sort(key=lambda t: t[0])
            self.taken[tok.i] = True

    # --- 5. entities ------------------------------------------------------------------------------
    def entities(self) -> list[Entity]:
        text = self.an.article.text
        starts, texts = self.an.token_starts, self.an.texts
        out = []
        live = [cl for cl in self.clusters if cl.cands]
        live.sort(key=lambda cl: min(x.start for x in cl.cands))
        for n, cl in enumerate(live, 1):
            eid = f"e{n}"
            cl.cands.sort(key=lambda x: x.start)
            mentions = []
            seen = set()
            for x in cl.cands:
                s, e = starts[x.start], starts[x.end - 1] + len(texts[x.end - 1])
                if (s, e) in seen:
                    continue
                seen.add((s, e))
                mentions.append(Mention(text=text[s:e], start=s, end=e, kind=x.kind))
                self.an.entity_of_span[(s, e)] = eid
                for i in range(x.start, x.end):
                    self.an.entity_of_token.setdefault(i, eid)
            name = self._name(cl)
            country, role, why = self._codes(cl, name)
            out.append(Entity(id=eid, name=name, type=cl.label, country=country, role=role,
                              mentions=mentions, why=why))
        return out

    def _name(self, cl: Cluster) -> str:
        span_text = self.an.span_text
        names = [span_text(x.name_start, x.name_end) for x in cl.cands if x.kind in ("name", "title", "acronym")]
        if cl.country_code:
            c = self.lex.countries.get(cl.country_code)
            if c is not None and any(fold(n) in (fold(c.name), *map(fold, c.aliases)) for n in names):
                return c.name
        if cl.key.startswith("org:") and cl.key[4:] in self.lex.orgs:
            return self.lex.orgs[cl.key[4:]].name
        if names:
            best = max(names, key=lambda n: (len(n.split()) if cl.label == "PERSON" else len(n), -names.index(n)))
            if cl.label == "PERSON":  # "VOLODYMYR Zelensky" in a tabloid's first line
                best = " ".join(w.title() if w.isupper() and len(w) > 2 else w for w in best.split())
            return best
        descs = [span_text(x.start, x.end) for x in cl.cands if x.kind == "description"]
        best = max(descs, key=len) if descs else span_text(cl.cands[0].start, cl.cands[0].end)
        words = best.split()
        if words and words[0].lower() in DETERMINERS:
            best = " ".join(words[1:])
        return best

    def _codes(self, cl: Cluster, name: str) -> tuple[str | None, str | None, str | None]:
        p = cl.profile
        why = list(p.why)
        if cl.country_code:
            return cl.country_code, "GOV", f"the country {cl.country_code}" + (
                "; " + "; ".join(why) if why else "")
        country, role = p.country, p.role
        votes = Counter(x.profile.country for x in cl.cands if x.profile.country)
        if len(votes) > 1:
            country = votes.most_common(1)[0][0]
        if cl.label == "PERSON" and (country is None or role is None):
            known = self.lex.person(name, self.year)
            if known is not None:
                if country is None:
                    country = known.country
                    why.append(f"office holder '{known.name}' ({known.office})")
                if role is None:
                    role = known.role
        return country, role, "; ".join(why) or None


# --- helpers ------------------------------------------------------------------------------------
NOMINAL_LEFT = {"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "predet"}


def _nominals(an: Analysis, keep: Callable[[int], bool]) -> list[Span]:
    """Every noun ``keep`` accepts (by token index), with its left modifiers, possessives
    included ("the Trump administration" in "the Trump administration's latest step", which
    spaCy's noun_chunks fold into one chunk)."""
    out = []
    doc, pos, deps = an.doc, an.pos, an.deps
    for i, p in enumerate(pos):
        if p not in ("NOUN", "PROPN") or deps[i] == "compound" or not keep(i):
            continue
        tok = doc[i]
        start = tok.i
        for ch in tok.lefts:
            if ch.dep_ in NOMINAL_LEFT:
                start = min(start, ch.left_edge.i)
        while start < tok.i and (doc[start].is_punct or doc[start].is_space):
            start += 1
        out.append(doc[start : tok.i + 1])
    return out


def _year(published: str | None) -> int | None:
    if published and len(published) >= 4 and published[:4].isdigit():
        return int(published[:4])
    return None


def _acts(tok: Token) -> bool:
    """Is a place name used as an actor ("Moscow said", "Moscow's decision", "talks with Moscow")?"""
    if tok.dep_ in ("nsubj", "nsubjpass", "poss", "dobj", "dative", "agent"):
        return True
    if tok.dep_ == "conj":
        return _acts(tok.head)
    if tok.dep_ == "pobj":
        prep = tok.head
        if prep.lower_ in ACTOR_PREPS and not (prep.lower_ == "from" and prep.head.pos_ == "VERB"):
            return prep.lower_ != "from"
        if prep.dep_ == "agent":
            return True
    return False


def _backed(tok: Token) -> bool:
    """"Moscow-backed", "pro-Russian": the word names a backer, not the group's own country."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.text == "-" and tok.i + 2 < len(tok.doc):
        if tok.doc[tok.i + 2].lower_ in ("backed", "supported", "allied", "aligned", "sponsored"):
            return True
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    return bool((prev is not None and prev.lower_ in ("pro", "pro-")) or tok.lower_.startswith("pro-"))


def _org_head(span) -> str | None:  # type: ignore[no-untyped-def]
    for tok in reversed(span):
        low = tok.lower_.strip(".")
        if low in ORG_HEADS:
            return low
    return None


def _acronyms_of(an: Analysis, c: Cand) -> list[str]:
    """"Syrian Democratic Forces (SDF)": the acronym in brackets, and the name's initials."""
    out = []
    texts = an.texts
    e = c.name_end
    if e + 2 < len(texts) and texts[e] == "(" and texts[e + 2] == ")":
        out.append(texts[e + 1])
    words = [texts[i] for i in range(c.name_start, c.name_end) if texts[i][:1].isupper()
             and an.lowers[i] not in ("of", "the", "and", "for")]
    if len(words) >= 2:
        out.append("".join(w[0] for w in words).upper())
    return out


def _name_tokens(text: str) -> list[str]:
    return [t for t in re.split(r"\s+", fold(text).replace(".", " ").strip()) if t]


def _strip_particle(tok: str) -> str:
    for p in PARTICLES:
        if tok.startswith(p):
            return tok[len(p):]
    return tok


def _initials_agree(a: str, b: str) -> bool:
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _pleonastic(tok: Token) -> bool:
    """"It is unclear whether ...", "it seems", "it rained": an "it" that refers to nothing."""
    head = tok.head
    if tok.dep_ == "expl":
        return True
    return head.lemma_ in NON_REFERRING_VERBS or any(ch.dep_ in ("ccomp", "xcomp") and ch.i > head.i
                                                      and head.lemma_ in ("be",) for ch in head.children)


def _same_clause(a: Token, b: Token) -> bool:
    def clause(t: Token) -> Token:
        while t.dep_ not in ("ROOT", "ccomp", "advcl", "relcl", "xcomp", "conj") and t.head is not t:
            t = t.head
        return t

    return clause(a) is clause(b)


_MULTIWORD: dict[int, re.Pattern[str]] = {}


def _multiword_countries(lex: Lexicon) -> re.Pattern[str]:
    """One pattern for every country name of two words or more (longest first)."""
    pat = _MULTIWORD.get(id(lex))
    if pat is None:
        names = sorted((n for n in lex.country_names if " " in n), key=len, reverse=True)
        pat = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")
        _MULTIWORD[id(lex)] = pat
    return pat


def _is_place(tok: Token, named: set[str], lex: Lexicon) -> bool:
    """A lone word NER took for a person or organisation that is a well-known place, and no
    one's name here: not a known organisation or office holder, not a forename, not part of a
    person's name in this article."""
    text = tok.text
    key = norm(text)
    if text in named or key in lex.orgs or lex.person(text) is not None or fold(text) in lex.forenames:
        return False
    from chronicle.lexicon.gazetteer import gazetteer

    return any(c.main and (c.kind != "city" or c.population >= 15000) for c in gazetteer().lookup(text))


def _generic_word(span: Span, lex: Lexicon) -> bool:
    """"Congress", "parliament", "the army": a word every country has, not one body's name."""
    if len(span) != 1:
        return False
    low = span[0].lower_
    return low in ORG_HEADS or low in lex.roles or not span[0].text[:1].isupper()


def _longest_org(doc: Doc, s: int, e: int, lex: Lexicon) -> int:
    """The end of the longest known organisation name starting at s ("Houthi" -> "Houthi movement")."""
    best = e
    for n in range(1, 4):
        if e + n > len(doc) or any(t.is_space or t.is_punct for t in doc[e : e + n]):
            break
        if norm(doc[s : e + n].text) in lex.orgs:
            best = e + n
    return best


def _looks_like_person(an: Analysis, s: int, e: int, lex: Lexicon) -> bool:
    """A name mislabelled as an organisation: two or three capitalised words right after a
    person's title ("Chancellor Olaf Scholz"), or a known office holder's name."""
    if not 2 <= e - s <= 3 or _org_head(an.doc[s:e]) is not None:
        return False
    if not all(an.pos[i] == "PROPN" and an.texts[i][:1].isupper() for i in range(s, e)):
        return False
    if lex.person(an.span_text(s, e)) is not None:
        return True
    if s == 0:
        return False
    r = role_ending_at(an, s - 1, lex)
    return r is not None and not r[1].group


def _fixed_ents(an: Analysis, lex: Lexicon) -> list[tuple[str, int, int]]:
    """spaCy's entities with known mistakes mended: a country name glued to a person's name
    ("Ukraine Volodymyr Zelenskyy" as one ORG) is split; a known name gets its label."""
    doc, texts = an.doc, an.texts
    out = []
    ents = [(ent.label_, ent.start, ent.end) for ent in doc.ents]
    named = {texts[i] for label, s, e in ents if label == "PERSON" and e - s >= 2 for i in (s, e - 1)}
    for label, s, e in ents:
        if label not in NAME_LABELS:
            continue
        if label in ("PERSON", "ORG") and e - s == 1 and _is_place(doc[s], named, lex) and not (
                norm(texts[s]) in lex.capitals and doc[s].dep_ in CAPITAL_ACTS):
            # a capital spaCy took for a person may still act: "Kiev says" (below, as GPE)
            out.append(("SKIP", s, e))  # "Mariupol" as an organisation, "Azores" as a person
            continue
        key = norm(an.span_text(s, e))
        if key in lex.country_names or key in lex.capitals:
            label = "GPE"
        elif label in ("ORG", "GPE", "NORP", "FAC") and key not in lex.orgs and _looks_like_person(an, s, e, lex):
            label = "PERSON"
        elif label != "PERSON" and e - s >= 3 and key not in lex.orgs:
            # a known country/org at the front, then two or three capitalised name words
            for n in (3, 2, 1):
                head = doc[s : s + n]
                rest = doc[s + n : e]
                if (lex.country_code(head.text) or norm(head.text) in lex.orgs) and 2 <= len(rest) <= 3 \
                        and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in rest) \
                        and _org_head(rest) is None:
                    out.append(("GPE" if lex.country_code(head.text) else "ORG", s, s + n))
                    s, label = s + n, "PERSON"
                    break
        if label == "PERSON" and (an.lowers[s] in NOT_PERSON_WORDS or an.lowers[e - 1] in NOT_PERSON_WORDS
                                  or not texts[s][:1].isupper()
                                  or any(t.is_quote or t.is_bracket for t in doc[s:e])):
            out.append(("SKIP", s, e))  # "Storm Lorenzo", "County Mayo", "la decisión": nobody's name
            continue
        if label != "PERSON" and e - s == 1 and texts[s] in NOT_ENTITY_NAMES:
            out.append(("SKIP", s, e))
            continue
        out.append((label, s, e))
    # a surname spaCy labels as a place or organisation elsewhere ("Fields said") is the person's
    person_words = {texts[i] for label, s, e in out if label == "PERSON" and e - s >= 2 for i in (s, e - 1)}
    fixed = []
    for label, s, e in out:
        if label != "PERSON" and e - s == 1 and texts[s] in person_words and norm(texts[s]) not in lex.orgs \
                and lex.country_code(texts[s]) is None and norm(texts[s]) not in lex.capitals:
            label = "PERSON"
        fixed.append((label, s, e))
    return fixed


def prepare() -> None:
    """Load what the stage reads (lexicons, the gazetteer), before the first article."""
    from chronicle.lexicon.gazetteer import gazetteer

    _multiword_countries(lexicon())
    gazetteer()


def run(an: Analysis) -> None:
    """Fill ``record.entities`` and the token -> entity index later stages resolve spans with."""
    b = _Builder(an)
    names = b.names()
    b.merge_names(names)
    b.profile_people()
    b.merge_descriptions(b.descriptions())
    b.pronouns()
    b.group_pronouns()
    an.record.entities = b.entities()
