"""Engine throughput: patient-years per second, as a ratio to SciPy solve_ivp in the same process.

    python benchmarks/engine_throughput.py [--patients 10000]

Prints a Markdown table and writes benchmarks/results/engine_throughput.json. Wall time is measured
here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

from fmsim import fm_model, sample_parameters, simulate, simulate_reference


def timed(func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--reference-patients", type=int, default=50)
    args = parser.parse_args()
    model = fm_model()
    injury = np.zeros(args.days)
    injury[30:72] = 0.5
    years = args.days / 365.0

    rows = []
    big = sample_parameters(args.patients, seed=1)
    _, t_big = timed(simulate, model, args.days, big, {"injury": injury}, record=("pain",))
    rows.append(("FMSim RK4, NumPy kernel", args.patients, t_big, args.patients * years / t_big))

    small = sample_parameters(args.reference_patients, seed=2)
    _, t_fast = timed(simulate, model, args.days, small, {"injury": injury}, record=("pain",))
    _, t_ref = timed(simulate_reference, model, args.days, small, {"injury": injury})
    n = args.reference_patients
    rows.append(("FMSim RK4, NumPy kernel", n, t_fast, n * years / t_fast))
    rows.append(("SciPy solve_ivp DOP853 (rtol 1e-10), same patients", n, t_ref, n * years / t_ref))

    print("| engine | patients | days | wall (s) | patient-years/s |\n|---|---|---|---|---|")
    for name, count, wall, rate in rows:
        print(f"| {name} | {count} | {args.days} | {wall:.2f} | {rate:,.0f} |")
    ratio = rows[1][3] / rows[2][3]
    print(f"\nFMSim / SciPy throughput at {n} patients: {ratio:.1f}x "
          f"({platform.processor() or platform.machine()}, 1 process)")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "engine_throughput.json").write_text(json.dumps({
        "rows": [dict(zip(("engine", "patients", "wall_s", "patient_years_per_s"), r,
                          strict=True)) for r in rows],
        "days": args.days, "ratio_vs_scipy": ratio, "machine": platform.platform(),
    }, indent=2))


if __name__ == "__main__":
    main()
