# Targets describe themselves: `make help`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core (MPL-2.0, from the npm registry) for the browser tests' accessibility checks.
AXE_VERSION := 4.14.1
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

.DEFAULT_GOAL := help
.PHONY: help run test system-deps bench-deps check lint typecheck pytest schemas refresh-data bench bench-catalog bench-compare bench-web bench-evidence bench-benchmarks bench-views clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP) ## Install, then compare GPT-4o Audio with Mistral Small 3.1 on the embedded catalog
	$(BIN)/versus compare gpt-4o-audio mistral-small-3.1

test: system-deps $(STAMP) $(AXE) lint typecheck pytest ## Install everything the tests need, lint, type-check, run the whole suite

system-deps: ## Debian packages the tests need: chromium (browser tests), npm (axe-core), postgresql (PostgreSQL pass)
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	  command -v npm >/dev/null || missing="$$missing npm"; \
	  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  [ -z "$$missing" ] || { $(APT) update -qq && $(APT) install -y -qq $$missing; }

$(AXE): $(STAMP)
	npm install --no-save --no-audit --no-fund --prefix $(VENV)/axe axe-core@$(AXE_VERSION)
	touch $(AXE)

bench-deps: ## Debian packages the benchmarks compare against: hugo, wrk, nginx-light
	@for tool in hugo wrk nginx; do command -v $$tool >/dev/null || missing=1; done; \
	  [ -z "$$missing" ] || { $(APT) update -qq && $(APT) install -y -qq hugo wrk nginx-light; }

check: lint typecheck ## Lint and type-check only

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP) ## mypy (strict) on src/ and benchmarks/
	$(BIN)/mypy

pytest: $(STAMP) ## The whole suite twice: on SQLite files, then on a throwaway PostgreSQL cluster
	$(BIN)/pytest
	VERSUS_TEST_DATABASE=postgresql $(BIN)/pytest

schemas: $(STAMP) ## Regenerate the committed JSON Schemas (docs/schema/, data/schema/)
	$(BIN)/versus schema compare > docs/schema/compare.schema.json
	$(BIN)/versus schema suite > docs/schema/suite.schema.json
	for name in providers aliases tags creator; do $(BIN)/versus schema $$name > data/schema/$$name.schema.json; done

refresh-data: $(STAMP) ## Refresh the embedded LiteLLM price map from LITELLM=<url-or-file> (default: upstream main)
	$(BIN)/python scripts/refresh_data.py $(if $(LITELLM),--litellm "$(LITELLM)") \
	  $(if $(LITELLM_VERSION),--version "$(LITELLM_VERSION)") $(if $(LITELLM_DATE),--date "$(LITELLM_DATE)")

bench: bench-catalog bench-compare bench-web bench-evidence bench-sync bench-soak bench-benchmarks bench-postgres bench-views ## Every benchmark (results go in the README)

bench-catalog: $(STAMP) ## Catalog build and `versus show` speed beside genai-prices calc
	$(BIN)/python benchmarks/bench_catalog.py

bench-compare: $(STAMP) ## `versus compare` speed beside genai-prices calc; comparisons per second
	$(BIN)/python benchmarks/bench_compare.py

bench-web: $(STAMP) bench-deps ## Site build vs Hugo, compare page req/s vs nginx (wrk), cold render
	$(BIN)/python benchmarks/bench_web.py

bench-evidence: $(STAMP) ## `versus run` overhead vs a bare httpx loop, 2,000 requests at concurrency 64
	$(BIN)/python benchmarks/bench_evidence.py

bench-sync: $(STAMP) ## `versus sync` of every source from a local server: full, unchanged (304); `versus history`
	$(BIN)/python benchmarks/bench_sync.py

bench-soak: $(STAMP) bench-deps ## `versus serve` under wrk for 60 s while the catalog is rebuilt every 5 s
	$(BIN)/python benchmarks/bench_soak.py

bench-benchmarks: $(STAMP) ## `versus benchmarks`, `versus pick` and `versus leaderboard` speed beside `versus show`
	$(BIN)/python benchmarks/bench_benchmarks.py

bench-views: $(STAMP) ## Chart rendering, price history's cost in a comparison, the changes feed
	$(BIN)/python benchmarks/bench_views.py

bench-postgres: $(STAMP) system-deps ## PostgreSQL beside SQLite: rebuild time, compare pages over HTTP (p50)
	$(BIN)/python benchmarks/bench_postgres.py

clean: ## Remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis test-artifacts
