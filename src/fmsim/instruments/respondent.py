"""Scoring respondents: one dict of answers per person, from the command line, a JSON or CSV file,
or the measurement model. Real and virtual respondents share this path and its output.

Answer keys (dashes and underscores are interchangeable):

=========  ==================================================================================
fiqr       ``items`` (21 values, list or comma-separated; blank = missing) or ``item1``..``item21``
fiq        ``function`` (10 or 11 values 0-3), ``felt_good``, ``missed_work`` (days 0-7), and
           ``job_difficulty pain fatigue morning_tiredness stiffness anxiety depression`` (0-10)
acr2016    ``areas``, ``fatigue unrefreshed cognitive`` (0-3), ``headache abdominal depression``
           (yes/no), ``months``, optional ``symptom_window``
acr2011    as acr2016 without ``symptom_window``, plus optional ``explained_by_other``
acr2010    ``areas``, ``fatigue unrefreshed cognitive somatic`` (0-3), ``months``, optional
           ``explained_by_other``
acr1990    ``tender_points`` (0-18), and ``widespread`` (yes/no) or ``areas``; ``months``
           (default 3)
=========  ==================================================================================

Every row may carry an ``id``, echoed in its result.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import FMSimError
from .bands import psd_band
from .criteria import acr1990, acr2010, acr2011, acr2016
from .fiqr import FIQ_VAS_ITEMS, fiq, fiqr

__all__ = ["INSTRUMENTS", "INSTRUMENT_EVIDENCE", "read_respondents", "score_respondent"]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _values(value: Any) -> list:
    if isinstance(value, str):
        return [None if not v.strip() else v.strip() for v in value.split(",")]
    return [None if _blank(v) else v for v in value]


def _fiqr(a: dict) -> dict:
    if "items" in a:
        items = _values(a.pop("items"))
    else:
        items = [a.pop(f"item{i}", None) for i in range(1, 22)]
    return fiqr(items).as_dict()


def _fiq(a: dict) -> dict:
    function = _values(a.pop("function", []))
    felt = a.pop("felt_good", None)
    missed = a.pop("missed_work", None)
    vas = {k: a.pop(k, None) for k in FIQ_VAS_ITEMS}
    vas = {k: None if _blank(v) else v for k, v in vas.items()}
    return fiq(function, None if _blank(felt) else felt, None if _blank(missed) else missed,
               **vas).as_dict()


def _criteria(result) -> dict:
    out = result.as_dict()
    del out["tender_points"]
    out["psd_band_wolfe2015"] = psd_band(result.psd, "wolfe2015")
    out["psd_band_salaffi"] = psd_band(result.psd, "salaffi")
    out["fs_criteria_like"] = result.fs_criteria_like
    return out


def _need(a: dict, *names: str) -> list:
    missing = [n for n in names if _blank(a.get(n))]
    if missing:
        raise FMSimError(f"missing answer(s): {', '.join(missing)}")
    return [a.pop(n) for n in names]


def _flags(a: dict, *names: str) -> list:
    return [a.pop(n, False) or False for n in names]


def _acr2016(a: dict) -> dict:
    areas = a.pop("areas", "")
    sev = _need(a, "fatigue", "unrefreshed", "cognitive", "months")
    flags = _flags(a, "headache", "abdominal", "depression")
    window = a.pop("symptom_window", None) or "6 months"
    return _criteria(acr2016(areas, *sev[:3], *flags, sev[3], symptom_window=window))


def _acr2011(a: dict) -> dict:
    areas = a.pop("areas", "")
    sev = _need(a, "fatigue", "unrefreshed", "cognitive", "months")
    flags = _flags(a, "headache", "abdominal", "depression", "explained_by_other")
    return _criteria(acr2011(areas, *sev[:3], *flags[:3], sev[3], flags[3]))


def _acr2010(a: dict) -> dict:
    areas = a.pop("areas", "")
    sev = _need(a, "fatigue", "unrefreshed", "cognitive", "somatic", "months")
    (explained,) = _flags(a, "explained_by_other")
    return _criteria(acr2010(areas, *sev, explained))


def _acr1990(a: dict) -> dict:
    (count,) = _need(a, "tender_points")
    areas = a.pop("areas", None)
    widespread = a.pop("widespread", None)
    months = a.pop("months", 3)
    r = acr1990(count, None if _blank(widespread) else widespread,
                areas=None if _blank(areas) else areas, months=months)
    return {"criteria": r.criteria, "positive": r.positive, "tender_points": r.tender_points,
            "reasons": list(r.reasons)}


INSTRUMENT_EVIDENCE: dict[str, tuple[str, ...]] = {
    "fiqr": ("bennett2009",), "fiq": ("bennett2005",), "acr2016": ("wolfe2016", "wolfe2015"),
    "acr2011": ("wolfe2011", "wolfe2015"), "acr2010": ("wolfe2010", "wolfe2015"),
    "acr1990": ("wolfe1990",),
}
"""Evidence keys (``evidence.toml``) of the rules each instrument implements (PSD bands: Wolfe
2015)."""

INSTRUMENTS: dict[str, Callable[[dict], dict]] = {
    "fiqr": _fiqr, "fiq": _fiq, "acr2016": _acr2016, "acr2011": _acr2011, "acr2010": _acr2010,
    "acr1990": _acr1990,
}


def score_respondent(instrument: str, answers: Mapping[str, Any]) -> dict:
    """Score one respondent's answers with an instrument; returns the JSON-ready result.

    Raises
    ------
    FMSimError
        For an unknown instrument, a missing or out-of-range answer, or an unknown key.
    """
    if instrument not in INSTRUMENTS:
        raise FMSimError(f"unknown instrument {instrument!r}; allowed: {', '.join(INSTRUMENTS)}")
    a = {str(k).strip().replace("-", "_").lower(): v for k, v in answers.items()}
    ident = a.pop("id", None)
    result = INSTRUMENTS[instrument](a)
    leftover = sorted(k for k, v in a.items() if not _blank(v))
    if leftover:
        raise FMSimError(f"{instrument}: unknown answer key(s) {leftover}")
    return ({"id": ident} if ident is not None else {}) | result


def read_respondents(path: str | Path) -> list[dict]:
    """Read respondents from a JSON file (an object or a list of objects) or a CSV file (a
    header row, then one respondent per row)."""
    path = Path(path)
    if not path.is_file():
        raise FMSimError(f"file {str(path)!r} does not exist")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FMSimError(f"{path.name} is not valid JSON: {exc}") from None
        rows = data if isinstance(data, list) else [data]
        if not all(isinstance(r, dict) for r in rows):
            raise FMSimError(f"{path.name}: expected an object or a list of objects")
        return rows
    if path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(text.splitlines()))
        if not rows:
            raise FMSimError(f"{path.name}: no respondent rows under the header")
        return rows
    raise FMSimError(f"{path.name}: use a .json or .csv file")
