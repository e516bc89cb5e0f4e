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
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import FMSimError

app = typer.Typer(
    add_completion=False,
    rich_markup_mode="markdown",  # docstrings' line breaks are not kept in the help
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    help="FMSim: simulate fibromyalgia as interacting vicious circles. Research and education "
    "software, not a medical device: no diagnosis, no dosing advice.",
)
model_app = typer.Typer(no_args_is_help=True, rich_markup_mode="markdown",
                        help="Inspect the model: parameters and equations.")
app.add_typer(model_app, name="model")
score_app = typer.Typer(no_args_is_help=True, rich_markup_mode="markdown",
                        help="Score clinical instruments (ACR criteria, "
                        "FIQR, FIQ) for one respondent, or a JSON/CSV file of respondents.")
app.add_typer(score_app, name="score")

out = Console()
err = Console(stderr=True)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn FMSim and file-system errors into one clear message and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FMSimError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        except OSError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc.strerror or exc))}: "
                      f"{escape(str(exc.filename or ''))}",
                      highlight=False)
        raise typer.Exit(2)

    return wrapper


@contextmanager
def progress_bar(label: str, unit: str = "days", enabled: bool = True
                 ) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on stderr counting ``unit``, as a ``progress(done, total)``
    callback."""
    if not enabled:
        yield lambda done, total: None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total} " + unit), TimeElapsedColumn(), console=err,
                  transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


SeedOption = Annotated[int, typer.Option(min=0, help="Seed of the random numbers "
                                                 "(reproducible runs; 0 or more).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]


ReportOption = Annotated[Path | None, typer.Option(
    "--out", help="Write report.html (tables and plots) and result.json to this folder.")]

ExecutorOption = Annotated[str | None, typer.Option(
    help="Where population chunks run: serial, processes or tcp://HOST:PORT (a Dask scheduler).")]


def _interval(value: float | None, ci: list, fmt: str = ".2f") -> str:
    """``value [low, high]`` from a JSON estimate; unbounded ends read -inf and inf."""
    if value is None:
        return "-"
    lo = "-inf" if ci[0] is None else format(ci[0], fmt)
    hi = "inf" if ci[1] is None else format(ci[1], fmt)
    return f"{value:{fmt}} [{lo}, {hi}]"


def _round(values: np.ndarray, digits: int = 4) -> list[float]:
    return [round(float(v), digits) for v in values]


StartDayOption = Annotated[int | None, typer.Option(help="Day the treatment starts.")]
StopDayOption = Annotated[int | None, typer.Option(help="Day the treatment stops (default: "
                                                   "never).")]
TreatOption = Annotated[str | None, typer.Option(help="Treatment SPEC name[:dose] joined by +, "
                                                 "e.g. duloxetine:60.")]
AdherenceOption = Annotated[float | None, typer.Option(help="Programs in --treat: share of "
                                                       "sessions attended, 0-1 (default 1).")]
TriggerOption = Annotated[list[str] | None, typer.Option(
    help="Add a trigger KIND\\[:INTENSITY]@DAY\\[/DAYS], e.g. injury@30 or "
         "infection:0.8@30/14; repeatable. Kinds: injury, infection, acute-stress, "
         "sleep-fragmentation, exercise.")]


def _scenario(name: str, treat: str | None, start_day: int | None, stop_day: int | None,
              adherence: float | None, trigger: list[str] | None):
    """A scenario with the treatment and triggers of the command line added."""
    import dataclasses

    from .interventions.catalog import Treatment
    from .interventions.scenario import load_scenario
    from .interventions.triggers import Trigger

    spec = load_scenario(name)
    if treat is None and (start_day is not None or stop_day is not None or
                          adherence is not None):
        raise FMSimError("--start-day, --stop-day and --adherence belong to --treat SPEC")
    if treat is not None:
        if start_day is None:
            raise FMSimError("--treat needs --start-day D")
        options = {} if adherence is None else {"adherence": adherence}
        spec = dataclasses.replace(spec, treatments=(
            *spec.treatments, Treatment.create(treat, start_day, stop_day, **options)))
    if trigger:
        spec = dataclasses.replace(spec, triggers=(
            *spec.triggers, *(Trigger.parse(t) for t in trigger)))
    return spec


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
    treat: TreatOption = None,
    start_day: StartDayOption = None,
    stop_day: StopDayOption = None,
    adherence: AdherenceOption = None,
    trigger: TriggerOption = None,
    as_json: JsonOption = False,
) -> None:
    """Simulate one virtual person through a scenario, optionally with a treatment and
    extra triggers."""
    from .interventions.scenario import run_scenario
    from .model.fm.outputs import SCORES

    spec = _scenario(scenario, treat, start_day, stop_day, adherence, trigger)
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
    for treatment in spec.treatments:
        marks.setdefault(f"{treatment.spec} starts", treatment.start_day)
        marks.setdefault(f"{treatment.spec} +4 weeks", treatment.start_day + 28)
        if treatment.stop_day is not None:
            marks.setdefault(f"{treatment.spec} stops", treatment.stop_day)
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


@app.command()
@friendly
def treatments(as_json: JsonOption = False) -> None:
    """List the treatment catalog: every drug, program and context arm a SPEC can name."""
    from .interventions.catalog import load_catalog

    rows = [{"name": e.name, "kind": e.kind, "default_dose": e.default_dose,
             "dose_range": list(e.dose_range) if e.dose_range else None,
             "dose_unit": e.dose_unit or None, "acts_on": sorted({x.input for x in e.effects}),
             "description": e.description} for e in load_catalog().values()]
    if as_json:
        print(json.dumps({"treatments": rows}))
        return
    from rich.table import Column

    table = Table(Column("name", no_wrap=True), "kind", "dose (default, range)", "acts on",
                  "description",
                  title="Treatment catalog (SPEC = name[:dose] joined by +)")
    for r in rows:
        dose = ("-" if r["dose_range"] is None else
                f"{r['default_dose']:g} ({r['dose_range'][0]:g}-{r['dose_range'][1]:g} "
                f"{r['dose_unit']})")
        table.add_row(r["name"], r["kind"], dose, ", ".join(r["acts_on"]), r["description"])
    out.print(table)


@app.command()
@friendly
def phenotype(
    n: Annotated[int, typer.Option(help="People in the general population (about 3% develop "
                                   "FM).", min=200, max=500000)] = 5000,
    seed: SeedOption = 0,
    executor: ExecutorOption = None,
    as_json: JsonOption = False,
) -> None:
    """FM versus non-FM virtual people in one general population: Hedges' g of the
    physiological read-outs (FM minus control)."""
    from .population.phenotype import phenotype as run_phenotype

    with progress_bar("simulating the population", "chunks") as progress:
        result = run_phenotype(n, seed=seed, executor=executor, progress=progress)
    if as_json:
        print(json.dumps(result))
        return
    table = Table("read-out", "Hedges g (FM - control)", "95% interval",
                  title=f"{result['n_fm']} with FM vs {result['n_control']} without (ACR 2016)")
    for name, g in result["hedges_g"].items():
        lo, hi = result["hedges_g_ci"][name]
        table.add_row(name, f"{g:+.2f}", f"[{lo:+.2f}, {hi:+.2f}]")
    out.print(table)
    absolute = result["absolute"]
    out.print(f"Pressure pain threshold, FM / control: {absolute['ppt_ratio']:.2f}. Sleep "
              f"efficiency {absolute['sleep_efficiency_fm']:.2f} vs "
              f"{absolute['sleep_efficiency_control']:.2f}. cpm: positive = less inhibition. "
              "Fitted: the cytokines' unexplained spread (calibration.md C2.3-C2.5) and the "
              "threshold exponent (C4.6). The other read-outs carry no measurement spread: "
              "their directions are predictions, their sizes are not comparable with studies.")


@app.command()
@friendly
def vpop(
    n: Annotated[int, typer.Option(help="People (general) or patients (fm-clinic).", min=1,
                                   max=500000)] = 2000,
    population: Annotated[str, typer.Option(
        help="general (priors and random life events) or fm-clinic (a selected trial-eligible "
             "FM cohort).")] = "general",
    seed: SeedOption = 0,
    executor: ExecutorOption = None,
    as_json: JsonOption = False,
) -> None:
    """A virtual population: prevalence (ACR 2016 and 2011), sex ratio and baseline
    distributions of pain, FIQR, PSD, sleep, fatigue and mood."""
    from .population.vpop import virtual_population

    unit = "chunks" if population == "general" else "patients"
    with progress_bar("simulating the population", unit) as progress:
        result = virtual_population(n, population, seed=seed, executor=executor,
                                    progress=progress)
    if as_json:
        print(json.dumps(result))
        return
    prev = result["prevalence"]

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x:.1%}"

    out.print(f"{result['population']}: {result['n']} people ({result['screened']} screened). "
              f"ACR 2016 {pct(prev['acr2016'])} (women {pct(prev['acr2016_women'])}, men "
              f"{pct(prev['acr2016_men'])}); ACR 2011 {pct(prev['acr2011'])}; women among FM "
              f"{pct(result['female_share_fm'])}.")
    table = Table("group", "score", "mean", "SD", "median (IQR)",
                  title="Baseline (diary 0-10, FIQR 0-100, PSD 0-31)")
    for group, scores in result["baseline"].items():
        for name, d in scores.items():
            table.add_row(group, name, f"{d['mean']:.1f}", f"{d['sd']:.1f}",
                          f"{d['median']:.1f} ({d['p25']:.1f}-{d['p75']:.1f})")
    out.print(table)


@app.command("natural-history")
@friendly
def natural_history(
    years: Annotated[int, typer.Option(help="Years of follow-up.", min=1, max=30)] = 5,
    n: Annotated[int, typer.Option(help="Patients in the cohort.", min=2, max=20000)] = 200,
    seed: SeedOption = 0,
    executor: ExecutorOption = None,
    as_json: JsonOption = False,
) -> None:
    """An FM-clinic cohort followed for years without added treatment: how many ever fail the
    criteria, improve or worsen, and mean PSD by year (model predictions)."""
    from .population.natural_history import natural_history as follow

    with progress_bar("following the cohort", "years") as progress:
        result = follow(years, n, seed=seed, executor=executor, progress=progress)
    if as_json:
        print(json.dumps(result))
        return
    out.print(f"{n} FM patients over {years} years: ever criteria-negative "
              f"{result['ever_criteria_negative']:.0%}, improved (pain -30%) "
              f"{result['improved']:.0%}, worsened (pain +30%) {result['worsened']:.0%}.")
    table = Table("year", "PSD (mean)", "meeting ACR 2016", title="By year")
    for year, (psd, pos) in enumerate(zip(result["psd_by_year"],
                                          result["criteria_positive_by_year"], strict=True)):
        table.add_row(str(year), f"{psd:.1f}", f"{pos:.0%}")
    out.print(table)


def _written(result: dict, out_dir: Path | None, report: Callable[[dict, Path], None],
             as_json: bool) -> bool:
    """Write ``report`` to ``out_dir`` if given; print the JSON if asked (then ``True``: the
    caller prints nothing more)."""
    if out_dir is not None:
        report(result, out_dir)
        err.print(f"wrote {out_dir / 'report.html'}")
    if as_json:
        print(json.dumps(result))
    return as_json


def _trial_report(result: dict, out_dir: Path) -> None:
    """report.html (arm and comparison tables, pain course, responders) and result.json."""
    from .reports import plot_trial, write_report
    from .trials.run import analysis_rows, arm_rows

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "result.json").write_text(json.dumps(result, indent=2))
    figure = plot_trial(result, out_dir / "figures" / "trial.png")

    keys = ("rr_30", "rr_50", "nnt_50", "smd_pain", "smd_fiqr", "smd_fatigue", "smd_mood",
            "smd_sleep")
    comparisons = [("comparison", *keys)]
    comparisons += [(f"{c['arm']} vs {c['vs']}", *(_interval(c[k], c[f"{k}_ci"]) for k in keys))
                    for c in result["comparisons"]]
    write_report(out_dir / "report.html", "FMSim virtual trial", [
        ("p", f"{len(result['arms'])} arms, {result['weeks']} weeks of treatment after a baseline "
              f"week, seed {result['seed']}; {result['screened']} candidates screened. Fitted to "
              "the placebo, duloxetine 60 mg and pregabalin 450 mg rows of calibration.md; "
              "everything else is the model's prediction (fmsim validate compares)."),
        ("table", arm_rows(result)),
        ("h2", "Responders (at least 30% / 50% relief) in three analyses"),
        ("p", "Last observation carried forward keeps a dropout's last week; baseline "
              "observation carried forward counts every dropout as a non-responder; completers "
              "leaves them out."),
        ("table", analysis_rows(result)),
        ("h2", "Comparisons with the first arm (95% intervals; negative g favours the arm)"),
        ("table", comparisons),
        ("h2", "Pain over time and responders"),
        ("img", figure),
    ])


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
        help="Weekly probability of leaving for a reason other than an adverse event "
             "(default 0.01, trials/conduct.toml).", min=0.0, max=1.0)] = None,
    adherence: Annotated[float | None, typer.Option(
        help="Share of program sessions attended (default 0.8, trials/conduct.toml).",
        min=0.0, max=1.0)] = None,
    seed: SeedOption = 0,
    executor: ExecutorOption = None,
    out_dir: ReportOption = None,
    as_json: JsonOption = False,
) -> None:
    """A randomized virtual trial in a selected FM-clinic cohort: responders, adverse events,
    dropouts and comparisons with the first arm."""
    from .trials.run import TrialDesign, arm_rows, run_trial

    design = TrialDesign(tuple(arm), weeks=weeks, n_per_arm=n, follow_up_weeks=follow_up_weeks,
                         seed=seed, **{k: v for k, v in (("withdraw", withdraw),
                                                         ("adherence", adherence))
                                       if v is not None})
    with progress_bar("enrolling", "patients") as progress:
        result = run_trial(design, executor=executor, progress=progress)
    if _written(result, out_dir, _trial_report, as_json):
        return
    header, *rows = arm_rows(result)
    table = Table(*header, title=f"Virtual trial, {weeks} weeks (pain 0-10)")
    for row in rows:
        table.add_row(*row)
    out.print(table)

    comparisons = Table("arm vs first", "RR >=50%", "NNT >=50%", "Hedges g pain",
                        "Hedges g FIQR", title="Comparisons (95% intervals)")
    for c in result["comparisons"]:
        comparisons.add_row(f"{c['arm']} vs {c['vs']}", _interval(c["rr_50"], c["rr_50_ci"]),
                            _interval(c["nnt_50"], c["nnt_50_ci"], ".1f"),
                            _interval(c["smd_pain"], c["smd_pain_ci"]),
                            _interval(c["smd_fiqr"], c["smd_fiqr_ci"]))
    out.print(comparisons)
    out.print(f"{result['screened']} candidates screened. Research and education software, "
              "not medical advice.")


def _validation_report(result: dict, out_dir: Path) -> None:
    """report.html (a plot of every target and the table) and result.json."""
    from .reports import plot_validation, write_report

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "result.json").write_text(json.dumps(result, indent=2))
    figure = plot_validation(result, out_dir / "figures" / "validation.png")

    def number(x: float | None) -> str:
        return "-" if x is None else f"{x:.3g}"

    rows = [("id", "quantity", "model", "published", "interval / rule", "fitted", "pass")]
    rows += [(t["id"], t["quantity"], number(t["model"]) + (
        f" [{number(t['ci'][0])}, {number(t['ci'][1])}]" if t["ci"] else ""),
        number(t["published"]), t["rule"], "fitted" if t["fitted"] else "predicted",
        "pass" if t["pass"] else "FAIL") for t in result["targets"]]
    write_report(out_dir / "report.html", "FMSim validation against calibration.md", [
        ("p", f"{result['pass_fraction']:.0%} of {len(result['targets'])} targets pass "
              f"({result['pass_fraction_predictions']:.0%} of the predictions, the targets the "
              f"calibration did not use); {result['n_per_arm']} patients per trial arm, "
              f"{result['n_general']} people in the general population, seed "
              f"{result['seed']}."),
        ("img", figure),
        ("table", rows),
    ])


@app.command()
@friendly
def validate(
    n: Annotated[int, typer.Option(help="Patients per trial arm.", min=20, max=5000)] = 2000,
    n_general: Annotated[int, typer.Option(help="People in the general population.",
                                           min=500, max=500000)] = 24000,
    seed: SeedOption = 0,
    executor: ExecutorOption = None,
    out_dir: ReportOption = None,
    as_json: JsonOption = False,
) -> None:
    """The model against every calibration.md target it addresses: model value, published
    value and interval, pass or fail."""
    from .validation import validate as run_validation

    with progress_bar("validating (population, drug trial, exercise trial)",
                      "%") as progress:
        result = run_validation(n, n_general, seed=seed, executor=executor, progress=progress)
    if _written(result, out_dir, _validation_report, as_json):
        return
    table = Table("id", "quantity", "model", "published", "interval", "", title="Validation")
    for t in result["targets"]:
        shown = "-" if t["model"] is None else f"{t['model']:.3g}"
        if t["ci"]:
            shown += f" [{t['ci'][0]:.3g}, {t['ci'][1]:.3g}]" if None not in t["ci"] else ""
        interval = (f"{t['interval'][0]:.3g} to {t['interval'][1]:.3g}" if t["interval"]
                    else t["rule"])
        table.add_row(t["id"], t["quantity"], shown, f"{t['published']:.3g}", interval,
                      "[green]pass[/]" if t["pass"] else "[red]FAIL[/]")
    out.print(table)
    out.print(f"{result['pass_fraction']:.0%} of targets pass "
              f"({result['pass_fraction_predictions']:.0%} of the predictions).")


def _write_text(text: str, out_file: Path | None, what: str = "") -> None:
    """Text to stdout, or to ``out_file`` (folders created) with a note on stderr."""
    if out_file is None:
        sys.stdout.write(text)
        return
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(text, encoding="utf-8")
    err.print(f"wrote {out_file}" + (f" ({what})" if what else ""))


@model_app.command("params")
@friendly
def model_params(as_json: JsonOption = False) -> None:
    """The parameter registry: value, unit, prior, tag and evidence of every parameter of the
    model and of the measurement model."""
    from .model.registry import load_registry, packaged_parameters

    reg = load_registry()
    params = reg.parameters | {
        name: info for name, info in
        packaged_parameters("fmsim.instruments", "measurement.toml").items()}
    if as_json:
        typer.echo(json.dumps({
            name: {"value": p.value, "unit": p.unit, "subsystem": p.subsystem, "tag": p.tag,
                   "prior": {"dist": p.prior.dist, "bounds": list(p.prior.bounds)},
                   "evidence": list(p.evidence), "target": p.target,
                   "description": p.description}
            for name, p in params.items()
        }))
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
    out_file: Annotated[Path | None, typer.Option("--out", help="Write Markdown to this file "
                                                  "instead of stdout.")] = None,
) -> None:
    """The model's equations (rendered from SymPy) with their evidence, as Markdown."""
    from .model.fm import fm_model
    from .model.registry import load_registry
    from .model.symbolic import markdown

    _write_text(markdown(fm_model(), load_registry()), out_file)


