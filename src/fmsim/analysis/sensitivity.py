"""Global sensitivity of a model output to its parameters, with SALib (Morris and Sobol).

A :class:`Problem` is a set of named inputs, each with a quantile function that maps the unit
interval onto its distribution. SALib samples the unit hypercube (uniform inputs on [0, 1]); the
quantile functions turn each row into values; one batched evaluation gives the outputs; SALib
analyses them against the unit-cube sample. For the model, the inputs are the parameters that
vary between people and their quantile functions those of their registry priors
(:func:`fmsim.population.priors.prior_quantile`), so Sobol indices apportion an output's variance
over the population the priors describe, and Morris' elementary effects are per unit of a
parameter's quantile (comparable across parameters of any unit).

Sobol indices (first and total order, Saltelli 2010 estimators, bootstrap 95% intervals) cost
``N (D + 2)`` runs for ``D`` parameters; ``N`` must be a power of two (Sobol' sequences). Morris
screening (Campolongo 2007's ``mu_star``, with bootstrap intervals, and ``sigma``) costs
``N (D + 1)`` runs.

References
----------
Herman J, Usher W (2017). SALib: an open-source Python library for sensitivity analysis. J Open
Source Softw 2(9):97. doi:10.21105/joss.00097.
Saltelli A, Annoni P, Azzini I, Campolongo F, Ratto M, Tarantola S (2010). Variance based
sensitivity analysis of model output. Comput Phys Commun 181:259-270.
doi:10.1016/j.cpc.2009.09.018.
Campolongo F, Cariboni J, Saltelli A (2007). An effective screening design for sensitivity
analysis of large models. Environ Model Softw 22:1509-1518. doi:10.1016/j.envsoft.2006.10.004.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

import numpy as np

from ..engine import check_executor, map_chunks, worker_model
from ..errors import FMSimError
from ..model.models import ModelRef, resolve_model
from ..population.priors import person as preset
from ..population.priors import prior_quantile
from .outputs import OUTPUTS, evaluate_output

__all__ = ["METHODS", "ParameterIndices", "Problem", "SensitivityResult", "SensitivitySpec",
           "analyse", "model_problem", "run_sensitivity"]

METHODS = ("morris", "sobol")
CHUNK = 2048
"""Sample rows per engine call (and per task sent to an executor)."""


@dataclass(frozen=True)
class Problem:
    """Named inputs and their quantile functions (unit interval -> values)."""

    names: tuple[str, ...]
    quantiles: tuple[Callable[[np.ndarray], np.ndarray], ...]

    def values(self, unit: np.ndarray) -> dict[str, np.ndarray]:
        """The rows of a unit-hypercube sample (rows, inputs) as values by name."""
        return {n: q(unit[:, j]) for j, (n, q) in enumerate(zip(self.names, self.quantiles,
                                                                  strict=True))}

    def salib(self) -> dict:
        return {"num_vars": len(self.names), "names": list(self.names),
                "bounds": [[0.0, 1.0]] * len(self.names)}


@dataclass(frozen=True)
class ParameterIndices:
    """One input's indices with their 95% intervals: Sobol ``S1`` and ``ST``, or Morris
    ``mu_star`` (and ``sigma``, which has none)."""

    name: str
    indices: Mapping[str, float]
    intervals: Mapping[str, tuple[float, float]]


def analyse(problem: Problem, evaluate: Callable[[dict[str, np.ndarray]], np.ndarray],
            method: Literal["morris", "sobol"], n: int, seed: int = 0
            ) -> tuple[int, tuple[ParameterIndices, ...]]:
    """Sample, evaluate (one call on every row) and analyse; the number of runs and each
    input's indices, largest first (``ST`` for Sobol, ``mu_star`` for Morris)."""
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    spec = problem.salib()
    # SALib's Sobol analysis seeds its bootstrap only when the seed is truthy (SALib 1.6), so
    # seed 0 would give other intervals at every call: every seed is first spread to a large one
    seed = int(np.random.SeedSequence(seed).generate_state(1)[0]) | 1
    if method == "sobol":
        unit = sobol_sample.sample(spec, n, calc_second_order=False, seed=seed)
    else:
        unit = morris_sample.sample(spec, n, num_levels=4, seed=seed)
    y = np.asarray(evaluate(problem.values(unit)), dtype=float)
    if y.shape != (len(unit),) or not np.all(np.isfinite(y)):
        raise FMSimError("the output is not one finite number per sample row")
    if method == "sobol" and np.ptp(y) == 0:
        raise FMSimError(f"the output is {y[0]:g} in all {len(y)} runs: nothing varies for "
                         "Sobol indices to share out (they are 0/0); choose other parameters "
                         "or another output")
    out = []
    if method == "sobol":
        s = sobol_analyze.analyze(spec, y, calc_second_order=False, conf_level=0.95,
                                  seed=seed)
        for j, name in enumerate(problem.names):
            out.append(ParameterIndices(name, {"S1": float(s["S1"][j]), "ST": float(s["ST"][j])},
                                        {k: (float(s[k][j] - s[f"{k}_conf"][j]),
                                             float(s[k][j] + s[f"{k}_conf"][j]))
                                         for k in ("S1", "ST")}))
        key = "ST"
    else:
        s = morris_analyze.analyze(spec, unit, y, num_levels=4, conf_level=0.95, seed=seed)
        for j, name in enumerate(problem.names):
            mu, conf = float(s["mu_star"][j]), float(s["mu_star_conf"][j])
            out.append(ParameterIndices(name, {"mu_star": mu, "sigma": float(s["sigma"][j])},
                                        {"mu_star": (mu - conf, mu + conf)}))
        key = "mu_star"
    return len(unit), tuple(sorted(out, key=lambda p: -p.indices[key]))


