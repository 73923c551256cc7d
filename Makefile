# Two entry points, both idempotent and self-installing (see README):
#   make contract   the main job: contract-test the spec against the embedded sandbox
#   make test       everything CI checks: lint, types, specs (portability), generation drift, tests
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: setup contract test lint typecheck spec portability drift docs-check pytest clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed

contract: $(VENV)/.installed
	$(BIN)/finchat contract

test: setup lint typecheck portability drift docs-check pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

# Every spec of openapi/ through other tools than our generator: openapi-spec-validator, Redocly and
# Spectral (0 errors), datamodel-code-generator and openapi-typescript (they generate, and no schema
# becomes `Record<string, never>`). Outputs go to a temporary directory.
portability: setup
	$(PY) scripts/portability

spec: portability

# Every package of generated/ against its spec.
drift:
	scripts/generate --check
ifeq ($(CI),true)
	# In a fresh clone the tree is clean, so regenerating in place must leave git with nothing to say.
	scripts/generate
	@test -z "$$(git status --porcelain -- generated/)" || { git status --porcelain -- generated/; echo "generated/ drifted"; exit 1; }
endif

# The upstream document lives outside the repo; check it whenever it is there.
docs-check:
	@if [ -f ../shared/docs/finchat-server-api.md ]; then \
	  $(BIN)/finchat docs-check ../shared/docs/finchat-server-api.md; \
	else echo "docs-check: ../shared/docs not present, skipped"; fi

pytest:
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
