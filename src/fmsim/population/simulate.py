"""Simulate a population drawn from the priors, chunk by chunk, on any executor.

References
----------
DESIGN section 6 (chunks, per-chunk seeds, executors).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import xarray as xr

from ..engine import run_chunks, simulate, worker_model
from ..model.models import ModelRef, resolve_model
from .people import people_dataset
from .priors import sample_parameters

__all__ = ["final_states", "simulate_population"]


def final_states(size: int, seed: int, days: int, stochastic: bool = False,
                 steps_per_day: int = 4, model: ModelRef = None) -> xr.Dataset:
    """A population task: ``size`` people drawn from the priors with ``seed``, simulated for
    ``days`` days; returns their parameters that vary, their final states (:mod:`.people`) and
    their final ``pain``."""
    model = resolve_model(model)
    params = sample_parameters(size, seed=seed, registry=model.registry)
    ds = simulate(model, days, params, stochastic=stochastic, seed=seed, record=("pain",),
                  steps_per_day=steps_per_day)
    people = people_dataset(params, model.state_names, ds["final"].values)
    return people.assign(pain=("patient", ds["trajectory"].values[:, -1, 0]))


def simulate_population(n: int, days: int, seed: int = 0, stochastic: bool = False,
                        chunk_size: int = 1000, executor: str | None = None,
                        progress: Callable[[int, int], None] | None = None,
                        steps_per_day: int = 4, model: ModelRef = None) -> xr.Dataset:
    """``n`` people from the priors, ``days`` days each, in chunks on ``executor`` (see
    :func:`fmsim.engine.run_chunks`); identical results on every executor for one seed.
    ``steps_per_day`` is the RK4 step (see :func:`fmsim.engine.simulate`)."""
    task = partial(final_states, days=days, stochastic=stochastic, steps_per_day=steps_per_day,
                   model=worker_model(model, executor))
    return run_chunks(task, n, seed=seed, chunk_size=chunk_size, executor=executor,
                      progress=progress)
