"""FM versus non-FM virtual people in one population: the physiological read-outs.

One general population from the priors lives through random life events (:mod:`.cohort`,
``general`` history); those meeting the ACR 2016 criteria are the FM group, the rest the
controls. For each read-out, Hedges' g is FM minus control, with calibration.md's
conventions: ``cpm`` is reported so that a positive g means less inhibition in FM. The model
has one cytokine index, so ``cytokines`` stands for IL-6, IL-8 and TNF together. None of these
read-outs was fitted: they are predictions (``fmsim validate`` compares them with
calibration.md section C).
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import FMSimError
from ..trials.stats import hedges_g
from .cohort import CHUNK, READOUTS, general_population
from .executors import run_chunks

__all__ = ["phenotype"]

_SIGN = {"cpm": -1.0}
"""Read-outs reported with a flipped sign (cpm: positive g = less inhibition in FM)."""


def phenotype(n: int, seed: int = 0, executor: str | None = None,
              progress: Callable[[int, int], None] | None = None) -> dict:
    """Hedges' g (FM minus control) of every read-out in a population of ``n``, and absolute
    values; see the module docstring."""
    pop = run_chunks(general_population, n, seed=seed, chunk_size=CHUNK, executor=executor,
                     progress=progress)
    fm = pop["acr2016"].astype(bool)
    if fm.sum() < 2 or (~fm).sum() < 2:
        raise FMSimError(f"{int(fm.sum())} of {n} people met the criteria: need at least two "
                         "with FM and two without; ask for a larger --n")
    g, ci = {}, {}
    for name in READOUTS:
        values = _SIGN.get(name, 1.0) * pop[f"readout_{name}"]
        estimate = hedges_g(values[fm], values[~fm])
        g[name], ci[name] = estimate.as_json()
    ppt, efficiency = pop["readout_ppt"], pop["readout_sleep_efficiency"]
    return {
        "n": n, "n_fm": int(fm.sum()), "n_control": int((~fm).sum()), "seed": seed,
        "hedges_g": g, "hedges_g_ci": ci,
        "absolute": {
            "ppt_ratio": float(ppt[fm].mean() / ppt[~fm].mean()),
            "sleep_efficiency_fm": float(efficiency[fm].mean()),
            "sleep_efficiency_control": float(efficiency[~fm].mean()),
            "pain_fm": float(pop["pain"][fm].mean()),
            "pain_control": float(pop["pain"][~fm].mean()),
        },
    }
