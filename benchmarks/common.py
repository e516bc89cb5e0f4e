"""Shared by the benchmarks: timing, Markdown tables and the results folder."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

RESULTS = Path(os.environ.get("FMSIM_BENCH_RESULTS", Path(__file__).parent / "results"))
"""Where the JSON goes (``$FMSIM_BENCH_RESULTS`` moves it; the smoke tests set RESULTS)."""


def timed(func, *args, **kwargs):
    """``(result, seconds)`` of one call."""
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start


def table(headers: list[str], rows: list[list]) -> str:
    """A Markdown table; floats printed with 3 significant digits (thousands separated)."""
    def cell(v):
        if isinstance(v, float):
            return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"
        return str(v)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> dict:
    """What the numbers were measured on."""
    return {"platform": platform.platform(), "processor": platform.processor(),
            "cores": os.cpu_count()}


def write(name: str, payload: dict) -> Path:
    """Write ``benchmarks/results/<name>.json`` with the machine added."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({**payload, "machine": machine()}, indent=2))
    return path
