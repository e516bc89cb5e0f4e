"""``fmsim natural-history``: an FM-clinic cohort followed for years without added treatment.

The cohort is selected as for a trial (:func:`fmsim.population.fm_clinic_cohort`) and then lives
on in stochastic mode with no treatment context. At the end of every year each patient answers
the ACR 2016 criteria and the diary through the measurement model. ``ever_criteria_negative`` is
the share who failed the criteria at one or more yearly assessments; ``improved`` and
``worsened`` compare the last year's past-week diary pain with baseline, by the 30% change that
defines a moderate responder in the trials of calibration.md section A. calibration.md has no
natural-history targets (section B.4 is empty): everything here is the model's prediction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from ..engine import check_executor, simulate
from ..errors import MAX_SEED, whole_number
from ..instruments.measurement import LATENT, diary, score_simulation
from ..model.models import ModelRef, resolve_model
from ..population import fm_clinic_cohort, parameters_of, states_of
from ..stats import describe
from .table import PerPatient

__all__ = ["NaturalHistoryResult", "NaturalHistorySpec", "run_natural_history"]

YEAR = 365
CHANGE = 0.30


@dataclass(frozen=True)
class NaturalHistorySpec:
    """``n`` FM-clinic patients followed for ``years`` years, from ``seed``."""

    years: int = 5
    n: int = 200
    seed: int = 0

    def __post_init__(self) -> None:
        whole_number("years", self.years, 1, 30)
        whole_number("n", self.n, 2, 20_000)
        whole_number("seed", self.seed, 0, MAX_SEED)


@dataclass(frozen=True, eq=False)
class NaturalHistoryResult(PerPatient):
    """The cohort's course: per patient and ``year`` (0 = baseline) the past-week diary
    ``pain`` (0-10), ``psd`` (0-31) and whether they meet ACR 2016 (``acr2016``), plus their
    ``parameters``; how many candidates were screened."""

    VISIT = "year"
    spec: NaturalHistorySpec
    screened: int
    patients: xr.Dataset = field(repr=False)

    @property
    def change(self) -> np.ndarray:
        """Each patient's relative change in pain from baseline to the last year."""
        pain = self.patients["pain"].values
        return (pain[:, -1] - pain[:, 0]) / pain[:, 0]

    def to_dict(self) -> dict:
        """The ``fmsim natural-history --json`` object."""
        positive = self.patients["acr2016"].values
        psd = self.patients["psd"].values
        pain = self.patients["pain"].values
        change = self.change
        return {
            "years": self.spec.years, "n": self.spec.n, "seed": self.spec.seed,
            "screened": self.screened,
            "ever_criteria_negative": float(np.mean(~np.all(positive, axis=1))),
            "criteria_positive_by_year": [float(p.mean()) for p in positive.T],
            "improved": float(np.mean(change <= -CHANGE)),
            "worsened": float(np.mean(change >= CHANGE)),
            "psd_by_year": [float(p.mean()) for p in psd.T],
            "pain_baseline": describe(pain[:, 0]).to_dict(),
            "pain_final": describe(pain[:, -1]).to_dict(),
        }

    def summary(self) -> str:
        """One sentence of the headline shares."""
        d = self.to_dict()
        return (f"{d['n']} FM patients over {d['years']} years: ever criteria-negative "
                f"{d['ever_criteria_negative']:.0%}, improved (pain -30%) {d['improved']:.0%}, "
                f"worsened (pain +30%) {d['worsened']:.0%}.")

    def rows(self) -> list[tuple[str, ...]]:
        """Year by year: mean PSD and the share meeting ACR 2016, header first."""
        d = self.to_dict()
        rows = [("year", "PSD (mean)", "meeting ACR 2016")]
        rows += [(str(year), f"{psd:.1f}", f"{pos:.0%}") for year, (psd, pos) in enumerate(
            zip(d["psd_by_year"], d["criteria_positive_by_year"], strict=True))]
        return rows


def run_natural_history(spec: NaturalHistorySpec, *, executor: str | None = None,
                        progress: Callable[[int, int], None] | None = None,
                        model: ModelRef = None) -> NaturalHistoryResult:
    """Follow the cohort (see the module docstring); ``progress(years_done, years)``."""
    check_executor(executor)
    model = resolve_model(model)
    cohort, screened = fm_clinic_cohort(spec.n, seed=spec.seed, executor=executor, model=model)
    params, states = parameters_of(cohort), states_of(cohort)
    seed = spec.seed
    pain = [cohort["pain"].values]
    psd = [cohort["psd"].values]
    positive = [cohort["acr2016"].values.astype(bool)]
    for year in range(spec.years):
        ds = simulate(model, YEAR, params, None, states, stochastic=True, seed=seed + 1 + year,
                      record=LATENT)
        states = dict(zip(model.state_names, ds["final"].values.T, strict=True))
        acr = score_simulation(ds, "acr2016", YEAR - 1, seed + year)
        positive.append(acr.positive)
        psd.append(acr.psd.astype(float))
        pain.append(diary(ds, seed=seed + year)["pain"].values[:, -7:].mean(axis=1))
        if progress:
            progress(year + 1, spec.years)
    patients = cohort[["parameters"]].assign(
        pain=(("patient", "year"), np.stack(pain, axis=1)),
        psd=(("patient", "year"), np.stack(psd, axis=1)),
        acr2016=(("patient", "year"), np.stack(positive, axis=1)),
    ).assign_coords(year=np.arange(spec.years + 1))
    return NaturalHistoryResult(spec, screened, patients)
