"""The study runner: notebooks run in order, each in a fresh kernel; a failing one stops the run and says which one and why."""

from __future__ import annotations

import hashlib
from pathlib import Path

import nbformat
import pytest

from helpers.paths import SEEDS_DIR
from helpers.run.pipeline import KERNEL_NAME, NotebookFailed, StudyPaths, main, run_study

SEEDS_MANIFEST = Path(__file__).parent / "fixtures" / "seeds.sha256"


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": KERNEL_NAME, "language": "python"}
    params = nbformat.v4.new_code_cell('corpus_dir = "seeds"\nbuild_dir = "build"\nfigures_dir = "figures"\nengine = "local"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(source) for source in sources)]
    nbformat.write(nb, path)
    return path


def _paths(tmp_path):
    return StudyPaths(SEEDS_DIR, tmp_path / "build", tmp_path / "figures")


def test_each_notebook_runs_in_a_fresh_kernel_with_its_parameters(tmp_path):
    record = (
        "import json, os\n"
        f"open({str(tmp_path / 'seen')!r}, 'a').write(json.dumps([os.getpid(), build_dir, 'leftover' in dir()]) + '\\n')\n"
        "leftover = 1"
    )
    first = _notebook(tmp_path / "01_first.ipynb", record)
    second = _notebook(tmp_path / "02_second.ipynb", record)
    executed = run_study(_paths(tmp_path), notebooks=[first, second])
    assert [p.name for p in executed] == ["01_first.ipynb", "02_second.ipynb"]
    import json

    seen = [json.loads(line) for line in (tmp_path / "seen").read_text().splitlines()]
    assert seen[0][0] != seen[1][0], "both notebooks ran in one kernel"
    assert [s[1] for s in seen] == [str(tmp_path / "build")] * 2, "the parameters were not injected"
    assert [s[2] for s in seen] == [False, False], "a name one notebook defined reached the next"


def test_a_failing_notebook_stops_the_run_naming_it_and_the_error(tmp_path):
    good = _notebook(tmp_path / "01_fine.ipynb", "x = 1")
    bad = _notebook(tmp_path / "02_broken.ipynb", "raise ValueError('the table has no rows')")
    never = _notebook(tmp_path / "03_after.ipynb", "open('ran', 'w')")
    with pytest.raises(NotebookFailed) as failure:
        run_study(_paths(tmp_path), notebooks=[good, bad, never])
    message = str(failure.value)
    assert "02_broken.ipynb" in message and "ValueError" in message and "the table has no rows" in message
    assert (tmp_path / "build" / "notebooks" / "02_broken.ipynb").is_file()
    assert not (tmp_path / "build" / "notebooks" / "03_after.ipynb").exists()


def test_a_kernel_that_dies_stops_the_run_naming_the_notebook(tmp_path):
    dies = _notebook(tmp_path / "01_dies.ipynb", "import os\nos._exit(1)")
    with pytest.raises(NotebookFailed, match="01_dies.ipynb"):
        run_study(_paths(tmp_path), notebooks=[dies])


def test_missing_corpus_is_a_clear_error_and_exit_code(tmp_path, capsys):
    code = main(["--corpus", str(tmp_path / "nowhere"), "--build", str(tmp_path / "b"), "--figures", str(tmp_path / "f")])
    assert code == 1
    assert "nowhere" in capsys.readouterr().err


def test_seeds_are_the_documents_as_received_byte_for_byte():
    # the manifest was taken from ../shared/seeds, the study's reference copy
    expected = dict(line.split()[::-1] for line in SEEDS_MANIFEST.read_text().splitlines())
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(SEEDS_DIR.iterdir()) if p.is_file()}
    assert found == expected
