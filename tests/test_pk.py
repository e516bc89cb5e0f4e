"""Pharmacokinetics: the analytic daily exposures agree with numerical integration of the ODEs."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from fmsim import FMSimError
from fmsim.interventions.pk import (
    Infusion,
    InfusionPK,
    OralPK,
    effect_onset,
    infusion_concentration,
    infusion_daily_mean,
    occupancy,
    oral_exposure,
    rate_from_tmax,
)


def numeric_daily_means(pk: OralPK, daily_dose: np.ndarray) -> np.ndarray:
    """Gut and central compartments integrated by SciPy, doses as bolus jumps into the gut;
    the central amount is scaled to steady-state-equivalent mg/day (x = ke * amount)."""
    ka, ke = pk.rates_per_day()
    k = pk.doses_per_day
    means, gut, central = [], 0.0, 0.0
    for day, dose in enumerate(daily_dose):
        single = dose / k
        if pk.saturation_mg:
            single = single / (1 + single / pk.saturation_mg)
        times = [day + (8 + 24 * j / k) / 24 for j in range(k)]
        edges = [day, *times, day + 1]
        area = 0.0
        for j, (a, b) in enumerate(itertools.pairwise(edges)):
            if j > 0:
                gut += single
            sol = solve_ivp(lambda _t, y: [-ka * y[0], ka * y[0] - ke * y[1], ke * y[1]],
                            (a, b), [gut, central, 0.0], rtol=1e-11, atol=1e-12)
            gut, central, piece = sol.y[:, -1]
            area += piece
        means.append(area)
    return np.array(means)


@pytest.mark.parametrize("pk", [OralPK(12, 6), OralPK(6.3, 1.25, 2), OralPK(6, 2.5, 3, 500)])
def test_analytic_exposure_matches_numerical_integration(pk):
    schedule = np.r_[np.full(5, 60.0), np.full(5, 120.0), np.zeros(4), np.full(3, 30.0)]
    np.testing.assert_allclose(oral_exposure(pk, schedule), numeric_daily_means(pk, schedule),
                               rtol=1e-6, atol=1e-8)


@settings(max_examples=30, deadline=None)
@given(st.floats(2, 100), st.floats(0.2, 0.9), st.integers(1, 3), st.floats(1, 600))
def test_constant_dose_reaches_itself_at_steady_state(half_life, tmax_fraction, per_day, dose):
    ke = np.log(2) / half_life
    pk = OralPK(half_life, tmax_fraction / ke, per_day)
    slowest = np.log(2) / min(pk.rates_per_day()) * 24  # hours, absorption or elimination
    days = int(np.ceil(20 * slowest / 24)) + 5
    x = oral_exposure(pk, np.full(days, dose))
    assert x[-1] == pytest.approx(dose, rel=1e-3)
    assert np.all(np.diff(x) >= -1e-9 * dose)  # builds up, never overshoots the daily mean


def test_linear_pk_superposes_and_saturable_absorption_is_sublinear():
    a = np.r_[np.full(6, 100.0), np.zeros(6)]
    b = np.r_[np.zeros(3), np.full(9, 50.0)]
    pk = OralPK(6.3, 1.25, 2)
    np.testing.assert_allclose(oral_exposure(pk, 2 * a + b),
                               2 * oral_exposure(pk, a) + oral_exposure(pk, b), rtol=1e-12)
    gaba = OralPK(6, 2.5, 3, saturation_mg=700)
    low, high = oral_exposure(gaba, np.full(20, 900.0)), oral_exposure(gaba, np.full(20, 3600.0))
    assert high[-1] < 4 * low[-1]


def test_patient_axis_gives_each_person_their_schedule():
    doses = np.stack([np.full(10, 30.0), np.full(10, 60.0)], axis=1)
    x = oral_exposure(OralPK(12, 6), doses)
    assert x.shape == (10, 2)
    np.testing.assert_allclose(x[:, 1], 2 * x[:, 0])


def test_tmax_gives_the_single_dose_peak():
    ka = rate_from_tmax(6.0, 12.0)
    ke = np.log(2) / 12
    t = np.linspace(0, 48, 48001)
    curve = np.exp(-ke * t) - np.exp(-ka * t)
    assert t[np.argmax(curve)] == pytest.approx(6.0, abs=1e-3)
    with pytest.raises(FMSimError, match="impossible"):
        rate_from_tmax(30.0, 12.0)


def test_infusion_matches_its_closed_form():
    pk = InfusionPK(half_life_h=2.5, volume_l_per_kg=3.0)
    ke = np.log(2) / 2.5
    inf = Infusion(day=0, dose_mg_per_kg=0.5, duration_h=0.5, start_h=9.0)
    peak = 0.5 / 0.5 / 3.0 / ke * (1 - np.exp(-ke * 0.5))
    c = infusion_concentration(pk, [inf], np.array([9.0, 9.5, 12.0]))
    np.testing.assert_allclose(c, [0.0, peak, peak * np.exp(-ke * 2.5)], rtol=1e-12)
    long = Infusion(0, dose_mg_per_kg=100.0, duration_h=100.0, start_h=0.0)
    assert infusion_concentration(pk, [long], np.array([99.0]))[0] == pytest.approx(
        1.0 / 3.0 / ke, rel=1e-6)  # steady state R / (V ke)


def test_infusion_effect_lasts_hours_not_days():
    pk = InfusionPK(2.5, 3.0)
    occ = infusion_daily_mean(pk, [Infusion(2, 0.5)], 6, ec50_mg_per_l=0.15)
    assert occ[2] > 0.05 and occ[:2].max() == 0 and occ[4] < 1e-3


def test_effect_onset_matches_the_effect_compartment_ode():
    u = np.r_[np.ones(8), np.full(4, 0.3), np.zeros(8)]
    tau = 3.0
    numeric, e = [], 0.0
    for value in u:
        sol = solve_ivp(lambda _t, y, v=value: [(v - y[0]) / tau, y[0]], (0, 1), [e, 0.0],
                        rtol=1e-11, atol=1e-13)
        e, area = sol.y[:, -1]
        numeric.append(area)
    np.testing.assert_allclose(effect_onset(u, tau), numeric, rtol=1e-7, atol=1e-12)
    np.testing.assert_array_equal(effect_onset(u, 0), u)
    with pytest.raises(FMSimError):
        effect_onset(u, -1)


def test_occupancy_and_bad_doses():
    assert occupancy(174.0, 174.0) == pytest.approx(0.5)
    assert occupancy(0.0, 1.0) == 0.0 and occupancy(1e9, 1.0) == pytest.approx(1.0)
    with pytest.raises(FMSimError, match=">= 0 mg"):
        oral_exposure(OralPK(12, 6), [60.0, -5.0])
