"""Model v2's symptom network: symptom levels graded along central sensitization.

Model v1 fitted its symptom network (pain percept, sleep, stress, mood, fatigue, cognition;
the 28 parameters of ``scripts/symptom_levels.py``) at two points only: sensitization held at
its ceiling (FM, calibration.md B1.12 pain 6.5/10; B1.17 fatigue 8.1) and held at zero
(healthy). Where v1 lives that was enough. Model v2's sensitization is graded, and between
those points v1's network is steep: with priming on, raising the priming gain ``w_PC`` from 1.2
to 1.4 took the vulnerable woman's pain from 5.9 to 8.1 (the pain, sleep and stress loops
amplify each other in the middle), which piles people up at mild and at severe.

Here the same 28 parameters are searched with central sensitization held at 0, 0.2, 0.4,
0.6, 0.8 and 1.0 in the vulnerable woman (time constant 10^9 days): each symptom's target runs
in a straight line from the healthy levels at 0 to the FM levels at 0.8 (the typical FM state
of issue 20, at most 0.85 of the ceiling) and on to 1.0; and, with sensitization held at 0.8,
a healthy and a chronic start must end in the same state. The targets and weights are v1's
(``scripts/symptom_levels.py``); the healthy end counts five times and the FM point three times
as much as the line between. Round 1 is uniform over v1's ranges; later rounds perturb the
best 20 of the previous (log-normal, SD 0.08).

    python scripts/v2_symptoms.py --round 1 --seed 1 --out s1.npz
    python scripts/v2_symptoms.py --round 2 --seed 2 --previous s1.npz --out s2.npz
    python scripts/v2_symptoms.py --report
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

import numpy as np

from fmsim import person, resolve_model, simulate

_spec = importlib.util.spec_from_file_location(
    "symptom_levels", Path(__file__).with_name("symptom_levels.py"))
v1 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(v1)

MODEL = "fm-v2"
LEVELS = np.array([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
FM_LEVEL = 0.8
DAYS = 500


def targets() -> np.ndarray:
    """(level, score): straight lines from the healthy targets to the FM targets at 0.8."""
    slope = (v1.FM_TARGET - v1.HEALTHY_TARGET) / FM_LEVEL
    return np.clip(v1.HEALTHY_TARGET + LEVELS[:, None] * slope, 0, 10)


def levels(candidates: dict[str, np.ndarray] | None = None):
    """Scores (level, candidate, score) of the vulnerable woman with CS held at each level, and
    (start, candidate, score) at 0.8 from a healthy and a chronic start."""
    model = resolve_model(MODEL)
    cand = candidates or {}
    n = len(next(iter(cand.values()))) if cand else 1
    runs = [(level, None) for level in LEVELS] + [(FM_LEVEL, v1.CHRONIC_START)]
    params, starts = [], []
    for level, start in runs:
        params.append({**{k: np.full(n, v) for k, v in person("vulnerable").items()},
                       **{k: np.asarray(v, float) for k, v in cand.items()},
                       "tau_CS": np.full(n, 1e9)})
        starts.append({**(start or {}), "CS": level})
    keys = set().union(*params)
    p = {k: np.concatenate([q[k] for q in params]) for k in keys}
    names = set().union(*starts)
    initial = {s: np.concatenate([np.full(n, st.get(s, model.state(s).initial)) for st in starts])
               for s in names}
    ds = simulate(model, DAYS, p, None, initial, record=v1.SCORES)
    end = ds["trajectory"].values[:, -1, :].reshape(len(runs), n, len(v1.SCORES))
    return end[: len(LEVELS)], end[[4, len(LEVELS)]]


ANCHORS = np.array([5.0, 1.0, 1.0, 1.0, 3.0, 1.0])
"""Weight of each level: the two anchors (healthy at 0, FM at 0.8) count more than the line."""


def loss(graded: np.ndarray, starts: np.ndarray) -> np.ndarray:
    misses = ((graded - targets()[:, None, :]) ** 2 * v1.WEIGHTS).sum(-1)
    return (ANCHORS[:, None] * misses).sum(0) + 10 * ((starts[0] - starts[1]) ** 2).sum(-1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--round", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-n", type=int, default=3000)
    ap.add_argument("--previous")
    ap.add_argument("--out", default="v2_symptoms.npz")
    ap.add_argument("--report", action="store_true")
    args = ap.parse_args()
    if args.report:
        graded, starts = levels()
        print("CS held at   " + "  ".join(f"{s[:8]:>8s}" for s in v1.SCORES))
        for i, level in enumerate(LEVELS):
            print(f"{level:4.1f} model  " + "  ".join(f"{x:8.1f}" for x in graded[i, 0]))
            print("     target " + "  ".join(f"{x:8.1f}" for x in targets()[i]))
        print(f"loss {loss(graded, starts)[0]:.2f}")
        return
    rng = np.random.default_rng(args.seed)
    space = v1.SEARCH_SPACE
    if args.previous:
        prev = np.load(args.previous)
        pick = rng.choice(np.argsort(prev["loss"])[:20], args.n)
        cand = {k: np.clip(prev[k][pick] * np.exp(rng.normal(0, 0.08, args.n)), lo, hi)
                for k, (lo, hi) in space.items()}
    else:
        cand = {k: rng.uniform(lo, hi, args.n) for k, (lo, hi) in space.items()}
    values = loss(*levels(cand))
    np.savez(args.out, loss=values, **cand)
    for j in np.argsort(values)[:3]:
        print(f"{values[j]:.2f}", {k: round(float(v[j]), 3) for k, v in cand.items()})


if __name__ == "__main__":
    main()
