# Two entry points, both idempotent and self-installing (see README):
#   make contract   the main job: contract-test the spec against the embedded sandbox
#   make test       everything CI checks: lint, types, spec, generation drift, tests
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: setup contract test lint typecheck spec drift docs-check pytest clean

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

test: setup lint typecheck spec drift docs-check pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

spec:
	$(BIN)/openapi-spec-validator openapi/finchat.yaml openapi/sandbox-simulation.yaml
	npx --no-install redocly lint --config openapi/redocly.yaml openapi/finchat.yaml
	# The sandbox's inspection endpoints read in-memory logs: they have no 4xx answer to document.
	npx --no-install redocly lint --config openapi/redocly.yaml --skip-rule operation-4xx-response openapi/sandbox-simulation.yaml

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
