"""The vectorized NumPy kernel: a model's equations evaluated over a patient axis.

States are an array of shape ``(n_states, n_patients)``; parameters and inputs are mappings
from name to a scalar or an array of shape ``(n_patients,)``. One call evaluates every patient at
once; there is no Python loop over patients.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .builder import Model, Namespace

__all__ = ["NumpyKernel"]

ArrayMap = Mapping[str, float | np.ndarray]


class NumpyKernel:
    """Evaluate a :class:`~fmsim.model.Model` on NumPy arrays.

    Parameters
    ----------
    model : Model
        The model to evaluate.
    """

    def __init__(self, model: Model) -> None:
        self.model = model
        self._states = model.state_names
        self._rates = tuple(s.rate for s in model.states)
        self._variables = tuple((v.name, v.equation) for v in model.variables)

    def namespace(self, y: np.ndarray, params: ArrayMap, inputs: ArrayMap) -> Namespace:
        """All states, parameters, inputs and algebraic variables at one instant."""
        ns = Namespace(params)
        ns.update(inputs)
        ns.update(zip(self._states, y, strict=True))
        for name, equation in self._variables:
            ns[name] = equation(ns)
        return ns

    def rhs(self, y: np.ndarray, params: ArrayMap, inputs: ArrayMap) -> np.ndarray:
        """Time derivative of the states (per day), same shape as ``y``."""
        ns = self.namespace(y, params, inputs)
        return np.stack([np.broadcast_to(rate(ns), y.shape[1:]) for rate in self._rates])

    def variables(
        self, y: np.ndarray, params: ArrayMap, inputs: ArrayMap, names: tuple[str, ...]
    ) -> np.ndarray:
        """Values of the named states and variables, shape ``(len(names), n_patients)``."""
        ns = self.namespace(y, params, inputs)
        return np.stack([np.broadcast_to(ns[n], y.shape[1:]) for n in names])
