"""chronicle's web UI and JSON API (``chronicle serve``): see ``create_app``.

Needs the ``web`` extra (FastAPI, Jinja2, uvicorn), which ``make setup`` installs.
"""

from __future__ import annotations

from chronicle.web.app import create_app

__all__ = ["create_app"]
