"""The corpus manifest: every file the study reads, with its size and sha256, and one digest.

The corpus digest identifies a corpus wherever its folder lies. It is the sha256 of the
UTF-8 text made of one line ``relpath<TAB>sha256<LF>`` per file, the lines sorted, where
``relpath`` is the file's path relative to the corpus folder with ``/`` between folders
and ``sha256`` the lowercase hex digest of its bytes (``unreadable`` for a file that cannot
be read or is no regular file, such as a broken link). The files are those the study reads
(the documents of :func:`.listing.list_corpus`): one byte changed in any of them, or a file renamed,
added or removed, changes the digest; a file the study skips does not.
``figures/index.md`` states the digest, ``build/run_record.json`` lists every file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..paths import resolve
from .listing import CorpusEntry, list_corpus

DIGEST_METHOD = "sha256 over the sorted lines `relpath<TAB>sha256<LF>` (UTF-8) of the corpus files"
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class CorpusFile:
    path: str
    """Relative to the corpus folder, ``/`` between folders."""
    bytes: int | None
    sha256: str
    """Lowercase hex, or ``unreadable``."""


@dataclass(frozen=True)
class CorpusManifest:
    files: tuple[CorpusFile, ...]

    @property
    def digest(self) -> str:
        return manifest_digest(self.files)

    @property
    def total_bytes(self) -> int:
        return sum(f.bytes or 0 for f in self.files)

    def as_dict(self) -> dict:
        return {
            "digest": self.digest,
            "digest_method": DIGEST_METHOD,
            "files": len(self.files),
            "bytes": self.total_bytes,
            "manifest": [{"path": f.path, "bytes": f.bytes, "sha256": f.sha256} for f in self.files],
        }


def manifest_digest(files: Iterable[CorpusFile]) -> str:
    """sha256 over the sorted ``relpath\\tsha256\\n`` lines of ``files``."""
    lines = sorted(f"{f.path}\t{f.sha256}\n" for f in files)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def describe_file(entry: CorpusEntry) -> CorpusFile:
    """Size and sha256 of one document; ``unreadable`` when it is no regular file or cannot be read."""
    digest = hashlib.sha256()
    try:
        if not entry.path.is_file():
            return CorpusFile(entry.rel_path, None, UNREADABLE)
        with open(entry.path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        size = entry.path.stat().st_size
    except OSError:
        return CorpusFile(entry.rel_path, None, UNREADABLE)
    return CorpusFile(entry.rel_path, size, digest.hexdigest())


def corpus_manifest(corpus_dir: str | Path) -> CorpusManifest:
    """Every document the study reads under ``corpus_dir``, sorted by relative path."""
    return CorpusManifest(tuple(describe_file(e) for e in list_corpus(resolve(corpus_dir)) if e.is_document))
