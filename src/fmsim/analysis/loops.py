"""The gain of each of a model's reinforcing loops at a person's state.

A coupling ``source -> target`` has a local gain at a state: for a variable target, the partial
derivative of its equation with respect to the source (everything else held); for a state
target ``X``, whose rate relaxes it as ``(target - X) / tau_X``, the partial derivative of its
rate times ``tau_X`` - how far ``X``'s equilibrium moves per unit of the source - with 1 added
back for a self-coupling (the relaxation's own ``-X / tau_X`` is not feedback). The gain of a
loop is the product of the gains around its cycle (Mason's loop gain of the linearized system;
Sterman 2000, chapter 5, for the reading in system dynamics): a positive loop with gain 1 or
more sustains itself alone; below 1 it amplifies a disturbance by ``1 / (1 - gain)``. The
derivatives are the exact SymPy ones of :class:`~.system.System`.

References
----------
Mason SJ (1953). Feedback theory - some properties of signal flow graphs. Proc IRE
41(9):1144-1156. doi:10.1109/JRPROC.1953.274449.
Sterman JD (2000). Business Dynamics: Systems Thinking and Modeling for a Complex World.
Irwin/McGraw-Hill.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

from ..choices import MAX_DAYS
from ..errors import FMSimError
from ..model.models import ModelRef, resolve_model
from ..studies.scenario import load_scenario, run_scenario
from .attribution import Contribution, loop_contributions
from .system import System, direct_partials

__all__ = ["Loop", "LoopsResult", "LoopsSpec", "edge_gains", "loop_gains", "run_loops"]


def edge_gains(system: System, x: np.ndarray) -> dict[tuple[str, str], float]:
    """The local gain at the state ``x`` of every coupling from a state or a variable (see the
    module docstring; couplings from inputs are not feedback)."""
    model = system.model
    partials = direct_partials(system, np.asarray(x, float)[:, None])
    tau = {s.name: float(system.params[s.time_constant]) for s in model.states}
    inner = {*model.state_names, *model.variable_names}
    gains = {}
    for c in model.couplings:
        if c.source not in inner:
            continue
        target = f"d{c.target}/dt" if c.target in tau else c.target
        d = float(partials[(c.source, target)][0])
        if c.target in tau:
            d = d * tau[c.target] + (1.0 if c.source == c.target else 0.0)
        gains[(c.source, c.target)] = d
    return gains


@dataclass(frozen=True)
class Loop:
    """A loop's ``cycle`` (names, the first repeated at the end), the names that ``lead`` into
    it, the gain of each coupling around the cycle and their product."""

    name: str
    cycle: tuple[str, ...]
    lead: tuple[str, ...]
    edges: tuple[float, ...]

    @property
    def gain(self) -> float:
        return float(np.prod(self.edges))


def loop_gains(system: System, x: np.ndarray) -> tuple[Loop, ...]:
    """Every loop of the model (:attr:`~fmsim.model.Model.loops`, and each state's coupling to
    itself) with its gains at ``x``, largest gain first."""
    if not system.model.loops:
        raise FMSimError(f"model {system.model.name!r} declares no loops")
    gains = edge_gains(system, x)
    selves = [(f"{c.source} self-excitation", (c.source, c.source))
              for c in system.model.couplings if c.source == c.target]
    loops = []
    for name, path in (*system.model.loops, *selves):
        start = path.index(path[-1])
        cycle = path[start:]
        loops.append(Loop(name, cycle, path[:start], tuple(gains[e] for e in pairwise(cycle))))
    return tuple(sorted(loops, key=lambda loop: -loop.gain))


@dataclass(frozen=True)
class LoopsSpec:
    """The person of ``scenario`` (name or TOML file) on ``day`` of it (default: its last),
    with that day's inputs; with ``attribute``, each loop's contribution to pain too (knocked
    out one at a time, :mod:`.attribution`)."""

    scenario: str = "vulnerable-injury"
    day: int | None = None
    attribute: bool = False


@dataclass(frozen=True, eq=False)
class LoopsResult:
    """The loops at the person's state on the day, and their pain then."""

    spec: LoopsSpec
    day: int
    pain: float
    states: Mapping[str, float]
    loops: tuple[Loop, ...]
    contributions: tuple[Contribution, ...] = ()

    def to_dict(self) -> dict:
        """The JSON of ``fmsim analyze loops``."""
        return {"scenario": self.spec.scenario, "day": self.day, "pain": self.pain,
                "states": dict(self.states),
                "loops": [{"name": loop.name, "cycle": list(loop.cycle), "lead": list(loop.lead),
                           "gain": loop.gain,
                           "edges": [{"source": a, "target": b, "gain": g} for (a, b), g in
                                     zip(pairwise(loop.cycle), loop.edges, strict=True)]}
                          for loop in self.loops],
                "attribution": [{"loop": c.loop, "cut": list(c.cut), "pain_with": c.pain_with,
                                 "pain_cut": c.pain_cut, "contribution": c.contribution}
                                for c in self.contributions] if self.spec.attribute else None}

    @property
    def title(self) -> str:
        """The title of :meth:`rows` (the command's and the README's)."""
        return f"Loops of {self.spec.scenario} on day {self.day} (pain {self.pain:.1f})"

    @property
    def attribution_title(self) -> str:
        """The title of :meth:`attribution_rows`."""
        return f"Each loop knocked out in turn (pain {self.pain:.1f} with all)"

    def attribution_rows(self) -> list[tuple[str, ...]]:
        """Each loop's contribution as table rows of text, header first, largest first."""
        rows = [("loop knocked out", "coupling cut", "pain after", "contribution")]
        rows += [(c.loop, " -> ".join(c.cut), f"{c.pain_cut:.2f}", f"{c.contribution:+.2f}")
                 for c in self.contributions]
        return rows

    def rows(self) -> list[tuple[str, ...]]:
        """The loops as table rows of text, header first, largest gain first."""
        rows = [("loop", "cycle", "gain", "amplifies a disturbance by")]
        for loop in self.loops:
            amplify = f"{1 / (1 - loop.gain):.2f}x" if loop.gain < 1 else "sustains itself"
            rows.append((loop.name, " -> ".join(loop.cycle), f"{loop.gain:.3g}", amplify))
        return rows

    def plot(self, path: str | Path) -> Path:
        """The loop gains as bars (log scale), with gain 1 marked (PNG)."""
        from .plots import plot_loops

        return plot_loops(self, path)