@model_app.command("export")
@friendly
def model_export(
    fmt: Annotated[str, typer.Option("--format", help="sbml (Level 3 Version 2) or antimony.")],
    scenario: Annotated[str, typer.Option(help="Built-in scenario name or a scenario .toml "
                                          "file: the person, their triggers and treatments.")]
    = "healthy",
    days: Annotated[int | None, typer.Option(help="Days of inputs to schedule (default: the "
                                             "scenario's).", min=1, max=36500)] = None,
    treat: TreatOption = None,
    start_day: StartDayOption = None,
    stop_day: StopDayOption = None,
    adherence: AdherenceOption = None,
    trigger: TriggerOption = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of "
                                                  "stdout.")] = None,
) -> None:
    """The deterministic model of one person as SBML or Antimony: their parameters, their
    state after the scenario's warm-up, and every trigger and treatment as daily events.
    Simulated in libRoadRunner or COPASI it gives `fmsim simulate`'s trajectory."""
    from .interop import Export, to_antimony, to_sbml
    from .interventions.scenario import scenario_initial
    from .model.fm import fm_model

    writers = {"sbml": to_sbml, "antimony": to_antimony}
    if fmt not in writers:
        raise FMSimError(f"--format must be one of {list(writers)}, not {fmt!r}")
    spec = _scenario(scenario, treat, start_day, stop_day, adherence, trigger)
    days = spec.days if days is None else days
    export = Export.create(fm_model(), days, spec.params(), spec.inputs(days),
                           scenario_initial(spec))
    _write_text(writers[fmt](export), out_file,
                f"{fmt}, {len(export.events)} input events over {days} days")


