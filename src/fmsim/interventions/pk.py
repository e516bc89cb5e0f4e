"""Pharmacokinetics, computed analytically into daily exposure, occupancy and delayed effect.

The model runs on days; drugs act on hours. This module turns a dosing schedule into what the
model needs per day:

* **Oral dosing** (one compartment, first-order absorption and elimination, linear
  superposition of every dose). Exposure is expressed as the *steady-state-equivalent daily
  dose* (mg/day): the daily mean concentration divided by the steady-state mean concentration
  per mg/day. At steady state on a constant dose it equals that dose, so potencies can be given
  as doses (for example pregabalin's EC50 of about 174 mg, Byon et al. 2010). The daily mean is
  the exact integral of the superposed concentration curves over each day.
* **Saturable absorption** (gabapentin): bioavailability falls with the size of each dose,
  ``F(D) = F0 / (1 + D / D_half)``.
* **Intravenous infusion** (ketamine): zero-order input into one compartment, concentration in
  mg/L, evaluated on a fine grid and averaged per day after the concentration-effect relation.
* **Occupancy** of a target: the Hill equation of exposure.
* **Effect onset**: a first-order effect compartment with daily piecewise-constant input, for
  effects that build more slowly than the drug (Sheiner et al. 1979).

References
----------
Gibaldi M, Perrier D (1982). Pharmacokinetics, 2nd ed. Marcel Dekker (one-compartment models,
superposition). Sheiner LB, Stanski DR, Vozeh S, Miller RD, Ham J (1979). Simultaneous modeling of
pharmacokinetics and pharmacodynamics: application to d-tubocurarine. Clin Pharmacol Ther
25:358-371. Byon W et al. (2010). J Clin Pharmacol 50:803-815.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import FMSimError

__all__ = [
    "Infusion",
    "InfusionPK",
    "OralPK",
    "effect_onset",
    "infusion_concentration",
    "infusion_daily_mean",
    "occupancy",
    "oral_exposure",
    "rate_from_tmax",
]

LN2 = np.log(2.0)


def rate_from_tmax(tmax_h: float, half_life_h: float) -> float:
    """Absorption rate constant (1/h) that puts the single-dose peak at ``tmax_h``.

    Solves ``tmax = ln(ka/ke) / (ka - ke)`` for ``ka > ke``.
    """
    ke = LN2 / half_life_h
    if tmax_h <= 0 or tmax_h >= 1 / ke:
        raise FMSimError(f"tmax {tmax_h} h is impossible with a half-life of {half_life_h} h "
                         f"(it must lie between 0 and {1 / ke:.3g} h)")
    from scipy.optimize import brentq  # here: the catalog is read when the CLI starts

    return brentq(lambda ka: np.log(ka / ke) / (ka - ke) - tmax_h, ke * (1 + 1e-9), 1e4)


@dataclass(frozen=True)
class OralPK:
    """One-compartment oral pharmacokinetics.

    Parameters
    ----------
    half_life_h : float
        Elimination half-life.
    tmax_h : float
        Time to peak after a single dose (sets the absorption rate).
    doses_per_day : int
        The daily dose is split into this many equal doses, evenly spaced from 08:00.
    saturation_mg : float, optional
        Single dose at which bioavailability has halved (saturable absorption); None if linear.
    """

    half_life_h: float
    tmax_h: float
    doses_per_day: int = 1
    saturation_mg: float | None = None

    def rates_per_day(self) -> tuple[float, float]:
        """(ka, ke) in 1/day."""
        return rate_from_tmax(self.tmax_h, self.half_life_h) * 24, LN2 / self.half_life_h * 24


def _area_until(tau: np.ndarray, ka: float, ke: float) -> np.ndarray:
    """Integral over [0, tau] of the unit-area oral impulse response (0 for tau <= 0)."""
    tau = np.maximum(tau, 0.0)
    return ka * ke / (ka - ke) * ((1 - np.exp(-ke * tau)) / ke - (1 - np.exp(-ka * tau)) / ka)


def oral_exposure(pk: OralPK, daily_dose_mg: Sequence[float] | np.ndarray) -> np.ndarray:
    """Daily mean exposure (steady-state-equivalent mg/day) of an oral dosing schedule.

    Parameters
    ----------
    pk : OralPK
    daily_dose_mg : array of shape (days,) or (days, n)
        The dose taken on each day (a titration is just a changing dose); a second axis gives
        each patient their own schedule.

    Returns
    -------
    ndarray, same shape
        Exposure on each day. Linear PK: a constant dose D gives exposure tending to D.
    """
    dose = np.asarray(daily_dose_mg, dtype=float)
    if np.any(dose < 0) or not np.all(np.isfinite(dose)):
        raise FMSimError("doses must be finite and >= 0 mg")
    squeeze = dose.ndim == 1
    dose = dose.reshape(dose.shape[0], -1)
    days = dose.shape[0]
    ka, ke = pk.rates_per_day()
    k = pk.doses_per_day
    single = dose / k  # (days, n): each of the k doses of the day
    if pk.saturation_mg:
        single = single / (1 + single / pk.saturation_mg)
    times = (np.arange(days)[:, None] + (8 + 24 * np.arange(k) / k)[None, :] / 24).ravel()
    amounts = np.repeat(single, k, axis=0)  # (days*k, n), dose times in day order
    edges = np.arange(days + 1, dtype=float)
    area = _area_until(edges[:, None] - times[None, :], ka, ke)  # (days+1, doses)
    per_day = np.diff(area, axis=0)  # (days, doses): share of each dose's area in each day
    exposure = per_day @ amounts
    return exposure[:, 0] if squeeze else exposure


def occupancy(exposure: np.ndarray | float, ec50: float, hill: float = 1.0) -> np.ndarray:
    """Fraction of a target occupied: ``x^n / (EC50^n + x^n)``."""
    x = np.maximum(np.asarray(exposure, dtype=float), 0.0)
    return x**hill / (ec50**hill + x**hill)


def effect_onset(target: np.ndarray, onset_days: float, start: float = 0.0) -> np.ndarray:
    """Daily mean of a first-order effect compartment ``dE/dt = (u - E) / tau`` driven by a
    daily piecewise-constant ``u`` (rise and washout share the time constant).

    Parameters
    ----------
    target : array (days,) or (days, n)
        The effect the drug would have at equilibrium on each day.
    onset_days : float
        Time constant ``tau`` (days); 0 returns ``target`` unchanged.
    start : float
        Effect at the start of day 0.
    """
    u = np.asarray(target, dtype=float)
    if onset_days < 0:
        raise FMSimError(f"onset_days must be >= 0, not {onset_days}")
    if onset_days == 0:
        return u.copy()
    decay = np.exp(-1.0 / onset_days)
    mean_weight = onset_days * (1 - decay)  # daily mean of the decaying part
    out = np.empty_like(u)
    e = np.full(u.shape[1:], start, dtype=float)
    for day in range(u.shape[0]):  # a loop over days; the patient axis stays vectorized
        out[day] = u[day] + (e - u[day]) * mean_weight
        e = u[day] + (e - u[day]) * decay
    return out


@dataclass(frozen=True)
class InfusionPK:
    """One-compartment intravenous pharmacokinetics (per kg of body weight)."""

    half_life_h: float
    volume_l_per_kg: float


@dataclass(frozen=True)
class Infusion:
    """One infusion: ``dose_mg_per_kg`` over ``duration_h`` hours, starting ``day`` at
    ``start_h`` o'clock."""

    day: int
    dose_mg_per_kg: float
    duration_h: float = 0.5
    start_h: float = 9.0


