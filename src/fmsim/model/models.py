"""The models FMSim ships, by name, and the one place that chooses the default.

Every study takes ``model=``: a :class:`~fmsim.model.builder.Model`, the name of a shipped model,
or ``None`` for the default. Studies that run in worker processes send the model's name, not the
model (its equations are Python functions, built again in each worker).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

from ..errors import FMSimError

if TYPE_CHECKING:
    from .builder import Model

__all__ = ["DEFAULT_MODEL", "MODELS", "ModelRef", "default_model", "model_name", "resolve_model"]


def _fm_v1() -> Model:
    from .fm import fm_model

    return fm_model()


def _fm_v2() -> Model:
    from .fm import fm_model_v2

    return fm_model_v2()


MODELS: dict[str, Callable[[], Model]] = {"fm-v1": _fm_v1, "fm-v2": _fm_v2}
"""Shipped models by name; each factory builds its model once (:mod:`fmsim.model.fm`), and
only when first called, so that naming the models (the command line's choices) costs nothing."""

DEFAULT_MODEL = "fm-v2"
"""The model a study runs when none is given: v2, graded and fluctuating FM (issue 20), since
2026-12-06. v1 stays by name for reproducing earlier results: it costs one registry and its
tests, and every study and command takes either."""

ModelRef: TypeAlias = "Model | str | None"
"""What a study accepts as ``model=``: a model, a shipped model's name, or None (the default)."""


def resolve_model(model: ModelRef = None) -> Model:
    """The model a ``model=`` argument names (see :data:`ModelRef`).

    Raises
    ------
    FMSimError
        For an unknown name, listing the shipped ones.
    """
    from .builder import Model

    if isinstance(model, Model):
        return model
    name = DEFAULT_MODEL if model is None else model
    if name not in MODELS:
        raise FMSimError(f"unknown model {name!r}; shipped models: {', '.join(MODELS)}")
    return MODELS[name]()


def default_model() -> Model:
    """The default model (:data:`DEFAULT_MODEL`)."""
    return resolve_model(None)


def model_name(model: ModelRef = None) -> str | Model:
    """What to send to a worker process for ``model``: the shipped model's name, or the model
    itself when it is not one of :data:`MODELS` (which then runs only in this process)."""
    resolved = resolve_model(model)
    for name, factory in MODELS.items():
        if factory() is resolved:
            return name
    return resolved
