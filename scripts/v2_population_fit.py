"""Model v2's population stage: severity, between-person thresholds, fluctuation, answer scales.

The core (``scripts/v2_core.py``) fixes how one person's FM holds and grades. This stage sets
what a general population then shows (the people of ``fmsim vpop``), in two nested searches:

* outer, the model (each candidate screens one seeded general population,
  :func:`fmsim.population.cohort.screening_run`, with the kernel compiled once): the
  half-widths of uniform priors on the pain, sleep-fragmentation and fatigue thresholds
  (``theta_P``, ``theta_fr``, ``theta_F``; fixed in v1: people's own sensitivity, the continuum
  below FM of D.5), the centre of the priming threshold's prior (``theta_Pm``: prevalence), the
  median and log-SD of the primed gain ``w_PC`` (how severe FM is, and how varied), and a scale
  on the prior of ``sd_load`` (the slow life load: day-to-day fluctuation, B5.1). Every
  candidate uses the same people and the same uniform numbers for what it changes (common
  random numbers), so candidates differ by their values only;
* inner, the measurement model on that screening (no simulation): :data:`MEASUREMENT` - how
  pain and central sensitization become painful areas and somatic symptoms, and the answer
  scale of the FIQR's items - by :func:`scipy.optimize.differential_evolution` (seeded).

Targets (:data:`TARGETS`, each a scaled miss; calibration.md): prevalence in women and men
(B3.1: 4.05%, 1.35%), among people meeting ACR 2016 their past week's diary pain (B1.5: 7.3 in
trial cohorts), the PSD quartiles (B2.11: 13, 19, 24), the
FIQR quartiles (B2.10: 41, 61, 77) and the SD of four weeks of daily diary pain (B5.1: 1.61 for
momentary ratings; daily means somewhat less, 1.35 taken), the share of everyone at PSD 0-3
(D.5: 68%), and the FIQR of women without FM (B2.3: 20.7). The loss is the sum of squared
misses.

From round 4 the outer search also takes model parameters by name (the top of the symptom map:
central amplification ``g_CS``, pain -> fragmentation ``w_Pfr``; from round 7 the
sensitization's slope ``k_C``, threshold ``theta_C`` and vulnerability weight ``s_VC``; a
parameter with a prior keeps its spread and moves its centre), and the inner one the FIQR's
function and overall-impact thresholds (:data:`FIQR_SCALE`). From round 6 the loss also holds
central sensitization's median among people with FM (at most 0.85, :data:`CS_CEILING`) and the
design's people of the core (:func:`design_violation`, :data:`DESIGN_WEIGHT`,
:data:`DESIGN_PAIN`). Each round's ranges are relative to the values shipped when it ran
(threshold half-widths around the shipped value, ``load_scale`` on the shipped prior).

    python scripts/v2_population_fit.py --round 1 --search-seed 2 --n-candidates 16 --out p1.npz
    python scripts/v2_population_fit.py --round 2 --search-seed 3 --n-candidates 12 --out p2.npz
    python scripts/v2_population_fit.py --round 3 --search-seed 4 --n-candidates 12 --out p3.npz
    python scripts/v2_population_fit.py --round 4 --search-seed 5 --n-candidates 20 --out p4a.npz
    python scripts/v2_population_fit.py --round 4 --search-seed 6 --n-candidates 20 --out p4b.npz
    python scripts/v2_population_fit.py --round 4 --search-seed 7 --n-candidates 14 \
        --previous p4.npz --out p5a.npz      # p4.npz: p4a and p4b joined; likewise seed 8
    python scripts/v2_population_fit.py --round 6 --search-seed 9 --n-candidates 20  # and 10
    python scripts/v2_population_fit.py --round 7 --search-seed 11 --n-candidates 24  # and 12
    python scripts/v2_population_fit.py --round 8 --search-seed 13 --n-candidates 16 \
        --previous p7.npz                    # p7.npz: seeds 11 and 12 joined; likewise seed 14

On 2026-12-05 rounds 1-3 ran (stopped after 8, 10 and 9 candidates); round 3's best (loss
37.8) was adopted (docs/calibration.md, model v2, stage 3). Later that day rounds 4-5 (about
15 s a candidate) reached a loss of 6.6 and were adopted, then broke the design's people (the
vulnerable woman's lasting pain 3.4); rounds 6-7 (design counted once in round 6, five times
in round 7, both with pain 4 required of her) found no candidate with both; round 8, with her
lasting pain graded (:data:`DESIGN_PAIN`), gave the adopted values (seed 14's best, loss
11.9).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import differential_evolution

from fmsim import resolve_model
from fmsim.instruments.measurement import MeasurementModel
from fmsim.population.cohort import SCREENING_DAYS, VARIABILITY_DAYS, screening_run
from fmsim.population.priors import prior_quantile, sample_parameters

_spec = importlib.util.spec_from_file_location("v2_core", Path(__file__).with_name("v2_core.py"))
core = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(core)

MODEL = "fm-v2"
OUTER_ROUNDS = {
    1: {"hw_P": (0.0, 0.25), "hw_fr": (0.0, 0.45), "hw_F": (0.0, 0.45), "theta_Pm": (0.9, 1.6),
        "w_PC": (0.8, 1.3), "sigma_PC": (0.25, 0.6), "load_scale": (0.8, 3.0)},
    # round 2: narrowed around round 1's best (low w_PC, a larger load, broad sleep thresholds)
    2: {"hw_P": (0.0, 0.15), "hw_fr": (0.25, 0.5), "hw_F": (0.15, 0.45), "theta_Pm": (0.8, 1.3),
        "w_PC": (0.55, 1.0), "sigma_PC": (0.2, 0.5), "load_scale": (1.5, 3.5)},
    # round 3: the core's priming and severity kept (scripts/v2_core.py), the rest searched
    3: {"hw_P": (0.0, 0.25), "hw_fr": (0.0, 0.5), "hw_F": (0.0, 0.45), "theta_Pm": (1.19, 1.19),
        "w_PC": (1.4, 1.4), "sigma_PC": (0.28, 0.28), "load_scale": (0.5, 2.5)},
    # round 4: the top of the symptom map (central amplification, pain -> fragmentation) and
    # the priming threshold's centre with it; the thresholds near round 3's best
    4: {"hw_P": (0.0, 0.1), "hw_fr": (0.0, 0.4), "hw_F": (0.2, 0.45), "theta_Pm": (0.95, 1.3),
        "w_PC": (1.4, 1.4), "sigma_PC": (0.2, 0.45), "load_scale": (0.6, 1.6),
        "g_CS": (2.5, 4.5), "w_Pfr": (0.7, 1.5)},
    # round 6: as round 4 with the priming gain's median free and the core's design people
    # (scripts/v2_core.py) in the loss
    6: {"hw_P": (0.0, 0.1), "hw_fr": (0.0, 0.4), "hw_F": (0.2, 0.45), "theta_Pm": (0.95, 1.4),
        "w_PC": (1.2, 2.2), "sigma_PC": (0.2, 0.45), "load_scale": (0.8, 1.6),
        "g_CS": (3.0, 5.0), "w_Pfr": (0.8, 1.5)},
    # round 7: round 6 with the sensitization's slope, threshold and vulnerability weight
    7: {"hw_P": (0.0, 0.1), "hw_fr": (0.0, 0.4), "hw_F": (0.2, 0.45), "theta_Pm": (0.95, 1.4),
        "w_PC": (1.2, 2.2), "sigma_PC": (0.2, 0.45), "load_scale": (0.8, 1.6),
        "g_CS": (3.0, 5.0), "w_Pfr": (0.8, 1.5), "k_C": (1.5, 3.0), "theta_C": (1.7, 2.3),
        "s_VC": (0.8, 1.8)},
    # round 9 (from round 8's shipped values): the slow load halved (in round 8's trials the
    # placebo arm had 39% at least 30% relief with expectation near zero, above A0.1's
    # 30.8%; at half the load 34%), day-to-day noise scaled instead, prevalence and severity
    # refitted
    9: {"hw_P": (0.054, 0.054), "hw_fr": (0.057, 0.057), "hw_F": (0.2645, 0.2645),
        "theta_Pm": (0.95, 1.25), "w_PC": (1.3, 1.8), "sigma_PC": (0.229, 0.229),
        "load_scale": (0.5, 0.5), "noise_scale": (1.0, 2.5), "g_CS": (3.8, 4.6)},
    # round 10 (from round 9's shipped values, which it keeps): the measurement alone, with
    # the FIQR's function slope (assumed 6 in v1) free; round 11 adds B2.1 to the targets
    10: {"hw_P": (0.054, 0.054), "hw_fr": (0.057, 0.057), "hw_F": (0.2645, 0.2645),
         "theta_Pm": (1.087, 1.087), "w_PC": (1.529, 1.529), "sigma_PC": (0.229, 0.229),
         "load_scale": (1.0, 1.0)},
}
OUTER_ROUNDS[8] = OUTER_ROUNDS[7]  # round 7's best perturbed, the design as relaxed
OUTER_ROUNDS[11] = OUTER_ROUNDS[10]
"""The outer search's space in each round (random candidates, uniform in each range; round 5
is round 4 with ``--previous``); ``noise_scale`` scales the day-to-day noise amplitudes, and a
key that names a model parameter sets it for everyone."""
WIDTHS = {"hw_P": "theta_P", "hw_fr": "theta_fr", "hw_F": "theta_F"}
MEASUREMENT = {"area_pain": (0.0, 1.0), "area_cs": (0.2, 1.5), "area_threshold": (0.2, 1.1),
               "somatic_threshold": (0.2, 0.8), "item_floor": (0.05, 0.3),
               "item_range": (0.6, 0.95)}
FIQR_SCALE = {"function_threshold": (0.4, 0.9), "overall_threshold": (0.4, 0.9)}
"""From round 4 the inner search also places the FIQR's function and overall-impact items
(assumed in v1)."""
FIQR_SLOPE = {"function_slope": (2.0, 15.0)}
"""From round 10 the inner search also sets how steeply task difficulty rises with impairment
(assumed 6 in v1)."""
TARGETS = {  # name: (target, scale)
    "women": (0.0405, 0.006), "men": (0.0135, 0.004), "pain": (7.3, 0.3),
    "psd25": (13, 3), "psd50": (19, 2), "psd75": (24, 3),
    "fiqr25": (41, 6), "fiqr50": (61, 5), "fiqr75": (77, 6),
    "psd<=3": (0.68, 0.04), "fiqr_women_not_fm": (20.7, 3), "pain_sd": (1.35, 0.1),
}


def people(x: dict[str, float], n: int, seed: int) -> dict[str, np.ndarray]:
    """The candidate's people: the prior's draws with the candidate's thresholds."""
    registry = resolve_model(MODEL).registry
    params = sample_parameters(n, seed=seed, registry=registry)
    u = np.random.default_rng([seed, 17]).uniform(size=(len(WIDTHS) + 2, n))
    for k, (key, name) in enumerate(WIDTHS.items()):
        params[name] = registry.parameters[name].value + x[key] * (2 * u[k] - 1)
    lo, hi = registry.parameters["theta_Pm"].prior.bounds
    params["theta_Pm"] = x["theta_Pm"] + (hi - lo) * (u[-2] - 0.5)
    info = registry.parameters["w_PC"]
    prior = dataclasses.replace(info.prior, sigma=x["sigma_PC"])
    params["w_PC"] = prior_quantile(prior, x["w_PC"], u[-1])
    params["sd_load"] = params["sd_load"] * x["load_scale"]
    for name in ("sd_stress", "sd_sleep", "sd_inflammation"):
        params[name] = params[name] * x.get("noise_scale", 1.0)
    for name in registry.parameters.keys() & x.keys() - {"theta_Pm", "w_PC"}:
        info = registry.parameters[name]  # a prior keeps its spread and moves its centre
        params[name] = (np.full(n, x[name]) if info.prior.dist == "fixed"
                        else params[name] + x[name] - info.value)
    return params


