"""Regenerate the README's generated blocks from what the commands and the API print today.

    python scripts/readme.py            # check: print the differences, exit 1 if any
    python scripts/readme.py --write    # rewrite the blocks in README.md

A generated block sits between ``<!-- begin generated: NAME -->`` and
``<!-- end generated -->``. NAME is a block of :data:`BLOCKS`, or ``python`` for the output of
the ```python example just above it (the script runs the example and writes what it prints).
A test (``tests/test_readme.py``) runs the check, so the README cannot drift from the commands.
About four minutes, most of it ``fmsim validate``.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import re
import sys
import tempfile
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN = re.compile(r"<!-- begin generated: (?P<name>[\w-]+) -->\n(?P<body>.*?)"
                   r"<!-- end generated -->", re.S)
EXAMPLE = re.compile(r"```python\n(?P<code>.*?)```\n+$", re.S)


def text_table(rows: Sequence[Sequence[str]], title: str) -> str:
    """Rows of text (header first) as an aligned plain-text table under its title."""
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["   ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    return f"{title}\n" + "\n".join(lines)


def fenced(text: str, kind: str = "text") -> str:
    return f"```{kind}\n{text.rstrip()}\n```\n"


def run_cli(*args: str) -> str:
    """What ``fmsim ARGS`` prints (stdout and stderr)."""
    from typer.testing import CliRunner

    from fmsim.cli import app

    return CliRunner().invoke(app, list(args)).output


def cli(*args: str) -> str:
    """What ``fmsim ARGS`` prints, whitespace folded to single spaces."""
    return " ".join(run_cli(*args).split())


def demo() -> str:
    """The three tables `fmsim demo` prints."""
    from fmsim import run_demo

    result = run_demo(seed=0)
    header, *rows = result.rows()
    return fenced("\n\n".join([
        text_table([("", *header[1:]), *rows], "One injury, two people (pain 0-10)"),
        text_table(result.treatment_rows(), "Then treated for 12 weeks (pain 0-10)"),
        text_table(result.trial.rows(), "A 12-week virtual trial"),
    ]))


def scenario_error() -> str:
    """The error `fmsim simulate` gives for a scenario file with an unknown trigger kind."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bad.toml"
        path.write_text('person = "healthy"\n[[triggers]]\nkind = "meteor"\nstart_day = 1\n')
        return fenced(cli("simulate", "--scenario", str(path)))


E13 = "5,5,5,5,5,5,5,5,5,6,8,7,7,7,7,7,7,7,7,7,7"


def score() -> str:
    """`fmsim score fiqr` on calibration.md's case E1.3, and on a bad answer."""
    bad = "11" + E13[1:]
    return fenced(f"$ fmsim score fiqr --items \"{E13}\" --json\n"
                  f"{cli('score', 'fiqr', '--items', E13, '--json')}\n"
                  f"$ fmsim score fiqr --items \"{bad}\"\n{cli('score', 'fiqr', '--items', bad)}",
                  "console")


def export() -> str:
    """The pain values the libRoadRunner example prints, from `fmsim simulate`."""
    from fmsim import Treatment, load_scenario, run_scenario

    spec = load_scenario("vulnerable-injury").with_additions(
        (Treatment.create("duloxetine:60", 400),))
    pain = run_scenario(spec, 730).score("pain")
    return (f"This prints pain {pain[0]:.2f}, {pain[100]:.2f} and {pain[729]:.2f} on days 0, "
            "100 and 729, as `fmsim simulate` does with the same options.\n")


def validation() -> str:
    """`fmsim validate --executor processes` at seed 0: how many targets pass, and every
    prediction (the targets the calibration did not use)."""
    from fmsim import ValidationSpec, run_validation

    result = run_validation(ValidationSpec(), executor="processes")
    fitted = [t for t in result.targets if t.fitted]
    predicted = [t for t in result.targets if not t.fitted]
    passed = sum(t.passes for t in result.targets)
    header, *rows = result.rows()
    table = ["| " + " | ".join(header[:5] + header[6:]) + " |",
             "|" + "---|" * (len(header) - 1)]
    table += ["| " + " | ".join(r[:5] + r[6:]) + " |" for r, t in
              zip(rows, result.targets, strict=True) if not t.fitted]
    return (f"With seed 0, **{passed} of {len(result.targets)}** targets pass "
            f"({result.pass_fraction:.1%}): {sum(t.passes for t in fitted)} of the "
            f"{len(fitted)} fitted targets and {sum(t.passes for t in predicted)} of the "
            f"{len(predicted)} predictions. The predictions:\n\n" + "\n".join(table) + "\n")


