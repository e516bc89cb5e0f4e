"""Virtual-population selection (Allen et al. 2016): the accepted match the target."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fmsim.population.selection import SelectionTarget, acceptance_probability

TARGET = SelectionTarget(mean=7.35, sd=1.55, lo=4.0, hi=10.0, share=0.955, source="test")


def _select(score, female, seed=0):
    p = acceptance_probability(score, female, TARGET)
    keep = np.random.default_rng(seed).uniform(size=score.size) < p
    return score[keep], female[keep]


def test_selection_moves_a_skewed_plausible_population_onto_the_target():
    rng = np.random.default_rng(1)
    n = 40000
    female = rng.uniform(size=n) < 0.7
    score = np.clip(10 - rng.gamma(2.0, 0.8, n), 4, 10)  # piled up near 10, like FM pain
    chosen, women = _select(score, female)
    grid = np.linspace(4, 10, 2001)  # the target's own moments, by quadrature
    pdf = TARGET.density(grid, np.ones_like(grid, dtype=bool)) / TARGET.share
    mean = np.trapezoid(grid * pdf, grid)
    sd = np.sqrt(np.trapezoid((grid - mean) ** 2 * pdf, grid))
    assert abs(score.mean() - mean) > 0.5  # the plausible population is far off
    assert abs(chosen.mean() - mean) < 0.1 and abs(chosen.std() - sd) < 0.15
    assert abs(women.mean() - TARGET.share) < 0.02
    assert 0.05 < chosen.size / n < 0.9


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 10), min_size=0, max_size=60), st.integers(0, 1000))
def test_acceptance_is_a_probability(scores, seed):
    score = np.array(scores)
    female = np.random.default_rng(seed).uniform(size=score.size) < 0.5
    p = acceptance_probability(score, female, TARGET)
    assert p.shape == score.shape and np.all((p >= 0) & (p <= 1))
    assert np.all(p[(score < TARGET.lo) | (score > TARGET.hi)] == 0)


def test_a_stratum_without_spread_is_not_estimated():
    """Scores that differ by less than any density can resolve (found by Hypothesis: 0, 0 and
    2.6e-219) are skipped like identical ones, not passed to the kernel estimate."""
    for scores in ([5.0, 5.0, 5.0], [0.0, 0.0, 2.62134855e-219]):
        p = acceptance_probability(np.array(scores), np.ones(3, dtype=bool), TARGET)
        np.testing.assert_array_equal(p, 0.0)