def measured(screening, measurement: dict[str, float], seed: int, female: np.ndarray,
             pain: np.ndarray, pain_sd: np.ndarray, cs: np.ndarray | None = None,
             fiqr_mean: bool = False) -> dict[str, float]:
    """The targets' quantities from one screening answered with ``measurement`` (``pain``,
    ``pain_sd``: each person's mean diary pain over the last week and its SD over the last
    :data:`VARIABILITY_DAYS`)."""
    measure = MeasurementModel(seed, model=resolve_model(MODEL).name)
    measure.p.update(measurement)
    last = SCREENING_DAYS - 1
    acr = measure.score(screening, "acr2016", last)
    fiqr = measure.score(screening, "fiqr", last).total
    fm = np.asarray(acr.positive, bool)
    psd = np.asarray(acr.psd, float)
    q_psd = np.percentile(psd[fm], [25, 50, 75]) if fm.any() else np.full(3, np.nan)
    q_fiqr = np.percentile(fiqr[fm], [25, 50, 75]) if fm.any() else np.full(3, np.nan)
    return {"women": fm[female].mean(), "men": fm[~female].mean(),
            "pain": pain[fm].mean() if fm.any() else np.nan,
            **dict(zip(("psd25", "psd50", "psd75"), q_psd, strict=True)),
            **dict(zip(("fiqr25", "fiqr50", "fiqr75"), q_fiqr, strict=True)),
            "psd<=3": (psd <= 3).mean(), "fiqr_women_not_fm": fiqr[female & ~fm].mean(),
            "pain_sd": pain_sd[fm].mean() if fm.any() else np.nan,
            **({} if cs is None else {"cs": np.median(cs[fm]) if fm.any() else np.nan}),
            **({"fiqr_mean": fiqr[fm].mean() if fm.any() else np.nan} if fiqr_mean else {})}


