"""``fmsim analyze bifurcation``: where a person tips into chronic pain and where they recover."""

from __future__ import annotations

from typing import Annotated

import typer

from ..analysis import BifurcationSpec, run_bifurcation
from ..reports import write_bifurcation
from .app import analyze_app
from .common import (
    JsonOption,
    err,
    friendly,
    out,
    out_option,
    print_json,
    print_table,
    wrote,
)

__all__ = ["bifurcation"]


@analyze_app.command()
@friendly
def bifurcation(
    scenario: Annotated[str, typer.Option(help="Built-in scenario name or a scenario .toml "
                                          "file: its person and parameter overrides (its "
                                          "triggers and treatments are not used).")],
    parameter: Annotated[str, typer.Option(help="The parameter to vary (one with prior "
                                           "bounds; `fmsim model params` lists them).")],
    value_range: Annotated[tuple[float, float] | None, typer.Option(
        "--range", help="LO HI: the values to vary it over (default: its prior bounds).")]
    = None,
    out_dir: Annotated[str | None, out_option(
        "Write result.json and the diagram bifurcation.png to this folder (replacing an "
        "earlier run's files).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Every steady state of the person over one parameter, stable or not, with the folds at
    which the healthy state ends (the person tips into chronic pain without a trigger) and the
    chronic state ends (the person recovers)."""
    with err.status("tracing the branches of steady states"):
        result = run_bifurcation(BifurcationSpec(scenario, parameter, value_range))
    written = write_bifurcation(result, out_dir) if out_dir is not None else []
    if as_json:
        print_json(result.to_dict())
    else:
        print_table(result.rows(), title=f"Folds over {parameter}")
        out.print(result.summary())
    if written:
        wrote(written)
