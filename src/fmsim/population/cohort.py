"""A provisional FM-clinic cohort: people from the priors whom an injury tipped into FM.

Candidates are drawn from the registry priors, live a year, have a severe six-week injury, and
are followed for a year with daily noise. Those who then meet the ACR 2016 criteria (through
the measurement model) with a past-week pain of at least ``min_pain``/10 are eligible, as in the
inclusion criteria of FM drug trials (calibration.md B.1). This is a first, uncalibrated
selection: matching prevalence and the baseline distributions of calibration.md section B
(virtual-population selection) is still to come in issue 5.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from ..engine import simulate
from ..errors import FMSimError
from ..instruments.measurement import LATENT, score_simulation
from ..model.fm import fm_model
from .executors import run_chunks
from .priors import sample_parameters
from .simulate import people_columns, split_people

__all__ = ["READOUTS", "fm_clinic_cohort", "screen"]

WARMUP, INJURY_DAYS, FOLLOW = 365, 42, 365
SCREENING_DAYS = 98
"""Screening run after the follow-up: long enough to establish 3 months of symptoms."""
CHUNK = 2000
"""Candidates per chunk: large chunks spread the engine's per-step overhead."""


READOUTS = ("muscle_blood_flow", "hrv", "cytokines", "cpm", "temporal_summation", "ppt",
            "tspo", "sleep_efficiency")
"""Physiological read-outs recorded at screening (calibration.md section C)."""


def screen(size: int, seed: int, min_pain: float = 4.0, injury: float = 1.0
           ) -> dict[str, np.ndarray]:
    """A population task: ``size`` candidates from the priors through the injury history and
    the screening weeks. For every candidate: ``acr2016`` (positive), past-week ``pain``,
    ``eligible`` (both), past-week means of the :data:`READOUTS` (``readout_NAME``), and the
    parameters (``param_NAME``) and states at enrolment (``state_NAME``)."""
    model = fm_model()
    params = sample_parameters(size, seed=seed)
    days = WARMUP + INJURY_DAYS + FOLLOW
    u = np.zeros(days)
    u[WARMUP : WARMUP + INJURY_DAYS] = injury
    life = simulate(model, days, params, {"injury": u}, stochastic=True, seed=seed, record=())
    states = dict(zip(model.state_names, life["final"].values.T, strict=True))
    screening = simulate(model, SCREENING_DAYS, params, None, states, stochastic=True,
                         seed=seed + 1, record=(*LATENT, "pain", *READOUTS))
    last = SCREENING_DAYS - 1
    week = screening["trajectory"].isel(day=slice(-7, None)).mean("day")
    acr = np.array([r["positive"] for r in score_simulation(screening, "acr2016", last, seed)])
    pain = week.sel(variable="pain").values
    out = {"acr2016": acr, "pain": pain, "eligible": acr & (pain >= min_pain)}
    out.update({f"readout_{r}": week.sel(variable=r).values for r in READOUTS})
    out.update(people_columns(params, model.state_names, screening["final"].values))
    return out


def _eligible(size: int, seed: int, min_pain: float, injury: float) -> dict[str, np.ndarray]:
    everyone = screen(size, seed, min_pain, injury)
    keep = everyone["eligible"]
    return {k: v[keep] for k, v in everyone.items()
            if k.startswith(("param_", "state_"))}


def fm_clinic_cohort(n: int, seed: int = 0, min_pain: float = 4.0, injury: float = 1.0,
                     candidates_per_round: int | None = None, executor: str | None = None,
                     progress: Callable[[int, int], None] | None = None
                     ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], int]:
    """``n`` eligible FM patients: their parameters, their states at enrolment, and how many
    candidates were screened. Rounds of ``candidates_per_round`` are screened until enough are
    found (each round seeded from ``seed``; by default about six candidates per patient asked
    for, since about one in five is eligible)."""
    candidates_per_round = candidates_per_round or int(np.clip(6 * n, 200, 4000))
    task = partial(_eligible, min_pain=min_pain, injury=injury)
    found: list[dict[str, np.ndarray]] = []
    screened = count = 0
    for round_seed in np.random.SeedSequence(seed).spawn(50):
        part = run_chunks(task, candidates_per_round, seed=int(round_seed.generate_state(1)[0]),
                          chunk_size=CHUNK, executor=executor)
        found.append(part)
        screened += candidates_per_round
        count += len(part["state_CS"])
        if progress:
            progress(min(count, n), n)
        if count >= n:
            break
    else:
        raise FMSimError(f"only {count} of {screened} candidates were eligible; ask for fewer")
    joined = {k: np.concatenate([f[k] for f in found])[:n] for k in found[0]}
    params, states = split_people(joined)
    return params, states, screened
