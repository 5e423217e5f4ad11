"""The study runner: a failing notebook stops the run and says which one and why."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import nbformat
import pytest

from helpers.kernel_preload import preload
from helpers.paths import PROJECT_ROOT, SEEDS_DIR
from helpers.pipeline import (
    KERNEL_NAME,
    NotebookFailed,
    StudyPaths,
    main,
    notebook_imports,
    run_study,
)


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": KERNEL_NAME, "language": "python"}
    params = nbformat.v4.new_code_cell('corpus_dir = "seeds"\nbuild_dir = "build"\nfigures_dir = "figures"\nengine = "local"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(source) for source in sources)]
    nbformat.write(nb, path)
    return path


@pytest.fixture
def kernel_shutdowns(monkeypatch):
    """Every kernel shutdown during the test, as its ``now`` argument (True: killed, not asked)."""
    from jupyter_client.manager import AsyncKernelManager

    shutdowns = []
    shutdown = AsyncKernelManager.shutdown_kernel

    async def recorded(self, now=False, restart=False):
        shutdowns.append(now)
        return await shutdown(self, now=now, restart=restart)

    monkeypatch.setattr(AsyncKernelManager, "shutdown_kernel", recorded)
    return shutdowns


def test_each_notebook_runs_in_a_fresh_kernel_though_kernels_start_ahead(tmp_path, kernel_shutdowns):
    record_pid = f"import os\nopen({str(tmp_path / 'pids')!r}, 'a').write(f'{{os.getpid()}}\\n')\n"
    first = _notebook(tmp_path / "01_sets.ipynb", record_pid + "left_behind = 1")
    second = _notebook(tmp_path / "02_looks.ipynb", record_pid + "assert 'left_behind' not in globals()")
    run_study(StudyPaths(SEEDS_DIR, tmp_path / "build", tmp_path / "figures"), notebooks=[first, second])
    pids = (tmp_path / "pids").read_text().split()
    assert len(pids) == 2 and pids[0] != pids[1]
    assert kernel_shutdowns == [True, True]


@pytest.mark.parametrize("fork_kernels", [True, False], ids=["forked-kernels", "started-kernels"])
def test_nothing_a_notebook_changes_in_its_process_reaches_the_next(tmp_path, fork_kernels):
    # module state, environment and working folder: a forked kernel starts from the
    # template, never from the kernel before it
    changes = (
        "import json, os\n"
        "json.left_by_first = True\n"
        "os.environ['LEFT_BY_FIRST'] = '1'\n"
        "os.chdir('/')"
    )
    checks = (
        "import json, os\n"
        "assert not hasattr(json, 'left_by_first')\n"
        "assert 'LEFT_BY_FIRST' not in os.environ\n"
        f"assert os.getcwd() == {str(tmp_path)!r}, os.getcwd()"
    )
    first = _notebook(tmp_path / "01_changes.ipynb", changes)
    second = _notebook(tmp_path / "02_checks.ipynb", checks)
    run_study(StudyPaths(SEEDS_DIR, tmp_path / "build", tmp_path / "figures"), notebooks=[first, second],
              fork_kernels=fork_kernels)  # fmt: skip


def test_a_failing_notebook_stops_the_run_naming_it_and_the_error(tmp_path, kernel_shutdowns):
    good = _notebook(tmp_path / "01_fine.ipynb", "x = 1")
    bad = _notebook(tmp_path / "02_broken.ipynb", "raise ValueError('the table has no rows')")
    never = _notebook(tmp_path / "03_after.ipynb", "open('ran', 'w')")
    paths = StudyPaths(SEEDS_DIR, tmp_path / "build", tmp_path / "figures")
    with pytest.raises(NotebookFailed) as failure:
        run_study(paths, notebooks=[good, bad, never])
    message = str(failure.value)
    assert "02_broken.ipynb" in message and "ValueError" in message and "the table has no rows" in message
    assert (tmp_path / "build" / "notebooks" / "02_broken.ipynb").is_file()
    assert not (tmp_path / "build" / "notebooks" / "03_after.ipynb").exists()
    assert kernel_shutdowns == [True, True, True]  # 03's kernel, started while 02 ran, is stopped too


def test_the_executed_copy_is_written_even_when_the_kernel_dies(tmp_path):
    dies = _notebook(tmp_path / "01_dies.ipynb", "import os\nos._exit(1)")
    paths = StudyPaths(SEEDS_DIR, tmp_path / "build", tmp_path / "figures")
    with pytest.raises(Exception, match="(?i)kernel died"):
        run_study(paths, notebooks=[dies])
    copy = nbformat.read(tmp_path / "build" / "notebooks" / "01_dies.ipynb", as_version=4)
    assert copy.metadata.papermill["end_time"]  # written at the end, not only when it started


def _running(pid: int) -> bool:
    """Whether process ``pid`` is still running (a zombie waiting to be reaped is not)."""
    status = Path(f"/proc/{pid}/status")
    try:
        return "\tZ" not in next(line for line in status.read_text().splitlines() if line.startswith("State:"))
    except (FileNotFoundError, ProcessLookupError):
        return False


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads process states from /proc")
def test_a_finished_notebook_s_kernel_is_killed_with_what_it_left_running(tmp_path, kernel_shutdowns):
    # the kernel is killed, not asked to shut down and waited for; a process it
    # started and left running goes with it (same process group)
    source = (
        "import subprocess\n"
        "child = subprocess.Popen(['sleep', '120'])\n"
        f"open({str(tmp_path / 'child.pid')!r}, 'w').write(str(child.pid))"
    )
    notebook = _notebook(tmp_path / "01_leaves_a_process.ipynb", source)
    run_study(StudyPaths(SEEDS_DIR, tmp_path / "build", tmp_path / "figures"), notebooks=[notebook])
    assert kernel_shutdowns == [True]
    pid = int((tmp_path / "child.pid").read_text())
    deadline = time.monotonic() + 10
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(pid)


def test_a_notebook_s_imports_are_read_from_its_code_cells(tmp_path):
    notebook = _notebook(
        tmp_path / "01_imports.ipynb",
        "import os.path, json as js\nfrom xml.dom import minidom, pulldom\nfrom . import sibling",
        "%matplotlib inline\nimport colorsys",  # a magic: not Python, left out
        "def later():\n    from email import message\n    return message",
    )
    assert notebook_imports(notebook) == [
        ("os.path", []), ("json", []), ("xml.dom", ["minidom", "pulldom"]), ("email", ["message"]),
    ]  # fmt: skip


def test_preload_imports_modules_and_submodules_and_passes_over_what_fails():
    loaded = preload([("xml.dom", ["minidom", "Node"]), ("no_such_module_here", []), ("json", ["no_such_name"])])
    assert loaded == ["xml.dom", "xml.dom.minidom", "json"]
    import sys

    assert "xml.dom.minidom" in sys.modules


def test_a_kernel_started_ahead_has_its_notebook_s_modules_loaded_and_no_names_defined(tmp_path):
    # colorsys and xml.dom.minidom are imported by nothing a kernel loads on its own
    checks = (
        "import sys\n"
        "assert {'colorsys', 'xml.dom.minidom'} <= set(sys.modules), 'not preloaded'\n"
        "assert 'colorsys' not in globals() and 'minidom' not in globals()"
    )
    first = _notebook(tmp_path / "01_first.ipynb", checks, "import colorsys\nfrom xml.dom import minidom")
    second = _notebook(tmp_path / "02_second.ipynb", checks, "import colorsys\nfrom xml.dom import minidom")
    run_study(StudyPaths(SEEDS_DIR, tmp_path / "build", tmp_path / "figures"), notebooks=[first, second])


def test_a_module_that_does_not_import_fails_in_the_notebook_s_own_cell(tmp_path):
    notebook = _notebook(tmp_path / "01_missing.ipynb", "x = 1", "import no_such_module_in_this_study")
    with pytest.raises(NotebookFailed, match="ModuleNotFoundError.*no_such_module_in_this_study"):
        run_study(StudyPaths(SEEDS_DIR, tmp_path / "build", tmp_path / "figures"), notebooks=[notebook])


def test_the_runner_imports_nbformat_without_the_iri_checker_and_still_validates():
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from helpers.pipeline import skip_iri_format_checker\n"
        "skip_iri_format_checker()\n"
        "import nbformat, papermill\n"
        "assert sys.modules.get('rfc3987_syntax') is None\n"
        "nb = nbformat.read('notebooks/05_report.ipynb', as_version=4)\n"
        "nbformat.validate(nb)\n"
        "bad = nbformat.v4.new_notebook(); bad.cells.append({'cell_type': 'code'})\n"
        "try:\n"
        "    nbformat.validate(bad)\n"
        "except nbformat.ValidationError:\n"
        "    print('invalid notebook caught')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "invalid notebook caught" in done.stdout


def test_missing_corpus_is_a_clear_error_and_exit_code(tmp_path, capsys):
    code = main(["--corpus", str(tmp_path / "nowhere"), "--build", str(tmp_path / "b"), "--figures", str(tmp_path / "f")])
    assert code == 1
    assert "nowhere" in capsys.readouterr().err


def test_seeds_are_the_shared_corpus_byte_for_byte():
    shared = PROJECT_ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip(f"no shared corpus beside the project ({shared})")
    digest = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(SEEDS_DIR.glob("*.txt"))}
    assert digest == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(shared.glob("*.txt"))}