def run_loops(spec: LoopsSpec, *, model: ModelRef = None) -> LoopsResult:
    """Simulate the scenario (deterministically) to the day and take the loops' gains there."""
    model = resolve_model(model)
    scenario = load_scenario(spec.scenario, model)
    day = scenario.days - 1 if spec.day is None else spec.day
    if not isinstance(day, int) or not 0 <= day < MAX_DAYS:
        raise FMSimError(f"day must be a whole number from 0 to {MAX_DAYS - 1}, not {day!r}")
    run = run_scenario(scenario, max(day + 1, scenario.days), model=model)
    trajectory = run.dataset["trajectory"].isel(patient=0, day=day)
    x = trajectory.sel(variable=list(model.state_names)).values
    inputs = {k: float(v[day]) for k, v in scenario.inputs(day + 1).items()}  # the day's
    params = {**model.registry.values(), **scenario.params()}
    loops = loop_gains(System(model, params, inputs), x)
    states = dict(zip(model.state_names, map(float, x), strict=True))
    contributions: tuple[Contribution, ...] = ()
    if spec.attribute:
        first = run.dataset["trajectory"].isel(patient=0, day=0)
        reference = dict(zip(first["variable"].values, map(float, first.values), strict=True))
        contributions = loop_contributions(model, {loop.name: loop.cycle for loop in loops},
                                           params, inputs, states, reference)
    return LoopsResult(spec, day, float(trajectory.sel(variable="pain")), states, loops,
                       contributions)
