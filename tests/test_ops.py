"""The math ops give the same numbers on NumPy arrays and through SymPy."""

import numpy as np
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from fmsim.model import ops

finite = st.floats(-50, 50, allow_nan=False)
positive = st.floats(0.01, 10)


@given(finite)
def test_sigmoid_numeric_matches_symbolic(x):
    s = sp.Symbol("x")
    expected = float(ops.sigmoid(s).subs(s, x).evalf())
    assert np.isclose(ops.sigmoid(np.array([x]))[0], expected, rtol=1e-12, atol=0)


def test_sigmoid_never_overflows():
    values = ops.sigmoid(np.array([-1e6, 0.0, 1e6]))
    assert np.all(np.isfinite(values))
    assert values.tolist() == [0.0, 0.5, 1.0]


@given(st.floats(0, 20), positive, st.sampled_from([1, 2, 3]))
def test_hill_numeric_matches_symbolic(x, k, n):
    s = sp.Symbol("x")
    expected = float(ops.hill(s, k, n).subs(s, x).evalf())
    got = ops.hill(np.array([x]), k, n)[0]
    assert np.isclose(got, expected, rtol=1e-10, atol=1e-14)
    assert 0 <= got < 1


@given(st.floats(0, 20), positive)
def test_soft_saturation_numeric_matches_symbolic(x, scale):
    s = sp.Symbol("x")
    expected = float(ops.soft_saturation(s, scale).subs(s, x).evalf())
    assert np.isclose(ops.soft_saturation(np.array([x]), scale)[0], expected, rtol=1e-10,
                      atol=1e-14)


def test_symbolic_branch_is_chosen_by_any_argument():
    k = sp.Symbol("k")
    assert isinstance(ops.hill(2.0, k, 2), sp.Expr)
    assert isinstance(ops.clip(sp.Symbol("x"), 0, 1), sp.Basic)
    assert ops.clip(np.array([-1.0, 0.5, 2.0]), 0, 1).tolist() == [0.0, 0.5, 1.0]
    assert float(ops.maximum(1.0, 2.0)) == 2.0
    assert float(ops.minimum(1.0, 2.0)) == 1.0
