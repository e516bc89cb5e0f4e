"""The Pittsburgh Sleep Quality Index (PSQI): seven components of 0-3, a global score of 0-21.

Components: subjective sleep quality, sleep latency, sleep duration, habitual sleep efficiency,
sleep disturbances, use of sleeping medication and daytime dysfunction; higher is worse, and a
global score above 5 separated poor from good sleepers (Buysse et al. 1989). Duration and
efficiency are scored from hours and percentages by the published cut points (the scoring
instructions of the PSQI; background knowledge, not read in the abstract); the other
components are answered directly on their 0-3 scale.

References
----------
Buysse DJ, Reynolds CF, Monk TH, Berman SR, Kupfer DJ (1989). The Pittsburgh Sleep Quality
Index: a new instrument for psychiatric practice and research. Psychiatry Res 28:193-213.
doi:10.1016/0165-1781(89)90047-4
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import FMSimError

__all__ = ["PSQI_COMPONENTS", "PSQIScores", "psqi_scores"]

PSQI_COMPONENTS = ("quality", "latency", "duration", "efficiency", "disturbances",
                   "medication", "dysfunction")
"""The seven components, in the order of the published form."""

DURATION_HOURS = (7.0, 6.0, 5.0)
"""Sleep duration above 7 h scores 0, 6-7 h 1, 5-6 h 2, under 5 h 3."""

EFFICIENCY = (0.85, 0.75, 0.65)
"""Habitual sleep efficiency of 85% or more scores 0, 75-84% 1, 65-74% 2, under 65% 3."""


@dataclass(frozen=True)
class PSQIScores:
    """PSQI components (each 0-3) and the global score (0-21), arrays over respondents."""

    components: dict[str, np.ndarray]

    @property
    def total(self) -> np.ndarray:
        """The global score, the sum of the seven components (0-21)."""
        return sum(self.components[c] for c in PSQI_COMPONENTS)


def _component(values, name: str) -> np.ndarray:
    out = np.asarray(values)
    if not np.isin(out, (0, 1, 2, 3)).all():
        raise FMSimError(f"PSQI {name} must be a whole number from 0 to 3")
    return out.astype(int)


def psqi_scores(quality, latency, hours, efficiency, disturbances, medication, dysfunction
                ) -> PSQIScores:
    """Score the PSQI of many respondents (arrays over respondents).

    Parameters
    ----------
    quality, latency, disturbances, medication, dysfunction : arrays of 0-3
        The components answered on their own scale.
    hours : array
        Hours of actual sleep a night.
    efficiency : array
        Habitual sleep efficiency, hours asleep over hours in bed (0-1).
    """
    hours = np.asarray(hours, dtype=float)
    efficiency = np.asarray(efficiency, dtype=float)
    if ((hours < 0) | (hours > 24)).any() or ((efficiency < 0) | (efficiency > 1)).any():
        raise FMSimError("PSQI sleep hours must be 0-24 and sleep efficiency 0-1")
    duration = (hours <= DURATION_HOURS[0]).astype(int) + (hours < DURATION_HOURS[1]) + (
        hours < DURATION_HOURS[2])
    habitual = sum((efficiency < cut).astype(int) for cut in EFFICIENCY)
    given = dict(zip(("quality", "latency", "disturbances", "medication", "dysfunction"),
                     (quality, latency, disturbances, medication, dysfunction), strict=True))
    components = {name: _component(v, name) for name, v in given.items()}
    components |= {"duration": duration, "efficiency": habitual}
    return PSQIScores({c: components[c] for c in PSQI_COMPONENTS})
