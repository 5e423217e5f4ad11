"""The tables passed between stages (``build/``): their columns, and how they are written.

Every table is written twice: as Parquet (typed, compact: what the next stage reads)
and as UTF-8 CSV (what a researcher opens in a spreadsheet or diffs). Columns that
hold whole document texts are left out of the CSV copy.

Large corpora are written in batches with :class:`TableWriter`, so a stage never
holds more than one chunk of documents in memory; :func:`iter_table_batches` reads
them back the same way.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..outputs import temporary_path
from ..paths import resolve
from ..text.duplicates import NUM_PERM

#: Columns left out of the CSV copy: whole document texts, and the MinHash signatures.
TEXT_COLUMNS = ("raw_text", "text_clean", "minhash")

_S, _I, _F, _B = pa.string(), pa.int64(), pa.float64(), pa.bool_()

#: The columns of every table a stage writes, in order, with their types.
SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", _S), ("path", _S), ("sha256", _S), ("bytes", _I), ("encoding", _S),
        ("format", _S), ("title", _S), ("published", _S), ("source", _S), ("status", _S),
        ("error", _S), ("raw_text", _S),
    ]),
    "texts": pa.schema([("doc_id", _S), ("text_clean", _S)]),
    "sections": pa.schema([
        ("doc_id", _S), ("section_id", _I), ("heading", _S), ("province", _S), ("city", _S),
        ("in_body", _B), ("char_start", _I), ("char_end", _I),
    ]),
    "sentences": pa.schema([
        ("doc_id", _S), ("section_id", _I), ("sentence_id", _I), ("text", _S),
        ("char_start", _I), ("char_end", _I),
    ]),
    "dropped": pa.schema([("doc_id", _S), ("line", _S), ("reason", _S)]),
    "signatures": pa.schema([
        ("doc_id", _S), ("text_sha256", _S), ("n_shingles", _I), ("minhash", pa.list_(pa.uint32(), NUM_PERM)),
    ]),
    "stories": pa.schema([
        ("doc_id", _S), ("story_id", _S), ("duplicate_of", _S), ("similarity", _F), ("match", _S),
    ]),
    "quantities": pa.schema([
        ("doc_id", _S), ("province", _S), ("city", _S), ("surface", _S), ("value", _F),
        ("value_high", _F), ("qualifier", _S), ("kind", _S), ("unit", _S), ("object", _S),
        ("section_id", _I), ("sentence_id", _I), ("char_start", _I), ("char_end", _I),
        ("implausible", _S),
    ]),
    "organizations": pa.schema([
        ("doc_id", _S), ("sentence_id", _I), ("name", _S), ("org_type", _S), ("province", _S),
        ("city", _S), ("char_start", _I), ("char_end", _I),
    ]),
    "activities": pa.schema([("doc_id", _S), ("sentence_id", _I), ("code", _S), ("matched_terms", _S)]),
}


def columns(name: str) -> list[str]:
    """The column names of table ``name``, in order."""
    return SCHEMAS[name].names


def empty_table(name: str) -> pd.DataFrame:
    return SCHEMAS[name].empty_table().to_pandas()


def conform(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """``df`` with exactly the columns and types of table ``name`` (missing strings as '')."""
    schema = SCHEMAS[name]
    missing = [c for c in schema.names if c not in df.columns]
    if missing:
        raise ValueError(f"table {name!r} lacks columns {missing}")
    out = df.loc[:, schema.names].copy()
    for field in schema:
        if pa.types.is_string(field.type):
            out[field.name] = out[field.name].fillna("").astype(str)
    return pa.Table.from_pandas(out, schema=schema, preserve_index=False).to_pandas()


def column_lists(df: pd.DataFrame, *names: str) -> list[list]:
    """The values of columns ``names`` of ``df`` as plain lists, to zip over (faster than rows)."""
    return [df[name].tolist() for name in names]


def is_yes(value) -> bool:
    """A yes/no cell (``in_body``) as a bool: ``True``, ``1``, or from CSV text ``'True'``,
    ``'yes'``, ``'y'``, ``'1'``; a missing value is no."""
    if isinstance(value, str):
        return value.strip().lower() in {"yes", "true", "1", "y"}
    return bool(value) and not pd.isna(value)


def section_regions(sections: pd.DataFrame) -> dict[tuple[str, int], tuple[str, str, bool]]:
    """``(doc_id, section_id) -> (province, city, in_body)`` of a ``sections`` table.

    Missing regions are ``''``; a missing ``in_body`` column means every section is body;
    ``in_body`` read from CSV as text (``'True'``, ``'yes'``, ``'1'``) is understood.
    """
    def text(value) -> str:
        return "" if value is None or pd.isna(value) else str(value)

    n = len(sections)
    columns = [sections[c] if c in sections else [default] * n
               for c, default in (("province", ""), ("city", ""), ("in_body", True))]
    return {
        (doc_id, int(section_id)): (text(province), text(city), is_yes(in_body))
        for doc_id, section_id, province, city, in_body
        in zip(sections["doc_id"], sections["section_id"], *columns, strict=True)
    }


def table_path(build_dir: str | Path, name: str, suffix: str = ".parquet") -> Path:
    return resolve(build_dir) / f"{name}{suffix}"


@dataclass(frozen=True)
class Batch:
    """Rows of one table made ready to append: the typed Arrow table and its CSV lines.

    Made by :func:`prepare_batch` where the rows are computed (in a worker process),
    so the process that writes the files only appends them.
    """

    table: pa.Table
    csv_header: str
    csv_body: str

    @staticmethod
    def concat(batches: list[Batch]) -> Batch:
        """The batches one after the other (their tables must have the same schema)."""
        return Batch(pa.concat_tables([b.table for b in batches]), batches[0].csv_header,
                     "".join(b.csv_body for b in batches))


def prepare_batch(df: pd.DataFrame, name: str) -> Batch:
    """``df`` as rows of table ``name``: typed (:func:`conform`) for Parquet, and as CSV
    lines without the columns that hold whole texts."""
    schema = SCHEMAS.get(name)
    df = conform(df, name) if schema is not None else df.reset_index(drop=True)
    table = pa.Table.from_pandas(df, schema=schema, preserve_index=False)
    csv_df = df.drop(columns=[c for c in TEXT_COLUMNS if c in df.columns])
    header = csv_df.iloc[:0].to_csv(index=False, lineterminator="\n")
    body = csv_df.to_csv(index=False, header=False, lineterminator="\n") if len(csv_df) else ""
    return Batch(table, header, body)


class TableWriter:
    """Append batches of rows to ``build_dir/name.parquet`` and ``name.csv``.

    Both are written under temporary names (:func:`helpers.outputs.temporary_path`) and
    moved into place when the writer closes after the last batch; when the block raises,
    or the run is killed, the files of the previous run stay whole and the temporary
    ones are removed (or left under their hidden names, never under the table's).

    >>> with TableWriter(build, "sentences") as out:     # doctest: +SKIP
    ...     for batch in batches:
    ...         out.write(batch)
    """

    def __init__(self, build_dir: str | Path, name: str):
        self.name = name
        self.schema = SCHEMAS[name] if name in SCHEMAS else None
        self.dir = resolve(build_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.parquet_path = self.dir / f"{name}.parquet"
        self.csv_path = self.dir / f"{name}.csv"
        self._tmp = {path: temporary_path(path) for path in (self.parquet_path, self.csv_path)}
        self._parquet: pq.ParquetWriter | None = None
        self._csv = None
        self.rows = 0

    def write(self, df: pd.DataFrame) -> None:
        """Append the rows of ``df``."""
        self.append(prepare_batch(df, self.name))

    def append(self, batch: Batch) -> None:
        """Append rows prepared by :func:`prepare_batch` (one Parquet row group)."""
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self._tmp[self.parquet_path], batch.table.schema)
            self._csv = open(self._tmp[self.csv_path], "w", encoding="utf-8", newline="")
            self._csv.write(batch.csv_header)
        self._parquet.write_table(batch.table)
        self._csv.write(batch.csv_body)
        self.rows += batch.table.num_rows

    def close(self) -> None:
        """Finish both files and move them into place."""
        if self._parquet is None:  # nothing written: still leave an empty, typed table
            self.write(empty_table(self.name) if self.schema is not None else pd.DataFrame())
        self._parquet.close()
        self._csv.close()
        for path, tmp in self._tmp.items():
            os.replace(tmp, path)

    def abandon(self) -> None:
        """Close without moving anything into place: the previous files stay as they were."""
        for handle in (self._parquet, self._csv):
            if handle is not None:
                handle.close()
        for tmp in self._tmp.values():
            tmp.unlink(missing_ok=True)

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abandon()


def write_table(df: pd.DataFrame, build_dir: str | Path, name: str) -> Path:
    """Write ``df`` as ``build_dir/name.parquet`` and ``build_dir/name.csv``; return the Parquet path."""
    with TableWriter(build_dir, name) as out:
        out.write(df)
    return out.parquet_path


class IncompleteRunWarning(UserWarning):
    """A table is read from a build folder whose last run did not complete."""


def warn_if_incomplete(build_dir: str | Path) -> str:
    """Warn (:class:`IncompleteRunWarning`) when the run record of ``build_dir`` says its last
    run did not complete; return the warning ('' when the folder is whole)."""
    from .record import incomplete_run_warning

    message = incomplete_run_warning(build_dir)
    if message:
        warnings.warn(message, IncompleteRunWarning, stacklevel=3)
    return message


def read_table(build_dir: str | Path, name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a table written by :func:`write_table`, naming the stage to run when it is missing,
    and warning when the build folder is from a run that did not complete."""
    path = _existing(build_dir, name)
    warn_if_incomplete(build_dir)
    return pd.read_parquet(path, columns=columns)


def iter_table_batches(build_dir: str | Path, name: str, batch_rows: int = 10_000,
                       columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
    """Read a table back in batches of about ``batch_rows`` rows, in the order written.

    Pre-buffering is off: with it, pyarrow keeps the buffers of every row group it has
    read until the scan ends (apache/arrow#39808), so memory grew with the table.
    """
    path = _existing(build_dir, name)
    warn_if_incomplete(build_dir)
    parquet = pq.ParquetFile(path, pre_buffer=False)
    for batch in parquet.iter_batches(batch_size=batch_rows, columns=columns):
        yield batch.to_pandas()


def _existing(build_dir: str | Path, name: str) -> Path:
    path = table_path(build_dir, name)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist: run the notebook that writes the '{name}' table first "
            "(see the README's table of outputs)"
        )
    return path
