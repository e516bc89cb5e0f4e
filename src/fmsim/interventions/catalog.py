"""The treatment catalog and treatment schedules: from ``duloxetine:60`` to daily model inputs.

A treatment SPEC is ``name[:dose]`` joined by ``+`` for combinations (DESIGN section 5), e.g.
``duloxetine:60``, ``pregabalin:450``, ``aerobic:3+cbt``. Drug doses are mg/day (ketamine: mg/kg,
one infusion); program doses are sessions a week. Each drug acts through its targets: exposure
(:mod:`.pk`) -> occupancy -> optional functional threshold -> effect onset -> a model input. Each
program acts through its sessions (:mod:`.programs`): an exercise load, and traces that each
attended session leaves in model inputs. Every treatment also puts the person in a treatment
context, which drives the expectation state (placebo response); context-only arms (``placebo``,
``attention-control``, ``sham-acupuncture``, ``usual-care``) differ in its strength.

Combined effects on one input add by independent action: ``1 - prod(1 - e_i)``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np

from ..choices import MAX_DAY
from ..errors import FMSimError, shown
from ..files import parse_number
from .pk import Infusion, InfusionPK, OralPK, effect_onset, infusion_daily_mean, occupancy
from .pk import oral_exposure as _oral_exposure
from .programs import attended, exercise_load, session_days, session_trace

__all__ = [
    "MAX_DAY",
    "AdverseEvent",
    "CatalogEntry",
    "Component",
    "Effect",
    "SessionEffect",
    "Treatment",
    "TreatmentSpec",
    "active_components",
    "arm_inputs",
    "check_schedule",
    "combination_problem",
    "combine",
    "context_of",
    "drug_effects",
    "load_catalog",
    "parse_spec",
    "program_inputs",
    "relative_exposure",
    "treatment_inputs",
]


@dataclass(frozen=True)
class Value:
    """A catalog constant with its tag and evidence."""

    value: float
    tag: str
    evidence: tuple[str, ...]
    unit: str = ""


@dataclass(frozen=True)
class Effect:
    """How one drug target's occupancy becomes a model input; ``onset_days`` overrides the
    drug's own effect onset for this target."""

    input: str
    target: str
    ed50: Value
    threshold: Value | None = None
    steepness: Value | None = None
    onset_days: Value | None = None

    def values(self) -> tuple[Value, ...]:
        return tuple(v for v in (self.ed50, self.threshold, self.steepness, self.onset_days)
                     if v is not None)


@dataclass(frozen=True)
class SessionEffect:
    """What each attended program session leaves in one model input (see
    :func:`.programs.session_trace`)."""

    input: str
    target: str
    per_session: Value
    persistence_days: Value

    def values(self) -> tuple[Value, ...]:
        return (self.per_session, self.persistence_days)


@dataclass(frozen=True)
class AdverseEvent:
    """An adverse event driven by one of the drug's effects (hazard per day at full effect), or
    by its exposure (``driver = "exposure"``: hazard per day at the exposure of the default
    dose, proportional to exposure)."""

    event: str
    driver: str
    hazard: Value


@dataclass(frozen=True)
class CatalogEntry:
    """One catalog entry: a drug or a context-only treatment (placebo)."""

    name: str
    kind: str
    description: str
    evidence: tuple[str, ...]
    route: str = ""
    dose_unit: str = ""
    default_dose: float | None = None
    dose_range: tuple[float, float] | None = None
    doses_per_day: int = 1
    constants: tuple[tuple[str, Value], ...] = ()
    effects: tuple[Effect | SessionEffect, ...] = ()
    adverse: tuple[AdverseEvent, ...] = ()

    @property
    def is_exercise(self) -> bool:
        """An exercise program: its sessions load the muscles (``minutes``, ``intensity``)."""
        return self.kind == "program" and any(k == "minutes" for k, _ in self.constants)

    def values(self) -> tuple[Value, ...]:
        """Every constant of the entry, its effects and its adverse events."""
        return (tuple(v for _, v in self.constants)
                + tuple(v for e in self.effects for v in e.values())
                + tuple(a.hazard for a in self.adverse))

    def constant(self, name: str, default: float | None = None) -> float | None:
        """A catalog constant's value; ``default`` if the entry does not define it."""
        values = dict(self.constants)
        if name not in values:
            if default is None:
                raise KeyError(f"{self.name} has no constant {name!r}")
            return default
        return values[name].value


