"""Scenarios: one person, their triggers and treatments over a number of days, and the study
that runs them (``fmsim simulate``).

Schema of a scenario file (every key but ``person`` is optional)::

    description = "A vulnerable woman injured at day 30"
    person = "vulnerable"       # a preset of fmsim.population (healthy, vulnerable)
    days = 730                  # default length, 1-36500; `fmsim simulate --days` overrides it
    warmup_days = 365           # 0-36500, simulated first, without triggers, to reach the
                                # person's baseline

    [parameters]                # overrides of registry values for this person, each within
    genetic = 0.9               # its prior bounds (a parameter that does not vary between
                                # people keeps its registry value)

    [[triggers]]                # any number; kinds: see fmsim.interventions.triggers
    kind = "injury"
    start_day = 30
    duration_days = 42          # default per kind
    intensity = 0.5             # default per kind; above 0, at most 4 times it

    [[treatments]]              # any number; SPEC as in `fmsim trial` (catalog.toml)
    spec = "duloxetine:60"      # name[:dose] joined by + for combinations
    start_day = 200
    stop_day = 300              # optional: taken until (not including) this day
    adherence = 0.8             # optional, programs: share of sessions attended (default 1)
    minutes = 30                # optional, exercise programs: session length (catalog default)
    intensity = 0.5             # optional, exercise programs: 1 = strenuous (catalog default)

Built-in scenarios live in ``fmsim/studies/scenarios/NAME.toml``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np
import xarray as xr

from ..choices import MAX_DAYS
from ..engine import simulate
from ..errors import FMSimError, shown, whole_number
from ..files import parse_toml, read_text
from ..interventions.catalog import Treatment, check_schedule, treatment_inputs
from ..interventions.triggers import Trigger, check_triggers
from ..model.fm.outputs import SCORES
from ..model.models import ModelRef, resolve_model
from ..population import person

__all__ = ["MAX_DAYS", "SCENARIO_NAMES", "ScenarioResult", "ScenarioSpec", "check_parameters",
           "chronic_reference", "load_scenario", "parse_scenario", "run_scenario",
           "scenario_initial"]

_KEYS = {"description", "person", "days", "warmup_days", "parameters", "triggers", "treatments"}
_TREATMENT_OPTIONS = ("adherence", "minutes", "intensity")
_TREATMENT_KEYS = {"spec", "start_day", "stop_day", *_TREATMENT_OPTIONS}
_TRIGGER_KEYS = {"kind", "start_day", "duration_days", "intensity"}


def _builtin_dir():
    return resources.files("fmsim.studies").joinpath("scenarios")


SCENARIO_NAMES: tuple[str, ...] = tuple(
    sorted(p.name[:-5] for p in _builtin_dir().iterdir() if p.name.endswith(".toml"))
)


@dataclass(frozen=True)
class ScenarioSpec:
    """A person, their parameter overrides, triggers, treatments and a default duration."""

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

    def with_additions(self, treatments: tuple[Treatment, ...] = (),
                       triggers: tuple[Trigger, ...] = ()) -> ScenarioSpec:
        """This scenario with more treatments and triggers (as ``--treat`` and ``--trigger``
        add them), checked like a file's."""
        treatments, triggers = (*self.treatments, *treatments), (*self.triggers, *triggers)
        check_schedule(treatments)
        check_triggers(triggers)
        return replace(self, treatments=treatments, triggers=triggers)

    def check_days(self, days: int) -> int:
        """``days`` if every trigger and treatment starts within a run of that length.

        Raises
        ------
        FMSimError
            For a length outside 1-:data:`MAX_DAYS`, or a trigger or treatment that would
            start after the run's last day (it would do nothing).
        """
        days = whole_number("days", days, 1, MAX_DAYS)
        late = [f"trigger {t.kind!r} starts on day {t.start_day}" for t in self.triggers
                if t.start_day >= days]
        late += [f"treatment {str(t.spec)!r} starts on day {t.start_day}"
                 for t in self.treatments if t.start_day >= days]
        if late:
            raise FMSimError(f"scenario {self.name!r}: {'; '.join(late)}, after the run's last "
                             f"day {days - 1}; run longer (--days) or start it earlier")
        return days


