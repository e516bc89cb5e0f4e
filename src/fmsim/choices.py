"""Bounds and named choices that the library and the command line share.

This module imports nothing: the command line builds its options (their help, their choices and
their bounds) from these names before any model, engine or array library is loaded, so that
``fmsim --help`` and a refused option answer at once. The modules that apply them import them
from here.
"""

from __future__ import annotations

__all__ = ["MAX_DAY", "MAX_DAYS", "READINGS"]

MAX_DAYS = 36500
"""The longest run (a hundred years), for ``days`` and ``warmup_days`` alike."""

MAX_DAY = MAX_DAYS
"""The last day a treatment or a trigger may start or stop on, and a trigger's longest
duration."""

READINGS = {"diary": "weekly means of daily diary answers",
            "visit": "one 24-hour rating at each weekly visit"}
"""How a trial reads its scores, each with its description: ``diary``, the mean of a week of
daily diary answers (the electronic diaries of pregabalin's trials); ``visit``, one rating of
the past 24 hours given at the visit that ends the week (the Brief Pain Inventory in
duloxetine's trials)."""
