"""Statistics: summaries of a sample, and the comparisons of two groups (risk ratio, number
needed to treat, Hedges' g).

Each comparison returns an :class:`Estimate` with a 95% interval (or another ``level``).
Conventions follow calibration.md: a risk ratio above 1 means more responders in the arm; a
negative Hedges' g favours the arm for symptom outcomes (arm minus comparator); the number
needed to treat is ``1 / (p_arm - p_comparator)``.

References
----------
Katz D et al. (1978), Biometrics 34:469-474 (log risk-ratio interval, via
``scipy.stats.contingency.relative_risk``). Altman DG (1998), BMJ 317:1309-1312,
doi:10.1136/bmj.317.7168.1309 (NNT intervals from the risk-difference interval). Hedges LV,
Olkin I (1985), Statistical Methods for Meta-Analysis (small-sample correction and variance of
g). Czado C, Gneiting T, Held L (2009), Biometrics 65:1254-1261,
doi:10.1111/j.1541-0420.2009.01191.x (the randomized probability integral transform of a
discrete predictive distribution).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm
from scipy.stats.contingency import relative_risk

from .errors import FMSimError

__all__ = ["Estimate", "Summary", "describe", "hedges_g", "interval_coverage",
           "number_needed_to_treat",
           "prevalence_ratio", "rate", "responder_rate", "risk_ratio", "risk_ratio_at"]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its interval; an unbounded end is ``inf`` or ``-inf``."""

    value: float
    low: float
    high: float

    @property
    def interval(self) -> tuple[float, float]:
        """``(low, high)``."""
        return self.low, self.high

    def __str__(self) -> str:
        return f"{self.value:.3g} [{self.low:.3g}, {self.high:.3g}]"

    def as_json(self) -> tuple[float | None, list[float | None]]:
        """``(value, [low, high])`` with infinite or undefined numbers as ``None``."""
        def clean(x: float) -> float | None:
            return float(x) if math.isfinite(x) else None

        return clean(self.value), [clean(self.low), clean(self.high)]


@dataclass(frozen=True)
class Summary:
    """Mean, SD and quartiles of a sample."""

    mean: float
    sd: float
    p25: float
    median: float
    p75: float

    def to_dict(self) -> dict[str, float]:
        """The JSON object ``{mean, sd, p25, median, p75}``."""
        return {"mean": self.mean, "sd": self.sd, "p25": self.p25, "median": self.median,
                "p75": self.p75}


def describe(values: np.ndarray) -> Summary | None:
    """Mean, SD (0 for a single value) and quartiles of ``values``; None when empty."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return None
    q25, q50, q75 = np.percentile(values, [25, 50, 75])
    return Summary(float(values.mean()), float(values.std(ddof=1)) if values.size > 1 else 0.0,
                   float(q25), float(q50), float(q75))


def rate(flags: np.ndarray) -> float | None:
    """The share of true values; None when there are none."""
    flags = np.asarray(flags)
    return float(flags.mean()) if flags.size else None


def prevalence_ratio(fm: np.ndarray, female: np.ndarray) -> float | None:
    """Prevalence among women divided by prevalence among men (boolean arrays over people);
    None when either sex is absent or no man has FM."""
    fm, female = np.asarray(fm, dtype=bool), np.asarray(female, dtype=bool)
    if not female.any() or female.all():
        return None
    men = fm[~female].mean()
    return float(fm[female].mean() / men) if men else None


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise FMSimError(f"confidence level must be between 0 and 1, not {level}")
    return float(norm.ppf(0.5 + level / 2))


def _counts(events: int, total: int, label: str) -> None:
    if total < 1 or not 0 <= events <= total:
        raise FMSimError(f"{label}: need 0 <= events <= total and total >= 1, "
                         f"not {events} of {total}")


def responder_rate(change_percent: np.ndarray, threshold: float) -> float:
    """Share of patients whose pain fell by at least ``threshold`` percent (``change_percent``
    is the relative change from baseline, negative = improvement)."""
    change = np.asarray(change_percent, dtype=float)
    if change.size == 0:
        raise FMSimError("responder rate of an empty arm")
    return float(np.mean(change <= -threshold))


def risk_ratio(events: int, total: int, ref_events: int, ref_total: int,
               level: float = 0.95) -> Estimate:
    """Risk ratio of the arm against the reference, with the Katz log interval.

    When one arm has no events, 0.5 is added to every cell (the Haldane-Anscombe correction,
    as in Cochrane's RevMan) so that the ratio and its interval stay finite; with no events in
    either arm the ratio is undefined (NaN)."""
    _counts(events, total, "arm")
    _counts(ref_events, ref_total, "reference arm")
    if events == 0 or ref_events == 0:  # the corrected Katz interval of the rates
        return risk_ratio_at(events / total, total, ref_events / ref_total, ref_total, level)
    result = relative_risk(events, total, ref_events, ref_total)
    ci = result.confidence_interval(confidence_level=level)
    return Estimate(float(result.relative_risk), float(ci.low), float(ci.high))


def risk_ratio_at(rate: float, total: int, ref_rate: float, ref_total: int,
                  level: float = 0.95) -> Estimate:
    """The risk ratio of two response rates with the Katz log interval a trial of ``total``
    and ``ref_total`` patients would report were the rates true: what a published trial of
    that size would have seen of the model's effect (its expected interval, counts
    ``rate * total`` not rounded). A rate of 0 takes the Haldane-Anscombe correction of
    :func:`risk_ratio`; both rates 0 give NaN.

    A null result of a small trial ("not effective") is checked this way rather than at the
    virtual trial's size, where any effect at all is significant."""
    if not (0 <= rate <= 1 and 0 <= ref_rate <= 1):
        raise FMSimError(f"response rates must be between 0 and 1, not {rate} and {ref_rate}")
    if total < 1 or ref_total < 1:
        raise FMSimError(f"trial sizes must be at least 1, not {total} and {ref_total}")
    a, n1, c, n2 = rate * total, float(total), ref_rate * ref_total, float(ref_total)
    if a == 0 and c == 0:
        return Estimate(math.nan, math.nan, math.nan)
    if a == 0 or c == 0:  # half a patient added to every cell
        a, n1, c, n2 = a + 0.5, n1 + 1, c + 0.5, n2 + 1
    ratio = (a / n1) / (c / n2)
    half = _z(level) * math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    return Estimate(ratio, ratio * math.exp(-half), ratio * math.exp(half))


