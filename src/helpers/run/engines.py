"""Where the per-document work runs: this process, a pool of processes, or a Dask cluster.

The same code runs in one process (``engine="local"``), on a pool across the
machine's cores (``engine="processes"``) or on a dask.distributed cluster
(``engine="dask"``: a private LocalCluster, or the scheduler named by
``$COVID_ORGS_DASK_SCHEDULER``); results come back in the order given, so the
tables are identical whatever the engine and the number of workers.
"""

from __future__ import annotations

import logging
import math
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

import pandas as pd

from .progress import Progress
from .tables import (
    Batch,
    TableWriter,
    columns,
    prepare_batch,
)

ENGINES = ("local", "processes", "dask")


#: Address of a running dask scheduler (``tcp://host:8786``) for ``engine="dask"``.
SCHEDULER_ENV = "COVID_ORGS_DASK_SCHEDULER"
DEFAULT_DASK_WORKERS = 2


# --- engines ---------------------------------------------------------------------------

class LocalExecutor:
    """Runs everything in this process: the reference the other engines must equal."""

    def map(self, func: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return map(func, items)


@contextmanager
def _dask_client(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """A client of the scheduler at ``scheduler`` (or ``$COVID_ORGS_DASK_SCHEDULER``),
    else of a private LocalCluster of ``workers`` single-threaded processes."""
    from dask.distributed import Client, LocalCluster

    address = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if address:
        with Client(address) as client:
            yield client
        return
    with LocalCluster(n_workers=workers or DEFAULT_DASK_WORKERS, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client


@contextmanager
def open_engine(engine: str = "local", workers: int | None = None,
                scheduler: str | None = None) -> Iterator[Executor | LocalExecutor]:
    """An executor whose ``map`` keeps the order of its inputs.

    ``local``: this process. ``processes``: a pool of ``workers`` processes (default:
    one per core). ``dask``: a dask.distributed cluster: the scheduler at ``scheduler``
    or ``$COVID_ORGS_DASK_SCHEDULER`` (its workers must have ``helpers`` installed),
    else a LocalCluster of ``workers`` processes (default 2); its executor is distributed's
    own (``Client.get_executor``), one task per item mapped (a piece of a chunk).
    """
    if engine == "local":
        yield LocalExecutor()
    elif engine == "processes":
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield pool
    elif engine == "dask":
        with _dask_client(workers, scheduler) as client, client.get_executor(pure=False) as executor:
            yield executor
    else:
        raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def map_chunks(pool: Any, func: Callable[[Any], Any], chunks: Iterable[list[Any]],
               ahead: int = 1) -> Iterator[tuple[list[Any], list[Any]]]:
    """``(chunk, [func(item) for item in chunk])`` for every chunk, in order.

    ``ahead`` more chunks are handed to the pool before a chunk's results are
    returned, so the workers keep busy while the caller writes the results.
    """
    pending: deque[tuple[list[Any], Iterator[Any]]] = deque()
    for chunk in chunks:
        pending.append((chunk, pool.map(func, chunk)))
        if len(pending) > ahead:
            done, results = pending.popleft()
            yield done, list(results)
    while pending:
        done, results = pending.popleft()
        yield done, list(results)


#: Pieces each chunk is cut into for the workers: enough to keep every core of a small
#: machine busy, few enough that sending them costs little.
PIECES_PER_CHUNK = 4


def pieces_of(chunk: list[Any], engine: str) -> list[list[Any]]:
    """``chunk`` cut into consecutive pieces, one task each (the local engine: one piece)."""
    if engine == "local" or len(chunk) <= 1:
        return [chunk]
    size = math.ceil(len(chunk) / PIECES_PER_CHUNK)
    return [chunk[i:i + size] for i in range(0, len(chunk), size)]


def tables_of_piece(per_document: Callable[[Any], dict[str, list]], names: tuple[str, ...],
                    piece: list[Any]) -> dict[str, Batch]:
    """Apply ``per_document`` to every item of ``piece`` and prepare its rows for writing.

    ``per_document`` returns, per table name, a list of rows (dicts, or tuples in the
    table's column order). It runs where the work is done (a worker), so the writing
    process only appends the prepared batches.
    """
    results = list(map(per_document, piece))
    return prepared_tables({name: [row for r in results for row in r[name]] for name in names}, names)


def prepared_tables(rows: dict[str, list], names: tuple[str, ...]) -> dict[str, Batch]:
    """The rows of each table of ``names`` (none where ``rows`` has no entry), prepared for writing."""
    return {name: prepare_batch(pd.DataFrame(rows.get(name, []), columns=columns(name)), name) for name in names}


def run_pieces(pool: Any, work: Callable[[Any], dict[str, Batch]], pieces_of_chunks: Iterable[list[Any]],
               writers: dict[str, TableWriter], progress: Progress,
               documents_in: Callable[[Any], int] = len) -> None:
    """Run ``work`` on every piece of every chunk and append its batches, chunk by chunk in order."""
    for pieces, results in map_chunks(pool, work, pieces_of_chunks):
        for name, writer in writers.items():
            writer.append(Batch.concat([result[name] for result in results]))
        progress.advance(sum(map(documents_in, pieces)))
