"""Every third-party module the study's code imports is a dependency pyproject.toml declares."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from helpers.paths import PROJECT_ROOT, PYPROJECT_FILE

SRC = PROJECT_ROOT / "src"


def imported_modules(root: Path) -> dict[str, set[str]]:
    """Top-level names of the absolute imports in the Python files under ``root``, with the
    files that import each (imports inside functions included)."""
    found: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.partition(".")[0], set()).add(str(path.relative_to(root)))
    return found


def declared_distributions() -> set[str]:
    project = tomllib.loads(PYPROJECT_FILE.read_text(encoding="utf-8"))["project"]
    return {canonicalize_name(Requirement(line).name) for line in project["dependencies"]}


def test_imports_are_found_inside_functions_too(tmp_path):
    (tmp_path / "m.py").write_text("import os\n\ndef f():\n    from PIL import Image\n    from . import x\n")
    assert set(imported_modules(tmp_path)) == {"os", "PIL"}


def test_every_third_party_import_in_src_is_a_declared_dependency():
    owners = packages_distributions()
    declared = declared_distributions()
    undeclared = {}
    for module, files in imported_modules(SRC).items():
        if module in sys.stdlib_module_names or module in ("__future__", "helpers"):
            continue
        distributions = {canonicalize_name(d) for d in owners.get(module, [])}
        assert distributions, f"{module} (imported in {sorted(files)}) belongs to no installed distribution"
        if not distributions & declared:
            undeclared[module] = (sorted(distributions), sorted(files))
    assert not undeclared, f"imported but not in pyproject.toml dependencies: {undeclared}"
