"""The per-document stages over a whole corpus: ingest, clean, extract.

Each stage applies a pure per-document function to every document, a chunk of
documents at a time, and appends the rows to its tables in ``build/`` (Parquet +
CSV) before it reads the next chunk, so memory does not grow with the corpus.
The same code runs in one process (``engine="local"``), on a pool across the
machine's cores (``engine="processes"``) or on a dask.distributed cluster
(``engine="dask"``: a private LocalCluster, or the scheduler named by
``$COVID_ORGS_DASK_SCHEDULER``); results are put back in document order, so the
tables are identical whatever the engine and the number of workers. The next
chunk is already on the workers while the previous one is written.
"""

from __future__ import annotations

import logging
import math
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import resolve
from .progress import Progress
from .tables import TableWriter, columns, empty_table, iter_table_batches, read_table

ENGINES = ("local", "processes", "dask")
USABLE_STATUSES = ("ok", "warning")
DEFAULT_CHUNK = 200
#: Address of a running dask scheduler (``tcp://host:8786``) for ``engine="dask"``.
SCHEDULER_ENV = "COVID_ORGS_DASK_SCHEDULER"
DEFAULT_DASK_WORKERS = 2


# --- engines ---------------------------------------------------------------------------

class LocalExecutor:
    """Runs everything in this process: the reference the other engines must equal."""

    def map(self, func: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return map(func, items)


class DaskExecutor:
    """An order-preserving ``map`` on a dask.distributed cluster.

    The items of one call are sent as a few batches per worker (one task per
    batch, not per document, so scheduling costs little), submitted at once;
    the returned iterator gathers them back in input order.
    """

    def __init__(self, client: Any, batches_per_worker: int = 4):
        self.client = client
        self.batches_per_worker = batches_per_worker
        self.threads = max(1, sum(client.nthreads().values()))

    def map(self, func: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        items = list(items)
        if not items:
            return iter(())
        size = math.ceil(len(items) / (self.threads * self.batches_per_worker))
        batches = [items[i:i + size] for i in range(0, len(items), size)]
        futures = self.client.map(partial(_apply_to_batch, func), batches, pure=False)
        return _gather_in_order(self.client, futures)


def _apply_to_batch(func: Callable[[Any], Any], batch: list[Any]) -> list[Any]:
    return [func(item) for item in batch]


def _gather_in_order(client: Any, futures: list[Any]) -> Iterator[Any]:
    for batch in client.gather(futures):
        yield from batch


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
                scheduler: str | None = None) -> Iterator[Executor | LocalExecutor | DaskExecutor]:
    """An executor whose ``map`` keeps the order of its inputs.

    ``local``: this process. ``processes``: a pool of ``workers`` processes (default:
    one per core). ``dask``: a dask.distributed cluster: the scheduler at ``scheduler``
    or ``$COVID_ORGS_DASK_SCHEDULER`` (its workers must have ``helpers`` installed),
    else a LocalCluster of ``workers`` processes (default 2).
    """
    if engine == "local":
        yield LocalExecutor()
    elif engine == "processes":
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield pool
    elif engine == "dask":
        with _dask_client(workers, scheduler) as client:
            yield DaskExecutor(client)
    else:
        raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
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


# --- 01 ingest -------------------------------------------------------------------------

def run_ingest(corpus_dir: str | Path, build_dir: str | Path, engine: str = "local",
               chunk_size: int = DEFAULT_CHUNK, workers: int | None = None,
               scheduler: str | None = None) -> pd.DataFrame:
    """Read every file of the corpus into ``documents``; return its metadata (no texts)."""
    from .ingest import assign_doc_ids, list_corpus_files, read_document

    corpus = resolve(corpus_dir)
    files = list_corpus_files(corpus)
    doc_ids = assign_doc_ids(files, corpus)
    read = partial(read_document, corpus_dir=corpus)
    progress = Progress(len(files), "ingest")
    with open_engine(engine, workers, scheduler) as pool, TableWriter(build_dir, "documents") as out:
        chunks = _chunks(zip(files, doc_ids, strict=True), chunk_size)
        for chunk, rows in map_chunks(pool, partial(_read_with_id, read), chunks):
            out.write(pd.DataFrame(rows, columns=columns("documents")))
            progress.advance(len(chunk))
    progress.finish()
    return read_table(build_dir, "documents", columns=columns("documents")[:-1])


def _read_with_id(read: Callable[[Path], dict], item: tuple[Path, str]) -> dict:
    path, doc_id = item
    row = read(path)
    row["doc_id"] = doc_id
    return row


# --- 02 clean --------------------------------------------------------------------------

def clean_one(doc: dict) -> dict[str, list[dict]]:
    """Clean one document: its text, sections, sentences and the lines dropped outright."""
    from .clean import clean_document

    cleaned = clean_document(doc["raw_text"], doc["format"], doc.get("title") or "")
    doc_id = doc["doc_id"]
    return {
        "texts": [{"doc_id": doc_id, "text_clean": cleaned.text}],
        "sections": [{"doc_id": doc_id, **s} for s in cleaned.sections],
        "sentences": [{"doc_id": doc_id, **s} for s in cleaned.sentences],
        "dropped": [{"doc_id": doc_id, **d} for d in cleaned.dropped],
    }


CLEAN_TABLES = ("texts", "sections", "sentences", "dropped")


def run_clean(build_dir: str | Path, engine: str = "local", chunk_size: int = DEFAULT_CHUNK,
              workers: int | None = None, scheduler: str | None = None) -> dict[str, int]:
    """Clean every usable document of ``documents``; return the number of rows per table."""
    wanted = ["doc_id", "raw_text", "format", "title", "status"]
    total = int(read_table(build_dir, "documents", columns=["status"])["status"].isin(USABLE_STATUSES).sum())
    progress = Progress(total, "clean")
    batches = iter_table_batches(build_dir, "documents", chunk_size, columns=wanted)
    usable = (batch[batch["status"].isin(USABLE_STATUSES)].to_dict("records") for batch in batches)
    with open_engine(engine, workers, scheduler) as pool, ExitStack() as stack:
        writers = {name: stack.enter_context(TableWriter(build_dir, name)) for name in CLEAN_TABLES}
        for docs, results in map_chunks(pool, clean_one, usable):
            for name, writer in writers.items():
                writer.write(_rows(results, name))
            progress.advance(len(docs))
    progress.finish()
    return {name: writer.rows for name, writer in writers.items()}


# --- 03 extract ------------------------------------------------------------------------

EXTRACT_TABLES = ("quantities", "organizations", "activities")


def extract_one(doc: tuple[pd.DataFrame, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Quantities, organizations and activity codes of one document's in-body sentences."""
    from .activities import activities_table
    from .organizations import organizations_table
    from .quantities import quantities_table

    sentences, sections = doc
    return {
        "quantities": quantities_table(sentences, sections),
        "organizations": organizations_table(sentences, sections),
        "activities": activities_table(sentences),
    }


def iter_documents_rows(build_dir: str | Path, name: str, batch_rows: int = 20_000) -> Iterator[pd.DataFrame]:
    """Table ``name`` one whole document at a time (index 0..n-1), reading it in batches.

    The rows of a document must be contiguous, as the stages write them.
    """
    carry = None
    for batch in iter_table_batches(build_dir, name, batch_rows):
        if carry is not None:
            batch = pd.concat([carry, batch], ignore_index=True)
        last = batch["doc_id"].iloc[-1]
        complete, carry = batch[batch["doc_id"] != last], batch[batch["doc_id"] == last]
        for _, doc in complete.groupby("doc_id", sort=False):
            yield doc.reset_index(drop=True)
    if carry is not None and len(carry):
        yield carry.reset_index(drop=True)


def iter_documents_sentences(build_dir: str | Path, batch_rows: int = 20_000) -> Iterator[pd.DataFrame]:
    """The ``sentences`` table one whole document at a time, reading it in batches."""
    return iter_documents_rows(build_dir, "sentences", batch_rows)


def align_to_documents(doc_ids: Iterable[str], frames: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame | None]:
    """For each id of ``doc_ids``, its frame from ``frames`` (same order), or None if it has none."""
    frames = iter(frames)
    current = next(frames, None)
    for doc_id in doc_ids:
        if current is not None and current["doc_id"].iloc[0] == doc_id:
            yield current
            current = next(frames, None)
        else:
            yield None
    if current is not None:
        raise ValueError(f"document {current['doc_id'].iloc[0]!r} is out of the order of the 'texts' "
                         "table: re-run the clean stage")


def iter_extract_inputs(build_dir: str | Path) -> Iterator[tuple[pd.DataFrame, pd.DataFrame] | None]:
    """``(sentences, sections)`` of every cleaned document, in order; None if it has no sentences.

    Both tables are streamed side by side, so memory does not grow with the corpus.
    """
    doc_ids = read_table(build_dir, "texts", columns=["doc_id"])["doc_id"].tolist()
    sentences = align_to_documents(doc_ids, iter_documents_rows(build_dir, "sentences"))
    sections = align_to_documents(doc_ids, iter_documents_rows(build_dir, "sections"))
    no_sections = empty_table("sections")
    for doc_sentences, doc_sections in zip(sentences, sections, strict=True):
        if doc_sentences is None:
            yield None
        else:
            yield doc_sentences, (no_sections if doc_sections is None else doc_sections)


def _extract_or_skip(doc: tuple[pd.DataFrame, pd.DataFrame] | None) -> dict[str, pd.DataFrame] | None:
    return None if doc is None else extract_one(doc)


def run_extract(build_dir: str | Path, engine: str = "local", chunk_size: int = DEFAULT_CHUNK,
                workers: int | None = None, scheduler: str | None = None) -> dict[str, int]:
    """Extract from every document's sentences; return the number of rows per table."""
    total = len(read_table(build_dir, "texts", columns=["doc_id"]))
    progress = Progress(total, "extract")
    with open_engine(engine, workers, scheduler) as pool, ExitStack() as stack:
        writers = {name: stack.enter_context(TableWriter(build_dir, name)) for name in EXTRACT_TABLES}
        chunks = _chunks(iter_extract_inputs(build_dir), chunk_size)
        for chunk, results in map_chunks(pool, _extract_or_skip, chunks):
            results = [r for r in results if r is not None]
            for name, writer in writers.items():
                frames = [r[name] for r in results if len(r[name])]
                if frames:
                    writer.write(pd.concat(frames, ignore_index=True))
            progress.advance(len(chunk))
    progress.finish()
    return {name: writer.rows for name, writer in writers.items()}


def _rows(results: list[dict[str, list[dict]]], name: str) -> pd.DataFrame:
    rows = [row for result in results for row in result[name]]
    return pd.DataFrame(rows, columns=columns(name))
