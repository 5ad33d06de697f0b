"""Imports the modules that add commands to the `chronicle` group (one line each)."""
from chronicle.cli import events, export  # noqa: F401  (chronicle events, chronicle export)
