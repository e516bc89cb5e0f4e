"""FMSim's error type: every user-facing problem is an :class:`FMSimError` with a clear message."""

from __future__ import annotations

__all__ = ["MAX_SEED", "FMSimError", "shown", "whole_number"]

MAX_SEED = 2**63 - 1
"""The largest seed (NumPy seeds are non-negative integers)."""


class FMSimError(ValueError):
    """Bad input or an inconsistent definition; the message names the value and what is allowed."""


def shown(value: object) -> str:
    """A value as a message repeats it: as TOML and JSON write it where they differ from Python
    (``true``, ``false``, ``null``), else its ``repr``."""
    if isinstance(value, bool):
        return str(value).lower()
    return "null" if value is None else repr(value)


def whole_number(label: str, value: object, lo: int, hi: int) -> int:
    """``value`` if it is a whole number (an ``int``, not a bool) from ``lo`` to ``hi``.

    Raises
    ------
    FMSimError
        Naming ``label``, the range and the value.
    """
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise FMSimError(f"{label} must be a whole number from {lo} to {hi}, not {shown(value)}")
    return value
