"""Whether a corpus gave the study anything to read: an empty corpus stops the run with a clear message."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .listing import CORPUS_SUFFIXES, CorpusProblem

READABLE_STATUSES = ("ok", "warning")
"""Documents with these statuses go on to the clean stage (``failed`` and ``skipped`` rows do not)."""


def require_readable(documents: pd.DataFrame, corpus_dir: str | Path) -> int:
    """Number of readable documents; raise :class:`~helpers.corpus.listing.CorpusProblem` naming
    the folder when there are none.

    A folder without documents already stops the ingest (:func:`helpers.corpus.listing.check_corpus`);
    this also stops a corpus whose documents all failed to read: drawing figures of nothing
    ("no data" panels with empty captions) helps no one. The message says how many files
    were found and why none could be used.
    """
    status = documents["status"] if "status" in documents else pd.Series(dtype=str)
    readable = int(status.isin(READABLE_STATUSES).sum())
    if readable:
        return readable
    suffixes = ", ".join(CORPUS_SUFFIXES)
    if documents.empty:
        raise CorpusProblem(f"{corpus_dir} holds no {suffixes} files: nothing to study (is it the right folder?)")
    counts = ", ".join(f"{n} {s}" for s, n in status.value_counts().sort_index().items())
    raise CorpusProblem(
        f"none of the {len(documents)} files in {corpus_dir} could be read ({counts}); "
        "documents.csv gives each file's error"
    )
