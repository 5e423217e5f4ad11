"""The per-document stages give the same tables whatever the engine and the chunk size."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import BUILT_TABLES, build_corpus
from helpers.paths import SEEDS_DIR
from helpers.stages import open_engine


def _assert_same_tables(built, reference):
    for name in BUILT_TABLES:
        pd.testing.assert_frame_equal(built[name], reference[name], obj=name)


def test_chunked_local_run_equals_one_chunk(tmp_path, seed_tables):
    _assert_same_tables(build_corpus(SEEDS_DIR, tmp_path, "local", chunk_size=2), seed_tables)


def test_process_pool_equals_local(tmp_path, seed_tables):
    _assert_same_tables(build_corpus(SEEDS_DIR, tmp_path, "processes", chunk_size=2, workers=2), seed_tables)


def test_every_usable_document_reaches_every_table(seed_tables):
    usable = set(seed_tables["documents"].query("status != 'failed'")["doc_id"])
    for name in ("texts", "sections", "sentences", "quantities", "activities"):
        assert set(seed_tables[name]["doc_id"]) == usable, name


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine"), open_engine("spark"):
        pass
