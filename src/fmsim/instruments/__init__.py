"""Clinical instruments: ACR 1990/2010/2011/2016 criteria, PSD bands, FIQR, FIQ and PSQI, and the
measurement model that answers them for virtual people.

Every scorer works on arrays over respondents (``*_scores``); scoring one respondent
(:func:`acr2016`, :func:`fiqr`, ...) validates the answers and is a thin wrapper over the array
scorer. Bad answers raise :class:`fmsim.FMSimError` naming the item and its allowed range.
"""

from .areas import REGIONS, WPI_AREAS, area_matrix, painful_regions, parse_areas
from .bands import PSD_SCHEMES, fiqr_band, psd_band
from .criteria import (
    CriteriaResult,
    CriteriaScores,
    acr1990,
    acr1990_scores,
    acr2010,
    acr2010_scores,
    acr2011,
    acr2011_scores,
    acr2016,
    acr2016_scores,
    symptom_severity,
    widespread_pain_1990,
)
from .fiqr import (
    FIQR_ITEMS,
    FIQResult,
    FIQRResult,
    FIQRScores,
    FIQScores,
    fiq,
    fiq_scores,
    fiqr,
    fiqr_scores,
)
from .psqi import PSQI_COMPONENTS, PSQIScores, psqi_scores
from .respondent import read_respondents, score_respondent, score_respondents

__all__ = [
    "FIQR_ITEMS",
    "PSD_SCHEMES",
    "PSQI_COMPONENTS",
    "REGIONS",
    "WPI_AREAS",
    "CriteriaResult",
    "CriteriaScores",
    "FIQRResult",
    "FIQRScores",
    "FIQResult",
    "FIQScores",
    "PSQIScores",
    "acr1990",
    "acr1990_scores",
    "acr2010",
    "acr2010_scores",
    "acr2011",
    "acr2011_scores",
    "acr2016",
    "acr2016_scores",
    "area_matrix",
    "fiq",
    "fiq_scores",
    "fiqr",
    "fiqr_band",
    "fiqr_scores",
    "painful_regions",
    "parse_areas",
    "psd_band",
    "psqi_scores",
    "read_respondents",
    "score_respondent",
    "score_respondents",
    "symptom_severity",
    "widespread_pain_1990",
]
