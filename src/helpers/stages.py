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

A chunk goes to the workers cut into a few pieces, one task each; a worker returns
its piece's rows already typed for Parquet and formatted as CSV (:class:`~helpers.tables.Batch`),
so the process that writes the tables does little more than append them.
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
from .tables import (
    Batch,
    TableWriter,
    columns,
    empty_table,
    iter_table_batches,
    prepare_batch,
    read_table,
)

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


#: Pieces each chunk is cut into for the workers: enough to keep every core of a small
#: machine busy, few enough that sending them costs little.
PIECES_PER_CHUNK = 4


def _pieces(chunk: list[Any], engine: str) -> list[list[Any]]:
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


# --- 01 ingest -------------------------------------------------------------------------

def run_ingest(corpus_dir: str | Path, build_dir: str | Path, engine: str = "local",
               chunk_size: int = DEFAULT_CHUNK, workers: int | None = None,
               scheduler: str | None = None) -> pd.DataFrame:
    """Read every file of the corpus into ``documents``; return its metadata (no texts)."""
    from .ingest import assign_doc_ids, list_corpus_files, read_document

    corpus = resolve(corpus_dir)
    files = list_corpus_files(corpus)
    doc_ids = assign_doc_ids(files, corpus)
    read = partial(_read_with_id, partial(read_document, corpus_dir=corpus))
    progress = Progress(len(files), "ingest")
    with open_engine(engine, workers, scheduler) as pool, TableWriter(build_dir, "documents") as out:
        chunks = _chunks(zip(files, doc_ids, strict=True), chunk_size)
        run_pieces(pool, partial(tables_of_piece, read, ("documents",)),
                   (_pieces(chunk, engine) for chunk in chunks), {"documents": out}, progress)
    progress.finish()
    return read_table(build_dir, "documents", columns=columns("documents")[:-1])


def _read_with_id(read: Callable[[Path], dict], item: tuple[Path, str]) -> dict[str, list[dict]]:
    path, doc_id = item
    row = read(path)
    row["doc_id"] = doc_id
    return {"documents": [row]}


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
        run_pieces(pool, partial(tables_of_piece, clean_one, CLEAN_TABLES),
                   (_pieces(docs, engine) for docs in usable), writers, progress)
    progress.finish()
    return {name: writer.rows for name, writer in writers.items()}


# --- 03 extract ------------------------------------------------------------------------

EXTRACT_TABLES = ("quantities", "organizations", "activities")


def extract_one(doc: tuple[pd.DataFrame, pd.DataFrame]) -> dict[str, list[tuple]]:
    """Quantities, organizations and activity codes of one document's in-body sentences:
    per table, its rows as tuples in the table's column order."""
    return extract_rows(*doc)


def extract_rows(sentences: pd.DataFrame, sections: pd.DataFrame) -> dict[str, list[tuple]]:
    """:func:`extract_one` for the documents of ``sentences`` (one or more, each one's rows
    together, in order), with their ``sections``.

    Quantities and activity codes are read sentence by sentence, so they are read from
    all the documents at once; organizations depend on the sentence before and on the
    whole document (one row per name), so they are read one document at a time.
    """
    from .activities import activity_rows
    from .organizations import organization_rows
    from .quantities import quantity_rows

    doc_ids = sentences["doc_id"].unique().tolist()
    documents = [(sentences, sections)] if len(doc_ids) == 1 else documents_of(doc_ids, sentences, sections)
    return {
        "quantities": quantity_rows(sentences, sections),
        "organizations": [row for doc in documents for row in organization_rows(*doc)],
        "activities": activity_rows(sentences),
    }


