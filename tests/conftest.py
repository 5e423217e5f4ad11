"""Fixtures shared by the tests: the seed corpus built once through the real stages."""

from __future__ import annotations

import pytest

from helpers.paths import SEEDS_DIR
from helpers.run.stages import CLEAN_TABLES, EXTRACT_TABLES, run_clean, run_extract, run_ingest
from helpers.run.tables import read_table

BUILT_TABLES = ("documents", *CLEAN_TABLES, *EXTRACT_TABLES)


def study_notebook(path, *sources):
    """A notebook at ``path`` for the study's kernel: the parameters cell, then a code cell per source."""
    import nbformat

    from helpers.run.pipeline import KERNEL_NAME

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": KERNEL_NAME, "language": "python"}
    params = nbformat.v4.new_code_cell('corpus_dir = "seeds"\nbuild_dir = "build"\nfigures_dir = "figures"\nengine = "local"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(source) for source in sources)]
    nbformat.write(nb, path)
    return path


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
