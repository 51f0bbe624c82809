# Every target creates .venv when it is missing, so `make serve` and
# `make test` are all a fresh checkout needs. Serving installs only what the
# site needs; the test tools (Playwright, Hypothesis...) come with `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
N      ?=

# Material for MkDocs prints a notice about MkDocs 2 on every build unless told not to.
export NO_MKDOCS_2_WARNING := 1

# The venv's own pip installs an editable project (PEP 660); upgrading it
# first only costs time. Build-backend warnings (setuptools' notices about
# editable installs) are no news to someone starting a site: kept quiet.
PIP := PYTHONWARNINGS=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/python -m pip install --quiet

.PHONY: serve build test bench clean install docs screenshots new weekly

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	touch $(STAMP)

$(TESTSTAMP): $(STAMP) pyproject.toml
	$(PIP) -e '.[test]'
	touch $(TESTSTAMP)

install: $(TESTSTAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

test: $(TESTSTAMP)
	$(BIN)/python -m pytest

bench: $(TESTSTAMP)
	$(BIN)/python -m tests.bench $(if $(N),--n $(N),)

# An empty network of your own: `make new DIR=~/my-network` (see the README).
new: $(STAMP)
	@test -n "$(DIR)" || { echo "usage: make new DIR=path/to/your-network" >&2; exit 2; }
	$(BIN)/kith init "$(DIR)"

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
docs: $(TESTSTAMP)
	$(BIN)/python -m kith.clidoc > docs/reference/cli.md.tmp
	mv docs/reference/cli.md.tmp docs/reference/cli.md

# docs/guide/screenshots/*.png from a real build of the example network
# (KITH_TODAY=2026-11-22), taken with the system Chromium.
screenshots: $(TESTSTAMP)
	$(BIN)/python scripts/screenshots.py
