"""The digital twin's wall time: a fit of a simulated 90-day diary and a what-if from it, with
the engine's own time for the same person-days as the reference (run in the same process).

    python benchmarks/twin.py [--days 90] [--particles 450] [--steps 80]

Issue 21's targets: a 90-day diary fitted in at most 60 s, a what-if in at most 5 s, on the
project's 2-core machine. Prints a Markdown table and writes benchmarks/results/twin.json. Wall
time is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np
from common import write

from fmsim import load_scenario, person, resolve_model, simulate
from fmsim.twin import simulate_diary
from fmsim.twin.fit import TwinSpec, fit_twin
from fmsim.twin.likelihood import HISTORY_DAYS, DiaryLikelihood
from fmsim.twin.whatif import run_whatif


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--particles", type=int, default=TwinSpec.particles)
    parser.add_argument("--steps", type=int, default=TwinSpec.steps)
    parser.add_argument("--weeks", type=int, default=12)
    args = parser.parse_args(argv)
    spec = TwinSpec(particles=args.particles, steps=args.steps, burn=args.steps // 2,
                    thin=max(1, args.steps // 20))
    diary = simulate_diary(load_scenario("fm-diary", "fm-v2"), args.days, seed=1).diary
    start = time.perf_counter()
    fit = fit_twin(diary, spec)
    t_fit = time.perf_counter() - start
    start = time.perf_counter()
    run_whatif(fit, ["duloxetine:60", "aerobic:3", "pregabalin:450"], weeks=args.weeks)
    t_whatif = time.perf_counter() - start
    # the reference: the sampler's person-days (walkers x particles over the diary, and each
    # candidate's past: history particles over its first days, settled particles over its last
    # ones; each step; not the walkers' start) in one stochastic engine call of the same total
    # size, on one thread (the fit's filter runs on two)
    lik = DiaryLikelihood(diary, spec.fitted, "fm-v2", spec.particles)
    past = ((HISTORY_DAYS - lik.settle_days) * lik.history_particles
            + lik.settle_days * lik.settled_particles)
    person_days = args.steps * spec.walkers * (spec.particles * args.days + past)
    n = spec.walkers * spec.particles
    params = {k: np.full(n, v) for k, v in person("vulnerable").items()}
    simulate(resolve_model("fm-v2"), 2, params, stochastic=True, seed=0, record=())  # compile
    days = max(1, int(person_days / n))
    start = time.perf_counter()
    simulate(resolve_model("fm-v2"), days, params, stochastic=True, seed=0, record=())
    t_engine = time.perf_counter() - start

    print("| step | wall (s) |\n|---|---|")
    print(f"| fit: {args.days}-day diary, {spec.walkers} walkers x {spec.particles} particles, "
          f"{args.steps} steps | {t_fit:.1f} |")
    print(f"| what-if: 3 plans, {args.weeks} weeks | {t_whatif:.2f} |")
    print(f"| reference: the sampler's person-days in one engine call, one thread | "
          f"{t_engine:.1f} |")
    print(f"\nThe fit takes {t_fit / t_engine:.2f}x the engine time of its person-days. "
          f"{platform.processor() or platform.machine()}")
    write("twin", {"days": args.days, "particles": spec.particles, "walkers": spec.walkers,
                   "steps": args.steps, "fit_s": t_fit, "whatif_s": t_whatif,
                   "engine_s": t_engine, "fit_over_engine": t_fit / t_engine})


if __name__ == "__main__":
    main()
