"""A Sobol analysis of the model: every parameter that varies between people, one output.

    python benchmarks/sensitivity.py [--n 1024] [--output chronic_pain] [--executor processes]
        [--reference-rows 32]

Issue 19's target is Sobol indices with N = 1024 over every varying parameter in minutes on the
project's 2-core machine. The reference, in the same process, evaluates the same output one
sample row at a time (as a model called once per SALib row would be) on the first
``--reference-rows`` rows; the table gives the batched run's speed-up over it, per row. Prints
a Markdown table and writes benchmarks/results/sensitivity.json. Wall time is measured here,
never asserted in tests.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np
from common import write
from SALib.sample import sobol

from fmsim import person
from fmsim.analysis import SensitivitySpec, run_sensitivity
from fmsim.analysis.outputs import evaluate_output
from fmsim.analysis.sensitivity import model_problem


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1024)
    parser.add_argument("--output", default="chronic_pain")
    parser.add_argument("--executor", default="processes")
    parser.add_argument("--reference-rows", type=int, default=32)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    result = run_sensitivity(SensitivitySpec(args.output, "sobol", args.n),
                             executor=args.executor)
    t_batched = time.perf_counter() - start

    problem = model_problem()
    rows = problem.values(sobol.sample(problem.salib(), 2, calc_second_order=False,
                                       seed=1)[: args.reference_rows])
    base = person("vulnerable")
    start = time.perf_counter()
    for i in range(len(next(iter(rows.values())))):
        evaluate_output(args.output, {**base, **{k: v[i:i + 1] for k, v in rows.items()}})
    t_row = (time.perf_counter() - start) / len(next(iter(rows.values())))
    per_row = t_batched / result.n_runs

    top = result.parameters[:5]
    print(f"| Sobol, N = {args.n}, {len(problem.names)} parameters | wall (s) | runs | "
          "ms per run | speed-up |\n|---|---|---|---|---|")
    print(f"| batched ({args.executor}) | {t_batched:.1f} | {result.n_runs} | "
          f"{1000 * per_row:.2f} | {t_row / per_row:.0f}x |")
    print(f"| one row at a time (reference, {args.reference_rows} rows) | "
          f"{t_row * result.n_runs:.0f} (projected) | {result.n_runs} | {1000 * t_row:.1f} "
          "| 1x |")
    print("\nlargest total indices: " + ", ".join(
        f"{p.name} {p.indices['ST']:.2f} [{p.intervals['ST'][0]:.2f}, "
        f"{p.intervals['ST'][1]:.2f}]" for p in top))
    print(f"\n{platform.processor() or platform.machine()}, output {args.output}")
    write("sensitivity", {
        "n": args.n, "output": args.output, "executor": args.executor,
        "parameters": len(problem.names), "runs": result.n_runs, "batched_s": t_batched,
        "reference_s_per_run": t_row, "speedup": t_row / per_row,
        "top": [{"name": p.name, **p.indices} for p in top],
        "mean_ST_interval_width": float(np.mean([np.diff(p.intervals["ST"])[0]
                                                 for p in result.parameters]))})


if __name__ == "__main__":
    main()
