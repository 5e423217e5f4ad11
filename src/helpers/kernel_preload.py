"""An IPython extension that loads a notebook's modules and data while its kernel starts.

The study starts each notebook's kernel while the notebook before it runs
(:func:`helpers.pipeline.start_kernel`). A kernel started that way is given the
modules the notebook's own ``import`` statements name
(:func:`helpers.pipeline.notebook_imports`) in the environment variable
:data:`PRELOAD_ENV`, and this extension, before the kernel reports ready:

1. imports them, so the notebook's import cell finds them loaded instead of
   waiting for pandas or matplotlib to import;
2. calls :data:`WARM_UP_HOOK` (``warm_up(names)``) of each of the study's own
   modules (``helpers.*``) that defines one, with the names the notebook imports
   from it (``None`` when it imports the module itself): the module loads what
   its first call would (jieba's dictionary, the gazetteer, the CJK font), so the
   notebook's first call does not wait for it either.

Where the study forks its kernels from a template process
(:mod:`helpers.kernel_template`), the template calls :func:`preload` once per
notebook and each kernel inherits what it loaded: the extension then finds
every module imported and every warm-up done (each is done once a process).

Only ``sys.modules`` and the modules' caches change: no name is defined in the
notebook's namespace (its ``import`` statements still bind every name it uses),
no file is written, and the results are the same with or without the preload.
A module that fails to import, or a warm-up that fails, is passed over here:
the notebook's own import or call raises the error in its own cell, where the
researcher sees it.
"""

from __future__ import annotations

import importlib
import json
import os
from types import ModuleType

PRELOAD_ENV = "COVID_ORGS_KERNEL_PRELOAD"
"""JSON list of ``[module, [names]]``: ``import module`` and ``from module import names``."""

WARM_UP_HOOK = "warm_up"
"""The function of a ``helpers`` module that loads its data ahead: ``warm_up(names | None)``."""

STUDY_PACKAGE = "helpers"

_warmed: set[tuple[str, tuple[str, ...] | None]] = set()
"""The warm-ups done in this process, each done once (a kernel forked from
:mod:`helpers.kernel_template` inherits the template's)."""


def _warm_up(module: ModuleType, names: list[str] | None) -> None:
    if module.__name__.split(".")[0] != STUDY_PACKAGE:
        return
    key = (module.__name__, None if names is None else tuple(sorted(names)))
    if key in _warmed:
        return
    _warmed.add(key)
    hook = getattr(module, WARM_UP_HOOK, None)
    if callable(hook):
        try:
            hook(names)
        except Exception:  # noqa: BLE001 - the notebook's own call reports it
            pass


def preload(imports: list[tuple[str, list[str]]]) -> list[str]:
    """Import each module (and each name of a ``from`` import that is a submodule) and
    warm the study's modules up; return the modules loaded."""
    loaded = []
    for module_name, names in imports:
        try:
            module = importlib.import_module(module_name)
        except Exception:  # noqa: BLE001 - the notebook's own import reports it
            continue
        loaded.append(module_name)
        submodules = []
        for name in names:
            if not hasattr(module, name):  # ``from package import submodule``
                try:
                    submodules.append(importlib.import_module(f"{module_name}.{name}"))
                    loaded.append(f"{module_name}.{name}")
                except Exception:  # noqa: BLE001
                    pass
            elif isinstance(getattr(module, name), ModuleType):  # a submodule imported before
                submodules.append(getattr(module, name))
        sub_names = {m.__name__.rsplit(".", 1)[-1] for m in submodules}
        _warm_up(module, None if not names else [n for n in names if n not in sub_names])
        for submodule in submodules:
            _warm_up(submodule, None)
    return loaded


def load_ipython_extension(ipython) -> None:  # noqa: ARG001 - IPython's extension hook
    preload([(m, list(n)) for m, n in json.loads(os.environ.get(PRELOAD_ENV) or "[]")])
