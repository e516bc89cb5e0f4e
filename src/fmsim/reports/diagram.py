"""The model's vicious circles as a diagram, drawn from the couplings themselves.

Each of the model's loops (:attr:`fmsim.model.Model.loops`; for model v1 the seven circles
of :data:`fmsim.model.fm.VICIOUS_CIRCLES`) is drawn as a ring of its quantities with the sign of
every coupling, read from the model, so the picture cannot drift from the equations. Run
``python -m fmsim.reports.diagram OUT.png`` to regenerate it.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch

from ..model.models import ModelRef, resolve_model
from ..studies.plots import save_figure

__all__ = ["NODE_LABELS", "draw_circles"]

NODE_LABELS = {
    "S": "stress", "A": "sympathetic\ntone", "Q": "muscle\nperfusion", "M": "ischemic\nmetabolites",
    "N": "nociceptive\ndrive", "P": "PAIN", "frag_spont": "sleep\nfragmentation",
    "Fr": "fragmented\nnights", "SD": "sleep debt", "DI": "descending\ninhibition",
    "CS": "central\nsensitization", "G": "glia", "Act": "activity", "W_abs": "muscle work",
    "K": "fitness", "W": "relative\nload", "D": "depressed\nmood", "H": "HPA\nadaptation",
    "cortisol": "cortisol\nresponse", "I": "inflammation", "B": "fear-\navoidance",
    "Pm": "priming",
}


def draw_circles(path: str | Path, model: ModelRef = None) -> Path:
    """Draw the model's loops (the vicious circles) with coupling signs and save a PNG."""
    model = resolve_model(model)
    signs = {(c.source, c.target): c.sign for c in model.couplings}
    rows = -(-(len(model.loops) + 1) // 4)  # the loops and the legend, four to a row
    fig, axes = plt.subplots(rows, 4, figsize=(16, 4.25 * rows))
    for ax in axes.flat[len(model.loops):]:
        ax.axis("off")
    for ax, (name, path_nodes) in zip(axes.flat, model.loops, strict=False):
        nodes = list(dict.fromkeys(path_nodes))
        angle = np.pi / 2 - 2 * np.pi * np.arange(len(nodes)) / len(nodes)
        pos = {n: (np.cos(a), np.sin(a)) for n, a in zip(nodes, angle, strict=True)}
        for src, dst in itertools.pairwise(path_nodes):
            sign = signs[(src, dst)]
            colour = "#c0392b" if sign > 0 else "#2471a3"
            ax.add_patch(FancyArrowPatch(pos[src], pos[dst], arrowstyle="-|>", mutation_scale=14,
                                         shrinkA=26, shrinkB=26, color=colour, lw=1.8,
                                         connectionstyle="arc3,rad=-0.25"))
            mid = (np.add(pos[src], pos[dst])) / 2 * 1.12
            ax.text(*mid, "+" if sign > 0 else "−", color=colour, fontsize=13,
                    ha="center", va="center", weight="bold")
        for n, (x, y) in pos.items():
            ax.text(x, y, NODE_LABELS.get(n, n), ha="center", va="center", fontsize=8.5,
                    bbox=dict(boxstyle="round", fc="#fdfefe", ec="0.5"))
        product = np.prod([signs[e] for e in itertools.pairwise(path_nodes)])
        kind = "reinforcing" if product > 0 else "balancing"
        ax.set_title(f"{name}\n({kind})", fontsize=11)
        ax.set_xlim(-1.5, 1.5)
        ax.set_ylim(-1.45, 1.45)
        ax.set_aspect("equal")
        ax.axis("off")
    legend = axes.flat[len(model.loops)]
    legend.text(0.0, 0.75, f"{model.name}: its {len(model.loops)} vicious circles", fontsize=12,
                weight="bold")
    legend.text(0.0, 0.55, "red +  : more of one gives more of the next", color="#c0392b")
    legend.text(0.0, 0.43, "blue − : more of one gives less of the next", color="#2471a3")
    legend.text(0.0, 0.22, "A circle with an even number of − signs\nreinforces itself: "
                "a vicious circle.", fontsize=9)
    legend.text(0.0, 0.02, "Generated from the model's couplings\n(fmsim.reports.diagram).",
                fontsize=8, color="0.4")
    fig.tight_layout()
    return save_figure(fig, path, dpi=100)


if __name__ == "__main__":  # pragma: no cover - exercised by `make docs`
    print(draw_circles(sys.argv[1] if len(sys.argv) > 1 else "docs/model-loops.png"))
