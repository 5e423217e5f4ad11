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
its piece's rows already typed for Parquet and formatted as CSV (:class:`~helpers.run.tables.Batch`),
so the process that writes the tables does little more than append them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from functools import partial
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from ..paths import resolve
from .engines import chunked, open_engine, pieces_of, prepared_tables, run_pieces, tables_of_piece
from .progress import Progress
from .tables import (
    Batch,
    TableWriter,
    columns,
    empty_table,
    iter_table_batches,
    read_table,
    table_path,
)

USABLE_STATUSES = ("ok", "warning")
DEFAULT_CHUNK = 200


# --- 01 ingest -------------------------------------------------------------------------

def run_ingest(corpus_dir: str | Path, build_dir: str | Path, engine: str = "local",
               chunk_size: int = DEFAULT_CHUNK, workers: int | None = None,
               scheduler: str | None = None, max_bytes: int | None = None) -> pd.DataFrame:
    """Read every entry of the corpus into ``documents``; return its metadata (no texts).

    Files and folders that are not read get a row saying why; a file over ``max_bytes``
    (default :data:`~helpers.corpus.documents.MAX_DOCUMENT_BYTES`) is failed unread.
    Raises :class:`~helpers.corpus.listing.CorpusProblem` when the corpus holds no document.
    """
    from ..corpus.documents import MAX_DOCUMENT_BYTES, assign_entry_ids, read_entry
    from ..corpus.listing import check_corpus

    corpus = resolve(corpus_dir)
    entries = check_corpus(corpus)
    doc_ids = assign_entry_ids(entries)
    read = partial(_read_with_id, partial(read_entry, corpus_dir=corpus, max_bytes=max_bytes or MAX_DOCUMENT_BYTES))
    progress = Progress(len(entries), "ingest")
    with open_engine(engine, workers, scheduler) as pool, TableWriter(build_dir, "documents") as out:
        chunks = chunked(zip(entries, doc_ids, strict=True), chunk_size)
        run_pieces(pool, partial(tables_of_piece, read, ("documents",)),
                   (pieces_of(chunk, engine) for chunk in chunks), {"documents": out}, progress)
    progress.finish()
    return read_table(build_dir, "documents", columns=columns("documents")[:-1])


def _read_with_id(read: Callable[[object], dict], item: tuple[object, str]) -> dict[str, list[dict]]:
    entry, doc_id = item
    row = read(entry)
    row["doc_id"] = doc_id
    return {"documents": [row]}


# --- 02 clean --------------------------------------------------------------------------

def clean_one(doc: dict) -> dict[str, list[dict]]:
    """Clean one document: its text, sections, sentences, the lines dropped outright, and
    its duplicate signature (:func:`helpers.text.duplicates.document_signature`)."""
    from ..text.cleaning import clean_document
    from ..text.duplicates import document_signature

    cleaned = clean_document(doc["raw_text"], doc["format"], doc.get("title") or "")
    doc_id = doc["doc_id"]
    return {
        "texts": [{"doc_id": doc_id, "text_clean": cleaned.text}],
        "sections": [{"doc_id": doc_id, **s} for s in cleaned.sections],
        "sentences": [{"doc_id": doc_id, **s} for s in cleaned.sentences],
        "dropped": [{"doc_id": doc_id, **d} for d in cleaned.dropped],
        "signatures": [document_signature(doc_id, cleaned.text, (s["text"] for s in cleaned.sentences))],
    }


CLEAN_TABLES = ("texts", "sections", "sentences", "dropped", "signatures")


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
                   (pieces_of(docs, engine) for docs in usable), writers, progress)
    progress.finish()
    return {name: writer.rows for name, writer in writers.items()}


def run_stories(build_dir: str | Path, threshold: float | None = None) -> pd.DataFrame:
    """Find the stories told more than once from the clean stage's ``signatures`` (one
    pass of MinHash LSH, no text read again) and write the ``stories`` table: every
    cleaned document with its ``story_id``, ``duplicate_of`` and ``similarity``
    (:func:`helpers.text.duplicates.find_stories`). Return the table."""
    from ..text.duplicates import DEFAULT_THRESHOLD, NUM_PERM, find_stories

    signatures = read_table(build_dir, "signatures", columns=["doc_id", "text_sha256", "n_shingles"])
    # the signatures as one uint32 array, without a Python object per value
    minhash = pq.read_table(table_path(build_dir, "signatures"), columns=["minhash"]).column("minhash")
    if minhash.type.list_size != NUM_PERM:
        raise ValueError(f"{table_path(build_dir, 'signatures')}: signatures of {minhash.type.list_size} values, "
                         f"not {NUM_PERM}: re-run the clean stage")
    matrix = minhash.combine_chunks().flatten().to_numpy().reshape(len(signatures), NUM_PERM)
    documents = read_table(build_dir, "documents", columns=["doc_id", "published", "path"])
    stories = find_stories(signatures, documents, DEFAULT_THRESHOLD if threshold is None else threshold,
                           matrix=matrix)
    with TableWriter(build_dir, "stories") as out:
        out.write(stories)
    return read_table(build_dir, "stories")


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
    from ..extract.activities import activity_rows
    from ..extract.organizations import organization_rows
    from ..extract.plausibility import with_plausibility
    from ..extract.quantities import quantity_rows

    doc_ids = sentences["doc_id"].unique().tolist()
    documents = [(sentences, sections)] if len(doc_ids) == 1 else documents_of(doc_ids, sentences, sections)
    return {
        "quantities": with_plausibility(quantity_rows(sentences, sections)),
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
    for chunk in chunked(doc_ids, chunk_size):
        yield [(ids, sentences.take(ids), sections.take(ids)) for ids in pieces_of(chunk, engine)]
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
