# azgraph developer tasks. `make help` lists them. Every target sets up .venv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.DEFAULT_GOAL := help
.PHONY: help setup demo build check validate test lint fmt docs clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-9s %s\n", $$1, $$2}'

# Two stamps, so each target installs only what it needs: the graph's own commands need just
# Python packages; the tests also need their tools and the Debian packages in
# scripts/system-deps.txt (a JDK for the OWL API, Graphviz, Chromium for the site tests, Apache httpd for the content-negotiation test).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) scripts/system-deps.txt
	bash scripts/install-system-deps.sh
	$(BIN)/python -m pip install --quiet -e '.[test]'
	npm ci --prefix tests/axe --silent --no-audit --no-fund  # axe-core for the accessibility test
	touch $(TEST_STAMP)

setup: $(TEST_STAMP) ## Create .venv and install azgraph with its test tools

demo: $(STAMP) ## Build the graph, validate it, and answer a sample question
	$(BIN)/azgraph build
	$(BIN)/azgraph validate
	$(BIN)/azgraph query run pipelines

build: $(STAMP) ## Compile curated/*.yaml into data/*.ttl
	$(BIN)/azgraph build

check: $(STAMP) ## Fail if data/ is stale or the graph does not validate
	$(BIN)/azgraph build --check
	$(BIN)/azgraph validate

validate: $(STAMP) ## Validate the graph against shapes/ and the check queries
	$(BIN)/azgraph validate

test: $(TEST_STAMP) ## Run the whole test suite
	$(BIN)/python -m pytest

lint: $(TEST_STAMP) ## Ruff (lint + format check), mypy and the import contract
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: $(TEST_STAMP) ## Format the Python code
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

docs: $(TEST_STAMP) ## Regenerate docs/reliability.md and docs/architecture.svg from the code
	$(BIN)/python scripts/reliability_table.py
	$(BIN)/python scripts/architecture_graph.py

clean: ## Remove .venv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache dist
