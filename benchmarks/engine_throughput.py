"""Engine throughput in patient-years per second: the compiled and NumPy kernels, and SciPy.

    python benchmarks/engine_throughput.py [--patients 20000] [--reference-patients 50]

Every run simulates people from the priors through a six-week injury for a year, in this process
(one core). SciPy ``solve_ivp`` (DOP853, rtol 1e-10, the engine's reference) runs the same
``--reference-patients`` people as both kernels, and the ratios are taken on those. Prints a
Markdown table and writes benchmarks/results/engine_throughput.json. Wall time is measured here,
never asserted in tests.
"""

from __future__ import annotations

import argparse

import numpy as np
from common import table, timed, write

from fmsim import fm_model, sample_parameters, simulate, simulate_reference


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--reference-patients", type=int, default=50)
    args = parser.parse_args(argv)
    model = fm_model()
    injury = np.zeros(args.days)
    injury[30:72] = 0.5
    inputs = {"injury": injury}
    years = args.days / 365.0
    simulate(model, 2, sample_parameters(2, seed=0, registry=model.registry),
             kernel="compiled")  # compiled once

    rows = []
    small = sample_parameters(args.reference_patients, seed=2, registry=model.registry)
    n = args.reference_patients
    _, t_ref = timed(simulate_reference, model, args.days, small, inputs)
    rows.append(["SciPy solve_ivp, DOP853 rtol 1e-10", n, t_ref, n * years / t_ref])
    for kernel in ("numpy", "compiled"):
        _, t = timed(simulate, model, args.days, small, inputs, record=("pain",), kernel=kernel)
        rows.append([f"FMSim RK4 4 steps/day, {kernel} kernel", n, t, n * years / t])
    big = sample_parameters(args.patients, seed=1, registry=model.registry)
    for kernel in ("numpy", "compiled"):
        _, t = timed(simulate, model, args.days, big, inputs, record=("pain",), kernel=kernel)
        rows.append([f"FMSim RK4 4 steps/day, {kernel} kernel", args.patients, t,
                     args.patients * years / t])
    for row in rows:
        row.append(f"{row[3] / rows[0][3]:,.0f}x")
    print(table(["engine", "patients", "wall (s)", "patient-years/s", "vs SciPy"], rows))
    path = write("engine_throughput", {"days": args.days, "rows": [
        dict(zip(("engine", "patients", "wall_s", "patient_years_per_s", "vs_scipy"), r,
                 strict=True)) for r in rows]})
    print(f"\n(1 process; {args.days} days) wrote {path}")


if __name__ == "__main__":
    main()
