"""Fixed-step vectorized integration over a patient axis.

Deterministic mode uses the classical fourth-order Runge-Kutta method with ``steps_per_day``
sub-daily steps; inputs are constant within each day, so steps never straddle a discontinuity.
A jump in an input (an injury's start or end) sets off a transient in the fast states, and with
``refine`` the sub-steps of the first days after each jump, and after the start, are taken in
``refine`` pieces (:data:`.stepper.REFINE_DAYS`): a step that shrinks where the solution changes
fast, as an adaptive integrator's would after a discontinuity [2]_, but known in advance.
Stochastic mode adds seeded daily noise on stress, inflammation and sleep as Ornstein-Uhlenbeck
processes (correlation time ``noise_tau`` days, unit stationary variance) that drive the model's
``noise_*`` inputs: the OU process is advanced with its exact transition, and the states with
RK4 holding the noise constant over each sub-step (a random-ODE scheme; Gillespie 1996 for the
exact OU update). Because the noise enters the sigmoidal drives, every normalized state keeps its
bounds.

References
----------
.. [1] Gillespie DT (1996). Exact numerical simulation of the Ornstein-Uhlenbeck process and its
   integral. Phys Rev E 54:2084-2091. doi:10.1103/PhysRevE.54.2084
.. [2] Hairer E, Norsett SP, Wanner G (1993). Solving Ordinary Differential Equations I: Nonstiff
   Problems, 2nd ed. Springer. doi:10.1007/978-3-540-78862-1
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import xarray as xr

from ..errors import FMSimError
from ..model.builder import Model
from ..model.kernel import NumpyKernel
from . import compiled
from .inputs import ArrayLike, Prepared, prepare
from .results import to_dataset
from .stepper import Stepper, noise_inputs, pieces

__all__ = ["simulate"]

Progress = Callable[[int, int], None]


def _rk4_step(kernel: NumpyKernel, y, params, inputs, dt: float) -> np.ndarray:
    k1 = kernel.rhs(y, params, inputs)
    k2 = kernel.rhs(y + 0.5 * dt * k1, params, inputs)
    k3 = kernel.rhs(y + 0.5 * dt * k2, params, inputs)
    k4 = kernel.rhs(y + dt * k3, params, inputs)
    return y + (dt / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


KERNELS = ("auto", "compiled", "numpy")
"""Kernel choices: ``auto`` is the compiled kernel when Numba is installed, else NumPy."""

MAX_BLOCK_DRAWS = 4_000_000
"""Most noise draws held at once by the compiled path (32 MB); longer runs go in blocks."""


def _kernel_name(kernel: str) -> str:
    if kernel not in KERNELS:
        raise FMSimError(f"kernel must be one of {list(KERNELS)}, not {kernel!r}")
    if kernel == "auto":
        return "compiled" if compiled.available() else "numpy"
    if kernel == "compiled" and not compiled.available():
        raise FMSimError("kernel 'compiled' needs Numba: pip install numba (or use kernel='numpy')")
    return kernel


def run(
    prep: Prepared,
    steps_per_day: int = 4,
    stochastic: bool = False,
    seed: int | None = None,
    noise_tau: float = 1.0,
    record: Sequence[str] | None = None,
    progress: Progress | None = None,
    kernel: str = "auto",
    noise: Mapping[str, ArrayLike] | None = None,
    refine: int = 1,
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Integrate a prepared run (``noise``, ``refine``: see :func:`simulate`).

    Both kernels take the same steps and draw the same noise in the same order, so they agree to
    rounding (the tests hold them within 1e-9).

    Returns
    -------
    daily : ndarray, shape (n_patients, days, n_recorded)
        Recorded states and variables at the start of each day, with that day's inputs.
    final : ndarray, shape (n_states, n_patients)
        States at the end of the last day.
    names : tuple of str
        The recorded names, in order.
    """
    model = prep.model
    names = tuple(record) if record is not None else (*model.state_names, *model.variable_names)
    known = set(model.state_names) | set(model.variable_names)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise FMSimError(f"cannot record unknown name(s) {unknown}")
    for name, value in (("steps_per_day", steps_per_day), ("refine", refine)):
        if int(value) != value or value < 1:
            raise FMSimError(f"{name} must be a whole number >= 1, not {value!r}")
    kernel = _kernel_name(kernel)
    dt = 1.0 / steps_per_day
    noisy = noise_inputs(model) if stochastic else ()
    rng = np.random.default_rng(seed)
    xi = rng.standard_normal((len(noisy), prep.n_patients))
    if noise:
        if not stochastic:
            raise FMSimError("initial noise is for stochastic runs (stochastic=True)")
        unknown = sorted(set(noise) - set(noisy))
        if unknown:
            raise FMSimError(f"initial noise for {unknown}: the model's noise inputs are "
                             f"{list(noisy)}")
        for j, name in enumerate(noisy):
            if name in noise:
                xi[j] = np.broadcast_to(np.asarray(noise[name], float), prep.n_patients)
    decay = np.exp(-dt / noise_tau)
    kick = np.sqrt(1.0 - decay**2)
    daily = np.empty((prep.n_patients, prep.days, len(names)))
    y = prep.y0.copy()
    if kernel == "compiled":
        _run_compiled(Stepper(prep, steps_per_day, noise_tau, stochastic, refine), y, xi, rng,
                      names, daily, progress)
        return daily, y, names

    numpy_kernel = NumpyKernel(model)
    split = pieces(prep, refine)
    for day in range(prep.days):
        inputs = prep.inputs_on(day)
        if noisy:
            inputs.update(zip(noisy, xi, strict=True))
        if names:
            daily[:, day, :] = numpy_kernel.variables(y, prep.params, inputs, names).T
        for _ in range(steps_per_day):
            if noisy:
                xi = decay * xi + kick * rng.standard_normal(xi.shape)
                inputs.update(zip(noisy, xi, strict=True))
            for _ in range(split[day]):
                y = _rk4_step(numpy_kernel, y, prep.params, inputs, dt / split[day])
        if progress is not None:
            progress(day + 1, prep.days)
    return daily, y, names


