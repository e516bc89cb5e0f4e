"""Vectorized integration of a model over a patient axis, with a SciPy reference, and runs of
large populations in chunks on any executor."""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "executors": ["EXECUTORS", "check_executor", "map_chunks", "run_chunks", "worker_model"],
        "integrate": ["simulate"],
        "reference": ["simulate_reference"],
        "results": ["load", "save"],
    },
)
