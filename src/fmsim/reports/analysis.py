"""What ``--out DIR`` writes for each analysis, through an :class:`~.output.OutputFolder`.

============  ============================================================================
analysis      files
============  ============================================================================
bifurcation   ``result.json`` (the ``--json`` object), ``bifurcation.png`` (the diagram
              with the person marked)
============  ============================================================================
"""

from __future__ import annotations

import json
from pathlib import Path

from ..analysis import BifurcationResult
from .output import OutputFolder

__all__ = ["write_bifurcation"]


def write_bifurcation(result: BifurcationResult, out_dir: str | Path) -> list[Path]:
    """``result.json`` and ``bifurcation.png``."""
    with OutputFolder(out_dir, "analyze bifurcation") as folder:
        folder.file("result.json").write_text(json.dumps(result.to_dict(), indent=2),
                                              encoding="utf-8")
        result.plot(folder.file("bifurcation.png"))
    return [folder.final(n) for n in folder.names]
