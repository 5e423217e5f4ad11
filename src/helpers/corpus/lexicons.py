"""Reading the lexicon files: the one reader every step uses.

Lexicons are data files the researcher edits (``helpers/lexicons/``): word lists with
one entry a line, and CSV tables with a header row. In both, lines starting with ``#``
are comments and blank lines are ignored.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..paths import lexicon


def _source(name: str | Path) -> Path:
    """A lexicon's path: a bare file name is looked up in the package's lexicons."""
    return name if isinstance(name, Path) else lexicon(name)


def _data_lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [line for line in handle if line.strip() and not line.lstrip().startswith("#")]


def read_word_list(name: str | Path) -> tuple[str, ...]:
    """The entries of a one-entry-a-line lexicon, stripped, in file order."""
    return tuple(line.strip() for line in _data_lines(_source(name)))


def read_lexicon_rows(name: str | Path) -> tuple[dict[str, str], ...]:
    """The rows of a CSV lexicon as dicts keyed by its header, in file order."""
    return tuple(csv.DictReader(_data_lines(_source(name))))
