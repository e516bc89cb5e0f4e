"""Virtual people: person presets and sampling from the registry priors."""

from .priors import PERSON_PRESETS, person, sample_parameters

__all__ = ["PERSON_PRESETS", "person", "sample_parameters"]
