# The two set-up commands: `make demo` and `make test`; both create .venv and install on their own.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The suite runs in this many pytest-xdist workers (each on a database of its own): one more than the cores, as the
# tests that wait on other processes (the topology, the wheel, Chromium, Redis's windows) leave a core idle otherwise
# (on 2 cores the SQLite suite took 283 s with 2 workers, 244 s with 3 and 262 s with 4). A module marked
# `xdist_group` (the wheel's) runs on one worker, so its module fixture is built once.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))

.PHONY: demo test lint format install clean locales-extract locales-update locales-compile

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP) locales-compile
	$(BIN)/ipoteka db upgrade
	$(BIN)/ipoteka demo-data
	@# Without a token the chat is offline; the backend (and its staff console) is served beside it meanwhile.
	@if [ -n "$$BOT_TOKEN" ]; then $(BIN)/ipoteka run; else \
		$(BIN)/ipoteka api >demo-api.log 2>&1 & api=$$!; trap 'kill $$api' EXIT; \
		echo "The staff console is served at the address above while the chat runs (log: demo-api.log)."; \
		$(BIN)/ipoteka shell --borrower 1; fi

# Bytecode is written even where the environment says not to (PYTHONDONTWRITEBYTECODE): every worker and every process
# a test starts would otherwise compile the project and pytest rewrite every test module anew (26 s of collection
# a worker instead of 17).
test: $(STAMP) locales-compile
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Translations: extract the messages from the code, merge them into ru and en, compile the .mo files.
locales-extract: $(STAMP)
	$(BIN)/pybabel -q extract -F locales/babel.cfg -k ngettext:1,2 --no-location --sort-output \
		--no-wrap --project=ipoteka-assistant -o locales/messages.pot .

locales-update: locales-extract
	$(BIN)/pybabel -q update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete --no-wrap

# A catalog is compiled when its .po changed, so two `make test` running at once (.ci/run) never write a .mo together.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locales/*/LC_MESSAGES/messages.po))

locales-compile: $(MO_FILES)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

clean:
	rm -rf $(VENV) ipoteka.db .pytest_cache .hypothesis
