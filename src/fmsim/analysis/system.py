"""One person under constant inputs as an autonomous ODE, with its exact Jacobian.

:class:`System` holds a model, a person's parameter values and constant input values, and one
*free* name (a parameter or an input) that continuation varies. It evaluates the state rates
``f(x, value)`` and their exact derivatives ``df/dx`` (the Jacobian) and ``df/dvalue`` at many
points at once: points are columns, as patients are in the engine.

The derivatives are SymPy's, taken by the chain rule through the algebraic variables: each
equation (a variable or a state's rate) is differentiated symbolically with respect to the
states, variables and free name it names, the partial derivatives are compiled with
:func:`sympy.lambdify`, and the total derivatives are accumulated in the variables' order. This
is the same Jacobian as differentiating the fully substituted rates
(:func:`fmsim.model.symbolic.jacobian`) without building those large expressions, which SymPy
takes about a minute to canonicalize for model v1.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import sympy as sp

from ..errors import FMSimError
from ..model import NumpyKernel
from ..model.builder import Model
from ..model.symbolic import expressions

__all__ = ["System", "direct_partials"]


@dataclass(frozen=True)
class _Partials:
    """One equation's partial derivatives with respect to the names in ``wrt``."""

    wrt: tuple[str, ...]
    evaluate: Callable[..., list]
    args: tuple[str, ...]


@cache
def _equations(model: Model) -> tuple[tuple[str, sp.Expr], ...]:
    """Every variable (in evaluation order), then every state's rate, as SymPy expressions."""
    exprs = expressions(model)
    return (tuple((v, exprs[v]) for v in model.variable_names)
            + tuple((s, exprs[f"d{s}/dt"]) for s in model.state_names))


@cache
def _partials(model: Model, free: str | None) -> tuple[_Partials, ...]:
    """Compiled partial derivatives of every equation with respect to the states, variables and
    ``free`` it names, in :func:`_equations`' order."""
    inner = {*model.state_names, *model.variable_names} | ({free} if free else set())
    out = []
    for _, expr in _equations(model):
        wrt = tuple(sorted(s.name for s in expr.free_symbols if s.name in inner))
        derivatives = [sp.diff(expr, sp.Symbol(n)) for n in wrt]
        args = tuple(sorted({s.name for d in derivatives for s in d.free_symbols}))
        evaluate = sp.lambdify([sp.Symbol(a) for a in args], derivatives, "numpy")
        out.append(_Partials(wrt, evaluate, args))
    return tuple(out)


@dataclass(frozen=True, eq=False)
class System:
    """A person (``params``) under constant ``inputs``, with ``free`` the name that varies.

    Parameters
    ----------
    model : Model
    params : mapping
        Every parameter's value (a person: registry values with their own overrides).
    inputs : mapping
        Constant input values; inputs not named take their default.
    free : str, optional
        A parameter or input whose value is a coordinate of :meth:`rates` and
        :meth:`jacobian` (continuation's parameter).
    """

    model: Model
    params: Mapping[str, float]
    inputs: Mapping[str, float] = field(default_factory=dict)
    free: str | None = None

    def __post_init__(self) -> None:
        names = set(self.model.parameters) | set(self.model.input_names)
        unknown = sorted(set(self.inputs) - set(self.model.input_names))
        unknown += sorted(set(self.params) - set(self.model.parameters))
        if unknown:
            raise FMSimError(f"unknown parameter or input name(s) {unknown}")
        missing = sorted(set(self.model.parameters) - set(self.params))
        if missing:
            raise FMSimError(f"the system needs every parameter's value; missing {missing}")
        if self.free is not None and self.free not in names:
            raise FMSimError(f"{self.free!r} is neither a parameter nor an input of "
                             f"{self.model.name}")

    @property
    def n_states(self) -> int:
        return len(self.model.state_names)

    @property
    def value(self) -> float:
        """The person's own value of the free name."""
        if self.free is None:
            raise FMSimError("the system has no free parameter")
        if self.free in self.params:
            return float(self.params[self.free])
        return float(self.inputs.get(self.free, _input_default(self.model, self.free)))

    def _values(self, shape: tuple[int, ...], value: float | np.ndarray | None
                ) -> tuple[dict, dict]:
        """Parameter and input values, the free name at ``value`` (default: its own)."""
        params = {k: float(v) for k, v in self.params.items()}
        inputs = {i.name: float(self.inputs.get(i.name, i.default)) for i in self.model.inputs}
        if self.free is not None and value is not None:
            target = params if self.free in params else inputs
            target[self.free] = np.broadcast_to(np.asarray(value, float), shape)
        return params, inputs

    def namespace(self, x: np.ndarray, value: float | np.ndarray | None = None) -> dict:
        """Every name's value at the points ``x`` (shape ``(n_states, m)``), the free name at
        ``value`` (default: the person's own)."""
        x = np.asarray(x, dtype=float)
        return dict(_kernel(self.model).namespace(x, *self._values(x.shape[1:], value)))

    def rates(self, x: np.ndarray, value: float | np.ndarray | None = None) -> np.ndarray:
        """``dx/dt`` at the points ``x``, shape ``(n_states, m)``."""
        x = np.asarray(x, dtype=float)
        return _kernel(self.model).rhs(x, *self._values(x.shape[1:], value))

    def jacobian(self, x: np.ndarray, value: float | np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
        """The exact derivatives at the points ``x`` (shape ``(n_states, m)``): ``df/dx`` of
        shape ``(m, n_states, n_states)`` and ``df/dvalue`` of shape ``(m, n_states)`` (zeros
        when no name is free)."""
        x = np.asarray(x, dtype=float)
        n, m = self.n_states, x.shape[1]
        eye = np.eye(n + 1)
        total = {s: np.repeat(eye[i][:, None], m, axis=1)
                 for i, s in enumerate(self.model.state_names)}
        if self.free is not None:
            total[self.free] = np.repeat(eye[n][:, None], m, axis=1)
        total.update({name: np.zeros((n + 1, m)) for name in _equation_names(self.model)})
        # the partials come equation by equation in evaluation order, so each total derivative
        # a later equation needs is complete when it is read
        for (wrt, name), v in direct_partials(self, x, value).items():
            total[name] += total[wrt] * v
        rows = np.stack([total[f"d{s}/dt"] for s in self.model.state_names])  # (n, n+1, m)
        return np.moveaxis(rows[:, :n], 2, 0), rows[:, n].T


def _equation_names(model: Model) -> tuple[str, ...]:
    """The equations in :func:`_equations`' order: variables by name, then ``d<state>/dt``."""
    return (*model.variable_names, *(f"d{s}/dt" for s in model.state_names))


def _input_default(model: Model, name: str) -> float:
    return next(i.default for i in model.inputs if i.name == name)


@cache
def _kernel(model: Model) -> NumpyKernel:
    return NumpyKernel(model)


def direct_partials(system: System, x: np.ndarray, value: float | np.ndarray | None = None
                    ) -> dict[tuple[str, str], np.ndarray]:
    """Every equation's partial derivative with respect to each state or variable it names
    (everything else held) at the points ``x``: ``(name, equation) -> values``, the equation a
    variable's name or ``d<state>/dt``."""
    x = np.asarray(x, dtype=float)
    ns = system.namespace(x, value)
    out = {}
    for name, partials in zip(_equation_names(system.model), _partials(system.model, system.free),
                              strict=True):
        values = partials.evaluate(*(ns[a] for a in partials.args))
        for wrt, v in zip(partials.wrt, values, strict=True):
            out[(wrt, name)] = np.broadcast_to(np.asarray(v, float), x.shape[1:])
    return out
