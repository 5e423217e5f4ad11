"""The dask engine gives the same tables as the local one, on a private or an external cluster."""

from __future__ import annotations

import logging
from concurrent.futures import Executor

import pandas as pd
import pytest

from conftest import BUILT_TABLES, build_corpus
from helpers.paths import SEEDS_DIR
from helpers.run.engines import SCHEDULER_ENV, map_chunks, open_engine

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def external_cluster():
    """A running two-worker cluster, as a researcher's own scheduler would be."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        yield cluster


def _assert_same_tables(got, expected):
    for name in BUILT_TABLES:
        pd.testing.assert_frame_equal(got[name], expected[name], obj=name)


def test_dask_local_cluster_equals_local(tmp_path, seed_tables):
    built = build_corpus(SEEDS_DIR, tmp_path, "dask", chunk_size=2, workers=2)
    _assert_same_tables(built, seed_tables)


def test_dask_scheduler_from_environment_equals_local(tmp_path, seed_tables, external_cluster,
                                                      monkeypatch):
    monkeypatch.setenv(SCHEDULER_ENV, external_cluster.scheduler_address)
    _assert_same_tables(build_corpus(SEEDS_DIR, tmp_path, "dask", chunk_size=1), seed_tables)


def test_dask_map_keeps_input_order(external_cluster):
    with open_engine("dask", scheduler=external_cluster.scheduler_address) as pool:
        assert isinstance(pool, Executor)
        assert list(pool.map(abs, range(-50, 50))) == [abs(i) for i in range(-50, 50)]
        assert list(pool.map(abs, [])) == []


def test_map_chunks_returns_every_chunk_in_order():
    with open_engine("local") as pool:
        chunks = [[1, 2], [3], [], [4, 5, 6]]
        got = list(map_chunks(pool, str, iter(chunks), ahead=2))
    assert got == [(c, [str(i) for i in c]) for c in chunks]
