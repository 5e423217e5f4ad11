"""The per-document stages over a whole corpus: ingest, clean, extract.

Each stage applies a pure per-document function to every document and
concatenates the rows, so the same code runs in one process (``engine="local"``)
or across the machine's cores (``engine="processes"``) and gives identical
tables either way: results are put back in document order before they are
concatenated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd

ENGINES = ("local", "processes")

DOCUMENT_COLUMNS = [
    "doc_id", "path", "sha256", "bytes", "encoding", "format",
    "title", "published", "source", "status", "error",
]
TEXT_COLUMNS = ["doc_id", "text_clean", "dropped"]
SECTION_COLUMNS = [
    "doc_id", "section_id", "heading", "province", "city", "in_body", "char_start", "char_end",
]
SENTENCE_COLUMNS = ["doc_id", "section_id", "sentence_id", "text", "char_start", "char_end"]
USABLE_STATUSES = ("ok", "warning")


def map_documents(func: Callable[[Any], Any], items: Iterable[Any], engine: str = "local",
                  workers: int | None = None) -> list[Any]:
    """``[func(item) for item in items]``, in order, on the chosen engine."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    items = list(items)
    if engine == "local" or len(items) < 2:
        return [func(item) for item in items]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(func, items, chunksize=max(1, len(items) // 64)))


# --- 01 ingest -------------------------------------------------------------------------

def ingest_stage(corpus_dir: str | Path, engine: str = "local") -> pd.DataFrame:
    """Every file of the corpus as one row of ``documents`` (failed files included)."""
    from functools import partial

    from .ingest import list_corpus_files, read_document
    from .paths import resolve

    corpus = resolve(corpus_dir)
    rows = map_documents(partial(read_document, corpus_dir=corpus), list_corpus_files(corpus), engine)
    from .ingest import ingest_corpus  # the one place that orders columns and resolves doc_id clashes

    return ingest_corpus(corpus, rows=rows)


# --- 02 clean --------------------------------------------------------------------------

def _clean_one(doc: dict) -> dict:
    from .clean import clean_document

    cleaned = clean_document(doc["raw_text"], doc["format"], doc.get("title") or "")
    doc_id = doc["doc_id"]
    return {
        "text": {"doc_id": doc_id, "text_clean": cleaned.text, "dropped": len(cleaned.dropped)},
        "sections": [{"doc_id": doc_id, **s} for s in cleaned.sections],
        "sentences": [{"doc_id": doc_id, **s} for s in cleaned.sentences],
        "dropped": [{"doc_id": doc_id, **d} for d in cleaned.dropped],
    }


def clean_stage(documents: pd.DataFrame, engine: str = "local") -> dict[str, pd.DataFrame]:
    """Clean every usable document: texts, sections, sentences and the dropped lines."""
    usable = documents[documents["status"].isin(USABLE_STATUSES)]
    docs = usable[["doc_id", "raw_text", "format", "title"]].to_dict("records")
    results = map_documents(_clean_one, docs, engine)
    return {
        "texts": pd.DataFrame([r["text"] for r in results], columns=TEXT_COLUMNS),
        "sections": _frame([row for r in results for row in r["sections"]], SECTION_COLUMNS),
        "sentences": _frame([row for r in results for row in r["sentences"]], SENTENCE_COLUMNS),
        "dropped": _frame([row for r in results for row in r["dropped"]], ["doc_id", "line", "reason"]),
    }


# --- 03 extract ------------------------------------------------------------------------

def _extract_one(args: tuple[pd.DataFrame, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    from .activities import activities_table
    from .organizations import organizations_table
    from .quantities import quantities_table

    sentences, sections = args
    return {
        "quantities": quantities_table(sentences, sections),
        "organizations": organizations_table(sentences, sections),
        "activities": activities_table(sentences),
    }


def extract_stage(sentences: pd.DataFrame, sections: pd.DataFrame,
                  engine: str = "local") -> dict[str, pd.DataFrame]:
    """Quantities, organizations and activity codes of every document's in-body sentences."""
    per_doc = [
        (sentences[sentences["doc_id"] == doc_id], sections[sections["doc_id"] == doc_id])
        for doc_id in sections["doc_id"].drop_duplicates()
    ]
    results = map_documents(_extract_one, per_doc, engine)
    tables = {}
    for name in ("quantities", "organizations", "activities"):
        frames = [r[name] for r in results if len(r[name])]
        tables[name] = (pd.concat(frames, ignore_index=True) if frames
                        else (results[0][name] if results else pd.DataFrame()))
    return tables


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
