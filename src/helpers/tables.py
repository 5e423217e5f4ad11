"""Reading and writing the tables passed between stages (``build/``).

Every table is written twice: as Parquet (typed, compact, what the next stage
reads) and as UTF-8 CSV (what a researcher opens in a spreadsheet or diffs).
Columns holding whole document texts are left out of the CSV copy.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .paths import resolve

TEXT_COLUMNS = ("raw_text", "text_clean")


def table_path(build_dir: str | Path, name: str, suffix: str = ".parquet") -> Path:
    return resolve(build_dir) / f"{name}{suffix}"


def write_table(df: pd.DataFrame, build_dir: str | Path, name: str) -> Path:
    """Write ``df`` as ``build_dir/name.parquet`` and ``build_dir/name.csv``; return the Parquet path."""
    out = resolve(build_dir)
    out.mkdir(parents=True, exist_ok=True)
    df = df.reset_index(drop=True)
    parquet = out / f"{name}.parquet"
    df.to_parquet(parquet, index=False)
    csv_df = df.drop(columns=[c for c in TEXT_COLUMNS if c in df.columns])
    csv_df.to_csv(out / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
    return parquet


def read_table(build_dir: str | Path, name: str) -> pd.DataFrame:
    """Read a table written by :func:`write_table`, naming the stage to run when it is missing."""
    path = table_path(build_dir, name)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist: run the notebook that writes the '{name}' table first "
            "(see the README's table of outputs)"
        )
    return pd.read_parquet(path)
