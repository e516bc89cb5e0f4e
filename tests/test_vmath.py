"""The vectorizable exp, log and power of the compiled kernel, against NumPy."""

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fmsim.engine import vmath


@numba.njit
def _apply_exp(x, out):
    for i in range(x.shape[0]):
        out[i] = vmath.exp(x[i])


@numba.njit
def _apply_log(x, out):
    for i in range(x.shape[0]):
        out[i] = vmath.log(x[i])


@numba.njit
def _apply_power(x, a, out):
    for i in range(x.shape[0]):
        out[i] = vmath.power(x[i], a[i])


def ulps(a, b):
    return np.abs(a - b) / np.spacing(np.abs(b))


def test_exp_is_within_1_ulp_over_the_double_range():
    x = np.linspace(-708.0, 709.0, 1_000_001)
    out = np.empty_like(x)
    _apply_exp(x, out)
    assert ulps(out, np.exp(x)).max() <= 1.0
    edge = np.array([-1e308, -800.0, 800.0, 0.0])
    _apply_exp(edge, out[:4])
    np.testing.assert_allclose(out[:3], np.exp([-708.0, -708.0, 709.0]), rtol=1e-15)
    assert out[3] == 1.0


def test_log_is_within_2_ulp():
    x = np.exp(np.linspace(-700.0, 700.0, 1_000_001))
    out = np.empty_like(x)
    _apply_log(x, out)
    assert (np.abs(out - np.log(x)) <= 2.5 * np.spacing(np.abs(np.log(x)) + 1.0)).all()


@settings(max_examples=200, deadline=None)
@given(x=st.floats(1e-12, 1e3), a=st.floats(0.1, 8.0))
def test_power_matches_numpy(x, a):
    out = np.empty(1)
    _apply_power(np.array([x]), np.array([a]), out)
    assert out[0] == pytest.approx(x**a, rel=1e-13)


def test_power_of_zero_and_below_is_zero():
    out = np.empty(3)
    _apply_power(np.array([0.0, -1e-18, 1e-320]), np.array([2.0, 0.5, 3.0]), out)
    np.testing.assert_array_equal(out, 0.0)
