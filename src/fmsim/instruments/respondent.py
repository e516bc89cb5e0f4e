"""Scoring respondents: one mapping of answers per person, from the command line, a JSON or CSV
file, or the measurement model. Real and virtual respondents share the array scorers and their
output.

Answer keys (dashes and underscores are interchangeable, case does not matter):

=========  ==================================================================================
fiqr       ``items`` (21 values, list or comma-separated; blank = missing) or ``item1``..``item21``
fiq        ``function`` (10 or 11 values 0-3), ``felt_good``, ``missed_work`` (days 0-7), and
           ``job_difficulty pain fatigue morning_tiredness stiffness anxiety depression`` (0-10)
acr2016    ``areas``, ``fatigue unrefreshed cognitive`` (0-3), ``headache abdominal depression``
           (yes/no), ``months``, optional ``symptom_window``
acr2011    as acr2016 without ``symptom_window``, plus optional ``explained_by_other``
acr2010    ``areas``, ``fatigue unrefreshed cognitive somatic`` (0-3), ``months``, optional
           ``explained_by_other``
acr1990    ``tender_points`` (0-18), and ``widespread`` (yes/no) or ``areas`` (both only when
           they agree); ``months`` (default 3)
=========  ==================================================================================

Every row may carry an ``id``, echoed in its result. Scoring a file checks every row first and
reports every bad row in one error; nothing is scored until all rows are valid.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import FMSimError
from ..files import read_records
from .areas import area_matrix, parse_areas
from .bands import psd_band
from .criteria import (
    SYMPTOM_WINDOWS,
    CriteriaResult,
    CriteriaScores,
    acr1990_scores,
    acr2010_scores,
    acr2011_scores,
    acr2016_scores,
    widespread_pain_1990_scores,
)
from .fiqr import FIQ_VAS_ITEMS, FIQR_ITEMS, FIQRScores, FIQScores, fiq_scores, fiqr_scores
from .validate import boolean, score, whole

__all__ = ["INSTRUMENTS", "INSTRUMENT_EVIDENCE", "read_respondents", "result_dicts",
           "score_respondent", "score_respondents"]

MAX_RESPONDENTS = 100_000
"""Most respondents one file may hold."""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _values(value: Any, name: str) -> list:
    """A list answer: a list, or one comma-separated string (blank entries are missing)."""
    if isinstance(value, str):
        return [None if not v.strip() else v.strip() for v in value.split(",")]
    if not isinstance(value, list | tuple):
        raise FMSimError(f"{name} must be a list of answers or one comma-separated string, not "
                         f"{value!r}")
    return [None if _blank(v) else v for v in value]


def _number(value: Any, name: str, lo: float, hi: float) -> float:
    return np.nan if _blank(value) else score(value, name, lo, hi)


def _days(value: Any, name: str) -> float:
    return np.nan if _blank(value) else float(whole(value, name, 0, 7))


def _need(a: dict, *names: str) -> list:
    missing = [n for n in names if _blank(a.get(n))]
    if missing:
        given = [k for k in a if k not in names]  # a misspelt key is among these

        def meant(n: str) -> str:
            close = difflib.get_close_matches(n, given, n=1, cutoff=0.6)
            return f"{n} (given as {close[0]!r}?)" if close else n

        raise FMSimError(f"missing answer(s): {', '.join(map(meant, missing))}")
    return [a.pop(n) for n in names]


def _flag(a: dict, name: str) -> bool:
    value = a.pop(name, False)
    return False if _blank(value) else boolean(value, name)


def _areas(a: dict) -> frozenset[str]:
    if "areas" not in a:
        return frozenset()
    value = a.pop("areas")
    if value is None:
        raise FMSimError("areas must be a list of area names or one comma-separated string "
                         "(an empty list for none), not null")
    return parse_areas(value)


def _severities(a: dict, *names: str) -> dict[str, int]:
    return {n: whole(v, n, 0, 3) for n, v in zip(names, _need(a, *names), strict=True)}


def _months(a: dict, default: float | None = None) -> float:
    if default is not None and _blank(a.get("months")):
        a.pop("months", None)
        return default
    (months,) = _need(a, "months")
    return score(months, "months", 0, 1200)


# ---- one parser per instrument: validated answers of one respondent, as plain values

def _parse_fiqr(a: dict) -> dict:
    if "items" in a:
        given = sorted(k for k in a if re.fullmatch(r"item\d+", k) and not _blank(a[k]))
        if given:
            raise FMSimError(f"give the FIQR answers as items or as item1..item21, not both "
                             f"(also given: {', '.join(given)})")
        if _blank(a["items"]):
            raise FMSimError("items is empty; give the 21 answers, comma-separated")
        items = _values(a.pop("items"), "items")
    else:
        items = [a.pop(f"item{i}", None) for i in range(1, 22)]
    if len(items) != 21:
        raise FMSimError(f"the FIQR has 21 items; got {len(items)}")
    return {"items": [_number(v, f"FIQR item {i + 1} ({FIQR_ITEMS[i]})", 0, 10)
                      for i, v in enumerate(items)]}


def _parse_fiq(a: dict) -> dict:
    function = _values(a.pop("function", []), "function")
    if len(function) not in (10, 11):
        raise FMSimError(f"FIQ physical function has 10 or 11 sub-items; got {len(function)}")
    return {"function": [_number(v, f"FIQ function sub-item {i + 1}", 0, 3)
                         for i, v in enumerate(function)] + [np.nan] * (11 - len(function)),
            "felt_good": _days(a.pop("felt_good", None), "FIQ days felt good"),
            "missed_work": _days(a.pop("missed_work", None), "FIQ days of work missed"),
            "vas": [_number(a.pop(k, None), f"FIQ {k}", 0, 10) for k in FIQ_VAS_ITEMS]}


def _parse_acr2016(a: dict) -> dict:
    areas = _areas(a)
    answers = _severities(a, "fatigue", "unrefreshed", "cognitive")
    answers |= {n: _flag(a, n) for n in ("headache", "abdominal", "depression")}
    window = a.pop("symptom_window", None)
    if not _blank(window) and window not in SYMPTOM_WINDOWS:
        raise FMSimError(f"symptom_window must be one of {SYMPTOM_WINDOWS}, not {window!r}")
    return {"areas": areas, **answers, "months": _months(a)}


def _parse_acr2011(a: dict) -> dict:
    areas = _areas(a)
    answers = _severities(a, "fatigue", "unrefreshed", "cognitive")
    answers |= {n: _flag(a, n) for n in ("headache", "abdominal", "depression")}
    return {"areas": areas, **answers, "months": _months(a),
            "explained_by_other": _flag(a, "explained_by_other")}


def _parse_acr2010(a: dict) -> dict:
    areas = _areas(a)
    answers = _severities(a, "fatigue", "unrefreshed", "cognitive", "somatic")
    return {"areas": areas, **answers, "months": _months(a),
            "explained_by_other": _flag(a, "explained_by_other")}


def _parse_acr1990(a: dict) -> dict:
    (count,) = _need(a, "tender_points")
    areas = None if a.get("areas") is None else _areas(a)
    a.pop("areas", None)
    said = None if _blank(a.get("widespread")) else boolean(a.get("widespread"), "widespread")
    a.pop("widespread", None)
    if areas is None and said is None:
        raise FMSimError("ACR 1990 needs widespread (yes/no) or the painful areas")
    derived = None if areas is None else bool(widespread_pain_1990_scores(
        area_matrix([areas]))[0])
    if None not in (said, derived) and said != derived:
        raise FMSimError(f"the answers contradict each other: widespread pain is "
                         f"{'yes' if said else 'no'}, but the painful areas are "
                         f"{'' if derived else 'not '}widespread (left, right, above and "
                         "below the waist, and axial)")
    return {"tender_points": whole(count, "tender points", 0, 18),
            "widespread": derived if derived is not None else said, "months": _months(a, 3.0)}


def _column(parsed: list[dict], key: str) -> np.ndarray:
    return np.array([p[key] for p in parsed])


def _criteria_dict(result: CriteriaResult) -> dict:
    out = result.as_dict()
    del out["tender_points"]
    out["psd_band_wolfe2015"] = psd_band(result.psd, "wolfe2015")
    out["psd_band_salaffi"] = psd_band(result.psd, "salaffi")
    out["fs_criteria_like"] = result.fs_criteria_like
    return out


def _acr1990_dict(result: CriteriaResult) -> dict:
    return {"criteria": result.criteria, "positive": result.positive,
            "tender_points": result.tender_points, "reasons": list(result.reasons)}


_SEVERITY_2011 = ("fatigue", "unrefreshed", "cognitive", "headache", "abdominal", "depression")

Scores = CriteriaScores | FIQRScores | FIQScores
"""What an array scorer returns: arrays over respondents, with ``result(i)`` for one."""


def _acr(scorer: Callable, *names: str) -> Callable[[list[dict]], Scores]:
    """Parsed ACR answers of several respondents scored by an array scorer."""
    def scored(parsed: list[dict]) -> Scores:
        return scorer(area_matrix([p["areas"] for p in parsed]),
                      *(_column(parsed, n) for n in names))
    return scored


def _fiqr(parsed: list[dict]) -> Scores:
    return fiqr_scores(np.array([p["items"] for p in parsed], dtype=float))


def _fiq(parsed: list[dict]) -> Scores:
    return fiq_scores(np.array([p["function"] for p in parsed], dtype=float),
                      _column(parsed, "felt_good"), _column(parsed, "missed_work"),
                      np.array([p["vas"] for p in parsed], dtype=float))


def _acr1990(parsed: list[dict]) -> Scores:
    return acr1990_scores(_column(parsed, "tender_points"), _column(parsed, "widespread"),
                          _column(parsed, "months"))


INSTRUMENTS: dict[str, tuple[Callable[[dict], dict], Callable[[list[dict]], Scores],
                             Callable[[Any], dict]]] = {
    "fiqr": (_parse_fiqr, _fiqr, lambda r: r.as_dict()),
    "fiq": (_parse_fiq, _fiq, lambda r: r.as_dict()),
    "acr2016": (_parse_acr2016, _acr(acr2016_scores, *_SEVERITY_2011, "months"),
                _criteria_dict),
    "acr2011": (_parse_acr2011, _acr(acr2011_scores, *_SEVERITY_2011, "months",
                                     "explained_by_other"), _criteria_dict),
    "acr2010": (_parse_acr2010, _acr(acr2010_scores, "fatigue", "unrefreshed", "cognitive",
                                     "somatic", "months", "explained_by_other"),
                _criteria_dict),
    "acr1990": (_parse_acr1990, _acr1990, _acr1990_dict),
}
"""Instrument -> (parse one respondent's answers, score parsed respondents at once with the
array scorer, one respondent's result as a JSON-ready dict)."""


def result_dicts(instrument: str, scores: Scores) -> list[dict]:
    """Every respondent's result in ``scores`` (from an array scorer or the measurement
    model) as the JSON-ready dict ``fmsim score`` prints."""
    to_dict = INSTRUMENTS[instrument][2]
    return [to_dict(scores.result(i)) for i in range(len(scores))]


INSTRUMENT_EVIDENCE: dict[str, tuple[str, ...]] = {
    "fiqr": ("bennett2009",), "fiq": ("bennett2005",), "acr2016": ("wolfe2016", "wolfe2015"),
    "acr2011": ("wolfe2011", "wolfe2015"), "acr2010": ("wolfe2010", "wolfe2015"),
    "acr1990": ("wolfe1990",), "psqi": ("buysse1989",),
}
"""Evidence keys (``evidence.toml``) of the rules each instrument implements (PSD bands: Wolfe
2015; the PSQI is scored from simulations only, :mod:`fmsim.instruments.psqi`)."""


def _normalized(answers: Mapping[str, Any]) -> dict:
    """Keys with dashes as underscores, lower case, trimmed; two keys that become one are
    refused (a CSV with duplicate columns, a JSON object with ``pain`` and ``Pain``)."""
    if not isinstance(answers, Mapping):
        raise FMSimError(f"a respondent must be a table of answers, not {answers!r}")
    out: dict = {}
    for key, value in answers.items():
        name = str(key).strip().replace("-", "_").lower()
        if name in out:
            raise FMSimError(f"the answer {name!r} is given twice")
        out[name] = value
    return out


def _parse(instrument: str, answers: Mapping[str, Any]) -> tuple[Any, dict]:
    """``(id, parsed answers)`` of one respondent; unknown keys are refused."""
    if instrument not in INSTRUMENTS:
        raise FMSimError(f"unknown instrument {instrument!r}; allowed: {', '.join(INSTRUMENTS)}")
    a = _normalized(answers)
    ident = a.pop("id", None)
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, (str, int, float))):
        raise FMSimError(f"the respondent's id {ident!r} is not text or a number")
    parsed = INSTRUMENTS[instrument][0](a)
    leftover = sorted(k for k, v in a.items() if not _blank(v))
    if leftover:
        raise FMSimError(f"{instrument}: unknown answer key(s) {leftover}")
    return ident, parsed


