"""The Typer applications: ``fmsim`` and its command groups ``model``, ``score``,
``analyze`` and ``twin``."""

from __future__ import annotations

import typer

__all__ = ["analyze_app", "app", "model_app", "score_app", "twin_app"]

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
analyze_app = typer.Typer(no_args_is_help=True, rich_markup_mode="markdown",
                          help="Analyse the model: steady states, tipping and recovery points.")
app.add_typer(analyze_app, name="analyze")
twin_app = typer.Typer(no_args_is_help=True, rich_markup_mode="markdown",
                       help="The digital twin of one person's daily diary: check a diary, "
                       "simulate one whose truth is known, fit it, ask what-ifs, explain it.")
app.add_typer(twin_app, name="twin")
