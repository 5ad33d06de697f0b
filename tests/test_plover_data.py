"""The PLOVER data files: complete, consistent, and checked loudly when they load."""

from __future__ import annotations

import pytest

from chronicle.errors import ConfigError
from chronicle.lexicon import plover as plover_mod
from chronicle.lexicon.plover import FRAMES, TYPES, Plover, _cond, plover


def test_plover_data_types_modes_and_triggers() -> None:
    pl = plover()
    assert set(pl.types) == set(TYPES)
    for t, row in pl.types.items():
        assert row["definition"] and row["quad"] in (
            "verbal-cooperation", "material-cooperation", "verbal-conflict", "material-conflict"), t
    assert {t for t, r in pl.types.items() if r["recipient"] == "yes"} == {"COOPERATE", "AID", "SANCTION"}
    rules = [r for rs in pl.triggers.values() for r in rs]
    assert len(rules) > 400
    covered = {r.type for r in rules}
    assert set(TYPES) <= covered and covered >= FRAMES
    for r in rules:
        assert r.mode is None or r.mode in {m for m, _ in pl.modes[r.type]}


def test_plover_data_bad_rows_fail_loudly() -> None:
    classes = plover().classes
    with pytest.raises(ConfigError, match="unknown class"):
        _cond("obj=@no_such_class", classes, "x:1")
    with pytest.raises(ConfigError, match="unknown condition"):
        _cond("colour=red", classes, "x:1")
    assert _cond("obj!=arms|@troops", classes, "x:1").negated


def test_plover_data_unknown_type_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    real = plover_mod._rows_with_lines

    def rows(name: str):  # type: ignore[no-untyped-def]
        out = real(name)
        if name == "plover_triggers.tsv":
            out.append((9999, {"trigger": "frobnicate", "pos": "verb", "type": "FROBNICATE", "mode": "", "when": ""}))
        return out

    monkeypatch.setattr(plover_mod, "_rows_with_lines", rows)
    plover.cache_clear()
    try:
        with pytest.raises(ConfigError, match=r"plover_triggers\.tsv:9999: unknown type .FROBNICATE."):
            plover()
    finally:
        monkeypatch.undo()
        plover.cache_clear()
    assert isinstance(plover(), Plover)
