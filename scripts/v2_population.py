"""Models side by side in one general population: issue 20's population targets.

For each model: a general population (``fmsim vpop``'s, same seed), then twelve weeks of
diaries of the people who meet ACR 2016 (stochastic, from their screened states). Printed: the
prevalence and the female/male ratio (calibration.md B3.1: 2.7%, about 3), among people with
FM the diary pain, the FIQR quartiles (B2.10: 61, 41-77) and the PSD quartiles (B2.11: 19,
13-24), among people without FM the share at PSD 4 or more (D.5: a third of the population),
central sensitization among people with FM (issue 20: at most 0.85 of its ceiling), and the
within-person SD of daily diary pain (B5.1: 1.61 for momentary entries, daily means somewhat
less) with its lag-1 autocorrelation.

    python scripts/v2_population.py --n 20000 --models fm-v1 fm-v2
"""

from __future__ import annotations

import argparse

import numpy as np

from fmsim import PopulationSpec, resolve_model, run_population, simulate
from fmsim.instruments.measurement import LATENT, diary


def quartiles(x: np.ndarray) -> str:
    q = np.percentile(x, [25, 50, 75]) if len(x) else [np.nan] * 3
    return f"{q[1]:.0f} ({q[0]:.0f}-{q[2]:.0f})"


def report(model: str, n: int, seed: int, executor: str) -> dict[str, str]:
    result = run_population(PopulationSpec(n, "general", seed), executor=executor, model=model)
    people = result.patients
    fm = result.fm
    latent = people["latent"]
    cs = latent.sel(quantity="CS").values
    chosen = np.where(fm)[0]
    params = {str(k): people["parameters"].sel(parameter=k).values[chosen]
              for k in people["parameters"]["parameter"].values}
    states = {str(k): people["states"].sel(state=k).values[chosen]
              for k in people["states"]["state"].values}
    run = simulate(resolve_model(model), 84, params, None, states, stochastic=True,
                   seed=seed + 7, record=LATENT)
    pain = diary(run, seed=seed + 7)["pain"].values.astype(float)
    lag1 = np.nanmean([np.corrcoef(x[:-1], x[1:])[0, 1] for x in pain])
    sd = pain.std(axis=1, ddof=1)
    return {
        "prevalence (ratio F/M)": f"{result.prevalence:.2%} ({result.sex_ratio_prevalence:.1f})",
        "FM: diary pain mean (SD)": f"{people['pain'].values[fm].mean():.1f} "
                                    f"({people['pain'].values[fm].std():.1f})",
        "FM: FIQR median (IQR)": quartiles(people["fiqr"].values[fm]),
        "FM: PSD median (IQR)": quartiles(people["psd"].values[fm]),
        "not FM: PSD >= 4": f"{(people['psd'].values[~fm] >= 4).mean():.1%}",
        "FM: central sensitization median": f"{np.median(cs[fm]):.2f}",
        "FM: SD of daily diary pain, last 4 weeks of screening":
            f"{people['pain_sd'].values[fm].mean():.2f}",
        "FM: diary pain SD over 12 weeks (lag-1 r)": f"{sd.mean():.2f} ({lag1:.2f})",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--models", nargs="+", default=["fm-v1", "fm-v2"])
    ap.add_argument("--executor", default="processes")
    args = ap.parse_args()
    rows = {m: report(m, args.n, args.seed, args.executor) for m in args.models}
    print("| quantity | " + " | ".join(args.models) + " |")
    print("|---" * (len(args.models) + 1) + "|")
    for key in rows[args.models[0]]:
        print(f"| {key} | " + " | ".join(rows[m][key] for m in args.models) + " |")


if __name__ == "__main__":
    main()
