"""The demo: one injury, two people, what happens in the year after it, and then twelve weeks of
treatment for the woman who developed FM."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import xarray as xr

from .engine import simulate
from .interventions.catalog import Treatment, arm_inputs
from .interventions.scenario import load_scenario, run_scenario
from .model.fm import fm_model
from .population import person
from .reports import plot_arms, plot_comparison, plot_trajectory, plot_trial, write_report
from .reports.diagram import draw_circles
from .trials.run import TrialDesign, arm_rows, run_trial

__all__ = ["DemoResult", "run_demo"]


@dataclass(frozen=True)
class DemoResult:
    """What the demo produced: a summary table, sentences and the report's path."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    summary: tuple[str, ...]
    report: Path
    treatments: tuple[tuple[str, ...], ...] = ()
    trial: tuple[tuple[str, ...], ...] = ()


def _shifted(progress: Callable[[int, int], None], offset: int, total: int, done: int,
             _days: int) -> None:
    progress(offset + done, total)


def _pain(ds: xr.Dataset, day: int) -> float:
    return float(ds["trajectory"].sel(variable="pain", day=day).isel(patient=0))


DEMO_ARMS = ("usual-care", "placebo", "duloxetine:60", "pregabalin:450", "aerobic:3",
             "aerobic:3+duloxetine:60", "cbt")
"""The treatment arms the demo compares (SPECs as in ``fmsim trial``)."""

TRIAL_ARMS = ("placebo", "duloxetine:60", "aerobic")
TRIAL_N = 100
"""The demo's virtual trial: arms and patients per arm (``fmsim trial`` does more)."""




def treat_after(final: xr.DataArray, arms: tuple[str, ...], start: int = 14, weeks: int = 12,
                follow_up_weeks: int = 12) -> tuple[xr.Dataset, int]:
    """The vulnerable woman from her chronic state ``final`` (one row of a result's ``final``),
    once per arm, side by side: ``weeks`` of treatment from day ``start``, then follow-up."""
    stop = start + 7 * weeks
    days = stop + 7 * follow_up_weeks
    inputs = arm_inputs([[Treatment.create(a, start, stop)] for a in arms], days)
    states = {s: np.full(len(arms), float(v)) for s, v in
              zip(final.coords["state"].values, final.values, strict=True)}
    return simulate(fm_model(), days, person("vulnerable"), inputs, states), stop