DESIGN_WEIGHT = 5.0
"""From round 7, the design's people (:func:`design_violation`) count this many times (once
in round 6)."""
DESIGN_PAIN = {"lasting_pain": 3.0, "high_gain_pain": 4.5}
"""From round 8, what the design's vulnerable woman must keep from a month after each trigger:
pain 3/10 at her median priming gain, 4.5 at its 95th centile (rounds 6-7: 4 at both)."""
FIQR_MEAN = (64.7, 3.0)
"""From round 11: the FIQR mean among people with FM in the general population (B2.1: 64.7,
59.7-69.7), beside B2.10's quartiles."""
CS_CEILING = (0.85, 0.02)
"""From round 6: central sensitization's median among people with FM at most 0.85 of its
ceiling (issue 20), a one-sided miss in units of 0.02."""


def loss(got: dict[str, float]) -> float:
    misses = [(got[k] - t) / s for k, (t, s) in TARGETS.items()]
    if "cs" in got:
        misses.append(max(got["cs"] - CS_CEILING[0], 0.0) / CS_CEILING[1])
    if "fiqr_mean" in got:
        misses.append((got["fiqr_mean"] - FIQR_MEAN[0]) / FIQR_MEAN[1])
    return float(np.sum(np.nan_to_num(np.asarray(misses), nan=10.0) ** 2))


