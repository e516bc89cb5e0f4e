"""Build a :class:`Model` from states, inputs, variables and couplings.

The builder collects declarations and returns a frozen :class:`Model`. It never injects names
into the caller's namespace (unlike PySB's SelfExporter); equations receive one namespace
argument instead. At build time it orders the algebraic variables so that each depends only on
states, inputs, parameters and earlier variables, and refuses algebraic loops.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

import sympy as sp

from ..errors import FMSimError
from .registry import Registry
from .spec import Coupling, Equation, Input, State, Variable

__all__ = ["Model", "ModelBuilder", "ModelError", "Namespace"]


class ModelError(FMSimError):
    """A model definition is inconsistent."""


class Namespace(dict):
    """A dict with attribute access: what every equation receives."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"unknown model name {name!r}") from None


@dataclass(frozen=True)
class Model:
    """A complete model: states, inputs, algebraic variables (in evaluation order), the names
    of its parameters, its signed couplings and, when built from one, its parameter registry
    (values, priors and evidence: what a study needs to run the model's people)."""

    name: str
    states: tuple[State, ...]
    inputs: tuple[Input, ...]
    variables: tuple[Variable, ...]
    parameters: tuple[str, ...]
    couplings: tuple[Coupling, ...]
    description: str = ""
    registry: Registry | None = field(default=None, compare=False, repr=False)
    loops: tuple[tuple[str, tuple[str, ...]], ...] = field(default=(), compare=False,
                                                           repr=False)
    """Named reinforcing loops, each a path of couplings that ends on a name it passed: the
    cycle runs from that name on, and the names before it lead into the cycle."""
    measurement: str = field(default="", compare=False, repr=False)
    """The packaged file (in ``fmsim.instruments``, same schema as ``measurement.toml``) of the
    measurement parameters this model changes: its latent quantities have their own scales, so
    the answer scales fitted to them are its own. Empty: ``measurement.toml`` as it is."""

    @cached_property
    def state_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states)

    @cached_property
    def input_names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs)

    @cached_property
    def variable_names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.variables)

    def state(self, name: str) -> State:
        """The state called ``name``."""
        for s in self.states:
            if s.name == name:
                return s
        raise KeyError(name)

    def describe(self, name: str) -> str:
        """Plain-language description of any state, input or variable."""
        for item in (*self.states, *self.inputs, *self.variables):
            if item.name == name:
                return item.description
        raise KeyError(name)


