"""The treatment catalog and treatment schedules: from ``duloxetine:60`` to daily model inputs.

A treatment SPEC is ``name[:dose]`` joined by ``+`` for combinations (DESIGN section 5), e.g.
``duloxetine:60``, ``pregabalin:450``, ``placebo``. Drug doses are mg/day (ketamine: mg/kg, one
infusion). Each drug acts through its targets: exposure (:mod:`.pk`) -> occupancy -> optional
functional threshold -> effect onset -> a model input. Every treatment also puts the person in a
treatment context, which drives the expectation state (placebo response); context-only arms
(``placebo``, ``attention-control``, ``sham-acupuncture``, ``usual-care``) differ in its strength.

Combined effects on one input add by independent action: ``1 - prod(1 - e_i)``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from ..errors import FMSimError
from .pk import Infusion, InfusionPK, OralPK, effect_onset, infusion_daily_mean, occupancy
from .pk import oral_exposure as _oral_exposure

__all__ = [
    "AdverseEvent",
    "CatalogEntry",
    "Component",
    "Effect",
    "Treatment",
    "active_components",
    "combine",
    "context_of",
    "drug_effects",
    "load_catalog",
    "parse_spec",
    "session_days",
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
    """How one target's occupancy becomes a model input."""

    input: str
    target: str
    ed50: Value
    threshold: Value | None = None
    steepness: Value | None = None


@dataclass(frozen=True)
class AdverseEvent:
    """An adverse event driven by one of the drug's effects (hazard per day at full effect)."""

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
    effects: tuple[Effect, ...] = ()
    adverse: tuple[AdverseEvent, ...] = ()

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


@cache
def load_catalog() -> dict[str, CatalogEntry]:
    """The shipped catalog (``catalog.toml``)."""
    text = resources.files("fmsim.interventions").joinpath("catalog.toml").read_text("utf-8")
    out = {}
    for name, raw in tomllib.loads(text).items():
        constants = tuple((k, _value(v)) for k, v in raw.items()
                          if isinstance(v, dict) and "value" in v)
        effects = tuple(
            Effect(e["input"], e["target"], _value(e["ed50"]),
                   _value(e["threshold"]) if "threshold" in e else None,
                   _value(e["steepness"]) if "steepness" in e else None)
            for e in raw.get("effects", []))
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


def parse_spec(spec: str) -> tuple[Component, ...]:
    """Parse and validate ``name[:dose]+name[:dose]...``.

    Raises
    ------
    FMSimError
        For an unknown name (listing the available ones), a malformed dose, or a dose outside
        the labelled range (stating the range).
    """
    catalog = load_catalog()
    if not spec or not spec.strip():
        raise FMSimError("empty treatment SPEC; write name[:dose], e.g. duloxetine:60")
    parts = []
    for part in spec.split("+"):
        name, _, dose_text = part.strip().partition(":")
        name = name.strip().lower()
        if name not in catalog:
            raise FMSimError(f"unknown treatment {name!r}; available: {', '.join(catalog)}")
        entry = catalog[name]
        if entry.kind == "context":
            if dose_text:
                raise FMSimError(f"{name} takes no dose")
            parts.append(Component(entry, None))
            continue
        try:
            dose = float(dose_text) if dose_text else float(entry.default_dose)
        except ValueError:
            raise FMSimError(f"{name}: dose {dose_text!r} is not a number") from None
        lo, hi = entry.dose_range
        if not lo <= dose <= hi:
            raise FMSimError(f"{name} dose {dose:g} {entry.dose_unit} is outside its labelled "
                             f"range {lo:g}-{hi:g} {entry.dose_unit}")
        parts.append(Component(entry, dose))
    names = [p.entry.name for p in parts]
    if len(set(names)) != len(names):
        raise FMSimError(f"a treatment appears twice in {spec!r}")
    return tuple(parts)


@dataclass(frozen=True)
class Treatment:
    """A SPEC given from ``start_day`` until (not including) ``stop_day`` (None: to the end)."""

    spec: str
    start_day: int
    stop_day: int | None = None

    @classmethod
    def create(cls, spec: str, start_day: int, stop_day: int | None = None) -> Treatment:
        parse_spec(spec)
        for label, value in (("start_day", start_day), ("stop_day", stop_day)):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise FMSimError(f"treatment {spec!r}: {label} must be a whole number of days, "
                                 f"not {value!r}")
        if start_day < 0:
            raise FMSimError(f"treatment {spec!r}: start_day must be >= 0, not {start_day}")
        if stop_day is not None and stop_day <= start_day:
            raise FMSimError(f"treatment {spec!r}: stop_day {stop_day} must come after "
                             f"start_day {start_day}")
        return cls(spec, start_day, stop_day)

    def on_days(self, days: int) -> np.ndarray:
        """Boolean array: is the treatment being taken on each day."""
        on = np.zeros(days, dtype=bool)
        on[self.start_day : days if self.stop_day is None else min(self.stop_day, days)] = True
        return on


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
    saturation = dict(entry.constants).get("saturation_mg")
    pk = OralPK(entry.constant("half_life_h"), entry.constant("tmax_h"), entry.doses_per_day,
                saturation.value if saturation else None)
    exposure = _oral_exposure(pk, np.where(on, c.dose, 0.0))
    out = {}
    for e in entry.effects:
        effect = occupancy(exposure, e.ed50.value)
        if e.threshold is not None:
            effect = occupancy(effect, e.threshold.value, e.steepness.value)
        out[e.input] = effect_onset(effect, entry.constant("onset_days"))
    return out


def session_days(on: np.ndarray, start_day: int, per_week: float) -> np.ndarray:
    """Boolean array of session days: ``per_week`` sessions spread evenly over each week."""
    k = round(per_week)
    offsets = {(i * 7) // k for i in range(k)}
    days = np.arange(on.size)
    return on & np.isin((days - start_day) % 7, sorted(offsets))


def _program_inputs(c: Component, on: np.ndarray, start_day: int) -> dict[str, np.ndarray]:
    """An exercise program: session load, graded from ``start_fraction`` to full over
    ``graded_weeks`` weeks (1 = one strenuous 60-minute session)."""
    entry = c.entry
    sessions = session_days(on, start_day, c.dose)
    weeks = (np.arange(on.size) - start_day) / 7.0
    ramp = np.clip(entry.constant("start_fraction") + (1 - entry.constant("start_fraction"))
                   * weeks / entry.constant("graded_weeks"), 0, 1)
    load = entry.constant("intensity") * entry.constant("minutes") / 60.0
    return {"exercise": np.where(sessions, load * ramp, 0.0)}


def active_components(treatments, days: int):
    """``(treatment, days taken, component)`` for every component of every treatment that is
    taken at least once within ``days``."""
    for t in treatments:
        on = t.on_days(days)
        if on.any():
            for c in parse_spec(t.spec):
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
            for name, load in _program_inputs(c, on, t.start_day).items():
                inputs[name] = inputs.get(name, np.zeros(days)) + load
    return inputs
