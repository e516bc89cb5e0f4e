"""Scenarios as data: a person, triggers and a duration, read from TOML.

Schema (every key but ``person`` is optional)::

    description = "A vulnerable woman injured at day 30"
    person = "vulnerable"       # a preset of fmsim.population (healthy, vulnerable)
    days = 730                  # default length; `fmsim simulate --days` overrides it
    warmup_days = 365           # simulated first, without triggers, to reach the person's baseline

    [parameters]                # overrides of registry values for this person
    genetic = 0.9

    [[triggers]]                # any number; kinds: see fmsim.interventions.triggers
    kind = "injury"
    start_day = 30
    duration_days = 42          # default per kind
    intensity = 0.5             # default per kind

    [[treatments]]              # any number; SPEC as in `fmsim trial` (catalog.toml)
    spec = "duloxetine:60"      # name[:dose] joined by + for combinations
    start_day = 200
    stop_day = 300              # optional: taken until (not including) this day
    adherence = 0.8             # optional, programs: share of sessions attended (default 1)
    minutes = 30                # optional, exercise programs: session length (catalog default)
    intensity = 0.5             # optional, exercise programs: 1 = strenuous (catalog default)

Built-in scenarios live in ``fmsim/interventions/scenarios/NAME.toml``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import xarray as xr

from ..engine import simulate
from ..errors import FMSimError
from ..model.fm import fm_model
from ..model.registry import load_registry
from ..population import person
from .catalog import Treatment, treatment_inputs
from .triggers import Trigger

__all__ = ["SCENARIO_NAMES", "Scenario", "chronic_reference", "load_scenario", "parse_scenario",
           "run_scenario"]

_KEYS = {"description", "person", "days", "warmup_days", "parameters", "triggers", "treatments"}
_TREATMENT_OPTIONS = ("adherence", "minutes", "intensity")
_TREATMENT_KEYS = {"spec", "start_day", "stop_day", *_TREATMENT_OPTIONS}
_TRIGGER_KEYS = {"kind", "start_day", "duration_days", "intensity"}


def _builtin_dir():
    return resources.files("fmsim.interventions").joinpath("scenarios")


SCENARIO_NAMES: tuple[str, ...] = tuple(
    sorted(p.name[:-5] for p in _builtin_dir().iterdir() if p.name.endswith(".toml"))
)


@dataclass(frozen=True)
class Scenario:
    """A person, their parameter overrides, triggers and a default duration."""

    name: str
    person: str
    description: str = ""
    parameters: dict[str, float] = field(default_factory=dict)
    triggers: tuple[Trigger, ...] = ()
    treatments: tuple[Treatment, ...] = ()
    days: int = 730
    warmup_days: int = 365

    def params(self) -> dict[str, float]:
        """The person preset with this scenario's overrides."""
        return {**person(self.person), **self.parameters}

    def inputs(self, days: int) -> dict[str, np.ndarray]:
        """Daily input arrays of length ``days`` with every treatment and trigger applied."""
        inputs: dict[str, np.ndarray] = treatment_inputs(self.treatments, days)
        for trigger in self.triggers:
            trigger.apply(inputs, days)
        return inputs

    @property
    def trigger_end(self) -> int | None:
        """First day after the last trigger, or None without triggers."""
        return max((t.end_day for t in self.triggers), default=None)


