"""Where a person tips into FM and where they recover: the branches of steady states over one
parameter, with their folds.

A person (a scenario's person with its parameter overrides, without its triggers and treatments)
under constant default inputs has one or more attractors (:func:`.steady.attractors`), looked
for at the person's value and at :data:`SEARCH_POINTS` values across the range. Each is
continued over the range in both directions (:mod:`.continuation`); curves that another start
already traced are not traced twice. A branch with no attractor at any of those values (a
short isolated one) can be missed. A curve is cut into branches where its
stability changes. A fold at the end of a stable branch whose pain is below the unstable branch
beside it is where the healthy state disappears (``tip``: past it the person tips into chronic
pain without any trigger); a fold at the end of a stable branch above it is where the chronic
state disappears (``recover``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Literal

import numpy as np

from ..errors import FMSimError
from ..model.models import ModelRef, resolve_model
from ..studies.scenario import ScenarioSpec, check_parameters, load_scenario
from .continuation import Curve, continue_branch
from .steady import SteadyState, attractors_at, pain_at
from .system import System

__all__ = ["SEARCH_POINTS", "BifurcationResult", "BifurcationSpec", "Branch", "Fold",
           "run_bifurcation"]

SEARCH_POINTS = 7
"""Values across the range (ends included) at which attractors are looked for, besides the
person's own."""


@dataclass(frozen=True)
class BifurcationSpec:
    """The person of ``scenario`` (a built-in name or a TOML file) and the ``parameter`` (or
    constant input: stress, exercise, a drug's effect level) to vary over ``value_range``
    (default: a parameter's prior bounds, an input's declared ones). ``overrides`` set more
    of the person's parameters (a parameter vector: checked as a scenario's ``[parameters]``).
    The other inputs keep their defaults (no trigger, no treatment)."""

    scenario: str = "vulnerable"
    parameter: str = "genetic"
    value_range: tuple[float, float] | None = None
    overrides: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Branch:
    """Steady states of one stability along the parameter: ``values``, ``pain`` (0-10) and
    ``states`` (point, state)."""

    stable: bool
    values: np.ndarray
    pain: np.ndarray
    states: np.ndarray


@dataclass(frozen=True)
class Fold:
    """A fold: ``tip`` (the healthy branch ends) or ``recover`` (the chronic branch ends), at
    ``value`` of the parameter, with the ``pain`` there."""

    kind: Literal["tip", "recover"]
    value: float
    pain: float


@dataclass(frozen=True, eq=False)
class BifurcationResult:
    """The branches and folds over the parameter, the person's own value, and the attractors
    the branches were followed from (at the person's value, or at the end of the range nearest
    to it when it lies outside)."""

    spec: BifurcationSpec
    value_range: tuple[float, float]
    own_value: float
    state_names: tuple[str, ...]
    attractors: tuple[SteadyState, ...]
    branches: tuple[Branch, ...]
    folds: tuple[Fold, ...]
    description: str = field(default="")

    def distance(self, kind: Literal["tip", "recover"]) -> float | None:
        """The signed change of the parameter from the person's value to the nearest fold of
        ``kind`` (None when there is none in the range)."""
        gaps = [f.value - self.own_value for f in self.folds if f.kind == kind]
        return min(gaps, key=abs) if gaps else None

    def to_dict(self) -> dict:
        """The JSON of ``fmsim analyze bifurcation``."""
        return {
            "scenario": self.spec.scenario, "overrides": dict(self.spec.overrides),
            "parameter": self.spec.parameter,
            "range": list(self.value_range),
            "person": {"value": self.own_value,
                       "attractors": [{"value": a.value, "pain": a.pain,
                                       "states": dict(zip(self.state_names,
                                                          map(float, a.states), strict=True))}
                                      for a in self.attractors],
                       "distance_to_tip": self.distance("tip"),
                       "distance_to_recover": self.distance("recover")},
            "branches": [[{"value": float(v), "pain": float(p), "stable": b.stable,
                           "states": dict(zip(self.state_names, map(float, x), strict=True))}
                          for v, p, x in zip(b.values, b.pain, b.states, strict=True)]
                         for b in self.branches],
            "folds": [{"kind": f.kind, "value": f.value, "pain": f.pain} for f in self.folds],
        }

    def rows(self) -> list[tuple[str, ...]]:
        """The folds as table rows of text, header first."""
        rows = [("fold", self.spec.parameter, "pain there", "change from the person's value")]
        rows += [(f.kind, f"{f.value:.4g}", f"{f.pain:.2f}", f"{f.value - self.own_value:+.4g}")
                 for f in self.folds]
        return rows

    def summary(self) -> str:
        """The person's attractors and distances in words."""
        name, value = self.spec.parameter, self.own_value
        pains = " and ".join(f"{a.pain:.1f}" for a in self.attractors)
        lo, hi = self.value_range
        at = self.attractors[0].value
        words = [f"At {name} = {at:.4g}" + ("" if at == value else
                                          f" (the person's own is {value:.4g})")
                 + f" the person has {len(self.attractors)} stable "
                 + ("state" if len(self.attractors) == 1 else "states") + f", pain {pains}."]
        for kind, state, then in (("tip", "healthy", "tips into chronic pain"),
                                  ("recover", "chronic", "with chronic pain recovers")):
            d = self.distance(kind)
            words.append(f"The {state} state ends at {name} = {value + d:.4g} ({d:+.4g}): past "
                         f"it the person {then} without a trigger." if d is not None else
                         f"The {state} state does not end in [{lo:.4g}, {hi:.4g}].")
        return " ".join(words)

    def plot(self, path: str | Path) -> Path:
        """The bifurcation diagram (pain against the parameter) with the person marked (PNG)."""
        from .plots import plot_bifurcation

        return plot_bifurcation(self, path)


