"""The ``fmsim`` command line (Typer). Progress and errors go to stderr; ``--json`` to stdout.

Nothing below this module prints: library code returns data and reports progress through a
callback that this module turns into a Rich progress bar.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import FMSimError

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    help="FMSim: simulate fibromyalgia as interacting vicious circles. Research and education "
    "software, not a medical device: no diagnosis, no dosing advice.",
)
model_app = typer.Typer(no_args_is_help=True, help="Inspect the model: parameters and equations.")
app.add_typer(model_app, name="model")

out = Console()
err = Console(stderr=True)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn FMSim and file-system errors into one clear message and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FMSimError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False)
        except OSError as exc:
            err.print(f"[bold red]error:[/] {exc.strerror or exc}: {exc.filename or ''}",
                      highlight=False)
        raise typer.Exit(2)

    return wrapper


@contextmanager
def progress_bar(label: str, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on stderr, as a ``progress(done, total)`` callback."""
    if not enabled:
        yield lambda done, total: None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total} days"), TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


SeedOption = Annotated[int, typer.Option(help="Seed of the random numbers (reproducible runs).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]


def _round(values: np.ndarray, digits: int = 4) -> list[float]:
    return [round(float(v), digits) for v in values]


@app.command()
@friendly
def simulate(
    scenario: Annotated[str, typer.Option(help="Built-in scenario name or a scenario .toml file.")],
    days: Annotated[int | None, typer.Option(help="Days to simulate (default: the scenario's).",
                                             min=1, max=36500)] = None,
    stochastic: Annotated[bool, typer.Option(help="Add daily noise on stress, inflammation and "
                                             "sleep.")] = False,
    seed: SeedOption = 0,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Write trajectory.nc and plots "
                                                 "here.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Simulate one virtual person through a scenario."""
    from .interventions.scenario import load_scenario, run_scenario
    from .model.fm.outputs import SCORES

    spec = load_scenario(scenario)
    with progress_bar(f"simulating {spec.name}") as progress:
        ds = run_scenario(spec, days, stochastic=stochastic, seed=seed, progress=progress)
    tr = ds["trajectory"].isel(patient=0)
    if out_dir is not None:
        from .engine import save
        from .reports import plot_trajectory

        save(ds, out_dir / "trajectory.nc")
        plot_trajectory(ds, out_dir / "trajectory.png", title=f"{spec.name}: {spec.description}")
    if as_json:
        final = ds["final"].isel(patient=0)
        payload = {"scenario": spec.name, "days": int(ds.sizes["day"])}
        payload.update({s: _round(tr.sel(variable=s).values, 3) for s in SCORES})
        payload["final"] = {s: round(float(final.sel(state=s)), 6) for s in final.coords["state"]
                            .values.tolist()}
        typer.echo(json.dumps(payload))
        return
    n = int(ds.sizes["day"])
    marks = {"start": 0, "last day": n - 1}
    for t in spec.triggers:
        marks.setdefault(f"{t.kind} starts", t.start_day)
        marks.setdefault(f"{t.kind} ends", t.end_day)
    if spec.trigger_end is not None:
        marks["30 days after"] = spec.trigger_end + 30
        marks["180 days after"] = spec.trigger_end + 180
    table = Table(title=f"{spec.name}: {spec.description}", title_justify="left")
    table.add_column("day")
    table.add_column("when")
    for score in SCORES:
        table.add_column(score.replace("_", " "), justify="right")
    for label, day in sorted(marks.items(), key=lambda kv: kv[1]):
        if 0 <= day < n:
            row = [f"{tr.sel(variable=s, day=day).item():.1f}" for s in SCORES]
            table.add_row(str(day), label, *row)
    out.print(table)
    out.print("Scores are 0-10; 10 is worst, except sleep quality (10 = best).")
    if out_dir is not None:
        out.print(f"Wrote {out_dir / 'trajectory.nc'} and {out_dir / 'trajectory.png'}")


@app.command()
@friendly
def scenarios() -> None:
    """List the built-in scenarios."""
    from .interventions.scenario import SCENARIO_NAMES, load_scenario

    table = Table("name", "person", "description", title="Built-in scenarios")
    for name in SCENARIO_NAMES:
        spec = load_scenario(name)
        table.add_row(name, spec.person, spec.description)
    out.print(table)


@model_app.command("params")
@friendly
def model_params(as_json: JsonOption = False) -> None:
    """The parameter registry: value, unit, prior, tag and evidence of every parameter."""
    from .model.registry import load_registry

    reg = load_registry()
    if as_json:
        typer.echo(json.dumps({
            name: {"value": p.value, "unit": p.unit, "subsystem": p.subsystem, "tag": p.tag,
                   "prior": {"dist": p.prior.dist, "bounds": list(p.prior.bounds)},
                   "evidence": list(p.evidence), "target": p.target,
                   "description": p.description}
            for name, p in reg.parameters.items()
        }))
        return
    table = Table("subsystem", "name", "value", "unit", "prior", "tag", "evidence", "meaning",
                  title=f"FMSim parameter registry ({len(reg.parameters)} parameters)")
    for name, p in reg.parameters.items():
        prior = f"{p.prior.dist} {list(p.prior.bounds)}" if p.prior.varies else "fixed"
        table.add_row(p.subsystem, name, f"{p.value:g}", p.unit, prior, p.tag,
                      ", ".join(p.evidence), p.description)
    out.print(table)


@model_app.command("doc")
@friendly
def model_doc(
    out_file: Annotated[Path | None, typer.Option("--out", help="Write Markdown to this file "
                                                  "instead of stdout.")] = None,
) -> None:
    """The model's equations (rendered from SymPy) with their evidence, as Markdown."""
    from .model.fm import fm_model
    from .model.registry import load_registry
    from .model.symbolic import markdown

    text = markdown(fm_model(), load_registry())
    if out_file is None:
        sys.stdout.write(text)
    else:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(text, encoding="utf-8")
        err.print(f"wrote {out_file}")


@app.command()
@friendly
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Where the report goes.")] = Path(
        "out/demo"),
    seed: SeedOption = 0,
) -> None:
    """A healthy and a vulnerable woman through the same injury and a year after it."""
    from .demo import run_demo

    with progress_bar("running the demo") as progress:
        result = run_demo(out_dir, seed=seed, progress=progress)
    table = Table("", *result.columns, title="One injury, two people (pain 0-10)")
    for row in result.rows:
        table.add_row(*row)
    out.print(table)
    for line in result.summary:
        out.print(line)
    out.print(f"Report: {result.report}")


def main() -> None:
    """Entry point of the ``fmsim`` console script."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
