"""ACR fibromyalgia criteria: 1990, 2010, the 2011 self-report modification and the 2016 revision.

Each function is pure: validated answers in, a :class:`CriteriaResult` out. The rules are those
of calibration.md section D, quoted from the sources below.

References
----------
Wolfe F et al. (1990). The American College of Rheumatology 1990 criteria for the classification
of fibromyalgia. Arthritis Rheum 33:160-172.
Wolfe F et al. (2010). The American College of Rheumatology preliminary diagnostic criteria for
fibromyalgia. Arthritis Care Res 62:600-610. doi:10.1002/acr.20140
Wolfe F et al. (2011). Fibromyalgia criteria and severity scales for clinical and epidemiological
studies: a modification of the ACR preliminary diagnostic criteria. J Rheumatol 38:1113-1122.
Wolfe F et al. (2016). 2016 revisions to the 2010/2011 fibromyalgia diagnostic criteria. Semin
Arthritis Rheum 46:319-329.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from ..errors import FMSimError
from .areas import REGIONS, painful_regions, parse_areas
from .validate import boolean, score, whole

__all__ = [
    "FS_CUTOFF",
    "SYMPTOM_WINDOWS",
    "CriteriaResult",
    "acr1990",
    "acr2010",
    "acr2011",
    "acr2016",
    "symptom_severity",
    "widespread_pain_1990",
]

FS_CUTOFF = 13
"""Fibromyalgianess (FS) score at or above which a person is 'criteria-like' (Wolfe 2011)."""

SYMPTOM_WINDOWS = ("6 months", "past week")
"""Windows for the yes/no symptoms of the 2016 SSS: the criteria table says the previous 6 months,
a widely used patient form says the past week (calibration.md D.4)."""


@dataclass(frozen=True)
class CriteriaResult:
    """The outcome of one set of criteria.

    Attributes
    ----------
    criteria : str
        Which criteria (e.g. ``"ACR 2016"``).
    positive : bool
        Whether the criteria are met.
    wpi, sss, psd : int
        Widespread Pain Index (0-19), Symptom Severity Scale (0-12), and their sum, the
        polysymptomatic distress / fibromyalgianess scale (0-31). For ACR 1990, the tender-point
        count is in ``tender_points`` and these are 0.
    regions : int
        Regions with pain (2016 counting: jaw, chest and abdomen excluded).
    reasons : tuple of str
        Why the result is negative (empty when positive).
    """

    criteria: str
    positive: bool
    wpi: int = 0
    sss: int = 0
    psd: int = 0
    regions: int = 0
    tender_points: int | None = None
    reasons: tuple[str, ...] = ()

    @property
    def fs_criteria_like(self) -> bool:
        """FS (= PSD) >= 13: the cut-off that best separated criteria-positive from negative
        people in Wolfe 2011 (sensitivity 96.6%, specificity 91.8%)."""
        return self.psd >= FS_CUTOFF

    def as_dict(self) -> dict:
        """Plain dict for JSON output."""
        out = asdict(self)
        out["reasons"] = list(self.reasons)
        return out


def symptom_severity(
    fatigue: int,
    unrefreshed: int,
    cognitive: int,
    *,
    headache: bool = False,
    abdominal: bool = False,
    depression: bool = False,
    somatic: int | None = None,
) -> int:
    """Symptom severity (0-12).

    Three 0-3 severities (fatigue, waking unrefreshed, cognitive symptoms) plus either the
    physician-rated somatic-symptom burden (0-3; ACR 2010) or the count of three yes/no symptoms:
    headaches, lower-abdominal pain or cramps, depression (2011 and 2016).
    """
    total = sum(whole(v, n, 0, 3) for v, n in (
        (fatigue, "fatigue"), (unrefreshed, "unrefreshed"), (cognitive, "cognitive")))
    if somatic is not None:
        return total + whole(somatic, "somatic", 0, 3)
    return total + sum(boolean(v, n) for v, n in (
        (headache, "headache"), (abdominal, "abdominal"), (depression, "depression")))


def _months(months: float) -> float:
    return score(months, "months", 0, 1200)


def _reasons_2010(wpi: int, sss: int, months: float, explained: bool) -> tuple[str, ...]:
    reasons = []
    if not ((wpi >= 7 and sss >= 5) or (3 <= wpi <= 6 and sss >= 9)):
        reasons.append(f"needs WPI >= 7 and SS >= 5, or WPI 3-6 and SS >= 9 (WPI {wpi}, SS {sss})")
    if months < 3:
        reasons.append(f"symptoms for at least 3 months (given {months:g})")
    if explained:
        reasons.append("another disorder explains the pain")
    return tuple(reasons)


def _result_2010(name: str, found: frozenset, sss: int, months: float, explained: object):
    wpi = len(found)
    reasons = _reasons_2010(wpi, sss, _months(months), boolean(explained, "explained_by_other"))
    return CriteriaResult(name, not reasons, wpi, sss, wpi + sss, len(painful_regions(found)),
                          reasons=reasons)


def _areas_and_severity_2011(areas, fatigue, unrefreshed, cognitive, headache, abdominal,
                             depression) -> tuple[frozenset[str], int]:
    """Painful areas and the self-report symptom severity shared by 2011 and 2016."""
    return parse_areas(areas), symptom_severity(
        fatigue, unrefreshed, cognitive, headache=headache, abdominal=abdominal,
        depression=depression)


def acr2010(
    areas: Iterable[str] | str,
    fatigue: int,
    unrefreshed: int,
    cognitive: int,
    somatic: int,
    months: float,
    explained_by_other: bool = False,
) -> CriteriaResult:
    """ACR 2010 preliminary diagnostic criteria (physician-rated somatic symptoms 0-3).

    Positive if (WPI >= 7 and SS >= 5) or (WPI 3-6 and SS >= 9), symptoms for >= 3 months, and no
    other disorder that would otherwise explain the pain.
    """
    found = parse_areas(areas)
    sss = symptom_severity(fatigue, unrefreshed, cognitive, somatic=somatic)
    return _result_2010("ACR 2010", found, sss, months, explained_by_other)


def acr2011(
    areas: Iterable[str] | str,
    fatigue: int,
    unrefreshed: int,
    cognitive: int,
    headache: bool,
    abdominal: bool,
    depression: bool,
    months: float,
    explained_by_other: bool = False,
) -> CriteriaResult:
    """The 2011 self-report modification: the somatic item becomes the count of headaches,
    lower-abdominal pain or cramps and depression in the previous 6 months; same rule as 2010.
    ``psd`` is the fibromyalgianess scale (FS); FS >= 13 best separated criteria-positive from
    criteria-negative people (Wolfe 2011)."""
    found, sss = _areas_and_severity_2011(areas, fatigue, unrefreshed, cognitive, headache,
                                          abdominal, depression)
    return _result_2010("ACR 2011", found, sss, months, explained_by_other)


def acr2016(
    areas: Iterable[str] | str,
    fatigue: int,
    unrefreshed: int,
    cognitive: int,
    headache: bool,
    abdominal: bool,
    depression: bool,
    months: float,
    symptom_window: str = "6 months",
) -> CriteriaResult:
    """The 2016 revision: all of

    1. (WPI >= 7 and SSS >= 5) or (WPI 4-6 and SSS >= 9);
    2. generalized pain: pain in at least 4 of the 5 regions, jaw, chest and abdomen not counted;
    3. symptoms generally present for at least 3 months.

    The diagnosis is valid irrespective of other diagnoses, so there is no exclusion argument.
    ``symptom_window`` records which window the three yes/no symptoms refer to (it does not
    change the arithmetic).
    """
    if symptom_window not in SYMPTOM_WINDOWS:
        raise FMSimError(f"symptom_window must be one of {SYMPTOM_WINDOWS}, "
                         f"not {symptom_window!r}")
    found, sss = _areas_and_severity_2011(areas, fatigue, unrefreshed, cognitive, headache,
                                          abdominal, depression)
    wpi = len(found)
    regions = len(painful_regions(found))
    months = _months(months)
    reasons = []
    if not ((wpi >= 7 and sss >= 5) or (4 <= wpi <= 6 and sss >= 9)):
        reasons.append(f"needs WPI >= 7 and SSS >= 5, or WPI 4-6 and SSS >= 9 "
                       f"(WPI {wpi}, SSS {sss})")
    if regions < 4:
        reasons.append(f"generalized pain needs 4 of 5 regions (jaw, chest, abdomen not "
                       f"counted); found {regions}")
    if months < 3:
        reasons.append(f"symptoms for at least 3 months (given {months:g})")
    return CriteriaResult("ACR 2016", not reasons, wpi, sss, wpi + sss, regions,
                          reasons=tuple(reasons))


_LEFT = {a for r in (1, 3) for a in REGIONS[r]} - {"jaw-left"}
_RIGHT = {a for r in (2, 4) for a in REGIONS[r]} - {"jaw-right"}
_ABOVE = {"shoulder-left", "shoulder-right", "upper-arm-left", "upper-arm-right",
          "lower-arm-left", "lower-arm-right"}
_BELOW = {"hip-left", "hip-right", "upper-leg-left", "upper-leg-right", "lower-leg-left",
          "lower-leg-right", "lower-back"}
_AXIAL = {"neck", "upper-back", "lower-back", "chest"}


def widespread_pain_1990(areas: Iterable[str] | str) -> bool:
    """ACR 1990 widespread pain from WPI areas: left side, right side, above and below the
    waist, plus axial skeletal pain (cervical spine, anterior chest, thoracic spine or low back).
    Shoulder and buttock (hip) pain count for their side; low-back pain counts as lower segment.
    Jaw and abdomen are not part of the 1990 definition."""
    found = parse_areas(areas)
    return all(found & part for part in (_LEFT, _RIGHT, _ABOVE, _BELOW, _AXIAL))


def acr1990(
    tender_points: int,
    widespread: bool | None = None,
    *,
    areas: Iterable[str] | str | None = None,
    months: float = 3,
) -> CriteriaResult:
    """ACR 1990 classification: widespread pain for >= 3 months and pain on digital palpation
    (about 4 kg) at >= 11 of the 18 tender-point sites.

    Give ``widespread`` directly, or the painful ``areas`` to derive it
    (:func:`widespread_pain_1990`).
    """
    count = whole(tender_points, "tender points", 0, 18)
    if widespread is None and areas is None:
        raise FMSimError("ACR 1990 needs widespread (yes/no) or the painful areas")
    wide = widespread_pain_1990(areas) if areas is not None else boolean(widespread, "widespread")
    months = _months(months)
    reasons = []
    if not wide:
        reasons.append("no widespread pain (left, right, above and below the waist, and axial)")
    if count < 11:
        reasons.append(f"needs at least 11 of 18 painful tender points (given {count})")
    if months < 3:
        reasons.append(f"widespread pain for at least 3 months (given {months:g})")
    return CriteriaResult("ACR 1990", not reasons, tender_points=count, reasons=tuple(reasons))
