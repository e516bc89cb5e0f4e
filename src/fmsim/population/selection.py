"""Virtual-population selection: accept plausible people so that the accepted match data.

Allen, Rieger and Musante (2016) select a virtual population from a plausible one by accepting
each plausible person with a probability proportional to the ratio of the target (data)
density to the plausible density at that person's observables. The plausible density is a
Gaussian kernel density estimate (:class:`scipy.stats.gaussian_kde`), and the ratio is scaled
so that its 99th percentile accepts with certainty (Allen et al. tune this scale factor to trade
yield against fit; the percentile keeps a few outlying kernel estimates from throttling the
yield). Here the observables are one continuous score and a binary stratum (sex): the target is
a truncated normal distribution of the score times a target share of the stratum, and the
plausible density is estimated within each stratum.

References
----------
Allen RJ, Rieger TR, Musante CJ. Efficient generation and selection of virtual populations in
quantitative systems pharmacology models. CPT Pharmacometrics Syst Pharmacol 2016;5:140-6,
doi:10.1002/psp4.12063.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["SelectionTarget", "acceptance_probability"]

SCALE_PERCENTILE = 99.0


@dataclass(frozen=True)
class SelectionTarget:
    """A score distributed as a normal (``mean``, ``sd``) truncated to [``lo``, ``hi``], and the
    target share of people in stratum 1 (e.g. women); ``source`` names the data."""

    mean: float
    sd: float
    lo: float
    hi: float
    share: float
    source: str

    def density(self, score: np.ndarray, stratum: np.ndarray) -> np.ndarray:
        """Target density of (score, stratum)."""
        a, b = (self.lo - self.mean) / self.sd, (self.hi - self.mean) / self.sd
        pdf = stats.truncnorm(a, b, loc=self.mean, scale=self.sd).pdf(score)
        return pdf * np.where(stratum, self.share, 1 - self.share)


MIN_SPREAD = 1e-9
"""The least standard deviation of a stratum's scores for a density estimate: below it the
kernel's covariance underflows (three scores 0, 0 and 1e-219 broke scipy's Cholesky)."""


def acceptance_probability(score: np.ndarray, stratum: np.ndarray,
                           target: SelectionTarget) -> np.ndarray:
    """Probability of accepting each plausible person (Allen et al. 2016).

    Parameters
    ----------
    score : ndarray
        The continuous observable of each plausible person.
    stratum : ndarray of bool
        The binary observable (e.g. female).
    target : SelectionTarget

    Returns
    -------
    ndarray
        Acceptance probabilities in [0, 1]; zero where a stratum has fewer than three people
        or its scores no spread (SD under :data:`MIN_SPREAD`): too little for a density
        estimate.
    """
    score = np.asarray(score, dtype=float)
    stratum = np.asarray(stratum, dtype=bool)
    plausible = np.zeros(score.size)
    for s in (False, True):
        members = stratum == s
        if members.sum() < 3 or not np.std(score[members]) >= MIN_SPREAD:
            continue
        kde = stats.gaussian_kde(score[members])
        plausible[members] = members.mean() * kde(score[members])
    ratio = np.divide(target.density(score, stratum), plausible,
                      out=np.zeros(score.size), where=plausible > 0)
    if not ratio.any():
        return ratio
    scale = np.percentile(ratio[ratio > 0], SCALE_PERCENTILE)
    return np.clip(ratio / scale, 0.0, 1.0)
