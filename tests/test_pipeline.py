"""End to end: the whole study built by papermill, on the seeds and on a corpus it has never seen."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pandas as pd
import pytest

from helpers.paths import FIGURES_DIR, SEEDS_DIR
from helpers.products import PRODUCTS, products
from helpers.run.pipeline import StudyPaths, run_study

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="session")
def seed_study(tmp_path_factory):
    root = tmp_path_factory.mktemp("seed-study")
    paths = StudyPaths(SEEDS_DIR, root / "build", root / "figures")
    run_study(paths)
    return paths


@pytest.fixture(scope="session")
def unseen_study(tmp_path_factory):
    """A corpus the rules were not written on: other encodings, a broken file, an empty one."""
    root = tmp_path_factory.mktemp("unseen-study")
    corpus = root / "corpus"
    (corpus / "nested").mkdir(parents=True)
    gbk_text = (
        "山东省青岛市社会组织助力疫情防控\n\n发布时间：2022年04月02日\n\n"
        "青岛市慈善总会累计接收捐赠款物3200余万元，发放口罩12万只。"
        "青岛市义工联合会组织800多名志愿者参与核酸检测秩序维护。\n"
    )
    (corpus / "qingdao_gbk.txt").write_bytes(gbk_text.encode("gbk"))
    big5_text = "福建省社會組織積極參與疫情防控\n\n全省三百餘家社會組織捐款捐物約1.2億元，動員志願者五千名。\n"
    (corpus / "nested" / "fujian_big5.txt").write_bytes(big5_text.encode("big5"))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "broken.html").write_bytes(b"\x00\x01\x02\xff\xfe binary \x00 junk")
    paths = StudyPaths(corpus, root / "build", root / "figures")
    run_study(paths)
    return paths


@pytest.mark.parametrize("notebook", list(PRODUCTS))
def test_every_declared_product_is_written(seed_study, notebook):
    missing = [p for p in products(notebook, seed_study.build_dir, seed_study.figures_dir) if not p.is_file()]
    assert not missing, f"{notebook} did not write {missing}"


def test_executed_notebooks_and_report_are_build_products(seed_study):
    executed = sorted(p.stem for p in (seed_study.build_dir / "notebooks").glob("*.ipynb"))
    assert executed == list(PRODUCTS)
    html = (seed_study.build_dir / "report.html").read_text(encoding="utf-8")
    assert "import " not in html, "report.html must hide the code cells"


def test_committed_figures_are_current_and_byte_identical(seed_study):
    generated = sorted(p.name for p in seed_study.figures_dir.iterdir())
    committed = sorted(p.name for p in FIGURES_DIR.iterdir() if not p.name.startswith("."))
    assert generated == committed, "figures/ does not hold exactly the figures the study makes: run `make run`"
    _, mismatch, errors = filecmp.cmpfiles(seed_study.figures_dir, FIGURES_DIR, generated, shallow=False)
    assert not mismatch and not errors, f"stale figures (regenerate with `make run`): {mismatch + errors}"


def test_unseen_corpus_runs_and_keeps_every_file(unseen_study):
    documents = pd.read_csv(unseen_study.build_dir / "documents.csv", keep_default_na=False)
    assert len(documents) == 4
    status = dict(zip(documents["path"], documents["status"], strict=True))
    assert status["qingdao_gbk.txt"] == "ok" and status["nested/fujian_big5.txt"] == "ok"
    assert status["empty.txt"] == "failed" and status["broken.html"] == "failed"
    quantities = pd.read_csv(unseen_study.build_dir / "quantities.csv", keep_default_na=False)
    assert {"山东省", "福建省"} <= set(quantities["province"])
    assert (unseen_study.figures_dir / "index.md").is_file()


@pytest.fixture
def command_line_cluster(tmp_path):
    """A scheduler and two workers started from the command line, as a cluster would run them."""
    import subprocess
    import sys
    import time

    bin_dir = Path(sys.executable).parent
    scheduler_file = tmp_path / "scheduler.json"
    logs = (tmp_path / "scheduler.log").open("w")
    procs = [subprocess.Popen([str(bin_dir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                              stdout=logs, stderr=subprocess.STDOUT)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert scheduler_file.is_file(), "the dask scheduler did not start"
        for i in range(2):
            procs.append(subprocess.Popen(
                [str(bin_dir / "dask"), "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                 "--no-dashboard", "--name", f"w{i}"],
                stdout=logs, stderr=subprocess.STDOUT))
        import json

        from distributed import Client

        address = json.loads(scheduler_file.read_text())["address"]
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        logs.close()


def test_the_study_on_a_command_line_dask_cluster_writes_the_local_engine_s_tables(
        seed_study, command_line_cluster, tmp_path, monkeypatch):
    from helpers.run.engines import SCHEDULER_ENV

    monkeypatch.setenv(SCHEDULER_ENV, command_line_cluster)  # the kernels inherit it
    on_cluster = StudyPaths(SEEDS_DIR, tmp_path / "build", tmp_path / "figures")
    run_study(on_cluster, engine="dask")
    tables = sorted(p.name for p in seed_study.build_dir.iterdir() if p.suffix in (".csv", ".parquet"))
    assert len(tables) > 20
    differ = [name for name in tables
              if (seed_study.build_dir / name).read_bytes() != (on_cluster.build_dir / name).read_bytes()]
    assert not differ, differ
    _, mismatch, errors = filecmp.cmpfiles(seed_study.figures_dir, on_cluster.figures_dir,
                                           sorted(p.name for p in seed_study.figures_dir.iterdir()), shallow=False)
    assert not mismatch and not errors


def test_a_run_leaves_a_complete_record_whose_corpus_digest_the_index_states(seed_study):
    record = json.loads((seed_study.build_dir / "run_record.json").read_text(encoding="utf-8"))
    assert record["status"] == "complete" and record["error"] is None
    assert record["parameters"]["corpus_dir"] == str(SEEDS_DIR)
    assert record["parameters"]["notebooks"] == [f"{name}.ipynb" for name in PRODUCTS]
    assert record["corpus"]["files"] == len(list(SEEDS_DIR.glob("*.txt"))) > 0
    index = (seed_study.figures_dir / "index.md").read_text(encoding="utf-8")
    assert f"`{record['corpus']['digest']}`" in index and record["parameters"]["labels"] == "zh"
    assert f"sha256 `{record['environment']['lock_sha256']}`" in index
