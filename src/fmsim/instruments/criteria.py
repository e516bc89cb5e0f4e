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

import numpy as np

from ..errors import FMSimError
from .areas import NOT_IN_GENERALIZED_PAIN, REGIONS, WPI_AREAS, area_matrix, parse_areas
from .validate import boolean, score, whole

__all__ = [
    "FS_CUTOFF",
    "SYMPTOM_WINDOWS",
    "CriteriaResult",
    "CriteriaScores",
    "acr1990",
    "acr1990_scores",
    "acr2010",
    "acr2010_scores",
    "acr2011",
    "acr2011_scores",
    "acr2016",
    "acr2016_scores",
    "symptom_severity",
    "widespread_pain_1990",
    "widespread_pain_1990_scores",
]

FS_CUTOFF = 13
"""Fibromyalgianess (FS) score at or above which a person is 'criteria-like' (Wolfe 2011)."""

SYMPTOM_WINDOWS = ("6 months", "past week")
"""Windows for the yes/no symptoms of the 2016 SSS: the criteria table says the previous 6 months,
a widely used patient form says the past week (calibration.md D.4)."""


@dataclass(frozen=True)
class CriteriaResult:
    """The outcome of one set of criteria for one respondent.

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


@dataclass(frozen=True)
class CriteriaScores:
    """One set of criteria scored for many respondents at once: arrays over respondents.

    ``rule`` is ``"2016"`` (Wolfe 2016: WPI 4-6 with SSS >= 9 qualifies, pain in 4 of 5
    regions, no exclusion), ``"2010"`` (the 2010 and 2011 rule: WPI 3-6 with SS >= 9 qualifies,
    another disorder that explains the pain excludes) or ``"1990"`` (tender points and
    widespread pain; ``wpi``, ``sss`` and ``regions`` are 0).
    """

    criteria: str
    rule: str
    wpi: np.ndarray
    sss: np.ndarray
    regions: np.ndarray
    months: np.ndarray
    explained: np.ndarray
    tender_points: np.ndarray | None = None
    widespread: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.months)

    @property
    def psd(self) -> np.ndarray:
        """Polysymptomatic distress, WPI + SSS (0-31)."""
        return self.wpi + self.sss

    @property
    def core(self) -> np.ndarray:
        """Whether the WPI and symptom-severity rule is met."""
        low = 4 if self.rule == "2016" else 3
        return ((self.wpi >= 7) & (self.sss >= 5)) | (
            (self.wpi >= low) & (self.wpi <= 6) & (self.sss >= 9))

    @property
    def positive(self) -> np.ndarray:
        """Whether each respondent meets the criteria."""
        lasting = self.months >= 3
        if self.rule == "1990":
            return self.widespread & (self.tender_points >= 11) & lasting
        if self.rule == "2016":
            return self.core & (self.regions >= 4) & lasting
        return self.core & lasting & ~self.explained

    def reasons(self, i: int) -> tuple[str, ...]:
        """Why respondent ``i`` does not meet the criteria (empty when they do)."""
        months = float(self.months[i])
        if self.rule == "1990":
            reasons = []
            if not self.widespread[i]:
                reasons.append("no widespread pain (left, right, above and below the waist, "
                               "and axial)")
            if self.tender_points[i] < 11:
                reasons.append(f"needs at least 11 of 18 painful tender points (given "
                               f"{int(self.tender_points[i])})")
            if months < 3:
                reasons.append(f"widespread pain for at least 3 months (given {months:g})")
            return tuple(reasons)
        wpi, sss = int(self.wpi[i]), int(self.sss[i])
        reasons = []
        if not self.core[i]:
            if self.rule == "2016":
                reasons.append(f"needs WPI >= 7 and SSS >= 5, or WPI 4-6 and SSS >= 9 "
                               f"(WPI {wpi}, SSS {sss})")
            else:
                reasons.append(f"needs WPI >= 7 and SS >= 5, or WPI 3-6 and SS >= 9 "
                               f"(WPI {wpi}, SS {sss})")
        if self.rule == "2016" and self.regions[i] < 4:
            reasons.append(f"generalized pain needs 4 of 5 regions (jaw, chest, abdomen not "
                           f"counted); found {int(self.regions[i])}")
        if months < 3:
            reasons.append(f"symptoms for at least 3 months (given {months:g})")
        if self.rule == "2010" and self.explained[i]:
            reasons.append("another disorder explains the pain")
        return tuple(reasons)

    def result(self, i: int) -> CriteriaResult:
        """Respondent ``i``'s result."""
        if self.rule == "1990":
            return CriteriaResult(self.criteria, bool(self.positive[i]),
                                  tender_points=int(self.tender_points[i]),
                                  reasons=self.reasons(i))
        return CriteriaResult(self.criteria, bool(self.positive[i]), int(self.wpi[i]),
                              int(self.sss[i]), int(self.psd[i]), int(self.regions[i]),
                              reasons=self.reasons(i))


