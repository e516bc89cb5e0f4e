"""FM versus non-FM virtual people in one population: the physiological read-outs.

One general population from the priors lives through random life events (:mod:`.cohort`,
``general`` history); those meeting the ACR 2016 criteria are the FM group, the rest the
controls. Each read-out is taken as a study measures it (the measurement model,
:meth:`fmsim.instruments.measurement.MeasurementModel.readouts`), and Hedges' g is FM minus
control, with calibration.md's conventions: ``cpm`` is reported so that a positive g means less
inhibition in FM. The model has one cytokine index, so ``cytokines`` stands for IL-6, IL-8 and
TNF together. Two measurement parameters were fitted to section C (the unexplained spread of
plasma cytokines to C2.3-C2.5, the pressure-threshold exponent to C4.6); the directions and the
other read-outs are predictions (``fmsim validate`` compares them with calibration.md section
C).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..errors import FMSimError
from ..instruments.measurement import measured_readouts
from ..trials.stats import hedges_g
from .cohort import CHUNK, READOUTS, general_population
from .executors import run_chunks

__all__ = ["compare", "phenotype"]

_SIGN = {"cpm": -1.0}
"""Read-outs reported with a flipped sign (cpm: positive g = less inhibition in FM)."""


def phenotype(n: int, seed: int = 0, executor: str | None = None,
              progress: Callable[[int, int], None] | None = None) -> dict:
    """Hedges' g (FM minus control) of every read-out in a population of ``n``, and absolute
    values; see the module docstring."""
    pop = run_chunks(general_population, n, seed=seed, chunk_size=CHUNK, executor=executor,
                     progress=progress)
    return {"n": n, **compare(pop, seed), "seed": seed}


def compare(pop: dict[str, np.ndarray], seed: int) -> dict:
    """FM (ACR 2016 positive) against the rest of a screened population ``pop``: group sizes,
    Hedges' g of each read-out as measured (:func:`fmsim.instruments.measured_readouts`, seeded
    by ``seed``) with its 95% interval, and absolute values."""
    fm = pop["acr2016"].astype(bool)
    if fm.sum() < 2 or (~fm).sum() < 2:
        raise FMSimError(f"{int(fm.sum())} of {len(fm)} people met the criteria: need at least "
                         "two with FM and two without; ask for a larger --n")
    measured = measured_readouts({name: pop[f"readout_{name}"] for name in READOUTS}, seed)
    g, ci = {}, {}
    for name in READOUTS:
        values = _SIGN.get(name, 1.0) * measured[name]
        g[name], ci[name] = hedges_g(values[fm], values[~fm]).as_json()
    ppt, efficiency = measured["ppt"], measured["sleep_efficiency"]
    return {
        "n_fm": int(fm.sum()), "n_control": int((~fm).sum()),
        "hedges_g": g, "hedges_g_ci": ci,
        "absolute": {
            "ppt_ratio": float(ppt[fm].mean() / ppt[~fm].mean()),
            "sleep_efficiency_fm": float(efficiency[fm].mean()),
            "sleep_efficiency_control": float(efficiency[~fm].mean()),
            "pain_fm": float(pop["pain"][fm].mean()),
            "pain_control": float(pop["pain"][~fm].mean()),
        },
    }