def run_demo(
    out_dir: Path, seed: int = 0, progress: Callable[[int, int], None] | None = None
) -> DemoResult:
    """Run the demo and write ``report.html`` (with its figures) to ``out_dir``.

    A healthy and a vulnerable woman get the same six-week injury (scenarios ``healthy-injury``
    and ``vulnerable-injury``) and are followed for a year after it, deterministically and then
    with daily noise (``seed``). Then the woman who developed FM is treated for twelve weeks,
    once per arm of :data:`DEMO_ARMS`, and followed for twelve more.
    """
    out_dir = Path(out_dir)
    specs = [load_scenario(name) for name in ("healthy-injury", "vulnerable-injury")]
    days = specs[0].trigger_end + 365
    jobs = [(spec, False) for spec in specs] + [(spec, True) for spec in specs]
    results = []
    for i, (spec, noisy) in enumerate(jobs):
        step = partial(_shifted, progress, i * days, len(jobs) * days) if progress else None
        results.append(run_scenario(spec, days, stochastic=noisy, seed=seed, progress=step))
    runs = [(spec.name, spec, ds) for spec, ds in zip(specs, results[:2], strict=True)]
    noisy = [(spec.name, ds) for spec, ds in zip(specs, results[2:], strict=True)]

    spec = runs[0][1]
    end = spec.trigger_end
    start = spec.triggers[0].start_day
    marks = {"before": start - 1, "during injury": (start + end) // 2,
             "+30 days": end + 30, "+180 days": end + 180, "+365 days": end + 364}
    rows = tuple((spec.person, *(f"{_pain(ds, d):.1f}" for d in marks.values()))
                 for _, spec, ds in runs)
    healthy, vulnerable = runs[0][2], runs[1][2]
    summary = (
        f"Both women had the same six-week injury (days {start}-{end - 1}).",
        f"The healthy woman's pain is back to {_pain(healthy, end + 30):.1f}/10 a month after it.",
        f"The vulnerable woman's pain is still {_pain(vulnerable, end + 364):.1f}/10 a year after "
        f"it: central sensitization stays switched on (hysteresis).",
    )
    figs = out_dir / "figures"
    comparison = plot_comparison([(n, ds) for n, _, ds in runs], figs / "comparison.png")
    comparison_noisy = plot_comparison(noisy, figs / "comparison-noisy.png",
                                       variables=("pain", "fatigue", "sleep_quality"))
    trajectories = [plot_trajectory(ds, figs / f"{n}.png", title=f"{n}: {s.description}")
                    for n, s, ds in runs]
    treated, stop = treat_after(vulnerable["final"].isel(patient=0), DEMO_ARMS)
    start = stop - 84
    pain = treated["trajectory"].sel(variable="pain").values
    treat_rows = [(arm, f"{pain[i, start - 1]:.1f}", f"{pain[i, stop - 1]:.1f}",
                   f"{pain[i, stop - 1] - pain[0, stop - 1]:+.1f}", f"{pain[i, -1]:.1f}")
                  for i, arm in enumerate(DEMO_ARMS)]
    arms_plot = plot_arms(treated, DEMO_ARMS, figs / "treatments.png", start, stop)
    loops = draw_circles(figs / "model-loops.png")
    trial = run_trial(TrialDesign(TRIAL_ARMS, weeks=12, n_per_arm=TRIAL_N, seed=seed))
    trial_figure = plot_trial(trial, figs / "trial.png")
    trial_table = arm_rows(trial)
    report = write_report(out_dir / "report.html", "FMSim demo: one injury, two people", [
        ("p", " ".join(summary)),
        ("table", [("pain (0-10)", *marks), *rows]),
        ("h2", "Diary scores and hidden states, side by side"),
        ("img", comparison),
        ("h2", "The same two people with day-to-day noise"),
        ("p", f"Stochastic mode (seed {seed}): daily noise on stress, inflammation and sleep "
              "makes good and bad days, as in a real diary."),
        ("img", comparison_noisy),
        ("h2", "Then treated: twelve weeks of each plan for the woman with FM"),
        ("p", "The vulnerable woman a year after her injury, once per plan, deterministic: each "
              "drug acts through its pharmacology, each program through its sessions, and every "
              "plan but usual care through expectation. Three gains were fitted (placebo, "
              "duloxetine 60 mg, pregabalin 450 mg); the rest is predicted. Pain returns after "
              "stopping because the treatments relieve the loops without resetting the switch."),
        ("table", [("plan", "pain before", "pain at week 12", "vs usual care",
                    "12 weeks after stopping"), *treat_rows]),
        ("img", arms_plot),
        ("h2", f"A 12-week virtual trial, {TRIAL_N} patients per arm"),
        ("p", f"A randomized trial in a selected FM-clinic cohort ({trial['screened']} "
              "candidates screened): stochastic, with diary noise, adverse events, dropouts and "
              "last observation carried forward. The placebo response comes from expectation, "
              "regression to the mean and fluctuation; `fmsim validate` compares such trials "
              "with the published ones."),
        ("table", trial_table),
        ("img", trial_figure),
        ("h2", "Each person in detail"),
        *(("img", path) for path in trajectories),
        ("h2", "The model's vicious circles"),
        ("p", "Every arrow is a coupling in the model with its evidence; "
              "`fmsim model doc` lists the equations and sources."),
        ("img", loops),
    ])
    return DemoResult(tuple(marks), rows, summary, report, tuple(treat_rows), tuple(trial_table))
