"""JupyterLab for the study: its notebooks are saved without outputs, and only its kernel is offered.

``make lab`` starts ``jupyter lab --config=jupyter_server_config.py`` (the file at the
project root), which sets :func:`strip_outputs_hook` as the contents manager's
pre-save hook. A researcher can open, run and save any of the study's notebooks:
the browser keeps the outputs on screen, the file on disk gets none, so
``git status`` stays clean and the committed notebooks stay source files.
Executed copies with their outputs are build products (``build/notebooks/``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from pathlib import PurePosixPath
from typing import Any

from ..paths import NOTEBOOKS_DIR, PROJECT_ROOT
from .pipeline import KERNEL_NAME

STUDY_NOTEBOOKS = NOTEBOOKS_DIR.name
"""Notebooks saved under this folder (relative to the lab's root) are stripped of outputs."""


def strip_outputs(notebook: MutableMapping[str, Any]) -> int:
    """Remove the outputs and execution counts of every code cell, in place; return cells changed."""
    changed = 0
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            changed += 1
        cell["outputs"] = []
        cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)  # JupyterLab's optional timing record
    return changed


def is_study_notebook(path: str) -> bool:
    """Whether ``path`` (as the contents API gives it, relative to the lab's root) is one of the study's notebooks."""
    parts = PurePosixPath(path.strip("/")).parts
    return len(parts) >= 2 and parts[0] == STUDY_NOTEBOOKS and parts[-1].endswith(".ipynb")


def strip_outputs_hook(model: dict[str, Any], path: str, contents_manager: Any = None, **kwargs: Any) -> None:
    """``ContentsManager.pre_save_hook``: the study's notebooks reach the disk without outputs."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), MutableMapping):
        return
    if is_study_notebook(path):
        strip_outputs(model["content"])


def headless() -> bool:
    """No display to open a browser on (a container, a server over ssh)."""
    if sys.platform in ("darwin", "win32"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def configure(c: Any) -> None:
    """Fill a Jupyter server config ``c`` (from ``jupyter_server_config.py``) for the study."""
    c.ServerApp.root_dir = str(PROJECT_ROOT)  # figures/, build/report.html and README.md in the file browser
    c.ServerApp.allow_root = hasattr(os, "geteuid") and os.geteuid() == 0
    c.ServerApp.open_browser = not headless()
    c.FileContentsManager.pre_save_hook = "helpers.run.lab.strip_outputs_hook"
    c.KernelSpecManager.allowed_kernelspecs = {KERNEL_NAME}
    c.KernelSpecManager.ensure_native_kernel = False
    c.MappingKernelManager.default_kernel_name = KERNEL_NAME
    # kernels talk to the server over local sockets: no "running over TCP without encryption" warning
    c.KernelManager.transport = "ipc" if os.name == "posix" else "tcp"
