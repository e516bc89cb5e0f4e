"""Adverse events: exposure-dependent daily hazards that a trial can count and turn into dropouts.

Each drug's adverse events are driven by the same effect that treats (its occupancy or
functional effect; ``[[drug.adverse]]`` in ``catalog.toml``), so they rise with dose, build up
and wash out with the drug. A treatment context that warns of side effects (a pill, a needle)
adds a small nocebo hazard of the common complaints, so placebo arms report adverse events too:
placebo-arm complaints follow what patients were told to expect (Amanzio 2009). Programs and
attention control carry no such warning and no nocebo hazard, unless their catalog entry sets
``nocebo``. The cumulative incidence of an event by
day t is ``1 - exp(-sum of daily hazards)``; a trial draws, per patient, whether and when it
happens.

The hazard scales are assumed here; fitting them to calibration.md A.3 (e.g. pregabalin
dizziness 32/39/46% at 300/450/600 mg; placebo any adverse event about 67-74%) is the
calibration issue's job.
"""

from __future__ import annotations

import numpy as np

from .catalog import Treatment, active_components, combine, context_of, drug_effects

__all__ = ["NOCEBO_HAZARD", "adverse_event_hazards", "cumulative_incidence"]

NOCEBO_HAZARD: dict[str, float] = {
    "headache": 0.003, "nausea": 0.002, "dizziness": 0.0015, "somnolence": 0.001,
    "insomnia": 0.001, "constipation": 0.001, "dry_mouth": 0.0008, "dyspepsia": 0.0008,
}
"""Daily hazard of each complaint in a full treatment context that warns of side effects
(assumed; the A.0 nocebo targets will calibrate it)."""


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
            for ae in c.entry.adverse:
                add(ae.event, ae.hazard.value * own.get(ae.driver, np.zeros(days)))
    for event, rate in NOCEBO_HAZARD.items():
        add(event, rate * context.get("treatment_context", np.zeros(days)))
    return hazards


def cumulative_incidence(hazards: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Probability that each event has happened by the end of each day; ``any`` combines them."""
    out = {event: 1 - np.exp(-np.cumsum(h)) for event, h in hazards.items()}
    if hazards:
        out["any"] = 1 - np.exp(-np.cumsum(sum(hazards.values())))
    return out
