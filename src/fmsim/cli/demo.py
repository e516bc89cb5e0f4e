"""``fmsim demo``: the main job on defaults, with a report."""

from __future__ import annotations

from typing import Annotated

from ..reports import write_demo
from ..reports.studies import DEMO_FILES
from ..studies import run_demo
from .app import app
from .common import ModelOption, SeedOption, friendly, out, out_option, print_table, progress_bar

__all__ = ["demo"]


@app.command()
@friendly
def demo(
    out_dir: Annotated[str, out_option("Where the report goes (replacing an earlier demo's "
                                        "files).", files=DEMO_FILES)] = "out/demo",
    seed: SeedOption = 0,
    model: ModelOption = None,
) -> None:
    """A healthy and a vulnerable woman through the same injury and a year after it; then
    twelve weeks of treatment plans for the woman who developed FM, and a small virtual
    trial."""
    with progress_bar("running the demo") as progress:
        result = run_demo(seed=seed, progress=progress, model=model)
    report = write_demo(result, out_dir)
    header, *rows = result.rows()
    print_table([("", *header[1:]), *rows], title="One injury, two people (pain 0-10)")
    for line in result.summary():
        out.print(line)
    print_table(result.treatment_rows(), title="Then treated for 12 weeks (pain 0-10)")
    print_table(result.trial.rows(), title="A 12-week virtual trial")
    out.print(f"Report: {report}")
