"""The Revised Fibromyalgia Impact Questionnaire (FIQR) and the original FIQ.

References
----------
Bennett RM, Friend R, Jones KD, Ward R, Han BK, Ross RL (2009). The Revised Fibromyalgia Impact
Questionnaire (FIQR): validation and psychometric properties. Arthritis Res Ther 11:R120.
doi:10.1186/ar2783
Burckhardt CS, Clark SR, Bennett RM (1991). The fibromyalgia impact questionnaire: development and
validation. J Rheumatol 18:728-733; scoring as reviewed by Bennett RM (2005), Clin Exp Rheumatol
23 (Suppl 39):S154-S162.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from ..errors import FMSimError
from .bands import fiqr_band
from .validate import score

__all__ = ["FIQR_DOMAINS", "FIQR_ITEMS", "FIQ_COMPONENTS", "FIQ_VAS_ITEMS", "FIQRResult",
           "FIQRScores", "FIQResult", "FIQScores", "fiq", "fiq_scores", "fiqr", "fiqr_scores"]

FIQR_ITEMS: tuple[str, ...] = (
    "brush or comb hair", "walk continuously for 20 minutes", "prepare a homemade meal",
    "vacuum, scrub or sweep floors", "lift and carry a bag full of groceries",
    "climb one flight of stairs", "change bed sheets", "sit in a chair for 45 minutes",
    "go shopping for groceries",
    "FM prevented me from accomplishing goals for the week",
    "I was completely overwhelmed by my FM symptoms",
    "pain", "energy", "stiffness", "sleep quality", "depression", "memory problems", "anxiety",
    "tenderness to touch", "balance problems",
    "sensitivity to loud noises, bright lights, odours and cold",
)  # fmt: skip
"""The 21 FIQR items, in order (symptom-item order as on the published form; calibration.md D.6)."""

FIQR_DOMAINS: dict[str, tuple[slice, float]] = {
    "function": (slice(0, 9), 3.0),
    "overall": (slice(9, 11), 1.0),
    "symptoms": (slice(11, 21), 2.0),
}
"""Domain -> (items, divisor): total = function/3 + overall + symptoms/2 (0-100)."""


def _sum_columns(values: np.ndarray) -> np.ndarray:
    """Row sums of the answered (not NaN) values, adding the columns left to right (the order
    in which a person adds up a questionnaire, so one respondent's total does not depend on how
    many others are scored with them)."""
    total = np.zeros(values.shape[0])
    for column in values.T:
        total = total + np.where(np.isnan(column), 0.0, column)
    return total


@dataclass(frozen=True)
class FIQRResult:
    """FIQR total (0-100), weighted domain scores (function 0-30, overall 0-20, symptoms 0-50),
    the Salaffi severity band and the number of items answered."""

    total: float
    function: float
    overall: float
    symptoms: float
    band: str
    answered: int

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class FIQRScores:
    """The FIQR of many respondents: arrays over respondents."""

    total: np.ndarray
    function: np.ndarray
    overall: np.ndarray
    symptoms: np.ndarray
    answered: np.ndarray

    def __len__(self) -> int:
        return len(self.total)

    def result(self, i: int) -> FIQRResult:
        """Respondent ``i``'s result, with the Salaffi band."""
        return FIQRResult(float(self.total[i]), float(self.function[i]), float(self.overall[i]),
                          float(self.symptoms[i]), fiqr_band(min(float(self.total[i]), 100.0)),
                          int(self.answered[i]))


def fiqr_scores(items) -> FIQRScores:
    """Score the FIQR of many respondents.

    Parameters
    ----------
    items : array of shape (respondents, 21)
        Answers 0-10 in questionnaire order (:data:`FIQR_ITEMS`); NaN is a missing item.

    Notes
    -----
    Each domain's sum is scaled for missing items by (items in domain / items answered) before
    weighting (Bennett 2009 scoring rule). A domain with no answered item cannot be scored and is
    an error, not a zero. Totals and domain scores are rounded to 10 decimals, so that sums of
    thirds print as such.
    """
    values = np.asarray(items, dtype=float)
    if values.ndim != 2 or values.shape[1] != 21:
        raise FMSimError(f"the FIQR has 21 items; got an array of shape {values.shape}")
    answered_values = values[~np.isnan(values)]
    if ((answered_values < 0) | (answered_values > 10)).any():
        raise FMSimError("FIQR items must be numbers from 0 to 10")
    scores = {}
    for domain, (where, divisor) in FIQR_DOMAINS.items():
        block = values[:, where]
        answered = (~np.isnan(block)).sum(axis=1)
        if (answered == 0).any():
            raise FMSimError(f"FIQR {domain} domain has no answered item (items "
                             f"{where.start + 1}-{where.stop}); it cannot be scored")
        scores[domain] = _sum_columns(block) * block.shape[1] / answered / divisor
    total = scores["function"] + scores["overall"] + scores["symptoms"]
    return FIQRScores(np.round(total, 10), *(np.round(scores[d], 10) for d in FIQR_DOMAINS),
                      (~np.isnan(values)).sum(axis=1))


