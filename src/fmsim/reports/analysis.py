"""What ``--out DIR`` writes for each analysis, through an :class:`~.output.OutputFolder`.

============  ============================================================================
analysis      files
============  ============================================================================
bifurcation   ``result.json`` (the ``--json`` object), ``bifurcation.png`` (the diagram
              with the person marked)
sensitivity   ``result.json``, ``sensitivity.png`` (ranked indices with their intervals)
loops         ``result.json``, ``loops.png`` (each loop's gain, gain 1 marked)
============  ============================================================================
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .output import OutputFolder

if TYPE_CHECKING:
    from ..analysis import BifurcationResult, LoopsResult, SensitivityResult

__all__ = ["analysis_files", "write_bifurcation", "write_loops", "write_sensitivity"]


def analysis_files(name: str) -> tuple[str, str]:
    """The files ``fmsim analyze NAME --out DIR`` writes."""
    return ("result.json", f"{name}.png")


def write_bifurcation(result: BifurcationResult, out_dir: str | Path) -> list[Path]:
    """``result.json`` and ``bifurcation.png``."""
    return _write(result, out_dir, "bifurcation")


def write_sensitivity(result: SensitivityResult, out_dir: str | Path) -> list[Path]:
    """``result.json`` and ``sensitivity.png``."""
    return _write(result, out_dir, "sensitivity")


def write_loops(result: LoopsResult, out_dir: str | Path) -> list[Path]:
    """``result.json`` and ``loops.png``."""
    return _write(result, out_dir, "loops")


def _write(result: BifurcationResult | SensitivityResult | LoopsResult, out_dir: str | Path,
           name: str) -> list[Path]:
    with OutputFolder(out_dir, f"analyze {name}", analysis_files(name)) as folder:
        folder.file("result.json").write_text(json.dumps(result.to_dict(), indent=2),
                                              encoding="utf-8")
        result.plot(folder.file(f"{name}.png"))
    return [folder.final(n) for n in folder.names]