def _whole(name: str, value, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise FMSimError(f"scenario key {name!r} must be a whole number >= {minimum}, "
                         f"not {value!r}")
    return value


def _tables(data: dict, key: str, allowed: set[str], required: tuple[str, ...],
            name: str) -> list[dict]:
    """The array of tables ``[[key]]``, each checked for unknown and missing keys."""
    tables = data.get(key, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise FMSimError(f"scenario {name!r}: {key} must be an array of tables [[{key}]]")
    singular = key.rstrip("s")
    for table in tables:
        extra = sorted(set(table) - allowed)
        if extra:
            raise FMSimError(f"scenario {name!r}: unknown {singular} key(s) {extra}; allowed: "
                             f"{sorted(allowed)}")
        if any(k not in table for k in required):
            raise FMSimError(f"scenario {name!r}: each {singular} needs "
                             f"{' and '.join(repr(k) for k in required)}")
    return tables


def parse_scenario(data: dict, name: str) -> Scenario:
    """Validate a scenario table (as read from TOML) and build a :class:`Scenario`."""
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise FMSimError(f"scenario {name!r}: unknown key(s) {unknown}; allowed: {sorted(_KEYS)}")
    if "person" not in data:
        raise FMSimError(f"scenario {name!r}: 'person' is required (e.g. person = \"healthy\")")
    person(str(data["person"]))  # validates the preset name
    known = load_registry().parameters
    params = data.get("parameters", {})
    if not isinstance(params, dict):
        raise FMSimError(f"scenario {name!r}: [parameters] must be a table of name = number")
    for key, value in params.items():
        if key not in known:
            raise FMSimError(f"scenario {name!r}: unknown parameter {key!r}")
        lo, hi = known[key].prior.bounds
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise FMSimError(f"scenario {name!r}: parameter {key!r} must be a number")
        if known[key].prior.varies and not lo <= value <= hi:
            raise FMSimError(f"scenario {name!r}: parameter {key!r} = {value} is outside its "
                             f"prior bounds [{lo}, {hi}]")
    triggers = [Trigger.create(t["kind"], t["start_day"], t.get("duration_days"),
                               t.get("intensity"))
                for t in _tables(data, "triggers", _TRIGGER_KEYS, ("kind", "start_day"), name)]
    treatments = [Treatment.create(t["spec"], t["start_day"], t.get("stop_day"),
                                   **{k: t[k] for k in _TREATMENT_OPTIONS if k in t})
                  for t in _tables(data, "treatments", _TREATMENT_KEYS, ("spec", "start_day"),
                                   name)]
    return Scenario(
        name=name,
        person=str(data["person"]),
        description=str(data.get("description", "")),
        parameters={k: float(v) for k, v in params.items()},
        triggers=tuple(triggers),
        treatments=tuple(treatments),
        days=_whole("days", data.get("days", 730), 1),
        warmup_days=_whole("warmup_days", data.get("warmup_days", 365), 0),
    )


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name, or a scenario TOML file by path.

    Raises
    ------
    FMSimError
        For an unknown name, a missing or malformed file, or an invalid scenario.
    """
    text = str(name_or_path)
    if text in SCENARIO_NAMES:
        source = _builtin_dir().joinpath(f"{text}.toml").read_text("utf-8")
        name = text
    else:
        path = Path(text)
        if not path.suffix == ".toml" and not path.exists():
            raise FMSimError(f"unknown scenario {text!r}; built-in scenarios: "
                             f"{', '.join(SCENARIO_NAMES)}, or give a path to a .toml file")
        if not path.is_file():
            raise FMSimError(f"scenario file {text!r} does not exist")
        source = path.read_text("utf-8")
        name = path.stem
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise FMSimError(f"scenario {name!r} is not valid TOML: {exc}") from None
    return parse_scenario(data, name)


def run_scenario(
    scenario: Scenario,
    days: int | None = None,
    *,
    stochastic: bool = False,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> xr.Dataset:
    """Simulate a scenario for one person.

    The person is first run for ``warmup_days`` days deterministically without triggers, so that
    day 0 starts from their own baseline; then the scenario runs for ``days`` days (default: the
    scenario's own).
    """
    days = scenario.days if days is None else _whole("days", days, 1)
    ds = simulate(fm_model(), days, scenario.params(), scenario.inputs(days),
                  scenario_initial(scenario), stochastic=stochastic, seed=seed,
                  progress=progress)
    ds.attrs.update(scenario=scenario.name, person=scenario.person,
                    description=scenario.description,
                    trigger_end=-1 if scenario.trigger_end is None else scenario.trigger_end)
    return ds


def scenario_initial(scenario: Scenario) -> dict[str, float] | None:
    """The person's states on day 0: the end of ``warmup_days`` deterministic days without
    triggers (None without a warm-up: the states' own initial values)."""
    if not scenario.warmup_days:
        return None
    model = fm_model()
    warm = simulate(model, scenario.warmup_days, scenario.params(), record=())
    return dict(zip(model.state_names, map(float, warm["final"].values[0]), strict=True))


def chronic_reference(days_after: int = 365) -> dict[str, float]:
    """The chronic FM reference woman: the final states of scenario ``vulnerable-injury``
    ``days_after`` days after the injury that tipped her (deterministic)."""
    spec = load_scenario("vulnerable-injury")
    ds = run_scenario(spec, spec.trigger_end + _whole("days_after", days_after, 1))
    return {str(s): float(v) for s, v in zip(ds.coords["state"].values, ds["final"].values[0],
                                             strict=True)}
