"""The model as data: small frozen objects describing states, inputs, variables and couplings.

A model is a set of dynamic states (each with a rate equation), exogenous inputs (triggers,
treatments, noise), algebraic variables computed in one pass from states and inputs, parameters
(values live in the registry) and signed couplings that document every causal edge with its
evidence. Equations are plain Python callables of one namespace argument; written with
:mod:`fmsim.model.ops`, they evaluate on NumPy arrays and on SymPy symbols alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Coupling", "Equation", "Input", "State", "Variable"]

Equation = Callable[[Any], Any]
"""An equation: takes a namespace (attribute access to states, inputs, parameters and earlier
variables) and returns the value or expression."""


@dataclass(frozen=True)
class State:
    """A dynamic state with its rate equation ``d(name)/dt = rate(ns)`` (time in days).

    Parameters
    ----------
    name, description, unit : str
        Identifier, plain-language meaning and unit (``"1"`` for normalized).
    rate : Equation
        Right-hand side of the ODE.
    initial : float
        Value at the start of a simulation unless a scenario overrides it.
    bounds : tuple of float
        The range the state can never leave (a tested invariant).
    subsystem : str
        Module that owns it.
    time_constant : str
        Name of the parameter that sets its time scale (must be >= 1 day).
    """

    name: str
    description: str
    rate: Equation
    initial: float
    bounds: tuple[float, float] = (0.0, 1.0)
    unit: str = "1"
    subsystem: str = ""
    time_constant: str = ""


@dataclass(frozen=True)
class Input:
    """An exogenous, time-dependent input (piecewise constant per day), with the ``bounds`` of
    the values it is meant to take (an effect level 0-1; a trigger up to four times its
    default intensity, as :mod:`fmsim.interventions.triggers` allows; daily noise in standard
    deviations)."""

    name: str
    description: str
    unit: str = "1"
    default: float = 0.0
    bounds: tuple[float, float] = (0.0, 1.0)


@dataclass(frozen=True)
class Variable:
    """An algebraic (quasi-steady-state, within-day) variable ``name = equation(ns)``."""

    name: str
    description: str
    equation: Equation
    unit: str = "1"
    subsystem: str = ""


@dataclass(frozen=True)
class Coupling:
    """A signed causal edge ``source -> target`` with its evidence.

    ``target`` is a state (the edge acts on its rate) or a variable. The sign is checked
    against the equations: the partial derivative of the target's equation with respect to the
    source must have this sign at the reference point.
    """

    source: str
    target: str
    sign: int
    evidence: tuple[str, ...]
    note: str = ""
