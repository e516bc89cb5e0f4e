"""Exponential, logarithm and power that the compiler can vectorize, for the compiled kernel.

Numba calls the C library's scalar ``exp`` and ``pow``, which stop LLVM from vectorizing a loop
over patients; the vector math libraries LLVM can use instead (SVML, libmvec) are not reachable
from Numba's JIT here. These are the textbook algorithms, written with arithmetic and bit
operations only:

- ``exp``: Cody-Waite argument reduction with a two-part ``ln 2`` (the whole multiple of
  ``ln 2`` rounded by adding ``1.5 * 2**52``, which leaves it in the low bits, so no conversion
  between integers and floats), then a near-minimax polynomial of degree 11 in Estrin's scheme
  (short dependency chains suit wide vectors); within 1 ulp of NumPy over the whole double range;
- ``log``: the exponent from the bits, then the ``atanh`` series of the mantissa; within 2 ulp;
- ``power``: ``exp(a log x)``. The model only takes powers of non-negative quantities (Hill
  functions), and :func:`power` returns 0 for a base at or below zero, as
  :func:`fmsim.model.ops.hill` clamps it.

The tests check all three against NumPy.

References
----------
.. [1] Cody WJ, Waite W (1980). Software Manual for the Elementary Functions. Prentice-Hall.
.. [2] Muller J-M (2016). Elementary Functions: Algorithms and Implementation, 3rd ed.
   Birkhauser. doi:10.1007/978-1-4899-7983-4
"""

from __future__ import annotations

import numba
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

__all__ = ["exp", "log", "power"]

LN2_HI = 6.93147180369123816490e-01  # ln 2 with its low 32 bits zero: n * LN2_HI is exact
LN2_LO = 1.90821492927058770002e-10  # ln 2 - LN2_HI
LOG2E = 1.4426950408889634
SHIFTER = 6755399441055744.0  # 1.5 * 2**52: adding it rounds to a whole number

# q(r) = (e**r - 1 - r) / r**2 on |r| <= ln(2) / 2: Chebyshev interpolant of degree 9
# (near-minimax), from scripts/vmath_coefficients.py
Q0 = 0.5000000000000001
Q1 = 0.16666666666666669
Q2 = 0.041666666666624164
Q3 = 0.008333333333330065
Q4 = 0.0013888888917196719
Q5 = 0.00019841269863040545
Q6 = 2.4801521322368692e-05
Q7 = 2.7557268480310024e-06
Q8 = 2.7620075879983367e-07
Q9 = 2.5100375832561234e-08


@intrinsic
def _bits_to_float(typingctx, bits):
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


@intrinsic
def _float_to_bits(typingctx, x):
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


@numba.njit(error_model="numpy", inline="always")
def exp(x):
    """``e**x``; arguments beyond [-708, 709] are clamped (the result is 0 or huge either way)."""
    x = min(max(x, -708.0), 709.0)
    t = x * LOG2E + SHIFTER  # rounded to a whole number n, which sits in the low bits of t
    n = t - SHIFTER
    r = (x - n * LN2_HI) - n * LN2_LO  # |r| <= ln(2) / 2
    # e**r = 1 + r + r**2 q(r), q of degree 9 in Estrin's scheme (short dependency chains)
    r2 = r * r
    r4 = r2 * r2
    q = (((Q0 + r * Q1) + r2 * (Q2 + r * Q3))
         + r4 * ((Q4 + r * Q5) + r2 * (Q6 + r * Q7) + r4 * (Q8 + r * Q9)))
    p = (1.0 + r) + r2 * q
    return p * _bits_to_float(((_float_to_bits(t) + 1023) & 0x7FF) << 52)  # p * 2**n


@numba.njit(error_model="numpy", inline="always")
def log(x):
    """Natural logarithm of a positive normal number."""
    bits = _float_to_bits(x)
    e = ((bits >> 52) & 0x7FF) - 1023
    m = _bits_to_float((bits & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000)  # in [1, 2)
    big = m > 1.4142135623730951
    m = m * 0.5 if big else m  # now in [sqrt(1/2), sqrt(2))
    e = e + 1 if big else e
    s = (m - 1.0) / (m + 1.0)
    s2 = s * s
    s4 = s2 * s2
    s8 = s4 * s4
    # atanh series 2 (s + s^3/3 + ... + s^21/21), in Estrin's scheme
    q = 2.0 * s * (((1.0 + s2 * (1 / 3)) + s4 * (1 / 5 + s2 * (1 / 7)))
                   + s8 * ((1 / 9 + s2 * (1 / 11)) + s4 * (1 / 13 + s2 * (1 / 15)))
                   + s8 * s8 * ((1 / 17 + s2 * (1 / 19)) + s4 * (1 / 21)))
    return e * LN2_HI + (q + e * LN2_LO)


@numba.njit(error_model="numpy", inline="always")
def power(x, a):
    """``x**a`` for ``x >= 0``; 0 at or below zero (and below 1e-300, where it underflows)."""
    return exp(a * log(x)) if x > 1e-300 else 0.0
