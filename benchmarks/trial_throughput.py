"""Virtual-trial wall time: enrolment (screening candidates) and the trial itself.

    python benchmarks/trial_throughput.py [--n 1000] [--weeks 12] [--executor processes]

Issue 5's target is a 2-arm trial of 1,000 patients per arm over 12 weeks in under a minute on
the project's 2-core machine. Prints a Markdown table and writes
benchmarks/results/trial_throughput.json. Wall time is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import platform
import time

from common import write

from fmsim import TrialSpec, fm_clinic_cohort, run_trial


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="patients per arm")
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--executor", default=None)
    args = parser.parse_args(argv)
    design = TrialSpec(("placebo", "duloxetine:60"), weeks=args.weeks, n_per_arm=args.n)

    start = time.perf_counter()
    cohort, screened = fm_clinic_cohort(2 * args.n, seed=design.seed, executor=args.executor)
    t_cohort = time.perf_counter() - start
    start = time.perf_counter()
    run_trial(design, cohort=cohort)
    t_trial = time.perf_counter() - start
    t_total = t_cohort + t_trial

    print("| step | wall (s) |\n|---|---|")
    print(f"| enrolment: screening {screened} candidates for {2 * args.n} patients | "
          f"{t_cohort:.1f} |")
    print(f"| the trial: 2 x {args.n} patients, {args.weeks} weeks, diary, FIQR, events | "
          f"{t_trial:.1f} |")
    print(f"| **total** | **{t_total:.1f}** |")
    print(f"\n{platform.processor() or platform.machine()}, executor {args.executor or 'serial'}")
    write("trial_throughput", {
        "patients_per_arm": args.n, "weeks": args.weeks, "executor": args.executor,
        "screened": screened, "enrolment_s": t_cohort, "trial_s": t_trial, "total_s": t_total})


if __name__ == "__main__":
    main()
