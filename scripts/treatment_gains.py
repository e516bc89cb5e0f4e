"""The three treatment gains fitted to calibration.md, and the fit that set them.

Three gains cannot be derived from pharmacology alone: how much pain relief full expectation
buys (``g_X``), how much full norepinephrine or serotonin reuptake inhibition strengthens
descending inhibition (``g_NE``, with ``g_5HT = 2/3 g_NE``: serotonin's spinal effect is the
weaker one, Obata 2017), and how much full alpha-2-delta occupancy removes (``k_a2d = w_a2d``,
``w_hyp = 2 k_a2d``). Each is fitted to one row of calibration.md, in the chronic FM reference
woman (the vulnerable woman one year after the injury that tipped her), deterministic:

* placebo (expectation part) at 12 weeks: -1.0 of A0.10's -1.16 (the rest of a placebo arm's
  change is regression to the mean and fluctuation, which a trial adds);
* duloxetine 60 mg/day minus placebo at 12 weeks: -1.375, the middle of A2.2 (-1.31 to -1.44);
* pregabalin 450 mg/day minus placebo at 8 weeks: -0.93 (A2.1).

Every other drug and program is then predicted from its pharmacology and mechanism through
these gains, never fitted to its own trial result. See docs/calibration.md.

    python scripts/treatment_gains.py          # report the current model against the targets
    python scripts/treatment_gains.py --fit    # refit the three gains and print them
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy.optimize import root

from fmsim import fm_model, load_scenario, person, run_scenario, simulate
from fmsim.interventions.catalog import Treatment, arm_inputs

START = 10
ARMS = (None, ("placebo", 84), ("duloxetine:60", 84), ("pregabalin:450", 56))
TARGETS = np.array([-1.0, -1.375, -0.93])
DAYS = START + 84


def chronic_reference() -> dict[str, float]:
    """Final states of the vulnerable woman one year after the injury that tipped her."""
    spec = load_scenario("vulnerable-injury")
    ds = run_scenario(spec, spec.trigger_end + 365)
    return dict(zip(ds.coords["state"].values, ds["final"].values[0].tolist(), strict=True))


def gains(x: np.ndarray) -> dict[str, float]:
    g_x, g_ne, s_a2d = x
    return dict(g_X=g_x, g_NE=g_ne, g_5HT=2 / 3 * g_ne, k_a2d=s_a2d, w_a2d=s_a2d, w_hyp=2 * s_a2d)


def effects(x: np.ndarray, states: dict[str, float]) -> np.ndarray:
    """Placebo minus nothing at 12 weeks, duloxetine minus placebo at 12 weeks, pregabalin minus
    placebo at 8 weeks (pain, 0-10)."""
    inputs = arm_inputs([[Treatment.create(a[0], START, START + a[1])] if a else [] for a in ARMS],
                        DAYS)
    n = len(ARMS)
    ds = simulate(fm_model(), DAYS, {**person("vulnerable"), **gains(x)}, inputs,
                  {k: np.full(n, v) for k, v in states.items()}, record=("pain",))
    pain = ds["trajectory"].values[:, :, 0]
    week = lambda w: START + 7 * w - 1  # noqa: E731 - the last treated day of week w
    return np.array([pain[1, week(12)] - pain[0, week(12)],
                     pain[2, week(12)] - pain[1, week(12)],
                     pain[3, week(8)] - pain[1, week(8)]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="refit the three gains")
    args = parser.parse_args()
    from fmsim import load_registry

    p = load_registry().parameters
    x0 = np.array([p["g_X"].value, p["g_NE"].value, p["k_a2d"].value])
    states = chronic_reference()
    if args.fit:
        sol = root(lambda x: effects(x, states) - TARGETS, x0, method="hybr")
        x0 = sol.x
        print("fitted:", {k: round(float(v), 4) for k, v in gains(x0).items()})
    labels = ("placebo (expectation) - none, wk 12", "duloxetine 60 - placebo, wk 12",
              "pregabalin 450 - placebo, wk 8")
    for label, model, target in zip(labels, effects(x0, states), TARGETS, strict=True):
        print(f"{label:40s} model {model:6.3f}   target {target:6.3f}")


if __name__ == "__main__":
    main()
