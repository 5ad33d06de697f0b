"""Imports the modules that add commands to the `chronicle` group (one line each)."""
from chronicle.cli import (
    events,  # noqa: F401  (chronicle events)
    export,  # noqa: F401  (chronicle export)
    link,  # noqa: F401  (chronicle link, entities, disputes, timeline)
    places,  # noqa: F401  (chronicle places)
    serve,  # noqa: F401  (chronicle serve)
    statements,  # noqa: F401  (chronicle statements)
    validate,  # noqa: F401  (chronicle validate RECORDS)
    watch,  # noqa: F401  (chronicle watch FEED... --every 15m)
)