def _range(model, name: str, given: tuple[float, float] | None) -> tuple[float, float]:
    """The range to vary ``name`` (a parameter or an input) over, checked against its bounds:
    a parameter's prior bounds, an input's declared ones."""
    registry = model.registry
    inputs = {i.name: i for i in model.inputs}
    if name in inputs:
        lo, hi = inputs[name].bounds
        kind = "declared bounds"
    elif name in registry.parameters:
        prior = registry.parameters[name].prior
        lo, hi = prior.bounds
        kind = "prior bounds"
        if not prior.varies or prior.dist == "bernoulli":
            raise FMSimError(f"parameter {name!r} does not vary between people (it is "
                             f"{'yes or no' if prior.dist == 'bernoulli' else f'fixed at {lo:g}'}"
                             "); choose one with prior bounds (`fmsim model params`) or an input")
    else:
        raise FMSimError(f"unknown parameter or input {name!r}; `fmsim model params` lists the "
                         f"parameters; inputs: {', '.join(inputs)}")
    if given is None:
        return float(lo), float(hi)
    a, b = map(float, given)
    if not np.isfinite([a, b]).all():
        raise FMSimError(f"--range {a:g} {b:g}: give two finite numbers within {name}'s "
                         f"{kind} [{lo:g}, {hi:g}]")
    if not a < b:
        raise FMSimError(f"--range {a:g} {b:g} is empty; give the lower value first")
    if a < lo or b > hi:
        raise FMSimError(f"--range {a:g} {b:g} leaves {name}'s {kind} [{lo:g}, {hi:g}]")
    return a, b


def _on_curve(x: np.ndarray, value: float, curve: Curve, tol: float = 0.02) -> bool:
    """Whether the steady state ``x`` at ``value`` lies on ``curve`` (between two of its
    points, linearly)."""
    v = curve.values
    for i in np.flatnonzero((v[:-1] - value) * (v[1:] - value) <= 0):
        w = 0.0 if v[i + 1] == v[i] else (value - v[i]) / (v[i + 1] - v[i])
        if np.max(np.abs(curve.states[i] + w * (curve.states[i + 1] - curve.states[i]) - x)) < tol:
            return True
    return False


def _joined(system: System, x: np.ndarray, value: float, lo: float, hi: float) -> Curve:
    """The curve through ``x`` at ``value`` in both directions, in order along it."""
    down, up = (continue_branch(system, x, value, lo, hi, d) for d in (-1, 1))
    n = len(down.values)
    return Curve(np.r_[down.values[::-1], up.values[1:]],
                 np.vstack([down.states[::-1], up.states[1:]]),
                 np.r_[down.stable[::-1], up.stable[1:]],
                 tuple(sorted([n - 1 - i for i in down.folds] + [n - 1 + i for i in up.folds
                                                                  if i > 0])))


def _split(system: System, curve: Curve) -> tuple[list[Branch], list[Fold]]:
    """Branches of one stability, and the folds with their kind."""
    pain = np.array([pain_at(system, x, v) for x, v in zip(curve.states, curve.values,
                                                            strict=True)])
    cuts = [0, *(i + 1 for i in range(len(pain) - 1) if curve.stable[i] != curve.stable[i + 1]),
            len(pain)]
    branches = []
    for a, b in pairwise(cuts):
        # a branch ends on the point where the next begins, so the curve is drawn unbroken
        end = min(b + 1, len(pain))
        branches.append(Branch(bool(curve.stable[a]), curve.values[a:end], pain[a:end],
                               curve.states[a:end]))
    folds = []
    for i in curve.folds:
        stable = [j for j in (i - 1, i + 1) if 0 <= j < len(pain) and curve.stable[j]]
        unstable = [j for j in (i - 1, i + 1) if 0 <= j < len(pain) and not curve.stable[j]]
        if not stable or not unstable:
            continue  # a fold between two unstable branches decides nothing for the person
        kind = "tip" if pain[stable[0]] < pain[unstable[0]] else "recover"
        folds.append(Fold(kind, float(curve.values[i]), float(pain[i])))
    return branches, folds


def run_bifurcation(spec: BifurcationSpec, *, model: ModelRef = None) -> BifurcationResult:
    """Trace every branch of steady states of the spec's person over the parameter."""
    model = resolve_model(model)
    scenario: ScenarioSpec = load_scenario(spec.scenario, model)
    lo, hi = _range(model, spec.parameter, spec.value_range)
    params = {**model.registry.values(), **scenario.params(),
              **check_parameters(spec.overrides, model)}
    system = System(model, params, {}, free=spec.parameter)
    own = system.value
    start = min(max(own, lo), hi)  # the person's value, or the end of the range nearest it
    # attractors at the person's value, then across the range, so that a branch that does not
    # reach the person's value (an isolated chronic branch, say) is found too
    grid = [start, *np.linspace(lo, hi, SEARCH_POINTS)]
    found_at = attractors_at(system, grid)
    curves: list[Curve] = []
    for value, found in zip(grid, found_at, strict=True):
        for state in found:
            if not any(_on_curve(state.states, value, c) for c in curves):
                curves.append(_joined(system, state.states, value, lo, hi))
    found = found_at[0]
    branches, folds = [], []
    for curve in curves:
        b, f = _split(system, curve)
        branches += b
        folds += f
    folds.sort(key=lambda f: f.value)
    return BifurcationResult(spec, (lo, hi), own, model.state_names, found, tuple(branches),
                             tuple(folds), scenario.description)
