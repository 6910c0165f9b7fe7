# netmap — developer entry points. `make demo` and `make test` set everything up themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast venv browser cypher-lint-deps lint-cypher neo4j-start neo4j-stop bench lint clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

demo: venv
	$(BIN)/netmap demo

# Headless Chromium for the HTML-view tests (Debian packages; needs root or sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; }
	@chromium --version

cypher-lint-deps:
	@cd tools/cypher-lint && { [ -d node_modules ] || npm ci --silent --no-audit --no-fund; }

# Lint every .cypher file and every query string embedded in the Python package.
lint-cypher: venv cypher-lint-deps
	$(BIN)/python -m netmap.store.cypher_queries > .cypher-queries.json
	tools/cypher-lint/lint cypher/schema.cypher cypher/queries/*.cypher --queries .cypher-queries.json

neo4j-start:
	@tools/neo4j/start

neo4j-stop:
	@tools/neo4j/stop

# The whole suite: browser, Cypher linter, a real Neo4j on 127.0.0.1 (stopped afterwards).
test: venv browser cypher-lint-deps
	@bash tools/run-tests.sh

test-fast: venv
	$(BIN)/pytest -q -m "not slow and not neo4j and not browser"

bench: venv
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/analysis.py
	$(BIN)/python benchmarks/neo4j_push.py
	$(BIN)/python benchmarks/views.py

lint: venv
	$(BIN)/python -m pip install -q ruff
	$(BIN)/ruff check netmap tests benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache exports/*.html
