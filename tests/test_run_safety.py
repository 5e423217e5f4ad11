"""A run never lies: one run per build folder, products whole or not at all, a record of how the
run ended, kernels that die with the study, folders checked first with one clear line, and
identical runs that write identical files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from conftest import study_notebook
from helpers.outputs import leftover_temporaries, output_file, write_csv
from helpers.paths import PROJECT_ROOT, SEEDS_DIR
from helpers.run.pipeline import NotebookFailed, StudyPaths, main, run_study
from helpers.run.record import read_record
from helpers.run.tables import IncompleteRunWarning, TableWriter, read_table, write_table


def stopped_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("[study] stopped: ")
    return err[0]


def run_main(tmp_path, corpus, build=None, figures=None) -> int:
    return main(["--corpus", str(corpus), "--build", str(build or tmp_path / "build"),
                 "--figures", str(figures or tmp_path / "figures")])


# --------------------------------------------------------------------------- folders checked first


def test_corpus_that_is_a_file_empty_or_unreadable_stops_with_one_line(tmp_path, capsys, monkeypatch):
    a_file = tmp_path / "report.txt"
    a_file.write_text("社会组织", encoding="utf-8")
    assert run_main(tmp_path, a_file) == 1
    assert f"corpus {a_file} is a file, not a folder" in stopped_line(capsys)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_main(tmp_path, empty) == 1
    assert f"corpus folder {empty} holds no .txt/.html/.htm/.md file" in stopped_line(capsys)
    real_scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": (_ for _ in ()).throw(
        PermissionError(13, "Permission denied", str(path))) if Path(path) == empty else real_scandir(path))
    assert run_main(tmp_path, empty) == 1
    assert f"corpus folder {empty} cannot be read (Permission denied)" in stopped_line(capsys)
    assert not (tmp_path / "build" / "notebooks").exists(), "no notebook ran"


def test_build_folder_that_cannot_be_written_stops_with_one_line(tmp_path, capsys, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert run_main(tmp_path, SEEDS_DIR, build=blocker / "build") == 1
    line = stopped_line(capsys)
    assert f"build folder {blocker / 'build'} cannot be written" in line and "Not a directory" in line
    readonly = tmp_path / "readonly"
    readonly.mkdir()

    real_replace = os.replace

    def refuse(src, dst, *a, **k):
        if Path(dst).parent == readonly:
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", refuse)
    assert run_main(tmp_path, SEEDS_DIR, build=readonly) == 1
    assert f"build folder {readonly} cannot be written (Permission denied" in stopped_line(capsys)
    assert run_main(tmp_path, SEEDS_DIR, figures=readonly) == 1
    assert f"figures folder {readonly} cannot be written" in stopped_line(capsys)


# --------------------------------------------------------------------------- one run per build folder


def test_second_run_into_the_same_build_folder_stops_naming_folder_and_holder(tmp_path, capsys):
    build = tmp_path / "build"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from helpers.run.build_folder import hold_build_folder
        with hold_build_folder({str(build)!r}):
            print("held", flush=True)
            time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        assert run_main(tmp_path, SEEDS_DIR, build=build) == 1
        assert time.monotonic() - started < 10, "the second run waited for the lock"
        line = stopped_line(capsys)
        assert f"build folder {build} is in use by another run of the study (pid {holder.pid})" in line
    finally:
        holder.kill()
        holder.wait()
    assert not (build / "notebooks").exists()


# --------------------------------------------------------------------------- products whole or not at all


def test_table_writer_leaves_the_previous_table_when_writing_fails(tmp_path):
    old = pd.DataFrame({"doc_id": ["a"], "text_clean": ["旧"]})
    write_table(old, tmp_path, "texts")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(RuntimeError, match="killed half way"):
        with TableWriter(tmp_path, "texts") as out:
            out.write(pd.DataFrame({"doc_id": ["b"], "text_clean": ["新"]}))
            assert not out.parquet_path.read_bytes() != before["texts.parquet"], "written in place"
            raise RuntimeError("killed half way")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert leftover_temporaries(tmp_path) == []
    assert list(read_table(tmp_path, "texts")["doc_id"]) == ["a"]


def test_output_file_moves_into_place_only_when_complete(tmp_path):
    target = tmp_path / "periods.csv"
    write_csv(pd.DataFrame({"a": [1]}), target)
    with pytest.raises(ValueError):
        with output_file(target) as tmp:
            tmp.write_text("a\n2\n3")
            assert target.read_text() == "a\n1\n"
            raise ValueError("stopped")
    assert target.read_text() == "a\n1\n" and leftover_temporaries(tmp_path) == []


def test_save_figure_and_index_write_whole_files(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    from helpers.report import style

    fig = Figure()
    fig.add_subplot().plot([1, 2])
    written = style.save_figure(fig, pd.DataFrame({"x": [1.0]}), tmp_path, "fig09_test")
    assert sorted(p.name for p in written.values()) == ["fig09_test.csv", "fig09_test.png", "fig09_test.svg"]
    assert leftover_temporaries(tmp_path) == []
    png = written["png"].read_bytes()

    def broken_savefig(self, fname, **kwargs):
        Path(fname).write_bytes(b"half a png")
        raise OSError("disk full")

    monkeypatch.setattr(Figure, "savefig", broken_savefig)
    with pytest.raises(OSError, match="disk full"):
        style.save_figure(fig, pd.DataFrame({"x": [2.0]}), tmp_path, "fig09_test")
    assert written["png"].read_bytes() == png and leftover_temporaries(tmp_path) == []


def test_a_table_of_an_incomplete_run_says_so(tmp_path, monkeypatch):
    from helpers.run.record import COMPLETE, FAILED, RUN_ID_ENV, start_record, write_record

    write_table(pd.DataFrame({"doc_id": ["a"], "text_clean": ["x"]}), tmp_path, "texts")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_table(tmp_path, "texts")  # no record: tables written outside a run
    record = start_record(SEEDS_DIR, {})
    write_record(record, tmp_path)
    monkeypatch.setenv(RUN_ID_ENV, record["run_id"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_table(tmp_path, "texts")  # the run reading its own tables
    monkeypatch.delenv(RUN_ID_ENV)
    with pytest.warns(IncompleteRunWarning, match="is still running or was killed"):
        read_table(tmp_path, "texts")
    write_record({**record, "status": FAILED, "error": "NotebookFailed: 03_extract.ipynb failed"}, tmp_path)
    with pytest.warns(IncompleteRunWarning, match=r"from an incomplete run.*failed \(NotebookFailed"):
        read_table(tmp_path, "texts")
    write_record({**record, "status": COMPLETE}, tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_table(tmp_path, "texts")


def test_run_record_says_running_then_complete_or_failed(tmp_path):
    probe = study_notebook(tmp_path / "01_probe.ipynb", textwrap.dedent("""
        import json, os
        from helpers.run.record import read_record
        from helpers.run.tables import read_table, write_table
        import pandas as pd
        write_table(pd.DataFrame({"doc_id": ["a"], "text_clean": ["x"]}), build_dir, "texts")
        import warnings
        warnings.simplefilter("error")
        read_table(build_dir, "texts")   # the run's own table: no warning
        print(json.dumps(read_record(build_dir)["status"]))
    """))
    paths = StudyPaths(SEEDS_DIR, tmp_path / "build", tmp_path / "figures")
    executed = run_study(paths, notebooks=[probe])
    outputs = nbformat.read(executed[0], as_version=4).cells[-1].outputs
    assert outputs[0]["text"].strip() == '"running"'
    assert read_record(paths.build_dir)["status"] == "complete"
    bad = study_notebook(tmp_path / "02_bad.ipynb", "raise ValueError('no rows')")
    with pytest.raises(NotebookFailed):
        run_study(paths, notebooks=[probe, bad])
    record = read_record(paths.build_dir)
    assert record["status"] == "failed" and "02_bad.ipynb" in record["error"]
    with pytest.warns(IncompleteRunWarning):
        read_table(paths.build_dir, "texts")


# --------------------------------------------------------------------------- signals stop the kernels


def _pid_gone(pid: int, within: float = 10.0) -> bool:
    import psutil

    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def _pid_alive(pid: int) -> bool:
    import psutil

    return psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGTERM to the process group"])
def test_killing_the_study_stops_its_kernel(tmp_path, how):
    pid_file = tmp_path / "kernel.pid"
    sleeper = study_notebook(tmp_path / "01_sleeps.ipynb", textwrap.dedent(f"""
        import os, time
        open({str(pid_file)!r}, "w").write(str(os.getpid()))
        for _ in range(600):
            time.sleep(0.1)
            open({str(tmp_path / 'still-writing')!r}, "a").write(".")
    """))
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from helpers.run.pipeline import StudyInterrupted, StudyPaths, run_study
        paths = StudyPaths(Path({str(SEEDS_DIR)!r}), Path({str(tmp_path / 'build')!r}), Path({str(tmp_path / 'fig')!r}))
        try:
            run_study(paths, notebooks=[Path({str(sleeper)!r})])
        except StudyInterrupted as err:
            print(err, file=sys.stderr)
            sys.exit(128 + err.signum)
    """)
    runner = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_ROOT, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "still-writing").exists():
            assert runner.poll() is None and time.monotonic() < deadline, "the kernel never started"
            time.sleep(0.2)
        kernel_pid = int(pid_file.read_text())
        assert _pid_alive(kernel_pid)
        if how == "SIGINT":
            runner.send_signal(signal.SIGINT)
        elif how == "SIGTERM":
            runner.send_signal(signal.SIGTERM)
        else:
            os.killpg(runner.pid, signal.SIGTERM)
        code = runner.wait(timeout=60)
    finally:
        if runner.poll() is None:
            runner.kill()
    signum = signal.SIGINT if how == "SIGINT" else signal.SIGTERM
    stderr = runner.stderr.read()
    runner.stderr.close()
    assert code == 128 + signum, stderr
    assert f"interrupted by {signal.Signals(signum).name}" in stderr
    assert _pid_gone(kernel_pid), "the kernel outlived the study"
    written = (tmp_path / "still-writing").stat().st_size
    time.sleep(1.0)
    assert (tmp_path / "still-writing").stat().st_size == written, "the kernel still writes"
    assert read_record(tmp_path / "build")["status"] == "failed"


