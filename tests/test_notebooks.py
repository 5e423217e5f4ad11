"""The notebooks are source files: committed without outputs, one kernel, one parameters cell."""

from __future__ import annotations

import json

import pytest

from helpers.paths import NOTEBOOKS_DIR
from helpers.products import PRODUCTS
from helpers.run.pipeline import KERNEL_NAME, study_notebooks

NOTEBOOKS = study_notebooks()
PARAMETERS = {"corpus_dir", "build_dir", "figures_dir", "engine"}


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
def test_one_tagged_parameters_cell_with_the_study_parameters(path):
    cells = _load(path)["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: expected one cell tagged 'parameters'"
    source = "".join(tagged[0]["source"])
    names = {line.split("=")[0].strip() for line in source.splitlines() if "=" in line and not line.startswith("#")}
    assert PARAMETERS <= names, f"{path.name}: parameters cell lacks {PARAMETERS - names}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_names_its_products(path):
    source = "".join("".join(c["source"]) for c in _load(path)["cells"])
    assert f'products("{path.stem}"' in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_starts_with_a_heading_that_says_what_the_step_does(path):
    first = _load(path)["cells"][0]
    assert first["cell_type"] == "markdown" and "".join(first["source"]).startswith("# ")


def test_no_stray_notebooks():
    strays = [p.name for p in NOTEBOOKS_DIR.glob("*.ipynb") if p not in NOTEBOOKS]
    assert not strays, f"unnumbered notebooks in notebooks/: {strays}"
