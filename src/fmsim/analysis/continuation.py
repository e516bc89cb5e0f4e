"""Steady states and pseudo-arclength continuation of their branches.

No maintained Python continuation library fits: PyDSTool no longer runs on current NumPy,
AUTO-07p is a Fortran program outside pip, and pycont-lite and bice are small one-author
projects (``docs`` of the research notes, twin-and-analysis.md section 3). With the model's exact
Jacobian (:class:`~fmsim.analysis.system.System`) a small corrector on NumPy is enough, and it is
tested against brute-force simulation (``tests/test_analysis.py``).

The method (Keller's pseudo-arclength continuation; Allgower and Georg 2003, chapter 2): the free
value ``lam`` is scaled to ``mu = (lam - lo) / (hi - lo)`` so that the range is of unit width and
comparable with the states (most on [0, 1]). From a point ``z = (x, mu)`` on a branch and its unit
tangent ``t`` (the null vector of ``[df/dx, df/dmu]``, oriented as the previous one), the
predictor ``z + h t`` is corrected by Newton's method on ``f(x, mu) = 0`` together with
``t . (z' - z) = h``. A fold (a limit point, where a branch turns back) is where the tangent's
``mu`` component changes sign; it is located by bisection on the step length to a small fraction
of the step. Stability is read from the eigenvalues of ``df/dx`` at every point.

References
----------
Allgower EL, Georg K (2003). Introduction to Numerical Continuation Methods. SIAM Classics in
Applied Mathematics 45. doi:10.1137/1.9780898719154.
Kuznetsov YA (2004). Elements of Applied Bifurcation Theory, 3rd ed., chapter 10. Springer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .system import System

__all__ = ["Curve", "continue_branch", "newton"]


@dataclass(frozen=True)
class Curve:
    """Points along one continued curve of steady states, in arclength order.

    ``values`` (the free name, unscaled), ``states`` of shape ``(n_points, n_states)``,
    ``stable`` and ``folds`` (indices of points at which the curve turns back).
    """

    values: np.ndarray
    states: np.ndarray
    stable: np.ndarray
    folds: tuple[int, ...]


def newton(system: System, x: np.ndarray, value: float, tol: float = 1e-11,
           max_iter: int = 30) -> np.ndarray | None:
    """A steady state near ``x`` at ``value`` of the free name, or None if Newton's method does
    not converge (residual below ``tol`` per day)."""
    x = np.array(x, dtype=float)
    for _ in range(max_iter):
        f = system.rates(x[:, None], value)[:, 0]
        if np.max(np.abs(f)) < tol:
            return x
        jac, _ = system.jacobian(x[:, None], value)
        try:
            x = x - np.linalg.solve(jac[0], f)
        except np.linalg.LinAlgError:
            return None
        if not np.all(np.isfinite(x)):
            return None
    return None


def is_stable(system: System, x: np.ndarray, value: float) -> bool:
    """Whether every eigenvalue of the Jacobian at ``x`` has a negative real part."""
    jac, _ = system.jacobian(np.asarray(x, float)[:, None], value)
    return _left_half_plane(jac[0])


class _Scaled:
    """The system in ``z = (x, mu)``, ``mu`` the free value scaled to the range."""

    def __init__(self, system: System, lo: float, hi: float) -> None:
        self.system, self.lo, self.width = system, lo, hi - lo

    def value(self, mu: float) -> float:
        return self.lo + self.width * mu

    def residual(self, z: np.ndarray) -> np.ndarray:
        return self.system.rates(z[:-1, None], self.value(z[-1]))[:, 0]

    def derivative(self, z: np.ndarray) -> np.ndarray:
        """``[df/dx, df/dmu]``, shape ``(n, n + 1)``."""
        jac, dvalue = self.system.jacobian(z[:-1, None], self.value(z[-1]))
        return np.column_stack([jac[0], dvalue[0] * self.width])

    def tangent(self, z: np.ndarray, previous: np.ndarray, a: np.ndarray | None = None
                ) -> np.ndarray:
        """The unit tangent at ``z`` oriented along ``previous`` (``a``: the derivative at
        ``z`` when already known)."""
        a = self.derivative(z) if a is None else a
        t = np.linalg.solve(np.vstack([a, previous]), np.r_[np.zeros(len(z) - 1), 1.0])
        return t / np.linalg.norm(t)

    def correct(self, z0: np.ndarray, t0: np.ndarray, h: float, tol: float = 1e-10,
                max_iter: int = 12) -> np.ndarray | None:
        """Newton on ``f = 0, t0 . (z - z0) = h`` from the predictor ``z0 + h t0``."""
        z = z0 + h * t0
        for _ in range(max_iter):
            r = np.r_[self.residual(z), t0 @ (z - z0) - h]
            if np.max(np.abs(r)) < tol:
                return z
            try:
                z = z - np.linalg.solve(np.vstack([self.derivative(z), t0]), r)
            except np.linalg.LinAlgError:
                return None
            if not np.all(np.isfinite(z)):
                return None
        return None


def continue_branch(system: System, x0: np.ndarray, value: float, lo: float, hi: float,
                    direction: int = 1, h_max: float = 0.01, max_points: int = 4000) -> Curve:
    """Follow the steady state ``x0`` at ``value`` of the free name (inside ``[lo, hi]``) in
    the ``direction`` (+1: increasing, -1: decreasing value) until the curve leaves the range.

    ``h_max`` is the largest arclength step in scaled units (a hundredth of the range at
    most, so that a fold is bracketed to within it); folds are then located by bisection.
    """
    scaled = _Scaled(system, lo, hi)
    mu0 = (value - lo) / (hi - lo)
    z = np.r_[np.asarray(x0, float), mu0]
    start = np.zeros(len(z))
    start[-1] = direction
    a = scaled.derivative(z)
    t = scaled.tangent(z, start, a)
    points, folds, stable = [z], [], [_stable(a)]
    h = h_max / 4
    while len(points) < max_points:
        new = scaled.correct(z, t, h)
        if new is None:
            h /= 2
            if h < 1e-7:
                break
            continue
        if not 0 <= new[-1] <= 1:
            end = _end_point(scaled, z, new)
            if end is not None:
                points.append(end)
                stable.append(_stable(scaled.derivative(end)))
            break
        a = scaled.derivative(new)
        t_new = scaled.tangent(new, t, a)
        if np.sign(t_new[-1]) != np.sign(t[-1]) and t[-1] != 0:
            fold = _locate_fold(scaled, z, t, h)
            if fold is not None:
                points.append(fold)
                stable.append(_stable(scaled.derivative(fold)))
                folds.append(len(points) - 1)
        points.append(new)
        stable.append(_stable(a))
        z, t = new, t_new
        h = min(h * 1.5, h_max)
    points = np.array(points)
    return Curve(scaled.value(points[:, -1]), points[:, :-1], np.array(stable), tuple(folds))


def _stable(derivative: np.ndarray) -> bool:
    """Whether the Jacobian (the first columns of ``[df/dx, df/dmu]``) is stable."""
    return _left_half_plane(derivative[:, :-1])


def _left_half_plane(jacobian: np.ndarray) -> bool:
    """Whether every eigenvalue of ``jacobian`` has a negative real part."""
    return bool(np.max(np.linalg.eigvals(jacobian).real) < 0)


def _end_point(scaled: _Scaled, inside: np.ndarray, outside: np.ndarray) -> np.ndarray | None:
    """The steady state at the end of the range that lies between two points, one inside and
    one outside it (Newton at the end's value from the interpolated state)."""
    edge = 0.0 if outside[-1] < 0 else 1.0
    w = (edge - inside[-1]) / (outside[-1] - inside[-1])
    x = newton(scaled.system, inside[:-1] + w * (outside[:-1] - inside[:-1]), scaled.value(edge))
    return None if x is None else np.r_[x, edge]


def _locate_fold(scaled: _Scaled, z: np.ndarray, t: np.ndarray, h: float,
                 iterations: int = 40) -> np.ndarray | None:
    """The point between ``z`` and the step ``h`` along ``t`` at which the tangent's ``mu``
    component is zero (bisection on the step length)."""
    lo, hi, best = 0.0, h, None
    sign = np.sign(t[-1])
    for _ in range(iterations):
        mid = (lo + hi) / 2
        point = scaled.correct(z, t, mid)
        if point is None:
            return best
        if np.sign(scaled.tangent(point, t)[-1]) == sign:
            lo = mid
        else:
            hi = mid
        best = point
    return best
