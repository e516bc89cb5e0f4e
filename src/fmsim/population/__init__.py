"""Virtual people: person presets, sampling from the registry priors, and populations run in
chunks on any executor (serial, local processes, Dask)."""

from .executors import EXECUTORS, run_chunks
from .priors import PERSON_PRESETS, person, sample_parameters
from .simulate import simulate_population

__all__ = ["EXECUTORS", "PERSON_PRESETS", "person", "run_chunks", "sample_parameters",
           "simulate_population"]
