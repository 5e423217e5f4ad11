"""Where things are: the one place that knows the project's folders.

Notebooks and scripts never build paths from their own working directory;
they ask this module. Relative paths given as parameters (``corpus_dir="seeds"``)
are resolved against the project root, so a notebook executed from
``build/notebooks/`` or opened in JupyterLab from ``notebooks/`` finds the
same folders.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
LEXICON_DIR = PACKAGE_DIR / "lexicons"


def _find_project_root() -> Path:
    """The folder holding ``pyproject.toml`` above this package (editable install)."""
    for parent in PACKAGE_DIR.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "notebooks").is_dir():
            return parent
    return Path.cwd()


PROJECT_ROOT = _find_project_root()
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
SEEDS_DIR = PROJECT_ROOT / "seeds"
GOLD_DIR = PROJECT_ROOT / "gold"
DEV_DIR = PROJECT_ROOT / "dev"
"""The development corpus of real reports: gold tables at its top, the reports in ``docs/``."""
DEV_DOCS_DIR = DEV_DIR / "docs"
BUILD_DIR = PROJECT_ROOT / "build"
FIGURES_DIR = PROJECT_ROOT / "figures"
PYPROJECT_FILE = PROJECT_ROOT / "pyproject.toml"
LOCK_FILE = PROJECT_ROOT / "requirements.lock"
"""Every package the study installs, pinned with hashes (``make lock`` writes it)."""


def resolve(path: str | Path) -> Path:
    """An absolute path: ``path`` itself if absolute, else relative to the project root."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (PROJECT_ROOT / p)


def display_path(path: str | Path) -> str:
    """``path`` as a parameter is shown: relative to the project root when inside it
    (``seeds``), so that it reads the same in every checkout; else absolute."""
    absolute = resolve(path)
    try:
        return absolute.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(absolute)


def lexicon(name: str) -> Path:
    """Path of a lexicon data file shipped with the package (``units.csv``, ...)."""
    path = LEXICON_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"lexicon {name!r} not found in {LEXICON_DIR}")
    return path
