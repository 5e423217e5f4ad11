"""An IPython extension that imports a notebook's modules while its kernel starts.

The study starts each notebook's kernel while the notebook before it runs
(:func:`helpers.pipeline.start_kernel`). A kernel started that way is given the
modules the notebook's own ``import`` statements name
(:func:`helpers.pipeline.notebook_imports`) in the environment variable
:data:`PRELOAD_ENV`, and this extension imports them before the kernel reports
ready, so the notebook's import cell finds them loaded instead of waiting for
pandas or matplotlib to import.

Only ``sys.modules`` changes: no name is defined in the notebook's namespace
(the notebook's ``import`` statements still bind every name it uses), and no
code runs but the modules' own import. A module that fails to import is passed
over here: the notebook's import statement raises the error in its own cell,
where the researcher sees it.
"""

from __future__ import annotations

import importlib
import json
import os

PRELOAD_ENV = "COVID_ORGS_KERNEL_PRELOAD"
"""JSON list of ``[module, [names]]``: ``import module`` and ``from module import names``."""


def preload(imports: list[tuple[str, list[str]]]) -> list[str]:
    """Import each module (and each name of a ``from`` import that is a submodule); return those loaded."""
    loaded = []
    for module_name, names in imports:
        try:
            module = importlib.import_module(module_name)
        except Exception:  # noqa: BLE001 - the notebook's own import reports it
            continue
        loaded.append(module_name)
        for name in names:
            if not hasattr(module, name):  # ``from package import submodule``
                try:
                    importlib.import_module(f"{module_name}.{name}")
                    loaded.append(f"{module_name}.{name}")
                except Exception:  # noqa: BLE001
                    pass
    return loaded


def load_ipython_extension(ipython) -> None:  # noqa: ARG001 - IPython's extension hook
    preload([(m, list(n)) for m, n in json.loads(os.environ.get(PRELOAD_ENV) or "[]")])
