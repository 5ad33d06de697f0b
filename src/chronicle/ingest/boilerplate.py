"""Boilerplate that trafilatura leaves in a page's main text, removed before and after it runs.

Two passes, both generic (no site's markup is named here):

- ``prune_tree`` works on the parsed page before extraction: it drops what a reader never sees
  (inline ``display:none``, the ``hidden`` attribute), image captions and credits, pop-ups and
  hover cards, share/follow/newsletter/related blocks; and it joins an article body that a page
  split into several sibling containers around its ads, so the extractor sees all of it.
- ``clean_text`` works on the extracted text, line by line: the repeated headline, dateline and
  byline stamps ("Published 18 November 2019", "Updated at 1:23 p.m."), "external" link
  labels, "Read more"/"Related:" lines and the link lists under them, share/follow/subscribe
  lines, "contributed to this report" credits and copyright lines, and paragraphs repeated
  verbatim.

Measured on ``../shared/gold/ingest`` with ``benchmarks/ingest_accuracy.py``, side by side with
trafilatura's own settings.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

__all__ = ["clean_text", "prune_tree"]

# --- the tree ------------------------------------------------------------------------------------

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# class/id words of blocks that are never the article's text
_NOISE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:caption|figcaption|credits?|photo-?credit|image-?credit|tooltip|popover|popup|"
    r"hovercard|rollover|share|sharing|social|follow-us|newsletter|signup|sign-up|subscribe|"
    r"related|recirc|most-popular|trending|read-?more|also-read|outbrain|taboola|sponsored|promo|"
    r"breadcrumbs?|byline-?social|author-?bio|tags?|tag-?list|skip-?link|sr-only|visually-?hidden)"
    r"(?:$|[\s_-])",
    re.I,
)
# words that mean a block is the article itself even if a noise word appears in its class
_KEEP_WORDS = re.compile(r"article-?body|story-?body|post-?body|entry-?content|article-?content|main-?content", re.I)
_INLINE = frozenset(("a", "span", "em", "strong", "b", "i", "u", "abbr", "cite", "small", "sup", "sub", "time"))
_BODY_WORDS = re.compile(r"body|content|article|story|text|entry|post", re.I)


def _classes(el: HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _drop(el: HtmlElement) -> None:
    """Remove an element but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _is_noise(el: HtmlElement) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("html", "body", "main", "article"):
        return False
    if tag == "figcaption":
        return True
    if el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    names = _classes(el)
    if not names or not _NOISE_WORDS.search(names) or _KEEP_WORDS.search(names):
        return False
    if tag in _INLINE:  # a link or name inside a sentence stays; a pop-up card hung on it goes
        first = next(iter(el), None)
        if (el.text or "").strip() or (first is not None and first.tag == "a"):
            return False
    # a block holding most of the page's paragraphs is the article, whatever its class says
    return len(el.findall(".//p")) < 4


def _is_link_list(el: HtmlElement) -> bool:
    """A list whose every item is one link (related stories, navigation): not the article."""
    items = [li for li in el.iterchildren("li")]
    if len(items) < 2:
        return False
    for li in items:
        text = " ".join((li.text_content() or "").split())
        linked = " ".join(" ".join((a.text_content() or "").split()) for a in li.iter("a"))
        if not text or len(linked) < 0.9 * len(text):
            return False
    return True


def _paragraphs(el: HtmlElement) -> int:
    return sum(1 for p in el.iterchildren("p") if len((p.text_content() or "").split()) >= 8)


