"""The study runner: notebooks run in order, each in a fresh kernel; a failing one stops the run and says which one and why."""

from __future__ import annotations

import hashlib
from pathlib import Path

import nbformat
import pytest

from conftest import study_notebook
from helpers.paths import SEEDS_DIR
from helpers.run.pipeline import NotebookFailed, StudyPaths, main, run_study
from helpers.run.record import read_record

SEEDS_MANIFEST = Path(__file__).parent / "fixtures" / "seeds.sha256"


def _paths(tmp_path):
    return StudyPaths(SEEDS_DIR, tmp_path / "build", tmp_path / "figures")


def test_each_notebook_runs_in_a_fresh_kernel_with_its_parameters(tmp_path):
    record = (
        "import json, os\n"
        f"open({str(tmp_path / 'seen')!r}, 'a').write(json.dumps([os.getpid(), build_dir, 'leftover' in dir()]) + '\\n')\n"
        "leftover = 1"
    )
    first = study_notebook(tmp_path / "01_first.ipynb", record)
    second = study_notebook(tmp_path / "02_second.ipynb", record)
    executed = run_study(_paths(tmp_path), notebooks=[first, second])
    assert [p.name for p in executed] == ["01_first.ipynb", "02_second.ipynb"]
    import json

    seen = [json.loads(line) for line in (tmp_path / "seen").read_text().splitlines()]
    assert seen[0][0] != seen[1][0], "both notebooks ran in one kernel"
    assert [s[1] for s in seen] == [str(tmp_path / "build")] * 2, "the parameters were not injected"
    assert [s[2] for s in seen] == [False, False], "a name one notebook defined reached the next"


def test_a_failing_notebook_stops_the_run_naming_it_and_the_error(tmp_path):
    good = study_notebook(tmp_path / "01_fine.ipynb", "x = 1")
    bad = study_notebook(tmp_path / "02_broken.ipynb", "raise ValueError('the table has no rows')")
    never = study_notebook(tmp_path / "03_after.ipynb", "open('ran', 'w')")
    with pytest.raises(NotebookFailed) as failure:
        run_study(_paths(tmp_path), notebooks=[good, bad, never])
    message = str(failure.value)
    assert "02_broken.ipynb" in message and "ValueError" in message and "the table has no rows" in message
    assert (tmp_path / "build" / "notebooks" / "02_broken.ipynb").is_file()
    assert not (tmp_path / "build" / "notebooks" / "03_after.ipynb").exists()
    record = read_record(tmp_path / "build")
    assert record["status"] == "failed" and "02_broken.ipynb" in record["error"] and record["ended"]


def test_a_kernel_that_dies_stops_the_run_naming_thestudy_notebook(tmp_path):
    dies = study_notebook(tmp_path / "01_dies.ipynb", "import os\nos._exit(1)")
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


def test_no_kernel_warning_reaches_the_run_output(tmp_path, capfd):
    quiet = study_notebook(tmp_path / "01_quiet.ipynb", "x = 1")
    run_study(_paths(tmp_path), notebooks=[quiet])
    out, err = capfd.readouterr()
    assert "without encryption" not in out + err, "the kernel ran over TCP: use IPC (helpers.run.pipeline.kernel_config)"
    assert "WARNING" not in err


def test_other_corpora_never_write_into_the_bundled_build_or_figures(tmp_path):
    from helpers.paths import BUILD_DIR, FIGURES_DIR, PROJECT_ROOT

    assert StudyPaths.from_args("seeds") == StudyPaths(SEEDS_DIR, BUILD_DIR, FIGURES_DIR)
    mine = StudyPaths.from_args(tmp_path / "my reports")
    assert mine.build_dir == PROJECT_ROOT / "runs" / "my reports" / "build"
    assert mine.figures_dir == PROJECT_ROOT / "runs" / "my reports" / "figures"
    english = StudyPaths.from_args("seeds", labels="en")
    assert english.figures_dir == PROJECT_ROOT / "runs" / "seeds-en" / "figures"
    asked = StudyPaths.from_args(tmp_path, tmp_path / "b", tmp_path / "f", tmp_path / "g")
    assert (asked.build_dir, asked.figures_dir, asked.gold_dir) == (tmp_path / "b", tmp_path / "f", tmp_path / "g")
    ignored = (PROJECT_ROOT / ".gitignore").read_text().split()
    assert "/runs/" in ignored


def test_the_last_lines_say_where_the_figures_index_and_report_are(tmp_path, capsys):
    paths = _paths(tmp_path)
    writes = study_notebook(tmp_path / "01_writes.ipynb",
                            "from pathlib import Path\np = Path(figures_dir); p.mkdir(parents=True)\n(p / 'index.md').write_text('#')")
    run_study(paths, notebooks=[writes])
    last = capsys.readouterr().out.strip().splitlines()[-4:]
    assert last == [f"[study] tables:  {paths.build_dir}", f"[study] figures: {paths.figures_dir}",
                    f"[study] figure index: {paths.figures_dir / 'index.md'}",
                    f"[study] run record: {paths.build_dir / 'run_record.json'}"]


def test_each_notebook_gets_only_the_parameters_it_declares(tmp_path):
    nb = study_notebook(tmp_path / "01_gold.ipynb", f"open({str(tmp_path / 'gold')!r}, 'w').write(gold_dir + ' ' + labels)")
    cell = nb and nbformat.read(nb, as_version=4)
    cell.cells[0].source += '\ngold_dir = "gold"\nlabels = "zh"'
    nbformat.write(cell, nb)
    plain = study_notebook(tmp_path / "02_plain.ipynb", "assert 'gold_dir' not in dir() and 'labels' not in dir()")
    paths = StudyPaths(SEEDS_DIR, tmp_path / "build", tmp_path / "figures", tmp_path / "mygold")
    run_study(paths, notebooks=[nb, plain], labels="en")
    assert (tmp_path / "gold").read_text() == f"{tmp_path / 'mygold'} en"


@pytest.mark.parametrize(
    ("files", "said"),
    [
        # no document at all: stopped before any notebook runs, in one line
        ({"notes.pdf": b"%PDF-1.4"}, ["[study] stopped: corpus folder", "holds no .txt/.html/.htm/.md file"]),
        ({"a.txt": b"", "b.html": b"\x00\x01\x02\xff\xfe binary \x00 junk"}, ["none of the 2 files", "(2 failed)"]),
    ],
    ids=["no-document", "every-document-unreadable"],
)
def test_a_corpus_with_nothing_to_read_stops_after_ingest_without_drawing_figures(tmp_path, capsys, files, said):
    corpus = tmp_path / "my corpus"
    corpus.mkdir()
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    code = main(["--corpus", str(corpus), "--build", str(tmp_path / "b"), "--figures", str(tmp_path / "f")])
    assert code == 1
    err = capsys.readouterr().err
    assert all(s in err for s in said) and str(corpus) in err, err
    assert not (tmp_path / "f").exists()