def design_violation(x: dict[str, float]) -> tuple[float, dict]:
    """The core's requirements on the design's people (:func:`v2_core.loss`) at the
    candidate's values, without its population proxy (which the screening replaces) and
    without the vulnerable woman's 6.5/10 (calibration.md B1.12 is a trial cohort's mean, which
    the screening's people with FM now carry): she must still stay in pain (DESIGN section 3)."""
    c = core.shipped()
    c.update({k: np.array([x[k]]) for k in ("w_PC", "sigma_PC", "theta_Pm", "g_CS", "w_Pfr",
                                            "k_C", "theta_C", "s_VC") if k in x})
    total, report = core.loss(c, proxy=False, chronic_pain=None, **DESIGN_PAIN)
    return float(total[0]), report[0]


def evaluate(x: dict[str, float], n: int, seed: int, de_seed: int,
             inner_space: dict[str, tuple[float, float]] = MEASUREMENT, design: bool = False,
             fiqr_mean: bool = False) -> tuple[float, dict[str, float], dict[str, float]]:
    """Screen the candidate's people, then fit the measurement model to the screening
    (``design``: with the sensitization ceiling and the design's people in the loss;
    ``fiqr_mean``: with B2.1)."""
    params, screening = screening_run(n, seed, "general", model=MODEL,
                                      params=people(x, n, seed))
    female = params["female"] > 0.5
    measure = MeasurementModel(seed, model=resolve_model(MODEL).name)
    daily = measure.diary(screening)["pain"].values
    pain, pain_sd = daily[:, -7:].mean(axis=1), daily[:, -VARIABILITY_DAYS:].std(axis=1, ddof=1)
    cs = (screening["trajectory"].sel(variable="CS").values[:, -7:].mean(axis=1) if design
          else None)
    names = list(inner_space)

    def inner(v: np.ndarray) -> float:
        return loss(measured(screening, dict(zip(names, v, strict=True)), seed, female, pain,
                             pain_sd, cs, fiqr_mean))

    best = differential_evolution(inner, list(inner_space.values()), seed=de_seed, maxiter=12,
                                  popsize=6, polish=False, tol=1e-3)
    measurement = dict(zip(names, best.x.tolist(), strict=True))
    got = measured(screening, measurement, seed, female, pain, pain_sd, cs, fiqr_mean)
    if not design:
        return best.fun, measurement, got
    violation, report = design_violation(x)
    got |= {"design": violation} | report["pain"]
    return best.fun + DESIGN_WEIGHT * violation, measurement, got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--round", type=int, default=1, choices=sorted(OUTER_ROUNDS))
    ap.add_argument("--n-candidates", type=int, default=12)
    ap.add_argument("--n", type=int, default=6000, help="people per candidate")
    ap.add_argument("--seed", type=int, default=0, help="the population's seed")
    ap.add_argument("--search-seed", type=int, default=1)
    ap.add_argument("--previous", help="perturb the best three of an earlier round's output")
    ap.add_argument("--out", default="v2_population_fit.npz")
    args = ap.parse_args()
    rng = np.random.default_rng(args.search_seed)
    m, space = args.n_candidates, OUTER_ROUNDS[args.round]
    inner_space = (MEASUREMENT | (FIQR_SCALE if args.round >= 4 else {})
                   | (FIQR_SLOPE if args.round >= 10 else {}))
    if args.previous:
        prev = np.load(args.previous)
        pick = rng.choice(np.argsort(prev["loss"])[:3], m)
        xs = {k: np.clip(prev[k][pick] + rng.normal(0, 0.08 * (r[1] - r[0]), m), *r)
              for k, r in space.items()}
    else:
        xs = {k: rng.uniform(*r, m) for k, r in space.items()}
    losses = np.full(m, np.nan)
    fitted = {k: np.full(m, np.nan) for k in inner_space}
    for j in range(m):
        x = {k: float(v[j]) for k, v in xs.items()}
        losses[j], measurement, got = evaluate(x, args.n, args.seed, args.search_seed + j,
                                               inner_space, design=args.round >= 6,
                                               fiqr_mean=args.round >= 11)
        for k, v in measurement.items():
            fitted[k][j] = v
        print(f"{losses[j]:8.2f}", {k: round(v, 3) for k, v in (x | measurement).items()},
              {k: round(float(v), 3) for k, v in got.items()}, flush=True, file=sys.stderr)
        np.savez(args.out, loss=losses, **xs, **fitted)
    for j in np.argsort(losses)[:3]:
        print(f"{losses[j]:.2f}", {k: round(float(v[j]), 3) for k, v in (xs | fitted).items()})


if __name__ == "__main__":
    main()
