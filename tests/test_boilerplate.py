"""Boilerplate removal around trafilatura: what goes, and what must stay."""

from __future__ import annotations

import pytest

from chronicle.ingest import html
from chronicle.ingest.boilerplate import clean_text
from pages import WIRE, page


@pytest.mark.parametrize("line", [
    "Published 18 November 2019",
    "- Published 18 November 2019",
    "Updated at 1:23 p.m.",
    "November 18, 2019 at 10:04 am EST",
    "2019-11-19T08:57:40+01:00",
    "(external link)",
    "Opens in a new window",
    "Read more:",
    "READ MORE: China plague outbreak confirmed",
    "Related: Possible Water Plumes on Europa",
    "Share this article",
    "Share on Facebook",
    "Follow us on Twitter",
    "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
    "Sign up for our Email Newsletters here.",
    "Click here to subscribe to The Paradigm Newsletter",
    "Advertisement",
    "Story continues below advertisement",
    "Tags: politics, Ukraine",
    "12 Comments",
    "Associated Press writers Alan Fram and Zeke Miller contributed to this report.",
    "Reporting by Jane Roe; Editing by John Doe",
    "Copyright 2019 Example News. All rights reserved.",
    "© Example Media 2022",
    "Photo: Reuters",
])
def test_boilerplate_lines_go(line: str) -> None:
    text = f"{WIRE[0]}\n{line}\n{WIRE[1]}"
    assert clean_text(text) == f"{WIRE[0]}\n{WIRE[1]}"


@pytest.mark.parametrize("line", [
    "Published reports said the talks had stalled, and officials in Kyiv declined to comment on Tuesday.",
    "Topics of the talks included grain exports and a prisoner exchange, the ministry said.",
    "Share prices fell 3% in Moscow after the announcement.",
    "Reporting by state media suggested that the convoy had reached the city late on Monday evening, "
    "although the claim could not be verified independently by journalists on the ground.",
    "\"Follow the money,\" he told reporters.",
    "The ministry said 12 comments had been received during the consultation.",
])
def test_article_lines_stay(line: str) -> None:
    text = f"{WIRE[0]}\n{line}\n{WIRE[1]}"
    assert clean_text(text) == text


def test_boilerplate_related_list_goes_with_its_lead() -> None:
    text = f"{WIRE[0]}\nRelated:\n- Moon Rush: Private Lunar Lander Plans\n- NASA picks landers\n{WIRE[1]}"
    assert clean_text(text) == f"{WIRE[0]}\n{WIRE[1]}"


def test_boilerplate_headline_repeated_at_the_top_goes() -> None:
    text = f"Talks resume in Istanbul | Example News\n{WIRE[0]}"
    assert clean_text(text, ["Talks resume in Istanbul"]) == WIRE[0]


def test_boilerplate_repeated_paragraph_kept_once() -> None:
    assert clean_text(f"{WIRE[0]}\n{WIRE[1]}\n{WIRE[0]}") == f"{WIRE[0]}\n{WIRE[1]}"


def test_boilerplate_click_to_tweet_label_goes_sentence_stays() -> None:
    assert clean_text(f"{WIRE[0]}\nEvery business exists in time.Click To Tweet") == \
        f"{WIRE[0]}\nEvery business exists in time."


def test_html_hidden_blocks_captions_and_popups_are_pruned() -> None:
    extra = ('<div style="display:none"><p>A hidden copy of the story that nobody sees on the page at all, '
             'kept for search engines.</p></div>'
             '<p>A sentence naming <span class="rollover-people"><a href="/p/1">Jane Roe</a>'
             '<span class="rollover-people-block"><img src="x.jpg"><a href="/p/1">Jane Roe</a>'
             '<a href="/s/2">Her latest story</a></span></span> stays whole, links and all.</p>'
             '<ul><li><a href="/a">Another story</a></li><li><a href="/b">Yet another story</a></li></ul>')
    a = html.read(page("Talks resume", WIRE, extra=extra).encode(), "p.html")
    assert "hidden copy" not in a.text
    assert "Delegates arrive" not in a.text  # the figure caption
    assert "A sentence naming Jane Roe stays whole, links and all." in a.text
    assert "Her latest story" not in a.text and "Another story" not in a.text
    assert "Share on" not in a.text and "Copyright" not in a.text


def test_html_body_split_around_ads_is_joined() -> None:
    half = len(WIRE) // 2
    parts = "".join(
        f'<div class="article-body body-text">{"".join(f"<p>{p}</p>" for p in chunk)}</div>'
        f'<div class="ad"><span>Advertisement</span></div>'
        for chunk in (WIRE[:half], WIRE[half:]))
    doc = (f"<html><head><title>Talks</title></head><body><main><h1>Talks</h1>{parts}</main>"
           f"<footer>Footer</footer></body></html>")
    a = html.read(doc.encode(), "split.html")
    assert all(p in a.text for p in WIRE)
