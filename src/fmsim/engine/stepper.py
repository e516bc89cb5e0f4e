"""Advancing a population a few days at a time from states the caller holds.

A particle filter (the digital twin's likelihood, :mod:`fmsim.twin.likelihood`) advances its
particles to the next observed day, weighs them, and resamples them - reorders the patient axis -
before going on. :class:`Stepper` does the advancing with the integration of
:func:`.integrate.simulate` in stochastic mode (the compiled kernel, RK4 sub-steps, the
Ornstein-Uhlenbeck noise carried from block to block in ``xi``), so a run cut into blocks is the
run :func:`.integrate.simulate` would make with the same draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike

from ..model.builder import Model
from . import compiled
from .inputs import Prepared, prepare

__all__ = ["REFINE_DAYS", "Stepper", "noise_inputs", "pieces"]

REFINE_DAYS = 4
"""Days, from the start and from each jump of an input, whose sub-steps ``refine`` divides. The
fastest states (inflammation, time constant about a day) have then come within about e^-4 (2%)
of where the jump sends them; measured in ``benchmarks/vs_roadrunner.py`` on model v2 (one step
a day through an injury's start and end), three days left 2.4 times the error of four."""


def noise_inputs(model: Model) -> tuple[str, ...]:
    """Names of the inputs that stochastic mode drives (those starting with ``noise_``)."""
    return tuple(n for n in model.input_names if n.startswith("noise_"))


def pieces(prep: Prepared, refine: int) -> np.ndarray:
    """The RK4 steps each sub-step of each day is taken in: ``refine`` on the days after a jump
    (see :data:`REFINE_DAYS` and :meth:`.inputs.Prepared.after_changes`), 1 on the others."""
    if refine == 1:
        return np.ones(prep.days, np.int64)
    return np.where(prep.after_changes(REFINE_DAYS), refine, 1).astype(np.int64)


@dataclass(eq=False)
class Stepper:
    """A prepared population that :meth:`advance` moves forward with the compiled kernel (build
    with :meth:`create`); ``stochastic`` drives the noise inputs, ``refine`` divides the
    sub-steps after an input's jumps (see :func:`pieces`). :func:`.integrate.simulate`'s compiled
    path is a run of these blocks."""

    prep: Prepared
    steps_per_day: int = 4
    noise_tau: float = 1.0
    stochastic: bool = True
    refine: int = 1

    @classmethod
    def create(cls, model: Model, days: int, params: Mapping[str, ArrayLike] | None = None,
               inputs: Mapping[str, ArrayLike] | None = None,
               initial: Mapping[str, ArrayLike] | None = None, steps_per_day: int = 4,
               noise_tau: float = 1.0) -> Stepper:
        """Prepare ``days`` days of a population in stochastic mode (see
        :func:`.integrate.simulate`)."""
        return cls(prepare(model, days, params, inputs, initial), steps_per_day, noise_tau)

    @property
    def n_patients(self) -> int:
        return self.prep.n_patients

    def start(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """The states on day 0 (``(n_states, n_patients)``, a copy) and the noise drawn from
        its stationary distribution (``(n_noisy, n_patients)``)."""
        return self.prep.y0.copy(), rng.standard_normal((len(self._arrays["noisy"]),
                                                          self.n_patients))

    @cached_property
    def _arrays(self) -> dict:
        """What every :meth:`advance` passes the kernel, made once."""
        prep, model = self.prep, self.prep.model
        personal = prep.personal
        return {
            "kernel": compiled.compiled_kernel(model),
            "order": {n: i for i, n in enumerate((*model.state_names, *model.variable_names))},
            "params": np.ascontiguousarray([prep.params[p] for p in model.parameters],
                                           dtype=float),
            "shared": np.ascontiguousarray(prep.shared_inputs()),
            "personal": (np.stack([prep.inputs[n] for n in personal]) if personal
                         else np.zeros((0, prep.days, self.n_patients))),
            "personal_idx": np.array([model.input_names.index(n) for n in personal],
                                     dtype=np.int64),
            "noisy": np.array([model.input_names.index(n) for n in noise_inputs(model)]
                              if self.stochastic else [], dtype=np.int64),
            "pieces": pieces(prep, self.refine),
        }

    def reorder(self, index: np.ndarray, names: Sequence[str] | None = None) -> None:
        """Give patient ``j`` the parameters patient ``index[j]`` had, all of them or only
        ``names`` (those that differ between the patients reordered): a particle filter's
        resampling, whose states move with ``y[:, index]``."""
        params = self._arrays["params"]
        if names is None:
            params[:] = params[:, index]
            return
        rows = [self.prep.model.parameters.index(n) for n in names]
        params[rows] = params[rows][:, index]

    def advance(self, y: np.ndarray, xi: np.ndarray, day0: int, days: int,
                rng: np.random.Generator, record: Sequence[str] = (),
                out: np.ndarray | None = None) -> np.ndarray:
        """Integrate days ``day0 .. day0 + days - 1``, ``y`` and ``xi`` in place; returns the
        recorded names at the start of each of those days, shape ``(n_patients, days,
        len(record))``, or writes them into ``out`` (``(n_patients, all days, len(record))``)
        at those days and returns it."""
        a = self._arrays
        index = np.array([a["order"][n] for n in record], dtype=np.int64)
        dt = 1.0 / self.steps_per_day
        decay = float(np.exp(-dt / self.noise_tau))
        kick = float(np.sqrt(1.0 - decay**2))
        # Drawn in one call, in the order the NumPy kernel draws them one sub-step at a time.
        normals = rng.standard_normal((days, self.steps_per_day, len(a["noisy"]),
                                       self.n_patients))
        at = day0 if out is not None else 0
        if out is None:
            out = np.empty((self.n_patients, days, len(index)))
        a["kernel"].advance(y, a["params"], a["shared"][day0:day0 + days],
                            np.ascontiguousarray(a["personal"][:, day0:day0 + days]),
                            a["personal_idx"], normals, xi, a["noisy"], decay, kick, dt,
                            a["pieces"][day0:day0 + days], index, out, at)
        return out
