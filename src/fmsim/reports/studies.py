"""What ``--out DIR`` writes for each study: the report, its figures, the JSON object and the
per-patient table, all through an :class:`~.output.OutputFolder` (one run's files, never a mix).

===================  ===========================================================================
study                files
===================  ===========================================================================
scenario             ``trajectory.nc`` (NetCDF, the engine's dataset), ``trajectory.png``
population, pheno-   ``result.json`` (the ``--json`` object), ``patients.parquet`` (one row per
type, natural        patient and visit; columns in the study result's docstring)
history
trial                ``report.html``, ``figures/trial.png``, ``result.json``,
                     ``patients.parquet``
validation           ``report.html``, ``figures/validation.png``, ``result.json``
demo                 ``report.html`` and its figures in ``figures/``
twin what-if         ``result.json`` (the ``--json`` object), ``whatif.png`` (weekly pain per
                     plan); when the diary does not yet constrain the person, ``result.json``
                     alone (the verdict: why, and what would help)
===================  ===========================================================================
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..choices import READINGS
from ..studies.demo import DEMO_ARMS, DEMO_PEOPLE, TREATMENT_WEEKS, TRIAL_N
from .html import write_report
from .output import OutputFolder

if TYPE_CHECKING:  # the results are only read here: the command line imports this module first
    from ..studies import (
        DemoResult,
        NaturalHistoryResult,
        PhenotypeResult,
        PopulationResult,
        ScenarioResult,
        TrialResult,
        ValidationResult,
    )
    from ..twin.whatif import WhatIfResult

__all__ = ["DEMO_FILES", "PEOPLE_FILES", "SCENARIO_FILES", "TRIAL_FILES", "VALIDATION_FILES",
           "WHATIF_FILES",
           "write_demo", "write_people", "write_scenario", "write_trial", "write_validation",
           "write_verdict", "write_whatif"]

PATIENTS = "patients.parquet"
SCENARIO_FILES = ("trajectory.nc", "trajectory.png")
PEOPLE_FILES = ("result.json", PATIENTS)
TRIAL_FILES = ("result.json", PATIENTS, "figures/trial.png", "report.html")
VALIDATION_FILES = ("result.json", "figures/validation.png", "report.html")
WHATIF_FILES = ("result.json", "whatif.png")
DEMO_FILES = ("report.html", *(f"figures/{name}.png" for name in (
    "comparison", "comparison-noisy", *DEMO_PEOPLE, "treatments", "model-loops", "trial")))


def _json(folder: OutputFolder, payload: dict) -> None:
    folder.file("result.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")


def write_scenario(result: ScenarioResult, out_dir: str | Path) -> list[Path]:
    """``trajectory.nc`` and ``trajectory.png``."""
    from ..engine import save

    with OutputFolder(out_dir, "simulate", SCENARIO_FILES) as folder:
        folder.ensure_space(result.dataset.nbytes)
        save(result.dataset, folder.file("trajectory.nc"))
        result.plot(folder.file("trajectory.png"))
    return [folder.final(n) for n in folder.names]


def write_whatif(result: WhatIfResult, out_dir: str | Path) -> list[Path]:
    """``result.json`` and ``whatif.png``."""
    with OutputFolder(out_dir, "twin whatif", WHATIF_FILES) as folder:
        _json(folder, result.to_dict())
        result.plot(folder.file("whatif.png"))
    return [folder.final(n) for n in folder.names]


def write_verdict(payload: dict, out_dir: str | Path) -> list[Path]:
    """``result.json`` alone: the "not enough data yet" verdict a what-if gives instead of an
    answer (the ``--json`` object)."""
    with OutputFolder(out_dir, "twin whatif", WHATIF_FILES) as folder:
        _json(folder, payload)
    return [folder.final(n) for n in folder.names]


def write_people(result: PopulationResult | PhenotypeResult | NaturalHistoryResult,
                 out_dir: str | Path, command: str) -> list[Path]:
    """``result.json`` and the per-patient table ``patients.parquet``."""
    with OutputFolder(out_dir, command, PEOPLE_FILES) as folder:
        _json(folder, result.to_dict())
        result.to_parquet(folder.file(PATIENTS))
    return [folder.final(n) for n in folder.names]


def write_trial(result: TrialResult, out_dir: str | Path) -> list[Path]:
    """``report.html`` (arm and comparison tables, pain course, responders), its figure,
    ``result.json`` and ``patients.parquet``."""
    with OutputFolder(out_dir, "trial", TRIAL_FILES) as folder:
        _json(folder, result.to_dict())
        result.to_parquet(folder.file(PATIENTS))
        figure = result.plot(folder.file("figures/trial.png"))
        write_report(folder.file("report.html"), "FMSim virtual trial", [
            ("p", f"{len(result.arms)} arms, {result.spec.weeks} weeks of treatment after a "
                  f"baseline week, scores read as {READINGS[result.spec.reading]}, seed "
                  f"{result.spec.seed}; {result.screened} candidates "
                  "screened. Fitted to the placebo, duloxetine 60 mg and pregabalin 450 mg rows "
                  "of calibration.md; everything else is the model's prediction (fmsim validate "
                  "compares). Per-patient data: patients.parquet."),
            ("table", result.rows()),
            ("h2", "Responders (at least 30% / 50% relief) in three analyses"),
            ("p", "Last observation carried forward keeps a dropout's last week; baseline "
                  "observation carried forward counts every dropout as a non-responder; "
                  "completers leaves them out."),
            ("table", result.analysis_rows()),
            ("h2", "Comparisons with the first arm (95% intervals; negative g favours the arm)"),
            ("table", result.comparison_rows()),
            ("h2", "Pain over time and responders"),
            ("img", figure),
        ])
    return [folder.final(n) for n in folder.names]


def write_validation(result: ValidationResult, out_dir: str | Path) -> list[Path]:
    """``report.html`` (a plot of every target and the table), its figure and
    ``result.json``."""
    with OutputFolder(out_dir, "validate", VALIDATION_FILES) as folder:
        _json(folder, result.to_dict())
        figure = result.plot(folder.file("figures/validation.png"))
        spec = result.spec
        write_report(folder.file("report.html"), "FMSim validation against calibration.md", [
            ("p", f"{result.summary()} {spec.n_per_arm} patients per trial arm, "
                  f"{spec.n_general} people in the general population, seed {spec.seed}."),
            ("img", figure),
            ("table", result.rows()),
            ("h2", "Sources of the published values"),
            ("table", result.sources()),
        ])
    return [folder.final(n) for n in folder.names]


def write_demo(result: DemoResult, out_dir: str | Path) -> Path:
    """The demo's ``report.html`` with its figures; returns the report's path."""
    from ..studies.plots import plot_arms, plot_comparison, plot_trajectory  # here, so that
    from .diagram import draw_circles  # the command line starts without matplotlib

    with OutputFolder(out_dir, "demo", DEMO_FILES) as folder:
        def figure(name: str) -> Path:
            return folder.file(f"figures/{name}")

        named = [(r.scenario.name, r.dataset) for r in result.runs]
        comparison = plot_comparison(named, figure("comparison.png"))
        noisy = plot_comparison([(r.scenario.name, r.dataset) for r in result.noisy],
                                figure("comparison-noisy.png"),
                                variables=("pain", "fatigue", "sleep_quality"))
        trajectories = [plot_trajectory(r.dataset, figure(f"{r.scenario.name}.png"),
                                        title=r.title) for r in result.runs]
        start = result.stop - 7 * TREATMENT_WEEKS
        arms = plot_arms(result.treated, DEMO_ARMS, figure("treatments.png"), start,
                         result.stop)
        loops = draw_circles(figure("model-loops.png"))
        trial_figure = result.trial.plot(figure("trial.png"))
        write_report(folder.file("report.html"), "FMSim demo: one injury, two people", [
            ("p", " ".join(result.summary())),
            ("table", result.rows()),
            ("h2", "Diary scores and hidden states, side by side"),
            ("img", comparison),
            ("h2", "The same two people with day-to-day noise"),
            ("p", f"Stochastic mode (seed {result.seed}): daily noise on stress, inflammation "
                  "and sleep makes good and bad days, as in a real diary."),
            ("img", noisy),
            ("h2", "Then treated: twelve weeks of each plan for the woman with FM"),
            ("p", "The vulnerable woman a year after her injury, once per plan, deterministic: "
                  "each drug acts through its pharmacology, each program through its sessions, "
                  "and every plan but usual care through expectation. Three gains were fitted "
                  "(placebo, duloxetine 60 mg, pregabalin 450 mg); the rest is predicted. Pain "
                  "returns after stopping because the treatments relieve the loops without "
                  "resetting the switch."),
            ("table", result.treatment_rows()),
            ("img", arms),
            ("h2", f"A 12-week virtual trial, {TRIAL_N} patients per arm"),
            ("p", f"A randomized trial in a selected FM-clinic cohort "
                  f"({result.trial.screened} candidates screened): stochastic, with diary "
                  "noise, adverse events, dropouts and last observation carried forward. The "
                  "placebo response comes from expectation, regression to the mean and "
                  "fluctuation; `fmsim validate` compares such trials with the published "
                  "ones."),
            ("table", result.trial.rows()),
            ("img", trial_figure),
            ("h2", "Each person in detail"),
            *(("img", path) for path in trajectories),
            ("h2", "The model's vicious circles"),
            ("p", "Every arrow is a coupling in the model with its evidence; "
                  "`fmsim model doc` lists the equations and sources."),
            ("img", loops),
        ])
    return folder.final("report.html")
