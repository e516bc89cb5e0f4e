"""What every command shares: clear errors, progress bars, common options and output.

Nothing below the command line prints: library code returns results and reports progress
through a callback that :func:`progress_bar` turns into a Rich progress bar on stderr.
"""

from __future__ import annotations

import functools
import json
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..engine import check_executor
from ..errors import FMSimError
from ..model.models import DEFAULT_MODEL, MODELS
from ..reports.output import OutputFile, check_file, check_room

__all__ = ["ExecutorOption", "JsonOption", "ModelOption", "SeedOption", "check_suffix", "err",
           "friendly", "out", "out_option", "path_option", "print_json", "print_table",
           "progress_bar", "write_text", "wrote"]

out = Console(markup=False, emoji=False)
err = Console(stderr=True, markup=False, emoji=False)
"""The commands' consoles. What they print holds the user's own values (paths, SPECs, diary
cells), so neither reads Rich markup (``[/x]`` in a path) or emoji codes (``:ok:`` in a SPEC):
styles are given as :class:`rich.text.Text` instead."""


def _error(message: str) -> None:
    err.print(Text.assemble(("error:", "bold red"), " ", message), highlight=False)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn FMSim and file-system errors into one clear message and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FMSimError as exc:
            _error(str(exc))
        except OSError as exc:
            _error(f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
        except MemoryError:
            _error("out of memory; ask for fewer people or days")
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


def _executor(value: str | None) -> str | None:
    try:
        return check_executor(value)
    except FMSimError as exc:
        raise typer.BadParameter(str(exc)) from None


def _model(value: str | None) -> str | None:
    if value is not None and value not in MODELS:
        raise typer.BadParameter(f"{value!r} is not a shipped model; choose one of "
                                 f"{', '.join(MODELS)}")
    return value


def _path(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise typer.BadParameter("is empty; name a folder or file (an empty path would mean "
                                 "the current folder)")
    return value


def path_option(name: str, help: str) -> Any:
    """An option naming a file or folder: a path as text (so that an empty one can be told
    from ``.``), refused when empty."""
    return typer.Option(name, help=help, callback=_path, metavar="PATH")


def unwritable(path: str | Path, folder: bool) -> str | None:
    """Why ``path`` cannot be written as a folder (``folder``) or as a file, or None: checked
    before a command computes anything, so that a run is not lost to its output (nothing is
    left behind)."""
    path = Path(path)
    if path.is_dir() != folder and path.exists():
        return "is a file, not a folder" if folder else "is a folder; give a file name"
    base = path if path.is_dir() else path.parent
    while not base.exists() and base != base.parent:  # the nearest part that exists
        base = base.parent
    if not base.is_dir():
        return f"cannot be made: {str(base)!r} is a file, not a folder"
    try:  # a file made and removed at once: permissions alone do not tell (/proc, as root)
        with tempfile.TemporaryFile(dir=base):
            pass
    except OSError as exc:
        return f"cannot be written in {str(base)!r}: {exc.strerror or exc}"
    return None


def check_suffix(path: str | None, option: str, what: str, suffixes: Sequence[str]) -> None:
    """Refuse a file ``path`` (``option``; None: not given) whose suffix is none of
    ``suffixes``, saying how ``what`` is written.

    Raises
    ------
    FMSimError
        Naming the path and the suffixes allowed.
    """
    if path is not None and Path(path).suffix.lower() not in suffixes:
        raise FMSimError(f"{option} {path!r}: {what} is written as {' or '.join(suffixes)}")


def out_option(help: str, folder: bool = True, name: str = "--out",
               files: Sequence[str] = ()) -> Any:
    """An option naming where a command writes a ``folder`` (or a file): refused when empty
    (:func:`path_option`), when it cannot be written (:func:`unwritable`) or when something
    already there is in the way of the run's ``files`` (:func:`~fmsim.reports.output.check_room`:
    a file of the user's own with one of their names) or of the file itself
    (:func:`~fmsim.reports.output.check_file`), before the command runs."""
    def check(value: str | None) -> str | None:
        why = None if _path(value) is None else unwritable(value, folder)
        if why:
            raise typer.BadParameter(f"{value!r} {why}")
        try:
            if value is not None and files:
                check_room(value, files)
            if value is not None and not folder:
                check_file(value, name)
        except FMSimError as exc:
            raise typer.BadParameter(str(exc)) from None
        except OSError as exc:  # a folder in it that cannot be searched
            raise typer.BadParameter(f"{value!r} cannot be read: {exc.strerror or exc}") from None
        return value
    return typer.Option(name, help=help, callback=check, metavar="DIR" if folder else "FILE")


SeedOption = Annotated[int, typer.Option(min=0, max=2**63 - 1, help="Seed of the random numbers "
                                         "(reproducible runs; 0 or more).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
ExecutorOption = Annotated[str | None, typer.Option(
    callback=_executor, metavar="[serial|processes|tcp://HOST:PORT]",
    help="Where population chunks run: serial (default), processes (local cores) or "
    "tcp://HOST:PORT (a Dask scheduler).")]


ModelOption = Annotated[str | None, typer.Option(
    "--model", callback=_model, metavar="[" + "|".join(MODELS) + "]",
    help=f"Model to run (default {DEFAULT_MODEL}; fm-v2: graded, fluctuating FM; fm-v1: the "
    "phase-1 model, one saturated switch, for reproducing earlier results; docs/calibration.md)."
)]


def print_json(payload: object) -> None:
    """One JSON object on stdout."""
    typer.echo(json.dumps(payload))


def print_table(rows: Sequence[Sequence[str]], title: str = "", **options: Any) -> None:
    """Table rows of text (header first) as a Rich table on stdout."""
    header, *body = rows
    table = Table(*header, title=title or None, **options)
    for row in body:
        table.add_row(*(str(c) for c in row))
    out.print(table)


def wrote(paths: Sequence[Path]) -> None:
    """Say on stderr which files a run wrote."""
    err.print("wrote " + ", ".join(str(p) for p in paths), highlight=False)


def write_text(text: str, out_file: str | Path | None, what: str = "") -> None:
    """Text to stdout, or to ``out_file`` (folders created; written whole or not at all,
    :class:`fmsim.reports.output.OutputFile`) with a note on stderr."""
    if out_file is None:
        sys.stdout.write(text)
        return
    with OutputFile(out_file) as partial:
        partial.write_text(text, encoding="utf-8")
    err.print(f"wrote {out_file}" + (f" ({what})" if what else ""), highlight=False)
