"""Kernels forked from a template process: the same kernel as one started anew, from the same state."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from helpers.forking import fork_is_safe
from helpers.kernel_template import EXITED, ForkedKernelProcess, KernelTemplate
from helpers.paths import SEEDS_DIR
from helpers.pipeline import StudyPaths, ensure_kernel, run_study, start_kernel, stop_kernel
from test_runner import _notebook  # the runner tests' notebook maker

pytestmark = pytest.mark.skipif(not fork_is_safe(), reason="kernels are forked only where fork is safe")

REPORT = (
    "import json, os, sys\n"
    "open({out!r}, 'w').write(json.dumps({{\n"
    "    'cwd': os.getcwd(), 'path': sys.path, 'executable': sys.executable,\n"
    "    'mplbackend': os.environ.get('MPLBACKEND'), 'own_group': os.getpgid(0) == os.getpid(),\n"
    "    'pid': os.getpid(), 'ppid': os.getppid(), 'preloaded': 'colorsys' in sys.modules,\n"
    "}}))"
)


def _kernel_facts(tmp_path: Path, fork_kernels: bool) -> list[dict]:
    folder = tmp_path / ("forked" if fork_kernels else "started")
    folder.mkdir()
    notebooks = [_notebook(folder / f"0{i}_facts.ipynb", REPORT.format(out=str(folder / f"{i}.json")),
                           "import colorsys") for i in (1, 2)]  # fmt: skip
    run_study(StudyPaths(SEEDS_DIR, folder / "build", folder / "figures"), notebooks=notebooks,
              fork_kernels=fork_kernels)  # fmt: skip
    return [json.loads((folder / f"{i}.json").read_text()) for i in (1, 2)]


def test_a_forked_kernel_is_the_kernel_a_new_process_would_be(tmp_path):
    forked, started = _kernel_facts(tmp_path, True), _kernel_facts(tmp_path, False)
    same = ("path", "executable", "mplbackend", "own_group", "preloaded")
    for f, s in zip(forked, started, strict=True):
        assert {k: f[k] for k in same} == {k: s[k] for k in same}
        assert f["own_group"] and f["preloaded"]
        assert Path(f["cwd"]).name == "forked" and Path(s["cwd"]).name == "started"
    # started kernels are children of the runner; forked ones of one template, not of each other
    assert {s["ppid"] for s in started} == {os.getpid()}
    assert len({f["ppid"] for f in forked}) == 1 and forked[0]["ppid"] != os.getpid()
    assert forked[0]["pid"] != forked[1]["pid"]


def test_only_the_template_s_own_interpreter_running_ipykernel_is_forked():
    template = KernelTemplate([sys.executable, "-Xfrozen_modules=off"])
    try:
        assert template.can_fork([sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c.json"])
        assert not template.can_fork([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"])
        assert not template.can_fork(["/usr/bin/env", "python3", "-m", "ipykernel_launcher"])
        assert not template.can_fork([sys.executable, "-Xfrozen_modules=off", "-m", "other_kernel"])
    finally:
        template.close()
    assert template.process.poll() is not None


def test_a_template_that_died_is_named_and_the_kernel_starts_the_usual_way(tmp_path):
    kernel = ensure_kernel()
    template = KernelTemplate.for_kernel(kernel)
    template.process.kill()
    template.process.wait()
    with pytest.raises(RuntimeError, match=r"kernel template \(pid \d+\) exited"):
        template.fork([*template.interpreter, "-m", "ipykernel_launcher"], tmp_path, dict(os.environ))
    manager = start_kernel(kernel, tmp_path, [], template)  # not forkable any more: a new process
    try:
        assert not isinstance(manager.provisioner.process, ForkedKernelProcess)
        assert manager.provisioner.process.poll() is None
    finally:
        stop_kernel(manager)
        template.close()


def test_a_forked_kernel_is_polled_and_killed_by_its_pid(tmp_path):
    kernel = ensure_kernel()
    template = KernelTemplate.for_kernel(kernel)
    try:
        manager = start_kernel(kernel, tmp_path, [], template)
        process = manager.provisioner.process
        assert isinstance(process, ForkedKernelProcess) and process.poll() is None
        assert os.getpgid(process.pid) == process.pid  # its own process group, signalled as a whole
        stop_kernel(manager)
        assert process.wait(timeout=5) == EXITED
    finally:
        template.close()
