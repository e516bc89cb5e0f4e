"""Explaining a fitted twin: what holds the person's symptoms up, how likely they are to recover
unaided, what in their diary went with their pain, and what the diary cannot tell apart.

* **Loops** (issue 8's :func:`fmsim.analysis.loops.loop_gains`): the gain of each reinforcing
  loop at each posterior draw's state on the diary's last day, summarized over the draws; a gain
  of 1 or more sustains itself, below 1 a loop amplifies a disturbance by ``1 / (1 - gain)``.
* **Recovery**: each draw lives a year on from its state with the model's day-to-day noise and
  no change; the share whose mean pain over the year's last four weeks is below 4/10 (pain at
  least 4/10 is the trial cohorts' entry criterion, calibration.md B1) is the posterior
  probability of recovering unaided within a year.
* **The diary's associations**: the correlation of each logged input (sleep hours and quality,
  stress, activity minutes, exercise days, events) with pain the same day and up to three days
  later, over the days that hold both. These are the diary's correlations, as symptom trackers
  show them, not effects: the model's account of them is the loops and the what-ifs.
* **What the logged drugs did**: each posterior draw lives the diary's days twice from its
  start (the twin's prior over the person's past, as in the fit), with every logged input and
  without one drug's runs, on the same noise; the difference in mean pain over the days the drug
  was taken is the drug's effect on this person by the model's account (taking it, its context
  included, against not taking it), summarized over the draws. The effect at each draw is the
  model's; the spread over the draws is what the diary leaves uncertain about the person.
* **What the diary cannot tell apart**: pairs of fitted parameters whose posterior correlation
  is 0.5 or more in size (the diary constrains a combination of them, not each).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..analysis.loops import loop_gains
from ..analysis.system import System
from ..engine import simulate
from ..model.models import resolve_model
from .diary import Diary
from .fit import NOTICE, TwinFit
from .likelihood import DiaryLikelihood

__all__ = ["DrugEffect", "Explanation", "drug_effects", "explain_twin"]

RECOVERED_BELOW = 4.0
"""Mean pain (0-10) under which a draw counts as recovered (the trials' entry criterion)."""

INPUTS = ("sleep_hours", "sleep_quality", "stress", "activity_minutes")
LAGS = (0, 1, 2, 3)


@dataclass(frozen=True)
class DrugEffect:
    """A logged drug's effect on the person's pain (0-10) over the days it was taken (``first``
    to ``last``, diary days from 0): the posterior ``median`` and 90% interval (``low``,
    ``high``); negative is less pain."""

    spec: str
    first: int
    last: int
    median: float
    low: float
    high: float


@dataclass(frozen=True)
class Explanation:
    """``loops``: name -> (median, 5th, 95th centile of the gain over the draws), largest
    first; ``primed``: the share of draws whose priming memory is on (above half) at the end;
    ``sensitization``: central sensitization's median there (0-1, its ceiling 1);
    ``recovery``: the probability of recovering unaided within a year; ``associations``:
    (input, lag in days, correlation with pain, days) by size; ``confounded``: (parameter,
    parameter, posterior correlation)."""

    loops: dict[str, tuple[float, float, float]]
    primed: float
    sensitization: float
    recovery: float
    associations: list[tuple[str, int, float, int]]
    confounded: list[tuple[str, str, float]]
    draws: int
    drugs: list[DrugEffect] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The ``fmsim twin explain --json`` object."""
        return {"draws": self.draws,
                "loops": {k: {"median": m, "low": lo, "high": hi}
                          for k, (m, lo, hi) in self.loops.items()},
                "p_primed": self.primed, "sensitization_median": self.sensitization,
                "p_recover_within_a_year": self.recovery,
                "associations": [{"input": i, "lag_days": lag, "correlation": r, "days": n}
                                 for i, lag, r, n in self.associations],
                "cannot_tell_apart": [{"parameters": [a, b], "correlation": r}
                                      for a, b, r in self.confounded],
                "drugs": [vars(d) for d in self.drugs],
                "notice": NOTICE}

    def lines(self) -> list[str]:
        """The explanation in words."""
        out = [f"Priming (the latent memory that keeps FM going in model v2) is on in "
               f"{self.primed:.0%} of the posterior; central sensitization's median is "
               f"{self.sensitization:.2f} of its ceiling.",
               "The reinforcing loops at the diary's end (gain: median and 90%):"]
        for name, (m, lo, hi) in list(self.loops.items())[:5]:
            amplify = (f"amplifies a disturbance {1 / (1 - m):.2f}x" if m < 1
                       else "sustains itself")
            out.append(f"  {name}: {m:.3f} ({lo:.3f}-{hi:.3f}), {amplify}")
        out.append(f"Probability of recovering unaided within a year (mean pain below "
                   f"{RECOVERED_BELOW:g}): {self.recovery:.2f}")
        if self.associations:
            out.append("What went with pain in the diary (correlations, not effects):")
            for name, lag, r, n in self.associations[:5]:
                when = "the same day" if lag == 0 else f"{lag} day(s) later"
                out.append(f"  {name} with pain {when}: r = {r:+.2f} over {n} days")
        for d in self.drugs:
            out.append(f"{d.spec} (diary days {d.first}-{d.last}) changed pain by {d.median:+.2f}"
                       f" (90%: {d.low:+.2f} to {d.high:+.2f}) against not taking it, by the "
                       "model's account")
        if self.confounded:
            out.append("What the diary cannot tell apart (posterior correlation):")
            out += [f"  {a} and {b}: {r:+.2f}" for a, b, r in self.confounded]
        return out


def _associations(diary: Diary) -> list[tuple[str, int, float, int]]:
    pain = diary.values["pain"].values
    series = {name: diary.values[name].values for name in INPUTS}
    for column, pairs in (("exercise", diary.exercise), ("events", diary.events)):
        if pairs:
            flag = np.where(diary.logged, 0.0, np.nan)
            flag[[d for d, _ in pairs]] = 1.0
            series[f"{column} days"] = flag
    out = []
    for name, x in series.items():
        for lag in LAGS:
            a, b = x[:len(x) - lag], pain[lag:]
            both = ~np.isnan(a) & ~np.isnan(b)
            if both.sum() >= 10 and np.std(a[both]) > 0 and np.std(b[both]) > 0:
                r = float(np.corrcoef(a[both], b[both])[0, 1])
                out.append((name, lag, round(r, 3), int(both.sum())))
    return sorted(out, key=lambda t: -abs(t[2]))


def drug_effects(fit: TwinFit, pick: np.ndarray, seed: int = 0) -> list[DrugEffect]:
    """The effect of each drug the diary logs, over the posterior draws ``pick`` (see the module
    docstring)."""
    diary = fit.diary
    treatments = diary.treatments()
    if not treatments:
        return []
    params, _ = fit.people(pick)
    theta = np.column_stack([params[n] for n in fit.spec.fitted])
    values = np.column_stack([params[n] for n in fit.spec.integrated]) if fit.spec.integrated \
        else None
    past = DiaryLikelihood(diary, fit.spec.fitted, fit.spec.model, particles=1, seed=seed,
                           integrated=fit.spec.integrated)
    specs = list(dict.fromkeys(str(t.spec) for t in treatments))
    runs = past.relive(theta, [diary.model_inputs()] + [diary.model_inputs(without=s)
                                                        for s in specs],
                       np.random.default_rng([seed, 13]), ("P",),
                       noise_seed=int(np.random.default_rng([seed, 17]).integers(2**63)),
                       values=values)
    taken, *without = (10 * run["trajectory"].sel(variable="P").values for run in runs)
    out = []
    for spec, untaken in zip(specs, without, strict=True):
        days = np.concatenate([np.arange(t.start_day, t.stop_day) for t in treatments
                               if str(t.spec) == spec])
        effect = (taken[:, days] - untaken[:, days]).mean(axis=1)
        median, low, high = np.quantile(effect, [0.5, 0.05, 0.95])
        out.append(DrugEffect(spec, int(days.min()), int(days.max()), round(float(median), 3),
                              round(float(low), 3), round(float(high), 3)))
    return out


def explain_twin(fit: TwinFit, draws: int = 60, seed: int = 0) -> Explanation:
    """Explain ``fit`` from up to ``draws`` of its posterior draws (module docstring)."""
    model = resolve_model(fit.spec.model)
    post = fit.idata.posterior
    total = post.sizes["chain"] * post.sizes["draw"]
    pick = np.random.default_rng([seed, 3]).choice(total, size=min(draws, total),
                                                   replace=False)
    params, states = fit.people(pick)
    registry = {k: v.value for k, v in model.registry.parameters.items()}
    gains: dict[str, list[float]] = {}
    for i in range(len(pick)):
        system = System(model, {**registry, **{n: float(v[i]) for n, v in params.items()}})
        for loop in loop_gains(system, states[i]):
            gains.setdefault(loop.name, []).append(loop.gain)
    loops = {name: tuple(float(x) for x in np.quantile(g, [0.5, 0.05, 0.95]))
             for name, g in gains.items()}
    loops = dict(sorted(loops.items(), key=lambda kv: -kv[1][0]))
    year = simulate(model, 365, params, None,
                    {s: states[:, j] for j, s in enumerate(model.state_names)},
                    stochastic=True, seed=seed, record=("P",))
    recovered = 10 * year["trajectory"].sel(variable="P").values[:, -28:].mean(axis=1)
    names = list(fit.spec.fitted)
    corr = np.corrcoef(np.array([post[n].values.ravel() for n in names]))
    confounded = [(names[i], names[j], round(float(corr[i, j]), 2))
                  for i in range(len(names)) for j in range(i + 1, len(names))
                  if abs(corr[i, j]) >= 0.5]
    at = {s: j for j, s in enumerate(model.state_names)}
    primed = float(np.mean(states[:, at["Pm"]] > 0.5)) if "Pm" in at else float("nan")
    return Explanation(loops, primed, float(np.median(states[:, at["CS"]])),
                       float(np.mean(recovered < RECOVERED_BELOW)),
                       _associations(fit.diary), confounded, len(pick),
                       drug_effects(fit, pick, seed))
