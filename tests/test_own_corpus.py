"""A researcher's own corpus: an empty one stops with a clear message, its gold folder says what it scored,
and a .venv made by the wrong Python is caught by make with what to do."""

from __future__ import annotations

import subprocess

import pandas as pd
import pytest

from helpers.corpus.listing import CorpusProblem
from helpers.corpus.readable import require_readable
from helpers.evaluation.extraction import evaluate_extraction, gold_coverage
from helpers.paths import GOLD_DIR, PROJECT_ROOT


def test_a_corpus_without_documents_stops_naming_the_folder(tmp_path):
    with pytest.raises(CorpusProblem, match="holds no .txt, .html, .htm, .md files") as failure:
        require_readable(pd.DataFrame(columns=["doc_id", "status"]), tmp_path)
    assert str(tmp_path) in str(failure.value)


def test_a_corpus_of_unreadable_files_stops_saying_how_many_and_why():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "status": ["failed", "failed"]})
    with pytest.raises(CorpusProblem, match=r"none of the 2 files .* \(2 failed\)"):
        require_readable(docs, "mydir")
    assert require_readable(pd.DataFrame({"status": ["failed", "warning", "ok"]}), "x") == 2


def test_gold_coverage_names_the_scored_documents_or_why_none():
    sentences = pd.DataFrame({"doc_id": ["unknown_doc"], "sentence_id": [0], "text": ["x"]})
    message = gold_coverage(GOLD_DIR, sentences["doc_id"], None)
    assert message == f"no gold annotations for this corpus's documents in {GOLD_DIR}: evaluation skipped"
    assert "no quantities.csv" in gold_coverage(PROJECT_ROOT / "nowhere", sentences["doc_id"], None)


def test_gold_coverage_lists_what_was_scored(seed_tables):
    evaluation = evaluate_extraction(seed_tables, GOLD_DIR)
    assert evaluation is not None and evaluation.documents
    message = gold_coverage(GOLD_DIR, seed_tables["sentences"]["doc_id"], evaluation)
    assert message.startswith(f"scored against {GOLD_DIR}: {len(evaluation.documents)} of ")
    assert evaluation.documents[0] in message


def _fake_python(path, version):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(0o755)
    return path


def test_make_catches_a_venv_made_by_another_python(tmp_path):
    _fake_python(tmp_path / "venv" / "bin" / "python", "3.12")
    done = subprocess.run(["make", "--no-print-directory", "kernel", f"VENV={tmp_path / 'venv'}"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "made by Python 3.12" in done.stderr and "rm -rf" in done.stderr and "PYTHON=python3.11" in done.stderr


def test_make_refuses_to_build_the_venv_with_another_python(tmp_path):
    fake = _fake_python(tmp_path / "python3.12", "3.12")
    done = subprocess.run(["make", "--no-print-directory", "kernel", f"VENV={tmp_path / 'venv'}", f"PYTHON={fake}"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "is Python 3.12" in done.stderr and "PYTHON=python3.11" in done.stderr
    assert not (tmp_path / "venv").exists()


def test_make_run_passes_corpus_gold_and_labels_and_leaves_the_outputs_to_the_runner():
    done = subprocess.run(["make", "--no-print-directory", "-n", "run", "CORPUS=mydir", "GOLD=mygold", "LABELS=en"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    command = done.stdout.replace("\\\n", " ")
    assert "--corpus mydir" in command and "--gold mygold" in command and "--labels en" in command
    assert "--build" not in command and "--figures" not in command, "runs/<corpus name>/ is the runner's default"
