"""chronicle: news in, sourced record out.

Read articles (``chronicle.ingest``), extract their facts with the span each came from
(``chronicle.extract``), store them (``chronicle.store``) and read them back.
"""

from __future__ import annotations

import logging

from chronicle.errors import ChronicleError, InputError, StoreError
from chronicle.record import (
    Article,
    Entity,
    Event,
    Mention,
    Party,
    Place,
    Quantity,
    Record,
    Statement,
    Time,
)

__all__ = [
    "Article",
    "ChronicleError",
    "Entity",
    "Event",
    "InputError",
    "Mention",
    "Party",
    "Place",
    "Quantity",
    "Record",
    "Statement",
    "StoreError",
    "Time",
    "__version__",
]

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
