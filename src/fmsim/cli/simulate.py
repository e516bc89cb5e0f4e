"""``fmsim simulate``, ``fmsim scenarios`` and ``fmsim treatments``: one person through a
scenario, and what a scenario or a SPEC can name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Column, Table

from .. import studies
from ..choices import MAX_DAY, MAX_DAYS
from ..errors import FMSimError
from ..interventions.catalog import Treatment, TreatmentSpec, load_catalog
from ..interventions.triggers import TRIGGER_KINDS, Trigger
from ..reports import write_scenario
from ..reports.studies import SCENARIO_FILES
from .app import app
from .common import (
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

if TYPE_CHECKING:
    from ..studies import ScenarioSpec

__all__ = ["scenario_with", "scenarios", "simulate", "treatments"]

DaysOption = Annotated[int | None, typer.Option(
    help="Days to simulate (default: the scenario's).", min=1, max=MAX_DAYS)]
StartDayOption = Annotated[int | None, typer.Option(
    help="Day the treatment starts (needed with --treat).", min=0, max=MAX_DAY)]
StopDayOption = Annotated[int | None, typer.Option(help="Day the treatment stops (default: "
                                                   "never).", min=1, max=MAX_DAY)]
TreatOption = Annotated[str | None, typer.Option(help="Treatment SPEC name[:dose] joined by +, "
                                                 "e.g. duloxetine:60.")]
AdherenceOption = Annotated[float | None, typer.Option(
    help="Programs in --treat: share of sessions attended, 0-1 (default 1).", min=0.0,
    max=1.0)]
TriggerOption = Annotated[list[str] | None, typer.Option(
    help="Add a trigger KIND\\[:INTENSITY]@DAY\\[/DAYS], e.g. injury@30 or "
         "infection:0.8@30/14; repeatable. Kinds: " + ", ".join(TRIGGER_KINDS) + "; "
         "intensity above 0, at most 4 times the kind's default.")]


def scenario_with(name: str, treat: str | None, start_day: int | None, stop_day: int | None,
                  adherence: float | None, trigger: list[str] | None,
                  model: str | None = None) -> ScenarioSpec:
    """A scenario with the treatment and triggers of the command line added (each option
    refused where it would do nothing)."""
    spec = studies.load_scenario(name, model)
    if treat is None and (start_day is not None or stop_day is not None or
                          adherence is not None):
        raise FMSimError("--start-day, --stop-day and --adherence belong to --treat SPEC")
    treatments: tuple[Treatment, ...] = ()
    if treat is not None:
        parsed = TreatmentSpec.parse(treat)  # a bad SPEC first: it is the bigger mistake
        if start_day is None:
            raise FMSimError("--treat needs --start-day D (the day the treatment starts)")
        if adherence is not None and not parsed.has_program:
            raise FMSimError(f"--adherence is the share of a program's sessions attended; "
                             f"{treat!r} has no program")
        options = {} if adherence is None else {"adherence": adherence}
        treatments = (Treatment.create(parsed, start_day, stop_day, **options),)
    return spec.with_additions(treatments, tuple(Trigger.parse(t) for t in trigger or ()))


@app.command()
@friendly
def simulate(
    scenario: Annotated[str, typer.Option(help="Built-in scenario name or a scenario .toml file.")],
    days: DaysOption = None,
    stochastic: Annotated[bool, typer.Option(help="Add daily noise on stress, inflammation and "
                                             "sleep.")] = False,
    seed: SeedOption = 0,
    out_dir: Annotated[str | None, out_option("Write trajectory.nc and a plot here (replacing "
                                               "an earlier run's files).",
                                               files=SCENARIO_FILES)] = None,
    treat: TreatOption = None,
    start_day: StartDayOption = None,
    stop_day: StopDayOption = None,
    adherence: AdherenceOption = None,
    trigger: TriggerOption = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
) -> None:
    """Simulate one virtual person through a scenario, optionally with a treatment and
    extra triggers."""
    spec = scenario_with(scenario, treat, start_day, stop_day, adherence, trigger, model)
    if seed and not stochastic:
        raise FMSimError("--seed sets the daily noise of --stochastic; without it the run is "
                         "deterministic")
    spec.check_days(spec.days if days is None else days)
    with progress_bar(f"simulating {spec.name}") as progress:
        result = studies.run_scenario(spec, days, stochastic=stochastic, seed=seed,
                                      progress=progress, model=model)
    written = write_scenario(result, out_dir) if out_dir is not None else []
    if as_json:
        print_json(result.to_dict())
    else:
        print_table(result.rows(), title=result.title, title_justify="left")
        out.print("Scores are 0-10; 10 is worst, except sleep quality (10 = best).")
    if written:
        wrote(written)


@app.command()
@friendly
def scenarios() -> None:
    """List the built-in scenarios."""
    print_table([("name", "person", "description")] + [
        (name, (s := studies.load_scenario(name)).person, s.description)
        for name in studies.SCENARIO_NAMES],
        title="Built-in scenarios")


@app.command()
@friendly
def treatments(as_json: JsonOption = False) -> None:
    """List the treatment catalog: every drug, program and context arm a SPEC can name."""
    rows = [{"name": e.name, "kind": e.kind, "default_dose": e.default_dose,
             "dose_range": list(e.dose_range) if e.dose_range else None,
             "dose_unit": e.dose_unit or None, "acts_on": sorted({x.input for x in e.effects}),
             "description": e.description} for e in load_catalog().values()]
    if as_json:
        print_json({"treatments": rows})
        return
    table = Table(Column("name", no_wrap=True), "kind", "dose (default, range)", "acts on",
                  "description",
                  title="Treatment catalog (SPEC = name[:dose] joined by +)")
    for r in rows:
        dose = ("-" if r["dose_range"] is None else
                f"{r['default_dose']:g} ({r['dose_range'][0]:g}-{r['dose_range'][1]:g} "
                f"{r['dose_unit']})")
        table.add_row(r["name"], r["kind"], dose, ", ".join(r["acts_on"]), r["description"])
    out.print(table)
