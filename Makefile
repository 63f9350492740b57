# The two set-up commands of the README:
#   make run    create .venv (or refresh it when requirements change), load the bundled
#               sample data if the store is empty, and start the dashboard
#   make test   lint, then the whole test suite (two processes), as CI runs it
#   make check  the fast tier: lint, then the unit, spec-example, CLI and AppTest tests (no browser,
#               no stress test, a tenth of the property tests' examples)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
# Python keeps compiled modules (__pycache__, ignored by git) even where the environment turns that off
# (PYTHONDONTWRITEBYTECODE): every test process would otherwise compile the package and rewrite the tests'
# asserts again (2.5 of the 5.5 s a process takes to start, measured with pytest --collect-only).
unexport PYTHONDONTWRITEBYTECODE
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
PORT ?= 8501

.PHONY: run test check lint venv dev browser bench sample clean-store help catalogs

help:
	@echo "make run     start the dashboard (sets everything up on first use)"
	@echo "make test    lint, then the whole test suite (browser tests included, two processes)"
	@echo "make check   lint, then the fast tier (no browser, no stress test)"
	@echo "make lint    ruff (and import-linter's contracts when the project has them)"
	@echo "make bench   run the benchmarks and write benchmarks/results.json"
	@echo "make sample  regenerate data/ccm_sample.xlsx and data/templates/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The project installed from this checkout (its runtime pins: requirements.txt, read by pyproject.toml).
$(RUNTIME_STAMP): pyproject.toml requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(RUNTIME_STAMP) $@

venv: $(RUNTIME_STAMP)
dev: $(DEV_STAMP)

# The translation catalogs (.po, committed) compiled into one .mo per language (not committed).
catalogs: $(RUNTIME_STAMP)
	@$(BIN)/python -m ccm_analytics.i18n compile >/dev/null

run: $(RUNTIME_STAMP) catalogs
	$(BIN)/ccm init
	$(BIN)/ccm serve --port $(PORT)

# ruff (configured in pyproject.toml); import-linter when a contract file or section exists.
lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	@if [ -f .importlinter ] || grep -q '^\[tool\.importlinter' pyproject.toml; then $(BIN)/lint-imports; fi

# The whole suite, a test file per process on both cores (as CI runs it).
test: lint catalogs
	$(BIN)/python -m pytest -n 2 --dist loadfile

# The fast tier: unit, spec-example, CLI and AppTest tests; no browser, no stress test (marked `slow`),
# the property tests with the "fast" Hypothesis profile (tests/conftest.py).
check: lint catalogs
	$(BIN)/python -m pytest -m "not browser and not slow" --hypothesis-profile=fast -n 2 --dist loadfile

# Debian's Chromium for the browser tests (never Playwright's own download).
# poppler-utils (pdftotext, pdftoppm) lets the print tests read and look at the printed pages;
# LibreOffice Writer renders the progress report (.docx) to PDF (tests/test_report_render.py).
browser:
	@(test -x /usr/bin/chromium && test -x /usr/bin/pdftoppm && test -x /usr/bin/soffice) || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-crosextra-carlito poppler-utils \
	  libreoffice-writer-nogui)

bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks

sample: $(RUNTIME_STAMP)
	$(BIN)/python scripts/make_sample_data.py
