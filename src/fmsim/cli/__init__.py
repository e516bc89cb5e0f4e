"""The ``fmsim`` command line: a thin face over :mod:`fmsim.studies` and :mod:`fmsim.reports`,
one module per command group. Progress and errors go to stderr; ``--json`` to stdout."""

from . import (  # noqa: F401 (commands)
    analyze,
    demo,
    model,
    population,
    score,
    simulate,
    trial,
    twin,
    validate,
)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``fmsim`` console script."""
    app()
