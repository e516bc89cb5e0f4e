"""How long the command line takes to answer before it computes anything.

    python benchmarks/startup.py [--repeats 5]

Each line starts a fresh interpreter (best of ``--repeats``): the reference is what any Typer
command line pays (Python, Typer and Rich); then ``fmsim --help``, a refused option, ``import
fmsim``, and, for scale, what a command that runs loads (the studies, the twin's fit and the
compiled kernel's modules). Packages load their modules when a name is first used, so the first
three stay near the reference. Prints a Markdown table and writes
benchmarks/results/startup.json. Wall time is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from common import table, timed, write

LINES = {
    "reference: Python, Typer and Rich": ["-c", "import typer, rich.console, rich.table"],
    "fmsim --help": ["-m", "fmsim.cli", "--help"],
    "a refused option (fmsim trial --n -5)": ["-m", "fmsim.cli", "trial", "--n", "-5"],
    "import fmsim": ["-c", "import fmsim"],
    "what a run loads (studies, twin fit, kernel)":
        ["-c", "import fmsim.studies.validation, fmsim.twin.fit, fmsim.engine.compiled"],
}
"""Each line's arguments to the interpreter."""


def best_of(args: list[str], repeats: int) -> float:
    """The shortest wall time of ``repeats`` fresh interpreters given ``args``."""
    return min(timed(subprocess.run, [sys.executable, *args], capture_output=True)[1]
               for _ in range(repeats))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    seconds = {label: best_of(line, args.repeats) for label, line in LINES.items()}
    reference = seconds[next(iter(LINES))]
    print(table(["what starts", "wall (s)", "x reference"],
                [[label, s, s / reference] for label, s in seconds.items()]))
    write("startup", {"repeats": args.repeats, "seconds": seconds, "reference_s": reference})


if __name__ == "__main__":
    main()
