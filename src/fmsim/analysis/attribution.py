"""Which loop holds a person's pain up: knocking out one loop at a time.

The method: a loop is cut at one of its couplings ``source -> target`` by holding ``source``, in
``target``'s equation only, at its value on day 0 of the scenario (the person before any
trigger), while everything else runs as before. From the person's state on the day analysed,
under that day's inputs held constant, the model with the cut and the model without it are both
run for :data:`SETTLE_DAYS` (SciPy's BDF, a stiff solver that settles in few steps); a loop's
contribution is how much lower pain ends with it cut. A state's coupling to itself is cut by
holding it in its own rate while its relaxation keeps its own value.
The coupling cut is the first around the cycle that no other listed loop uses, so that cutting
one loop leaves the others whole (when every coupling is shared, the first one).

Limits, said plainly: contributions do not add up to the person's pain (loops interact, and a
cut can move the person onto another attractor, which is the point for a bistable person);
a cut holds a quantity at its pre-trigger value, which is one choice of reference among several;
the answer is the deterministic model's, for one person.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
from scipy.integrate import solve_ivp

from ..model import NumpyKernel
from ..model.builder import Model, Namespace
from ..model.spec import Equation

__all__ = ["SETTLE_DAYS", "Contribution", "cut_coupling", "loop_contributions"]

SETTLE_DAYS = 2 * 365


@dataclass(frozen=True)
class _Held:
    """An equation that sees ``name`` held at ``value``; for a state's own rate (a
    self-coupling), its relaxation ``-name / tau`` is given back, so that only the
    self-excitation is held."""

    equation: Equation
    name: str
    value: float
    tau: str = ""

    def __call__(self, v: Namespace):
        held = self.equation(Namespace({**v, self.name: self.value}))
        return held + (self.value - v[self.name]) / v[self.tau] if self.tau else held


def cut_coupling(model: Model, source: str, target: str, value: float) -> Model:
    """The model with ``source`` held at ``value`` in ``target``'s equation only."""
    states = tuple(replace(s, rate=_Held(s.rate, source, value,
                                         s.time_constant if source == target else ""))
                   if s.name == target else s for s in model.states)
    variables = tuple(replace(v, equation=_Held(v.equation, source, value))
                      if v.name == target else v for v in model.variables)
    return replace(model, name=f"{model.name} without {source}->{target}", states=states,
                   variables=variables)


@dataclass(frozen=True)
class Contribution:
    """A loop's contribution: the coupling cut, pain at the end with and without the cut, and
    their difference."""

    loop: str
    cut: tuple[str, str]
    pain_with: float
    pain_cut: float

    @property
    def contribution(self) -> float:
        return self.pain_with - self.pain_cut


def loop_contributions(model: Model, loops: Mapping[str, tuple[str, ...]],
                       params: Mapping[str, float], inputs: Mapping[str, float],
                       state: Mapping[str, float], reference: Mapping[str, float]
                       ) -> tuple[Contribution, ...]:
    """Each loop's contribution to pain (see the module docstring), largest first.

    ``loops`` are cycles (name -> path, first name repeated last), ``state`` the person's
    states on the day, ``reference`` every quantity's value on day 0."""
    edges = {name: list(itertools.pairwise(cycle)) for name, cycle in
             loops.items()}
    counts: dict[tuple[str, str], int] = {}
    for path in edges.values():
        for e in set(path):
            counts[e] = counts.get(e, 0) + 1
    variants = {}
    for name, path in edges.items():
        cut = next((e for e in path if counts[e] == 1), path[-1])
        variants[name] = (cut, cut_coupling(model, *cut, float(reference[cut[0]])))

    values = {**{i.name: i.default for i in model.inputs}, **inputs}

    def pain_after(m: Model) -> float:
        kernel = NumpyKernel(m)
        y0 = np.array([state[s] for s in m.state_names])
        end = solve_ivp(lambda t, y: kernel.rhs(y[:, None], params, values)[:, 0],
                        (0, SETTLE_DAYS), y0, method="BDF", rtol=1e-8, atol=1e-10).y[:, -1]
        return float(kernel.variables(end[:, None], params, values, ("pain",))[0, 0])

    with_all = pain_after(model)
    out = [Contribution(name, cut, with_all, pain_after(variant))
           for name, (cut, variant) in variants.items()]
    return tuple(sorted(out, key=lambda c: -c.contribution))
