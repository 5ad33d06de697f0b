"""The record's JSON Schema, and a validator for records read from anywhere."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["record_schema", "validate_record"]


@cache
def record_schema() -> dict[str, Any]:
    """The JSON Schema of one record (``record.schema.json``)."""
    return json.loads((resources.files("chronicle.schema") / "record.schema.json").read_text(encoding="utf-8"))


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(record_schema())


def validate_record(obj: dict[str, Any]) -> list[str]:
    """Every way ``obj`` breaks the schema, one line each (``[]`` when it is a valid record)."""
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(record)'}: {e.message}"
            for e in sorted(_validator().iter_errors(obj), key=lambda e: list(map(str, e.absolute_path)))]
