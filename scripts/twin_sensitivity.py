"""Which of the twin's parameters set what a diary shows: Sobol indices over the twin's prior.

The twin fits six parameters (``FITTED``) and integrates over 29 more (``INTEGRATED``); both
are drawn from their population priors, every other parameter at the base person's value
(:data:`fmsim.twin.likelihood.BASE_PERSON`). Each sampled person lives the past the fit
assumes (:data:`fmsim.twin.likelihood.HISTORY`: the ``fm-diary`` scenario's injury, lived in
the day-to-day noise for :data:`~fmsim.twin.likelihood.HISTORY_DAYS` days) and then ``--days``
diary days, answered by the measurement model. For each column the twin weighs (``COLUMNS``),
the diary's mean and its day-to-day SD are explained by Sobol first and total indices (issue
8's :func:`fmsim.analysis.sensitivity.analyse`, SALib; Saltelli et al. 2010), with bootstrap
95% intervals. One sample serves every output.

Each sampled person draws their own noise, so every total index carries a floor (what a
parameter the output ignores gets; reported as the smallest ST of the output): only indices
above it say anything, and the first-order indices, which the noise only dilutes, rank more
clearly. Sobol indices apportion variance over the prior; they do not say what a diary can tell
apart (two parameters that trade off both rank high and neither is identified: docs/twin.md,
"Parameters"), so they are read beside the likelihood profiles.

    python scripts/twin_sensitivity.py --n 4096 --out docs/twin-sensitivity.json
    # 151,552 people, 2-4 minutes
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from fmsim.analysis.sensitivity import analyse, model_problem
from fmsim.engine import map_chunks, simulate
from fmsim.instruments.measurement import LATENT, MeasurementModel
from fmsim.model.models import resolve_model
from fmsim.studies import load_scenario
from fmsim.twin.fit import COLUMNS, FITTED, INTEGRATED
from fmsim.twin.likelihood import BASE_PERSON, HISTORY, HISTORY_DAYS

MODEL = "fm-v2"
CHUNK = 2048
STATISTICS = ("mean", "sd")


def diary_statistics(values: dict[str, np.ndarray], days: int, seed: int) -> np.ndarray:
    """Each sampled person's diary mean and day-to-day SD of every column of ``COLUMNS``
    (people x columns x statistics), after the twin's assumed past."""
    model = resolve_model(MODEL)
    story = load_scenario(HISTORY, MODEL)
    n = len(next(iter(values.values())))
    assert story.person == BASE_PERSON  # the base person the twin assumes
    base = story.params()
    params = {k: np.full(n, v, dtype=float) for k, v in base.items()} | values
    total = HISTORY_DAYS + days
    warm = simulate(model, story.warmup_days, params, record=())["final"].values
    run = simulate(model, total, params, story.inputs(total),
                   dict(zip(model.state_names, warm.T, strict=True)), stochastic=True,
                   seed=seed, record=(*LATENT, "Act"))
    answers = MeasurementModel(seed, model=MODEL).diary(run).isel(day=slice(HISTORY_DAYS,
                                                                             total))
    out = np.empty((n, len(COLUMNS), len(STATISTICS)))
    for j, column in enumerate(COLUMNS):
        x = answers[column].values.astype(float)
        out[:, j] = np.stack([x.mean(axis=1), x.std(axis=1, ddof=1)], axis=1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1024, help="Sobol base sample (a power of two)")
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--executor", default="processes")
    ap.add_argument("--out", type=Path, help="write the indices here as JSON")
    args = ap.parse_args()
    names = (*FITTED, *INTEGRATED)
    problem = model_problem(MODEL, names)
    cache: dict[bytes, np.ndarray] = {}

    def statistics(values: dict[str, np.ndarray]) -> np.ndarray:
        key = np.stack([values[k] for k in names]).tobytes()
        if key not in cache:  # every output analyses the same sample
            rows = len(values[names[0]])
            chunks = [({k: v[a:a + CHUNK] for k, v in values.items()}, args.days,
                       int(np.random.SeedSequence([args.seed, a]).generate_state(1)[0]))
                      for a in range(0, rows, CHUNK)]  # each chunk its own noise
            cache[key] = np.concatenate(map_chunks(diary_statistics, chunks, args.executor))
        return cache[key]

    report = {"n": args.n, "days": args.days, "seed": args.seed, "fitted": list(FITTED),
              "outputs": {}}
    for j, column in enumerate(COLUMNS):
        for k, stat in enumerate(STATISTICS):
            runs, indices = analyse(problem, lambda v, j=j, k=k: statistics(v)[:, j, k],
                                    "sobol", args.n, args.seed)
            floor = min(p.indices["ST"] for p in indices)
            name = f"{column} {stat}"
            report["outputs"][name] = {
                "floor": floor, "runs": runs,
                "parameters": [{"name": p.name, **p.indices,
                                **{f"{k}_ci": list(v) for k, v in p.intervals.items()}}
                               for p in indices]}
            first = sorted(indices, key=lambda p: -p.indices["S1"])[:6]
            print(f"{name}, S1 / ST (floor {floor:.2f}; * fitted): " + ", ".join(
                f"{p.name}{'*' if p.name in FITTED else ''} {p.indices['S1']:.2f} / "
                f"{p.indices['ST']:.2f}" for p in first))
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
