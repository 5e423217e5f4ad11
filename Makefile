# The study's commands. `make run` builds the whole study; `make test` checks it.
# Both set up .venv from pyproject.toml the first time (Python 3.11, pip and make are all they need).

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
KERNEL  := covid-social-orgs
CORPUS  ?= seeds
BUILD   ?= build
FIGURES ?= figures
ENGINE  ?= local
STAMP   := $(VENV)/.installed

.PHONY: run test lab lint kernel benchmark clean help

help:
	@echo "make run      run the study (all notebooks, papermill) on CORPUS=$(CORPUS) into BUILD=$(BUILD), FIGURES=$(FIGURES)"
	@echo "make test     run the tests (unit, gold-set evaluation, end-to-end papermill build)"
	@echo "make lab      open the notebooks in JupyterLab"
	@echo "make lint     ruff over src/ and tests/"
	@echo "make benchmark  time and measure the stages on 1,000 and 10,000 synthetic documents (about 15 min); writes benchmarks/RESULTS.md and the README's benchmark block"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3 (covid-social-orgs)"
	touch $(STAMP)

kernel: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m helpers.pipeline --corpus $(CORPUS) --build $(BUILD) --figures $(FIGURES) --engine $(ENGINE)

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run_benchmarks.py --results benchmarks/RESULTS.md --readme README.md

clean:
	rm -rf $(BUILD)
