# Two entry points, both idempotent and self-installing (see README):
#   make contract   the main job: contract-test the spec against the embedded sandbox
#   make test       everything CI checks: lint, types, specs (portability), generation drift, tests
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: setup contract test lint typecheck spec portability drift docs-check pytest clean reference

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The API reference the sandbox serves (/_sandbox/reference/): Redoc pages of the specs, built with
# the pinned Node tools into a git-ignored directory; the wheel carries it built (hatch_build.py).
REFERENCE := finchat_wrapper/sandbox/_reference/manifest.json
SPECS := openapi/finchat.yaml openapi/finchat-iam.yaml openapi/sandbox-simulation.yaml
$(REFERENCE): $(SPECS) package-lock.json scripts/reference | $(VENV)/.installed node_modules/.installed
	$(PY) scripts/reference

reference: $(REFERENCE)

setup: $(VENV)/.installed node_modules/.installed $(REFERENCE)

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

# Every package of generated/ against its spec; the API reference against the specs.
drift:
	scripts/generate --check
	$(PY) scripts/reference --check
ifeq ($(CI),true)
	# In a fresh clone the tree is clean, so regenerating in place must leave git with nothing to say.
	scripts/generate
	@test -z "$$(git status --porcelain -- generated/)" || { git status --porcelain -- generated/; echo "generated/ drifted"; exit 1; }
endif

# The upstream documents live outside the repo; check them whenever they are there. The spec
# matches revision 2 (exit 0); revision 1 must differ from it (exit 1: exit 2 would mean it was
# not read), by what tests/docs_check/test_revisions.py lists.
DOCS := ../shared/docs
docs-check:
	@if [ -f $(DOCS)/finchat-server-api-rev2.md ]; then \
	  $(BIN)/finchat docs-check $(DOCS)/finchat-server-api-rev2.md || exit 1; \
	  out="$$($(BIN)/finchat docs-check $(DOCS)/finchat-server-api.md)"; status=$$?; \
	  echo "revision 1 (expected to differ): $${out##*$$'\n'}"; \
	  test "$$status" -eq 1 || { echo "docs-check: revision 1 gave exit status $$status, not 1"; exit 1; }; \
	else echo "docs-check: $(DOCS) not present, skipped"; fi

pytest:
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache finchat_wrapper/sandbox/_reference
