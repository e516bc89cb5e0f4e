"""Sampling virtual people from the registry priors, and the named person presets.

Each parameter's prior (``parameters.toml``) is a distribution truncated to its bounds. A
population is a dict of arrays with one entry per person: the patient axis that the engine runs
at once. Sampling is seeded with :class:`numpy.random.SeedSequence`, so the same seed gives the
same people.
"""

from __future__ import annotations

import tomllib
import zlib
from functools import cache
from importlib import resources

import numpy as np

from ..errors import FMSimError
from ..model.registry import Prior, Registry

__all__ = ["PERSON_PRESETS", "person", "prior_cdf", "prior_quantile", "sample_parameters",
           "sample_prior"]


@cache
def _presets() -> dict[str, dict]:
    text = resources.files("fmsim.population").joinpath("persons.toml").read_text("utf-8")
    return tomllib.loads(text)


PERSON_PRESETS: tuple[str, ...] = tuple(_presets())


def person(name: str) -> dict[str, float]:
    """Parameter overrides of a named person preset (``healthy``, ``vulnerable``)."""
    presets = _presets()
    if name not in presets:
        raise FMSimError(f"unknown person {name!r}; known persons: {', '.join(presets)}")
    return {k: float(v) for k, v in presets[name].items() if k != "description"}


def sample_prior(prior: Prior, value: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` values of one parameter from its (truncated) prior."""
    if not prior.varies:
        return np.full(n, value)
    return prior_quantile(prior, value, rng.uniform(size=n))


def prior_quantile(prior: Prior, value: float, u: np.ndarray) -> np.ndarray:
    """The values of one parameter at the quantiles ``u`` (in [0, 1]) of its (truncated) prior:
    its inverse distribution function, which maps uniform draws onto the prior."""
    lo, hi = prior.bounds
    u = np.asarray(u, dtype=float)
    if not prior.varies:
        return np.full(u.shape, value)
    if prior.dist == "uniform":
        return lo + (hi - lo) * u
    if prior.dist == "bernoulli":
        return (u < prior.p).astype(float)
    if prior.dist == "beta":
        return lo + (hi - lo) * _beta(prior).ppf(u)
    if prior.dist == "lognormal":
        dist, c_lo, c_hi = _lognormal(prior, value)
        return np.clip(dist.ppf(c_lo + (c_hi - c_lo) * u), lo, hi)
    raise FMSimError(f"prior distribution {prior.dist!r} cannot be sampled")


def prior_cdf(prior: Prior, value: float, x: np.ndarray) -> np.ndarray:
    """The quantiles (in [0, 1]) of the values ``x`` under one parameter's (truncated) prior:
    its distribution function, the inverse of :func:`prior_quantile` (a value's place in the
    prior, as simulation-based calibration needs to compare people with the prior they were
    drawn from).

    Raises
    ------
    FMSimError
        For a prior without a continuous distribution function (the same for everyone, or
        Bernoulli).
    """
    lo, hi = prior.bounds
    x = np.clip(np.asarray(x, dtype=float), lo, hi)
    if not prior.varies:
        raise FMSimError("a prior that is the same for everyone has no continuous distribution "
                         "function")
    if prior.dist == "bernoulli":
        raise FMSimError("a 'bernoulli' prior has no continuous distribution function")
    if prior.dist == "uniform":
        return (x - lo) / (hi - lo)
    if prior.dist == "beta":
        return _beta(prior).cdf((x - lo) / (hi - lo))
    if prior.dist == "lognormal":
        dist, c_lo, c_hi = _lognormal(prior, value)
        return (dist.cdf(x) - c_lo) / (c_hi - c_lo)
    raise FMSimError(f"prior distribution {prior.dist!r} has no distribution function here")


# SciPy's distributions are imported when first used: the person presets are read when the
# command line starts, and scipy.stats takes longer to import than the rest of it.


def _beta(prior: Prior):
    """A beta prior's distribution on [0, 1] (scaled to its bounds by the caller)."""
    from scipy import stats

    return stats.beta(prior.a, prior.b)


def _lognormal(prior: Prior, value: float):
    """A lognormal prior's untruncated distribution (median ``value``) and its distribution
    function at the prior's bounds, which truncate it."""
    from scipy import stats

    dist = stats.lognorm(s=prior.sigma, scale=value)
    return dist, dist.cdf(prior.bounds[0]), dist.cdf(prior.bounds[1])


def sample_parameters(
    n: int, seed: int | None = 0, registry: Registry | None = None
) -> dict[str, np.ndarray]:
    """Draw ``n`` virtual people from the priors.

    Parameters
    ----------
    n : int
        Number of people.
    seed : int, optional
        Seed; each parameter gets its own stream spawned from it, so adding a parameter to the
        registry does not change the draws of the others.
    registry : Registry, optional
        Whose priors (default: the default model's, :func:`fmsim.model.default_model`; pass
        ``model.registry`` for another model's people).

    Returns
    -------
    dict
        Parameter name -> array of shape ``(n,)`` (only parameters that vary).
    """
    if n < 1:
        raise FMSimError(f"n must be at least 1, not {n}")
    if registry is None:
        from ..model.models import default_model  # the models are built from this package

        registry = default_model().registry
    out = {}
    root = np.random.SeedSequence(seed)
    for name, info in sorted(registry.parameters.items()):
        if not info.prior.varies:
            continue
        key = zlib.crc32(name.encode())
        rng = np.random.default_rng(np.random.SeedSequence(root.entropy, spawn_key=(key,)))
        out[name] = sample_prior(info.prior, info.value, n, rng)
    return out
