"""Per-patient tables: a study's people as a dataset, a data frame and a Parquet file.

Every study result keeps its people as an :class:`xarray.Dataset` whose first axis is
``patient``, with at most one time axis (its visits: ``week`` of a trial, ``year`` of a natural
history). :meth:`PerPatient.to_dataframe` flattens it to one row per patient and visit: each
variable over ``patient`` (and the visit) is a column, and each variable with a further named
axis becomes one column per label, ``NAME.LABEL`` (``parameters.genetic``, ``states.CS``,
``latent.P``). Patient-level columns repeat on every visit of that patient.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pandas as pd
import xarray as xr

__all__ = ["PerPatient", "patient_table"]


def patient_table(people: xr.Dataset, visit: str | None = None) -> pd.DataFrame:
    """One row per patient (and ``visit``), one column per variable or per label of a
    variable's named axis (see the module docstring)."""
    columns: dict[str, xr.DataArray] = {}
    for name, variable in people.data_vars.items():
        extra = [d for d in variable.dims if d not in ("patient", visit)]
        if not extra:
            columns[str(name)] = variable
            continue
        (axis,) = extra
        for label in people.coords[axis].values:
            columns[f"{name}.{label}"] = variable.sel({axis: label}, drop=True)
    flat = xr.Dataset(columns, coords={"patient": people.coords["patient"]})
    if visit is not None:
        flat = flat.assign_coords({visit: people.coords[visit]})
    order = ["patient"] + ([visit] if visit else [])
    frame = flat.to_dataframe(dim_order=order).reset_index()
    drop = [c for c in frame.columns if c not in (*order, *columns)]
    return frame.drop(columns=drop)


class PerPatient:
    """A study result with per-patient data: ``patients`` (a dataset over ``patient``) and
    its ``VISIT`` axis (None for one visit)."""

    VISIT: ClassVar[str | None] = None
    patients: xr.Dataset

    def to_dataframe(self) -> pd.DataFrame:
        """The per-patient table: one row per patient and visit (:func:`patient_table`)."""
        return patient_table(self.patients, self.VISIT)

    def to_parquet(self, path: str | Path) -> Path:
        """Write :meth:`to_dataframe` as Parquet (readable in pandas, R's arrow, DuckDB)."""
        path = Path(path)
        self.to_dataframe().to_parquet(path, index=False)
        return path
