"""FMSim's error type: every user-facing problem is an :class:`FMSimError` with a clear message."""

from __future__ import annotations

__all__ = ["FMSimError"]


class FMSimError(ValueError):
    """Bad input or an inconsistent definition; the message names the value and what is allowed."""
