"""The model outputs a sensitivity analysis can ask about, each one batched engine run.

Every output takes people as parameter arrays (one entry per person: a row of a sensitivity
sample) and returns one number per person. Each person lives the same standard history: a year
that begins with the six-week injury of the built-in injury scenarios (intensity 0.5 from day
30; :data:`fmsim.interventions.TRIGGER_KINDS`), deterministically. What follows depends on the
output:

``chronic_pain``
    Mean pain (0-10) over the last four weeks of that year.
``tipping``
    1 if that pain is 4 or more (moderate pain, the FM trials' inclusion minimum), else 0: its
    mean over the priors is the probability of tipping after the injury, and its Sobol indices
    apportion that probability's variance.
``diary_mean``, ``diary_sd``
    Twelve more weeks in stochastic mode (daily noise on stress, inflammation and sleep), then
    the mean and the day-to-day standard deviation of the diary's daily pain answers (the
    measurement model's 0-10 answers, with their noise).
``duloxetine_effect``
    Twelve more weeks on duloxetine 60 mg minus the same twelve weeks on placebo: the change in
    mean pain over week 12 (negative: the drug relieves more than the pill's context alone).

The stochastic outputs run from one seed, but each sample row (a person of the batch) draws
its own noise, so their indices carry a noise floor: in Morris screening every parameter, even
one the model ignores, gets a ``mu_star`` of about the noise's own size (about 0.1 for
``diary_sd``), and only parameters above it matter. The deterministic outputs have no floor:
a parameter they do not depend on (a noise SD) gets exactly 0.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

# The engine (a lazy package) and the measurement model load when an output is first computed:
# the command line lists the outputs when it starts.
from .. import engine
from ..interventions.catalog import Treatment, treatment_inputs
from ..interventions.triggers import Trigger
from ..model.models import ModelRef, resolve_model

__all__ = ["OUTPUTS", "Output", "evaluate_output"]

YEAR, WEEKS = 365, 12
MODERATE_PAIN = 4.0


@dataclass(frozen=True)
class Output:
    """A named output: its meaning and how to compute it for a batch of people."""

    name: str
    description: str
    compute: Callable[[ModelRef, Mapping[str, np.ndarray], int], np.ndarray]


def _year(model: ModelRef, params: Mapping[str, np.ndarray]):
    """The standard year after the injury: the run (pain recorded) and its final states."""
    model = resolve_model(model)
    inputs: dict[str, np.ndarray] = {}
    Trigger.create("injury", 30).apply(inputs, YEAR)
    run = engine.simulate(model, YEAR, params, inputs, record=("pain",))
    return run, dict(zip(model.state_names, run["final"].values.T, strict=True))


def _chronic_pain(model: ModelRef, params: Mapping[str, np.ndarray], seed: int) -> np.ndarray:
    run, _ = _year(model, params)
    return run["trajectory"].sel(variable="pain").values[:, -28:].mean(axis=1)


def _tipping(model: ModelRef, params: Mapping[str, np.ndarray], seed: int) -> np.ndarray:
    return (_chronic_pain(model, params, seed) >= MODERATE_PAIN).astype(float)


def _diary_pain(model: ModelRef, params: Mapping[str, np.ndarray], seed: int) -> np.ndarray:
    from ..instruments.measurement import LATENT, diary

    _, states = _year(model, params)
    run = engine.simulate(resolve_model(model), 7 * WEEKS, params, None, states,
                          stochastic=True, seed=seed, record=LATENT)
    return diary(run, seed=seed)["pain"].values.astype(float)


def _diary_mean(model: ModelRef, params: Mapping[str, np.ndarray], seed: int) -> np.ndarray:
    return _diary_pain(model, params, seed).mean(axis=1)


def _diary_sd(model: ModelRef, params: Mapping[str, np.ndarray], seed: int) -> np.ndarray:
    return _diary_pain(model, params, seed).std(axis=1, ddof=1)


def _duloxetine_effect(model: ModelRef, params: Mapping[str, np.ndarray], seed: int
                       ) -> np.ndarray:
    _, states = _year(model, params)
    days = 7 * WEEKS
    week12 = []
    for spec in ("duloxetine:60", "placebo"):
        inputs = treatment_inputs([Treatment.create(spec, 0)], days)
        run = engine.simulate(resolve_model(model), days, params, inputs, states,
                              record=("pain",))
        week12.append(run["trajectory"].sel(variable="pain").values[:, -7:].mean(axis=1))
    return week12[0] - week12[1]


OUTPUTS: dict[str, Output] = {o.name: o for o in (
    Output("chronic_pain", "mean pain in the last 4 weeks of a year after a 6-week injury",
           _chronic_pain),
    Output("tipping", "1 if that pain is moderate (4 or more), else 0", _tipping),
    Output("diary_mean", "mean daily diary pain over the 12 weeks after that year",
           _diary_mean),
    Output("diary_sd", "day-to-day SD of daily diary pain over those 12 weeks", _diary_sd),
    Output("duloxetine_effect", "pain at week 12 on duloxetine 60 mg minus on placebo, "
           "from the state a year after the injury", _duloxetine_effect),
)}
"""The outputs by name (see the module docstring)."""


def evaluate_output(name: str, params: Mapping[str, np.ndarray], seed: int = 0,
                    model: ModelRef = None) -> np.ndarray:
    """Output ``name`` for every person of ``params`` (a picklable task for the executors)."""
    return OUTPUTS[name].compute(model, params, seed)
