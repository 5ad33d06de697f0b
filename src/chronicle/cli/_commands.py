"""Imports the modules that add commands to the `chronicle` group (one line each)."""
from chronicle.cli import serve  # noqa: F401  chronicle serve
