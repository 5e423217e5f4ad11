# The study's commands. `make run` builds the whole study; `make test` checks it.
# Both set up .venv from the lock file the first time (Python 3.11, pip and make are all they need).
# pyproject.toml names the study's dependencies; requirements.lock pins every package they bring,
# with hashes; `make lock` regenerates the lock after pyproject.toml changes.

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
KERNEL  := covid-social-orgs
CORPUS  ?= seeds
# BUILD and FIGURES default to build/ and figures/ for the bundled seeds, and to
# runs/<corpus name>/build and runs/<corpus name>/figures for any other CORPUS (or LABELS=en).
BUILD   ?=
FIGURES ?=
GOLD    ?= gold
LABELS  ?= zh
ENGINE  ?= local
LAB_ARGS ?=
COUNT_DUPLICATES ?=
STAMP   := $(VENV)/.installed
LOCK    := requirements.lock

.PHONY: run test lab lint kernel lock benchmark clean help check-python

help:
	@echo "make run      run the study (all notebooks, papermill) on CORPUS=$(CORPUS), scored against GOLD=$(GOLD), labels LABELS=zh|en"
	@echo "make test     run the tests (unit, gold-set evaluation, end-to-end papermill build)"
	@echo "make lab      open the study in JupyterLab (notebooks saved without outputs; LAB_ARGS='--port=8899 ...' passes options)"
	@echo "make lint     ruff over src/ and tests/"
	@echo "make lock     regenerate $(LOCK) from pyproject.toml (LOCK_ARGS='--upgrade-package NAME' to move one package)"
	@echo "make benchmark  the whole study on 1,000 and 10,000 varied documents, 1 and 2 workers, against one jieba pass (about 20 min on a quiet machine); writes benchmarks/RESULTS.md and the README's summary"

# The study needs Python 3.11: a .venv made by another Python, or a PYTHON that is not 3.11,
# stops make with what to do.
PY_VERSION = -c 'import sys; print("%d.%d" % sys.version_info[:2])'
check-python:
	@if [ -x $(BIN)/python ]; then v=$$($(BIN)/python $(PY_VERSION)); if [ "$$v" != 3.11 ]; then \
		echo "$(VENV) was made by Python $$v; the study needs Python 3.11. Remove it (rm -rf $(VENV)) and run make again with a Python 3.11 (make ... PYTHON=python3.11)." >&2; exit 1; fi; fi

# A new environment each time the lock changes, so that it holds exactly the lock's packages.
$(STAMP): $(LOCK) pyproject.toml | check-python
	@v=$$($(PYTHON) $(PY_VERSION) 2>/dev/null); if [ "$$v" != 3.11 ]; then \
		echo "PYTHON=$(PYTHON) is Python $${v:-missing}; the study needs Python 3.11: run make ... PYTHON=python3.11 (or the path of a Python 3.11)." >&2; exit 1; fi
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3 (covid-social-orgs)"
	touch $(STAMP)

kernel: $(STAMP)

# uv (pinned in the dev extra, so in the lock) resolves pyproject.toml for every platform and
# Python 3.11, keeping the lock's current versions unless LOCK_ARGS says otherwise
# (--upgrade-package NAME, or --upgrade for all); the lock is rewritten only when it changes.
lock: | $(STAMP)
	cp $(LOCK) $(LOCK).new
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command 'make lock' --quiet $(LOCK_ARGS) -o $(LOCK).new
	@if cmp -s $(LOCK) $(LOCK).new; then rm $(LOCK).new; echo "$(LOCK) unchanged"; \
	else mv $(LOCK).new $(LOCK); echo "$(LOCK) updated: commit it with pyproject.toml"; fi

run: $(STAMP)
	$(BIN)/python -m helpers.run.pipeline --corpus $(CORPUS) $(if $(BUILD),--build $(BUILD)) $(if $(FIGURES),--figures $(FIGURES)) \
		--gold $(GOLD) --labels $(LABELS) --engine $(ENGINE) $(if $(filter 1 yes true,$(COUNT_DUPLICATES)),--count-duplicates)

test: $(STAMP)
	$(BIN)/python -m pytest

# jupyter_server_config.py: notebooks saved without outputs, the project root in the file browser,
# only the study's kernel, --allow-root as root and no browser without a display (helpers.run.lab).
lab: $(STAMP)
	$(BIN)/jupyter lab --config=$(CURDIR)/jupyter_server_config.py $(LAB_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run_benchmarks.py --results benchmarks/RESULTS.md --readme README.md

clean:
	rm -rf $(or $(BUILD),build)
