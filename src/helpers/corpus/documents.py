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
import stat
from pathlib import Path

import pandas as pd

from ..paths import resolve
from ..run.tables import columns
from .decoding import DocumentProblem, decode_document_bytes
from .listing import (  # noqa: F401  (CORPUS_SUFFIXES and list_corpus_files: their home before listing.py)
    CORPUS_SUFFIXES,
    STATUS_SKIPPED,
    CorpusEntry,
    display_name,
    list_corpus,
    list_corpus_files,
)
from .metadata import (
    FORMAT_FRONT_MATTER_HTML,
    FORMAT_HTML,
    detect_format,
    facts_from_header,
    has_body_text,
    header_lines,
    html_title,
    metadata_from_front_matter,
    split_front_matter,
    visible_text,
)
from .normalize import normalize_line_ends

DOCUMENT_COLUMNS = columns("documents")

STATUS_OK = "ok"
STATUS_WARNING = "warning"
STATUS_FAILED = "failed"

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
"""Files larger than this (50 MB) are ``failed: too large`` without being read (``max_bytes``)."""


def read_document(path: str | Path, corpus_dir: str | Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> dict:
    """One row of the documents table for the file at ``path``. Never raises.

    ``path`` is absolute or relative to ``corpus_dir``. Only regular files are read:
    anything else (a FIFO, a link to ``/dev/zero``) is ``skipped`` without being opened.
    A file over ``max_bytes`` is ``failed`` without being read; a file that cannot be
    read (permissions, broken link, ...) gives a failed row. A file name that is not
    valid UTF-8 is shown escaped (:func:`~helpers.corpus.listing.display_name`), with a warning.
    """
    corpus = resolve(corpus_dir)
    path = Path(path) if Path(path).is_absolute() else corpus / path
    raw_rel = Path(os.path.relpath(path, corpus)).as_posix()
    rel_path = display_name(raw_rel)
    display = f"{corpus.name}/{rel_path}"
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return _skipped_row(rel_path, f"{display}: not read: {_file_kind(info.st_mode)}, not a regular file")
        if info.st_size > max_bytes:
            return _failed_row(rel_path, f"{display}: too large ({info.st_size:,} bytes, over the limit "
                                         f"of {max_bytes:,}): not read", info.st_size)
        with path.open("rb") as f:
            data = _read_at_most(f, info.st_size, max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return _failed_row(rel_path, f"{display}: cannot read file ({reason})")
    if len(data) > max_bytes:
        return _failed_row(rel_path, f"{display}: too large (over the limit of {max_bytes:,} bytes): not read",
                           len(data))
    row = document_from_bytes(data, rel_path, display)
    if rel_path != raw_rel and row["status"] != STATUS_FAILED:
        note = f"{display}: file name is not valid UTF-8 (its bytes are shown as \\xNN)"
        row["error"] = "; ".join(x for x in (note, row["error"]) if x)
        row["status"] = STATUS_WARNING
    return row


def _read_at_most(f, size: int, limit: int) -> bytes:
    """The file's bytes, at most ``limit``: what its size says, then on while it has more
    (a file that grows, or reports size 0); never a buffer of ``limit`` bytes up front."""
    data = bytearray(f.read(min(size, limit - 1) + 1))
    while len(data) < limit:
        more = f.read(min(1 << 20, limit - len(data)))
        if not more:
            break
        data += more
    return bytes(data)


def read_entry(entry: CorpusEntry, corpus_dir: str | Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> dict:
    """The row of one entry of :func:`~helpers.corpus.listing.list_corpus`: a document read,
    or the file or folder left out, with its reason."""
    if entry.is_document:
        return read_document(entry.path, corpus_dir, max_bytes)
    display = f"{resolve(corpus_dir).name}/{entry.rel_path}"
    row = _empty_row(entry.rel_path)
    row.update(status=entry.status, error=f"{display}: {entry.reason}")
    return row


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return kind
    return "a special file"


def ingest_corpus(corpus_dir: str | Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> pd.DataFrame:
    """The documents table: one row per corpus entry (failed and skipped ones included), sorted by path."""
    entries = list_corpus(corpus_dir)
    rows = [read_entry(entry, corpus_dir, max_bytes) for entry in entries]
    for row, doc_id in zip(rows, assign_entry_ids(entries), strict=True):
        row["doc_id"] = doc_id
    table = pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)
    table["bytes"] = table["bytes"].astype("int64")
    return table


def assign_doc_ids(files: list[Path], corpus_dir: str | Path) -> list[str]:
    """Unique doc_ids for ``files`` (in their order): file stems, made unique by :func:`unique_doc_ids`."""
    corpus = resolve(corpus_dir)
    rel_paths = [display_name(Path(os.path.relpath(resolve(f), corpus)).as_posix()) for f in files]
    return unique_doc_ids([Path(p).stem for p in rel_paths], rel_paths)


def assign_entry_ids(entries: list[CorpusEntry]) -> list[str]:
    """doc_ids of corpus entries (in their order). The documents' ids are those of
    :func:`assign_doc_ids` among the documents alone, so a file left out beside a
    document never changes its id; an entry left out gets its path with its suffix
    (``report_pdf``, ``sub__folder``), made unique against every other id."""
    documents = [e for e in entries if e.is_document]
    doc_ids = iter(unique_doc_ids([Path(e.rel_path).stem for e in documents], [e.rel_path for e in documents]))
    ids = [next(doc_ids) if e.is_document else "" for e in entries]
    used = set(ids)
    for i, entry in enumerate(entries):
        if not entry.is_document:
            base = _path_id_with_suffix(entry.rel_path.rstrip("/")).rstrip("_") or "entry"
            doc_id, n = base, 1
            while doc_id in used:
                n += 1
                doc_id = f"{base}~{n}"
            used.add(doc_id)
            ids[i] = doc_id
    return ids


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
        _fill_from_text(row, decoded.text, list(decoded.problems))
    except DocumentProblem as problem:
        return _as_failed(row, f"{display}: {problem}")
    except Exception as exc:  # the contract: a bad document never stops the run
        return _as_failed(
            row, f"{display}: unexpected error while reading ({type(exc).__name__}: {exc})"
        )
    if row["error"]:
        row["error"] = f"{display}: {row['error']}"
    return row


def _fill_from_text(row: dict, text: str, problems: list[str] | None = None) -> None:
    """Fill format, metadata, status and raw_text of ``row`` from the decoded ``text``
    (``problems``: damage the decoding repaired)."""
    text = normalize_line_ends(text)
    if not text.strip():
        raise DocumentProblem("empty file (only whitespace)")
    decoding_problems = list(problems or [])
    problems = list(decoding_problems)
    front = split_front_matter(text)
    if front.problem:
        problems.append(front.problem)
    body = front.body
    fmt = FORMAT_FRONT_MATTER_HTML if front.present else detect_format(body)
    title, published, source, fm_problems = metadata_from_front_matter(front.fields)
    problems.extend(fm_problems)
    if not title and fmt in (FORMAT_HTML, FORMAT_FRONT_MATTER_HTML):
        title = html_title(body)
    visible = visible_text(body, fmt)
    header = facts_from_header(header_lines(body, fmt, visible))
    title = title or header.title
    published = published or header.published
    source = source or header.source
    if "\ufffd" in text and not any("U+FFFD" in p for p in decoding_problems):
        problems.append(
            f"{text.count(chr(0xFFFD))} replacement characters (U+FFFD): "
            "text was damaged by an earlier encoding conversion"
        )
    if not body.strip():
        problems.append("no text after the front matter")
    elif not has_body_text(visible):
        problems.append("no body text (only navigation, page furniture or invisible characters)")
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


def _failed_row(rel_path: str, error: str, size: int = 0) -> dict:
    row = _as_failed(_empty_row(rel_path), error)
    row["bytes"] = size
    return row


def _skipped_row(rel_path: str, error: str) -> dict:
    row = _empty_row(rel_path)
    row.update(status=STATUS_SKIPPED, error=error)
    return row
