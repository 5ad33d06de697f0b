"""Imports the modules that add commands to the `chronicle` group (one line each)."""
