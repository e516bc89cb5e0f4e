"""Non-drug programs: session schedules, adherence and what each attended session leaves behind.

A program is given as sessions a week (DESIGN section 5: ``aerobic:3``, ``cbt:1``). Sessions are
spread evenly over each week; with adherence below 1 a steady share of them is missed (every
other session at 0.5), so a schedule stays deterministic and a trial can give each virtual
patient an adherence of their own.

Exercise programs add a session load to the model's ``exercise`` input, graded from a starting
fraction to full over some weeks (Staud 2010; Sluka 2018). Every other program effect is a leaky,
saturating trace: each attended session closes a fraction ``per_session`` of the gap to 1 and the
trace decays with time constant ``persistence_days`` - a day or less for a massage or a sauna,
weeks for a trigger-point injection, months for skills learned in CBT.
"""

from __future__ import annotations

import numpy as np

__all__ = ["attended", "exercise_load", "session_days", "session_trace"]


def session_days(on: np.ndarray, start_day: int, per_week: float) -> np.ndarray:
    """Boolean array of scheduled session days: session ``i`` falls on day
    ``start_day + floor(7 i / per_week)`` while the program is on (``per_week`` may be a
    fraction: 0.5 is a session every two weeks)."""
    days = on.size
    step = 7.0 / per_week
    offsets = np.floor(np.arange(0, max(days - start_day, 0) / step) * step).astype(int)
    sessions = np.zeros(days, dtype=bool)
    sessions[start_day + offsets[start_day + offsets < days]] = True
    return sessions & on


def attended(sessions: np.ndarray, adherence: float) -> np.ndarray:
    """The scheduled sessions actually attended: session ``k`` (counting from 0) is attended
    when ``floor((k + 1) a)`` exceeds ``floor(k a)``, a steady share ``a`` of them."""
    days = np.flatnonzero(sessions)
    k = np.arange(days.size)
    keep = np.floor((k + 1) * adherence + 1e-9) > np.floor(k * adherence + 1e-9)
    out = np.zeros_like(sessions)
    out[days[keep]] = True
    return out


def session_trace(sessions: np.ndarray, per_session: float, persistence_days: float
                  ) -> np.ndarray:
    """Daily level (0-1) of a program effect: on each session day the level rises by
    ``per_session`` of the gap to 1, and between sessions it decays as
    ``exp(-t / persistence_days)``."""
    decay = np.exp(-1.0 / persistence_days)
    level = np.zeros(sessions.size)
    x = 0.0
    for day, session in enumerate(sessions):
        x *= decay
        if session:
            x += per_session * (1.0 - x)
        level[day] = x
    return level


def exercise_load(sessions: np.ndarray, start_day: int, load: float, start_fraction: float,
                  graded_weeks: float) -> np.ndarray:
    """Exercise input of each session day: ``load`` (1 = one strenuous 60-minute session),
    graded linearly from ``start_fraction`` of it to all of it over ``graded_weeks``."""
    weeks = (np.arange(sessions.size) - start_day) / 7.0
    ramp = np.clip(start_fraction + (1 - start_fraction) * weeks / graded_weeks, 0.0, 1.0)
    return np.where(sessions, load * ramp, 0.0)