class DocumentRows:
    """The rows of a table (``sentences``, ``sections``), taken a few whole documents at a
    time in the order they were written, reading the table in batches."""

    def __init__(self, build_dir: str | Path, name: str, batch_rows: int = 20_000):
        self.name = name
        self._batches = iter_table_batches(build_dir, name, batch_rows)
        self._pending = next(self._batches, None)
        if self._pending is None:
            self._pending = empty_table(name)

    def take(self, doc_ids: list[str]) -> pd.DataFrame:
        """The rows of the documents ``doc_ids``, which must come next in the table (index 0..n-1)."""
        wanted = set(doc_ids)
        # a wanted document's rows may go on in the next batch while the last row is one of them
        while len(self._pending) == 0 or self._pending["doc_id"].iloc[-1] in wanted:
            batch = next(self._batches, None)
            if batch is None:
                break
            self._pending = pd.concat([self._pending, batch], ignore_index=True)
        other = ~self._pending["doc_id"].isin(wanted).to_numpy()
        n = int(other.argmax()) if other.any() else len(other)
        taken, self._pending = self._pending.iloc[:n], self._pending.iloc[n:]
        return taken.reset_index(drop=True)

    def finish(self) -> None:
        """Fail if rows are left: their documents were out of the order of the ``texts`` table."""
        if len(self._pending) or next(self._batches, None) is not None:
            doc_id = self._pending["doc_id"].iloc[0] if len(self._pending) else "?"
            raise ValueError(f"document {doc_id!r} of the '{self.name}' table is out of the order of the "
                             "'texts' table: re-run the clean stage")


def documents_of(doc_ids: list[str], sentences: pd.DataFrame,
                 sections: pd.DataFrame) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """``(sentences, sections)`` of each of ``doc_ids`` that has sentences, in that order."""
    by_doc = {doc_id: rows for doc_id, rows in sentences.groupby("doc_id", sort=False)}
    sections_by_doc = {doc_id: rows for doc_id, rows in sections.groupby("doc_id", sort=False)}
    no_sections = empty_table("sections")
    for doc_id in doc_ids:
        if doc_id in by_doc:
            doc_sections = sections_by_doc.get(doc_id)
            yield (by_doc[doc_id].reset_index(drop=True),
                   no_sections if doc_sections is None else doc_sections.reset_index(drop=True))


def iter_extract_pieces(build_dir: str | Path, chunk_size: int = DEFAULT_CHUNK,
                        engine: str = "local") -> Iterator[list[tuple[list[str], pd.DataFrame, pd.DataFrame]]]:
    """Chunks of the cleaned documents, in order, cut into pieces ``(doc_ids, sentences, sections)``.

    The ``sentences`` and ``sections`` tables are streamed side by side, so memory does
    not grow with the corpus; a worker splits a piece into its documents.
    """
    doc_ids = read_table(build_dir, "texts", columns=["doc_id"])["doc_id"].tolist()
    sentences, sections = DocumentRows(build_dir, "sentences"), DocumentRows(build_dir, "sections")
    for chunk in _chunks(doc_ids, chunk_size):
        yield [(ids, sentences.take(ids), sections.take(ids)) for ids in _pieces(chunk, engine)]
    sentences.finish()
    sections.finish()


def iter_extract_inputs(build_dir: str | Path) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """``(sentences, sections)`` of every cleaned document that has sentences, in order:
    what :func:`extract_one` reads."""
    for pieces in iter_extract_pieces(build_dir):
        for doc_ids, sentences, sections in pieces:
            yield from documents_of(doc_ids, sentences, sections)


def extract_piece(piece: tuple[list[str], pd.DataFrame, pd.DataFrame]) -> dict[str, Batch]:
    """The extracted tables of the documents of one piece, prepared for writing."""
    _, sentences, sections = piece
    return prepared_tables(extract_rows(sentences, sections) if len(sentences) else {}, EXTRACT_TABLES)


def run_extract(build_dir: str | Path, engine: str = "local", chunk_size: int = DEFAULT_CHUNK,
                workers: int | None = None, scheduler: str | None = None) -> dict[str, int]:
    """Extract from every document's sentences; return the number of rows per table."""
    total = len(read_table(build_dir, "texts", columns=["doc_id"]))
    progress = Progress(total, "extract")
    with open_engine(engine, workers, scheduler) as pool, ExitStack() as stack:
        writers = {name: stack.enter_context(TableWriter(build_dir, name)) for name in EXTRACT_TABLES}
        run_pieces(pool, extract_piece, iter_extract_pieces(build_dir, chunk_size, engine), writers, progress,
                   documents_in=lambda piece: len(piece[0]))
    progress.finish()
    return {name: writer.rows for name, writer in writers.items()}
