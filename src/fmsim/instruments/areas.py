"""Body areas of the Widespread Pain Index and the regions of the 2016 criteria.

The 19 WPI areas (Wolfe et al. 2010) and their grouping into five regions for the 2016
generalized-pain rule (Wolfe et al. 2016), in which jaw, chest and abdominal pain do not count
(calibration.md D.2, D.4).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..errors import FMSimError

__all__ = ["NOT_IN_GENERALIZED_PAIN", "REGIONS", "WPI_AREAS", "area_matrix", "painful_regions",
           "parse_areas"]

WPI_AREAS: tuple[str, ...] = (
    "jaw-left", "jaw-right", "shoulder-left", "shoulder-right", "upper-arm-left",
    "upper-arm-right", "lower-arm-left", "lower-arm-right", "hip-left", "hip-right",
    "upper-leg-left", "upper-leg-right", "lower-leg-left", "lower-leg-right", "neck",
    "upper-back", "lower-back", "chest", "abdomen",
)  # fmt: skip

REGIONS: dict[int, tuple[str, ...]] = {
    1: ("jaw-left", "shoulder-left", "upper-arm-left", "lower-arm-left"),
    2: ("jaw-right", "shoulder-right", "upper-arm-right", "lower-arm-right"),
    3: ("hip-left", "upper-leg-left", "lower-leg-left"),
    4: ("hip-right", "upper-leg-right", "lower-leg-right"),
    5: ("neck", "upper-back", "lower-back", "chest", "abdomen"),
}
"""The five regions (1 left upper, 2 right upper, 3 left lower, 4 right lower, 5 axial)."""

NOT_IN_GENERALIZED_PAIN = frozenset({"jaw-left", "jaw-right", "chest", "abdomen"})


def parse_areas(areas: Iterable[str] | str) -> frozenset[str]:
    """Validate painful-area names (a list, or one comma-separated string).

    Raises
    ------
    FMSimError
        Naming an unknown area (listing the 19 allowed names) or an area given twice.
    """
    if isinstance(areas, str):
        areas = [a for a in areas.split(",") if a.strip()]
    if not isinstance(areas, list | tuple | set | frozenset) or not all(
            isinstance(a, str) for a in areas):
        raise FMSimError(f"areas must be a list of area names or one comma-separated string, "
                         f"not {areas!r}")
    names = [a.strip().lower() for a in areas]
    for i, name in enumerate(names):
        if name not in WPI_AREAS:
            raise FMSimError(f"unknown area {name!r}; allowed areas: {' '.join(WPI_AREAS)}")
        if name in names[:i]:
            raise FMSimError(f"area {name!r} is given twice")
    return frozenset(names)


def area_matrix(respondents: list[frozenset[str]]) -> np.ndarray:
    """Painful areas of several respondents as a (respondents, 19) yes/no array in the order
    of :data:`WPI_AREAS` (the form the array scorers take)."""
    return np.array([[a in found for a in WPI_AREAS] for found in respondents],
                    dtype=bool).reshape(len(respondents), len(WPI_AREAS))


def painful_regions(areas: frozenset[str], generalized: bool = True) -> tuple[int, ...]:
    """Regions with at least one painful area; with ``generalized``, jaw, chest and abdomen
    do not count (the 2016 rule)."""
    counted = areas - NOT_IN_GENERALIZED_PAIN if generalized else areas
    return tuple(r for r, members in REGIONS.items() if counted & set(members))
