# Dojang: `make run` starts it with demo data, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

NPM_CI := npm ci --prefer-offline --no-audit --no-fund
# npm's cache stays in the home directory, shared by every checkout
export npm_config_cache := $(HOME)/.npm

.PHONY: run stack test tools-in-background lint typecheck unit bench bench-stack clean services-up services-down web-build web-check

# Exactly the pinned, hash-checked dependencies of requirements-dev.lock (scripts/lock writes
# it from pyproject.toml), then Dojang itself, editable, with nothing more.
$(STAMP): pyproject.toml requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP) web-build
	$(BIN)/dojang serve --demo

# The web app in web/dist, which `dojang serve` serves; skipped (and said) without it or npm.
web-build:
	@if [ ! -f web/package.json ]; then \
		echo "web/package.json is absent: no web app to build, / shows the landing page"; \
	elif ! command -v npm >/dev/null; then \
		echo "npm is not installed: the web app is not built, / shows the last build or the landing page"; \
	else \
		cd web && $(NPM_CI) && npm run build; \
	fi

# The web app's own checks; with web/package.json present they need npm, and fail without it.
web-check:
	@if [ ! -f web/package.json ]; then \
		echo "web/package.json is absent: no web checks to run"; \
	else \
		cd web && $(NPM_CI) && npm run check:api && npm test && npm run build \
			&& npm run check:size; \
	fi

# Every service in its own process behind nginx, with demo data (scripts/stack down stops it).
stack: $(STAMP)
	scripts/stack up --port 8080 --data-dir .stack
	scripts/stack dojang --data-dir .stack demo

# The suite talks to real servers (scripts/services): started once, left up for reruns.
# The deployment checks' tools (helm, checkov) install in the background meanwhile, once per
# version into ~/.cache/dojang/tools; the tests that use them wait for them.
test: $(STAMP) tools-in-background lint typecheck web-check services-up
	eval "$$(scripts/services env)" && $(BIN)/python -m pytest

tools-in-background:
	@mkdir -p .tools && (scripts/tools all > .tools/install.log 2>&1 &)

services-up:
	scripts/services up

services-down:
	scripts/services down

lint: $(STAMP)
	scripts/scan-secrets
	$(BIN)/ruff check src tests bench deploy
	$(BIN)/ruff format --check src tests bench deploy

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/approval_load.py

# the distributed stack on the servers of `scripts/services`, beside the embedded mode
bench-stack: $(STAMP)
	$(BIN)/python bench/distributed_load.py --embedded

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