@app.command()
@friendly
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Where the report goes.")] = Path(
        "out/demo"),
    seed: SeedOption = 0,
) -> None:
    """A healthy and a vulnerable woman through the same injury and a year after it; then
    twelve weeks of treatment plans for the woman who developed FM."""
    from .demo import run_demo

    with progress_bar("running the demo") as progress:
        result = run_demo(out_dir, seed=seed, progress=progress)
    table = Table("", *result.columns, title="One injury, two people (pain 0-10)")
    for row in result.rows:
        table.add_row(*row)
    out.print(table)
    for line in result.summary:
        out.print(line)
    treated = Table("plan", "before", "week 12", "vs usual care", "12 weeks after stopping",
                    title="Then treated for 12 weeks (pain 0-10)")
    for row in result.treatments:
        treated.add_row(*row)
    out.print(treated)
    header, *rows = result.trial
    trial_table = Table(*header, title="A 12-week virtual trial")
    for row in rows:
        trial_table.add_row(*row)
    out.print(trial_table)
    out.print(f"Report: {result.report}")


FileOption = Annotated[Path | None, typer.Option(
    "--file", help="JSON (object or list) or CSV (one respondent per row) of answers.")]
Severity = Annotated[int | None, typer.Option(help="0-3: none, mild, moderate, severe.")]
Months = Annotated[float | None, typer.Option(help="How long symptoms have lasted, in months.")]
AreasOption = Annotated[str | None, typer.Option(
    help="Painful areas in the past week, comma-separated: " + " ".join(
        ("jaw-left jaw-right shoulder-left shoulder-right upper-arm-left upper-arm-right "
         "lower-arm-left lower-arm-right hip-left hip-right upper-leg-left upper-leg-right "
         "lower-leg-left lower-leg-right neck upper-back lower-back chest abdomen").split()))]
