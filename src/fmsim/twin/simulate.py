"""Diaries of virtual people whose truth is known: what the twin is checked against.

A scenario (one person, their triggers and treatments) runs in stochastic mode for its whole
length; the diary is its last ``days`` days as the measurement model answers them (ratings with
answer noise, sleep hours, activity minutes), with the scenario's drugs, exercise sessions and
triggers logged as a person would log them. With ``missing`` a share of the days has no row.
The truth beside it holds the person's parameters, the model's daily states over the diary and
everything the diary could not log (treatments without a diary column, exercise without a
program).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import FMSimError, whole_number
from ..instruments.measurement import MeasurementModel
from ..interventions.programs import attended, session_days
from ..model.models import ModelRef, model_name, resolve_model
from ..studies.scenario import ScenarioSpec, run_scenario
from .diary import DATES, DEFAULT_START, EVENTS, MIN_DAYS, NUMBERS, Diary
from .spec import TWIN_MODEL

__all__ = ["DEFAULT_START", "TRUTH_STATES", "DiaryTruth", "SimulatedDiary",
           "simulate_diary", "write_simulated"]

TRUTH_STATES = ("P", "Fat", "SQ", "D", "S", "Cog", "Act", "CS", "Pm", "DI", "G", "Np", "I")
"""The model quantities whose daily values the truth records (those the model has)."""

_EVENT_OF_TRIGGER = {kind: event for event, (kind, _) in EVENTS.items()}
"""Trigger kind -> the diary event that logs it (the inverse of :data:`.diary.EVENTS`)."""


@dataclass(frozen=True)
class DiaryTruth:
    """What produced a simulated diary: the ``scenario``, ``model`` and ``seed``; the diary's
    first day within the scenario (``first_day``); the person's ``parameters`` (every one of
    the model's: their preset's and the scenario's, the rest at the registry's values); the model's
    daily ``states`` over the diary; what the diary could not log (``unlogged``); and what each
    of the scenario's treatments did to pain within the diary (``effects``: SPEC -> its
    ``first`` and ``last`` diary day and the mean ``pain_change``, 0-10, against the same person
    without it on the same noise)."""

    scenario: str
    model: str
    seed: int
    first_day: int
    parameters: dict[str, float]
    states: dict[str, list[float]]
    unlogged: list[str] = field(default_factory=list)
    effects: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The truth as written to ``--truth`` (JSON-ready)."""
        return {"scenario": self.scenario, "model": self.model, "seed": self.seed,
                "first_day": self.first_day, "parameters": self.parameters,
                "states": self.states, "unlogged": self.unlogged, "effects": self.effects,
                "note": "simulated: a virtual person, not a patient"}


@dataclass(frozen=True)
class SimulatedDiary:
    """A simulated ``diary`` and its ``truth``."""

    diary: Diary
    truth: DiaryTruth


def simulate_diary(scenario: ScenarioSpec, days: int, seed: int = 0, missing: float = 0.0,
                   start: date = DEFAULT_START, model: ModelRef = TWIN_MODEL
                   ) -> SimulatedDiary:
    """The last ``days`` days of ``scenario`` as the person's diary, with the truth.

    Raises
    ------
    FMSimError
        For ``days`` outside :data:`~.diary.MIN_DAYS` to the scenario's length, ``missing``
        outside 0-0.9, so many missing days that fewer than :data:`~.diary.MIN_DAYS` days
        remain, or days outside :data:`~.diary.DATES`.
    """
    whole_number("seed", seed, 0, 2**63 - 1)
    whole_number("days", days, MIN_DAYS, scenario.days)
    if isinstance(missing, bool) or not isinstance(missing, int | float) or not (
            0 <= missing <= 0.9):
        raise FMSimError(f"missing is the share of days without a row, 0-0.9, not {missing!r}")
    if not DATES[0] <= start <= DATES[1] - timedelta(days=days - 1):
        raise FMSimError(f"a diary's days lie between {DATES[0]} and {DATES[1]}; {days} days "
                         f"from {start} do not")
    resolved = resolve_model(model)
    run = run_scenario(scenario, stochastic=True, seed=seed, model=resolved).dataset
    first = scenario.days - days
    window = slice(first, scenario.days)
    answers = MeasurementModel(seed, model=resolved.name).diary(run).isel(patient=0, day=window)
    kept = np.random.default_rng([seed, 21]).random(days) >= missing
    if kept.sum() < MIN_DAYS:
        raise FMSimError(f"with {missing:g} of days missing only {int(kept.sum())} of {days} "
                         f"remain; a diary needs at least {MIN_DAYS}: ask for more days or "
                         "fewer missing")
    logs, unlogged = _logs(scenario, first, days)
    records = []
    for d in np.flatnonzero(kept):
        row: dict[str, Any] = {"date": (start + timedelta(days=int(d))).isoformat()}
        row |= {name: float(answers[name].values[d]) for name in NUMBERS
                if name in answers}
        row |= {column: ";".join(items) for column, items in logs[d].items() if items}
        records.append(row)
    diary = Diary.from_records(records, "simulated diary")
    names = [n for n in TRUTH_STATES if n in run.coords["variable"].values]
    trajectory = run["trajectory"].isel(patient=0, day=window)
    shipped = model_name(resolved)
    truth = DiaryTruth(
        scenario.name, shipped if isinstance(shipped, str) else resolved.name, seed, first,
        {k: float(v) for k, v in sorted((resolved.registry.values()
                                         | scenario.params()).items())},
        {n: [round(float(x), 5) for x in trajectory.sel(variable=n).values] for n in names},
        unlogged, _effects(scenario, run, first, seed, resolved))
    return SimulatedDiary(diary, truth)