def _join_split_bodies(root: HtmlElement) -> None:
    """A body split into sibling-ish containers of the same class (ads in between): join them."""
    groups: dict[str, list[HtmlElement]] = {}
    for el in root.iter("div", "section"):
        cls = el.get("class")
        if cls and _BODY_WORDS.search(cls) and "comment" not in cls.lower() and _paragraphs(el) >= 2:
            groups.setdefault(cls, []).append(el)
    for members in groups.values():
        if len(members) < 2:
            continue
        first = members[0]
        rest = [m for m in members[1:] if first not in m.iterancestors() and m not in first.iterancestors()]
        if not rest:
            continue
        # only when they share an ancestor close by: parts of one article, not a list of teasers
        anchors = {id(a) for a in list(first.iterancestors())[:4]}
        if not all(any(id(a) in anchors for a in list(m.iterancestors())[:4]) for m in rest):
            continue
        for m in rest:
            for child in list(m):
                first.append(child)
            _drop(m)


def prune_tree(root: HtmlElement) -> HtmlElement:
    """The page without what a reader does not see as the article (modifies ``root``)."""
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if _is_noise(el) or (el.tag in ("ul", "ol") and _is_link_list(el)):
            doomed.append(el)
    for el in doomed:
        if any(a in doomed for a in el.iterancestors()):
            continue
        _drop(el)
    _join_split_bodies(root)
    return root


# --- the text ------------------------------------------------------------------------------------

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATEISH = (rf"(?:\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
            rf"|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})")
_BOILERPLATE_LINES = [
    # datelines and stamps
    rf"[-–—•|]?\s*(?:published|updated|posted|last updated|first published|modified)\b(?:\s+(?:on|at))?:?\s*"
    rf"(?:{_DATEISH}|\d{{1,2}}[:.]\d{{2}}|\w+day\b|\d+\s+\w+\s+ago)[^\n]{{0,60}}",
    rf"{_DATEISH}(?:\s*(?:at|,|\||-)?\s*\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}})?)?",
    r"\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*[A-Z]{2,4}\s+\d{1,2}/\d{1,2}/\d{2,4}(?:\s+by\s+[^\n]{1,60})?",
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?",
    # link labels and calls to action
    r"\(?(?:external(?: link)?|opens in (?:a )?new (?:window|tab))\)?",
    r"(?:read more|related|more|see also|also read|also on [\w.]+|don't miss|don’t miss|recommended|"
    r"you may also like|you might also like|popular on [\w .]+|more from [\w .]+|explore further|"
    r"further reading|related (?:posts?|articles?|stories|coverage|content|links))\b\s*[:.…]*\s*(?:\.\.\.)?",
    r"(?:read more|related|see also|also read|also on [\w.]+|more)\s*:.{0,200}",
    r"(?:click|tap) here\b.{0,120}",
    r"click to \w+.{0,80}",
    r"(?:share|tweet|email|print|pin|copy link|whatsapp|facebook|twitter|linkedin|reddit|flipboard)"
    r"(?:\s*(?:this|the)?\s*(?:article|story|post|page|link))?(?:\s*(?:on|via|to)\s*\w+)?\s*[:!.]?",
    r"(?:share|like) this (?:story|article|post)\b.{0,80}",
    r"(?:follow|find) (?:us|me|him|her|them|[\w.@ ]{1,40}) on "
    r"(?:twitter|facebook|instagram|linkedin|youtube)\b.{0,200}",
    r".{0,200}[.!]\s+follow (?:us|me|him|her|them) on (?:twitter|facebook|instagram)\b.{0,120}",
    r"(?:(?:sign up|subscribe|register)\b.{0,160}(?:newsletter|inbox|updates|channel|subscribe|today|here|news|"
    r"for free|email)[^\n]{0,80})",
    r"get the latest .{0,80}(?:inbox|newsletter).{0,80}",
    r"(?:advertisement|advertising|sponsored(?: content)?|ad|story continues below(?: advertisement)?|"
    r"continue reading(?: below)?|scroll to continue|article continues below)\s*[:.]?",
    r"(?:tags?|topics?|categories|category)\s*:.{0,200}",
    r"filed under\b.{0,200}",
    r"tags?",
    r"(?:\d+\s+)?comments?\s*(?:\(\d+\))?",
    r"(?:leave|post|add) a (?:comment|reply)\b.{0,60}",
    r"(?:tell us what you think|have your say|join the (?:conversation|discussion))\b.{0,80}",
    r"(?:source|sources)\s*:\s*(?:news agencies|agencies|[\w ]{1,30} news)",
    # credits
    r".{0,200}\bcontributed (?:to )?(?:this|the) (?:report|story|article)\.?",
    r"(?:additional )?reporting by (?:\S+\s*){1,12}",
    r"(?:editing|edited|written|compiled) by (?:\S+\s*){1,8}",
    r"(?:copyright|©|\(c\)|ⓒ).{0,160}",
    r".{0,120}(?:all rights reserved|무단전재|無断転載).{0,80}",
    r"(?:photo|image|picture|video)s?(?: credit)?\s*:.{0,120}",
    r"(?:have a (?:news )?tip\?|got a tip\?).{0,200}",
    r"(?:email|contact) (?:the (?:author|writer|reporter)|[\w. ]{1,40}) at \S+@\S+.{0,160}",
    r"\S+@\S+\.\w+",
    r"(?:https?://|www\.)\S+",
    r"(?:twitter\.com|facebook\.com|instagram\.com)/\S+",
]
_BOILERPLATE = re.compile(r"^\s*(?:" + "|".join(f"(?:{p})" for p in _BOILERPLATE_LINES) + r")\s*$", re.I)
# a line that only leads into a list of links, and the short link lines under it
_LIST_LEAD = re.compile(
    r"^\s*(?:related|read more|more|see also|also read|recommended|you may also like|you might also like|"
    r"more stories|more on this|more from [\w .]+|popular on [\w .]+|don't miss|don’t miss|"
    r"related (?:posts?|articles?|stories|coverage|content|links))\b.{0,120}$",
    re.I,
)
_TWEET_LABEL = re.compile(r"\s*click to tweet\s*$", re.I)
_BULLET = re.compile(r"^\s*(?:[-–—•*·]|\d+[.)])\s+")


