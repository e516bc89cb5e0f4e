"""Exponential, logarithm and power that the compiler can vectorize, for the compiled kernel.

Numba calls the C library's scalar ``exp`` and ``pow``, which stop LLVM from vectorizing a loop
over patients; the vector math libraries LLVM can use instead (SVML, libmvec) are not reachable
from Numba's JIT here. These are the textbook algorithms, written with arithmetic and bit
operations only:

- ``exp``: Cody-Waite argument reduction with a two-part ``ln 2``, then a Taylor polynomial in
  Estrin's scheme (short dependency chains suit wide vectors); within 3 ulp of NumPy over the
  whole double range;
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

import math

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

__all__ = ["exp", "log", "power"]

LN2_HI = 6.93147180369123816490e-01  # ln 2 with its low 32 bits zero: n * LN2_HI is exact
LN2_LO = 1.90821492927058770002e-10  # ln 2 - LN2_HI
LOG2E = 1.4426950408889634


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
    n = math.floor(x * LOG2E + 0.5)
    r = (x - n * LN2_HI) - n * LN2_LO  # |r| <= ln(2) / 2
    # Taylor polynomial of degree 12 in Estrin's scheme (short dependency chains)
    r2 = r * r
    r4 = r2 * r2
    r8 = r4 * r4
    p = ((1.0 + r) + r2 * (1 / 2 + r * (1 / 6))
         + r4 * ((1 / 24 + r * (1 / 120)) + r2 * (1 / 720 + r * (1 / 5040)))
         + r8 * ((1 / 40320 + r * (1 / 362880)) + r2 * (1 / 3628800 + r * (1 / 39916800))
                 + r4 * (1 / 479001600)))
    return p * _bits_to_float((np.int64(n) + 1023) << 52)


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