def _effects(scenario: ScenarioSpec, run: Any, first: int, seed: int, model: Any
             ) -> dict[str, dict[str, float]]:
    """What each treatment did to pain over its days within the diary (from ``first``): the
    scenario run again without it, on the same noise (the noise is seeded per person, not by
    the inputs)."""
    pain = 10 * run["trajectory"].isel(patient=0).sel(variable="P").values
    out = {}
    for t in scenario.treatments:
        days = np.arange(max(t.start_day, first), t.stop_day or scenario.days)
        if not days.size:
            continue
        others = tuple(x for x in scenario.treatments if x is not t)
        alone = run_scenario(replace(scenario, treatments=others), stochastic=True, seed=seed,
                             model=model).dataset
        without = 10 * alone["trajectory"].isel(patient=0).sel(variable="P").values
        out[str(t.spec)] = {"first": int(days[0] - first), "last": int(days[-1] - first),
                            "pain_change": round(float(np.mean(pain[days] - without[days])),
                                                 4)}
    return out


def _logs(scenario: ScenarioSpec, first: int, days: int
          ) -> tuple[list[dict[str, list[str]]], list[str]]:
    """Per diary day, what the person logs (``exercise``, ``medications``, ``events``), and
    the scenario's treatments and triggers a diary has no column for."""
    total = scenario.days
    logs: list[dict[str, list[str]]] = [{"exercise": [], "medications": [], "events": []}
                                        for _ in range(days)]
    unlogged = []

    def log(column: str, on: np.ndarray, item: str) -> None:
        for d in np.flatnonzero(on[first:]):
            logs[d][column].append(item)

    for t in scenario.treatments:
        on = t.on_days(total)
        for c in t.spec.components:
            if c.entry.kind == "drug":
                dose = "" if c.dose is None else f":{c.dose:g}"
                log("medications", on, c.entry.name + dose)
            elif c.entry.is_exercise:
                log("exercise", attended(session_days(on, t.start_day, c.dose), t.adherence),
                    c.entry.name)
            else:
                unlogged.append(f"{c.entry.name} from day {t.start_day} of the scenario")
    for trigger in scenario.triggers:
        event = _EVENT_OF_TRIGGER.get(trigger.kind)
        on = np.zeros(total, dtype=bool)
        if event == "bad-night":
            on[trigger.start_day:trigger.end_day] = True
        elif event is not None:
            on[trigger.start_day] = True
        if event is None or trigger.kind == "exercise":
            unlogged.append(f"{trigger.kind} trigger on day {trigger.start_day} of the scenario")
            continue
        if trigger.start_day < first and event != "bad-night":
            unlogged.append(f"{trigger.kind} on day {trigger.start_day}, before the diary")
        log("events", on, event)
    return logs, unlogged


def write_simulated(result: SimulatedDiary, out: str | Path,
                    truth: str | Path | None = None) -> list[Path]:
    """Write the diary (``.csv`` or ``.json``) and, if asked, the truth (JSON)."""
    written = [result.diary.write(out)]
    if truth is not None:
        path = Path(truth)
        path.write_text(json.dumps(result.truth.to_dict(), indent=1), encoding="utf-8")
        written.append(path)
    return written
