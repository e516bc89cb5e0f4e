"""``fmsim twin ...``: the digital twin's commands (issue 21): ``check`` reads a diary,
``simulate-diary`` writes the diary of a virtual person whose truth is known, ``fit`` fits the
model to a diary, ``whatif`` carries a fit forward under plans, ``explain`` says what holds the
person's symptoms up."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from .. import studies, twin
from ..errors import FMSimError
from ..reports import write_verdict, write_whatif
from ..reports.output import OutputFile
from ..reports.studies import WHATIF_FILES
from ..twin.diary import DEFAULT_START, MIN_DAYS, DiaryError, DiaryProblem, iso_date
from ..twin.spec import TWIN_MODEL, TwinSpec
from .app import twin_app
from .common import (
    JsonOption,
    ModelOption,
    SeedOption,
    check_suffix,
    friendly,
    out,
    out_option,
    print_json,
    print_table,
    progress_bar,
    wrote,
)

__all__ = ["check", "explain", "fit", "simulate_diary_command", "whatif"]

NOTICE = ("Research and education software, not a medical device: no diagnosis, no dosing "
          "advice.")

FitArgument = Annotated[Path, typer.Argument(metavar="FIT", help="A fit written by fmsim twin "
                                             "fit (.nc).")]


def _not_enough(verdict, what: str) -> None:
    """Say that the diary does not yet constrain the person, why and what would help."""
    out.print(f"Not enough data yet for {what}: " + "; ".join(verdict.reasons) + ". What "
              "would help: " + "; ".join(verdict.advice) + ".", highlight=False, soft_wrap=True)


@twin_app.command()
@friendly
def check(
    diary: Annotated[Path, typer.Argument(help="The diary: a .csv or .json file, one row per "
                                          "day (columns in the README).")],
    json_out: JsonOption = False,
) -> None:
    """Read a diary and say what it holds, or list every bad cell by row and column (exit 2,
    nothing kept; with --json also as a ``problems`` list on stdout)."""
    try:
        summary = twin.read_diary(diary).summary()
    except (FMSimError, OSError) as exc:
        if json_out:  # a file that cannot be read at all: one problem, of the whole diary
            problems = (exc.problems if isinstance(exc, DiaryError)
                        else [DiaryProblem(0, "", "", str(exc))])
            print_json({"problems": [asdict(p) for p in problems]})
        raise
    if json_out:
        print_json(summary)
        return
    out.print(f"{diary.name}: {summary['first']} to {summary['last']}, {summary['logged']} of "
              f"{summary['days']} days logged", highlight=False)
    for name, c in summary["columns"].items():
        out.print(f"  {name}: {c['days']} days, mean {c['mean']}", highlight=False)
    for m in summary["medications"]:
        out.print(f"  {m['spec']}: {m['first']} to {m['last']}", highlight=False)
    if summary["exercise_sessions"]:
        out.print(f"  exercise sessions: {summary['exercise_sessions']}", highlight=False)
    for e in summary["events"]:
        out.print(f"  {e['event']} on {e['date']}", highlight=False)
    out.print(NOTICE, style="dim", soft_wrap=True)


def _start(value: str | None) -> date:
    if value is None:
        return DEFAULT_START
    try:
        return iso_date(value)
    except ValueError:
        raise FMSimError(f"--start {value!r} is not a date YYYY-MM-DD") from None


@twin_app.command("simulate-diary")
@friendly
def simulate_diary_command(
    scenario: Annotated[str, typer.Option(help="Built-in scenario (fm-diary, "
                                          "fm-diary-duloxetine, ...) or a scenario .toml file; "
                                          "the diary is its last --days days.")],
    days: Annotated[int, typer.Option(help=f"Days of diary, {MIN_DAYS} up to the scenario's "
                                      "length.")],
    out_file: Annotated[str, out_option("Write the diary here (.csv or .json).",
                                        folder=False)],
    seed: SeedOption = 0,
    truth: Annotated[str | None, out_option(
        "Also write the truth here (JSON): the person's parameters and daily states.",
        folder=False, name="--truth")] = None,
    missing: Annotated[float, typer.Option(min=0.0, max=0.9, help="Share of days without a "
                                           "row (0-0.9).")] = 0.0,
    start: Annotated[str | None, typer.Option(
        help=f"Date of the diary's first day, YYYY-MM-DD (default {DEFAULT_START}).")] = None,
    model: ModelOption = None,
) -> None:
    """Write the diary of a virtual person through a scenario, as the measurement model
    answers it (simulated: not a patient), with the truth beside it if asked."""
    check_suffix(out_file, "--out", "a diary", (".csv", ".json"))
    check_suffix(truth, "--truth", "the truth", (".json",))
    if truth is not None and Path(truth).resolve() == Path(out_file).resolve():
        raise FMSimError(f"--out and --truth are the same file ({out_file!r}); give two")
    from ..twin.simulate import write_simulated

    when = _start(start)
    chosen = model or TWIN_MODEL
    result = twin.simulate_diary(studies.load_scenario(scenario, chosen), days, seed, missing,
                                 when, chosen)
    with ExitStack() as stack:  # both files, or neither
        write_simulated(result, stack.enter_context(OutputFile(out_file)),
                        None if truth is None else stack.enter_context(OutputFile(truth,
                                                                                  "--truth")))
    wrote([Path(out_file), *([] if truth is None else [Path(truth)])])


@twin_app.command()
@friendly
def fit(
    diary: Annotated[Path, typer.Argument(help="The diary: a .csv or .json file.")],
    out_file: Annotated[str, out_option("Write the fit here (.nc, NetCDF: ArviZ "
                                        "InferenceData).", folder=False)],
    steps: Annotated[int, typer.Option(min=2, max=100_000, help="Sampler steps (the first "
                                       "half are burn-in).")] = TwinSpec.steps,
    particles: Annotated[int, typer.Option(min=10, max=100_000, help="Particles per "
                                           "candidate in the likelihood.")] = TwinSpec.particles,
    seed: SeedOption = 0,
    json_out: JsonOption = False,
) -> None:
    """Fit model v2 to a diary: the posterior of the person's identifiable parameters (within
    the population's priors) and of their state at the diary's end. docs/twin.md says what is
    fitted and how far the fit has been checked against people whose truth is known."""
    check_suffix(out_file, "--out", "a fit (NetCDF)", (".nc",))
    read = twin.read_diary(diary)
    spec = TwinSpec(particles=particles, steps=steps, burn=steps // 2,
                    thin=max(1, steps // 20), seed=seed)
    with progress_bar("fitting", "steps", enabled=not json_out) as progress:
        result = twin.fit_twin(read, spec, progress)
    with OutputFile(out_file) as partial:
        result.save(partial)
    wrote([Path(out_file)])
    if json_out:
        print_json(result.to_dict())
        return
    print_table(result.rows(), title=f"{diary.name}: posterior against the population prior")
    for warning in result.warnings():
        out.print(f"Warning: {warning}.", style="yellow", highlight=False)
    verdict = result.verdict()
    if not verdict.enough:
        _not_enough(verdict, "what-ifs")
    out.print(NOTICE, style="dim", soft_wrap=True)


@twin_app.command()
@friendly
def whatif(
    fit_file: FitArgument,
    plan: Annotated[list[str], typer.Option(help="A plan: catalog SPEC[@DAY], DAY days after "
                                            "the diary (default 0), e.g. duloxetine:60 or "
                                            "aerobic:3@14; repeatable.")],
    weeks: Annotated[int, typer.Option(min=1, max=104, help="Weeks to look ahead.")] = 12,
    anyway: Annotated[bool, typer.Option("--anyway", help="Answer even when the diary does "
                                         "not yet constrain the person (see docs/twin.md).")]
    = False,
    seed: SeedOption = 0,
    json_out: JsonOption = False,
    out_dir: Annotated[str | None, out_option("Write result.json and whatif.png (weekly pain "
                                              "per plan) to this folder; result.json alone "
                                              "(the verdict) when there is not enough data.",
                                              files=WHATIF_FILES)] = None,
) -> None:
    """Each plan against carrying on as now, for the fitted person: weekly pain, fatigue,
    sleep and FIQR (posterior predictive medians, 50% and 90% intervals), the probability of
    at least 30% and 50% less pain, and the mechanisms each plan acts through."""
    from ..twin.whatif import check_beside, check_plans

    plans = check_plans(plan, weeks)  # bad plans are refused whatever the verdict
    fitted = twin.load_fit(fit_file)
    check_beside(fitted, plans)
    verdict = fitted.verdict()
    if not verdict.enough and not anyway:
        payload = {**verdict.to_dict(), "notice": NOTICE}
        if out_dir is not None:
            wrote(write_verdict(payload, out_dir))
        if json_out:
            print_json(payload)
            return
        _not_enough(verdict, "a what-if (--anyway answers regardless)")
        return
    result = twin.run_whatif(fitted, plans, weeks, seed)
    if out_dir is not None:
        wrote(write_whatif(result, out_dir))
    if json_out:
        print_json(result.to_dict())
        return
    print_table(result.rows(), title=f"{weeks} weeks after the diary ({result.draws} posterior "
                "draws)")
    for name, couplings in result.mechanisms.items():
        out.print(f"{name} acts through: " + ("; ".join(couplings) or "no model coupling"),
                  highlight=False)
    for note in result.notes:
        out.print(note, highlight=False)
    out.print(NOTICE, style="dim", soft_wrap=True)


@twin_app.command()
@friendly
def explain(
    fit_file: FitArgument,
    seed: SeedOption = 0,
    json_out: JsonOption = False,
) -> None:
    """What holds the fitted person's symptoms up (priming, loop gains), how likely they are to
    recover unaided within a year, what went with their pain in the diary, and what the diary
    cannot tell apart; prefaced by "Not enough data yet" when the diary does not constrain the
    person (the rule of docs/twin.md)."""
    fitted = twin.load_fit(fit_file)
    verdict = fitted.verdict()
    result = twin.explain_twin(fitted, seed=seed)
    if json_out:
        print_json({**result.to_dict(), **verdict.to_dict()})
        return
    if not verdict.enough:  # explained all the same, but said to rest mostly on the prior
        _not_enough(verdict, "this person")
        out.print("What follows rests mostly on the population's prior.", highlight=False)
    for line in result.lines():
        out.print(line, highlight=False, soft_wrap=True)
    out.print(NOTICE, style="dim", soft_wrap=True)
