"""``fmsim analyze bifurcation|sensitivity|loops``: where a person tips into chronic pain and
where they recover; which parameters decide an output; which loops hold a person's state."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from .. import analysis, reports
from ..analysis.outputs import OUTPUTS
from ..choices import MAX_DAYS
from ..errors import FMSimError
from ..files import parse_number
from ..population import PERSON_PRESETS
from ..reports.analysis import analysis_files
from .app import analyze_app
from .common import (
    ExecutorOption,
    JsonOption,
    ModelOption,
    SeedOption,
    err,
    friendly,
    out,
    out_option,
    print_json,
    print_table,
    progress_bar,
    wrote,
)

__all__ = ["bifurcation", "loops", "sensitivity"]

Output = StrEnum("Output", {name: name for name in OUTPUTS})
Person = StrEnum("Person", {name: name for name in PERSON_PRESETS})
VULNERABLE = Person("vulnerable")


class Method(StrEnum):
    morris = "morris"
    sobol = "sobol"


@analyze_app.command()
@friendly
def bifurcation(
    scenario: Annotated[str, typer.Option(help="Built-in scenario name or a scenario .toml "
                                          "file: its person and parameter overrides (its "
                                          "triggers and treatments are not used).")],
    parameter: Annotated[str, typer.Option(help="The parameter to vary (one with prior "
                                           "bounds; `fmsim model params` lists them), or a "
                                           "constant input (stress_input, exercise, ne_effect, "
                                           "...).")],
    value_range: Annotated[tuple[float, float] | None, typer.Option(
        "--range", help="LO HI: the values to vary it over (default: a parameter's prior "
        "bounds, an input's declared range).")]
    = None,
    set_values: Annotated[list[str] | None, typer.Option(
        "--set", metavar="NAME=VALUE", help="Set one of the person's parameters (repeat for "
        "more): a parameter vector on top of the scenario's person.")] = None,
    out_dir: Annotated[str | None, out_option(
        "Write result.json and the diagram bifurcation.png to this folder (replacing an "
        "earlier run's files).", files=analysis_files("bifurcation"))] = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every steady state of the person over one parameter, stable or not, with the folds at
    which the healthy state ends (the person tips into chronic pain without a trigger) and the
    chronic state ends (the person recovers)."""
    with err.status("tracing the branches of steady states"):
        spec = analysis.BifurcationSpec(scenario, parameter, value_range,
                                        _assignments(set_values or []))
        result = analysis.run_bifurcation(spec, model=model)
    written = reports.write_bifurcation(result, out_dir) if out_dir is not None else []
    if as_json:
        print_json(result.to_dict())
    else:
        print_table(result.rows(), title=f"Folds over {parameter}")
        out.print(result.summary())
    if written:
        wrote(written)


@analyze_app.command()
@friendly
def sensitivity(
    output: Annotated[Output, typer.Option(help="What to explain: " + "; ".join(
        f"{name}: {o.description}" for name, o in OUTPUTS.items()) + ".")],
    method: Annotated[Method, typer.Option(help="morris (screening, N (D+1) runs) or sobol "
                                           "(variance shares, N (D+2) runs).")] = Method.sobol,
    n: Annotated[int, typer.Option("--n", help="Base sample size N (a power of two for "
                                   "sobol).", min=4, max=65536)] = 256,
    parameters: Annotated[str | None, typer.Option(help="Comma-separated parameters to vary "
                                                   "(default: every one with prior bounds).")]
    = None,
    person: Annotated[Person, typer.Option(help="Preset whose values the other parameters "
                                           "keep.")] = VULNERABLE,
    seed: SeedOption = 0,
    executor: ExecutorOption = None,
    out_dir: Annotated[str | None, out_option(
        "Write result.json and the ranked bar plot sensitivity.png to this folder (replacing "
        "an earlier run's files).", files=analysis_files("sensitivity"))] = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
) -> None:
    """Global sensitivity of one output to the parameters over their priors (SALib): Sobol
    first and total indices or Morris mu*, with bootstrap 95% intervals, ranked. The whole
    sample runs as batched populations."""
    names = None if parameters is None else tuple(p.strip() for p in parameters.split(","))
    spec = analysis.SensitivitySpec(output.value, method.value, n, names, person.value, seed)
    with progress_bar("running the sample", "chunks") as progress:
        result = analysis.run_sensitivity(spec, executor=executor, progress=progress, model=model)
    written = reports.write_sensitivity(result, out_dir) if out_dir is not None else []
    if as_json:
        print_json(result.to_dict())
    else:
        print_table(result.rows(), title=f"{output.value} by {method.value}: {result.n_runs} "
                    "runs")
    if written:
        wrote(written)


@analyze_app.command()
@friendly
def loops(
    scenario: Annotated[str, typer.Option(help="Built-in scenario name or a scenario .toml "
                                          "file.")],
    day: Annotated[int | None, typer.Option(help="The day of the scenario (default: its "
                                            "last).", min=0, max=MAX_DAYS - 1)] = None,
    attribute: Annotated[bool, typer.Option(help="Also knock each loop out in turn (held at "
                                            "its day-0 value) and report how much lower pain "
                                            "settles: the loop's contribution.")] = False,
    out_dir: Annotated[str | None, out_option(
        "Write result.json and the bar plot loops.png to this folder (replacing an earlier "
        "run's files).", files=analysis_files("loops"))] = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
) -> None:
    """The gain of each reinforcing loop (the seven vicious circles and each state's
    self-excitation) at the person's state on one day of a scenario, largest first: a gain of
    1 or more sustains itself. With --attribute, each loop's contribution to pain."""
    with err.status("knocking out each loop" if attribute else "simulating the scenario"):
        result = analysis.run_loops(analysis.LoopsSpec(scenario, day, attribute), model=model)
    written = reports.write_loops(result, out_dir) if out_dir is not None else []
    if as_json:
        print_json(result.to_dict())
    else:
        print_table(result.rows(), title=result.title)
        if attribute:
            print_table(result.attribution_rows(), title=result.attribution_title)
    if written:
        wrote(written)


def _assignments(items: list[str]) -> dict[str, float]:
    """``NAME=VALUE`` options as a mapping; a name twice or a value that is not a number is
    refused."""
    values: dict[str, float] = {}
    for item in items:
        name, eq, text = item.partition("=")
        name = name.strip()
        try:
            value = float(parse_number(text))
        except ValueError:
            value = None
        if not eq or not name or value is None:
            raise FMSimError(f"--set {item!r}: write NAME=VALUE with a number, e.g. "
                             "--set genetic=0.5")
        if name in values:
            raise FMSimError(f"--set names {name!r} twice")
        values[name] = value
    return values