def _missing(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def fiqr(items: Sequence[float | None]) -> FIQRResult:
    """Score one respondent's FIQR.

    Parameters
    ----------
    items : sequence of 21 numbers 0-10 or None
        Answers in questionnaire order (:data:`FIQR_ITEMS`); ``None`` is a missing item.

    Notes
    -----
    The scoring rule is that of :func:`fiqr_scores`.
    """
    if isinstance(items, str | bytes) or not isinstance(items, Sequence):
        raise FMSimError(f"the FIQR items must be a list of 21 answers, not {items!r}")
    items = list(items)
    if len(items) != 21:
        raise FMSimError(f"the FIQR has 21 items; got {len(items)}")
    values = [np.nan if _missing(v) else score(v, f"FIQR item {i + 1} ({FIQR_ITEMS[i]})", 0, 10)
              for i, v in enumerate(items)]
    return fiqr_scores([values]).result(0)


FIQ_VAS_ITEMS = ("job_difficulty", "pain", "fatigue", "morning_tiredness", "stiffness",
                 "anxiety", "depression")

FIQ_COMPONENTS = ("physical_function", "felt_good", "missed_work", *FIQ_VAS_ITEMS)
"""The ten FIQ components, in order."""


@dataclass(frozen=True)
class FIQResult:
    """Original FIQ total (0-100) and its ten components (each 0-10; None if unanswered)."""

    total: float
    components: dict[str, float | None]
    answered: int

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class FIQScores:
    """The original FIQ of many respondents: the total and the ten components (NaN where
    unanswered), arrays over respondents."""

    total: np.ndarray
    components: dict[str, np.ndarray]
    answered: np.ndarray

    def __len__(self) -> int:
        return len(self.total)

    def result(self, i: int) -> FIQResult:
        """Respondent ``i``'s result."""
        components = {k: None if np.isnan(v[i]) else float(v[i])
                      for k, v in self.components.items()}
        return FIQResult(float(self.total[i]), components, int(self.answered[i]))


def fiq_scores(function, felt_good_days, missed_work_days, vas) -> FIQScores:
    """Score the original FIQ of many respondents (NaN is an unanswered item).

    Parameters
    ----------
    function : array (respondents, 10 or 11)
        Physical-function sub-items 0-3; component = mean x 3.33.
    felt_good_days, missed_work_days : arrays (respondents,)
        Days 0-7; components (7 - days) x 1.43 and days x 1.43 (NaN: not working).
    vas : array (respondents, 7)
        The visual-analogue items :data:`FIQ_VAS_ITEMS`, 0-10.

    Notes
    -----
    With missing components, total = sum of answered components x 10 / number answered
    (calibration.md D.7; marked there as background knowledge).
    """
    function = np.asarray(function, dtype=float)
    if function.ndim != 2 or function.shape[1] not in (10, 11):
        raise FMSimError(f"FIQ physical function has 10 or 11 sub-items; got an array of shape "
                         f"{function.shape}")
    subitems = (~np.isnan(function)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        physical = np.where(subitems > 0, _sum_columns(function) / subitems * 3.33, np.nan)
    columns = [physical, (7 - np.asarray(felt_good_days, dtype=float)) * 1.43,
               np.asarray(missed_work_days, dtype=float) * 1.43,
               *np.asarray(vas, dtype=float).reshape(len(physical), len(FIQ_VAS_ITEMS)).T]
    components = dict(zip(FIQ_COMPONENTS, columns, strict=True))
    matrix = np.stack(columns, axis=1)
    answered = (~np.isnan(matrix)).sum(axis=1)
    if (answered == 0).any():
        raise FMSimError("the FIQ has no answered component")
    return FIQScores(_sum_columns(matrix) * 10 / answered, components, answered)


def fiq(
    function: Sequence[float | None],
    felt_good_days: float | None,
    missed_work_days: float | None,
    **vas: float | None,
) -> FIQResult:
    """Score one respondent's original FIQ (ten components, each normalized to 0-10; total
    0-100).

    Parameters
    ----------
    function : sequence of 10 or 11 numbers 0-3 (or None)
        Physical-function sub-items (1991: 10; 1997 and later: 11).
    felt_good_days : 0-7 or None
        Days felt good in the past week.
    missed_work_days : 0-7 or None
        Days of work missed in the past week (None if not working outside the home).
    **vas : 0-10 or None
        The seven visual-analogue items :data:`FIQ_VAS_ITEMS`.

    Notes
    -----
    The scoring rule is that of :func:`fiq_scores`.
    """
    unknown = sorted(set(vas) - set(FIQ_VAS_ITEMS))
    if unknown:
        raise FMSimError(f"unknown FIQ item(s) {unknown}; allowed: {', '.join(FIQ_VAS_ITEMS)}")
    if isinstance(function, str | bytes) or not isinstance(function, Sequence):
        raise FMSimError(f"FIQ physical function must be a list of 10 or 11 answers, not "
                         f"{function!r}")
    function = list(function)
    if len(function) not in (10, 11):
        raise FMSimError(f"FIQ physical function has 10 or 11 sub-items; got {len(function)}")
    sub = [np.nan if _missing(v) else score(v, f"FIQ function sub-item {i + 1}", 0, 3)
           for i, v in enumerate(function)]
    felt = np.nan if felt_good_days is None else score(felt_good_days, "FIQ days felt good", 0, 7)
    missed = (np.nan if missed_work_days is None else
              score(missed_work_days, "FIQ days of work missed", 0, 7))
    values = [np.nan if vas.get(name) is None else score(vas[name], f"FIQ {name}", 0, 10)
              for name in FIQ_VAS_ITEMS]
    return fiq_scores([sub], [felt], [missed], [values]).result(0)
