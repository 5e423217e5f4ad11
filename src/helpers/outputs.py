"""Writing a product file whole or not at all.

Every table, figure and index the study writes goes first to a temporary name in the
same folder (``.name.tmp-<pid>``) and is moved into place (``os.replace``, atomic on one
file system) only once it is complete. A run that fails or is killed leaves the previous
file as it was, never half a CSV or a Parquet file without its footer under the final
name; the temporary file is removed when the writing fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

TEMPORARY_MARK = ".tmp-"


def temporary_path(path: Path) -> Path:
    """Where ``path`` is written before it is complete: a hidden name beside it."""
    return path.with_name(f".{path.name}{TEMPORARY_MARK}{os.getpid()}")


@contextmanager
def output_file(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; move it to ``path`` when the block ends without error.

    >>> with output_file(build / "periods.csv") as tmp:      # doctest: +SKIP
    ...     table.to_csv(tmp, index=False)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_csv(df: pd.DataFrame, path: str | Path, **to_csv) -> Path:
    """``df.to_csv(path, ...)`` written whole or not at all; ``index=False`` and ``\\n`` line
    ends unless ``to_csv`` says otherwise."""
    to_csv = {"index": False, "lineterminator": "\n", **to_csv}
    with output_file(path) as tmp:
        df.to_csv(tmp, **to_csv)
    return Path(path)


def write_text(path: str | Path, text: str) -> Path:
    """A UTF-8 text file with ``\\n`` line ends, written whole or not at all."""
    with output_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)


def leftover_temporaries(folder: str | Path) -> list[Path]:
    """Temporary files a killed run left in ``folder`` (never under a product's name)."""
    folder = Path(folder)
    return sorted(p for p in folder.glob(f".*{TEMPORARY_MARK}*") if p.is_file()) if folder.is_dir() else []
