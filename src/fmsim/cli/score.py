"""``fmsim score``: the clinical instruments for one respondent, or a file of respondents.

Each command offers exactly the answers its instrument uses, so an answer another instrument
would need is refused by the command line itself.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ..errors import FMSimError
from ..instruments.areas import WPI_AREAS
from .app import score_app
from .common import JsonOption, friendly, out, path_option, print_json

__all__ = ["score_acr1990", "score_acr2010", "score_acr2011", "score_acr2016", "score_fiq",
           "score_fiqr"]

FileOption = Annotated[str | None, path_option(
    "--file", "JSON (object or list) or CSV (one respondent per row) of answers.")]
Severity = Annotated[int | None, typer.Option(help="0-3: none, mild, moderate, severe.")]
Months = Annotated[float | None, typer.Option(help="How long symptoms have lasted, in months.")]
AreasOption = Annotated[str | None, typer.Option(
    help="Painful areas in the past week, comma-separated: " + " ".join(WPI_AREAS))]
Headache = Annotated[bool, typer.Option(help="Headaches (yes if given).")]
Abdominal = Annotated[bool, typer.Option(help="Lower-abdominal pain or cramps.")]
Depression = Annotated[bool, typer.Option(help="Depression.")]
Explained = Annotated[bool, typer.Option(help="Another disorder explains the pain.")]


class SymptomWindow(StrEnum):
    six_months = "6 months"
    past_week = "past week"


def _cell(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _score(instrument: str, answers: dict[str, Any], file: str | None, as_json: bool) -> None:
    """Score the command line's answers or the file's respondents and print the result."""
    from ..instruments.respondent import read_respondents, score_respondent, score_respondents

    if file is not None:
        file = Path(file)
        given = sorted(k for k, v in answers.items() if v not in (None, False, ""))
        if given:
            raise FMSimError(f"give the answers either on the command line or in --file, not "
                             f"both (also given: {', '.join(given)})")
        results = [{"row": i} | r for i, r in enumerate(
            score_respondents(instrument, read_respondents(file), f"{file.name} row"), start=1)]
    else:  # an option not given is no answer (no painful areas, no flag)
        results = [score_respondent(instrument,
                                    {k: v for k, v in answers.items() if v is not None})]
    if as_json:
        print_json(results if file is not None else results[0])
        return
    keys = [k for k in results[0] if k not in ("reasons", "components")]
    if len(results) == 1:
        table = Table("", "", title=f"{instrument} score", show_header=False)
        for k in keys:
            table.add_row(k.replace("_", " "), _cell(results[0][k]))
        for name, value in results[0].get("components", {}).items():
            table.add_row(f"  {name.replace('_', ' ')}", "-" if value is None else _cell(value))
    else:
        table = Table(*keys, title=f"{instrument} scores")
        for r in results:
            table.add_row(*(_cell(r[k]) for k in keys))
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


@score_app.command("acr2016")
@friendly
def score_acr2016(
    areas: AreasOption = None,
    fatigue: Severity = None,
    unrefreshed: Severity = None,
    cognitive: Severity = None,
    headache: Headache = False,
    abdominal: Abdominal = False,
    depression: Depression = False,
    months: Months = None,
    symptom_window: Annotated[SymptomWindow | None, typer.Option(
        help="Window of the yes/no symptoms (default 6 months).")] = None,
    file: FileOption = None,
    as_json: JsonOption = False,
) -> None:
    """ACR 2016 revised criteria (Wolfe 2016): WPI, SSS, regions, PSD, positive. Valid
    irrespective of other diagnoses."""
    _score("acr2016", {"areas": areas, "fatigue": fatigue, "unrefreshed": unrefreshed,
                       "cognitive": cognitive, "headache": headache, "abdominal": abdominal,
                       "depression": depression, "months": months,
                       "symptom_window": None if symptom_window is None else
                       symptom_window.value}, file, as_json)


@score_app.command("acr2011")
@friendly
def score_acr2011(
    areas: AreasOption = None,
    fatigue: Severity = None,
    unrefreshed: Severity = None,
    cognitive: Severity = None,
    headache: Headache = False,
    abdominal: Abdominal = False,
    depression: Depression = False,
    months: Months = None,
    explained_by_other: Explained = False,
    file: FileOption = None,
    as_json: JsonOption = False,
) -> None:
    """ACR 2011 self-report modification (Wolfe 2011): WPI, SS, FS, positive."""
    _score("acr2011", {"areas": areas, "fatigue": fatigue, "unrefreshed": unrefreshed,
                       "cognitive": cognitive, "headache": headache, "abdominal": abdominal,
                       "depression": depression, "months": months,
                       "explained_by_other": explained_by_other}, file, as_json)


@score_app.command("acr2010")
@friendly
def score_acr2010(
    areas: AreasOption = None,
    fatigue: Severity = None,
    unrefreshed: Severity = None,
    cognitive: Severity = None,
    somatic: Annotated[int | None, typer.Option(help="Physician-rated somatic symptoms 0-3.")]
    = None,
    months: Months = None,
    explained_by_other: Explained = False,
    file: FileOption = None,
    as_json: JsonOption = False,
) -> None:
    """ACR 2010 preliminary criteria (Wolfe 2010), physician-rated somatic item."""
    _score("acr2010", {"areas": areas, "fatigue": fatigue, "unrefreshed": unrefreshed,
                       "cognitive": cognitive, "somatic": somatic, "months": months,
                       "explained_by_other": explained_by_other}, file, as_json)


@score_app.command("acr1990")
@friendly
def score_acr1990(
    tender_points: Annotated[int | None, typer.Option(help="Painful tender points (0-18).")]
    = None,
    widespread: Annotated[bool | None, typer.Option(help="Widespread pain for 3 months or "
                                                    "more (yes or no).")] = None,
    areas: AreasOption = None,
    months: Annotated[float | None, typer.Option(help="How long the widespread pain has lasted "
                                                 "(default 3).")] = None,
    file: FileOption = None,
    as_json: JsonOption = False,
) -> None:
    """ACR 1990 classification criteria: widespread pain and at least 11 of 18 tender points.
    Give --widespread or the painful --areas (both only when they agree)."""
    if tender_points is None and file is None:
        raise FMSimError("give --tender-points (0-18) and --widespread or --areas, or --file")
    _score("acr1990", {"tender_points": tender_points, "months": months, "areas": areas,
                       "widespread": widespread}, file, as_json)