def _array(values, name: str, lo: float, hi: float, integer: bool = False) -> np.ndarray:
    """An array of answers, checked to lie in ``[lo, hi]`` (whole numbers if ``integer``)."""
    out = np.asarray(values, dtype=float)
    bad = ~((out >= lo) & (out <= hi)) | (integer & (out != np.round(out)))
    if bad.any():
        kind = "whole numbers" if integer else "numbers"
        raise FMSimError(f"{name}: {out[bad][0]:g} is outside the allowed {kind} {lo:g}-{hi:g}")
    return out.astype(int) if integer else out


def _flags(values, name: str) -> np.ndarray:
    out = np.asarray(values)
    if out.dtype != bool and not np.isin(out, (0, 1)).all():
        raise FMSimError(f"{name} must be yes or no (1 or 0)")
    return out.astype(bool)


def _regions_2016(areas: np.ndarray) -> np.ndarray:
    """Regions with pain in each row of an area matrix, jaw, chest and abdomen not counted."""
    counted = np.zeros((areas.shape[0], len(REGIONS)), dtype=bool)
    for j, members in enumerate(REGIONS.values()):
        idx = [WPI_AREAS.index(a) for a in members if a not in NOT_IN_GENERALIZED_PAIN]
        counted[:, j] = areas[:, idx].any(axis=1)
    return counted.sum(axis=1)


def _severity_2011(fatigue, unrefreshed, cognitive, headache, abdominal, depression
                   ) -> np.ndarray:
    """Self-report symptom severity (0-12) of the 2011 and 2016 criteria, as arrays."""
    return (_array(fatigue, "fatigue", 0, 3, True) + _array(unrefreshed, "unrefreshed", 0, 3, True)
            + _array(cognitive, "cognitive", 0, 3, True) + _flags(headache, "headache")
            + _flags(abdominal, "abdominal") + _flags(depression, "depression"))


def _area_counts(areas) -> tuple[np.ndarray, np.ndarray]:
    matrix = np.asarray(areas, dtype=bool)
    if matrix.ndim != 2 or matrix.shape[1] != len(WPI_AREAS):
        raise FMSimError(f"painful areas must be a (respondents, {len(WPI_AREAS)}) yes/no array "
                         "in the order of WPI_AREAS")
    return matrix.sum(axis=1), _regions_2016(matrix)


def acr2016_scores(areas, fatigue, unrefreshed, cognitive, headache, abdominal, depression,
                   months) -> CriteriaScores:
    """ACR 2016 for many respondents: ``areas`` is a (respondents, 19) yes/no array in the
    order of :data:`~fmsim.instruments.areas.WPI_AREAS`, the rest arrays over respondents."""
    wpi, regions = _area_counts(areas)
    sss = _severity_2011(fatigue, unrefreshed, cognitive, headache, abdominal, depression)
    months = _array(months, "months", 0, 1200)
    return CriteriaScores("ACR 2016", "2016", wpi, sss, regions, months,
                          np.zeros(months.shape, dtype=bool))


def acr2011_scores(areas, fatigue, unrefreshed, cognitive, headache, abdominal, depression,
                   months, explained_by_other=False) -> CriteriaScores:
    """ACR 2011 for many respondents (arrays as in :func:`acr2016_scores`)."""
    wpi, regions = _area_counts(areas)
    sss = _severity_2011(fatigue, unrefreshed, cognitive, headache, abdominal, depression)
    months = _array(months, "months", 0, 1200)
    explained = np.broadcast_to(_flags(explained_by_other, "explained_by_other"), months.shape)
    return CriteriaScores("ACR 2011", "2010", wpi, sss, regions, months, explained)


def acr2010_scores(areas, fatigue, unrefreshed, cognitive, somatic, months,
                   explained_by_other=False) -> CriteriaScores:
    """ACR 2010 for many respondents (physician-rated ``somatic`` 0-3)."""
    wpi, regions = _area_counts(areas)
    sss = (_array(fatigue, "fatigue", 0, 3, True) + _array(unrefreshed, "unrefreshed", 0, 3, True)
           + _array(cognitive, "cognitive", 0, 3, True) + _array(somatic, "somatic", 0, 3, True))
    months = _array(months, "months", 0, 1200)
    explained = np.broadcast_to(_flags(explained_by_other, "explained_by_other"), months.shape)
    return CriteriaScores("ACR 2010", "2010", wpi, sss, regions, months, explained)


