"""What-if plans: a fitted twin carried forward under plans from the treatment catalog.

Each posterior draw of a fit (:mod:`.fit`) is one possible person, at the state one of its
particles reached on the diary's last day, its daily noise carried on from there (the last
days' answers tell where today's stress, sleep and inflammation are; drawn afresh, the first
week's forecast was a little over-confident, docs/twin.md). Every draw lives the same
``weeks`` once for each plan and once carrying on as now (the drugs taken on the diary's last
logged day continue), with
the same day-to-day noise in every plan (so a difference between plans is the plan's, not
luck's), in stochastic mode; its diary is answered by the measurement model. A plan is a catalog
SPEC from a day after the diary (``SPEC@DAY``, day 0 the day after the diary ends); programs are
attended at the trial conduct's adherence. Drugs continue with their pharmacokinetics: the
inputs are made over the diary and the weeks after it, and the weeks' part is taken.

Reported per plan and week: the posterior predictive median and 50% and 90% intervals of weekly
mean pain, fatigue and sleep quality (diary answers) and of the FIQR at the week's end; over the
last four weeks, the probability that pain is at least 30% and at least 50% lower than carrying
on; and the mechanisms the plan acts through (the model's couplings from the inputs it drives).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from ..engine import simulate
from ..errors import FMSimError, whole_number
from ..instruments.measurement import MeasurementModel
from ..interventions.catalog import (
    Treatment,
    TreatmentSpec,
    combination_problem,
    treatment_inputs,
)
from ..model.models import resolve_model
from ..studies.conduct import conduct
from .diary import Diary
from .fit import NOTICE, TwinFit

__all__ = ["CARRY_ON", "Plan", "WhatIfResult", "check_beside", "check_plans", "run_whatif"]

CARRY_ON = "carry on as now"
QUANTITIES = ("pain", "fatigue", "sleep_quality", "fiqr")
RECORD = ("P", "Fat", "SQ", "S", "D", "Cog", "CS", "Np", "K", "sleep_hours", "Act")


@dataclass(frozen=True)
class Plan:
    """A catalog SPEC from ``day`` days after the diary's end."""

    spec: TreatmentSpec
    day: int = 0

    @classmethod
    def parse(cls, text: str) -> Plan:
        """``SPEC[@DAY]``, e.g. ``duloxetine:60`` or ``aerobic:3@14``."""
        spec, at, day = text.strip().partition("@")
        if at:
            try:
                start = int(day)
            except ValueError:
                raise FMSimError(f"plan {text!r}: the day after @ must be a whole number of "
                                 "days after the diary, e.g. aerobic:3@14") from None
            whole_number("plan day", start, 0, 3650)
        else:
            start = 0
        return cls(TreatmentSpec.parse(spec), start)

    def __str__(self) -> str:
        return str(self.spec) + (f"@{self.day}" if self.day else "")


