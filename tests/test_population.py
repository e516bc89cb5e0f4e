"""Sampling virtual people from the priors."""

import numpy as np
import pytest

from fmsim import FMSimError, default_model, fm_model, person, sample_parameters
from fmsim.population.priors import prior_cdf, prior_quantile


def test_sampling_is_seeded_and_inside_the_bounds():
    a = sample_parameters(2000, seed=4)
    b = sample_parameters(2000, seed=4)
    c = sample_parameters(2000, seed=5)
    registry = default_model().registry  # the default model's priors unless told otherwise
    assert set(a) == {n for n, p in registry.parameters.items() if p.prior.varies}
    assert set(sample_parameters(2, registry=fm_model().registry)) != set(a)
    for name, values in a.items():
        np.testing.assert_array_equal(values, b[name])
        lo, hi = registry.parameters[name].prior.bounds
        assert values.min() >= lo and values.max() <= hi, name
    assert not np.array_equal(a["genetic"], c["genetic"])


def test_sampled_distributions_follow_their_priors():
    draws = sample_parameters(20000, seed=1)
    assert abs(draws["female"].mean() - 0.5) < 0.02
    assert abs(draws["genetic"].mean() - 2 / 7) < 0.01  # Beta(2, 5)
    assert abs(np.median(draws["gain_ischemic"]) - 1.0) < 0.03  # lognormal around the value


@pytest.mark.parametrize("name", ["genetic", "gain_sleep", "tau_CS", "female"])
def test_the_prior_cdf_inverts_the_prior_quantile(name):
    prior = default_model().registry.parameters[name]
    u = np.linspace(0.001, 0.999, 57)
    if prior.prior.dist == "bernoulli":  # no continuous distribution function to invert
        with pytest.raises(FMSimError, match="no continuous"):
            prior_cdf(prior.prior, prior.value, u)
        return
    x = prior_quantile(prior.prior, prior.value, u)
    np.testing.assert_allclose(prior_cdf(prior.prior, prior.value, x), u, atol=1e-9)
    lo, hi = prior.prior.bounds  # values beyond the bounds sit at the prior's ends
    np.testing.assert_allclose(prior_cdf(prior.prior, prior.value, [lo - 1, hi + 1]), [0, 1])


def test_presets_and_errors():
    assert person("vulnerable")["genetic"] > person("healthy")["genetic"]
    with pytest.raises(FMSimError, match="unknown person"):
        person("nobody")
    with pytest.raises(FMSimError, match="at least 1"):
        sample_parameters(0)
