"""Trial statistics against hand-computed cases (calibration.md E.2 and the textbook formulas)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fmsim import FMSimError
from fmsim.stats import (
    hedges_g,
    interval_coverage,
    number_needed_to_treat,
    responder_rate,
    risk_ratio,
    risk_ratio_at,
)


def test_risk_ratio_katz_interval_by_hand():
    # 43/100 vs 28/100: RR 1.5357; SE(log RR) = sqrt(1/43 - 1/100 + 1/28 - 1/100) = 0.19741
    rr = risk_ratio(43, 100, 28, 100)
    assert rr.value == pytest.approx(1.535714, abs=1e-6)
    assert (rr.low, rr.high) == pytest.approx((1.042980, 2.261230), abs=1e-5)


def test_risk_ratio_with_a_zero_cell_uses_the_half_correction():
    # 0/20 vs 4/20: (0.5/21) / (4.5/21) = 0.1111; SE = sqrt(1/0.5 - 1/21 + 1/4.5 - 1/21) = 1.4584
    rr = risk_ratio(0, 20, 4, 20)
    assert rr.value == pytest.approx(0.111111, abs=1e-6)
    assert (rr.low, rr.high) == pytest.approx((0.006373, 1.937160), rel=1e-4)
    assert risk_ratio(3, 20, 0, 20).value == pytest.approx(7.0)
    assert math.isnan(risk_ratio(0, 20, 0, 20).value)


def test_risk_ratio_at_a_trials_size_is_katz_at_the_expected_counts():
    # 43/100 vs 28/100 as rates: the same interval as the counts' (above)
    rr = risk_ratio_at(0.43, 100, 0.28, 100)
    assert rr.value == pytest.approx(0.43 / 0.28)
    assert (rr.low, rr.high) == pytest.approx((1.042980, 2.261230), abs=1e-5)
    # the same rates in a trial four times the size: the interval's half-width on the log
    # scale halves, and a null at 79 vs 144 patients is significant at 2,000 per arm
    wide, narrow = risk_ratio_at(0.24, 79, 0.17, 144), risk_ratio_at(0.24, 2000, 0.17, 2000)
    assert wide.low < 1 < wide.high and narrow.low > 1
    quad = risk_ratio_at(0.43, 400, 0.28, 400)
    assert math.log(quad.high / quad.value) == pytest.approx(
        math.log(rr.high / rr.value) / 2, rel=1e-9)
    assert risk_ratio_at(0.0, 20, 0.2, 20).value == pytest.approx(
        risk_ratio(0, 20, 4, 20).value)
    with pytest.raises(FMSimError, match="response rates"):
        risk_ratio_at(1.2, 79, 0.17, 144)
    with pytest.raises(FMSimError, match="trial sizes"):
        risk_ratio_at(0.2, 0, 0.17, 144)


@pytest.mark.parametrize(("arm", "ref", "published"), [
    (0.43, 0.28, 6.7),   # E2.1 pregabalin 450 mg, >=30%
    (0.39, 0.28, 9.1),   # E2.2 pregabalin 300 mg, >=30%
    (0.366, 0.233, 7.5),  # E2.4 duloxetine 60 mg, >=50%
])
def test_nnt_is_one_over_the_risk_difference(arm, ref, published):
    nnt = number_needed_to_treat(round(arm * 1000), 1000, round(ref * 1000), 1000)
    assert nnt.value == pytest.approx(published, abs=0.05)


def test_nnt_interval_by_hand_and_when_it_crosses_no_effect():
    # RD 0.15, SE sqrt(.43*.57/100 + .28*.72/100) = 0.066836, Wald CI [0.019003, 0.280997]
    nnt = number_needed_to_treat(43, 100, 28, 100)
    assert (nnt.low, nnt.high) == pytest.approx((3.55878, 52.6189), rel=1e-4)
    unclear = number_needed_to_treat(30, 100, 28, 100)  # RD CI [-0.1057, 0.1457]
    assert unclear.value == pytest.approx(50.0)
    assert unclear.low == pytest.approx(6.86137, rel=1e-4) and unclear.high == math.inf
    assert unclear.as_json() == (pytest.approx(50.0), [pytest.approx(6.86137, rel=1e-4), None])
    harm = number_needed_to_treat(28, 100, 30, 100)  # RD -0.02, CI [-0.1457, 0.1057]
    assert harm.value == pytest.approx(-50.0)
    assert harm.low == -math.inf and harm.high == pytest.approx(-6.86137, rel=1e-4)


def test_hedges_g_by_hand():
    # means 5 and 6, SD 2 in both arms of 50: d = -0.5, J = 1 - 3/391, g = -0.496164,
    # SE = sqrt(100/2500 + g^2/200) = 0.203054
    z = np.random.default_rng(0).normal(size=50)
    z = (z - z.mean()) / z.std(ddof=1)
    g = hedges_g(5 + 2 * z, 6 + 2 * z[::-1])
    assert g.value == pytest.approx(-0.496164, abs=1e-6)
    assert (g.low, g.high) == pytest.approx((-0.894142, -0.098185), abs=1e-5)
    # no spread in either arm (everyone of a tiny trial gone before its first visit): no g,
    # rather than a failed trial
    none = hedges_g(np.zeros(3), np.zeros(4))
    assert np.isnan([none.value, none.low, none.high]).all()
    assert none.as_json() == (None, [None, None])


@given(st.lists(st.floats(-10, 10), min_size=3, max_size=30),
       st.lists(st.floats(-10, 10), min_size=3, max_size=30))
def test_hedges_g_is_antisymmetric_and_its_interval_contains_it(a, b):
    if np.std(a) < 1e-3 or np.std(b) < 1e-3:
        return
    forward, backward = hedges_g(np.array(a), np.array(b)), hedges_g(np.array(b), np.array(a))
    assert forward.value == pytest.approx(-backward.value, abs=1e-9)
    assert forward.low <= forward.value <= forward.high


@given(st.integers(1, 200), st.integers(1, 200), st.data())
def test_risk_ratio_interval_contains_the_estimate(n1, n2, data):
    e1, e2 = data.draw(st.integers(1, n1)), data.draw(st.integers(1, n2))
    rr = risk_ratio(e1, n1, e2, n2)
    assert rr.low <= rr.value <= rr.high


def test_responders_and_bad_input():
    assert responder_rate(np.array([-60, -35, -10, 5]), 30) == 0.5
    assert responder_rate(np.array([-60, -35, -10, 5]), 50) == 0.25
    with pytest.raises(FMSimError, match="events <= total"):
        risk_ratio(5, 4, 1, 10)
    with pytest.raises(FMSimError, match="at least 2 values"):
        hedges_g(np.array([1.0]), np.array([1.0, 2.0]))
    with pytest.raises(FMSimError, match="confidence level"):
        number_needed_to_treat(4, 10, 2, 10, level=1.5)


@given(st.lists(st.integers(0, 6), min_size=1, max_size=40),
       st.sampled_from([0.5, 0.8, 0.9]))
def test_interval_coverage_of_a_calibrated_discrete_forecast_is_exact(draws, probability):
    """A value drawn from the predictive distribution itself (each draw in turn) lies inside
    on average exactly ``probability`` of the time, however coarse the grid."""
    draws = np.array(draws, float)
    share = interval_coverage(draws[:, None], draws, probability)
    assert np.all((share >= 0) & (share <= 1))
    assert share.mean() == pytest.approx(probability)


def test_interval_coverage_counts_bounds_by_their_share_and_refuses_bad_levels():
    draws = np.array([1, 2, 2, 2, 3], float)  # CDF 0.2 below 2, 0.8 at 2
    assert interval_coverage(draws, 2.0, 0.5) == pytest.approx(0.5 / 0.6)
    assert interval_coverage(draws, 1.0, 0.5) == 0  # all of 1's step is below 0.25
    assert interval_coverage(draws, 9.0, 0.9) == 0
    smooth = np.linspace(0, 1, 101)  # continuous draws: the plain indicator
    assert interval_coverage(smooth, 0.505, 0.5) == 1
    assert interval_coverage(smooth, 0.905, 0.5) == 0
    with pytest.raises(FMSimError, match="probability"):
        interval_coverage(draws, 2.0, 1.0)
