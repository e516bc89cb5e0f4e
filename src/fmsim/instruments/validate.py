"""Validation of questionnaire answers: one clear message naming the item and its range."""

from __future__ import annotations

import math

from ..errors import FMSimError
from ..files import parse_number

__all__ = ["boolean", "score", "whole"]

_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n", ""}


def score(value: object, name: str, lo: float, hi: float, *, integer: bool = False) -> float:
    """A number in ``[lo, hi]`` (a whole number if ``integer``)."""
    try:
        if isinstance(value, bool) or not isinstance(value, int | float):
            value = parse_number(str(value))
        value = float(value)
    except (ValueError, OverflowError):
        raise FMSimError(
            f"{name} must be a number from {lo:g} to {hi:g}, not {_short(value)}"
        ) from None
    if math.isnan(value) or not lo <= value <= hi or (integer and value != int(value)):
        kind = "a whole number" if integer else "a number"
        raise FMSimError(f"{name} is {value:g}; allowed: {kind} from {lo:g} to {hi:g}")
    return float(value)


def _short(value: object) -> str:
    """``repr(value)``, cut to 60 characters (a bad answer can be a whole file's worth)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def whole(value: object, name: str, lo: int, hi: int) -> int:
    """A whole number in ``[lo, hi]``."""
    return int(score(value, name, lo, hi, integer=True))


def boolean(value: object, name: str) -> bool:
    """A yes/no answer: a bool, 0/1, or yes/no/true/false text."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FMSimError(f"{name} must be yes or no (1 or 0), not {_short(value)}")