def _run_compiled(stepper: Stepper, y, xi, rng, names, daily, progress) -> None:
    """The compiled path of :func:`run`: the stepper's blocks of days, the noise drawn per
    block."""
    days_total = stepper.prep.days
    block = days_total if progress is None else max(1, days_total // 20)  # 20 progress reports
    draws_per_day = stepper.steps_per_day * xi.shape[0] * stepper.n_patients
    if draws_per_day:
        block = max(1, min(block, MAX_BLOCK_DRAWS // draws_per_day))
    for day0 in range(0, days_total, block):
        days = min(block, days_total - day0)
        stepper.advance(y, xi, day0, days, rng, names, out=daily)
        if progress is not None:
            progress(day0 + days, days_total)


def simulate(
    model: Model,
    days: int,
    params: Mapping[str, ArrayLike] | None = None,
    inputs: Mapping[str, ArrayLike] | None = None,
    initial: Mapping[str, ArrayLike] | None = None,
    *,
    stochastic: bool = False,
    seed: int | None = None,
    steps_per_day: int = 4,
    record: Sequence[str] | None = None,
    progress: Progress | None = None,
    kernel: str = "auto",
    noise: Mapping[str, ArrayLike] | None = None,
    refine: int = 1,
) -> xr.Dataset:
    """Simulate a population (patients as an array axis) for ``days`` days.

    Parameters
    ----------
    model : Model
        The model, e.g. :func:`fmsim.model.fm.fm_model`.
    days : int
        Number of days.
    params, inputs, initial : mapping, optional
        See :func:`fmsim.engine.inputs.prepare`. Arrays of length ``n_patients`` give each
        patient their own value.
    stochastic : bool
        Add seeded daily noise on stress, inflammation and sleep.
    seed : int, optional
        Seed of the noise (the same seed gives identical results).
    steps_per_day : int
        RK4 sub-steps per day (time constants are >= 1 day; 4 keeps ``dt/tau <= 0.25``).
    record : sequence of str, optional
        States and variables to keep for every day (default: all). Recording fewer saves memory
        in large populations.
    progress : callable, optional
        ``progress(done_days, total_days)``, called as the run advances.
    kernel : {"auto", "compiled", "numpy"}
        The compiled kernel (Numba; :mod:`fmsim.engine.compiled`) or the NumPy one. ``auto``
        takes the compiled kernel when Numba is installed. Results agree to rounding.
    noise : mapping, optional
        Stochastic mode: the values of the noise inputs' Ornstein-Uhlenbeck processes on day 0
        (name -> one value or one per patient), for a run that carries on another's noise, as
        a twin's forecast carries on the particles' (default: drawn from their stationary
        distribution).
    refine : int
        Take each sub-step in ``refine`` RK4 steps on the first
        :data:`~fmsim.engine.stepper.REFINE_DAYS` days and on as many from each day whose inputs
        differ from the day before, where a jump's transient is fast (the noise holds over each
        sub-step as before). ``steps_per_day=1, refine=2`` is as accurate as 2 steps a day
        through an injury at about half the cost (``benchmarks/vs_roadrunner.py``).

    Returns
    -------
    xarray.Dataset
        ``trajectory`` (patient, day, variable), ``final`` (patient, state) and ``parameters``
        (patient, parameter); see :func:`fmsim.engine.results.to_dataset`.
    """
    prep = prepare(model, days, params, inputs, initial)
    kernel = _kernel_name(kernel)
    daily, final, names = run(prep, steps_per_day, stochastic, seed, record=record,
                              progress=progress, kernel=kernel, noise=noise, refine=refine)
    refined = f", {refine} pieces after input jumps" if refine > 1 else ""
    return to_dataset(prep, daily, final, names, stochastic=stochastic, seed=seed,
                      method=f"rk4, {steps_per_day} steps/day{refined}, {kernel} kernel")
