"""Vectorized integration of a model over a patient axis, with a SciPy reference, and runs of
large populations in chunks on any executor."""

from .executors import EXECUTORS, check_executor, map_chunks, run_chunks, worker_model
from .integrate import simulate
from .reference import simulate_reference
from .results import load, save

__all__ = ["EXECUTORS", "check_executor", "load", "map_chunks", "run_chunks", "save", "simulate",
           "simulate_reference", "worker_model"]
