"""The benchmark: its synthetic corpora, its report in the README, and one small run end to end."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import SEEDS_DIR

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH_DIR))

import run_benchmarks  # noqa: E402
from synthetic_corpus import write_corpus  # noqa: E402


def test_synthetic_documents_are_all_different_and_keep_their_seeds_form(tmp_path):
    paths = write_corpus(SEEDS_DIR, tmp_path, 15, seed=1)
    texts = [p.read_bytes() for p in paths]
    assert len(paths) == 15 and len(set(texts)) == 15
    seeds = sorted(p for p in SEEDS_DIR.iterdir() if p.is_file())
    for i, path in enumerate(paths):
        assert path.suffix == seeds[i % len(seeds)].suffix
    assert write_corpus(SEEDS_DIR, tmp_path / "again", 15, seed=1) and \
        [p.read_bytes() for p in sorted((tmp_path / "again").iterdir())] == [p.read_bytes() for p in sorted(paths)]


def test_report_goes_between_the_readme_markers():
    readme = f"# Title\n\nbefore\n{run_benchmarks.README_START}\nold figures\n{run_benchmarks.README_END}\nafter\n"
    updated = run_benchmarks.with_benchmark_block(readme, "new figures")
    assert updated == f"# Title\n\nbefore\n{run_benchmarks.README_START}\nnew figures\n{run_benchmarks.README_END}\nafter\n"
    assert run_benchmarks.with_benchmark_block(updated, "new figures") == updated
    with pytest.raises(ValueError, match="no <!-- benchmark:start -->"):
        run_benchmarks.with_benchmark_block("# no block\n", "figures")


def test_the_project_readme_has_the_benchmark_block():
    readme = (BENCH_DIR.parent / "README.md").read_text(encoding="utf-8")
    assert readme.index(run_benchmarks.README_START) < readme.index(run_benchmarks.README_END)


def test_the_varied_corpus_repeats_few_sentences(tmp_path):
    from helpers.paths import DEV_DOCS_DIR
    from helpers.run.stages import run_clean, run_ingest

    write_corpus([SEEDS_DIR, DEV_DOCS_DIR], tmp_path / "corpus", 120, seed=3)
    run_ingest(tmp_path / "corpus", tmp_path / "build")
    run_clean(tmp_path / "build")
    assert run_benchmarks.repeated_sentence_share(tmp_path / "build") < run_benchmarks.REPEATED_SENTENCES_TARGET


def test_a_small_benchmark_runs_the_whole_study_and_marks_every_target(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"x\n{run_benchmarks.README_START}\n{run_benchmarks.README_END}\n", encoding="utf-8")
    results = tmp_path / "RESULTS.md"
    subprocess.run([sys.executable, str(BENCH_DIR / "run_benchmarks.py"), "--sizes", "4", "8", "--workers", "1",
                    "--results", str(results), "--readme", str(readme)],
                   check=True, capture_output=True, text=True)
    report = results.read_text(encoding="utf-8")
    for heading in ("sentences that repeat", "against one jieba.lcut pass", "Per notebook",
                    "Cleaning against segmentation", "Growth from 4 to 8 documents"):
        assert heading in report
    for notebook in run_benchmarks.NOTEBOOKS:
        assert len(re.findall(rf"^\s*\d+\s+1\s+{notebook}\s", report, re.MULTILINE)) == 2, notebook
    # corpus share per size, study per run, clean per run, growth per notebook
    assert len(re.findall(r"\b(?:met|NOT MET)\b", report)) == 2 + 2 + 2 + 5
    block = readme.read_text(encoding="utf-8")
    assert "Whole study on 8 varied documents" in block and "benchmarks/RESULTS.md" in block
