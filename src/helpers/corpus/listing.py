"""What is in the corpus folder: every entry, the documents to read and the rest with a reason.

Nothing under the corpus folder disappears without a row in the documents table:

* files ending in :data:`CORPUS_SUFFIXES` are documents to read (the reader then
  refuses, with a row, what is not a regular file or is too large);
* every other file (``.pdf``, ``.docx``, ``.json``, hidden files) is an entry
  ``skipped`` with the reason;
* a hidden folder is one ``skipped`` entry (it is not read); a folder that cannot be
  listed is one ``failed`` entry naming the problem;
* a symbolic link to a folder is followed once: a link to a folder already read (a
  loop back to a parent, or a second link to the same folder) is a ``skipped``
  entry naming the folder it points to.

A file name that is not valid UTF-8 is kept, its undecodable bytes written as
``\\xNN`` (:func:`display_name`); the file itself is opened by its real name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..paths import resolve

CORPUS_SUFFIXES = (".txt", ".html", ".htm", ".md")

STATUS_SKIPPED = "skipped"
STATUS_FAILED = "failed"


class CorpusProblem(Exception):
    """The corpus folder as a whole cannot be used (missing, a file, unreadable, empty)."""


@dataclass(frozen=True)
class CorpusEntry:
    """One entry under the corpus folder: a document to read, or a file or folder left out.

    ``path`` is where it is on disk (through any followed link); ``rel_path`` its posix
    path relative to the corpus folder as the table shows it (escaped, folders end in
    ``/``); ``status`` and ``reason`` are ``''`` for a document to read, else why not.
    """

    path: Path
    rel_path: str
    status: str = ""
    reason: str = ""

    @property
    def is_document(self) -> bool:
        return not self.status


def display_name(name: str) -> str:
    """A file name as text: undecodable bytes (``os.fsdecode``'s surrogates) as ``\\xNN``."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def list_corpus(corpus_dir: str | Path) -> list[CorpusEntry]:
    """Every entry under ``corpus_dir`` (recursive), sorted by ``rel_path``.

    Raises :class:`CorpusProblem` when the folder is missing, is a file or cannot be listed.
    """
    corpus = check_corpus_folder(corpus_dir)
    entries: list[CorpusEntry] = []
    visited: dict[tuple[int, int], str] = {_folder_key(corpus): "."}
    _walk(corpus, "", entries, visited, top=True)
    return sorted(entries, key=lambda e: e.rel_path)


def list_corpus_files(corpus_dir: str | Path) -> list[Path]:
    """The documents to read under ``corpus_dir``, sorted by relative posix path."""
    return [e.path for e in list_corpus(corpus_dir) if e.is_document]


def check_corpus_folder(corpus_dir: str | Path) -> Path:
    """``corpus_dir`` resolved; :class:`CorpusProblem` when it is missing or not a folder."""
    corpus = resolve(corpus_dir)
    if not corpus.exists():
        raise CorpusProblem(f"corpus folder {corpus} does not exist")
    if not corpus.is_dir():
        raise CorpusProblem(f"corpus {corpus} is a file, not a folder of documents")
    return corpus


def check_corpus(corpus_dir: str | Path) -> list[CorpusEntry]:
    """:func:`list_corpus`, raising :class:`CorpusProblem` when it holds no document to read."""
    entries = list_corpus(corpus_dir)
    documents = sum(e.is_document for e in entries)
    if not documents:
        others = f" ({len(entries)} other entries, none of them a document)" if entries else ""
        raise CorpusProblem(
            f"corpus folder {resolve(corpus_dir)} holds no {'/'.join(CORPUS_SUFFIXES)} file{others}"
        )
    return entries


def _folder_key(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _walk(folder: Path, rel: str, entries: list[CorpusEntry], visited: dict, top: bool = False) -> None:
    try:
        with os.scandir(folder) as it:
            items = list(it)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if top:
            raise CorpusProblem(f"corpus folder {folder} cannot be read ({reason})") from None
        entries.append(CorpusEntry(folder, rel + "/", STATUS_FAILED, f"cannot list folder ({reason})"))
        return
    for item in items:
        name = display_name(item.name)
        rel_item = f"{rel}/{name}" if rel else name
        path = Path(item.path)
        try:
            is_dir = item.is_dir()  # follows links
        except OSError:
            is_dir = False
        if is_dir:
            if item.name.startswith("."):
                entries.append(CorpusEntry(path, rel_item + "/", STATUS_SKIPPED, "hidden folder, not read"))
                continue
            try:
                key = _folder_key(path)
            except OSError as exc:
                entries.append(CorpusEntry(path, rel_item + "/", STATUS_FAILED,
                                           f"cannot list folder ({exc.strerror or type(exc).__name__})"))
                continue
            if key in visited:
                entries.append(CorpusEntry(
                    path, rel_item + "/", STATUS_SKIPPED,
                    f"symbolic link to a folder already read ({visited[key]}/), not followed again"))
                continue
            visited[key] = rel_item
            _walk(path, rel_item, entries, visited)
        elif item.name.startswith("."):
            entries.append(CorpusEntry(path, rel_item, STATUS_SKIPPED, "hidden file, not read"))
        elif path.suffix.lower() not in CORPUS_SUFFIXES:
            kind = f"'{path.suffix.lower()}' files" if path.suffix else "files without a suffix"
            entries.append(CorpusEntry(
                path, rel_item, STATUS_SKIPPED,
                f"not read: {kind} are not documents the study reads ({', '.join(CORPUS_SUFFIXES)})"))
        else:
            entries.append(CorpusEntry(path, rel_item))
