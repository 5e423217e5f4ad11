"""Fixtures shared by the tests: the seed corpus built once through the real stages."""

from __future__ import annotations

import pytest

from helpers.paths import SEEDS_DIR
from helpers.run.stages import CLEAN_TABLES, EXTRACT_TABLES, run_clean, run_extract, run_ingest
from helpers.run.tables import read_table

BUILT_TABLES = ("documents", *CLEAN_TABLES, *EXTRACT_TABLES)


def build_corpus(corpus_dir, build_dir, engine="local", chunk_size=200, workers=None):
    """Run ingest, clean and extract on ``corpus_dir`` into ``build_dir``; return every table."""
    run_ingest(corpus_dir, build_dir, engine=engine, chunk_size=chunk_size, workers=workers)
    run_clean(build_dir, engine=engine, chunk_size=chunk_size, workers=workers)
    run_extract(build_dir, engine=engine, chunk_size=chunk_size, workers=workers)
    return {name: read_table(build_dir, name) for name in BUILT_TABLES}


@pytest.fixture(scope="session")
def seed_tables(tmp_path_factory):
    """Every table of the seeds, built once by the local engine (the reference)."""
    return build_corpus(SEEDS_DIR, tmp_path_factory.mktemp("seed-build"))


@pytest.fixture
def words_in_jieba():
    """``add(*words, freq=...)`` puts words in jieba's shared dictionary, as a researcher's own
    code in the same kernel might; they are taken out again after the test."""
    import jieba

    added = []

    def add(*words, freq):
        for word in words:
            jieba.add_word(word, freq=freq)
            added.append(word)

    yield add
    for word in added:
        jieba.del_word(word)
