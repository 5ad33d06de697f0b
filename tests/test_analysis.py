"""The per-token columns of Analysis must say exactly what spaCy's Token objects say."""

from __future__ import annotations

import pytest

from chronicle.extract.analysis import Analysis
from chronicle.extract.nlp import load_nlp, paragraph_breaks
from chronicle.record import Article, Record

TEXT = (
    "Ukraine says Russian forces shelled Kharkiv overnight\n\n"
    "KYIV, Ukraine (AP) \u2014 Russian forces shelled the city of Kharkiv overnight, killing at least "
    "three civilians, the regional governor said on Tuesday. \u201cThey hit a school and two apartment "
    "blocks,\u201d Oleh Syniehubov told reporters, adding that rescuers were still searching the rubble.\n"
    "The Kremlin, which denies targeting civilians, did not comment. Moscow's defence ministry said "
    "its troops had struck \u201cmilitary infrastructure\u201d only.  A U.N. spokesman called for an "
    "independent inquiry into the attack, which came days after talks in Istanbul stalled."
)


def _analysis() -> Analysis:
    doc = load_nlp()(TEXT)
    article = Article(id="t", text=TEXT, published="2022-05-03")
    return Analysis(article=article, doc=doc, record=Record(article=article))


def test_columns_equal_token_attributes() -> None:
    an = _analysis()
    doc = an.doc
    assert len(doc) > 80
    assert an.texts == [t.text for t in doc]
    assert an.lowers == [t.lower_ for t in doc]
    assert an.lemmas == [t.lemma_ for t in doc]
    assert an.pos == [t.pos_ for t in doc]
    assert an.tags == [t.tag_ for t in doc]
    assert an.deps == [t.dep_ for t in doc]
    assert an.ent_types == [t.ent_type_ for t in doc]
    assert an.heads == [t.head.i for t in doc]
    assert an.is_space == [t.is_space for t in doc]
    assert an.is_punct == [t.is_punct for t in doc]
    assert an.is_lower == [t.is_lower for t in doc]
    assert an.token_starts == [t.idx for t in doc]


def test_tree_and_sentences_equal_spacy() -> None:
    an = _analysis()
    for t in an.doc:
        assert list(an.children[t.i]) == [c.i for c in t.children]
        assert an.subtree(t.i) == [x.i for x in t.subtree]
        assert (an.sent_start_of[t.i], an.sent_end_of[t.i]) == (t.sent.start, t.sent.end)
        for n in (1, 2, 4):
            assert an.span_text(t.i, t.i + n) == an.doc[t.i:t.i + n].text
    assert an.span_text(5, 5) == ""


def test_paragraph_breaks_start_sentences() -> None:
    doc = load_nlp()(TEXT)
    for tok in doc[1:]:
        if "\n" in doc[tok.i - 1].text:
            assert tok.is_sent_start
    # the headline is a sentence of its own, whatever the parser would have joined
    assert next(s.text.strip() for s in doc.sents) == "Ukraine says Russian forces shelled Kharkiv overnight"
    # the component marks the same starts on an unparsed Doc as the token-by-token rule did
    plain = load_nlp().make_doc(TEXT)
    paragraph_breaks(plain)
    expected = [i for i in range(1, len(plain)) if "\n" in plain[i - 1].text]
    assert [t.i for t in plain if t.is_sent_start and t.i > 0] == expected


@pytest.mark.parametrize(("text", "first"), [
    ("KYIV, May 3 - Russian forces shelled Kharkiv.", "KYIV, May 3 -"),
    ("LONDON, May 4 (Reuters) - Britain pledged aid.", "LONDON, May 4 (Reuters) -"),
    ("SOUTH CHARLESTON, W.Va. -- A chemical leak forced hundreds from their homes.", "SOUTH CHARLESTON, W.Va. --"),
    ("BEIRUT\u2014Israeli jets struck.", "BEIRUT\u2014"),
    ("US-Russia talks resumed on Monday.", "US-Russia talks resumed on Monday."),  # a hyphen joins words
    ("NATO - the alliance - said on Friday it would meet.", "NATO - the alliance - said on Friday it would meet."),
])
def test_nlp_dateline_is_a_sentence_of_its_own(text: str, first: str) -> None:
    assert next(iter(load_nlp()(text).sents)).text == first
