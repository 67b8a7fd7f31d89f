# azgraph developer tasks. `make help` lists them. Every target sets up .venv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup demo build check validate test lint fmt clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml scripts/system-deps.txt
	bash scripts/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP) ## Create .venv and install azgraph with its test tools

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

test: $(STAMP) ## Run the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP) ## Ruff (lint + format check) and mypy
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

fmt: $(STAMP) ## Format the Python code
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean: ## Remove .venv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache dist