class ModelBuilder:
    """Collects the parts of a model; :meth:`build` checks them and returns a :class:`Model`.

    Examples
    --------
    >>> from fmsim.model import ModelBuilder, ops
    >>> b = ModelBuilder("decay")
    >>> b.state("x", "a decaying quantity", rate=lambda v: (v.target - v.x) / v.tau, initial=1.0)
    >>> b.variable("target", "where x relaxes to", lambda v: ops.sigmoid(v.u))
    >>> b.input("u", "drive")
    >>> model = b.build(parameters={"tau"})
    >>> model.state_names
    ('x',)
    """

    def __init__(self, name: str, description: str = "") -> None:
        self.name = name
        self.description = description
        self._states: list[State] = []
        self._inputs: list[Input] = []
        self._variables: list[Variable] = []
        self._couplings: list[Coupling] = []
        self._subsystem = ""

    def subsystem(self, name: str) -> ModelBuilder:
        """Set the subsystem label given to what is declared next."""
        self._subsystem = name
        return self

    def state(
        self,
        name: str,
        description: str,
        rate: Equation,
        initial: float,
        bounds: tuple[float, float] = (0.0, 1.0),
        unit: str = "1",
        time_constant: str = "",
    ) -> None:
        """Declare a dynamic state and its rate equation."""
        self._states.append(
            State(name, description, rate, initial, bounds, unit, self._subsystem, time_constant)
        )

    def input(self, name: str, description: str, unit: str = "1", default: float = 0.0,
              bounds: tuple[float, float] = (0.0, 1.0)) -> None:
        """Declare an exogenous input and the range of values it is meant to take."""
        self._inputs.append(Input(name, description, unit, default, bounds))

    def variable(self, name: str, description: str, equation: Equation, unit: str = "1") -> None:
        """Declare an algebraic variable."""
        self._variables.append(Variable(name, description, equation, unit, self._subsystem))

    def coupling(
        self, source: str, target: str, sign: int, evidence: list[str] | tuple[str, ...], note=""
    ) -> None:
        """Declare a signed causal edge with its evidence keys."""
        if sign not in (-1, 1):
            raise ModelError(f"coupling {source}->{target}: sign must be +1 or -1, not {sign}")
        self._couplings.append(Coupling(source, target, sign, tuple(evidence), note))

    def build(self, parameters: Registry | set[str] | dict[str, float],
              loops: Mapping[str, Sequence[str]] | None = None) -> Model:
        """Check the declarations and return the frozen model.

        Parameters
        ----------
        parameters : Registry, set of str or dict
            The parameter registry of the model (kept as :attr:`Model.registry`), or just the
            names of the parameters the equations may use.
        loops : mapping, optional
            Named loops, each a path of declared couplings that returns to a name on it (kept
            as :attr:`Model.loops`).

        Raises
        ------
        ModelError
            On duplicate names, unknown names in an equation, an algebraic loop, or a coupling
            between names that do not exist.
        """
        registry = parameters if isinstance(parameters, Registry) else None
        params = set(registry.parameters if registry else parameters)
        names = [s.name for s in self._states] + [i.name for i in self._inputs]
        names += [v.name for v in self._variables]
        dupes = {n for n in names if names.count(n) > 1} | (set(names) & params)
        if dupes:
            raise ModelError(f"names declared twice: {sorted(dupes)}")

        symbols = Namespace({n: sp.Symbol(n) for n in [*names, *params]})
        var_names = {v.name for v in self._variables}
        deps: dict[str, set[str]] = {}
        used: set[str] = set()
        for v in self._variables:
            free = {str(s) for s in _free(v.equation, symbols, v.name)}
            deps[v.name] = free & var_names
            used |= free
        for s in self._states:
            used |= {str(x) for x in _free(s.rate, symbols, s.name)}
        unused = params - used
        if unused:
            raise ModelError(f"parameters declared but used by no equation: {sorted(unused)}")

        ordered = _topological(self._variables, deps)
        known = set(names)
        for c in self._couplings:
            for end in (c.source, c.target):
                if end not in known:
                    raise ModelError(f"coupling {c.source}->{c.target}: unknown name {end!r}")
        edges = {(c.source, c.target) for c in self._couplings}
        for name, path in (loops or {}).items():
            missing = [f"{a}->{b}" for a, b in pairwise(path)
                       if (a, b) not in edges]
            if len(path) < 2 or path[-1] not in path[:-1] or missing:
                raise ModelError(f"loop {name!r} must be a path of couplings that returns to a "
                                 f"name on it; {missing or 'it does not return'}")
        used_params = tuple(sorted(p for p in params if p in used))
        return Model(
            self.name,
            tuple(self._states),
            tuple(self._inputs),
            tuple(ordered),
            used_params,
            tuple(self._couplings),
            self.description,
            registry,
            tuple((name, tuple(path)) for name, path in (loops or {}).items()),
        )


def _free(equation: Equation, symbols: Namespace, owner: str) -> set[sp.Symbol]:
    try:
        expr = sp.sympify(equation(symbols))
    except AttributeError as exc:
        raise ModelError(f"equation of {owner!r}: {exc}") from None
    return expr.free_symbols


def _topological(variables: list[Variable], deps: dict[str, set[str]]) -> list[Variable]:
    by_name = {v.name: v for v in variables}
    done: list[Variable] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in placed:
            return
        if name in visiting:
            loop = " -> ".join((*path, name))
            raise ModelError(f"algebraic loop (close it through a state): {loop}")
        visiting.add(name)
        for dep in sorted(deps[name]):
            visit(dep, (*path, name))
        visiting.discard(name)
        placed.add(name)
        done.append(by_name[name])

    for v in variables:
        visit(v.name, ())
    return done
