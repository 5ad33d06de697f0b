"""Across articles: one entity, one event, many sources, and who disputes whom.

``link(store)`` reads the stored records it has not linked yet and adds, beside them, canonical
entities (``entities.py``), stories and story events (``stories.py``, ``events.py``) and
disputes (``disputes.py``); ``query.py`` reads them back. It is incremental (new articles join
what exists; nothing linked is computed again) and re-runnable (``rebuild=True`` starts over).
"""

from chronicle.link.linker import LINK_TABLES, LinkSummary, link

__all__ = ["LINK_TABLES", "LinkSummary", "link"]
