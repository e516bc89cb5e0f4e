"""``fmsim natural-history``: an FM-clinic cohort followed for years without added treatment.

The cohort is selected as for a trial (:func:`.cohort.fm_clinic_cohort`) and then lives on in
stochastic mode with no treatment context. At the end of every year each patient answers the
ACR 2016 criteria and the diary through the measurement model. ``ever_criteria_negative`` is
the share who failed the criteria at one or more yearly assessments; ``improved`` and
``worsened`` compare the last year's past-week diary pain with baseline, by the 30% change that
defines a moderate responder in the trials of calibration.md section A. calibration.md has no
natural-history targets (section B.4 is empty): everything here is the model's prediction.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..engine import simulate
from ..errors import FMSimError
from ..instruments.measurement import LATENT, diary, score_simulation
from ..model.fm import fm_model
from .cohort import fm_clinic_cohort
from .simulate import split_people
from .vpop import describe

__all__ = ["natural_history"]

YEAR = 365
CHANGE = 0.30


def natural_history(years: int, n: int, seed: int = 0, executor: str | None = None,
                    progress: Callable[[int, int], None] | None = None) -> dict:
    """Follow ``n`` FM-clinic patients for ``years`` years; the ``fmsim natural-history``
    JSON object (see the module docstring)."""
    for label, value in (("years", years), ("n", n)):
        if not isinstance(value, int) or value < 1:
            raise FMSimError(f"{label} must be a whole number >= 1, not {value!r}")
    cohort, screened = fm_clinic_cohort(n, seed=seed, executor=executor)
    params, states = split_people(cohort)
    model = fm_model()
    baseline_pain = cohort["pain"]
    psd = [cohort["psd"]]
    positive = [cohort["acr2016"].astype(bool)]
    pain = baseline_pain
    for year in range(years):
        ds = simulate(model, YEAR, params, None, states, stochastic=True,
                      seed=seed + 1 + year, record=LATENT)
        states = dict(zip(model.state_names, ds["final"].values.T, strict=True))
        acr = score_simulation(ds, "acr2016", YEAR - 1, seed + year)
        positive.append(np.array([r["positive"] for r in acr]))
        psd.append(np.array([r["psd"] for r in acr], dtype=float))
        pain = diary(ds, seed=seed + year)["pain"].values[:, -7:].mean(axis=1)
        if progress:
            progress(year + 1, years)
    change = (pain - baseline_pain) / baseline_pain
    return {
        "years": years, "n": n, "seed": seed, "screened": screened,
        "ever_criteria_negative": float(np.mean(~np.all(positive, axis=0))),
        "criteria_positive_by_year": [float(p.mean()) for p in positive],
        "improved": float(np.mean(change <= -CHANGE)),
        "worsened": float(np.mean(change >= CHANGE)),
        "psd_by_year": [float(p.mean()) for p in psd],
        "pain_baseline": describe(baseline_pain), "pain_final": describe(pain),
    }
