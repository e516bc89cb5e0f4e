"""``fmsim model params|doc|export``: the model's parameters, equations and SBML/Antimony."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from .. import interop
from ..choices import MAX_DAYS
from ..model.models import resolve_model
from ..model.registry import packaged_parameters
from .app import model_app
from .common import (
    JsonOption,
    ModelOption,
    check_suffix,
    friendly,
    out,
    out_option,
    print_json,
    write_text,
)
from .simulate import (
    AdherenceOption,
    StartDayOption,
    StopDayOption,
    TreatOption,
    TriggerOption,
    scenario_with,
)

__all__ = ["model_doc", "model_export", "model_params"]


class Format(StrEnum):
    sbml = "sbml"
    antimony = "antimony"


SUFFIXES = {Format.sbml: (".xml", ".sbml"), Format.antimony: (".ant", ".antimony", ".txt")}
"""The file names each export format is written to (``--out``)."""


@model_app.command("params")
@friendly
def model_params(model: ModelOption = None, as_json: JsonOption = False) -> None:
    """The parameter registry: value, unit, prior, tag and evidence of every parameter of the
    model and of the measurement model."""
    chosen = resolve_model(model)
    params = chosen.registry.parameters | {
        name: info for name, info in
        packaged_parameters("fmsim.instruments", "measurement.toml").items()}
    if chosen.measurement:
        params |= packaged_parameters("fmsim.instruments", chosen.measurement)
    if as_json:
        print_json({
            name: {"value": p.value, "unit": p.unit, "subsystem": p.subsystem, "tag": p.tag,
                   "prior": {"dist": p.prior.dist, "bounds": list(p.prior.bounds)},
                   "evidence": list(p.evidence), "target": p.target,
                   "description": p.description}
            for name, p in params.items()
        })
        return
    table = Table("subsystem", "name", "value", "unit", "prior", "tag", "evidence", "meaning",
                  title=f"FMSim parameter registry ({len(params)} parameters)")
    for name, p in params.items():
        prior = f"{p.prior.dist} {list(p.prior.bounds)}" if p.prior.varies else "fixed"
        table.add_row(p.subsystem, name, f"{p.value:g}", p.unit, prior, p.tag,
                      ", ".join(p.evidence), p.description)
    out.print(table)


@model_app.command("doc")
@friendly
def model_doc(
    out_file: Annotated[str | None, out_option("Write Markdown to this file instead of "
                                                "stdout.", folder=False)] = None,
    model: ModelOption = None,
) -> None:
    """The model's equations (rendered from SymPy) with their evidence, as Markdown."""
    from ..model.symbolic import markdown

    chosen = resolve_model(model)
    write_text(markdown(chosen, chosen.registry), out_file)


@model_app.command("export")
@friendly
def model_export(
    fmt: Annotated[Format, typer.Option("--format", help="sbml (Level 3 Version 2) or "
                                        "antimony.")],
    scenario: Annotated[str, typer.Option(help="Built-in scenario name or a scenario .toml "
                                          "file: the person, their triggers and treatments.")]
    = "healthy",
    days: Annotated[int | None, typer.Option(help="Days of inputs to schedule (default: the "
                                             "scenario's).", min=1, max=MAX_DAYS)] = None,
    treat: TreatOption = None,
    start_day: StartDayOption = None,
    stop_day: StopDayOption = None,
    adherence: AdherenceOption = None,
    trigger: TriggerOption = None,
    out_file: Annotated[str | None, out_option("Write to this file instead of stdout.",
                                                folder=False)] = None,
    model: ModelOption = None,
) -> None:
    """The deterministic model of one person as SBML or Antimony: their parameters, their
    state after the scenario's warm-up, and every trigger and treatment as daily events.
    Simulated in libRoadRunner or COPASI it gives `fmsim simulate`'s trajectory."""
    check_suffix(out_file, "--out", fmt.value, SUFFIXES[fmt])
    spec = scenario_with(scenario, treat, start_day, stop_day, adherence, trigger, model)
    days = spec.check_days(spec.days if days is None else days)
    from ..studies.scenario import scenario_initial

    export = interop.Export.create(resolve_model(model), days, spec.params(),
                                   spec.inputs(days), scenario_initial(spec, model))
    writer = interop.to_sbml if fmt is Format.sbml else interop.to_antimony
    write_text(writer(export), out_file,
               f"{fmt.value}, {len(export.events)} input events over {days} days")
