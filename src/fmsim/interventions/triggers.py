"""Triggers: time-limited inputs that can tip a vulnerable person into FM.

Each kind drives one model input for a number of days (DESIGN section 3; models.md section 11.7).

========================  =====================  ==========  =======  ========  ====================
kind                      model input            intensity   range    days      basis
========================  =====================  ==========  =======  ========  ====================
``injury``                ``injury`` (and, via   0.5         0-2      42        tissue injury:
                          coupling, inflammation)                               nociceptive input
                                                                                and inflammation
                                                                                for weeks (Vierck
                                                                                2006)
``infection``             ``infection``          1.0         0-4      10        inflammatory pulse
                                                                                (Dobreva 2021
                                                                                structure)
``acute-stress``          ``stress_input``       0.5         0-2      42        psychosocial
                                                                                stressor for weeks
                                                                                (Vierck 2012)
``sleep-fragmentation``   ``awakenings``         8 / night   0-32     3         Smith 2007 protocol
``exercise``              ``exercise``           1.0         0-4      1         one strenuous
                                                                                session
========================  =====================  ==========  =======  ========  ====================

An intensity is above 0 (a trigger of 0 would do nothing) and at most four times the kind's
default (:data:`MAX_FACTOR`): the general population's major events reach twice the default and
the built-in scenarios three times, so four leaves room to explore while refusing values that
mean nothing (an injury of 1e300 once ran and was exported to SBML). Days run from 0 to
:data:`MAX_DAY`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..choices import MAX_DAY
from ..errors import FMSimError, shown
from ..files import parse_number

__all__ = ["MAX_DAY", "MAX_FACTOR", "TRIGGER_KINDS", "Trigger", "TriggerKind", "check_triggers"]

MAX_FACTOR = 4.0
"""The largest trigger intensity, as a multiple of its kind's default."""


@dataclass(frozen=True)
class TriggerKind:
    """What a trigger kind drives and its defaults."""

    name: str
    input: str
    intensity: float
    duration_days: int
    unit: str
    description: str

    @property
    def max_intensity(self) -> float:
        """The largest intensity a trigger of this kind may have (:data:`MAX_FACTOR` times the
        default)."""
        return MAX_FACTOR * self.intensity


TRIGGER_KINDS: dict[str, TriggerKind] = {
    k.name: k
    for k in (
        TriggerKind("injury", "injury", 0.5, 42, "1",
                    "tissue injury: nociceptive input and inflammation for weeks"),
        TriggerKind("infection", "infection", 1.0, 10, "1", "infection: an inflammatory pulse"),
        TriggerKind("acute-stress", "stress_input", 0.5, 42, "1",
                    "psychosocial stressor lasting weeks"),
        TriggerKind("sleep-fragmentation", "awakenings", 8.0, 3, "awakenings/night",
                    "forced awakenings every night (Smith 2007: 8 a night for 3 nights)"),
        TriggerKind("exercise", "exercise", 1.0, 1, "1",
                    "strenuous exercise (1 = one 60-minute aerobic session a day)"),
    )
}


@dataclass(frozen=True)
class Trigger:
    """One trigger: ``kind`` from ``start_day`` for ``duration_days`` days at ``intensity``."""

    kind: str
    start_day: int
    duration_days: int
    intensity: float

    @classmethod
    def create(
        cls,
        kind: str,
        start_day: int,
        duration_days: int | None = None,
        intensity: float | None = None,
    ) -> Trigger:
        """Validate and fill defaults from the kind."""
        if not isinstance(kind, str) or kind not in TRIGGER_KINDS:
            raise FMSimError(
                f"unknown trigger kind {kind!r}; allowed: {', '.join(TRIGGER_KINDS)}"
            )
        spec = TRIGGER_KINDS[kind]
        duration = spec.duration_days if duration_days is None else duration_days
        level = spec.intensity if intensity is None else intensity
        for label, value in (("start_day", start_day), ("duration_days", duration)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise FMSimError(f"trigger {kind!r}: {label} must be a whole number of days, "
                                 f"not {shown(value)}")
        if not 0 <= start_day <= MAX_DAY:
            raise FMSimError(f"trigger {kind!r}: start_day must be from 0 to {MAX_DAY}, not "
                             f"{start_day}")
        if not 1 <= duration <= MAX_DAY:
            raise FMSimError(f"trigger {kind!r}: duration_days must be from 1 to {MAX_DAY}, not "
                             f"{duration}")
        if not isinstance(level, int | float) or isinstance(level, bool) or not (
            0 < level <= spec.max_intensity
        ):
            unit = "" if spec.unit == "1" else f" {spec.unit}"
            raise FMSimError(f"trigger {kind!r}: intensity must be a number above 0 and at most "
                             f"{spec.max_intensity:g}{unit} ({MAX_FACTOR:g} times the default "
                             f"{spec.intensity:g}), not {level!r}")
        return cls(kind, start_day, duration, float(level))

    @classmethod
    def parse(cls, text: str) -> Trigger:
        """A trigger from the command-line form ``KIND[:INTENSITY]@DAY[/DAYS]``, e.g.
        ``injury@30``, ``infection:0.8@30/14`` (defaults per kind)."""
        form = "KIND[:INTENSITY]@DAY[/DAYS], e.g. injury@30 or infection:0.8@30/14"
        if len(text) > 80:
            raise FMSimError(f"trigger {text[:40]!r}... is too long to be {form}")
        head, at, when = text.strip().partition("@")
        if not at:
            raise FMSimError(f"trigger {text!r} needs a start day: {form}")
        kind, colon, level = head.partition(":")
        start, slash, length = when.partition("/")

        def number(label: str, raw: str, kind_of: type):
            try:
                return parse_number(raw, whole=kind_of is int)
            except ValueError:
                raise FMSimError(f"trigger {text!r}: {label} {raw!r} is not a "
                                 f"{'whole number' if kind_of is int else 'number'} ({form})"
                                 ) from None

        return cls.create(kind.strip(), number("day", start, int),
                          number("days", length, int) if slash else None,
                          number("intensity", level, float) if colon else None)

    @property
    def end_day(self) -> int:
        """First day after the trigger."""
        return self.start_day + self.duration_days

    def apply(self, inputs: dict[str, np.ndarray], days: int) -> None:
        """Add this trigger to daily input arrays of length ``days`` (in place)."""
        name = TRIGGER_KINDS[self.kind].input
        series = inputs.setdefault(name, np.zeros(days))
        series[self.start_day : min(self.end_day, days)] += self.intensity


def check_triggers(triggers: tuple[Trigger, ...] | list[Trigger]) -> None:
    """Refuse triggers of one kind that overlap to more than the kind's largest intensity
    (overlapping triggers add up).

    Raises
    ------
    FMSimError
        Naming the kind, the day and the summed intensity.
    """
    for kind, spec in TRIGGER_KINDS.items():
        mine = [t for t in triggers if t.kind == kind]
        if len(mine) < 2:
            continue
        level = np.zeros(max(t.end_day for t in mine))
        for t in mine:
            level[t.start_day:t.end_day] += t.intensity
        if level.max() > spec.max_intensity * (1 + 1e-12):
            day = int(level.argmax())
            raise FMSimError(f"triggers {kind!r} overlap to an intensity of {level.max():g} on "
                             f"day {day}; at most {spec.max_intensity:g} ({MAX_FACTOR:g} times "
                             f"the default {spec.intensity:g}) at any time")
