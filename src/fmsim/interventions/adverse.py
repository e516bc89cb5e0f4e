"""Adverse events: exposure-dependent daily hazards that a trial can count and turn into dropouts.

Each drug's adverse events are driven by the same effect that treats (its occupancy or
functional effect; ``[[drug.adverse]]`` in ``catalog.toml``), or, where incidence keeps rising
with dose after that effect has saturated, by the drug's exposure (pregabalin's dizziness and
somnolence, calibration.md A3.2-A3.3); so they rise with dose, build up and wash out with the
drug. A treatment context that warns of side effects (a pill, a needle)
adds a small nocebo hazard of the common complaints, so placebo arms report adverse events too:
placebo-arm complaints follow what patients were told to expect (Amanzio 2009). Programs and
attention control carry no such warning and no nocebo hazard, unless their catalog entry sets
``nocebo``. The cumulative incidence of an event by
day t is ``1 - exp(-sum of daily hazards)``; a trial draws, per patient, whether and when it
happens.

The nocebo hazards and the probability that an event ends participation are in
``adverse.toml``; their scale, and the drugs' hazards in ``catalog.toml``, are fitted by
``scripts/trial_calibration.py`` to calibration.md A.0 and A.3.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from ..model.registry import packaged_parameters
from .catalog import (
    Treatment,
    active_components,
    combine,
    context_of,
    drug_effects,
    relative_exposure,
)

__all__ = ["adverse_event_hazards", "cumulative_incidence", "discontinue_probability",
           "nocebo_hazards"]


@cache
def _table() -> dict[str, float]:
    return {k: v.value for k, v in
            packaged_parameters("fmsim.interventions", "adverse.toml").items()}


def nocebo_hazards() -> dict[str, float]:
    """Daily hazard of each complaint in a full treatment context that warns of side effects
    (``adverse.toml``: the assumed profile times the calibrated scale)."""
    table = _table()
    return {k: table["nocebo_scale"] * v for k, v in table.items()
            if k not in ("nocebo_scale", "discontinue")}


def discontinue_probability() -> float:
    """Probability that an adverse event ends a patient's participation (calibrated, A0.6)."""
    return _table()["discontinue"]


def adverse_event_hazards(treatments: list[Treatment] | tuple[Treatment, ...], days: int
                          ) -> dict[str, np.ndarray]:
    """Daily hazard (per day) of each adverse event under a list of treatments."""
    hazards: dict[str, np.ndarray] = {}

    def add(event: str, hazard: np.ndarray) -> None:
        hazards[event] = hazards.get(event, np.zeros(days)) + hazard

    context: dict[str, np.ndarray] = {}
    for t, on, c in active_components(treatments, days):
        warned = c.entry.constant("nocebo", 1.0 if c.entry.kind == "drug" else 0.0)
        combine(context, "treatment_context", warned * context_of(c, on, t.start_day))
        if c.entry.kind == "drug":
            own = drug_effects(c, on, t.start_day)
            if any(ae.driver == "exposure" for ae in c.entry.adverse):
                own["exposure"] = relative_exposure(c, on)
            for ae in c.entry.adverse:
                add(ae.event, ae.hazard.value * own.get(ae.driver, np.zeros(days)))
    for event, rate in nocebo_hazards().items():
        add(event, rate * context.get("treatment_context", np.zeros(days)))
    return hazards


def cumulative_incidence(hazards: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Probability that each event has happened by the end of each day; ``any`` combines them."""
    out = {event: 1 - np.exp(-np.cumsum(h)) for event, h in hazards.items()}
    if hazards:
        out["any"] = 1 - np.exp(-np.cumsum(sum(hazards.values())))
    return out
