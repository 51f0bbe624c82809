# Every target creates .venv when it is missing, so `make serve` and
# `make test` are all a fresh checkout needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
N      ?=

.PHONY: serve build test bench clean install docs screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m tests.bench $(if $(N),--n $(N),)

clean:
	rm -rf $(VENV) site .pytest_cache

# The CLI reference, generated from the Click commands (checked in; the tests
# fail when it falls behind them).
docs: $(STAMP)
	$(BIN)/python -m kith.clidoc > docs/reference/cli.md.tmp
	mv docs/reference/cli.md.tmp docs/reference/cli.md

# docs/guide/screenshots/*.png from a real build of the example network
# (KITH_TODAY=2026-11-22), taken with the system Chromium.
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py
