"""SBML Level 3 and Antimony export of the deterministic model for one parameter set.

States become rate rules, algebraic variables assignment rules, and every daily input a
non-constant parameter that events set at the start of each day on which it changes (inputs are
constant within a day, as in :mod:`fmsim.engine.integrate`). Triggers and treatment schedules
therefore travel with the model. Parameters carry their unit, and an annotation with their
registry tag and evidence keys; the model's notes cite the evidence. The equations are the
SymPy form (:func:`fmsim.model.symbolic.expressions`) of the functions that FMSim integrates.

References
----------
.. [1] Hucka M et al. (2019). The Systems Biology Markup Language (SBML): language
   specification for Level 3 Version 2 Core. J Integr Bioinform 16:20190021.
   doi:10.1515/jib-2019-0021
.. [2] Bornstein BJ et al. (2008). LibSBML: an API library for SBML. Bioinformatics 24:880-881.
   doi:10.1093/bioinformatics/btn051
.. [3] Smith LP et al. (2009). Antimony: a modular model definition language. Bioinformatics
   25:2452-2454. doi:10.1093/bioinformatics/btp401
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np
import sympy as sp
from sympy.printing.str import StrPrinter

from ..engine.inputs import ArrayLike, prepare
from ..errors import FMSimError
from ..model.builder import Model
from ..model.registry import Registry, load_registry
from ..model.symbolic import expressions

__all__ = ["Export", "to_antimony", "to_sbml"]

NAMESPACE = "https://github.com/fmsim/fmsim/annotation"
"""XML namespace of FMSim's parameter annotations (tag, evidence keys)."""

RESERVED = {"time", "e", "pi", "avogadro", "true", "false", "inf", "nan", "exponentiale",
            "infinity", "notanumber"}
"""Names the SBML Level 3 infix syntax reads as constants or time."""

DIMENSIONLESS = {"1", "0-10"}
"""Registry and model units that SBML reads as dimensionless (a 0-10 score is a scaled fraction)."""

UNITS = {"day": ("second", 86400.0), "h": ("second", 3600.0), "1/night": ("second", 1 / 86400.0)}
"""Registry units other than dimensionless, as a multiple of the SI base unit."""


class _Printer(StrPrinter):
    """SymPy expressions in the infix syntax shared by SBML Level 3 and Antimony (``^``).

    With ``units``, every literal number is marked dimensionless (SBML Level 3 syntax), so that
    libsbml can check the units of every equation.
    """

    def __init__(self, units: bool = False) -> None:
        super().__init__()
        self.units = units

    def _number(self, text: str) -> str:
        return f"({text} dimensionless)" if self.units else text

    def _print_Integer(self, expr):
        return self._number(str(expr.p))

    def _print_Float(self, expr):
        return self._number(repr(float(expr)))

    def _print_Rational(self, expr):
        return f"({self._number(str(expr.p))}/{self._number(str(expr.q))})"

    def _print_Pow(self, expr, rational=False):
        base, power = expr.as_base_exp()
        if power == -1:
            return f"{self._number('1')}/({self._print(base)})"
        return f"({self._print(base)})^({self._print(power)})"


def _formula(expr: sp.Expr, units: bool = False) -> str:
    return _Printer(units).doprint(expr)


