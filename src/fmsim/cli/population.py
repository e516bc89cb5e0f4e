"""``fmsim vpop``, ``fmsim phenotype`` and ``fmsim natural-history``: virtual populations."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from .. import studies
from ..reports import write_people
from ..reports.studies import PEOPLE_FILES
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

__all__ = ["natural_history", "phenotype", "vpop"]


class Population(StrEnum):
    general = "general"
    fm_clinic = "fm-clinic"


PeopleOption = Annotated[str | None, out_option(
    "Write result.json and the per-patient table patients.parquet to this folder (replacing an "
    "earlier run's files).", files=PEOPLE_FILES)]


@app.command()
@friendly
def phenotype(
    n: Annotated[int, typer.Option(help="People in the general population (about 3% develop "
                                   "FM).", min=200, max=500000)] = 5000,
    seed: SeedOption = 0,
    executor: ExecutorOption = None,
    out_dir: PeopleOption = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
) -> None:
    """FM versus non-FM virtual people in one general population: Hedges' g of the
    physiological read-outs and the PSQI (FM minus control)."""
    with progress_bar("simulating the population", "chunks") as progress:
        result = studies.run_phenotype(studies.PhenotypeSpec(n, seed), executor=executor,
                                       progress=progress, model=model)
    written = write_people(result, out_dir, "phenotype") if out_dir is not None else []
    if as_json:
        print_json(result.to_dict())
    else:
        print_table(result.rows(), title=f"{result.n_fm} with FM vs {result.n_control} "
                    "without (ACR 2016)")
        out.print(result.summary())
    if written:
        wrote(written)


@app.command()
@friendly
def vpop(
    n: Annotated[int, typer.Option(help="People (general) or patients (fm-clinic).", min=1,
                                   max=500000)] = 2000,
    population: Annotated[Population, typer.Option(
        help="general (priors and random life events) or fm-clinic (a selected trial-eligible "
             "FM cohort).")] = Population.general,
    seed: SeedOption = 0,
    executor: ExecutorOption = None,
    out_dir: PeopleOption = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
) -> None:
    """A virtual population: prevalence (ACR 2016 and 2011), sex ratio and baseline
    distributions of pain, FIQR, PSD, sleep, fatigue and mood."""
    unit = "chunks" if population is Population.general else "patients"
    with progress_bar("simulating the population", unit) as progress:
        result = studies.run_population(studies.PopulationSpec(n, population.value, seed),
                                        executor=executor, progress=progress, model=model)
    written = write_people(result, out_dir, "vpop") if out_dir is not None else []
    if as_json:
        print_json(result.to_dict())
    else:
        out.print(result.summary())
        print_table(result.rows(), title="Baseline (diary 0-10, FIQR 0-100, PSD 0-31)")
    if written:
        wrote(written)


@app.command("natural-history")
@friendly
def natural_history(
    years: Annotated[int, typer.Option(help="Years of follow-up.", min=1, max=30)] = 5,
    n: Annotated[int, typer.Option(help="Patients in the cohort.", min=2, max=20000)] = 200,
    seed: SeedOption = 0,
    executor: ExecutorOption = None,
    out_dir: PeopleOption = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
) -> None:
    """An FM-clinic cohort followed for years without added treatment: how many ever fail the
    criteria, improve or worsen, and mean PSD by year (model predictions)."""
    with progress_bar("following the cohort", "years") as progress:
        result = studies.run_natural_history(studies.NaturalHistorySpec(years, n, seed),
                                             executor=executor, progress=progress, model=model)
    written = write_people(result, out_dir, "natural-history") if out_dir is not None else []
    if as_json:
        print_json(result.to_dict())
    else:
        out.print(result.summary())
        print_table(result.rows(), title="By year")
    if written:
        wrote(written)
