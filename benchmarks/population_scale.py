"""A million candidate patient-years, and scaling from 1 to 2 Dask workers.

    python benchmarks/population_scale.py [--patient-years 1000000] [--scaling-patients 20000]

(c) ``simulate_population``: people from the priors, a year each, deterministic, in chunks of
10,000 on local worker processes (one per core): wall time, and the peak resident memory of this
process and of the largest worker; at the engine's default 4 RK4 steps a day and at 2 (whose
largest relative error in daily pain, 2.6e-4 in ``vs_roadrunner.py``, is still 4 times inside the
engine's 1e-3 agreement with SciPy). (d) The same call for ``--scaling-patients`` people on a Dask
``LocalCluster`` of 1 and then 2 single-threaded workers, and the machine's ceiling for it: the
same chunk in one worker process alone and in two at once. Prints Markdown tables and writes
benchmarks/results/population_scale.json.
"""

from __future__ import annotations

import argparse
import os
import resource

from common import table, timed, write

from fmsim.population import simulate_population

DAYS = 365


def peak_mib(who: int) -> float:
    """Peak resident memory in MiB (Linux reports kilobytes)."""
    return resource.getrusage(who).ru_maxrss / 1024


def _one_chunk(n: int) -> float:
    """Seconds to simulate ``n`` people for a year in this process (one chunk)."""
    return timed(simulate_population, n, DAYS, seed=3, chunk_size=n)[1]


def ceiling(n: int) -> dict:
    """What two cores can give this kernel at all: the same chunk in one worker alone, then in
    two workers at once (no scheduler, no data moved); speedup = 2 x alone / together."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_one_chunk, [100, 100]))  # both workers load the compiled kernel
        alone = min(pool.submit(_one_chunk, n).result() for _ in range(2))
        together = max(pool.map(_one_chunk, [n, n]))
    return {"patients_per_worker": n, "alone_s": alone, "together_s": together,
            "speedup": 2 * alone / together}


def scaling(n: int) -> list[dict]:
    from distributed import LocalCluster

    rows = []
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            address = cluster.scheduler_address
            simulate_population(workers * 100, 5, chunk_size=100, executor=address)  # warm up
            _, seconds = timed(simulate_population, n, DAYS, seed=3, chunk_size=n // 8,
                               executor=address)
        rows.append({"workers": workers, "patients": n, "seconds": seconds,
                     "patient_years_per_s": n * DAYS / 365 / seconds})
    for row in rows:
        row["speedup"] = rows[0]["seconds"] / row["seconds"]
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patient-years", type=int, default=1_000_000)
    parser.add_argument("--scaling-patients", type=int, default=20_000)
    args = parser.parse_args(argv)
    n = args.patient_years
    simulate_population(200, 5, chunk_size=100, executor="processes")  # kernels compiled once
    million = []
    for steps in (4, 2):
        people, seconds = timed(simulate_population, n, DAYS, seed=1, chunk_size=10_000,
                                executor="processes", steps_per_day=steps)
        million.append({"patient_years": n, "steps_per_day": steps, "seconds": seconds,
                        "patient_years_per_s": n / seconds, "cores": os.cpu_count(),
                        "peak_mib_main": peak_mib(resource.RUSAGE_SELF),
                        "peak_mib_largest_worker": peak_mib(resource.RUSAGE_CHILDREN),
                        "result_mib": people.nbytes / 2**20})
        del people
    print(f"(c) {n:,} people x 1 year from the priors, local processes "
          f"({os.cpu_count()} cores); peak memory so far in the run\n")
    print(table(["RK4 steps/day", "wall (s)", "patient-years/s", "peak memory, main (MiB)",
                 "peak memory, largest worker (MiB)", "result (MiB)"],
                [[m["steps_per_day"], m["seconds"], m["patient_years_per_s"],
                  m["peak_mib_main"], m["peak_mib_largest_worker"], m["result_mib"]]
                 for m in million]))
    rows = scaling(args.scaling_patients)
    best = ceiling(args.scaling_patients // 2)
    print(f"\n(d) {args.scaling_patients:,} people x 1 year on a Dask LocalCluster\n")
    print(table(["workers", "wall (s)", "patient-years/s", "speedup"],
                [[r["workers"], r["seconds"], r["patient_years_per_s"], f"{r['speedup']:.2f}x"]
                 for r in rows]))
    print(f"\nThe machine's ceiling for this kernel: {best['patients_per_worker']:,} people in "
          f"one worker alone {best['alone_s']:.2f} s, in each of two at once "
          f"{best['together_s']:.2f} s: {best['speedup']:.2f}x at most; Dask reaches "
          f"{rows[-1]['speedup'] / best['speedup']:.0%} of it.")
    results = {"million": million, "dask_scaling": rows, "two_core_ceiling": best}
    print(f"\nwrote {write('population_scale', results)}")


if __name__ == "__main__":
    main()
