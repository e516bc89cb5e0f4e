"""Symptom levels of the FM model v1 against its calibration targets, and the search that set them.

The 28 parameters tagged ``calibrated`` in ``parameters.toml`` were chosen so that, with central
sensitization held high, a vulnerable woman's symptom levels match FM trial baselines
(calibration.md B1.12 pain 6.5/10; B1.17 pain 7.4, fatigue 8.1), with held low a healthy woman's
match a healthy life (pain about 1/10), and the two starts (healthy and chronic) reach the same
state (no second switch outside central sensitization). See docs/calibration.md.

    python scripts/symptom_levels.py              # report the current model against the targets
    python scripts/symptom_levels.py --search 2   # rerun one seeded round of the random search
"""

from __future__ import annotations

import argparse

import numpy as np

from fmsim import fm_model, person, simulate

SCORES = ("pain", "sleep_quality", "fatigue", "mood", "stress", "cognitive")
FM_TARGET = np.array([6.5, 4.0, 7.0, 4.0, 5.5, 5.0])
HEALTHY_TARGET = np.array([1.0, 9.0, 1.5, 0.5, 2.0, 1.0])
WEIGHTS = np.array([3, 2, 1, 2, 1, 1.0])
CHRONIC_START = dict(CS=1.0, G=0.9, DI=0.3, Np=0.7, S=0.8, D=0.5, B=0.5, SD=0.5, I=0.3, E=0.7,
                     K=0.2, Act=0.3, H=0.8, R=0.6)
SEARCH_SPACE = dict(
    k_P=(2.5, 5.0), theta_P=(0.0, 0.5), g_CS=(1.0, 5.0), w_Pfr=(0.3, 1.5), k_fr=(2.0, 5.0),
    theta_fr=(0.5, 1.5), w_Afr=(0.1, 0.6), w_PS=(0.2, 1.0), k_S=(1.5, 4.0), theta_S=(0.3, 1.0),
    w_PD=(0.2, 1.0), k_D=(2.0, 5.0), theta_D=(0.5, 1.5), w_GD=(0.0, 0.6), w_PB=(0.2, 1.0),
    theta_B=(0.3, 1.0), f_P=(0.2, 0.8), f_G=(0.0, 0.8), theta_F=(0.4, 1.2), k_F=(2.0, 5.0),
    w_SA=(0.5, 1.2), w_SDA=(0.0, 0.3), rho_SD=(0.25, 0.6), alpha_A=(0.3, 0.7),
    g_DI=(0.3, 0.8), w_BP=(0.1, 0.4), theta_Cog=(0.5, 1.2), w_SDS=(0.0, 0.4),
)


def levels(candidates: dict[str, np.ndarray] | None = None, days: int = 500):
    """End-of-run scores: FM from a healthy and a chronic start (CS held high), healthy (CS low)."""
    model = fm_model()
    cand = candidates or {}

    def end(who, theta_c, start):
        p = {**cand, **person(who), "theta_C": theta_c}
        ds = simulate(model, days, p, None, start, record=SCORES)
        return ds["trajectory"].values[:, -1, :]

    return end("vulnerable", -5.0, {"CS": 1.0}), end("vulnerable", -5.0, CHRONIC_START), end(
        "healthy", 5.0, None)


def loss(fm_low, fm_high, healthy):
    return (((fm_low - FM_TARGET) ** 2 * WEIGHTS).sum(-1)
            + ((healthy - HEALTHY_TARGET) ** 2 * WEIGHTS).sum(-1)
            + 10 * ((fm_low - fm_high) ** 2).sum(-1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--search", type=int, metavar="SEED", help="run one search round")
    parser.add_argument("-n", type=int, default=3000, help="candidates per round")
    args = parser.parse_args()
    if args.search is None:
        fm_low, fm_high, healthy = levels()
        print("score          FM (target)   FM from chronic start   healthy (target)")
        for i, s in enumerate(SCORES):
            print(f"{s:14s} {fm_low[0, i]:4.1f} ({FM_TARGET[i]:.1f})    {fm_high[0, i]:4.1f}"
                  f"                    {healthy[0, i]:4.1f} ({HEALTHY_TARGET[i]:.1f})")
        print(f"loss {loss(fm_low, fm_high, healthy)[0]:.2f}")
        return
    rng = np.random.default_rng(args.search)
    cand = {k: rng.uniform(lo, hi, args.n) for k, (lo, hi) in SEARCH_SPACE.items()}
    values = loss(*levels(cand))
    best = int(np.argmin(values))
    print(f"best loss {values[best]:.2f}:")
    print({k: round(float(v[best]), 3) for k, v in cand.items()})


if __name__ == "__main__":
    main()
