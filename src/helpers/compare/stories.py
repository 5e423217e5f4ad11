"""Each story counted once: the comparison leaves out documents that copy another.

The clean stage's ``stories`` table (:mod:`helpers.text.duplicates`) names, for every
cleaned document, the kept member of its story and, for a copy, the document it
duplicates. Nothing is dropped from the per-document tables; the comparison (region
measures, activity profiles, organization types, vocabulary, figure 1's counts) reads
them through :func:`count_each_story_once`, unless ``count_duplicates`` asks for every
document as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def duplicate_doc_ids(stories: pd.DataFrame) -> set[str]:
    """The documents that are copies of another (``duplicate_of`` not empty)."""
    copies = stories["duplicate_of"].fillna("").astype(str) != ""
    return set(stories.loc[copies, "doc_id"].astype(str))


def count_each_story_once(tables: Mapping[str, pd.DataFrame], stories: pd.DataFrame,
                          count_duplicates: bool = False) -> dict[str, pd.DataFrame]:
    """``tables`` (each with a ``doc_id`` column) without the rows of duplicate documents;
    with ``count_duplicates`` the tables as they are. Row order and index are kept."""
    if count_duplicates:
        return dict(tables)
    copies = duplicate_doc_ids(stories)
    return {name: table[~table["doc_id"].astype(str).isin(copies)] for name, table in tables.items()}


def duplicate_counts(stories: pd.DataFrame) -> tuple[int, int]:
    """``(documents that copy another, stories they copy)``."""
    copies = stories["duplicate_of"].fillna("").astype(str) != ""
    return int(copies.sum()), int(stories.loc[copies, "story_id"].nunique())
