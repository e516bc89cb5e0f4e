"""FM versus non-FM virtual people in one population: the physiological read-outs.

One general population from the priors lives through random life events
(:mod:`fmsim.population.cohort`, ``general`` history); those meeting the ACR 2016 criteria are
the FM group, the rest the controls. Each read-out is taken as a study measures it (the
measurement model, :meth:`fmsim.instruments.measurement.MeasurementModel.readouts` and
:meth:`~fmsim.instruments.measurement.MeasurementModel.psqi`), and Hedges' g is FM minus
control, with calibration.md's conventions: ``cpm`` is reported so that a positive g means less
inhibition in FM. The model has one cytokine index: ``cytokines``, ``il6`` and ``tnf`` are
three assays of it, each with its own unexplained spread. Two measurement parameters were
fitted to section C (the unexplained spread of plasma cytokines to C2.3-C2.5, the
pressure-threshold exponent to C4.6); the directions and the other read-outs are predictions
(``fmsim validate`` compares them with calibration.md section C). In model v2 every read-out
also carries the between-person spread published for healthy adults that the model does not
explain, so its effect size can be compared with studies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from ..engine import check_executor
from ..errors import MAX_SEED, FMSimError, whole_number
from ..instruments.measurement import READOUT_SPREAD, MeasurementModel
from ..model.models import ModelRef, resolve_model
from ..population.cohort import READOUTS
from ..stats import Estimate, hedges_g
from .population import screen_people
from .table import PerPatient

__all__ = ["ABSOLUTE", "MEASURED", "PhenotypeResult", "PhenotypeSpec", "phenotype_of",
           "run_phenotype"]

MEASURED = ("muscle_blood_flow", "hrv", "cytokines", "il6", "tnf", "cpm", "temporal_summation",
            "ppt", "tspo", "sleep_efficiency", "psqi")
"""The read-outs compared, as a study measures them (DESIGN section 5 names)."""

ABSOLUTE = ("ppt_ratio", "sleep_efficiency_fm", "sleep_efficiency_control", "pain_fm",
            "pain_control", "psqi_fm", "psqi_control")
"""The absolute values reported beside the effect sizes."""

_SIGN = {"cpm": -1.0}
"""Read-outs reported with a flipped sign (cpm: positive g = less inhibition in FM)."""


@dataclass(frozen=True)
class PhenotypeSpec:
    """A general population of ``n`` people (about 3% develop FM), from ``seed``."""

    n: int = 5000
    seed: int = 0

    def __post_init__(self) -> None:
        whole_number("n", self.n, 2, 500_000)
        whole_number("seed", self.seed, 0, MAX_SEED)


@dataclass(frozen=True, eq=False)
class PhenotypeResult(PerPatient):
    """Hedges' g (FM minus control) of every measured read-out with its 95% interval, absolute
    values, and the people: the screened population (see :class:`.population.PopulationResult`)
    with ``fm`` and the measured read-outs ``measured`` (patient, readout)."""

    spec: PhenotypeSpec
    n_fm: int
    n_control: int
    hedges_g: dict[str, Estimate]
    absolute: dict[str, float]
    patients: xr.Dataset = field(repr=False)
    healthy_spread: bool = False
    """Whether the read-outs carry the published between-person spread of healthy adults that
    the model does not explain (model v2's measurement; see
    :meth:`fmsim.instruments.measurement.MeasurementModel.readouts`)."""

    def to_dict(self) -> dict:
        """The ``fmsim phenotype --json`` object: ``hedges_g`` and ``hedges_g_ci`` (read-out ->
        g, [low, high]) and ``absolute``."""
        pairs = {name: g.as_json() for name, g in self.hedges_g.items()}
        return {"n": self.spec.n, "n_fm": self.n_fm, "n_control": self.n_control,
                "hedges_g": {k: v for k, (v, _) in pairs.items()},
                "hedges_g_ci": {k: ci for k, (_, ci) in pairs.items()},
                "absolute": self.absolute, "seed": self.spec.seed}

    def summary(self) -> str:
        """The absolute values, and which read-outs were fitted, in words."""
        a = self.absolute
        return (f"Pressure pain threshold, FM / control: {a['ppt_ratio']:.2f}. Sleep efficiency "
                f"{a['sleep_efficiency_fm']:.2f} vs {a['sleep_efficiency_control']:.2f}; PSQI "
                f"{a['psqi_fm']:.1f} vs {a['psqi_control']:.1f}. cpm: positive = less "
                "inhibition. Fitted: the cytokines' unexplained spread (calibration.md "
                "C2.3-C2.5) and the threshold exponent (C4.6). " + (
                    "The other read-outs carry the between-person spread published for healthy "
                    "adults beyond what the model explains; their effect sizes are predictions."
                    if self.healthy_spread else
                    "The other read-outs carry no measurement spread beyond answer noise: their "
                    "directions are predictions, their sizes are not comparable with studies."))

    def rows(self) -> list[tuple[str, ...]]:
        """The effect sizes as table rows of text, header first."""
        rows = [("read-out", "Hedges g (FM - control)", "95% interval")]
        rows += [(name, "-", "-") if np.isnan(g.value) else
                 (name, f"{g.value:+.2f}", f"[{g.low:+.2f}, {g.high:+.2f}]")
                 for name, g in self.hedges_g.items()]
        return rows


def phenotype_of(people: xr.Dataset, spec: PhenotypeSpec, size_option: str = "--n",
                 model: ModelRef = None) -> PhenotypeResult:
    """FM (ACR 2016 positive) against the rest of a screened population: each read-out as
    measured (seeded by ``spec.seed``), its Hedges' g with a 95% interval, and absolute values.

    Raises
    ------
    FMSimError
        When fewer than two people have FM, or fewer than two do not (the message suggests a
        larger ``size_option``).
    """
    fm = people["acr2016"].values.astype(bool)
    if fm.sum() < 2 or (~fm).sum() < 2:
        raise FMSimError(f"{int(fm.sum())} of {len(fm)} people met the criteria: need at least "
                         f"two with FM and two without; ask for a larger {size_option}")
    latent = people["latent"]
    measure = MeasurementModel(spec.seed, model=resolve_model(model).name)
    measured = measure.readouts({r: latent.sel(quantity=r).values for r in READOUTS})
    psqi = measure.psqi({q: latent.sel(quantity=q).values
                         for q in latent.coords["quantity"].values})
    measured["psqi"] = psqi.total.astype(float)
    g = {name: hedges_g(_SIGN.get(name, 1.0) * measured[name][fm],
                        _SIGN.get(name, 1.0) * measured[name][~fm]) for name in MEASURED}
    ppt, efficiency, quality = measured["ppt"], measured["sleep_efficiency"], measured["psqi"]
    pain = people["pain"].values
    absolute = {
        "ppt_ratio": float(ppt[fm].mean() / ppt[~fm].mean()),
        "sleep_efficiency_fm": float(efficiency[fm].mean()),
        "sleep_efficiency_control": float(efficiency[~fm].mean()),
        "pain_fm": float(pain[fm].mean()),
        "pain_control": float(pain[~fm].mean()),
        "psqi_fm": float(quality[fm].mean()),
        "psqi_control": float(quality[~fm].mean()),
    }
    patients = people.assign(
        fm=("patient", fm),
        measured=(("patient", "readout"), np.stack([measured[m] for m in MEASURED], axis=1)),
    ).assign_coords(readout=list(MEASURED))
    spread = any(measure.p[cv] > 0 for cv in READOUT_SPREAD.values())
    return PhenotypeResult(spec, int(fm.sum()), int((~fm).sum()), g, absolute, patients, spread)


def run_phenotype(spec: PhenotypeSpec, *, executor: str | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  model: ModelRef = None) -> PhenotypeResult:
    """Screen a general population of ``spec.n`` people and compare FM with the rest."""
    check_executor(executor)
    return phenotype_of(screen_people(spec.n, spec.seed, executor, progress, model), spec,
                        model=model)
