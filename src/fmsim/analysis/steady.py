"""Every steady state a person reaches: long simulations from many starts, then Newton.

The attractors (stable steady states) are found as the people of one batched engine run: the
person is copied once per starting state (the model's own initial state and states drawn
uniformly within every state's bounds), each copy is simulated deterministically under the
constant inputs, and the end points are polished by Newton's method with the exact Jacobian and
told apart. Unstable steady states (saddles between attractors) are not attractors; continuation
(:mod:`.continuation`) finds them on the branches that join the attractors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import simulate
from .continuation import is_stable, newton
from .system import System

__all__ = ["SteadyState", "attractors", "attractors_at"]

SETTLE_DAYS = 3 * 365
"""Days each start is simulated before Newton's method (the slowest time constant of model v1 is
six weeks; near a fold the approach is slower, and Newton finishes it)."""


@dataclass(frozen=True)
class SteadyState:
    """A steady state: the free name's ``value``, the ``states``, ``pain`` (0-10) and whether it
    is ``stable``."""

    value: float
    states: np.ndarray
    pain: float
    stable: bool


def attractors(system: System, value: float | None = None, starts: int = 32,
               seed: int = 0) -> tuple[SteadyState, ...]:
    """The stable steady states at ``value`` of the free name (default: the person's own),
    lowest pain first, from the model's initial state and ``starts`` random ones."""
    value = system.value if value is None and system.free else value
    return attractors_at(system, [value], starts, seed)[0]


def attractors_at(system: System, values: list[float | None], starts: int = 32,
                  seed: int = 0) -> list[tuple[SteadyState, ...]]:
    """:func:`attractors` at each of ``values`` of the free name, from one batched run."""
    model = system.model
    rng = np.random.default_rng(seed)
    lo, hi = np.array([s.bounds for s in model.states]).T
    initial = np.vstack([[s.initial for s in model.states],
                         lo + (hi - lo) * rng.uniform(size=(starts, len(lo)))])
    k = len(initial)
    params = dict(system.params)
    inputs = dict(system.inputs)
    if system.free is not None:
        (params if system.free in params else inputs)[system.free] = np.repeat(
            np.asarray(values, float), k)
        if system.free in inputs:  # an input that differs between people: (people, days)
            inputs[system.free] = np.repeat(inputs[system.free][:, None], SETTLE_DAYS, axis=1)
    start = np.tile(initial, (len(values), 1))
    run = simulate(model, SETTLE_DAYS, params, inputs,
                   dict(zip(model.state_names, start.T, strict=True)), record=())
    ends = run["final"].values.reshape(len(values), k, -1)
    out = []
    for value, finals in zip(values, ends, strict=True):
        found: list[np.ndarray] = []
        seen: list[np.ndarray] = []
        for x in finals:
            if any(np.max(np.abs(x - y)) < 1e-3 for y in seen):
                continue  # a start that settled where another did: polish one of them only
            seen.append(x)
            x = newton(system, x, value)
            if x is None or any(np.max(np.abs(x - y)) < 1e-6 for y in found):
                continue
            if is_stable(system, x, value):
                found.append(x)
        pain = [pain_at(system, x, value) for x in found]
        out.append(tuple(SteadyState(np.nan if value is None else float(value), x, p, True)
                         for p, x in sorted(zip(pain, found, strict=True),
                                            key=lambda item: item[0])))
    return out


def pain_at(system: System, x: np.ndarray, value: float | None) -> float:
    """Pain (0-10) at the state ``x``."""
    return float(np.asarray(system.namespace(np.asarray(x)[:, None], value)["pain"]).ravel()[0])
