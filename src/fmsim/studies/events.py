"""Per-patient randomness of a trial: allocation, adverse events, dropouts, missing data.

All draws take a :class:`numpy.random.Generator`, so a trial seeded once is reproducible, and
every function works on a patient axis at once (arrays are patient first, then time).

References
----------
Altman DG, Bland JM (1999), BMJ 318:1209, doi:10.1136/bmj.318.7192.1209 (permuted blocks).
"""

from __future__ import annotations

import numpy as np

from ..errors import FMSimError

__all__ = ["adverse_event_days", "carry_forward", "dropout_days", "earliest", "permuted_blocks",
           "withdrawal_weeks"]

NEVER = -1
"""Day index meaning 'did not happen during the trial'."""


def permuted_blocks(n: int, arms: int, rng: np.random.Generator, block: int | None = None
                    ) -> np.ndarray:
    """Arm index (0 to ``arms - 1``) of each of ``n`` patients, allocated in randomly permuted
    blocks of ``block`` (default ``2 * arms``) so the arms stay balanced throughout."""
    if arms < 1 or n < 0:
        raise FMSimError(f"need at least one arm and n >= 0, not arms={arms}, n={n}")
    block = block or 2 * arms
    if block % arms:
        raise FMSimError(f"block size {block} must be a multiple of the number of arms {arms}")
    blocks = -(-n // block)
    allocation = np.tile(np.repeat(np.arange(arms), block // arms), (blocks, 1))
    return rng.permuted(allocation, axis=1).ravel()[:n]


def adverse_event_days(hazard: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """First day each patient has the event, or -1: ``hazard`` has shape ``(n, days)`` (daily
    hazards per patient), and the event comes on the first day on which the cumulative hazard
    passes an exponential draw, so ``P(by day t) = 1 - exp(-sum of hazards to t)``."""
    hazard = np.asarray(hazard, dtype=float)
    if hazard.ndim != 2 or (hazard < 0).any():
        raise FMSimError("adverse-event hazards must be a (patients, days) array of rates >= 0")
    threshold = rng.exponential(size=hazard.shape[0])
    passed = np.cumsum(hazard, axis=1) >= threshold[:, None]
    return np.where(passed.any(axis=1), passed.argmax(axis=1), NEVER)


def dropout_days(event_days: dict[str, np.ndarray], discontinue: dict[str, float] | float,
                 rng: np.random.Generator) -> np.ndarray:
    """The day each patient leaves the trial because of an adverse event, or -1: each event
    that happens leads to discontinuation with its probability (one number for all events, or
    one per event), and the earliest such event decides."""
    if not event_days:
        raise FMSimError("no adverse events to drop out for")
    leaving = []
    for name, when in event_days.items():
        when = np.asarray(when)
        p = discontinue if isinstance(discontinue, int | float) else discontinue.get(name, 0.0)
        if not 0 <= p <= 1:
            raise FMSimError(f"discontinuation probability for {name!r} must be 0-1, not {p}")
        leaves = (when != NEVER) & (rng.uniform(size=when.shape) < p)
        leaving.append(np.where(leaves, when, NEVER))
    return earliest(*leaving)


def withdrawal_weeks(n: int, weeks: int, weekly: float, rng: np.random.Generator) -> np.ndarray:
    """The last complete week each of ``n`` patients is observed before leaving for a reason
    other than an adverse event, or -1: in each of ``weeks`` treatment weeks a patient still in
    the trial leaves with probability ``weekly``; one who leaves in week ``k`` (1-based) was
    last observed in week ``k - 1`` (week 0 is baseline)."""
    if not 0 <= weekly <= 1:
        raise FMSimError(f"weekly withdrawal probability must be 0-1, not {weekly}")
    if weekly == 0:
        return np.full(n, NEVER)
    week = rng.geometric(weekly, size=n)
    return np.where(week <= weeks, week - 1, NEVER)


def earliest(*days: np.ndarray) -> np.ndarray:
    """Per patient, the earliest of several day (or week) arrays, ignoring -1 (never)."""
    big = np.iinfo(np.int64).max
    stacked = np.stack([np.where(np.asarray(d) == NEVER, big, d) for d in days])
    first = stacked.min(axis=0)
    return np.where(first == big, NEVER, first)


def carry_forward(values: np.ndarray, last_day: np.ndarray) -> np.ndarray:
    """Last observation carried forward: ``values`` has shape ``(n, days)``; from the day after
    ``last_day`` (per patient; -1 = stayed to the end) each patient keeps their last value."""
    values = np.asarray(values, dtype=float)
    last = np.asarray(last_day)
    days = np.arange(values.shape[1])[None, :]
    stays = (last == NEVER)[:, None] | (days <= last[:, None])
    kept = values[np.arange(values.shape[0]), np.clip(last, 0, None)]
    return np.where(stays, values, kept[:, None])
