"""Results as labelled arrays (xarray), saved as NetCDF."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from .inputs import Prepared

__all__ = ["load", "save", "to_dataset"]


def to_dataset(
    prep: Prepared,
    daily: np.ndarray,
    final: np.ndarray,
    names: tuple[str, ...],
    **attrs,
) -> xr.Dataset:
    """Wrap integrator output in an :class:`xarray.Dataset`.

    Variables
    ---------
    trajectory : (patient, day, variable)
        Daily values of the recorded states and algebraic variables (at the start of each day,
        with that day's inputs).
    final : (patient, state)
        States at the end of the last day.
    parameters : (patient, parameter)
        Every patient's parameter values.
    inputs : (patient, day, input)
        The daily inputs that drove the run (a lazy Dask array: large populations share most
        inputs, so it is computed when read).

    Every variable has the patient axis first, then time, then its named axis.
    """
    model = prep.model
    params = np.stack([prep.params[p] for p in model.parameters], axis=1)
    meta = {k: (str(v) if v is not None else "none") for k, v in attrs.items()}
    ds = xr.Dataset(
        {
            "trajectory": (("patient", "day", "variable"), daily),
            "final": (("patient", "state"), final.T),
            "parameters": (("patient", "parameter"), params),
            "inputs": (("patient", "day", "input"), _lazy_inputs(prep)),
        },
        coords={
            "patient": np.arange(prep.n_patients),
            "day": np.arange(prep.days),
            "variable": list(names),
            "state": list(model.state_names),
            "parameter": list(model.parameters),
            "input": list(model.input_names),
        },
        attrs={"model": model.name, "time_unit": "day", **meta},
    )
    return ds


def _lazy_inputs(prep: Prepared):
    """The inputs as a lazy (Dask) array: computed when read, never held whole in memory."""
    import dask.array as da

    if not prep.inputs:  # a model without inputs
        return np.zeros((prep.n_patients, prep.days, 0))
    return da.stack([da.broadcast_to(da.from_array(v.T, chunks=v.T.shape),
                                      (prep.n_patients, prep.days))
                     for v in prep.inputs.values()], axis=2)


def save(ds: xr.Dataset, path: str | Path) -> Path:
    """Write a result to NetCDF (HDF5-based, via h5netcdf)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.to_netcdf(path, engine="h5netcdf")
    return path


def load(path: str | Path) -> xr.Dataset:
    """Read a result written by :func:`save`."""
    return xr.load_dataset(path, engine="h5netcdf")
