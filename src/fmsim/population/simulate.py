"""Simulate a population drawn from the priors, chunk by chunk, on any executor.

References
----------
DESIGN section 6 (chunks, per-chunk seeds, executors).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from ..engine import simulate
from ..model.fm import fm_model
from .executors import run_chunks
from .priors import sample_parameters

__all__ = ["final_states", "people_columns", "simulate_population", "split_people"]


def people_columns(params: dict[str, np.ndarray], state_names: tuple[str, ...],
                   final: np.ndarray) -> dict[str, np.ndarray]:
    """People as flat columns for :func:`.executors.run_chunks`: ``param_NAME`` for the
    parameters that vary and ``state_NAME`` for the states in ``final`` (patients x states)."""
    out = {f"param_{k}": v for k, v in params.items()}
    out.update({f"state_{s}": final[:, j] for j, s in enumerate(state_names)})
    return out


def split_people(columns: dict[str, np.ndarray]
                 ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The parameters and the states back from :func:`people_columns`' columns."""
    def part(prefix: str) -> dict[str, np.ndarray]:
        return {k[len(prefix):]: v for k, v in columns.items() if k.startswith(prefix)}

    return part("param_"), part("state_")


def final_states(size: int, seed: int, days: int, stochastic: bool = False,
                 steps_per_day: int = 4) -> dict[str, np.ndarray]:
    """A population task: ``size`` people drawn from the priors with ``seed``, simulated for
    ``days`` days; returns their parameters that vary, their final states and final pain."""
    model = fm_model()
    params = sample_parameters(size, seed=seed)
    ds = simulate(model, days, params, stochastic=stochastic, seed=seed, record=("pain",),
                  steps_per_day=steps_per_day)
    out = people_columns(params, model.state_names, ds["final"].values)
    out["pain"] = ds["trajectory"].values[:, -1, 0]
    return out


def simulate_population(n: int, days: int, seed: int = 0, stochastic: bool = False,
                        chunk_size: int = 1000, executor: str | None = None,
                        progress: Callable[[int, int], None] | None = None,
                        steps_per_day: int = 4) -> dict[str, np.ndarray]:
    """``n`` people from the priors, ``days`` days each, in chunks on ``executor`` (see
    :func:`.executors.run_chunks`); identical results on every executor for one seed.
    ``steps_per_day`` is the RK4 step (see :func:`fmsim.engine.simulate`)."""
    task = partial(final_states, days=days, stochastic=stochastic, steps_per_day=steps_per_day)
    return run_chunks(task, n, seed=seed, chunk_size=chunk_size, executor=executor,
                      progress=progress)