Flag = Annotated[bool, typer.Option()]


def _score(instrument: str, answers: dict, file: Path | None, as_json: bool) -> None:
    from .instruments.respondent import read_respondents, score_respondent

    if file is not None:
        given = sorted(k for k, v in answers.items() if v not in (None, False, ""))
        if given:
            raise FMSimError(f"give the answers either on the command line or in --file, not "
                             f"both (also given: {', '.join(given)})")
        results = []
        for i, row in enumerate(read_respondents(file), start=1):
            try:
                results.append({"row": i} | score_respondent(instrument, row))
            except FMSimError as exc:
                raise FMSimError(f"{file.name} row {i}: {exc}") from None
    else:
        results = [score_respondent(instrument, answers)]
    if as_json:
        typer.echo(json.dumps(results if file is not None else results[0]))
        return
    def cell(value: object) -> str:
        return f"{value:.2f}" if isinstance(value, float) else str(value)

    keys = [k for k in results[0] if k not in ("reasons", "components")]
    if len(results) == 1:
        table = Table("", "", title=f"{instrument} score", show_header=False)
        for k in keys:
            table.add_row(k.replace("_", " "), cell(results[0][k]))
        for name, value in results[0].get("components", {}).items():
            table.add_row(f"  {name.replace('_', ' ')}", "-" if value is None else cell(value))
    else:
        table = Table(*keys, title=f"{instrument} scores")
        for r in results:
            table.add_row(*(cell(r[k]) for k in keys))
    out.print(table)
    for r in results:
        who = f"row {r['row']}: " if "row" in r else ""
        for reason in r.get("reasons", []):
            out.print(f"{who}not met: {reason}")
    out.print("Scores are arithmetic on the answers given; FMSim does not diagnose.")


