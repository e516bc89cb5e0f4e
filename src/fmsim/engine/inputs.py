"""Preparing a run: parameters over a patient axis, daily inputs and initial states."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import FMSimError
from ..model.builder import Model
from ..model.registry import Registry, load_registry

__all__ = ["Prepared", "prepare"]

ArrayLike = float | np.ndarray


@dataclass(frozen=True)
class Prepared:
    """Everything an integrator needs, with a patient axis of length ``n_patients``.

    Inputs are kept day-major for the integrators (an internal layout): shape ``(days, 1)`` when
    everyone shares them, ``(days, n_patients)`` when they differ, so that a large population
    with a few personal inputs does not hold every input for every person and day.
    """

    model: Model
    n_patients: int
    days: int
    params: dict[str, np.ndarray]
    inputs: dict[str, np.ndarray]  # name -> (days, 1) or (days, n_patients)
    y0: np.ndarray  # (n_states, n_patients)

    def inputs_on(self, day: int) -> dict[str, np.ndarray]:
        """The input values that hold throughout ``day``."""
        return {name: values[day] for name, values in self.inputs.items()}

    @property
    def personal(self) -> tuple[str, ...]:
        """The inputs that differ between patients."""
        return tuple(k for k, v in self.inputs.items() if v.shape[1] > 1)

    def shared_inputs(self) -> np.ndarray:
        """Every input's value for patient 0, shape ``(days, n_inputs)``; the inputs in
        :attr:`personal` differ for the others."""
        if not self.inputs:
            return np.zeros((self.days, 0))
        return np.stack([v[:, 0] for v in self.inputs.values()], axis=1)

    def after_changes(self, window: int) -> np.ndarray:
        """Which days (shape ``(days,)``, bool) lie within ``window`` days from the start or
        from a day whose inputs - any of them, for any patient - differ from the day before:
        the days when the states may be in a transient that an input's jump set off."""
        jumps = np.zeros(self.days, bool)
        jumps[0] = True
        for values in self.inputs.values():
            jumps[1:] |= (values[1:] != values[:-1]).any(axis=1)
        marked = np.zeros(self.days + window, bool)
        for lag in range(window):
            marked[lag:lag + self.days] |= jumps
        return marked[:self.days]


def _patients(params: Mapping[str, ArrayLike] | None, inputs: Mapping[str, ArrayLike] | None,
              initial: Mapping[str, ArrayLike] | None) -> int:
    """The number of patients the arrays describe: the length of 1-D parameters and initial
    states, the first axis of 2-D inputs; 1 when everything is shared."""
    sizes = {np.shape(v)[0] for m in (params, initial) if m for v in m.values()
             if np.ndim(v) >= 1 and np.shape(v)[0] != 1}
    sizes |= {np.shape(v)[0] for v in (inputs or {}).values()
              if np.ndim(v) == 2 and np.shape(v)[0] != 1}
    if len(sizes) > 1:
        raise FMSimError(f"arrays disagree on the number of patients: {sorted(sizes)}")
    return sizes.pop() if sizes else 1


def prepare(
    model: Model,
    days: int,
    params: Mapping[str, ArrayLike] | None = None,
    inputs: Mapping[str, ArrayLike] | None = None,
    initial: Mapping[str, ArrayLike] | None = None,
    registry: Registry | None = None,
) -> Prepared:
    """Resolve parameters, inputs and initial states for ``days`` days.

    Parameters
    ----------
    model : Model
    days : int
        Number of simulated days (>= 1).
    params : mapping, optional
        Overrides of registry values: a scalar or an array of shape ``(n_patients,)``.
    inputs : mapping, optional
        Daily inputs: a scalar, shape ``(days,)`` (the same for everyone) or ``(n_patients,
        days)`` (patient first, as every array FMSim passes between modules). Inputs not given
        take their default.
    initial : mapping, optional
        Initial states: scalar or ``(n_patients,)``. Others start at the state's ``initial``.
    registry : Registry, optional
        Parameter registry (default: the model's own, else the shipped one).

    Raises
    ------
    FMSimError
        On an unknown name, a non-finite value or mismatched shapes.
    """
    if int(days) != days or days < 1:
        raise FMSimError(f"days must be a positive whole number, not {days!r}")
    days = int(days)
    registry = registry or model.registry or load_registry()
    for kind, given, known in (
        ("parameter", params, model.parameters),
        ("input", inputs, model.input_names),
        ("state", initial, model.state_names),
    ):
        unknown = sorted(set(given or {}) - set(known))
        if unknown:
            raise FMSimError(f"unknown {kind} name(s) {unknown}")
        for name, value in (given or {}).items():
            if not np.all(np.isfinite(np.asarray(value, dtype=float))):
                raise FMSimError(f"{kind} {name!r} has a non-finite value")
    n = _patients(params, inputs, initial)

    values = {**registry.values(), **(params or {})}
    missing = sorted(set(model.parameters) - set(values))
    if missing:
        raise FMSimError(f"no value for parameter(s) {missing} (not in the registry)")
    p = {name: np.broadcast_to(np.asarray(values[name], float), (n,))
         for name in model.parameters}

    u = {}
    for inp in model.inputs:
        raw = np.asarray((inputs or {}).get(inp.name, inp.default), dtype=float)
        if raw.ndim > 2 or raw.shape[-1:] not in ((), (1,), (days,)):
            raise FMSimError(f"input {inp.name!r} has shape {raw.shape}; expected () or "
                             f"({days},) or ({n}, {days})")
        per_patient = raw.ndim == 2 and raw.shape[0] > 1
        column = raw.T if raw.ndim == 2 else raw.reshape(-1, 1) if raw.ndim == 1 else raw
        u[inp.name] = np.ascontiguousarray(np.broadcast_to(column, (days, n if per_patient
                                                                        else 1)))

    y0 = np.empty((len(model.states), n))
    for i, s in enumerate(model.states):
        y0[i] = np.broadcast_to(np.asarray((initial or {}).get(s.name, s.initial), float), (n,))
    return Prepared(model, n, days, p, u, y0)
