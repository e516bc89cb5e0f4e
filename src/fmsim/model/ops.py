"""Math operations shared by the NumPy kernel and the SymPy form of a model.

Every equation of a model is written once, with these functions. Called with NumPy arrays (a
patient axis) they compute numbers; called with SymPy symbols they build the expressions used for
documentation, Jacobians and (later) code generation and SBML export. The choice is made per call:
any SymPy argument selects the symbolic branch.

References
----------
.. [1] Wilson HR, Cowan JD (1972). Excitatory and inhibitory interactions in localized populations
   of model neurons. Biophys J 12:1-24 (the sigmoidal relaxation form used for activation states).
.. [2] Hill AV (1910). The possible effects of the aggregation of the molecules of haemoglobin
   on its dissociation curves. J Physiol 40:iv-vii.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp
from scipy.special import expit

__all__ = ["clip", "exp", "hill", "is_symbolic", "maximum", "minimum", "sigmoid", "soft_saturation"]


def is_symbolic(*args: Any) -> bool:
    """Return True when any argument is a SymPy object."""
    return any(isinstance(a, sp.Basic) for a in args)


def exp(x: Any) -> Any:
    """Exponential, elementwise."""
    return sp.exp(x) if is_symbolic(x) else np.exp(x)


def sigmoid(x: Any) -> Any:
    r"""Logistic function :math:`\sigma(x) = 1 / (1 + e^{-x})`, in (0, 1).

    The NumPy branch is :func:`scipy.special.expit`: accurate in both tails, never overflows.
    """
    if is_symbolic(x):
        return 1 / (1 + sp.exp(-x))
    return expit(x)


def hill(x: Any, k: Any, n: Any = 1) -> Any:
    r"""Hill function :math:`x^n / (k^n + x^n)` for :math:`x \ge 0`, in [0, 1).

    Negative ``x`` is treated as 0 in the numeric branch (concentrations and drives are
    non-negative by construction; this only guards round-off).
    """
    if is_symbolic(x, k, n):
        return x**n / (k**n + x**n)
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    xn = x**n
    return xn / (np.asarray(k, dtype=float) ** n + xn)


def soft_saturation(x: Any, scale: Any) -> Any:
    r"""Saturating response :math:`1 - e^{-x/s}` for :math:`x \ge 0`, in [0, 1)."""
    if is_symbolic(x, scale):
        return 1 - sp.exp(-x / scale)
    return 1.0 - np.exp(-np.maximum(np.asarray(x, dtype=float), 0.0) / scale)


def maximum(a: Any, b: Any) -> Any:
    """Elementwise maximum."""
    return sp.Max(a, b) if is_symbolic(a, b) else np.maximum(a, b)


def minimum(a: Any, b: Any) -> Any:
    """Elementwise minimum."""
    return sp.Min(a, b) if is_symbolic(a, b) else np.minimum(a, b)


def clip(x: Any, lo: Any, hi: Any) -> Any:
    """Clip ``x`` to ``[lo, hi]``."""
    if is_symbolic(x, lo, hi):
        return sp.Min(sp.Max(x, lo), hi)
    return np.clip(x, lo, hi)