# --------------------------------------------------------------------------- identical runs, identical files


def test_report_html_is_identical_between_identical_runs(tmp_path):
    report = study_notebook(tmp_path / "05_report.ipynb", "print('figures drawn')")
    html = []
    for n in (1, 2):
        paths = StudyPaths(SEEDS_DIR, tmp_path / f"build{n}", tmp_path / f"fig{n}")
        paths_same = StudyPaths(SEEDS_DIR, tmp_path / "build", tmp_path / "fig")
        run_study(paths_same, notebooks=[report])
        html.append((paths_same.build_dir / "report.html").read_bytes())
        assert paths.build_dir != paths_same.build_dir
    assert html[0] == html[1]
    executed = nbformat.read(tmp_path / "build" / "notebooks" / "05_report.ipynb", as_version=4)
    assert [c.id for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])] == [
        "injected-parameters"]


# --------------------------------------------------------------------------- the figures folder


def test_replaced_and_stale_figure_files_are_listed(tmp_path):
    from helpers.report.citations import describe_changes, folder_contents, product_changes

    (tmp_path / "fig01_overview.png").write_bytes(b"old drawing")
    (tmp_path / "fig02_measures.csv").write_bytes(b"same")
    (tmp_path / "fig07_dropped_long_ago.svg").write_bytes(b"older run")
    (tmp_path / "notes.txt").write_text("not a product")
    before = folder_contents(tmp_path)
    (tmp_path / "fig01_overview.png").write_bytes(b"new drawing")
    (tmp_path / "fig02_measures.csv").write_bytes(b"same")
    (tmp_path / "fig03_new.png").write_bytes(b"first time")
    written = [tmp_path / n for n in ("fig01_overview.png", "fig02_measures.csv", "fig03_new.png")]
    changes = product_changes(before, tmp_path, written)
    assert dict(zip(changes["file"], changes["change"], strict=True)) == {
        "fig01_overview.png": "replaced", "fig02_measures.csv": "unchanged", "fig03_new.png": "new",
        "fig07_dropped_long_ago.svg": "stale"}
    text = describe_changes(changes)
    assert text.splitlines()[0] == "1 new, 1 replaced, 1 unchanged, 1 stale"
    assert "replaced (a different file stood there): fig01_overview.png" in text
    assert "stale (from an older run, not written by this one; delete them): fig07_dropped_long_ago.svg" in text
