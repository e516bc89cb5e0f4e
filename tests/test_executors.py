"""Populations in chunks: identical results serially, in local processes and on Dask."""

import numpy as np
import pytest

from fmsim import FMSimError
from fmsim.engine import run_chunks
from fmsim.engine.executors import chunk_plan
from fmsim.population import simulate_population


def _draws(size, seed):
    return {"x": np.random.default_rng(seed).normal(size=size)}


def test_chunks_cover_everyone_with_seeds_from_the_run_seed():
    plan = chunk_plan(25, 10, seed=3)
    assert [size for size, _ in plan] == [10, 10, 5]
    assert plan == chunk_plan(25, 10, seed=3)
    assert plan != chunk_plan(25, 10, seed=4)
    out = run_chunks(_draws, 25, seed=3, chunk_size=10)
    assert out["x"].shape == (25,)
    ticks = []
    run_chunks(_draws, 25, seed=3, chunk_size=10, progress=lambda d, t: ticks.append((d, t)))
    assert ticks == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.slow
def test_serial_processes_and_dask_give_identical_populations():
    from distributed import LocalCluster

    args = dict(n=30, days=20, seed=7, stochastic=True, chunk_size=8)
    serial = simulate_population(**args)
    processes = simulate_population(**args, executor="processes")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        dask = simulate_population(**args, executor=cluster.scheduler_address)
    assert serial["pain"].shape == (30,)
    with pytest.raises(FMSimError, match="cannot reach the Dask scheduler"):
        run_chunks(_draws, 5, executor="tcp://127.0.0.1:9")
    for name, values in serial.items():
        assert np.array_equal(values, processes[name]), name
        assert np.array_equal(values, dask[name]), name


def test_bad_executor_and_sizes():
    with pytest.raises(FMSimError, match="unknown executor 'gpu'"):
        run_chunks(_draws, 5, executor="gpu")
    with pytest.raises(FMSimError, match="n >= 1"):
        run_chunks(_draws, 0)
    with pytest.raises(FMSimError, match="chunk_size must be >= 1"):
        run_chunks(_draws, 5, chunk_size=0)