def model_problem(model: ModelRef = None, parameters: Sequence[str] | None = None) -> Problem:
    """The parameters that vary between people (or the named ones among them), each through
    its prior's quantile function."""
    registry = resolve_model(model).registry
    varying = [n for n, p in registry.parameters.items() if p.prior.varies]
    if parameters is not None:
        unknown = [n for n in parameters if n not in registry.parameters]
        if unknown:
            raise FMSimError(f"unknown parameter(s) {unknown}; `fmsim model params` lists them")
        fixed = [n for n in parameters if n not in varying]
        if fixed:
            raise FMSimError(f"parameter(s) {fixed} do not vary between people; choose among "
                             f"those with prior bounds: {', '.join(varying)}")
        if len(set(parameters)) != len(parameters) or len(parameters) < 2:
            raise FMSimError("name at least two different parameters")
        varying = list(parameters)
    return Problem(tuple(varying), tuple(
        partial(prior_quantile, registry.parameters[n].prior, registry.parameters[n].value)
        for n in varying))


@dataclass(frozen=True)
class SensitivitySpec:
    """``output`` (one of :data:`~.outputs.OUTPUTS`) by ``method`` with base sample size ``n``
    over ``parameters`` (default: every parameter that varies between people); the others at
    the ``person`` preset's values."""

    output: str = "chronic_pain"
    method: Literal["morris", "sobol"] = "sobol"
    n: int = 256
    parameters: tuple[str, ...] | None = None
    person: str = "vulnerable"
    seed: int = 0

    def __post_init__(self) -> None:
        if self.output not in OUTPUTS:
            raise FMSimError(f"unknown output {self.output!r}; allowed: {', '.join(OUTPUTS)}")
        if self.method not in METHODS:
            raise FMSimError(f"unknown method {self.method!r}; allowed: {', '.join(METHODS)}")
        if not isinstance(self.n, int) or not 4 <= self.n <= 2**16:
            raise FMSimError(f"n must be a whole number from 4 to 65536, not {self.n!r}")
        if self.method == "sobol" and self.n & (self.n - 1):
            lower = 1 << (self.n.bit_length() - 1)
            raise FMSimError(f"n = {self.n} is not a power of two, as Sobol' sequences need "
                             f"(try {lower} or {2 * lower})")


@dataclass(frozen=True, eq=False)
class SensitivityResult:
    """The indices of every parameter, largest first, and how many model runs they took."""

    spec: SensitivitySpec
    n_runs: int
    parameters: tuple[ParameterIndices, ...]

    def to_dict(self) -> dict:
        """The JSON of ``fmsim analyze sensitivity``."""
        return {"output": self.spec.output, "description": OUTPUTS[self.spec.output].description,
                "method": self.spec.method, "n": self.spec.n, "n_runs": self.n_runs,
                "person": self.spec.person, "seed": self.spec.seed,
                "parameters": [{"name": p.name, **p.indices,
                                **{f"{k}_ci": list(v) for k, v in p.intervals.items()}}
                               for p in self.parameters]}

    def rows(self) -> list[tuple[str, ...]]:
        """The indices as table rows of text, header first."""
        keys = ("S1", "ST") if self.spec.method == "sobol" else ("mu_star", "sigma")
        rows = [("rank", "parameter", *(f"{k} (95% interval)" if k in ("S1", "ST", "mu_star")
                                         else k for k in keys))]
        for rank, p in enumerate(self.parameters, start=1):
            cells = [f"{p.indices[k]:.3f}" + (f" ({p.intervals[k][0]:.3f}, "
                                              f"{p.intervals[k][1]:.3f})"
                                              if k in p.intervals else "") for k in keys]
            rows.append((str(rank), p.name, *cells))
        return rows

    def plot(self, path: str | Path) -> Path:
        """The indices as ranked bars with their intervals (PNG)."""
        from .plots import plot_sensitivity

        return plot_sensitivity(self, path)


def run_sensitivity(spec: SensitivitySpec, *, executor: str | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    model: ModelRef = None) -> SensitivityResult:
    """Run the analysis: the whole sample as batched populations in chunks on ``executor``."""
    check_executor(executor)
    problem = model_problem(model, spec.parameters)
    base = preset(spec.person)
    ref = worker_model(model, executor)

    def evaluate(values: dict[str, np.ndarray]) -> np.ndarray:
        rows = len(next(iter(values.values())))
        chunks = [({**base, **{k: v[a:a + CHUNK] for k, v in values.items()}},)
                  for a in range(0, rows, CHUNK)]
        task = partial(evaluate_output, spec.output, seed=spec.seed, model=ref)
        return np.concatenate(map_chunks(task, chunks, executor, progress))

    n_runs, indices = analyse(problem, evaluate, spec.method, spec.n, spec.seed)
    return SensitivityResult(spec, n_runs, indices)