def _words(s: str) -> list[str]:
    return re.findall(r"\w+", s.lower())


def _same_words(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    return bool(wa) and wa == wb


def _title_like(line: str, titles: list[str]) -> bool:
    """The headline (or the headline with the site name around it) repeated as a line."""
    lw = _words(line)
    if not lw or len(lw) > 40:
        return False
    for t in titles:
        tw = _words(t)
        if not tw:
            continue
        if lw == tw:
            return True
        # "Headline | Site" or "Site - Headline" against a bare headline, either way round
        short, long_ = (lw, tw) if len(lw) <= len(tw) else (tw, lw)
        if len(short) >= 4 and len(short) >= 0.6 * len(long_):
            n = len(short)
            if long_[:n] == short or long_[-n:] == short:
                return True
    return False


def clean_text(text: str, titles: list[str] | None = None) -> str:
    """The main text without the boilerplate lines trafilatura leaves in it."""
    titles = [t for t in (titles or []) if t]
    lines = [ln.rstrip() for ln in text.split("\n")]
    out: list[str] = []
    seen: set[str] = set()
    in_list = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or not re.search(r"\w", stripped):
            in_list = in_list and not stripped
            continue
        if in_list:
            if _BULLET.match(stripped) and len(_words(stripped)) <= 40:
                continue
            in_list = False
        if _LIST_LEAD.match(stripped) and len(_words(stripped)) <= 25:
            nxt = next((ln.strip() for ln in lines[i + 1:] if ln.strip()), "")
            if stripped.endswith(":") or _BULLET.match(nxt):
                in_list = True
                continue
        stripped = _TWEET_LABEL.sub("", stripped)
        if len(stripped) <= 300 and _BOILERPLATE.match(stripped):
            continue
        if len(out) < 3 and _title_like(stripped, titles):
            continue
        key = " ".join(_words(stripped))
        if len(key) >= 40:
            if key in seen:  # a paragraph repeated verbatim (a hidden copy, a pull quote)
                continue
            seen.add(key)
        out.append(stripped)
    return "\n".join(out)
