"""The quality gate's own logic: floors, comparison, the table. Made-up figures, no gold data."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

GATE_PATH = Path(__file__).resolve().parents[1] / "eval" / "gate.py"


def _load_gate():
    spec = importlib.util.spec_from_file_location("chronicle_eval_gate", GATE_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


gate = _load_gate()


def result(name, pending=None, problems=(), **measures):
    res = gate.SetResult(name, pending=pending, problems=list(problems))
    for m, f1 in measures.items():
        res.measures[m.replace("_", ".")] = (f1, f1, f1)
    return res


@pytest.mark.parametrize(
    ("measured", "floor", "status"),
    [
        (0.500, 0.500, "ok"),
        (0.499, 0.500, "ok"),  # inside the epsilon: float noise
        (0.4975, 0.500, "BELOW"),
        (0.300, 0.500, "BELOW"),
        (0.510, 0.500, "ok (+0.010)"),
    ],
)
def test_gate_compare_floor(measured, floor, status):
    rows = gate.compare([result("timeml", times=measured)], {"timeml": {"times": floor}}, epsilon=0.002)
    assert [r.status for r in rows] == [status]
    assert bool(gate.failed(rows)) == (status == "BELOW")


@pytest.mark.parametrize("floors", [{}, {"timeml": {}}])
def test_gate_compare_missing_floor_fails(floors):
    rows = gate.compare([result("timeml", times=0.9)], floors)
    assert rows[0].status == "FAIL (no floor)"
    assert gate.failed(rows) == rows


def test_gate_compare_unscored_measure_fails():
    floors = {"plover": {"events.type": 0.4, "events.full": 0.1}}
    rows = gate.compare([result("plover", events_type=0.5)], floors)
    assert [(r.measure, r.status) for r in rows] == [("events.type", "ok (+0.100)"),
                                                     ("events.full", "FAIL (not scored)")]


def test_gate_compare_run_problem_fails_every_measure():
    res = result("plover", problems=["2 article(s) failed"], events_type=0.5, events_full=0.5)
    rows = gate.compare([res], {"plover": {"events.type": 0.0, "events.full": 0.0}})
    assert [r.status for r in rows] == ["FAIL (run)", "FAIL (run)"]


def test_gate_compare_pending_set_is_listed_not_failed():
    rows = gate.compare([result("fnc1", pending="link step")], {"fnc1": {"disputes": 0.0}})
    assert [(r.measure, r.status, r.floor) for r in rows] == [("disputes", "not yet (link step)", 0.0)]
    assert gate.failed(rows) == []


def test_gate_compare_references_are_not_gated():
    res = result("ingest", text=0.96)
    res.references["trafilatura defaults"] = (0.9, 0.9, 0.1)
    rows = gate.compare([res], {"ingest": {"text": 0.95}})
    assert [(r.measure, r.gated) for r in rows] == [("text", True), ("trafilatura defaults", False)]
    assert gate.failed(rows) == []


@pytest.mark.parametrize(
    ("old", "measured", "allow", "new"),
    [
        (0.400, 0.4567, False, 0.456),  # raised, rounded down
        (0.400, 0.3000, False, 0.400),  # never lowered
        (0.400, 0.3000, True, 0.300),  # unless allowed
        (None, 0.1239, False, 0.123),  # a new measure is pinned
        (0.456, 0.4569, False, 0.456),  # rounding down never lowers an equal floor
    ],
)
def test_gate_updated_floors_only_upward(old, measured, allow, new):
    floors = {"timeml": {"times": old}} if old is not None else {}
    updated, changes = gate.updated_floors(floors, [result("timeml", times=measured)], allow_regression=allow)
    assert updated["timeml"]["times"] == new
    assert bool(changes) == (old != new)
    assert floors == ({"timeml": {"times": old}} if old is not None else {})  # input untouched


def test_gate_updated_floors_pins_pending_and_failed_sets_at_zero():
    res = [result("fnc1", pending="link step"), result("timeml", problems=["boom"], times=0.9)]
    updated, _ = gate.updated_floors({"timeml": {"times": 0.5}}, res)
    assert updated == {"fnc1": {"disputes": 0.0}, "timeml": {"times": 0.5}}


def test_gate_floor3_rounds_down():
    assert gate.floor3(0.9999) == 0.999
    assert gate.floor3(0.5) == 0.5
    assert gate.floor3(0.0) == 0.0


def test_gate_render_table():
    rows = [gate.Row("articles", "entities", 1.0, 0.021, 0.042, 0.042, "ok"),
            gate.Row("ingest", "trafilatura defaults", 0.931, 0.975, 0.953, None, "reference", gated=False),
            gate.Row("fnc1", "disputes", floor=0.0, status="not yet (link step)")]
    lines = gate.render_table(rows).splitlines()
    head = [c.strip() for c in lines[0].split("|")[1:-1]]
    assert head == ["set", "measure", "P", "R", "F1", "floor", "status"]
    assert len(lines) == 5
    assert len({len(line) for line in lines}) == 1  # columns line up
    cells = [c.strip() for c in lines[2].split("|")[1:-1]]
    assert cells == ["articles", "entities", "1.000", "0.021", "0.042", "0.042", "ok"]
    cells = [c.strip() for c in lines[3].split("|")[1:-1]]
    assert cells[5] == "-"
    cells = [c.strip() for c in lines[4].split("|")[1:-1]]
    assert cells[2:5] == ["", "", ""] and cells[6] == "not yet (link step)"
    assert set(lines[1]) <= set("|-:")


def test_gate_parse_scorer_output():
    out = 'x:\n  no record\n{"measures": {"times": {"p": 0.5, "r": 0.25, "f1": 0.333}}, "macro_f1": 0.333}\n'
    assert gate.parse_score_json(out) == {"times": (0.5, 0.25, 0.333)}
    assert gate.parse_ingest("pages 121  missing 0  P 0.931  R 0.975  F1 0.953\n") == (0.931, 0.975, 0.953)
    with pytest.raises(RuntimeError):
        gate.parse_ingest("nothing here")


def test_gate_floors_file_pins_every_measure_of_every_set():
    floors = json.loads((GATE_PATH.parent / "floors.json").read_text(encoding="utf-8"))
    for name, spec in gate.SETS.items():
        assert set(floors.get(name, {})) == set(spec.measures), name
        if spec.pending:
            assert set(floors[name].values()) == {0.0}


def test_gate_floors_roundtrip(tmp_path):
    path = tmp_path / "floors.json"
    gate.save_floors({"zzz": {"b": 0.1}, "timeml": {"times": 0.5}}, path)
    assert list(gate.load_floors(path)) == ["timeml", "zzz"]  # the sets' order, unknown ones last
    assert gate.load_floors(tmp_path / "none.json") == {}


def test_gate_shards_split_by_text_size():
    class A:
        def __init__(self, n):
            self.text = "x" * n

    arts = [A(60), A(60), A(60), A(200), A(10)]
    shards = gate.shards_of(arts, size=130)
    assert [[len(a.text) for a in s] for s in shards] == [[60, 60], [60], [200], [10]]
    assert gate.shards_of([], size=10) == []


def test_gate_spans_are_checked_against_text(tmp_path):
    text = "Putin spoke."
    good = {"article": {"id": "a", "text": text}, "entities": [
        {"id": "e1", "name": "Putin", "type": "PERSON", "country": None, "role": None,
         "mentions": [{"text": "Putin", "start": 0, "end": 5}]}],
        "statements": [], "events": [], "quantities": [], "times": [], "places": []}
    bad_span = json.loads(json.dumps(good))
    bad_span["entities"][0]["mentions"][0]["end"] = 4
    invalid = json.loads(json.dumps(good))
    del invalid["places"]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (good, bad_span, invalid)) + "\n", encoding="utf-8")
    n, problems, notes = gate.check_records(path, tmp_path / "invalid.txt")
    assert n == 3
    assert len(problems) == 1 and problems[0].startswith("1 of 3 records do not validate")
    assert len(notes) == 1 and notes[0].startswith("1 span(s)")


def test_gate_parse_link_and_disputes_output():
    figure = {"p": 0.5, "r": 0.4, "f1": 0.444}
    kind = {"b3": figure, "cross_article_pairs": {"p": 0.2, "r": 0.1, "f1": 0.133}}
    link = json.dumps({"event": kind, "entity": kind, "link_f1": 0.444}, indent=1)
    assert gate.parse_link_json(link) == {
        "events.b3": (0.5, 0.4, 0.444), "events.pairs": (0.2, 0.1, 0.133),
        "entities.b3": (0.5, 0.4, 0.444), "entities.pairs": (0.2, 0.1, 0.133)}
    disputes = json.dumps({"precision": 0.3, "recall": 0.6, "f1": 0.4, "claims_covered": 0.9})
    assert gate.parse_disputes_json(disputes) == {"disputes": (0.3, 0.6, 0.4)}


def test_gate_render_times_skips_pending_sets():
    done = gate.SetResult("timeml", articles=100, seconds=20.0)
    text = gate.render_times([done, gate.SetResult("fnc1", pending="link step")])
    assert text.splitlines()[2] == "| timeml | 100 | 20 | 5.0 |"
    assert "fnc1" not in text
