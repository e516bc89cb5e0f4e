"""``fmsim trial``: a randomized virtual trial."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import studies
from ..choices import READINGS
from ..reports import write_trial
from ..reports.studies import TRIAL_FILES
from ..studies.conduct import conduct
from .app import app
from .common import (
    ExecutorOption,
    JsonOption,
    ModelOption,
    SeedOption,
    friendly,
    out,
    out_option,
    print_json,
    print_table,
    progress_bar,
    wrote,
)

__all__ = ["trial"]

ReportOption = Annotated[str | None, out_option(
    "Write report.html (tables and plots), result.json and the per-patient table "
    "patients.parquet to this folder (replacing an earlier run's files).", files=TRIAL_FILES)]


@app.command()
@friendly
def trial(
    arm: Annotated[list[str], typer.Option(help="An arm SPEC (name[:dose] joined by +); give "
                                           "two or more, the first is the comparator.")],
    weeks: Annotated[int, typer.Option(help="Weeks of treatment.", min=1, max=104)] = 12,
    follow_up_weeks: Annotated[int, typer.Option(help="Weeks of follow-up after treatment.",
                                                 min=0, max=104)] = 0,
    n: Annotated[int, typer.Option(help="Patients per arm.", min=2, max=5000)] = 100,
    withdraw: Annotated[float | None, typer.Option(
        help=f"Weekly probability of leaving for a reason other than an adverse event "
             f"(default {conduct()['withdraw_weekly']:g}, studies/conduct.toml); below 1.",
        min=0.0, max=1.0)] = None,
    adherence: Annotated[float | None, typer.Option(
        help=f"Share of program sessions attended, for arms with a program (default "
             f"{conduct()['adherence']:g}, studies/conduct.toml).", min=0.0, max=1.0)] = None,
    reading: Annotated[str, typer.Option(
        help=f"How pain, fatigue, sleep and mood are read at baseline and each week: "
             f"{' or '.join(READINGS)} (a week's daily diary mean, or one 24-hour rating at "
             "the visit; the cohort is selected on the same).")] = "diary",
    seed: SeedOption = 0,
    executor: ExecutorOption = None,
    out_dir: ReportOption = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
) -> None:
    """A randomized virtual trial in a selected FM-clinic cohort: responders, adverse events,
    dropouts and comparisons with the first arm."""
    spec = studies.TrialSpec(tuple(arm), weeks=weeks, n_per_arm=n,
                             follow_up_weeks=follow_up_weeks, seed=seed, adherence=adherence,
                             reading=reading,
                             **({} if withdraw is None else {"withdraw": withdraw}))
    with progress_bar("enrolling", "patients") as progress:
        result = studies.run_trial(spec, executor=executor, progress=progress, model=model)
    written = write_trial(result, out_dir) if out_dir is not None else []
    if as_json:
        print_json(result.to_dict())
    else:
        print_table(result.rows(), title=f"Virtual trial, {weeks} weeks (pain 0-10)")
        print_table(result.comparison_rows(("rr_50", "nnt_50", "smd_pain", "smd_fiqr")),
                    title="Comparisons with the first arm (95% intervals)")
        out.print(f"{result.screened} candidates screened. Research and education software, "
                  "not medical advice.")
    if written:
        wrote(written)