@dataclass(frozen=True, eq=False)
class WhatIfResult:
    """Weekly posterior predictive ``summary`` (plan, quantity, week, stat: median, the 50% and
    90% bounds), ``better_30`` and ``better_50`` per plan (probability of at least 30% / 50%
    less pain than carrying on over the last four weeks), ``mechanisms`` per plan, the
    ``draws`` and ``weeks``, and the weekly values of every draw the summary is made of
    (``samples``: plan, quantity, draw, week)."""

    summary: xr.DataArray
    better_30: dict[str, float]
    better_50: dict[str, float]
    mechanisms: dict[str, list[str]]
    draws: int
    weeks: int
    samples: xr.DataArray = field(repr=False)
    notes: list[str] = field(default_factory=list)

    @property
    def plans(self) -> list[str]:
        return [str(p) for p in self.summary.coords["plan"].values]

    def to_dict(self) -> dict[str, Any]:
        """The ``fmsim twin whatif --json`` object."""
        s = self.summary
        return {
            "weeks": self.weeks, "draws": self.draws,
            "plans": {plan: {
                **{q: {stat: [round(float(x), 2) for x in s.sel(plan=plan, quantity=q,
                                                              stat=stat).values]
                       for stat in s.coords["stat"].values} for q in QUANTITIES},
                "p_30_percent_less_pain": self.better_30.get(plan),
                "p_50_percent_less_pain": self.better_50.get(plan),
                "mechanisms": self.mechanisms.get(plan, []),
            } for plan in self.plans},
            "notes": self.notes, "notice": NOTICE}

    def rows(self) -> list[tuple[str, ...]]:
        """Per plan: pain in the last week (median, 90% interval) and the probabilities."""
        rows = [("plan", "pain, last week (90%)", "FIQR, last week (90%)",
                 "P(>=30% less pain)", "P(>=50% less pain)")]
        for plan in self.plans:
            pain = self.summary.sel(plan=plan, quantity="pain").isel(week=-1)
            fiqr = self.summary.sel(plan=plan, quantity="fiqr").isel(week=-1)
            rows.append((plan,
                         f"{float(pain.sel(stat='median')):.1f} ({float(pain.sel(stat='q05')):.1f}"
                         f"-{float(pain.sel(stat='q95')):.1f})",
                         f"{float(fiqr.sel(stat='median')):.0f} ({float(fiqr.sel(stat='q05')):.0f}"
                         f"-{float(fiqr.sel(stat='q95')):.0f})",
                         "" if plan == CARRY_ON else f"{self.better_30[plan]:.2f}",
                         "" if plan == CARRY_ON else f"{self.better_50[plan]:.2f}"))
        return rows

    def plot(self, path: str | Path) -> Path:
        """Weekly pain per plan: medians with 50% and 90% bands."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7, 4))
        weeks = np.arange(1, self.weeks + 1)
        for plan in self.plans:
            s = self.summary.sel(plan=plan, quantity="pain")
            line, = ax.plot(weeks, s.sel(stat="median"), label=plan)
            ax.fill_between(weeks, s.sel(stat="q25"), s.sel(stat="q75"), alpha=0.25,
                            color=line.get_color())
            ax.fill_between(weeks, s.sel(stat="q05"), s.sel(stat="q95"), alpha=0.1,
                            color=line.get_color())
        ax.set(xlabel="week after the diary", ylabel="weekly mean pain (0-10)", ylim=(0, 10),
               title="What-if plans (posterior predictive: median, 50% and 90%)")
        ax.legend(fontsize=8)
        fig.text(0.01, -0.04, "Simulation for research and education; not medical advice.",
                 fontsize=7)
        path = Path(path)
        fig.savefig(path, dpi=120, bbox_inches="tight")
        plt.close(fig)
        return path


def _mechanisms(plan: Plan, model) -> list[str]:
    """The model's couplings from the inputs ``plan`` drives (treatment context aside)."""
    driven = {name for name, u in treatment_inputs([Treatment.create(plan.spec, 0)], 60).items()
              if np.any(u > 0) and name != "treatment_context"}
    return [f"{c.source} -> {c.target}: {c.note}" for c in model.couplings if c.source in driven]


def _continuing(diary: Diary) -> list[Treatment]:
    """The diary's drugs taken on its last logged day, from where each began and with no end
    (they continue when carrying on)."""
    last = int(np.flatnonzero(diary.logged)[-1])
    return [Treatment.create(t.spec, t.start_day) for t in diary.treatments()
            if t.start_day <= last < t.stop_day]


def _courses(treatments: list[Treatment]) -> list[Treatment]:
    """Each drug of each treatment (drugs only: no program settings are carried) as its own
    course (the same inputs: a combination's components act independently), so that a plan
    can change one and leave the others as they run."""
    return [Treatment.create(TreatmentSpec((c,)), t.start_day, t.stop_day)
            for t in treatments for c in t.spec.components]


