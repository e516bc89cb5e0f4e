"""The default conduct of a virtual trial, from ``conduct.toml`` beside this module (each value
with its source there). Light, so that the command line can show the defaults in its help."""

from __future__ import annotations

from functools import cache

from ..model.registry import packaged_parameters

__all__ = ["conduct"]


@cache
def conduct() -> dict[str, float]:
    """Default trial conduct (``conduct.toml``): ``withdraw_weekly``, the weekly probability of
    leaving for a reason other than an adverse event, and ``adherence``, the share of program
    sessions attended."""
    return {k: v.value for k, v in packaged_parameters("fmsim.studies", "conduct.toml").items()}