def _value(raw) -> Value:
    return Value(float(raw["value"]), raw["tag"], tuple(raw["evidence"]), raw.get("unit", ""))


def _effect(raw) -> Effect | SessionEffect:
    if "per_session" in raw:
        return SessionEffect(raw["input"], raw["target"], _value(raw["per_session"]),
                             _value(raw["persistence_days"]))
    optional = {k: _value(raw[k]) for k in ("threshold", "steepness", "onset_days") if k in raw}
    return Effect(raw["input"], raw["target"], _value(raw["ed50"]), **optional)


@cache
def load_catalog() -> dict[str, CatalogEntry]:
    """The shipped catalog (``catalog.toml``)."""
    text = resources.files("fmsim.interventions").joinpath("catalog.toml").read_text("utf-8")
    out = {}
    for name, raw in tomllib.loads(text).items():
        constants = tuple((k, _value(v)) for k, v in raw.items()
                          if isinstance(v, dict) and "value" in v)
        effects = tuple(_effect(e) for e in raw.get("effects", []))
        out[name] = CatalogEntry(
            name=name, kind=raw["kind"], description=raw["description"],
            evidence=tuple(raw["evidence"]), route=raw.get("route", ""),
            dose_unit=raw.get("dose_unit", ""), default_dose=raw.get("default_dose"),
            dose_range=tuple(raw["dose_range"]) if "dose_range" in raw else None,
            doses_per_day=int(raw.get("doses_per_day", 1)), constants=constants,
            effects=effects,
            adverse=tuple(AdverseEvent(a["event"], a["driver"], _value(a["hazard"]))
                          for a in raw.get("adverse", [])))
    return out


@dataclass(frozen=True)
class Component:
    """One treatment in a SPEC, with its dose (None for context-only treatments)."""

    entry: CatalogEntry
    dose: float | None


def combination_problem(components: tuple[Component, ...]) -> str | None:
    """Why a combination of treatments has no meaning, or None. A context arm stands for what
    the active treatment lacks: usual care is nothing added, a placebo is the pill without the
    drug, attention control is the program's contact without the program, sham acupuncture is
    acupuncture without the needling. So usual care and two context arms combine with nothing,
    and the others not with what they stand in for (a placebo pill beside a program, as in a
    factorial design, is allowed)."""
    kinds = {c.entry.name: c.entry.kind for c in components}
    contexts = [name for name, kind in kinds.items() if kind == "context"]
    if len(components) < 2 or not contexts:
        return None
    if len(contexts) > 1:
        return f"{' and '.join(contexts)} are both context arms; give one"
    (context,) = contexts
    others = [name for name in kinds if name != context]
    if context == "usual-care":
        return "usual-care means no added treatment; it combines with nothing"
    stands_for = {"placebo": "drug", "attention-control": "program"}.get(context)
    clash = [n for n in others if kinds[n] == stands_for or
             (context == "sham-acupuncture" and n == "acupuncture")]
    if clash:
        return (f"{context} stands in for {', '.join(clash)} (the control without the active "
                f"treatment); compare them as separate arms")
    return None


