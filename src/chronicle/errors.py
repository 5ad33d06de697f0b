"""chronicle's exceptions: a small tree, each message one line that names the input.

    ChronicleError
    ├── InputError          a source could not be read as an article (names the input)
    │   └── UnsupportedInput   no reader for this kind of input
    ├── StoreError          the database could not be opened or written
    └── ConfigError         a bad option or setting

The CLI prints ``str(error)`` on one line and never a traceback; the API turns these into its
one JSON error shape.
"""

from __future__ import annotations

__all__ = ["ChronicleError", "ConfigError", "InputError", "StoreError", "UnsupportedInput"]


class ChronicleError(Exception):
    """Base of every error chronicle raises on purpose."""


class InputError(ChronicleError):
    """An input could not be read as an article. ``origin`` names the input."""

    def __init__(self, origin: str, reason: str, stage: str = "ingest") -> None:
        self.origin = origin
        self.reason = reason
        self.stage = stage
        super().__init__(f"{origin}: {reason}")


class UnsupportedInput(InputError):
    """No reader knows this kind of input."""


class StoreError(ChronicleError):
    """The database could not be opened, read or written."""


class ConfigError(ChronicleError):
    """A bad option or setting."""
