"""A person's daily diary: its format, reading it whole or not at all, and what it tells the
model.

One row per day, as CSV (a header row) or JSON (a list of objects with the same keys):

=====================  ==============================================================
column                 what it holds
=====================  ==============================================================
``date``               the day, ``YYYY-MM-DD`` (1900-2199); each day once, in order;
                       days may be missing (a day without a row is a day not logged)
``pain`` ...           0-10 ratings of ``pain``, ``fatigue``, ``sleep_quality`` (10 =
                       the best night), ``mood`` (10 = the lowest), ``stress`` and
                       ``cognitive`` (difficulty); any may be blank
``sleep_hours``        hours slept, 0-24
``activity_minutes``   minutes of physical activity (walking, chores, exercise), 0-1440
``exercise``           the exercise program(s) of the treatment catalog done that day
                       (``aerobic``, ``resistance``, ...), one session each
``medications``        catalog drug SPECs taken that day (``duloxetine:60``), each drug
                       once, at the day's dose
``events``             ``injury``, ``infection``, ``stressor``, ``bad-night``, each once
=====================  ==============================================================

Several names in one cell are joined by ``;`` (in JSON, a list of names also serves); names are
read whatever their letter case. Only ``date`` is required (and a pain rating on at least
:data:`MIN_DAYS` days); every other column may be left out. A diary that breaks any rule is
refused with every bad cell named by row and column (:class:`DiaryError`), and nothing of it is
kept.

What a diary tells the model (:meth:`Diary.treatments`, :meth:`Diary.triggers`): a drug is
taken from the first to the last day of each run of days that log it (a day without a row does
not break a run, a logged day without the drug does); an exercise session is the catalog
session's muscle load on its day (an ``exercise`` trigger; a program's other session effects,
such as warm water's, are not applied); an event starts the trigger of its kind
(:data:`EVENTS`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import FMSimError
from ..files import parse_number, read_records
from ..interventions.catalog import Treatment, TreatmentSpec, load_catalog, treatment_inputs
from ..interventions.triggers import Trigger

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["COLUMNS", "DEFAULT_START", "EVENTS", "MAX_DAYS", "MIN_DAYS", "NUMBERS", "RATINGS",
           "Diary", "DiaryError", "DiaryProblem", "iso_date", "read_diary"]

RATINGS = ("pain", "fatigue", "sleep_quality", "mood", "stress", "cognitive")
"""The 0-10 ratings a diary may hold (the measurement model's diary scores)."""

NUMBERS: dict[str, tuple[float, float]] = {**{r: (0.0, 10.0) for r in RATINGS},
                                           "sleep_hours": (0.0, 24.0),
                                           "activity_minutes": (0.0, 1440.0)}
"""Numeric columns and the range each value must lie in."""

EVENTS: dict[str, tuple[str, int | None]] = {
    "injury": ("injury", None),
    "infection": ("infection", None),
    "stressor": ("acute-stress", None),
    "bad-night": ("sleep-fragmentation", 1),
}
"""Diary event -> (trigger kind, days; None: the kind's default, as ``fmsim simulate
--trigger`` gives it). A bad night is one night of the sleep-fragmentation protocol."""

LISTS = ("exercise", "medications", "events")
"""The columns that hold names (several joined by ``;``, or in JSON a list of them)."""

COLUMNS = ("date", *NUMBERS, *LISTS)
"""Every column a diary may have, in the order a diary is written."""

DEFAULT_START = date(2026, 1, 5)
"""The date of a simulated diary's first day (a Monday), unless another is given."""

MIN_DAYS = 14
"""The fewest days with a pain rating a diary must hold: two weeks, the shortest span over
which a weekly mean and a day-to-day spread can both be read."""

MAX_DAYS = 3660
"""The longest span from first to last date (ten years)."""

MAX_ROWS = MAX_DAYS

DATES = (date(1900, 1, 1), date(2199, 12, 31))
"""The dates a diary's days may fall on (first, last): a person's own days, with room after
them for what-ifs of up to two years."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def iso_date(text: str) -> date:
    """``text`` as a date written ``YYYY-MM-DD`` (``date.fromisoformat`` alone would also take
    ``20260105`` or ``2026-W01-1``).

    Raises
    ------
    ValueError
        For any other text.
    """
    if _DATE.fullmatch(text) is None:
        raise ValueError(f"{text!r} is not written YYYY-MM-DD")
    return date.fromisoformat(text)


SHOWN = 60
"""The most characters of a bad cell that a message repeats (the JSON problems keep it
whole)."""


@dataclass(frozen=True)
class DiaryProblem:
    """One bad cell: its ``row`` (counting data rows from 1; 0 for the header or the diary as
    a whole), ``column``, the ``value`` found and why it is refused."""

    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = (f"row {self.row}, column {self.column}" if self.row else
                 f"column {self.column}" if self.column else "header")
        value = self.value if len(self.value) <= SHOWN else self.value[:SHOWN] + "..."
        found = f" {value!r}" if value else ""
        return f"{where}:{found} {self.reason}"


class DiaryError(FMSimError):
    """A diary refused, with every problem found (:attr:`problems`)."""

    def __init__(self, source: str, problems: list[DiaryProblem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s); nothing was read:\n{lines}")


def _cell(value: Any) -> str:
    """A cell as text (JSON numbers and null as a CSV would hold them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value).strip()


def _nested(value: Any, listed: bool) -> bool:
    """Whether a JSON cell is an object or a list where none may be (a list only of plain
    values, and only in a ``listed`` column)."""
    if isinstance(value, list):
        return not listed or any(isinstance(item, (list, dict)) for item in value)
    return isinstance(value, dict)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


@dataclass(frozen=True, eq=False)
class Diary:
    """A validated diary (build one with :meth:`from_records` or :func:`read_diary`).

    ``start`` is the first date; day ``d`` is ``start + d`` days. ``values`` holds every
    numeric column over the ``day`` axis from the first date to the last (NaN where the day
    or the cell is blank; coordinate ``date``); ``logged`` marks the days with a row.
    ``exercise``, ``medications`` and ``events`` are ``(day, name)`` pairs in day order.
    """

    start: date
    values: xr.Dataset
    logged: np.ndarray
    exercise: tuple[tuple[int, str], ...] = ()
    medications: tuple[tuple[int, str], ...] = ()
    events: tuple[tuple[int, str], ...] = ()

    # ---- reading
    @classmethod
    def from_records(cls, records: list[dict[str, Any]], source: str = "diary") -> Diary:
        """A diary from rows (column -> cell), checked whole.

        Raises
        ------
        DiaryError
            Listing every problem: an unknown column, a missing or malformed date, a date
            twice or out of order, a value that is not a number or out of its range, an
            unknown exercise program, drug SPEC or event, fewer than :data:`MIN_DAYS` days
            with a pain rating, a span over :data:`MAX_DAYS` days.
        """
        problems: list[DiaryProblem] = []
        columns = list(dict.fromkeys(k for r in records for k in r))
        for name in columns:
            if not str(name).strip():
                problems.append(DiaryProblem(0, "", "", "a column without a name (a comma at "
                                             "the end of each line?)"))
            elif name not in COLUMNS:
                problems.append(DiaryProblem(0, str(name), str(name), "is not a diary column; "
                                             "allowed: " + ", ".join(COLUMNS)))
        if "date" not in columns:
            problems.append(DiaryProblem(0, "date", "", "is missing; every row needs a date "
                                         "(YYYY-MM-DD)"))
        if len(records) > MAX_ROWS:
            raise DiaryError(source, [DiaryProblem(0, "date", "", f"{len(records)} rows; at "
                                                   f"most {MAX_ROWS} days in one diary")])
        dates: list[date | None] = []
        for i, record in enumerate(records, start=1):  # no column: said once, above
            dates.append(_date(record.get("date"), i, problems if "date" in columns else []))
        _order(dates, problems)
        known = [d for d in dates if d is not None]
        start = min(known) if known else date(2000, 1, 1)
        span = (max(known) - start).days + 1 if known else 1
        if span > MAX_DAYS:
            problems.append(DiaryProblem(0, "date", "", f"the dates span {span} days; at most "
                                         f"{MAX_DAYS}"))
            span = 1
        numbers = {name: np.full(span, np.nan) for name in NUMBERS}
        logged = np.zeros(span, dtype=bool)
        lists: dict[str, list[tuple[int, str]]] = {k: [] for k in LISTS}
        catalog = load_catalog()
        for i, (record, when) in enumerate(zip(records, dates, strict=True), start=1):
            day = (when - start).days if when is not None else None
            if day is not None and day >= span:  # only when the span was refused
                day = None
            if day is not None:
                logged[day] = True
            for name, raw in record.items():
                if _nested(raw, name in LISTS):
                    problems.append(DiaryProblem(i, name, _cell(raw), "is a JSON object or a "
                                                 "nested list; give a value" + (
                                                     " or a list of names" if name in LISTS
                                                     else "")))
                    continue
                if name in LISTS and isinstance(raw, list):  # a JSON list of names
                    raw = ";".join(_cell(item) for item in raw)
                text = _cell(raw)
                if name not in COLUMNS or name == "date" or not text:
                    continue
                if name in NUMBERS:
                    value = _number(name, text, i, problems)
                    if value is not None and day is not None:
                        numbers[name][day] = value
                    continue
                today: dict[str, str] = {}  # each drug or event the row has logged, by whom
                for item in _split(text):
                    known = _known_item(name, item, catalog, i, problems)
                    once = _once(name, known)
                    twice = [k for k in once if k in today]
                    if twice:
                        dose = ", at the day's dose" if name == "medications" else ""
                        problems.append(DiaryProblem(i, name, item, f"logs {twice[0]} twice on "
                                                     f"one day (also {today[twice[0]]!r}); "
                                                     f"give it once{dose}"))
                        continue
                    today |= dict.fromkeys(once, item)
                    if known is not None and day is not None:
                        lists[name].append((day, known))
        pain_days = int(np.sum(~np.isnan(numbers["pain"])))
        rated = sum(1 for r in records if _cell(r.get("pain")))  # good or bad: too few anyway
        if (not problems and pain_days < MIN_DAYS) or rated < MIN_DAYS:
            problems.append(DiaryProblem(0, "pain", "", f"{pain_days} day(s) with a pain "
                                         f"rating; a diary needs at least {MIN_DAYS}"))
        if problems:
            order = {name: k for k, name in enumerate(COLUMNS)}
            problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
            raise DiaryError(source, problems)
        import xarray as xr  # here: the command line reads this module's limits

        values = xr.Dataset(
            {name: ("day", v) for name, v in numbers.items()},
            coords={"day": np.arange(span),
                    "date": ("day", np.array([start + timedelta(days=int(d))
                                              for d in range(span)], dtype="datetime64[D]"))})
        return cls(start, values, logged, *(tuple(sorted(lists[k])) for k in lists))

    # ---- what it holds
    @property
    def days(self) -> int:
        """Days from the first date to the last, both included."""
        return int(self.values.sizes["day"])

    def date_of(self, day: int) -> date:
        """The calendar date of diary day ``day``."""
        return self.start + timedelta(days=int(day))

    def treatments(self) -> tuple[Treatment, ...]:
        """The logged drugs as treatments: one per run of logged days that hold the SPEC
        (a day without a row does not break a run; a logged day without the SPEC does)."""
        out = []
        for spec in dict.fromkeys(s for _, s in self.medications):
            taken = np.zeros(self.days, dtype=bool)
            taken[[d for d, s in self.medications if s == spec]] = True
            run_start = None
            for day in range(self.days + 1):
                on = day < self.days and (taken[day] or (not self.logged[day]
                                                         and run_start is not None))
                if on and run_start is None:
                    run_start = day
                elif not on and run_start is not None:
                    last = max(d for d in range(run_start, day) if taken[d])
                    out.append(Treatment.create(spec, run_start, last + 1))
                    run_start = None
        return tuple(sorted(out, key=lambda t: (t.start_day, str(t.spec))))

    def triggers(self) -> tuple[Trigger, ...]:
        """The logged events and exercise sessions as triggers (see the module docstring)."""
        catalog = load_catalog()
        out = [Trigger.create(EVENTS[e][0], day, EVENTS[e][1]) for day, e in self.events]
        for day, program in self.exercise:
            entry = catalog[program]
            load = entry.constant("intensity") * entry.constant("minutes") / 60.0
            out.append(Trigger.create("exercise", day, 1, load))
        return tuple(sorted(out, key=lambda t: (t.start_day, t.kind)))

    def model_inputs(self, without: str | None = None) -> dict[str, np.ndarray]:
        """The model's daily inputs over the diary: its drugs (all, or all but the SPEC
        ``without``), exercise sessions and events."""
        kept = [t for t in self.treatments() if str(t.spec) != without]
        inputs = treatment_inputs(kept, self.days)
        for trigger in self.triggers():
            trigger.apply(inputs, self.days)
        return inputs

    # ---- writing
    def to_records(self) -> list[dict[str, Any]]:
        """One object per logged day (the JSON form; blanks left out)."""
        rows = []
        by_day: dict[str, dict[int, list[str]]] = {k: {} for k in LISTS}
        for key, pairs in zip(LISTS, (self.exercise, self.medications, self.events),
                              strict=True):
            for day, item in pairs:
                by_day[key].setdefault(day, []).append(item)
        for day in np.flatnonzero(self.logged):
            row: dict[str, Any] = {"date": self.date_of(day).isoformat()}
            for name in NUMBERS:
                v = float(self.values[name].values[day])
                if not np.isnan(v):
                    row[name] = int(v) if v == int(v) else v
            for key, items in by_day.items():
                if day in items:
                    row[key] = ";".join(items[day])
            rows.append(row)
        return rows

    def to_csv(self) -> str:
        """The diary as CSV text (every column, blanks empty)."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.to_records())
        return buffer.getvalue()

    def to_json(self) -> str:
        """The diary as a JSON list of day objects."""
        return json.dumps(self.to_records(), indent=1)

    def write(self, path: str | Path) -> Path:
        """Write the diary as ``.csv`` or ``.json`` (by the suffix)."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".json"):
            raise FMSimError(f"{path.name}: a diary is written as .csv or .json")
        path.write_text(self.to_csv() if suffix == ".csv" else self.to_json(), encoding="utf-8")
        return path

    def summary(self) -> dict[str, Any]:
        """What the diary holds, JSON-ready: its dates, days logged, and per numeric column
        the days rated and their mean."""
        columns = {}
        for name in NUMBERS:
            v = self.values[name].values
            n = int(np.sum(~np.isnan(v)))
            if n:
                columns[name] = {"days": n, "mean": round(float(np.nanmean(v)), 2)}
        return {
            "first": self.start.isoformat(), "last": self.date_of(self.days - 1).isoformat(),
            "days": self.days, "logged": int(self.logged.sum()), "columns": columns,
            "medications": [{"spec": str(t.spec), "first": self.date_of(t.start_day).isoformat(),
                             "last": self.date_of(t.stop_day - 1).isoformat()}
                            for t in self.treatments()],
            "exercise_sessions": len(self.exercise),
            "events": [{"date": self.date_of(d).isoformat(), "event": e} for d, e in self.events],
        }


def read_diary(path: str | Path) -> Diary:
    """Read and check a diary file (``.csv`` or ``.json``; see the module docstring).

    Raises
    ------
    FMSimError
        For a file that cannot be read as a table of rows (:func:`fmsim.files.read_records`).
    DiaryError
        For a table that breaks the diary's rules, listing every bad cell.
    """
    path = Path(path)
    if path.suffix.lower() == ".nc":
        raise FMSimError(f"{path.name} looks like a fit, not a diary: give the diary (.csv or "
                         ".json)")
    return Diary.from_records(read_records(path, "day", "days", MAX_ROWS), path.name)


# ---- checking cells
def _date(raw: Any, row: int, problems: list[DiaryProblem]) -> date | None:
    text = _cell(raw)
    if not text:
        problems.append(DiaryProblem(row, "date", "", "is blank; every row needs a date "
                                     "(YYYY-MM-DD)"))
        return None
    try:
        when = iso_date(text)
    except ValueError:
        problems.append(DiaryProblem(row, "date", text, "is not a day of the calendar"
                                     if _DATE.fullmatch(text) else "is not a date YYYY-MM-DD"))
        return None
    if not DATES[0] <= when <= DATES[1]:
        problems.append(DiaryProblem(row, "date", text, f"is outside {DATES[0]} to {DATES[1]}"))
        return None
    return when


def _order(dates: list[date | None], problems: list[DiaryProblem]) -> None:
    """Each date once (the first of a pair is kept, the second refused) and no date before
    the one in the row above."""
    seen: dict[date, int] = {}
    above: date | None = None
    for row, when in enumerate(dates, start=1):
        if when is None:
            continue
        if when in seen:
            problems.append(DiaryProblem(row, "date", when.isoformat(),
                                         f"is given twice (first in row {seen[when]})"))
            dates[row - 1] = None
            continue
        seen[when] = row
        if above is not None and when < above:
            problems.append(DiaryProblem(row, "date", when.isoformat(),
                                         f"comes before the row above ({above.isoformat()}); "
                                         "give the days in order"))
        above = when


def _number(name: str, text: str, row: int, problems: list[DiaryProblem]) -> float | None:
    lo, hi = NUMBERS[name]
    try:
        value = float(parse_number(text))
    except ValueError:
        problems.append(DiaryProblem(row, name, text, f"is not a number; allowed {lo:g}-{hi:g} "
                                     "or blank"))
        return None
    if not lo <= value <= hi:
        problems.append(DiaryProblem(row, name, text, f"is outside {lo:g}-{hi:g}"))
        return None
    return value


def _once(column: str, known: str | None) -> list[str]:
    """What a day may log only once in a logged item (``known``, as :func:`_known_item`
    gives it): an event, each drug of a SPEC (at one dose); an exercise program may be done
    twice."""
    if known is None or column == "exercise":
        return []
    return [known] if column == "events" else [c.split(":")[0] for c in known.split("+")]


def _known_item(column: str, item: str, catalog, row: int,
                problems: list[DiaryProblem]) -> str | None:
    """One exercise program, drug SPEC (in its canonical form) or event, or None with a
    problem noted when it is not known."""
    name = item.lower()  # names are case-blind, as in a drug SPEC
    if column == "events":
        if name in EVENTS:
            return name
        problems.append(DiaryProblem(row, column, item, "is not an event; allowed: "
                                     + ", ".join(EVENTS)))
        return None
    if column == "exercise":
        entry = catalog.get(name)
        if entry is not None and entry.is_exercise:
            return name
        allowed = ", ".join(n for n, e in catalog.items() if e.is_exercise)
        problems.append(DiaryProblem(row, column, item, f"is not an exercise program of the "
                                     f"catalog; allowed: {allowed}"))
        return None
    names = [part.partition(":")[0].strip().lower() for part in item.split("+")]
    others = [n for n in names if n and (n not in catalog or catalog[n].kind != "drug")]
    if others:
        programs = any(n in catalog and catalog[n].is_exercise for n in others)
        problems.append(DiaryProblem(
            row, column, item, f"names {', '.join(map(repr, others))}, not a drug of the "
            f"catalog{' (exercise goes in the exercise column)' if programs else ''}; allowed: "
            + ", ".join(n for n, e in catalog.items() if e.kind == "drug")))
        return None
    try:
        spec = TreatmentSpec.parse(item)
    except FMSimError as exc:
        problems.append(DiaryProblem(row, column, item, f"is not a drug SPEC: {exc}"))
        return None
    return "+".join(c.entry.name if c.dose is None else f"{c.entry.name}:{c.dose:g}"
                    for c in spec.components)