@dataclass(frozen=True)
class TreatmentSpec:
    """A parsed treatment SPEC: its components, parsed and checked once.

    ``text`` is the SPEC as given (how reports name the arm); two specs are the same treatment
    when their components are (``duloxetine`` and ``duloxetine:60`` are).
    """

    components: tuple[Component, ...]
    text: str = field(default="", compare=False)

    @classmethod
    def parse(cls, spec: str | TreatmentSpec) -> TreatmentSpec:
        """Parse and validate ``name[:dose]+name[:dose]...`` (a parsed spec passes through).

        Raises
        ------
        FMSimError
            For an unknown name (listing the available ones), a malformed or missing dose, a
            dose outside the labelled range (stating the range), a treatment named twice, or a
            combination without meaning (see :func:`combination_problem`).
        """
        if isinstance(spec, TreatmentSpec):
            return spec
        if not isinstance(spec, str):
            raise FMSimError(f"a treatment SPEC is text such as 'duloxetine:60', not {spec!r}")
        catalog = load_catalog()
        if not spec.strip():
            raise FMSimError("empty treatment SPEC; write name[:dose], e.g. duloxetine:60")
        parts = []
        for part in spec.split("+"):
            name, colon, dose_text = part.strip().partition(":")
            name = name.strip().lower()
            if not name:
                raise FMSimError(f"{spec!r} has an empty part; write name[:dose] joined by +, "
                                 "e.g. aerobic:3+duloxetine:60")
            if name not in catalog:
                raise FMSimError(f"unknown treatment {name!r}; available: {', '.join(catalog)}")
            entry = catalog[name]
            if entry.kind == "context":
                if colon:
                    raise FMSimError(f"{name} takes no dose")
                parts.append(Component(entry, None))
                continue
            if colon and not dose_text.strip():
                raise FMSimError(f"{name}: the dose after ':' is missing; write {name} (default "
                                 f"{entry.default_dose:g} {entry.dose_unit}) or {name}:DOSE")
            try:
                dose = parse_number(dose_text) if colon else float(entry.default_dose)
            except ValueError:
                raise FMSimError(f"{name}: dose {dose_text!r} is not a number") from None
            lo, hi = entry.dose_range
            if not lo <= dose <= hi:
                raise FMSimError(f"{name} dose {dose:.10g} {entry.dose_unit} is outside its "
                                 f"labelled range {lo:g}-{hi:g} {entry.dose_unit}")
            parts.append(Component(entry, dose))
        names = [p.entry.name for p in parts]
        if len(set(names)) != len(names):
            raise FMSimError(f"a treatment appears twice in {spec!r}")
        problem = combination_problem(tuple(parts))
        if problem:
            raise FMSimError(f"{spec!r}: {problem}")
        return cls(tuple(parts), spec.strip())

    def __str__(self) -> str:
        return self.text or "+".join(
            c.entry.name if c.dose is None else f"{c.entry.name}:{c.dose:g}"
            for c in self.components)

    @property
    def names(self) -> tuple[str, ...]:
        """The catalog names of the components."""
        return tuple(c.entry.name for c in self.components)

    @property
    def has_program(self) -> bool:
        """Whether a component is a program (sessions, adherence)."""
        return any(c.entry.kind == "program" for c in self.components)

    @property
    def has_exercise(self) -> bool:
        """Whether a component is an exercise program (session minutes and intensity)."""
        return any(c.entry.is_exercise for c in self.components)


def parse_spec(spec: str | TreatmentSpec) -> TreatmentSpec:
    """Parse and validate a treatment SPEC (see :meth:`TreatmentSpec.parse`)."""
    return TreatmentSpec.parse(spec)


PROGRAM_OPTIONS = {
    "adherence": ((0.0, 1.0), "share of the program's sessions attended"),
    "minutes": ((5.0, 180.0), "minutes of each exercise session"),
    "intensity": ((0.1, 1.0), "exercise intensity, 1 = strenuous"),
}
"""Optional program settings: name -> ((lowest, highest), meaning)."""


