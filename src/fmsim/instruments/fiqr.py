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

from ..errors import FMSimError
from .bands import fiqr_band
from .validate import score

__all__ = ["FIQR_DOMAINS", "FIQR_ITEMS", "FIQ_VAS_ITEMS", "FIQRResult", "FIQResult", "fiq", "fiqr"]

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


def fiqr(items: Sequence[float | None]) -> FIQRResult:
    """Score the FIQR.

    Parameters
    ----------
    items : sequence of 21 numbers 0-10 or None
        Answers in questionnaire order (:data:`FIQR_ITEMS`); ``None`` is a missing item.

    Notes
    -----
    Each domain's sum is scaled for missing items by (items in domain / items answered) before
    weighting (Bennett 2009 scoring rule). A domain with no answered item cannot be scored and is
    an error, not a zero.
    """
    items = list(items)
    if len(items) != 21:
        raise FMSimError(f"the FIQR has 21 items; got {len(items)}")
    values = [None if v is None or (isinstance(v, str) and not v.strip()) else
              score(v, f"FIQR item {i + 1} ({FIQR_ITEMS[i]})", 0, 10)
              for i, v in enumerate(items)]
    scores = {}
    for domain, (where, divisor) in FIQR_DOMAINS.items():
        block = values[where]
        answered = [v for v in block if v is not None]
        if not answered:
            raise FMSimError(f"FIQR {domain} domain has no answered item (items "
                             f"{where.start + 1}-{where.stop}); it cannot be scored")
        scores[domain] = sum(answered) * len(block) / len(answered) / divisor
    total = sum(scores.values())
    return FIQRResult(round(total, 10), *(round(scores[d], 10) for d in FIQR_DOMAINS),
                      fiqr_band(min(total, 100.0)), sum(v is not None for v in values))


FIQ_VAS_ITEMS = ("job_difficulty", "pain", "fatigue", "morning_tiredness", "stiffness",
                 "anxiety", "depression")


@dataclass(frozen=True)
class FIQResult:
    """Original FIQ total (0-100) and its ten components (each 0-10; None if unanswered)."""

    total: float
    components: dict[str, float | None]
    answered: int

    def as_dict(self) -> dict:
        return asdict(self)


def fiq(
    function: Sequence[float | None],
    felt_good_days: float | None,
    missed_work_days: float | None,
    **vas: float | None,
) -> FIQResult:
    """Score the original FIQ (ten components, each normalized to 0-10; total 0-100).

    Parameters
    ----------
    function : sequence of 10 or 11 numbers 0-3 (or None)
        Physical-function sub-items (1991: 10; 1997 and later: 11); component = mean x 3.33.
    felt_good_days : 0-7 or None
        Days felt good in the past week; component = (7 - days) x 1.43.
    missed_work_days : 0-7 or None
        Days of work missed in the past week (None if not working outside the home);
        component = days x 1.43.
    **vas : 0-10 or None
        The seven visual-analogue items :data:`FIQ_VAS_ITEMS`.

    Notes
    -----
    With missing components, total = sum of answered components x 10 / number answered
    (calibration.md D.7; marked there as background knowledge).
    """
    unknown = sorted(set(vas) - set(FIQ_VAS_ITEMS))
    if unknown:
        raise FMSimError(f"unknown FIQ item(s) {unknown}; allowed: {', '.join(FIQ_VAS_ITEMS)}")
    function = list(function)
    if len(function) not in (10, 11):
        raise FMSimError(f"FIQ physical function has 10 or 11 sub-items; got {len(function)}")
    sub = [score(v, f"FIQ function sub-item {i + 1}", 0, 3) for i, v in enumerate(function)
           if v is not None and not (isinstance(v, str) and not v.strip())]
    components: dict[str, float | None] = {
        "physical_function": sum(sub) / len(sub) * 3.33 if sub else None,
        "felt_good": None if felt_good_days is None else
        (7 - score(felt_good_days, "FIQ days felt good", 0, 7)) * 1.43,
        "missed_work": None if missed_work_days is None else
        score(missed_work_days, "FIQ days of work missed", 0, 7) * 1.43,
    }
    for name in FIQ_VAS_ITEMS:
        value = vas.get(name)
        components[name] = None if value is None else score(value, f"FIQ {name}", 0, 10)
    answered = [v for v in components.values() if v is not None]
    if not answered:
        raise FMSimError("the FIQ has no answered component")
    total = sum(answered) * 10 / len(answered)
    return FIQResult(round(total, 10), components, len(answered))
