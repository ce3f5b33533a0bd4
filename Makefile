# Dojang: `make run` starts it with demo data, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run stack test lint typecheck unit bench clean services-up services-down

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/dojang serve --demo

# Every service in its own process behind nginx, with demo data (scripts/stack down stops it).
stack: $(STAMP)
	scripts/stack up --port 8080 --data-dir .stack
	scripts/stack dojang --data-dir .stack demo

# The suite talks to real servers (scripts/services): started once, left up for reruns.
test: $(STAMP) lint typecheck services-up
	eval "$$(scripts/services env)" && $(BIN)/python -m pytest

services-up:
	scripts/services up

services-down:
	scripts/services down

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/approval_load.py

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