def _under_plan(ongoing: list[Treatment], plan: Plan, start: int, adherence: float
                ) -> tuple[list[Treatment], list[str]]:
    """What the person takes under ``plan`` from day ``start``, beside the drugs taken now
    (``ongoing``), and what that means in words. A drug the plan names at the dose taken now
    goes on unchanged; at another dose it changes then, as a dose change in a diary does (the
    old dose stops; every other drug goes on as it runs): a plan never doubles a drug.

    Raises
    ------
    FMSimError
        When the plan makes no sense beside what goes on (a placebo beside a drug taken now).
    """
    now = {c.entry.name: (c.dose, t.spec) for t in ongoing for c in t.spec.components}
    infused = {c.entry.name for c in plan.spec.components if c.entry.route == "iv"}
    new = tuple(c for c in plan.spec.components  # an infusion is a new one whatever its dose
                if c.entry.name not in now or now[c.entry.name][0] != c.dose
                or c.entry.name in infused)
    changed = ({c.entry.name for c in new} - infused) & set(now)
    out = [Treatment.create(t.spec, t.start_day, start) if changed & set(t.spec.names) else t
           for t in _courses(ongoing)]
    rest = [c for t in ongoing for c in t.spec.components if c.entry.name not in changed]
    adds = [c for c in new if c.entry.name != "usual-care"]  # usual care adds nothing
    problem = combination_problem((*rest, *adds))
    if problem:
        raise FMSimError(f"plan {plan}: beside what the diary's person takes now "
                         f"({', '.join(str(t.spec) for t in ongoing)}): {problem}")
    if new:
        spec = plan.spec if len(new) == len(plan.spec.components) else TreatmentSpec(new)
        out.append(Treatment.create(spec, start, adherence=adherence if spec.has_program
                                    else 1.0))
    notes = []
    for name in plan.spec.names:
        if name in now and name not in infused:
            taken = now[name][1]
            what = str(taken) if len(taken.components) == 1 else f"the {name} of {taken}"
            notes.append(f"{plan}: {what}, taken now, " + (
                "changes to the plan's dose from its first day" if name in changed
                else "goes on unchanged"))
    return out, notes


def _under_plans(ongoing: list[Treatment], plans: list[Plan], first_day: int,
                 adherence: float) -> tuple[list[list[Treatment]], list[str]]:
    """:func:`_under_plan` for each plan (starting ``first_day`` plus its day): their
    treatments and notes, every plan that makes no sense beside the drugs taken now named at
    once."""
    arms, notes, bad = [], [], []
    for plan in plans:
        try:
            treatments, said = _under_plan(ongoing, plan, first_day + plan.day, adherence)
        except FMSimError as exc:
            bad.append(str(exc))
            continue
        arms.append(treatments)
        notes += said
    if bad:
        raise FMSimError(f"{len(bad)} bad plan(s):\n  " + "\n  ".join(bad))
    return arms, notes


def check_beside(fit: TwinFit, plans: list[Plan]) -> None:
    """Refuse, naming every one, the plans that make no sense beside the drugs the fit's
    diary has taken on its last logged day, such as a placebo beside a drug."""
    diary = fit.diary
    _under_plans(_continuing(diary), plans, diary.days, 1.0)


def check_plans(plans: list[Plan] | list[str], weeks: int) -> list[Plan]:
    """The plans parsed and checked against ``weeks``.

    Raises
    ------
    FMSimError
        For no plan, a plan given twice, weeks outside 1-104, or a plan that starts after the
        weeks end.
    """
    whole_number("weeks", weeks, 1, 104)
    if not plans:
        raise FMSimError("give at least one plan (--plan SPEC[@DAY])")
    parsed, bad = [], []
    for plan in plans:  # every bad plan is named, not only the first
        try:
            parsed.append(plan if isinstance(plan, Plan) else Plan.parse(plan))
        except FMSimError as exc:
            bad.append(f"{plan}: {exc}")
    seen: dict[tuple, Plan] = {}
    for p in parsed:  # the same plan however it is written (DULOXETINE:60.0, duloxetine:60)
        key = (tuple(sorted((c.entry.name, c.dose or 0.0) for c in p.spec.components)), p.day)
        if key in seen:
            first = str(seen[key])
            bad.append(f"{p}: given twice" + (f" (also as {first})" if first != str(p) else ""))
        seen.setdefault(key, p)
    bad += [f"{p}: starts after the {weeks} weeks end" for p in parsed if p.day >= 7 * weeks]
    if bad:
        raise FMSimError(f"{len(bad)} bad plan(s):\n  " + "\n  ".join(bad))
    return parsed


