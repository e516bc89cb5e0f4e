"""What a perfectly calibrated forecaster covers of a weekly mean pain rating: the reference
for the twin's predictive coverage (``scripts/twin_calibration.py``).

For each of ``--n`` people of the calibration (the same draws of the fitted parameters), 320
copies of the person start the diary from their own past (the likelihood's history, lived in
the model's noise) and live four more weeks; ``--truths`` of the copies play the person, the
others are the forecast. Truth and forecast are exchangeable, so the forecast is calibrated by
construction. Reported: the share of true weeks inside the forecast's 50% and 90% intervals
between sample quantiles with their bounds included (as ``fmsim twin whatif`` reports them),
and under the randomized probability integral transform (:func:`fmsim.stats.interval_coverage`).
A weekly mean of whole-number ratings lies on a grid of sevenths, so the first exceeds the
nominal rate; the second meets it.

    python scripts/twin_oracle_coverage.py --n 200   # about 15 s
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from fmsim.engine import simulate
from fmsim.stats import interval_coverage
from fmsim.twin import simulate_diary
from fmsim.twin.fit import FITTED
from fmsim.twin.likelihood import DiaryLikelihood
from fmsim.twin.whatif import RECORD

sys.path.insert(0, str(Path(__file__).parent))
from twin_calibration import AHEAD_WEEKS, MODEL, lived, weekly_pain

COPIES = 320


def oracle(n: int, truths: int = 20) -> dict[str, dict[int, float]]:
    """The shares of true weeks covered at 50% and 90% over ``n`` people, each played by
    ``truths`` of their copies: ``included`` (bounds included) and ``pit``."""
    days = 7 * AHEAD_WEEKS
    shares: dict[str, dict[int, list[float]]] = {"included": {50: [], 90: []},
                                                 "pit": {50: [], 90: []}}
    for i in range(n):
        truth, scenario = lived(i, 30)
        likelihood = DiaryLikelihood(simulate_diary(scenario, 30, seed=i).diary, FITTED,
                                     model=MODEL, particles=COPIES)
        theta = np.array([[truth[k] for k in FITTED]])
        states, _ = likelihood.start_states(theta, np.random.default_rng(i))
        run = simulate(likelihood.model, days, likelihood.parameters(np.repeat(theta, COPIES, 0)),
                       {}, states, stochastic=True, seed=i, record=RECORD)
        weekly = weekly_pain(run, i)
        true, forecast = weekly[:truths], weekly[truths:]
        for level in (50, 90):
            lo, hi = np.quantile(forecast, [0.5 - level / 200, 0.5 + level / 200], axis=0)
            shares["included"][level].append(((lo <= true) & (true <= hi)).mean())
            shares["pit"][level].append(
                interval_coverage(forecast[:, None], true, level / 100).mean())
    return {kind: {level: float(np.mean(v)) for level, v in by.items()}
            for kind, by in shares.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=15, help="people")
    ap.add_argument("--truths", type=int, default=20, help="copies that play the person")
    args = ap.parse_args()
    result = oracle(args.n, args.truths)
    for level in (50, 90):
        print(f"{level}% intervals, {args.n} people x {args.truths} truths x {AHEAD_WEEKS} "
              f"weeks: bounds included {result['included'][level]:.3f}, randomized PIT "
              f"{result['pit'][level]:.3f}")


if __name__ == "__main__":
    main()
