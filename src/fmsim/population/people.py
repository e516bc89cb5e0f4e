"""Virtual people as one dataset over ``patient``: their parameters and their states.

A population, a screened cohort or a trial's patients travel between modules as an
:class:`xarray.Dataset` whose first axis is ``patient``: ``parameters`` (patient, parameter) holds
the parameters in which people differ, ``states`` (patient, state) their model states at the
end of what they lived through; studies add their own per-patient variables beside these.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

__all__ = ["parameters_of", "people_dataset", "states_of", "with_parameters"]


def people_dataset(params: Mapping[str, np.ndarray], state_names: tuple[str, ...],
                   final: np.ndarray) -> xr.Dataset:
    """People as a dataset: ``params`` (name -> array over patients) and their ``final`` states
    (patients x states, in the order of ``state_names``)."""
    names = list(params)
    n = final.shape[0]
    values = (np.stack([np.broadcast_to(np.asarray(params[k], dtype=float), (n,)) for k in names],
                       axis=1) if names else np.zeros((n, 0)))
    data = {"parameters": (("patient", "parameter"), values),
            "states": (("patient", "state"), np.asarray(final, dtype=float))}
    return xr.Dataset(data, coords={"patient": np.arange(n), "parameter": names,
                                    "state": list(state_names)})


def parameters_of(people: xr.Dataset) -> dict[str, np.ndarray]:
    """The parameters of ``people`` as name -> array over patients (what the engine takes)."""
    values = people["parameters"].values
    return {str(k): values[:, j] for j, k in enumerate(people.coords["parameter"].values)}


def states_of(people: xr.Dataset) -> dict[str, np.ndarray]:
    """The states of ``people`` as name -> array over patients (initial states for the
    engine)."""
    values = people["states"].values
    return {str(k): values[:, j] for j, k in enumerate(people.coords["state"].values)}


def with_parameters(people: xr.Dataset, values: Mapping[str, float | np.ndarray]) -> xr.Dataset:
    """``people`` with some parameters set (a number for everyone, or an array over patients),
    adding those they did not vary in."""
    current = parameters_of(people)
    n = people.sizes["patient"]
    current.update({k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in
                    values.items()})
    names = list(current)
    return people.drop_vars(["parameters", "parameter"]).assign(
        parameters=(("patient", "parameter"), np.stack([current[k] for k in names], axis=1))
    ).assign_coords(parameter=names)
