# watchfloor — `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
WF     := $(VENV)/bin/watchfloor
STAMP  := $(VENV)/.installed-stamp
DEMO   := demo/out

.DEFAULT_GOAL := help
.PHONY: help demo test lint fmt bench docs lock clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-6s %s\n", $$1, $$2}'

demo: $(STAMP)  ## set up, ingest the demo corpus and show what watchfloor found
	@mkdir -p $(DEMO)
	$(WF) ingest demo/corpus --db $(DEMO)/demo.db --exclude README.md || test $$? -eq 1
	$(WF) events --db $(DEMO)/demo.db --since 2020-03-01 --until 2020-03-31
	$(WF) tempo --db $(DEMO)/demo.db --freq M --chart $(DEMO)/tempo.png
	$(WF) export --format bundle --db $(DEMO)/demo.db --out $(DEMO)/bundle.json
	@echo
	@echo "Database: $(DEMO)/demo.db   chart: $(DEMO)/tempo.png   bundle: $(DEMO)/bundle.json"
	@echo "Next: .venv/bin/watchfloor events --db $(DEMO)/demo.db --explain ID"

test: $(STAMP)  ## set up and run the whole test-suite
	$(PY) -m pytest

lint: $(STAMP)  ## ruff (check and format --check) and mypy --strict on src/
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

fmt: $(STAMP)  ## format the code with ruff
	$(VENV)/bin/ruff check --fix src tests bench
	$(VENV)/bin/ruff format src tests bench

bench: $(STAMP)  ## run the benchmarks (they print figures; nothing is asserted)
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

docs: $(STAMP)  ## regenerate docs/cli.md from the commands' --help
	$(PY) -m watchfloor.cli.docs > docs/cli.md

lock:  ## pin every installed package, with its file's hash, into requirements.lock
	$(PY) scripts/lock.py > requirements.lock

clean:  ## remove the virtual environment and demo output
	rm -rf $(VENV) $(DEMO)
