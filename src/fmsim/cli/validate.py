"""``fmsim validate``: the model against every calibration.md target it addresses."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import studies
from ..reports import write_validation
from ..reports.studies import VALIDATION_FILES
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
    progress_bar,
    wrote,
)

__all__ = ["validate"]

ValidationOut = Annotated[str | None, out_option(
    "Write report.html (a plot of every target and the table) and result.json to this folder "
    "(replacing an earlier run's files).", files=VALIDATION_FILES)]


@app.command()
@friendly
def validate(
    n: Annotated[int, typer.Option(help="Patients per trial arm.", min=20, max=5000)] = 2000,
    n_general: Annotated[int, typer.Option(help="People in the general population.",
                                           min=500, max=500000)] = 24000,
    seed: SeedOption = 0,
    executor: ExecutorOption = None,
    out_dir: ValidationOut = None,
    model: ModelOption = None,
    as_json: JsonOption = False,
) -> None:
    """The model against every calibration.md target it addresses: model value, published
    value and interval, pass or fail."""
    with progress_bar("validating (population, drug, duloxetine, exercise and opioid trials)",
                      "%") as progress:
        result = studies.run_validation(studies.ValidationSpec(n, n_general, seed),
                                        executor=executor, progress=progress, model=model)
    written = write_validation(result, out_dir) if out_dir is not None else []
    if as_json:
        print_json(result.to_dict())
    else:
        from rich.table import Table
        from rich.text import Text

        header, *rows = result.rows()
        table = Table(*header, title="Validation")
        for row in rows:
            verdict = Text("pass", "green") if row[-1] == "pass" else Text("FAIL", "red")
            table.add_row(*row[:-1], verdict)
        out.print(table)
        out.print(result.summary())
    if written:
        wrote(written)
