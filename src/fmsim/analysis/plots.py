"""Plots of analysis results (matplotlib, Agg backend, as :mod:`fmsim.studies.plots`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..studies.plots import plt, save_figure

if TYPE_CHECKING:
    from .bifurcation import BifurcationResult

__all__ = ["plot_bifurcation"]


def plot_bifurcation(result: BifurcationResult, path: str | Path) -> Path:
    """Pain at every steady state against the parameter: stable branches solid, unstable
    dashed, folds marked, the person's value and attractors in red."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for b in result.branches:
        ax.plot(b.values, b.pain, "-" if b.stable else "--", color="tab:blue" if b.stable
                else "0.45", lw=2 if b.stable else 1.2)
    for f in result.folds:
        ax.plot([f.value], [f.pain], "o", mfc="white",
                color="tab:orange" if f.kind == "tip" else "tab:green")
        ax.annotate(f.kind, (f.value, f.pain), textcoords="offset points", xytext=(6, 4),
                    fontsize=8)
    ax.axvline(result.own_value, color="tab:red", lw=0.8)
    ax.plot([a.value for a in result.attractors], [a.pain for a in result.attractors],
            "o", color="tab:red", label="the person's steady states")
    ax.plot([], [], "-", color="tab:blue", label="stable")
    ax.plot([], [], "--", color="0.45", label="unstable")
    ax.set_xlim(*result.value_range)
    ax.set_ylim(0, 10)
    ax.set_xlabel(result.spec.parameter)
    ax.set_ylabel("pain at steady state (0-10)")
    ax.set_title(f"Steady states of {result.spec.scenario} over {result.spec.parameter}",
                 fontsize=10)
    ax.legend(fontsize=8, loc="best")
    ax.text(0.99, 0.01, "FMSim: research and education software, not a medical device",
            transform=ax.transAxes, ha="right", va="bottom", fontsize=6, color="0.5")
    return save_figure(fig, path)
