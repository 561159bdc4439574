# Targets describe themselves: `make help`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test check lint typecheck pytest schemas bench bench-catalog bench-compare clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP) ## Install, then show Mistral Small 3.1 from the embedded catalog
	$(BIN)/versus show mistral-small-3.1

test: $(STAMP) lint typecheck pytest ## Install everything the tests need, lint, type-check, run the whole suite

check: lint typecheck ## Lint and type-check only

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP) ## mypy (strict) on src/
	$(BIN)/mypy

pytest: $(STAMP) ## The test suite
	$(BIN)/pytest

schemas: $(STAMP) ## Regenerate the committed JSON Schemas (docs/schema/)
	$(BIN)/versus schema compare > docs/schema/compare.schema.json

bench: bench-catalog bench-compare ## Every benchmark (results go in the README)

bench-catalog: $(STAMP) ## Catalog build and `versus show` speed beside genai-prices calc
	$(BIN)/python benchmarks/bench_catalog.py

bench-compare: $(STAMP) ## `versus compare` speed beside genai-prices calc; comparisons per second
	$(BIN)/python benchmarks/bench_compare.py

clean: ## Remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
