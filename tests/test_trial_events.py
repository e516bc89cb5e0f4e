"""Allocation, adverse-event and dropout draws, and last observation carried forward."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fmsim import FMSimError
from fmsim.interventions.adverse import adverse_event_hazards, cumulative_incidence
from fmsim.interventions.catalog import Treatment
from fmsim.studies.events import (
    adverse_event_days,
    carry_forward,
    dropout_days,
    earliest,
    permuted_blocks,
    withdrawal_weeks,
)


@given(st.integers(0, 200), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_permuted_blocks_stay_balanced(n, arms, seed):
    allocation = permuted_blocks(n, arms, np.random.default_rng(seed))
    assert allocation.shape == (n,)
    counts = np.bincount(allocation, minlength=arms)
    assert counts.max() - counts.min() <= 2  # at most one incomplete block of 2 per arm
    block = 2 * arms
    for start in range(0, n - n % block, block):
        assert np.all(np.bincount(allocation[start : start + block], minlength=arms) == 2)


def test_event_draws_match_the_cumulative_incidence():
    """Sampled first-event days reproduce 1 - exp(-cumulative hazard) (pregabalin dizziness)."""
    hazards = adverse_event_hazards([Treatment.create("pregabalin:450", 0, 84)], 84)
    expected = cumulative_incidence(hazards)["dizziness"]
    n = 20000
    days = adverse_event_days(np.repeat(hazards["dizziness"][None, :], n, axis=0),
                              np.random.default_rng(1))
    for day in (13, 41, 83):
        observed = np.mean((days != -1) & (days <= day))
        assert observed == pytest.approx(expected[day], abs=3 * np.sqrt(0.25 / n))
    again = adverse_event_days(np.repeat(hazards["dizziness"][None, :], n, axis=0),
                               np.random.default_rng(1))
    assert np.array_equal(days, again)


def test_dropouts_take_the_earliest_discontinuing_event():
    rng = np.random.default_rng(0)
    events = {"nausea": np.array([3, -1, 10, -1]), "dizziness": np.array([5, 2, 1, -1])}
    assert dropout_days(events, 1.0, rng).tolist() == [3, 2, 1, -1]
    assert dropout_days(events, 0.0, rng).tolist() == [-1, -1, -1, -1]
    assert dropout_days(events, {"dizziness": 1.0}, rng).tolist() == [5, 2, 1, -1]
    share = np.mean(dropout_days({"x": np.zeros(10000, int)}, 0.3, rng) == 0)
    assert share == pytest.approx(0.3, abs=0.02)
    with pytest.raises(FMSimError, match="must be 0-1"):
        dropout_days(events, 1.5, rng)


def test_other_withdrawals_are_geometric_over_the_treatment_weeks():
    rng = np.random.default_rng(2)
    weeks = withdrawal_weeks(50000, 12, 0.05, rng)
    assert np.mean(weeks != -1) == pytest.approx(1 - 0.95**12, abs=0.01)
    assert weeks.min() == -1 and weeks.max() == 11  # left in week 12: last observed week 11
    assert np.mean(weeks == 0) == pytest.approx(0.05, abs=0.005)
    assert np.all(withdrawal_weeks(10, 12, 0.0, rng) == -1)
    assert np.all(withdrawal_weeks(10, 12, 1.0, rng) == 0)
    with pytest.raises(FMSimError, match="0-1"):
        withdrawal_weeks(10, 12, -0.1, rng)


def test_earliest_ignores_never():
    assert earliest(np.array([3, -1, -1, 5]), np.array([4, 2, -1, 1])).tolist() == [3, 2, -1, 1]


def test_last_observation_carried_forward():
    values = np.arange(12, dtype=float).reshape(4, 3).T  # patient x day
    out = carry_forward(values, np.array([-1, 1, 0]))
    assert out[0].tolist() == [0, 3, 6, 9]
    assert out[1].tolist() == [1, 4, 4, 4]
    assert out[2].tolist() == [2, 2, 2, 2]


def test_bad_inputs():
    rng = np.random.default_rng(0)
    with pytest.raises(FMSimError, match="multiple of the number of arms"):
        permuted_blocks(10, 3, rng, block=4)
    with pytest.raises(FMSimError, match="rates >= 0"):
        adverse_event_days(np.array([0.1, -0.1]), rng)
