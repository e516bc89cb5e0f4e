"""``fmsim vpop``: a virtual population's prevalence, sex ratio and baseline distributions.

A ``general`` population is people from the priors who live through random major life events
and are screened; an ``fm-clinic`` population is a selected trial-eligible FM cohort
(:mod:`fmsim.population.cohort`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from ..engine import check_executor, run_chunks
from ..errors import MAX_SEED, FMSimError, whole_number
from ..model.models import ModelRef
from ..population.cohort import CHUNK, HISTORIES, SCORES, fm_clinic_cohort, population_task
from ..stats import Summary, describe, prevalence_ratio, rate
from .table import PerPatient

__all__ = ["BASELINE", "PopulationResult", "PopulationSpec", "run_population", "screen_people"]

BASELINE = (*SCORES, "fiqr", "psd", "pain_sd")
"""The baseline scores summarized per group (diary 0-10 past-week means, FIQR 0-100, PSD
0-31, and the SD of daily diary pain over the last four weeks of screening)."""

GROUPS = ("fm", "no_fm")
"""People meeting the ACR 2016 criteria, and the rest."""


@dataclass(frozen=True)
class PopulationSpec:
    """``n`` virtual people of a ``population`` (``general`` or ``fm-clinic``), from ``seed``."""

    n: int = 2000
    population: str = "general"
    seed: int = 0

    def __post_init__(self) -> None:
        if self.population not in HISTORIES:
            raise FMSimError(f"unknown population {self.population!r}; allowed: "
                             f"{', '.join(HISTORIES)}")
        whole_number("n", self.n, 1, 500_000)
        whole_number("seed", self.seed, 0, MAX_SEED)


@dataclass(frozen=True, eq=False)
class PopulationResult(PerPatient):
    """The screened people of a population (a dataset over ``patient``: the screening's diary
    means ``pain``, ``fatigue``, ``sleep_quality``, ``mood``, ``fiqr``, ``psd``, ``acr2016``,
    ``acr2011``, ``eligible``, and ``parameters``, ``states`` and ``latent`` (past-week means
    of model quantities); see :func:`fmsim.population.screen`) and how many candidates were
    screened."""

    spec: PopulationSpec
    screened: int
    patients: xr.Dataset = field(repr=False)

    @property
    def fm(self) -> np.ndarray:
        """Who meets the ACR 2016 criteria."""
        return self.patients["acr2016"].values.astype(bool)

    @property
    def female(self) -> np.ndarray:
        """Who is a woman."""
        return self.patients["parameters"].sel(parameter="female").values > 0.5

    @property
    def prevalence(self) -> float:
        """The share meeting the ACR 2016 criteria."""
        return float(self.fm.mean())

    @property
    def sex_ratio_prevalence(self) -> float | None:
        """Prevalence among women over prevalence among men (None without men with FM)."""
        return prevalence_ratio(self.fm, self.female)

    def group(self, name: str) -> np.ndarray:
        """Who is in group ``fm`` or ``no_fm``."""
        return self.fm if name == "fm" else ~self.fm

    def baseline(self) -> dict[str, dict[str, Summary | None]]:
        """Each score's distribution among people with FM and without (groups with nobody are
        left out)."""
        return {g: {s: describe(self.patients[s].values[self.group(g)]) for s in BASELINE}
                for g in GROUPS if self.group(g).any()}

    def to_dict(self) -> dict:
        """The ``fmsim vpop --json`` object: ``prevalence`` (ACR 2016 and 2011, by sex),
        ``sex_ratio`` (women per man among those meeting ACR 2016), ``sex_ratio_prevalence``
        and ``baseline`` (per group and score: mean, sd, p25, median, p75)."""
        fm, female = self.fm, self.female
        prevalence = {"acr2016": rate(fm), "acr2011": rate(self.patients["acr2011"].values),
                      "acr2016_women": rate(fm[female]), "acr2016_men": rate(fm[~female])}
        men_fm = int((fm & ~female).sum())
        return {
            "population": self.spec.population, "n": self.spec.n, "seed": self.spec.seed,
            "screened": self.screened, "prevalence": prevalence,
            "female_share": float(female.mean()),
            "female_share_fm": rate(female[fm]),
            "sex_ratio": int((fm & female).sum()) / men_fm if men_fm else None,
            "sex_ratio_prevalence": self.sex_ratio_prevalence,
            "baseline": {g: {s: None if d is None else d.to_dict() for s, d in scores.items()}
                         for g, scores in self.baseline().items()},
        }

    def summary(self) -> str:
        """One sentence: size, prevalence by sex and criteria, and women among FM."""
        d = self.to_dict()
        prev = d["prevalence"]

        def pct(x: float | None) -> str:
            return "-" if x is None else f"{x:.1%}"

        return (f"{d['population']}: {d['n']} people ({d['screened']} screened). ACR 2016 "
                f"{pct(prev['acr2016'])} (women {pct(prev['acr2016_women'])}, men "
                f"{pct(prev['acr2016_men'])}); ACR 2011 {pct(prev['acr2011'])}; women among FM "
                f"{pct(d['female_share_fm'])}.")

    def rows(self) -> list[tuple[str, ...]]:
        """The baseline table, header first: group, score, mean, SD, median (IQR)."""
        rows = [("group", "score", "mean", "SD", "median (IQR)")]
        rows += [(g, s, f"{d.mean:.1f}", f"{d.sd:.1f}",
                  f"{d.median:.1f} ({d.p25:.1f}-{d.p75:.1f})")
                 for g, scores in self.baseline().items() for s, d in scores.items()]
        return rows


def screen_people(n: int, seed: int, executor: str | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  model: ModelRef = None) -> xr.Dataset:
    """``n`` people of the general population, screened (in chunks on ``executor``)."""
    return run_chunks(population_task("general", model, executor), n, seed=seed,
                      chunk_size=CHUNK, executor=executor, progress=progress)


def run_population(spec: PopulationSpec, *, executor: str | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   model: ModelRef = None) -> PopulationResult:
    """Draw and screen ``spec.n`` virtual people (``general``) or select ``spec.n`` FM-clinic
    patients (``fm-clinic``)."""
    check_executor(executor)
    if spec.population == "general":
        people = screen_people(spec.n, spec.seed, executor, progress, model)
        return PopulationResult(spec, spec.n, people)
    people, screened = fm_clinic_cohort(spec.n, seed=spec.seed, executor=executor,
                                        progress=progress, model=model)
    return PopulationResult(spec, screened, people)
