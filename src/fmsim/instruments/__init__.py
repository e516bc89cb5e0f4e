"""Clinical instruments: ACR 1990/2010/2011/2016 criteria, PSD bands, FIQR and FIQ.

Every calculator is a pure function of validated answers; bad answers raise
:class:`fmsim.FMSimError` naming the item and its allowed range.
"""

from .areas import REGIONS, WPI_AREAS, painful_regions, parse_areas
from .bands import PSD_SCHEMES, fiqr_band, psd_band
from .criteria import (
    CriteriaResult,
    acr1990,
    acr2010,
    acr2011,
    acr2016,
    symptom_severity,
    widespread_pain_1990,
)
from .fiqr import FIQR_ITEMS, FIQResult, FIQRResult, fiq, fiqr

__all__ = [
    "FIQR_ITEMS",
    "PSD_SCHEMES",
    "REGIONS",
    "WPI_AREAS",
    "CriteriaResult",
    "FIQRResult",
    "FIQResult",
    "acr1990",
    "acr2010",
    "acr2011",
    "acr2016",
    "fiq",
    "fiqr",
    "fiqr_band",
    "painful_regions",
    "parse_areas",
    "psd_band",
    "symptom_severity",
    "widespread_pain_1990",
]