def number_needed_to_treat(events: int, total: int, ref_events: int, ref_total: int,
                           level: float = 0.95) -> Estimate:
    """NNT = 1 / risk difference, with Altman's interval from the Wald risk-difference interval.

    When the risk-difference interval includes 0 the NNT interval is unbounded: it runs from
    the benefit side (positive NNT) through infinity to harm (negative). The side the estimate
    is on is reported: ``[1 / upper difference, inf]`` for a benefit, ``[-inf, 1 / lower
    difference]`` for a harm, so that the estimate lies in its interval.
    """
    _counts(events, total, "arm")
    _counts(ref_events, ref_total, "reference arm")
    p, q = events / total, ref_events / ref_total
    difference = p - q
    se = math.sqrt(p * (1 - p) / total + q * (1 - q) / ref_total)
    lo, hi = difference - _z(level) * se, difference + _z(level) * se
    value = 1 / difference if difference else math.inf
    if lo > 0 or hi < 0:
        return Estimate(value, 1 / hi, 1 / lo)
    if difference < 0:  # then lo < 0 too
        return Estimate(value, -math.inf, 1 / lo)
    return Estimate(value, 1 / hi if hi > 0 else -math.inf, math.inf)


def hedges_g(arm: np.ndarray, reference: np.ndarray, level: float = 0.95) -> Estimate:
    """Hedges' g (arm minus reference, pooled SD, small-sample corrected) with the normal
    interval from its large-sample variance; not a number (all three) when neither arm has any
    spread, as when every patient of a tiny trial left before its first visit."""
    a, b = np.asarray(arm, dtype=float), np.asarray(reference, dtype=float)
    n1, n2 = a.size, b.size
    if n1 < 2 or n2 < 2:
        raise FMSimError(f"Hedges' g needs at least 2 values per arm, not {n1} and {n2}")
    pooled = math.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    if pooled == 0:
        return Estimate(math.nan, math.nan, math.nan)
    g = (1 - 3 / (4 * (n1 + n2) - 9)) * (a.mean() - b.mean()) / pooled
    se = math.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))
    return Estimate(float(g), float(g - _z(level) * se), float(g + _z(level) * se))


def interval_coverage(draws: np.ndarray, value: np.ndarray, probability: float) -> np.ndarray:
    """How far ``value`` lies inside the central ``probability`` interval of the predictive
    distribution whose ``draws`` run along axis 0 (``value``: the shape of the rest): 1 inside,
    0 outside, and, where ``value`` equals some of the draws, the share of its step in the
    predictive CDF that falls between the interval's bounds.

    This is the expected coverage under the randomized probability integral transform (Czado,
    Gneiting and Held 2009): for a predictive distribution with atoms (a weekly mean of
    whole-number ratings lies on a grid of sevenths) an interval between sample quantiles
    that includes its bounds covers more than ``probability`` even when the predictions are
    calibrated, while this share averages ``probability`` exactly when the ``value`` is drawn
    from the predictive distribution itself. For continuous draws it is the plain indicator.
    """
    if not 0 < probability < 1:
        raise FMSimError(f"probability must be between 0 and 1, not {probability}")
    draws, value = np.asarray(draws, float), np.asarray(value, float)
    below = np.mean(draws < value, axis=0)  # the predictive CDF just below the value
    upto = np.mean(draws <= value, axis=0)  # and at it
    lo, hi = (1 - probability) / 2, (1 + probability) / 2
    step = upto - below
    inside = np.clip(np.minimum(upto, hi) - np.maximum(below, lo), 0, None)
    return np.where(step > 0, inside / np.where(step > 0, step, 1),
                    (lo <= below) & (below <= hi)).astype(float)
