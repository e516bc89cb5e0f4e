"""SciPy reference integration (``solve_ivp``), used to check the fixed-step engine.

Each day is integrated separately (inputs are constant within a day) with a tight-tolerance
adaptive solver on the flattened patient-by-state vector. Slow; for tests and validation only.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr
from scipy.integrate import solve_ivp

from ..model.builder import Model
from ..model.kernel import NumpyKernel
from .inputs import ArrayLike, prepare
from .results import to_dataset

__all__ = ["simulate_reference"]


def simulate_reference(
    model: Model,
    days: int,
    params: Mapping[str, ArrayLike] | None = None,
    inputs: Mapping[str, ArrayLike] | None = None,
    initial: Mapping[str, ArrayLike] | None = None,
    *,
    method: str = "DOP853",
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> xr.Dataset:
    """Deterministic simulation with :func:`scipy.integrate.solve_ivp`; same output as
    :func:`fmsim.engine.simulate`."""
    prep = prepare(model, days, params, inputs, initial)
    kernel = NumpyKernel(model)
    shape = prep.y0.shape
    names = (*model.state_names, *model.variable_names)
    daily = np.empty((prep.n_patients, prep.days, len(names)))
    y = prep.y0.copy()
    for day in range(prep.days):
        u = prep.inputs_on(day)
        daily[:, day, :] = kernel.variables(y, prep.params, u, names).T

        def f(_t, flat, u=u):
            return kernel.rhs(flat.reshape(shape), prep.params, u).ravel()

        sol = solve_ivp(f, (0.0, 1.0), y.ravel(), method=method, rtol=rtol, atol=atol)
        if not sol.success:
            raise RuntimeError(f"reference solver failed on day {day}: {sol.message}")
        y = sol.y[:, -1].reshape(shape)
    return to_dataset(prep, daily, y, names, method=f"scipy {method}")
