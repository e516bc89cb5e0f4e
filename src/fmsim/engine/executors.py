"""Run a population in chunks, serially, in local processes or on a Dask cluster (DESIGN §6).

A population task is a function ``task(size, seed)`` that simulates ``size`` people from the
integer ``seed`` and returns an :class:`xarray.Dataset` over ``patient`` or a mapping of arrays
whose first axis is the patient (endpoints, reduced inside the worker, or final states).
:func:`run_chunks` splits ``n`` people into chunks of ``chunk_size``, gives chunk ``i`` the
``i``-th seed spawned from the run's seed with :class:`numpy.random.SeedSequence`, runs the
chunks where ``executor`` says, and joins them in order. The chunks and their seeds depend only
on ``n``, ``chunk_size`` and ``seed``, so the result is identical whichever executor runs it.

Executors: ``None`` or ``"serial"`` (this process), ``"processes"`` (local worker processes,
:class:`concurrent.futures.ProcessPoolExecutor`), or ``"tcp://host:port"``, the address of an
existing Dask scheduler (:class:`distributed.Client`). A task sent to processes or Dask must be
picklable: a module-level function, or a :func:`functools.partial` of one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import FMSimError
from ..model.models import ModelRef, model_name

if TYPE_CHECKING:  # the command line checks --executor before any model or array is loaded
    import xarray as xr

    from ..model.builder import Model

__all__ = ["EXECUTORS", "check_executor", "chunk_plan", "map_chunks", "run_chunks",
           "worker_model"]

EXECUTORS = ("serial", "processes", "tcp://HOST:PORT")
"""The executor names a user can give (the last is a pattern)."""

Task = Callable[[int, int], "xr.Dataset | Mapping[str, np.ndarray]"]


def chunk_plan(n: int, chunk_size: int, seed: int) -> list[tuple[int, int]]:
    """``(size, seed)`` of each chunk: sizes add up to ``n``; seeds are spawned from ``seed``."""
    if n < 1:
        raise FMSimError(f"a population needs n >= 1 people, not {n}")
    if chunk_size < 1:
        raise FMSimError(f"chunk_size must be >= 1, not {chunk_size}")
    sizes = [chunk_size] * (n // chunk_size) + ([n % chunk_size] if n % chunk_size else [])
    children = np.random.SeedSequence(seed).spawn(len(sizes))
    return [(size, int(child.generate_state(1)[0])) for size, child in
            zip(sizes, children, strict=True)]


def check_executor(executor: str | None) -> str | None:
    """``executor`` if it names one (see the module docstring); a Dask address must be
    ``tcp://HOST:PORT`` with a host and a port from 1 to 65535.

    Raises
    ------
    FMSimError
        Naming the value and what is allowed.
    """
    if executor in (None, "serial", "processes"):
        return executor
    if not isinstance(executor, str) or not executor.startswith("tcp://"):
        raise FMSimError(f"unknown executor {executor!r}; allowed: {', '.join(EXECUTORS)}")
    host, colon, port = executor[len("tcp://"):].rpartition(":")
    if not colon or not host or "/" in host:
        raise FMSimError(f"executor {executor!r} needs a host and a port: tcp://HOST:PORT, "
                         "e.g. tcp://127.0.0.1:8786")
    if not (port.isascii() and port.isdigit() and len(port) <= 5 and 1 <= int(port) <= 65535):
        raise FMSimError(f"executor {executor!r}: the port must be a whole number from 1 to "
                         f"65535, not {port!r}")
    return executor


def worker_model(model: ModelRef, executor: str | None) -> str | Model:
    """What a population task takes as its model to run on ``executor``: a shipped model's
    name (each worker process builds it again), or, in this process only, the model itself.

    Raises
    ------
    FMSimError
        When ``model`` is not one of the shipped models and ``executor`` is not serial: its
        equations are Python functions that cannot be sent to another process.
    """
    ref = model_name(model)
    if not isinstance(ref, str) and executor not in (None, "serial"):
        raise FMSimError(f"model {ref.name!r} is not one of fmsim's shipped models, so it runs "
                         f"only in this process; use executor 'serial', not {executor!r}")
    return ref


def _pool(executor: str):
    """A context manager whose ``submit(fn, *args)`` returns futures: local processes or a Dask
    client (tasks are deterministic in their seed, so Dask may reuse a result it has)."""
    if executor == "processes":
        return ProcessPoolExecutor()
    from distributed import Client

    try:
        return Client(executor, timeout="10s")
    except (OSError, ValueError) as exc:
        raise FMSimError(f"cannot reach the Dask scheduler at {executor}: {exc}") from None


def _join(parts: list) -> Any:
    """Chunks joined along the patient axis: datasets by :func:`xarray.concat` (the patient
    coordinate renumbered), mappings of arrays by concatenation."""
    import xarray as xr

    if isinstance(parts[0], xr.Dataset):
        joined = xr.concat(parts, dim="patient", data_vars="minimal", coords="minimal",
                           compat="override", join="override")
        return joined.assign_coords(patient=np.arange(joined.sizes["patient"]))
    return {k: np.concatenate([np.asarray(p[k]) for p in parts]) for k in parts[0]}


def run_chunks(task: Task, n: int, seed: int = 0, chunk_size: int = 1000,
               executor: str | None = None,
               progress: Callable[[int, int], None] | None = None) -> Any:
    """Run ``task`` over ``n`` people in chunks and join the results along the patient axis.

    Parameters
    ----------
    task : callable
        ``task(size, seed)`` returning a dataset over ``patient`` or ``{name: array with first
        axis size}``; the chunks are joined into the same kind.
    n, seed, chunk_size : int
        Population size, the run's seed, people per chunk.
    executor : str, optional
        ``None``/``"serial"``, ``"processes"`` or a Dask scheduler address ``"tcp://host:port"``.
    progress : callable, optional
        Called as ``progress(chunks_done, chunks)``.
    """
    return _join(map_chunks(task, chunk_plan(n, chunk_size, seed), executor, progress))


def map_chunks(function: Callable[..., Any], chunks: Sequence[tuple], executor: str | None = None,
               progress: Callable[[int, int], None] | None = None) -> list:
    """``[function(*args) for args in chunks]``, run where ``executor`` says, in order.

    The general form of :func:`run_chunks`, for work whose chunks are given rather than drawn:
    the rows of a sensitivity analysis' sample, say. ``function`` must be picklable for
    processes and Dask (see the module docstring).
    """
    check_executor(executor)
    with ExitStack() as stack:
        if executor in (None, "serial"):
            results = (function(*args) for args in chunks)
        else:
            pool = stack.enter_context(_pool(executor))
            futures = [pool.submit(function, *args) for args in chunks]
            results = (future.result() for future in futures)
        parts = []
        for done, part in enumerate(results, start=1):
            parts.append(part)
            if progress:
                progress(done, len(chunks))
    return parts
