"""``fmsim vpop``: a virtual population's prevalence, sex ratio and baseline distributions."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..errors import FMSimError
from .cohort import (
    CHUNK,
    HISTORIES,
    SCORES,
    fm_clinic_cohort,
    general_population,
    prevalence_ratio,
)
from .executors import run_chunks

__all__ = ["describe", "virtual_population"]

BASELINE = (*SCORES, "fiqr", "psd")
"""The baseline scores summarized per group (diary 0-10 past-week means, FIQR 0-100, PSD
0-31)."""


def describe(values: np.ndarray) -> dict[str, float] | None:
    """Mean, SD and quartiles of ``values`` (``None`` when empty)."""
    if values.size == 0:
        return None
    q25, q50, q75 = np.percentile(values, [25, 50, 75])
    return {"mean": float(values.mean()), "sd": float(values.std(ddof=1)) if values.size > 1
            else 0.0, "p25": float(q25), "median": float(q50), "p75": float(q75)}


def _rate(flags: np.ndarray) -> float | None:
    return float(flags.mean()) if flags.size else None


def virtual_population(n: int, population: str = "general", seed: int = 0,
                       executor: str | None = None,
                       progress: Callable[[int, int], None] | None = None) -> dict:
    """Draw and screen ``n`` virtual people (``general``) or select ``n`` FM-clinic patients
    (``fm-clinic``; see :mod:`.cohort`); returns the ``fmsim vpop`` JSON object.

    ``prevalence`` is the share meeting the ACR 2016 and 2011 criteria (by sex too);
    ``sex_ratio`` the number of women per man among those meeting ACR 2016 and
    ``sex_ratio_prevalence`` the ratio of the women's and men's prevalences; ``baseline`` the
    distribution of each score among people with FM (``fm``, ACR 2016 positive) and without
    (``no_fm``).
    """
    if population not in HISTORIES:
        raise FMSimError(f"unknown population {population!r}; allowed: {', '.join(HISTORIES)}")
    if not isinstance(n, int) or n < 1:
        raise FMSimError(f"n must be a whole number >= 1, not {n!r}")
    screened = n
    if population == "general":
        people = run_chunks(general_population, n, seed=seed, chunk_size=CHUNK,
                            executor=executor, progress=progress)
    else:
        people, screened = fm_clinic_cohort(n, seed=seed, executor=executor, progress=progress)
    female = people["param_female"] > 0.5
    fm = people["acr2016"].astype(bool)
    prevalence = {"acr2016": _rate(fm), "acr2011": _rate(people["acr2011"]),
                  "acr2016_women": _rate(fm[female]), "acr2016_men": _rate(fm[~female])}
    men_fm = int((fm & ~female).sum())
    return {
        "population": population, "n": n, "seed": seed, "screened": screened,
        "prevalence": prevalence,
        "female_share": float(female.mean()),
        "female_share_fm": _rate(female[fm]),
        "sex_ratio": int((fm & female).sum()) / men_fm if men_fm else None,
        "sex_ratio_prevalence": prevalence_ratio(fm, female),
        "baseline": {group: {s: describe(people[s][mask]) for s in BASELINE}
                     for group, mask in (("fm", fm), ("no_fm", ~fm)) if mask.any()},
    }
