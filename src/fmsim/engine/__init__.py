"""Vectorized integration of a model over a patient axis, with a SciPy reference."""

from .integrate import simulate
from .reference import simulate_reference
from .results import load, save

__all__ = ["load", "save", "simulate", "simulate_reference"]
