"""Model v2's population stage: between-person spread, prevalence and the answer scales.

The core (``scripts/v2_core.py``) fixes how one person's FM holds and grades. This stage sets
what the general population then shows, by screening one seeded general population
(:func:`fmsim.population.cohort.screen`, the people of ``fmsim vpop``) per candidate:

* ``theta_Pm`` (the centre of the priming threshold's prior) and ``v_female``: the prevalence in
  women and men (calibration.md B3.1: 4.05% and 1.35%);
* the half-widths of the uniform priors of the pain, sleep-fragmentation and fatigue thresholds
  (``theta_P``, ``theta_fr``, ``theta_F``; fixed in v1): people's own sensitivity, which gives
  the continuum below FM (D.5: 68% of the population at PSD 0-3);
* the measurement model's area spread (``area_pain``, ``area_cs``, ``area_threshold``): how pain
  and central sensitization become painful areas, so that people with FM have the registry's
  PSD (B2.11: 19, 13-24) and FIQR (B2.10: 61, 41-77).

The loss is the sum of squared, scaled misses of those numbers. Random search over ``SPACE``
(``--round 1``), then perturbations of the best five (``--round 2 --previous``). Each candidate
is a model object of its own, so its compiled kernel is built again: about a minute a
candidate on 2 cores. On 2026-12-05 seven candidates of round 1 (search seed 1) ran and none
was adopted (docs/calibration.md, model v2).

    python scripts/v2_population_fit.py --round 1 --n-candidates 50 --out p1.npz
    python scripts/v2_population_fit.py --round 2 --previous p1.npz --out p2.npz
"""

from __future__ import annotations

import argparse
import dataclasses
import sys

import numpy as np

from fmsim import resolve_model
from fmsim.model.builder import Model
from fmsim.model.registry import Prior
from fmsim.population.cohort import screen

MODEL = "fm-v2"
SPACE = {
    "theta_Pm": (1.0, 1.4), "v_female": (0.1, 0.17), "hw_P": (0.0, 0.25),
    "hw_fr": (0.0, 0.4), "hw_F": (0.0, 0.4), "area_pain": (0.2, 1.0), "area_cs": (0.3, 1.2),
    "area_threshold": (0.4, 1.1),
}
WIDTHS = {"hw_P": "theta_P", "hw_fr": "theta_fr", "hw_F": "theta_F"}
MEASUREMENT = ("area_pain", "area_cs", "area_threshold")


def candidate_model(x: dict[str, float]) -> Model:
    """Model v2 with the candidate's priors (a model object: it runs in this process)."""
    base = resolve_model(MODEL)
    params = dict(base.registry.parameters)
    for key, name in WIDTHS.items():
        info, hw = params[name], x[key]
        prior = Prior("uniform", (info.value - hw, info.value + hw)) if hw > 1e-9 else \
            Prior("fixed", (info.value, info.value))
        params[name] = dataclasses.replace(info, prior=prior)
    info = params["theta_Pm"]
    half = (info.prior.bounds[1] - info.prior.bounds[0]) / 2
    params["theta_Pm"] = dataclasses.replace(
        info, value=x["theta_Pm"], prior=dataclasses.replace(
            info.prior, bounds=(x["theta_Pm"] - half, x["theta_Pm"] + half)))
    info = params["v_female"]
    params["v_female"] = dataclasses.replace(info, value=x["v_female"], prior=Prior(
        "fixed", (x["v_female"], x["v_female"])))
    registry = dataclasses.replace(base.registry, parameters=params)
    return dataclasses.replace(base, name=base.name, registry=registry)


def evaluate(x: dict[str, float], n: int, seed: int) -> tuple[float, dict]:
    people = screen(n, seed, "general", {k: x[k] for k in MEASUREMENT}, candidate_model(x))
    fm = people["acr2016"].values.astype(bool)
    female = people["parameters"].sel(parameter="female").values > 0.5
    psd, fiqr = people["psd"].values, people["fiqr"].values

    def q(v):
        return np.percentile(v, [25, 50, 75]) if len(v) else np.full(3, np.nan)

    got = {"women": fm[female].mean(), "men": fm[~female].mean(), "psd": q(psd[fm]),
           "fiqr": q(fiqr[fm]), "psd<=3": (psd <= 3).mean()}
    misses = [(got["women"] - 0.0405) / 0.006, (got["men"] - 0.0135) / 0.004,
              *((got["psd"] - [13, 19, 24]) / [3, 2, 3]),
              *((got["fiqr"] - [41, 61, 77]) / [6, 5, 6]), (got["psd<=3"] - 0.68) / 0.04]
    misses = np.nan_to_num(np.asarray(misses, float), nan=10.0)
    return float(np.sum(misses**2)), got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--round", type=int, default=1)
    ap.add_argument("--n-candidates", type=int, default=50)
    ap.add_argument("--n", type=int, default=4000, help="people per candidate")
    ap.add_argument("--seed", type=int, default=0, help="the population's seed")
    ap.add_argument("--search-seed", type=int, default=1)
    ap.add_argument("--previous")
    ap.add_argument("--out", default="v2_population_fit.npz")
    args = ap.parse_args()
    rng = np.random.default_rng(args.search_seed)
    if args.previous:
        prev = np.load(args.previous)
        best = np.argsort(prev["loss"])[:5]
        pick = rng.choice(best, args.n_candidates)
        xs = {k: np.clip(prev[k][pick] * np.exp(rng.normal(0, 0.06, args.n_candidates)), *r)
              for k, r in SPACE.items()}
    else:
        xs = {k: rng.uniform(*r, args.n_candidates) for k, r in SPACE.items()}
    losses = np.empty(args.n_candidates)
    for j in range(args.n_candidates):
        x = {k: float(v[j]) for k, v in xs.items()}
        losses[j], got = evaluate(x, args.n, args.seed)
        print(f"{losses[j]:8.2f}", {k: round(v, 3) for k, v in x.items()},
              {k: np.round(v, 3).tolist() for k, v in got.items()}, flush=True, file=sys.stderr)
        np.savez(args.out, loss=losses[: j + 1], **{k: v[: j + 1] for k, v in xs.items()})
    for j in np.argsort(losses)[:5]:
        print(f"{losses[j]:.2f}", {k: round(float(v[j]), 3) for k, v in xs.items()})


if __name__ == "__main__":
    main()
