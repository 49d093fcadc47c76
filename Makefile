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

demo: $(STAMP)  ## set up, ingest the demo corpus, write the SITREP (HTML, Markdown, PDF)
	@mkdir -p $(DEMO)
	$(WF) ingest demo/corpus --db $(DEMO)/demo.db --exclude README.md --exclude GOLD.yaml || test $$? -eq 1
	$(WF) report --db $(DEMO)/demo.db --since 2019-10-01 --until 2021-11-30 \
		--title "Iran-aligned militias in Iraq, October 2019 - November 2021" \
		--out $(DEMO)/sitrep.html --out $(DEMO)/sitrep.md --out $(DEMO)/sitrep.pdf
	$(WF) export --format bundle --db $(DEMO)/demo.db --out $(DEMO)/bundle.json
	@echo
	@echo "Open the SITREP:     $(DEMO)/sitrep.html  (also sitrep.md and sitrep.pdf)"
	@echo "Open the dashboard:  $(WF) serve --db $(DEMO)/demo.db   then http://127.0.0.1:8000"
	@echo "Explain an event:    $(WF) events --db $(DEMO)/demo.db --explain ID"

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
