"""Clinical instruments: ACR 1990/2010/2011/2016 criteria, PSD bands, FIQR, FIQ and PSQI, and the
measurement model that answers them for virtual people.

Every scorer works on arrays over respondents (``*_scores``); scoring one respondent
(:func:`acr2016`, :func:`fiqr`, ...) validates the answers and is a thin wrapper over the array
scorer. Bad answers raise :class:`fmsim.FMSimError` naming the item and its allowed range.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "areas": ["REGIONS", "WPI_AREAS", "area_matrix", "painful_regions", "parse_areas"],
        "bands": ["PSD_SCHEMES", "fiqr_band", "psd_band"],
        "criteria": [
            "CriteriaResult", "CriteriaScores", "acr1990", "acr1990_scores", "acr2010",
            "acr2010_scores", "acr2011", "acr2011_scores", "acr2016", "acr2016_scores",
            "symptom_severity", "widespread_pain_1990",
        ],
        "fiqr": [
            "FIQR_ITEMS", "FIQResult", "FIQRResult", "FIQRScores", "FIQScores", "fiq", "fiq_scores",
            "fiqr", "fiqr_scores",
        ],
        "psqi": ["PSQI_COMPONENTS", "PSQIScores", "psqi_scores"],
        "respondent": ["read_respondents", "score_respondent", "score_respondents"],
    },
)
