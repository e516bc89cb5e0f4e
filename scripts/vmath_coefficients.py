"""Derive the polynomial coefficients of :func:`fmsim.engine.vmath.exp`.

    python scripts/vmath_coefficients.py

After the reduction ``x = n ln 2 + r`` with ``|r| <= ln(2) / 2``, ``e**r = 1 + r + r**2 q(r)``.
``q`` is approximated by its Chebyshev interpolant of degree 9 on that interval (near-minimax;
mpmath at 40 digits), so ``e**r`` by a polynomial of degree 11 whose first two terms are exact.
Prints the coefficients of ``q`` in ascending order, as vmath holds them, and the largest error
of the double-precision routine they give against NumPy over the whole argument range.

References
----------
.. [1] Muller J-M (2016). Elementary Functions: Algorithms and Implementation, 3rd ed.
   Birkhauser, chapter 3 (polynomial approximations). doi:10.1007/978-1-4899-7983-4
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

DEGREE = 9  # of q; e**r then has degree 11


def coefficients(degree: int = DEGREE) -> list[float]:
    mp.mp.dps = 40
    half = mp.log(2) / 2

    def q(r):
        return (mp.exp(r) - 1 - r) / r**2 if r != 0 else mp.mpf(1) / 2

    return [float(c) for c in mp.chebyfit(q, [-half, half], degree + 1)[::-1]]


def main() -> None:
    from fmsim.engine import vmath

    c = coefficients()
    for i, value in enumerate(c):
        print(f"Q{i} = {value!r}")
    x = np.linspace(-708.0, 709.0, 2_000_001)
    out = np.array([vmath.exp(v) for v in x[::100]])  # the routine as it stands, scalar calls
    ref = np.exp(x[::100])
    print(f"largest error of vmath.exp against NumPy: "
          f"{(np.abs(out - ref) / np.spacing(ref)).max():.1f} ulp")


if __name__ == "__main__":
    main()
