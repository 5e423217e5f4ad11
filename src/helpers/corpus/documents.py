"""The documents table: read every document of the corpus into one ``documents`` table.

One row per input file, including the files that cannot be used: a bad
document never stops the run and never disappears, it stays in the table with
``status`` ``'failed'`` (unusable) or ``'warning'`` (usable, with a problem
noted in ``error``). For each file the stage

1. detects the text encoding (BOMs, strict UTF-8, BOM-less UTF-16 by its NUL
   pattern, then the Chinese legacy encodings GB18030/GBK and Big5, told apart
   by how plausible the decoded characters are as Chinese text);
2. normalizes line ends to ``\\n`` and removes a YAML front matter block;
3. classifies the document (``front_matter_html``, ``html``, ``scraped_page``,
   ``plain_text``);
4. takes title, publication date and source from the front matter or from the
   page's own header lines (the first non-empty lines), never from the body.

The HTML markup and page boilerplate stay in ``raw_text``; the clean stage
removes them. :func:`document_from_bytes` is pure (bytes in, row out), so the
stage can run in a process pool or on Dask.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd

from ..paths import resolve
from .decoding import DocumentProblem, decode_document_bytes
from .metadata import (
    FORMAT_FRONT_MATTER_HTML,
    FORMAT_HTML,
    detect_format,
    facts_from_header,
    header_lines,
    html_title,
    metadata_from_front_matter,
    split_front_matter,
)
from .normalize import normalize_line_ends

CORPUS_SUFFIXES = (".txt", ".html", ".htm", ".md")

DOCUMENT_COLUMNS = [
    "doc_id",
    "path",
    "sha256",
    "bytes",
    "encoding",
    "format",
    "title",
    "published",
    "source",
    "status",
    "error",
    "raw_text",
]

STATUS_OK = "ok"
STATUS_WARNING = "warning"
STATUS_FAILED = "failed"




def list_corpus_files(corpus_dir: str | Path) -> list[Path]:
    """Every document file under ``corpus_dir`` (recursive), sorted by relative posix path.

    Documents are files ending in .txt .html .htm .md (any case). Hidden files
    and everything inside hidden folders are skipped. Broken symbolic links are
    listed, so they show up as failed documents instead of vanishing.
    """
    corpus = resolve(corpus_dir)
    found: list[tuple[str, Path]] = []
    for folder, dirnames, filenames in os.walk(corpus):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            path = Path(folder) / name
            if name.startswith(".") or path.suffix.lower() not in CORPUS_SUFFIXES:
                continue
            found.append((path.relative_to(corpus).as_posix(), path))
    return [path for _, path in sorted(found)]


def read_document(path: str | Path, corpus_dir: str | Path) -> dict:
    """One row of the documents table for the file at ``path``. Never raises.

    ``path`` is absolute or relative to ``corpus_dir``. A file that cannot be
    read (permissions, broken link, ...) gives a failed row.
    """
    corpus = resolve(corpus_dir)
    path = Path(path) if Path(path).is_absolute() else corpus / path
    rel_path = Path(os.path.relpath(path, corpus)).as_posix()
    display = f"{corpus.name}/{rel_path}"
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return _failed_row(rel_path, f"{display}: cannot read file ({reason})")
    return document_from_bytes(data, rel_path, display)


def ingest_corpus(corpus_dir: str | Path) -> pd.DataFrame:
    """The documents table: one row per corpus file (failed ones included), sorted by path."""
    files = list_corpus_files(corpus_dir)
    rows = [read_document(path, corpus_dir) for path in files]
    for row, doc_id in zip(rows, assign_doc_ids(files, corpus_dir), strict=True):
        row["doc_id"] = doc_id
    table = pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)
    table["bytes"] = table["bytes"].astype("int64")
    return table


def assign_doc_ids(files: list[Path], corpus_dir: str | Path) -> list[str]:
    """Unique doc_ids for ``files`` (in their order): file stems, made unique by :func:`unique_doc_ids`."""
    corpus = resolve(corpus_dir)
    rel_paths = [Path(os.path.relpath(resolve(f), corpus)).as_posix() for f in files]
    return unique_doc_ids([Path(p).stem for p in rel_paths], rel_paths)


def unique_doc_ids(doc_ids: list[str], paths: list[str]) -> list[str]:
    """``doc_ids`` made unique: colliding ids become their relative path with ``/`` -> ``__``.

    Ids that still collide (``a.txt`` and ``a.md`` in one folder) keep their
    suffix as ``_txt``; any remaining tie gets ``~2``, ``~3``, ... in path order.
    """
    ids = list(doc_ids)
    for make_id in (_path_id_without_suffix, _path_id_with_suffix):
        counts = pd.Series(ids).value_counts()
        ids = [make_id(p) if counts[i] > 1 else i for i, p in zip(ids, paths, strict=True)]
    seen: dict[str, int] = {}
    unique = []
    for doc_id in ids:
        seen[doc_id] = seen.get(doc_id, 0) + 1
        unique.append(doc_id if seen[doc_id] == 1 else f"{doc_id}~{seen[doc_id]}")
    return unique


def _path_id_without_suffix(rel_path: str) -> str:
    return Path(rel_path).with_suffix("").as_posix().replace("/", "__")


def _path_id_with_suffix(rel_path: str) -> str:
    path = Path(rel_path)
    return _path_id_without_suffix(rel_path) + "_" + path.suffix.lstrip(".").lower()


# --------------------------------------------------------------------------- one document


def document_from_bytes(data: bytes, rel_path: str, display: str | None = None) -> dict:
    """One row of the documents table from a file's raw bytes. Pure; never raises.

    ``rel_path`` is the file's posix path relative to the corpus folder;
    ``display`` is how error messages name the file (default ``rel_path``).
    The row has the keys of :data:`DOCUMENT_COLUMNS`. ``status`` is ``'ok'``,
    ``'warning'`` (usable; ``error`` says what is wrong) or ``'failed'``
    (unusable; ``raw_text``, ``format`` and the metadata are ``''``).
    """
    display = display or rel_path
    row = _empty_row(rel_path)
    row["sha256"] = hashlib.sha256(data).hexdigest()
    row["bytes"] = len(data)
    try:
        decoded = decode_document_bytes(data)
        row["encoding"] = decoded.encoding
        _fill_from_text(row, decoded.text)
    except DocumentProblem as problem:
        return _as_failed(row, f"{display}: {problem}")
    except Exception as exc:  # the contract: a bad document never stops the run
        return _as_failed(
            row, f"{display}: unexpected error while reading ({type(exc).__name__}: {exc})"
        )
    if row["error"]:
        row["error"] = f"{display}: {row['error']}"
    return row


def _fill_from_text(row: dict, text: str) -> None:
    """Fill format, metadata, status and raw_text of ``row`` from the decoded ``text``."""
    text = normalize_line_ends(text)
    if not text.strip():
        raise DocumentProblem("empty file (only whitespace)")
    problems = []
    front = split_front_matter(text)
    if front.problem:
        problems.append(front.problem)
    body = front.body
    fmt = FORMAT_FRONT_MATTER_HTML if front.present else detect_format(body)
    title, published, source, fm_problems = metadata_from_front_matter(front.fields)
    problems.extend(fm_problems)
    if not title and fmt in (FORMAT_HTML, FORMAT_FRONT_MATTER_HTML):
        title = html_title(body)
    header = facts_from_header(header_lines(body, fmt))
    title = title or header.title
    published = published or header.published
    source = source or header.source
    if "\ufffd" in text:
        problems.append(
            f"{text.count(chr(0xFFFD))} replacement characters (U+FFFD): "
            "text was damaged by an earlier encoding conversion"
        )
    if not body.strip():
        problems.append("no text after the front matter")
    row.update(
        format=fmt,
        title=title,
        published=published,
        source=source,
        status=STATUS_WARNING if problems else STATUS_OK,
        error="; ".join(problems),
        raw_text=body,
    )


def _empty_row(rel_path: str) -> dict:
    row = dict.fromkeys(DOCUMENT_COLUMNS, "")
    row.update(doc_id=Path(rel_path).stem, path=rel_path, bytes=0, status=STATUS_OK)
    return row


def _as_failed(row: dict, error: str) -> dict:
    row.update(format="", title="", published="", source="", raw_text="")
    row.update(status=STATUS_FAILED, error=error)
    return row


def _failed_row(rel_path: str, error: str) -> dict:
    return _as_failed(_empty_row(rel_path), error)