def bifurcation() -> str:
    """What `fmsim analyze bifurcation` prints for the vulnerable woman over genetic."""
    from fmsim import BifurcationSpec, run_bifurcation

    result = run_bifurcation(BifurcationSpec("vulnerable", "genetic"))
    return fenced(text_table(result.rows(), "Folds over genetic") + "\n"
                  + textwrap.fill(result.summary(), 100))


def loops() -> str:
    """The loop gains `fmsim analyze loops` gives on day 50 of vulnerable-injury."""
    from fmsim import LoopsSpec, run_loops

    result = run_loops(LoopsSpec("vulnerable-injury", 50))
    return fenced(text_table(result.rows(), result.title))


def attribution() -> str:
    """Each loop knocked out in turn on the last day of vulnerable-injury."""
    from fmsim import LoopsSpec, run_loops

    result = run_loops(LoopsSpec("vulnerable-injury", attribute=True))
    return fenced(text_table(result.attribution_rows(), result.attribution_title))


def diary() -> str:
    """The head of the README's simulated diary and what `fmsim twin check` says of it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "diary.csv"
        run_cli("twin", "simulate-diary", "--scenario", "fm-diary-duloxetine", "--days", "120",
                "--missing", "0.2", "--seed", "3", "--out", str(path))
        head = "\n".join(path.read_text().splitlines()[:4])
        checked = run_cli("twin", "check", str(path)).rstrip()
    return fenced(f"$ head -4 diary.csv\n{head}\n...\n$ fmsim twin check diary.csv\n{checked}",
                  "console")


def python_output(code: str) -> str:
    """What a README Python example prints."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, "README example", "exec"), {"__name__": "readme_example"})
    return fenced(buffer.getvalue())


BLOCKS: dict[str, Callable[[], str]] = {
    "demo": demo, "scenario-error": scenario_error, "score": score, "export": export,
    "validation": validation, "bifurcation": bifurcation, "loops": loops,
    "attribution": attribution, "diary": diary,
}


def render(text: str, only: set[str] | None = None) -> str:
    """The README with every generated block (or those named in ``only``) made anew."""
    out, last = [], 0
    for match in BEGIN.finditer(text):
        name = match["name"]
        before = text[last:match.start()]
        out.append(before)
        if only is not None and name not in only:
            out.append(match.group(0))
        else:
            if name == "python":
                example = EXAMPLE.search(before)
                if example is None:
                    raise SystemExit("a generated python block must follow a ```python block")
                body = python_output(example["code"])
            elif name in BLOCKS:
                body = BLOCKS[name]()
            else:
                raise SystemExit(f"unknown generated block {name!r}; known: python, "
                                 f"{', '.join(BLOCKS)}")
            print(f"made {name}", file=sys.stderr, flush=True)
            out.append(f"<!-- begin generated: {name} -->\n{body}<!-- end generated -->")
        last = match.end()
    return "".join(out) + text[last:]


def differences(only: set[str] | None = None) -> str:
    """A unified diff between the README and its regenerated blocks (empty when equal)."""
    text = README.read_text("utf-8")
    return "".join(difflib.unified_diff(text.splitlines(True), render(text, only).splitlines(True),
                                        "README.md", "README.md (what the commands print)"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite README.md")
    parser.add_argument("--only", nargs="+", help="only these blocks")
    args = parser.parse_args()
    only = set(args.only) if args.only else None
    if args.write:
        README.write_text(render(README.read_text("utf-8"), only), encoding="utf-8")
        return
    diff = differences(only)
    sys.stdout.write(diff)
    sys.exit(1 if diff else 0)


if __name__ == "__main__":
    main()
