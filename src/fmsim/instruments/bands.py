"""Severity bands: each scheme is named, and schemes are never mixed (calibration.md D.5, D.6)."""

from __future__ import annotations

from ..errors import FMSimError
from .validate import score

__all__ = ["FIQR_BANDS", "PSD_SCHEMES", "fiqr_band", "psd_band"]

# (upper bound inclusive, label): a total belongs to the first band whose bound it does not exceed.
PSD_SCHEMES: dict[str, tuple[tuple[float, str], ...]] = {
    # Wolfe F et al. (2015) J Rheumatol 42:1494
    "wolfe2015": ((3, "none"), (7, "mild"), (11, "moderate"), (19, "severe"),
                  (31, "very severe")),
    # Salaffi F et al., Italian fibromyalgia registry
    "salaffi": ((5, "remission"), (15, "mild"), (20, "moderate"), (25, "severe"),
                (31, "very severe")),
}

# Salaffi F et al., Italian registry: 0-23 remission, 24-40 mild, 41-63 moderate, 64-82 severe,
# >83 very severe. The published cut points leave 82-83 open; FIQR totals can be fractional, so
# the bands here are [0, 24), [24, 41), [41, 64), [64, 82] and (82, 100].
FIQR_BANDS: tuple[tuple[float, bool, str], ...] = (
    (24, False, "remission"), (41, False, "mild"), (64, False, "moderate"),
    (82, True, "severe"), (100, True, "very severe"),
)


def psd_band(psd: int, scheme: str = "wolfe2015") -> str:
    """Severity band of a polysymptomatic distress (FS) score 0-31 under a named scheme."""
    if scheme not in PSD_SCHEMES:
        raise FMSimError(f"unknown PSD band scheme {scheme!r}; allowed: {', '.join(PSD_SCHEMES)}")
    value = score(psd, "PSD", 0, 31, integer=True)
    return next(label for upper, label in PSD_SCHEMES[scheme] if value <= upper)


def fiqr_band(total: float) -> str:
    """Salaffi severity band of a FIQR total (0-100)."""
    value = score(total, "FIQR total", 0, 100)
    for upper, inclusive, label in FIQR_BANDS:
        if value < upper or (inclusive and value == upper):
            return label
    raise AssertionError("unreachable")  # pragma: no cover