def _day(value, label: str, spec: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise FMSimError(f"treatment {str(spec)!r}: {label} must be a whole number of days, "
                         f"not {shown(value)}")
    if not 0 <= value <= MAX_DAY:
        raise FMSimError(f"treatment {str(spec)!r}: {label} must be from 0 to {MAX_DAY}, not "
                         f"{value}")
    return value


@dataclass(frozen=True)
class Treatment:
    """A treatment SPEC given from ``start_day`` until (not including) ``stop_day`` (None: to
    the end).

    ``adherence`` (default 1) applies to every program in the SPEC; ``minutes`` and
    ``intensity`` override the catalog's session for its exercise programs.
    """

    spec: TreatmentSpec
    start_day: int
    stop_day: int | None = None
    adherence: float = 1.0
    minutes: float | None = None
    intensity: float | None = None

    @classmethod
    def create(cls, spec: str | TreatmentSpec, start_day: int, stop_day: int | None = None,
               adherence: float = 1.0, minutes: float | None = None,
               intensity: float | None = None) -> Treatment:
        """Validate a scheduled treatment; ``spec`` is parsed if given as text."""
        parsed = TreatmentSpec.parse(spec)
        _day(start_day, "start_day", parsed)
        if stop_day is not None:
            _day(stop_day, "stop_day", parsed)
            if stop_day <= start_day:
                raise FMSimError(f"treatment {str(parsed)!r}: stop_day {stop_day} must come "
                                 f"after start_day {start_day}")
        options = {"adherence": adherence, "minutes": minutes, "intensity": intensity}
        for name, value in options.items():
            if value is None:
                continue
            (lo, hi), meaning = PROGRAM_OPTIONS[name]
            if (isinstance(value, bool) or not isinstance(value, int | float)
                    or not lo <= value <= hi):
                raise FMSimError(f"treatment {str(parsed)!r}: {name} ({meaning}) must be a "
                                 f"number from {lo:g} to {hi:g}, not {shown(value)}")
        if adherence != 1.0 and not parsed.has_program:
            programs = ", ".join(n for n, e in load_catalog().items() if e.kind == "program")
            raise FMSimError(f"treatment {str(parsed)!r}: adherence applies to programs "
                             f"({programs})")
        if (minutes is not None or intensity is not None) and not parsed.has_exercise:
            exercise = ", ".join(n for n, e in load_catalog().items() if e.is_exercise)
            raise FMSimError(f"treatment {str(parsed)!r}: minutes and intensity apply to "
                             f"exercise programs ({exercise})")
        return cls(parsed, start_day, stop_day, float(adherence), minutes, intensity)

    @property
    def end_day(self) -> float:
        """The first day without the treatment (infinity when it never stops)."""
        return float("inf") if self.stop_day is None else self.stop_day

    def on_days(self, days: int) -> np.ndarray:
        """Boolean array: is the treatment being taken on each day."""
        on = np.zeros(days, dtype=bool)
        on[self.start_day : days if self.stop_day is None else min(self.stop_day, days)] = True
        return on


def _period(t: Treatment) -> str:
    return f"days {t.start_day}-{'end' if t.stop_day is None else t.stop_day - 1}"


def check_schedule(treatments: tuple[Treatment, ...] | list[Treatment]) -> None:
    """Refuse a schedule whose blocks, where they overlap, mean nothing together: one catalog
    treatment given twice at once (its doses would be counted twice), or a combination
    :class:`TreatmentSpec` refuses within one SPEC (two context arms, a placebo with a drug).
    One block after the other (a course repeated, placebo then the drug) is allowed.

    Raises
    ------
    FMSimError
        Naming the treatments and the two periods.
    """
    for i, a in enumerate(treatments):
        for b in treatments[i + 1:]:
            if not (a.start_day < b.end_day and b.start_day < a.end_day):
                continue
            both = sorted(set(a.spec.names) & set(b.spec.names))
            problem = (f"{', '.join(both)} is given twice at once" if both else
                       combination_problem(a.spec.components + b.spec.components))
            if problem:
                raise FMSimError(f"{str(a.spec)!r} ({_period(a)}) and {str(b.spec)!r} "
                                 f"({_period(b)}) overlap: {problem}; give one treatment per "
                                 "period")


def _oral(c: Component, on: np.ndarray) -> np.ndarray:
    """Daily exposure (steady-state-equivalent mg/day) of an oral drug taken on the days ``on``."""
    entry = c.entry
    saturation = dict(entry.constants).get("saturation_mg")
    pk = OralPK(entry.constant("half_life_h"), entry.constant("tmax_h"), entry.doses_per_day,
                saturation.value if saturation else None)
    return _oral_exposure(pk, np.where(on, c.dose, 0.0))


def drug_effects(c: Component, on: np.ndarray, start_day: int) -> dict[str, np.ndarray]:
    """One drug's own daily effects (model input -> 0-1) while taken on the days ``on``."""
    entry = c.entry
    days = on.size
    if entry.route == "iv":
        pk = InfusionPK(entry.constant("half_life_h"), entry.constant("volume_l_per_kg"))
        infusion = Infusion(start_day, c.dose, entry.constant("infusion_h"))
        occ = {e.input: infusion_daily_mean(pk, [infusion], days, e.ed50.value)
               for e in entry.effects}
        return occ if start_day < days else {}
    exposure = _oral(c, on)
    out = {}
    for e in entry.effects:
        effect = occupancy(exposure, e.ed50.value)
        if e.threshold is not None:
            effect = occupancy(effect, e.threshold.value, e.steepness.value)
        onset = e.onset_days.value if e.onset_days else entry.constant("onset_days")
        out[e.input] = effect_onset(effect, onset)
    return out


def relative_exposure(c: Component, on: np.ndarray) -> np.ndarray:
    """An oral drug's daily exposure as a multiple of its default dose's steady state (linear
    pharmacokinetics: 1 at the default dose, 4/3 at 600 mg/day of pregabalin)."""
    if c.entry.route == "iv":
        raise FMSimError(f"{c.entry.name}: exposure-driven adverse events need an oral drug")
    return _oral(c, on) / c.entry.default_dose


def program_inputs(c: Component, t: Treatment, on: np.ndarray) -> dict[str, np.ndarray]:
    """One program's daily inputs: the exercise load of its attended sessions (exercise
    programs) and the trace each of its effects leaves (see :mod:`.programs`)."""
    entry = c.entry
    sessions = attended(session_days(on, t.start_day, c.dose), t.adherence)
    out = {}
    if entry.is_exercise:
        minutes = t.minutes if t.minutes is not None else entry.constant("minutes")
        intensity = t.intensity if t.intensity is not None else entry.constant("intensity")
        out["exercise"] = exercise_load(sessions, t.start_day, intensity * minutes / 60.0,
                                        entry.constant("start_fraction"),
                                        entry.constant("graded_weeks"))
    for e in entry.effects:
        out[e.input] = session_trace(sessions, e.per_session.value, e.persistence_days.value)
    return out


def active_components(treatments, days: int):
    """``(treatment, days taken, component)`` for every component of every treatment that is
    taken at least once within ``days``."""
    for t in treatments:
        on = t.on_days(days)
        if on.any():
            for c in t.spec.components:
                yield t, on, c


def context_of(c: Component, on: np.ndarray, start_day: int) -> np.ndarray:
    """The treatment context (0-1) one component creates: every day it is taken, or the one
    visit of an infusion, at the entry's ``context_strength`` (default 1)."""
    strength = c.entry.constant("context_strength", 1.0)
    if c.entry.route == "iv":
        visit = np.zeros(on.size)
        visit[start_day] = strength
        return visit
    return strength * on


def combine(inputs: dict[str, np.ndarray], name: str, effect: np.ndarray) -> None:
    """Add an effect to ``inputs[name]`` by independent action: ``1 - (1 - a)(1 - b)``."""
    current = inputs.get(name, np.zeros(effect.size))
    inputs[name] = 1 - (1 - current) * (1 - np.clip(effect, 0, 1))


def treatment_inputs(treatments: tuple[Treatment, ...] | list[Treatment], days: int
                     ) -> dict[str, np.ndarray]:
    """Daily model inputs (length ``days``) produced by a list of treatments."""
    inputs: dict[str, np.ndarray] = {}
    for t, on, c in active_components(treatments, days):
        combine(inputs, "treatment_context", context_of(c, on, t.start_day))
        if c.entry.kind == "drug":
            for name, effect in drug_effects(c, on, t.start_day).items():
                combine(inputs, name, effect)
        elif c.entry.kind == "program":
            for name, level in program_inputs(c, t, on).items():
                if name == "exercise":  # session loads add up
                    inputs[name] = inputs.get(name, np.zeros(days)) + level
                else:
                    combine(inputs, name, level)
    return inputs


def arm_inputs(arms: list[list[Treatment]], days: int) -> dict[str, np.ndarray]:
    """Daily inputs of several arms side by side, shape ``(len(arms), days)``: arm ``j`` (a
    list of treatments, empty for no treatment) is patient ``j`` of one simulation."""
    per_arm = [treatment_inputs(arm, days) for arm in arms]
    names = set().union(*per_arm)
    return {k: np.stack([u.get(k, np.zeros(days)) for u in per_arm], axis=0) for k in names}
