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


def test_a_small_benchmark_runs_end_to_end_and_marks_every_target(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"x\n{run_benchmarks.README_START}\n{run_benchmarks.README_END}\n", encoding="utf-8")
    results = tmp_path / "RESULTS.md"
    subprocess.run([sys.executable, str(BENCH_DIR / "run_benchmarks.py"), "--sizes", "5", "10", "--workers", "1", "2",
                    "--skip-study", "--results", str(results), "--readme", str(readme)],
                   check=True, capture_output=True, text=True)
    report = results.read_text(encoding="utf-8")
    for heading in ("Per-document stages", "Reference floors", "Peak memory, 10 vs 5 documents",
                    "Speed-up on 10 documents"):
        assert heading in report
    for stage in ("ingest", "clean", "extract"):
        assert re.search(rf"^\s*10\s+{stage}\s+processes\s+2\s+10\s", report, re.MULTILINE), stage
    assert len(re.findall(r"\b(?:met|NOT MET)\b", report)) == 2 + 3 + 1  # floors per size, memory per stage, total
    assert "Per-document stages" in readme.read_text(encoding="utf-8")
