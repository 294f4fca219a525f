# wordofmouth: two commands for a newcomer.
#   make demo   install, migrate, load the demo store (SQLite) and serve it
#   make test   install and run the whole test suite (SQLite; PostgreSQL with WOM_TEST_DATABASE_URL)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo demo-reset test lint messages bench-checkout bench-checkout-sqlite bench-club bench-codes bench-reports bench-analysis bench-mailing bench-clicks bench-history crash soak fuzz install clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/wom serve --demo

# Start the demo store over: a new SQLite database, the venv kept.
demo-reset: $(STAMP)
	rm -f wordofmouth.db wordofmouth.db-wal wordofmouth.db-shm outbox.log
	$(BIN)/wom serve --demo

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench reliability
	$(BIN)/mypy
	$(BIN)/wom messages check

# After changing a text a person reads: merge the new messages into the catalogs
# (src/wordofmouth/locale/*/LC_MESSAGES/messages.po), then translate them there.
messages: $(STAMP)
	$(BIN)/wom messages update

bench-checkout: $(STAMP)
	$(BIN)/python -m bench.checkout

bench-checkout-sqlite: $(STAMP)
	$(BIN)/python -m bench.checkout --sqlite

bench-club: $(STAMP)
	$(BIN)/python -m bench.club

bench-codes: $(STAMP)
	$(BIN)/python -m bench.codes

bench-history: $(STAMP)
	$(BIN)/python -m bench.history

bench-reports: $(STAMP)
	$(BIN)/python -m bench.reports

clean:
	rm -rf $(VENV) wordofmouth.db wordofmouth.db-wal wordofmouth.db-shm

bench-analysis: $(STAMP)
	$(BIN)/python -m bench.analysis

bench-mailing: $(STAMP)
	$(BIN)/python -m bench.mailing

bench-clicks: $(STAMP)
	$(BIN)/python -m bench.clicks

crash: $(STAMP)
	$(BIN)/python -m reliability.crash
	$(BIN)/python -m reliability.crash --sqlite
	$(BIN)/python -m reliability.crash --balanced

soak: $(STAMP)
	$(BIN)/python -m reliability.soak

fuzz: $(STAMP)
	$(BIN)/python -m reliability.fuzz