def infusion_concentration(pk: InfusionPK, infusions: Sequence[Infusion],
                           t_h: np.ndarray) -> np.ndarray:
    """Plasma concentration (mg/L) at times ``t_h`` (hours from day 0, 00:00)."""
    ke = LN2 / pk.half_life_h
    c = np.zeros_like(np.asarray(t_h, dtype=float))
    for inf in infusions:
        if inf.dose_mg_per_kg < 0 or inf.duration_h <= 0:
            raise FMSimError("an infusion needs a dose >= 0 mg/kg and a duration > 0 h")
        rate = inf.dose_mg_per_kg / inf.duration_h / pk.volume_l_per_kg  # mg/L/h
        t0 = inf.day * 24 + inf.start_h
        during = np.clip(t_h - t0, 0, inf.duration_h)
        after = np.maximum(t_h - t0 - inf.duration_h, 0)
        c = c + rate / ke * (1 - np.exp(-ke * during)) * np.exp(-ke * after)
    return c


def infusion_daily_mean(pk: InfusionPK, infusions: Sequence[Infusion], days: int,
                        ec50_mg_per_l: float, hill: float = 1.0, step_h: float = 0.05
                        ) -> np.ndarray:
    """Daily mean occupancy (0-1) produced by infusions, for ``days`` days.

    The concentration is computed on a grid of ``step_h`` hours; occupancy is averaged per day,
    so an effect that follows the concentration (ketamine, Noppers et al. 2011) is weighted by
    the hours it lasts.
    """
    per_day = round(24 / step_h)
    t = (np.arange(days * per_day) + 0.5) * step_h
    occ = occupancy(infusion_concentration(pk, infusions, t), ec50_mg_per_l, hill)
    return occ.reshape(days, per_day).mean(axis=1)