def run_whatif(fit: TwinFit, plans: list[Plan] | list[str], weeks: int = 12, seed: int = 0,
               ) -> WhatIfResult:
    """Carry the fitted twin forward under each plan and carrying on (module docstring).

    Raises
    ------
    FMSimError
        For no plan, a plan given twice, weeks outside 1-104, a plan that starts after the
        weeks end, or one that makes no sense beside the drugs taken now (see
        :func:`check_beside`).
    """
    plans = check_plans(plans, weeks)
    names = [str(p) for p in plans]
    days = 7 * weeks
    model = resolve_model(fit.spec.model)
    diary = fit.diary
    params, states = fit.people()
    draws = len(states)
    initial = {s: states[:, j] for j, s in enumerate(model.state_names)}
    # the inputs over the diary and the weeks after it, then the weeks' part
    span = diary.days + days
    base = _continuing(diary)
    planned, changes = _under_plans(base, plans, diary.days, conduct()["adherence"])
    arms = [_courses(base), *planned]
    noise_seed = int(np.random.default_rng([seed, 5]).integers(2**63))
    noise = fit.noise_end()  # each draw's daily noise, carried on from the diary's end
    # the same noise for a draw in every plan: each plan simulated with the same seed
    runs = [simulate(model, days, params,
                     {n: np.repeat(u[None, diary.days:], draws, axis=0)
                      for n, u in treatment_inputs(arm, span).items()},
                     initial, stochastic=True, seed=noise_seed, record=RECORD, noise=noise)
            for arm in arms]
    measure = MeasurementModel(seed, model=model.name)
    labels = [CARRY_ON, *names]
    weekly = {}
    for label, run in zip(labels, runs, strict=True):
        answers = measure.diary(run)
        fiqr = np.column_stack([measure.score(run, "fiqr", 7 * w + 6).total
                                for w in range(weeks)])
        weekly[label] = {
            "pain": answers["pain"].values.reshape(draws, weeks, 7).mean(axis=2),
            "fatigue": answers["fatigue"].values.reshape(draws, weeks, 7).mean(axis=2),
            "sleep_quality": answers["sleep_quality"].values.reshape(draws, weeks, 7).mean(2),
            "fiqr": fiqr}
    samples = xr.DataArray(
        np.array([[weekly[label][q] for q in QUANTITIES] for label in labels]),
        dims=("plan", "quantity", "draw", "week"),
        coords={"plan": labels, "quantity": list(QUANTITIES), "week": np.arange(1, weeks + 1)})
    stats = {"median": 0.5, "q25": 0.25, "q75": 0.75, "q05": 0.05, "q95": 0.95}
    summary = samples.quantile(list(stats.values()), dim="draw").assign_coords(
        quantile=list(stats)).rename(quantile="stat").transpose("plan", "quantity", "week",
                                                                "stat")
    last = slice(max(0, weeks - 4), weeks)
    carry = weekly[CARRY_ON]["pain"][:, last].mean(axis=1)
    better_30, better_50 = {}, {}
    for label in names:
        pain = weekly[label]["pain"][:, last].mean(axis=1)
        change = (pain - carry) / np.maximum(carry, 1e-9)
        better_30[label] = float(np.mean(change <= -0.3))
        better_50[label] = float(np.mean(change <= -0.5))
    notes = [f"carrying on includes {', '.join(str(t.spec) for t in base)} (taken on the "
             "diary's last logged day)"] if base else []
    notes += changes
    return WhatIfResult(summary, better_30, better_50,
                        {str(p): _mechanisms(p, model) for p in plans}, draws, weeks, samples,
                        notes)
