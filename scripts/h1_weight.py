"""Model v2's weight of H1 block on night sleep (``w_H1``), from polysomnography.

Low-dose tricyclics (mostly doxepin 1-6 mg, near-full H1 block) raise sleep efficiency by 6.3
points against placebo in insomnia (Everitt et al. 2018, Cochrane CD010753, summary table);
pregabalin 300-450 mg in FM shortens wake after sleep onset by 19.2 minutes (Roth et al. 2012),
about 4.0 points of an 8-hour night. So H1 block consolidates sleep about 1.58 times as much as
the alpha-2-delta ligands at the doses studied. ``w_hyp`` (alpha-2-delta) is fitted to
pregabalin's pain trials; this script sets ``w_H1`` so that, in the chronic FM reference woman
(deterministic, twelve weeks from day 10, as docs/treatments.md), amitriptyline 25 mg raises
her sleep efficiency 1.58 times as much as pregabalin 450 mg does. No pain outcome enters.

    python scripts/h1_weight.py   # prints w_H1 and the two rises in sleep efficiency
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy.optimize import brentq

from fmsim import person, resolve_model, simulate
from fmsim.interventions.catalog import Treatment, arm_inputs
from fmsim.studies.scenario import chronic_reference

TCA_POINTS = 6.3  # Everitt 2018: low-dose tricyclics minus placebo, sleep efficiency points
PREGABALIN_POINTS = 100 * 19.2 / 480  # Roth 2012: 19.2 minutes less wake in 8 hours in bed
RATIO = TCA_POINTS / PREGABALIN_POINTS
START, WEEKS = 10, 12
STOP = START + 7 * WEEKS
ARMS = ([], [Treatment.create("amitriptyline:25", START, STOP)],
        [Treatment.create("pregabalin:450", START, STOP)])


@cache
def _start() -> dict[str, float]:
    """The reference woman's state a year after her injury (untreated, so ``w_H1`` plays no
    part)."""
    return chronic_reference(model="fm-v2")


def rises(w_h1: float, **params: float) -> tuple[float, float]:
    """Sleep efficiency points gained at week 12 on amitriptyline 25 mg and pregabalin 450 mg
    (``params``: other parameters of hers changed)."""
    n = len(ARMS)
    values = {**person("vulnerable"), **params, "w_H1": w_h1}
    ds = simulate(resolve_model("fm-v2"), STOP, {k: np.full(n, v) for k, v in values.items()},
                  arm_inputs(list(ARMS), STOP), {k: np.full(n, v) for k, v in _start().items()},
                  record=("sleep_efficiency",))
    efficiency = 100 * ds["trajectory"].values[:, STOP - 1, 0]
    return float(efficiency[1] - efficiency[0]), float(efficiency[2] - efficiency[0])


def _off_ratio(w_h1: float) -> float:
    """How far amitriptyline's rise is from RATIO times pregabalin's (points)."""
    tca, pregabalin = rises(w_h1)
    return tca - RATIO * pregabalin


def main() -> None:
    w = brentq(_off_ratio, 0.0, 0.5, xtol=1e-5)
    tca, pregabalin = rises(round(w, 4))
    print(f"w_H1 = {w:.4f} (ratio {RATIO:.3f}); at {round(w, 4)}: amitriptyline 25 mg "
          f"+{tca:.2f} points of sleep efficiency, pregabalin 450 mg +{pregabalin:.2f}")


if __name__ == "__main__":
    main()