@dataclass(frozen=True)
class Export:
    """One parameter set, initial state and daily input schedule, resolved for export.

    Build it with :meth:`create`; :func:`to_sbml` and :func:`to_antimony` write it.
    """

    model: Model
    registry: Registry
    params: dict[str, float]
    initial: dict[str, float]
    start: dict[str, float]  # input values on day 0
    events: tuple[tuple[int, dict[str, float]], ...]  # (day, changed inputs)
    days: int

    @classmethod
    def create(cls, model: Model, days: int, params: Mapping[str, float] | None = None,
               inputs: Mapping[str, ArrayLike] | None = None,
               initial: Mapping[str, float] | None = None,
               registry: Registry | None = None) -> Export:
        """Resolve one person's parameters and schedule the way :func:`fmsim.simulate` does.

        Raises
        ------
        FMSimError
            On unknown names, bad shapes, or arrays over more than one patient.
        """
        registry = registry or model.registry or load_registry()
        prep = prepare(model, days, params, inputs, initial, registry)
        if prep.n_patients != 1:
            raise FMSimError(f"export writes one parameter set, not {prep.n_patients}: pass "
                             "scalars (one person)")
        clash = sorted(RESERVED & {*model.state_names, *model.input_names,
                                   *model.variable_names, *model.parameters})
        if clash:
            raise FMSimError(f"names {clash} are reserved in SBML formulas; rename them")
        u = prep.shared_inputs()
        events = []
        for day in range(1, prep.days):
            changed = np.flatnonzero(u[day] != u[day - 1])
            if changed.size:
                events.append((day, {model.input_names[j]: float(u[day, j]) for j in changed}))
        return cls(model, registry, {p: float(prep.params[p][0]) for p in model.parameters},
                   dict(zip(model.state_names, map(float, prep.y0[:, 0]), strict=True)),
                   dict(zip(model.input_names, map(float, u[0]), strict=True)), tuple(events),
                   prep.days)

    def equations(self, units: bool = False) -> dict[str, str]:
        """``name -> infix formula`` for every variable and ``d<state>/dt``, in order; with
        ``units``, literal numbers carry SBML units."""
        return {k: _formula(v, units) for k, v in expressions(self.model).items()}

    def unit_id(self, unit: str) -> str:
        """The SBML unit identifier of a registry unit string."""
        if unit in DIMENSIONLESS:
            return "dimensionless"
        if unit not in UNITS:
            raise FMSimError(f"no SBML unit for {unit!r}; known: {[*DIMENSIONLESS, *UNITS]}")
        return "per_night" if unit == "1/night" else unit


def _check(code: int, what: str) -> None:
    import libsbml

    if code != libsbml.LIBSBML_OPERATION_SUCCESS:
        reason = libsbml.OperationReturnValue_toString(code)
        raise FMSimError(f"SBML export failed at {what}: {reason}")


def to_sbml(export: Export) -> str:
    """The model as SBML Level 3 Version 2 text (libsbml-consistent).

    Time is in days. States are parameters with rate rules (the model has no compartments or
    reactions), variables have assignment rules, inputs are set by events at ``time >= day``.
    """
    import libsbml

    model_def, registry = export.model, export.registry
    doc = libsbml.SBMLDocument(3, 2)
    m = doc.createModel()
    _check(m.setId(model_def.name.replace("-", "_")), "the model id")
    m.setName(f"FMSim {model_def.name}: {model_def.description}".strip(": "))
    _check(m.setNotes(f'<body xmlns="http://www.w3.org/1999/xhtml"><p>{escape(_notes(export))}'
                      "</p></body>"), "the model notes")
    for uid, (kind, scale) in UNITS.items():
        ud = m.createUnitDefinition()
        ud.setId("per_night" if uid == "1/night" else uid)
        unit = ud.createUnit()
        unit.setKind(libsbml.UnitKind_forName(kind))
        unit.setExponent(-1 if uid == "1/night" else 1)
        unit.setScale(0)
        unit.setMultiplier(scale if uid != "1/night" else 86400.0)
    m.setTimeUnits("day")

    def parameter(pid: str, value: float, unit: str, constant: bool, name: str = ""):
        p = m.createParameter()
        _check(p.setId(pid), f"parameter {pid}")
        p.setValue(value)
        p.setConstant(constant)
        p.setUnits(export.unit_id(unit))
        if name:
            p.setName(name)
        return p

    for pid in model_def.parameters:
        info = registry.parameters[pid]
        p = parameter(pid, export.params[pid], info.unit, True, info.description)
        p.setMetaId(f"meta_{pid}")
        _check(p.setAnnotation(
            f'<fmsim:parameter xmlns:fmsim="{NAMESPACE}" fmsim:tag="{info.tag}" '
            f'fmsim:evidence="{" ".join(info.evidence)}"/>'), f"annotation of {pid}")
    for s in model_def.states:
        parameter(s.name, export.initial[s.name], s.unit, False, s.description)
    for inp in model_def.inputs:
        parameter(inp.name, export.start[inp.name], inp.unit, False, inp.description)
    equations = export.equations(units=True)
    for v in model_def.variables:
        parameter(v.name, 0.0, v.unit, False, v.description)
        rule = m.createAssignmentRule()
        rule.setVariable(v.name)
        _check(rule.setMath(_ast(equations[v.name])), f"the equation of {v.name}")
    for s in model_def.states:
        rule = m.createRateRule()
        rule.setVariable(s.name)
        _check(rule.setMath(_ast(equations[f"d{s.name}/dt"])), f"the rate of {s.name}")
    input_units = {i.name: i.unit for i in model_def.inputs}
    for day, changed in export.events:
        e = m.createEvent()
        e.setId(f"day_{day}")
        e.setUseValuesFromTriggerTime(True)
        t = e.createTrigger()
        t.setInitialValue(False)
        t.setPersistent(True)
        t.setMath(_ast(f"time >= ({day} day)"))
        for name, value in changed.items():
            a = e.createEventAssignment()
            a.setVariable(name)
            a.setMath(_ast(f"{value!r} {export.unit_id(input_units[name])}"))
    return libsbml.writeSBMLToString(doc)


