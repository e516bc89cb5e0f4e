"""The model against the published targets of calibration.md (``fmsim validate``)."""

from .run import Target, load_targets, model_quantities, validate

__all__ = ["Target", "load_targets", "model_quantities", "validate"]