def acr1990_scores(tender_points, widespread, months) -> CriteriaScores:
    """ACR 1990 for many respondents: tender points (0-18), widespread pain (yes/no) and its
    duration in months, each an array over respondents."""
    points = _array(tender_points, "tender points", 0, 18, True)
    months = np.broadcast_to(_array(months, "months", 0, 1200), points.shape)
    zeros = np.zeros(points.shape, dtype=int)
    return CriteriaScores("ACR 1990", "1990", zeros, zeros, zeros, months,
                          np.zeros(points.shape, dtype=bool), points,
                          np.broadcast_to(_flags(widespread, "widespread"), points.shape))


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


def _one(areas: Iterable[str] | str) -> np.ndarray:
    """One respondent's painful areas as a (1, 19) area matrix."""
    return area_matrix([parse_areas(areas)])


def _severities(fatigue, unrefreshed, cognitive) -> list[int]:
    return [whole(v, n, 0, 3) for v, n in ((fatigue, "fatigue"), (unrefreshed, "unrefreshed"),
                                            (cognitive, "cognitive"))]


def _yes_no(**answers) -> list[bool]:
    return [boolean(v, n) for n, v in answers.items()]


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
    matrix = _one(areas)
    values = [[v] for v in (*_severities(fatigue, unrefreshed, cognitive),
                            whole(somatic, "somatic", 0, 3), _months(months),
                            boolean(explained_by_other, "explained_by_other"))]
    return acr2010_scores(matrix, *values).result(0)


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
    matrix = _one(areas)
    values = [[v] for v in (*_severities(fatigue, unrefreshed, cognitive),
                            *_yes_no(headache=headache, abdominal=abdominal,
                                     depression=depression), _months(months),
                            boolean(explained_by_other, "explained_by_other"))]
    return acr2011_scores(matrix, *values).result(0)


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
    matrix = _one(areas)
    values = [[v] for v in (*_severities(fatigue, unrefreshed, cognitive),
                            *_yes_no(headache=headache, abdominal=abdominal,
                                     depression=depression), _months(months))]
    return acr2016_scores(matrix, *values).result(0)


_LEFT = {a for r in (1, 3) for a in REGIONS[r]} - {"jaw-left"}
_RIGHT = {a for r in (2, 4) for a in REGIONS[r]} - {"jaw-right"}
_ABOVE = {"shoulder-left", "shoulder-right", "upper-arm-left", "upper-arm-right",
          "lower-arm-left", "lower-arm-right"}
_BELOW = {"hip-left", "hip-right", "upper-leg-left", "upper-leg-right", "lower-leg-left",
          "lower-leg-right", "lower-back"}
_AXIAL = {"neck", "upper-back", "lower-back", "chest"}


def widespread_pain_1990_scores(areas) -> np.ndarray:
    """ACR 1990 widespread pain of each row of a (respondents, 19) area matrix (see
    :func:`widespread_pain_1990`)."""
    matrix = np.asarray(areas, dtype=bool)
    parts = [[WPI_AREAS.index(a) for a in part] for part in (_LEFT, _RIGHT, _ABOVE, _BELOW,
                                                             _AXIAL)]
    return np.all([matrix[:, idx].any(axis=1) for idx in parts], axis=0)


def widespread_pain_1990(areas: Iterable[str] | str) -> bool:
    """ACR 1990 widespread pain from WPI areas: left side, right side, above and below the
    waist, plus axial skeletal pain (cervical spine, anterior chest, thoracic spine or low back).
    Shoulder and buttock (hip) pain count for their side; low-back pain counts as lower segment.
    Jaw and abdomen are not part of the 1990 definition."""
    return bool(widespread_pain_1990_scores(_one(areas))[0])


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
    (:func:`widespread_pain_1990`); both only when they agree.
    """
    count = whole(tender_points, "tender points", 0, 18)
    if widespread is None and areas is None:
        raise FMSimError("ACR 1990 needs widespread (yes/no) or the painful areas")
    from_areas = None if areas is None else widespread_pain_1990(areas)
    said = None if widespread is None else boolean(widespread, "widespread")
    if None not in (from_areas, said) and from_areas != said:
        raise FMSimError(f"the answers contradict each other: widespread pain is "
                         f"{'yes' if said else 'no'}, but the painful areas are "
                         f"{'' if from_areas else 'not '}widespread (left, right, above and "
                         "below the waist, and axial)")
    wide = from_areas if from_areas is not None else said
    return acr1990_scores([count], [wide], [_months(months)]).result(0)