@score_app.command("fiqr")
@friendly
def score_fiqr(
    items: Annotated[str | None, typer.Option(help="21 answers 0-10, comma-separated, in "
                                              "questionnaire order; leave one blank if missing.")]
    = None,
    file: FileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Revised Fibromyalgia Impact Questionnaire (Bennett 2009): total 0-100 and domains."""
    if items is None and file is None:
        raise FMSimError("give --items with 21 comma-separated answers, or --file")
    _score("fiqr", {"items": items}, file, as_json)


@score_app.command("fiq")
@friendly
def score_fiq(
    function: Annotated[str | None, typer.Option(help="10 or 11 physical-function answers "
                                                 "0-3, comma-separated.")] = None,
    felt_good: Annotated[int | None, typer.Option(help="Days felt good in the past week.")] = None,
    missed_work: Annotated[int | None, typer.Option(help="Days of work missed in the past week "
                                                    "(omit if not working).")] = None,
    job_difficulty: Annotated[float | None, typer.Option(help="0-10")] = None,
    pain: Annotated[float | None, typer.Option(help="0-10")] = None,
    fatigue: Annotated[float | None, typer.Option(help="0-10")] = None,
    morning_tiredness: Annotated[float | None, typer.Option(help="0-10")] = None,
    stiffness: Annotated[float | None, typer.Option(help="0-10")] = None,
    anxiety: Annotated[float | None, typer.Option(help="0-10")] = None,
    depression: Annotated[float | None, typer.Option(help="0-10")] = None,
    file: FileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Original Fibromyalgia Impact Questionnaire: total 0-100 and its ten components."""
    answers = {"function": function, "felt_good": felt_good, "missed_work": missed_work,
               "job_difficulty": job_difficulty, "pain": pain, "fatigue": fatigue,
               "morning_tiredness": morning_tiredness, "stiffness": stiffness,
               "anxiety": anxiety, "depression": depression}
    if function is None and file is None:
        raise FMSimError("give --function (and the other answers), or --file")
    _score("fiq", answers, file, as_json)


def _acr_command(instrument: str, doc: str, uses_somatic: bool, window: bool, exclusion: bool):
    """Build the command for one of the 2010-style criteria (they share most answers)."""

    def command(
        areas: AreasOption = None,
        fatigue: Severity = None,
        unrefreshed: Severity = None,
        cognitive: Severity = None,
        headache: Annotated[bool, typer.Option(help="Headaches (yes if given).")] = False,
        abdominal: Annotated[bool, typer.Option(help="Lower-abdominal pain or cramps.")] = False,
        depression: Annotated[bool, typer.Option(help="Depression.")] = False,
        somatic: Annotated[int | None, typer.Option(help="ACR 2010 only: physician-rated "
                                                    "somatic symptoms 0-3.")] = None,
        months: Months = None,
        symptom_window: Annotated[str, typer.Option(help="ACR 2016 only: window of the yes/no "
                                                    "symptoms: '6 months' or 'past week'.")]
        = "6 months",
        explained_by_other: Annotated[bool, typer.Option(help="2010/2011 only: another disorder "
                                                         "explains the pain.")] = False,
        file: FileOption = None,
        as_json: JsonOption = False,
    ) -> None:
        answers = {"areas": areas, "fatigue": fatigue, "unrefreshed": unrefreshed,
                   "cognitive": cognitive, "months": months}
        if uses_somatic:
            answers["somatic"] = somatic
        else:
            answers |= {"headache": headache, "abdominal": abdominal, "depression": depression}
            if somatic is not None:
                raise FMSimError(f"--somatic belongs to acr2010; {instrument} counts headache, "
                                 f"abdominal and depression instead")
        if window:
            answers["symptom_window"] = None if symptom_window == "6 months" else symptom_window
        if exclusion:
            answers["explained_by_other"] = explained_by_other
        elif explained_by_other:
            raise FMSimError("ACR 2016 is valid irrespective of other diagnoses: "
                             "--explained-by-other does not apply")
        _score(instrument, answers, file, as_json)

    command.__doc__ = doc
    return friendly(command)


score_app.command("acr2016")(_acr_command(
    "acr2016", "ACR 2016 revised criteria (Wolfe 2016): WPI, SSS, regions, PSD, positive.",
    uses_somatic=False, window=True, exclusion=False))
score_app.command("acr2011")(_acr_command(
    "acr2011", "ACR 2011 self-report modification (Wolfe 2011): WPI, SS, FS, positive.",
    uses_somatic=False, window=False, exclusion=True))
score_app.command("acr2010")(_acr_command(
    "acr2010", "ACR 2010 preliminary criteria (Wolfe 2010), physician-rated somatic item.",
    uses_somatic=True, window=False, exclusion=True))


@score_app.command("acr1990")
@friendly
def score_acr1990(
    tender_points: Annotated[int | None, typer.Option(help="Painful tender points (0-18).")]
    = None,
    widespread: Annotated[bool, typer.Option(help="Widespread pain for 3 months or more.")]
    = False,
    areas: AreasOption = None,
    months: Annotated[float, typer.Option(help="How long the widespread pain has lasted.")] = 3,
    file: FileOption = None,
    as_json: JsonOption = False,
) -> None:
    """ACR 1990 classification criteria: widespread pain and at least 11 of 18 tender points."""
    if tender_points is None and file is None:
        raise FMSimError("give --tender-points (0-18) and --widespread or --areas, or --file")
    answers = {"tender_points": tender_points, "months": None if file else months,
               "areas": areas, "widespread": None if areas else widespread}
    _score("acr1990", answers, file, as_json)


def main() -> None:
    """Entry point of the ``fmsim`` console script."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