def _tables(data: dict, key: str, allowed: set[str], required: tuple[str, ...]
            ) -> list[dict]:
    """The array of tables ``[[key]]``, each checked for unknown and missing keys."""
    tables = data.get(key, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise FMSimError(f"{key} must be an array of tables [[{key}]]")
    singular = key.rstrip("s")
    for table in tables:
        extra = sorted(set(table) - allowed)
        if extra:
            raise FMSimError(f"unknown {singular} key(s) {extra}; allowed: {sorted(allowed)}")
        if any(k not in table for k in required):
            raise FMSimError(f"each {singular} needs {' and '.join(repr(k) for k in required)}")
    return tables


def _text(data: dict, key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise FMSimError(f"{key!r} must be text in quotes, not {shown(value)}")
    return value


def _parameters(data: dict, model: ModelRef) -> dict[str, float]:
    """The ``[parameters]`` table, each value a number within the parameter's prior bounds (a
    parameter that does not vary between people has bounds of its registry value alone)."""
    params = data.get("parameters", {})
    if not isinstance(params, dict):
        raise FMSimError("[parameters] must be a table of name = number")
    registry = resolve_model(model).registry
    known = registry.parameters if registry else {}
    for key, value in params.items():
        if key not in known:
            raise FMSimError(f"unknown parameter {key!r}; `fmsim model params` lists them")
        if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
            raise FMSimError(f"parameter {key!r} must be a number, not {shown(value)}")
        lo, hi = known[key].prior.bounds
        if known[key].prior.dist == "bernoulli" and value not in (lo, hi):
            raise FMSimError(f"parameter {key!r} is {lo:g} or {hi:g} (yes or no), not {value:g}")
        if not lo <= value <= hi:
            where = (f"outside its prior bounds [{lo:g}, {hi:g}]" if known[key].prior.varies
                     else f"not its registry value {lo:g}: it does not vary between people, "
                     "so a scenario cannot set it")
            raise FMSimError(f"parameter {key!r} = {value:g} is {where}")
    return {k: float(v) for k, v in params.items()}


def check_parameters(values: Mapping[str, object], model: ModelRef = None) -> dict[str, float]:
    """Parameter values checked as a scenario's ``[parameters]`` table is (known, numbers,
    within their prior bounds, none that does not vary between people)."""
    return _parameters({"parameters": dict(values)}, model)


def parse_scenario(data: dict, name: str, model: ModelRef = None) -> ScenarioSpec:
    """Validate a scenario table (as read from TOML) and build a :class:`ScenarioSpec`;
    ``[parameters]`` are checked against ``model``'s registry.

    Raises
    ------
    FMSimError
        Naming the scenario, the key and what is allowed.
    """
    try:
        return _parse(data, name, model)
    except FMSimError as exc:
        text = str(exc)
        raise FMSimError(text if text.startswith(f"scenario {name!r}") else
                         f"scenario {name!r}: {text}") from None


def _parse(data: dict, name: str, model: ModelRef) -> ScenarioSpec:
    if not isinstance(data, dict):
        raise FMSimError(f"a scenario must be a table of keys, not {data!r}")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise FMSimError(f"unknown key(s) {unknown}; allowed: {sorted(_KEYS)}")
    if "person" not in data:
        raise FMSimError("'person' is required (e.g. person = \"healthy\")")
    preset = _text(data, "person")
    person(preset)  # validates the preset name
    triggers = [Trigger.create(t["kind"], t["start_day"], t.get("duration_days"),
                               t.get("intensity"))
                for t in _tables(data, "triggers", _TRIGGER_KEYS, ("kind", "start_day"))]
    treatments = [Treatment.create(t["spec"], t["start_day"], t.get("stop_day"),
                                   **{k: t[k] for k in _TREATMENT_OPTIONS if k in t})
                  for t in _tables(data, "treatments", _TREATMENT_KEYS, ("spec", "start_day"))]
    check_schedule(treatments)
    check_triggers(triggers)
    return ScenarioSpec(
        name=name,
        person=preset,
        description=_text(data, "description", ""),
        parameters=_parameters(data, model),
        triggers=tuple(triggers),
        treatments=tuple(treatments),
        days=whole_number("days", data.get("days", 730), 1, MAX_DAYS),
        warmup_days=whole_number("warmup_days", data.get("warmup_days", 365), 0, MAX_DAYS),
    )


def load_scenario(name_or_path: str | Path, model: ModelRef = None) -> ScenarioSpec:
    """Load a built-in scenario by name, or a scenario TOML file by path.

    Raises
    ------
    FMSimError
        For an unknown name, a missing, unreadable or malformed file, or an invalid scenario.
    """
    text = str(name_or_path)
    if not text.strip():
        raise FMSimError(f"the scenario is empty; give a built-in name "
                         f"({', '.join(SCENARIO_NAMES)}) or a .toml file")
    if text in SCENARIO_NAMES:
        source = _builtin_dir().joinpath(f"{text}.toml").read_text("utf-8")
        name = text
    else:
        path = Path(text)
        if not path.suffix == ".toml" and not path.exists():
            raise FMSimError(f"unknown scenario {text!r}; built-in scenarios: "
                             f"{', '.join(SCENARIO_NAMES)}, or give a path to a .toml file")
        name = path.stem
        source = read_text(path, "scenario file")
    return parse_scenario(parse_toml(source, f"scenario {name!r}"), name, model)


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """One person through a scenario: the spec and the engine's dataset (``trajectory``
    (patient, day, variable), ``final``, ``parameters``, ``inputs``; one patient)."""

    scenario: ScenarioSpec
    dataset: xr.Dataset

    @property
    def days(self) -> int:
        """Days simulated."""
        return int(self.dataset.sizes["day"])

    def score(self, name: str) -> np.ndarray:
        """A daily 0-10 diary score (``pain``, ``fatigue``, ...) of the person, per day."""
        return self.dataset["trajectory"].isel(patient=0).sel(variable=name).values

    def to_dict(self) -> dict:
        """The ``fmsim simulate --json`` object: ``scenario``, ``days``, the daily scores and
        ``final`` (state name -> value)."""
        final = self.dataset["final"].isel(patient=0)
        payload: dict = {"scenario": self.scenario.name, "days": self.days}
        payload.update({s: [round(float(v), 3) for v in self.score(s)] for s in SCORES})
        payload["final"] = {str(s): round(float(final.sel(state=s)), 6)
                            for s in final.coords["state"].values}
        return payload

    def marks(self) -> dict[str, int]:
        """The days worth a row in a summary: start and end, each trigger and treatment's start
        and end, 4 weeks into a treatment, and 30 and 180 days after the last trigger."""
        spec, n = self.scenario, self.days
        marks = {"start": 0, "last day": n - 1}
        for t in spec.triggers:
            marks.setdefault(f"{t.kind} starts", t.start_day)
            marks.setdefault(f"{t.kind} ends", t.end_day)
        for treatment in spec.treatments:
            marks.setdefault(f"{treatment.spec} starts", treatment.start_day)
            marks.setdefault(f"{treatment.spec} +4 weeks", treatment.start_day + 28)
            if treatment.stop_day is not None:
                marks.setdefault(f"{treatment.spec} stops", treatment.stop_day)
        if spec.trigger_end is not None:
            marks["30 days after"] = spec.trigger_end + 30
            marks["180 days after"] = spec.trigger_end + 180
        return {label: day for label, day in sorted(marks.items(), key=lambda kv: kv[1])
                if 0 <= day < n}

    def rows(self) -> list[tuple[str, ...]]:
        """The summary table, header first: day, what happens, and the six scores."""
        rows = [("day", "when", *(s.replace("_", " ") for s in SCORES))]
        rows += [(str(day), label, *(f"{self.score(s)[day]:.1f}" for s in SCORES))
                 for label, day in self.marks().items()]
        return rows

    @property
    def title(self) -> str:
        return f"{self.scenario.name}: {self.scenario.description}"

    def plot(self, path: str | Path) -> Path:
        """The six diary scores and the key hidden states over time (PNG)."""
        from .plots import plot_trajectory  # here: matplotlib only when drawing
        return plot_trajectory(self.dataset, path, title=self.title)


def run_scenario(
    scenario: ScenarioSpec,
    days: int | None = None,
    *,
    stochastic: bool = False,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    model: ModelRef = None,
) -> ScenarioResult:
    """Simulate a scenario for one person.

    The person is first run for ``warmup_days`` days deterministically without triggers, so that
    day 0 starts from their own baseline; then the scenario runs for ``days`` days (default: the
    scenario's own).

    Raises
    ------
    FMSimError
        For a length outside 1-36500 days, or a trigger or treatment that starts after it.
    """
    days = scenario.check_days(scenario.days if days is None else days)
    resolved = resolve_model(model)
    ds = simulate(resolved, days, scenario.params(), scenario.inputs(days),
                  scenario_initial(scenario, resolved), stochastic=stochastic, seed=seed,
                  progress=progress)
    ds.attrs.update(scenario=scenario.name, person=scenario.person,
                    description=scenario.description,
                    trigger_end=-1 if scenario.trigger_end is None else scenario.trigger_end)
    return ScenarioResult(scenario, ds)


def scenario_initial(scenario: ScenarioSpec, model: ModelRef = None) -> dict[str, float] | None:
    """The person's states on day 0: the end of ``warmup_days`` deterministic days without
    triggers (None without a warm-up: the states' own initial values)."""
    if not scenario.warmup_days:
        return None
    model = resolve_model(model)
    warm = simulate(model, scenario.warmup_days, scenario.params(), record=())
    return dict(zip(model.state_names, map(float, warm["final"].values[0]), strict=True))


def chronic_reference(days_after: int = 365, model: ModelRef = None) -> dict[str, float]:
    """The chronic FM reference woman: the final states of scenario ``vulnerable-injury``
    ``days_after`` days after the injury that tipped her (deterministic)."""
    spec = load_scenario("vulnerable-injury", model)
    ds = run_scenario(spec, spec.trigger_end + whole_number("days_after", days_after, 1, MAX_DAYS),
                      model=model).dataset
    return {str(s): float(v) for s, v in zip(ds.coords["state"].values, ds["final"].values[0],
                                             strict=True)}
