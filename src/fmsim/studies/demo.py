"""The demo: one injury, two people, what happens in the year after it, then twelve weeks of
treatment for the woman who developed FM, and a small virtual trial."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from .. import engine
from ..interventions.catalog import Treatment, arm_inputs
from ..model.models import ModelRef, resolve_model
from ..population import person

if TYPE_CHECKING:  # the reports name the demo's plans when the command line starts
    import xarray as xr

    from .scenario import ScenarioResult
    from .trial import TrialResult

__all__ = ["DEMO_ARMS", "DEMO_PEOPLE", "TRIAL_ARMS", "TRIAL_N", "DemoResult", "run_demo",
           "treat_after"]

DEMO_PEOPLE = ("healthy-injury", "vulnerable-injury")
"""The demo's two scenarios: the same injury in a healthy and in a vulnerable woman."""
DEMO_ARMS = ("usual-care", "placebo", "duloxetine:60", "pregabalin:450", "aerobic:3",
             "aerobic:3+duloxetine:60", "cbt")
"""The treatment plans the demo compares (SPECs as in ``fmsim trial``)."""

TRIAL_ARMS = ("placebo", "duloxetine:60", "aerobic")
TRIAL_N = 100
"""The demo's virtual trial: arms and patients per arm (``fmsim trial`` does more)."""

TREATMENT_START, TREATMENT_WEEKS, FOLLOW_UP_WEEKS = 14, 12, 12


def treat_after(final: xr.DataArray, arms: tuple[str, ...], start: int = TREATMENT_START,
                weeks: int = TREATMENT_WEEKS, follow_up_weeks: int = FOLLOW_UP_WEEKS,
                model: ModelRef = None) -> tuple[xr.Dataset, int]:
    """The vulnerable woman from her chronic state ``final`` (one row of a result's ``final``),
    once per arm, side by side: ``weeks`` of treatment from day ``start``, then follow-up.
    Returns the run (one patient per arm) and the day treatment stopped."""
    stop = start + 7 * weeks
    days = stop + 7 * follow_up_weeks
    inputs = arm_inputs([[Treatment.create(a, start, stop)] for a in arms], days)
    states = {s: np.full(len(arms), float(v)) for s, v in
              zip(final.coords["state"].values, final.values, strict=True)}
    return engine.simulate(resolve_model(model), days, person("vulnerable"), inputs, states), stop


def _pain(result: ScenarioResult, day: int) -> float:
    return float(result.score("pain")[day])


@dataclass(frozen=True, eq=False)
class DemoResult:
    """What the demo produced: the two women through the injury (deterministic, ``runs``, and
    with daily noise, ``noisy``), the woman with FM once per plan of :data:`DEMO_ARMS`
    (``treated``, one patient per plan, treatment stopping on day ``stop``), and the trial."""

    runs: tuple[ScenarioResult, ...]
    noisy: tuple[ScenarioResult, ...]
    treated: xr.Dataset = field(repr=False)
    stop: int
    trial: TrialResult
    seed: int

    @property
    def injury(self) -> tuple[int, int]:
        """First day of the injury and the first day after it."""
        spec = self.runs[0].scenario
        return spec.triggers[0].start_day, spec.trigger_end

    def marks(self) -> dict[str, int]:
        """The days the injury table shows."""
        start, end = self.injury
        return {"before": start - 1, "during injury": (start + end) // 2, "+30 days": end + 30,
                "+180 days": end + 180, "+365 days": end + 364}

    def rows(self) -> list[tuple[str, ...]]:
        """Pain of the two women on :meth:`marks`' days, header first."""
        marks = self.marks()
        return [("pain (0-10)", *marks)] + [
            (r.scenario.person, *(f"{_pain(r, d):.1f}" for d in marks.values()))
            for r in self.runs]

    def summary(self) -> tuple[str, ...]:
        """What happened, in three sentences."""
        start, end = self.injury
        healthy, vulnerable = self.runs
        return (
            f"Both women had the same six-week injury (days {start}-{end - 1}).",
            f"The healthy woman's pain is back to {_pain(healthy, end + 30):.1f}/10 a month "
            "after it.",
            f"The vulnerable woman's pain is still {_pain(vulnerable, end + 364):.1f}/10 a year "
            "after it: the change the injury made in her pain system outlasts the injury "
            "(hysteresis).",
        )

    def treatment_rows(self) -> list[tuple[str, ...]]:
        """Each plan's pain before, at week 12, against usual care and 12 weeks after stopping,
        header first."""
        pain = self.treated["trajectory"].sel(variable="pain").values
        stop, start = self.stop, self.stop - 7 * TREATMENT_WEEKS
        rows = [("plan", "before", "week 12", "vs usual care", "12 weeks after stopping")]
        rows += [(arm, f"{pain[i, start - 1]:.1f}", f"{pain[i, stop - 1]:.1f}",
                  f"{pain[i, stop - 1] - pain[0, stop - 1]:+.1f}", f"{pain[i, -1]:.1f}")
                 for i, arm in enumerate(DEMO_ARMS)]
        return rows


def _shifted(progress: Callable[[int, int], None], offset: int, total: int, done: int,
             _days: int) -> None:
    progress(offset + done, total)


def run_demo(seed: int = 0, progress: Callable[[int, int], None] | None = None,
             model: ModelRef = None) -> DemoResult:
    """Run the demo (:class:`DemoResult`): a healthy and a vulnerable woman get the same
    six-week injury (scenarios ``healthy-injury`` and ``vulnerable-injury``) and are followed
    for a year after it, deterministically and then with daily noise (``seed``); then the woman
    who developed FM is treated for twelve weeks, once per plan of :data:`DEMO_ARMS`, and
    followed for twelve more; and a 12-week virtual trial of :data:`TRIAL_ARMS`."""
    from .scenario import load_scenario, run_scenario
    from .trial import TrialSpec, run_trial

    specs = [load_scenario(name, model) for name in DEMO_PEOPLE]
    days = specs[0].trigger_end + 365
    jobs = [(spec, False) for spec in specs] + [(spec, True) for spec in specs]
    results = []
    for i, (spec, noisy) in enumerate(jobs):
        step = partial(_shifted, progress, i * days, len(jobs) * days) if progress else None
        results.append(run_scenario(spec, days, stochastic=noisy, seed=seed, progress=step,
                                    model=model))
    treated, stop = treat_after(results[1].dataset["final"].isel(patient=0), DEMO_ARMS,
                                model=model)
    trial = run_trial(TrialSpec(TRIAL_ARMS, weeks=12, n_per_arm=TRIAL_N, seed=seed), model=model)
    return DemoResult(tuple(results[:2]), tuple(results[2:]), treated, stop, trial, seed)
