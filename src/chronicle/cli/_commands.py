"""Imports the modules that add commands to the `chronicle` group (one line each)."""
from chronicle.cli import statements  # noqa: F401  (chronicle statements)