def _ast(formula: str):
    import libsbml

    ast = libsbml.parseL3Formula(formula)
    if ast is None:
        raise FMSimError(f"SBML export could not parse {formula!r}: "
                         f"{libsbml.getLastParseL3Error()}")
    return ast


def _notes(export: Export) -> str:
    keys = sorted({k for p in export.model.parameters
                   for k in export.registry.parameters[p].evidence})
    cited = "; ".join(f"[{k}] {export.registry.evidence[k].citation()}" for k in keys
                      if k in export.registry.evidence)
    return ("Exported by FMSim (research and education software, not a medical device). Time "
            f"in days; {export.days} days of inputs scheduled by events. Evidence: {cited}")


def to_antimony(export: Export) -> str:
    """The model as Antimony text: the same rules, values and events as :func:`to_sbml`, with
    each name's description, registry tag and evidence as comments."""
    model_def, registry = export.model, export.registry
    equations = export.equations()
    name = model_def.name.replace("-", "_")
    lines = [f"// FMSim {model_def.name}: {model_def.description}",
             "// Research and education software, not a medical device. Time in days.",
             f"model {name}()", "", "  // States (rate rules)"]
    for s in model_def.states:
        lines.append(f"  {s.name}' = {equations[f'd{s.name}/dt']}  // {s.description}")
    lines += ["", "  // Algebraic variables (assignment rules)"]
    for v in model_def.variables:
        lines.append(f"  {v.name} := {equations[v.name]}  // {v.description}")
    lines += ["", "  // Initial states"]
    lines += [f"  {s} = {export.initial[s]!r}" for s in model_def.state_names]
    lines += ["", "  // Inputs on day 0 (events below change them)"]
    for inp in model_def.inputs:
        lines.append(f"  var {inp.name} = {export.start[inp.name]!r}  // {inp.description}")
    lines += ["", "  // Parameters: value, unit, registry tag, evidence"]
    for pid in model_def.parameters:
        info = registry.parameters[pid]
        lines.append(f"  const {pid} = {export.params[pid]!r}  // [{info.unit}] {info.tag}; "
                     f"{', '.join(info.evidence)}; {info.description}")
    if export.events:
        lines += ["", "  // Daily input schedule (triggers, treatments)"]
    for day, changed in export.events:
        sets = ", ".join(f"{k} = {v!r}" for k, v in changed.items())
        lines.append(f"  day_{day}: at (time >= {day}), t0=false, fromTrigger=true: {sets}")
    lines += ["", "  // Units", "  unit day = 86400 second", "  unit h = 3600 second",
              "  unit per_night = 1 / day", "  time_unit = day"]
    for pid in model_def.parameters:
        lines.append(f"  {pid} has {export.unit_id(registry.parameters[pid].unit)}")
    lines += ["end", ""]
    return "\n".join(lines)
