# Every target creates .venv when it is missing, so `make serve` and
# `make test` are all a fresh checkout needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
N      ?=

.PHONY: serve build test bench clean install docs screenshots weekly

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m tests.bench $(if $(N),--n $(N),)

# The weekly routine (docs/guide/index.md): whatever calendar and mail
# exports are in inbox/ become log entries, then the follow-up list.
INBOX ?= inbox
weekly: $(STAMP)
	@test -d $(INBOX) || { echo "make weekly: put your calendar (.ics) and mail (.mbox, or a Maildir) exports in $(INBOX)/ first"; exit 2; }
	$(BIN)/kith import calendar $(INBOX)
	@for box in $(INBOX)/*.mbox $(INBOX)/Maildir; do if [ -e "$$box" ]; then echo "$(BIN)/kith import mail $$box"; $(BIN)/kith import mail "$$box" || exit 1; fi; done
	$(BIN)/kith due

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
