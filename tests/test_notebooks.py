"""The notebooks are source files: committed without outputs, one kernel, one parameters cell
that declares only what the notebook uses."""

from __future__ import annotations

import json
import re

import papermill
import pytest

from helpers.paths import NOTEBOOKS_DIR
from helpers.products import PRODUCTS
from helpers.run.pipeline import KERNEL_NAME, study_notebooks

NOTEBOOKS = study_notebooks()


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_five_stages_are_there_in_order():
    assert [p.stem for p in NOTEBOOKS] == list(PRODUCTS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    dirty = [
        i for i, cell in enumerate(_load(path)["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; executed copies belong in build/notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_kernelspec(path):
    assert _load(path)["metadata"]["kernelspec"]["name"] == KERNEL_NAME


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_tagged_parameters_cell_declaring_only_what_the_notebook_uses(path):
    cells = _load(path)["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: expected one cell tagged 'parameters'"
    declared = set(papermill.inspect_notebook(str(path)))
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code" and c is not tagged[0])
    unused = {name for name in declared if not re.search(rf"\b{name}\b", code)}
    assert declared and not unused, f"{path.name}: parameters {sorted(unused)} are declared but not used"
    offered = {"corpus_dir", "build_dir", "figures_dir", "engine", "gold_dir", "labels"}
    undeclared = {name for name in offered - declared if re.search(rf"\b{name}\b", code)}
    assert not undeclared, f"{path.name}: uses the study's parameters {sorted(undeclared)} without declaring them"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_starts_with_a_heading_that_says_what_the_step_does(path):
    first = _load(path)["cells"][0]
    assert first["cell_type"] == "markdown" and "".join(first["source"]).startswith("# ")


def test_no_stray_notebooks():
    strays = [p.name for p in NOTEBOOKS_DIR.glob("*.ipynb") if p not in NOTEBOOKS]
    assert not strays, f"unnumbered notebooks in notebooks/: {strays}"