def score_respondents(instrument: str, rows: Sequence[Mapping[str, Any]],
                      label: str = "row") -> list[dict]:
    """Score several respondents at once; each result is JSON-ready, with the row's ``id``
    first when it has one.

    Raises
    ------
    FMSimError
        Listing every bad row (``{label} N: what is wrong``), when any row is bad; nothing is
        scored then.
    """
    if instrument not in INSTRUMENTS:
        raise FMSimError(f"unknown instrument {instrument!r}; allowed: {', '.join(INSTRUMENTS)}")
    if not rows:
        raise FMSimError("no respondents to score")
    parsed, errors = [], []
    for i, row in enumerate(rows, start=1):
        try:
            parsed.append(_parse(instrument, row))
        except FMSimError as exc:
            errors.append(f"{label} {i}: {exc}")
    if errors:
        shown = errors[:50] + ([f"... and {len(errors) - 50} more bad rows"]
                               if len(errors) > 50 else [])
        raise FMSimError(f"{len(errors)} of {len(rows)} respondents have bad answers:\n"
                         + "\n".join(shown))
    results = result_dicts(instrument, INSTRUMENTS[instrument][1]([p for _, p in parsed]))
    return [({"id": ident} if ident is not None else {}) | result
            for (ident, _), result in zip(parsed, results, strict=True)]


def score_respondent(instrument: str, answers: Mapping[str, Any]) -> dict:
    """Score one respondent's answers with an instrument; returns the JSON-ready result.

    Raises
    ------
    FMSimError
        For an unknown instrument, a missing or out-of-range answer, or an unknown key.
    """
    ident, parsed = _parse(instrument, answers)
    (result,) = result_dicts(instrument, INSTRUMENTS[instrument][1]([parsed]))
    return ({"id": ident} if ident is not None else {}) | result


def read_respondents(path: str | Path) -> list[dict]:
    """Read respondents from a JSON file (an object or a list of objects) or a CSV file (a
    header row, then one respondent per row; :func:`fmsim.files.read_records`).

    Raises
    ------
    FMSimError
        For a file that cannot be read as one of these: not UTF-8, malformed or too deeply
        nested JSON, a key twice, no respondents, a CSV header naming a column twice, a row
        with more or fewer cells than the header.
    """
    return read_records(path, "respondent", "respondents", MAX_RESPONDENTS)
