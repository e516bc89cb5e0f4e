"""Plots of analysis results (matplotlib, Agg backend, as :mod:`fmsim.studies.plots`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..studies.plots import plt, save_figure

if TYPE_CHECKING:
    from .bifurcation import BifurcationResult
    from .loops import LoopsResult
    from .sensitivity import SensitivityResult

__all__ = ["plot_bifurcation", "plot_loops", "plot_sensitivity"]


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


def plot_sensitivity(result: SensitivityResult, path: str | Path, top: int = 20) -> Path:
    """The ``top`` parameters' indices as ranked horizontal bars with 95% intervals."""
    params = result.parameters[:top]
    keys = ("ST", "S1") if result.spec.method == "sobol" else ("mu_star",)
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(params) + 1.6))
    y = np.arange(len(params))
    height = 0.8 / len(keys)
    for k, key in enumerate(keys):
        values = np.array([p.indices[key] for p in params])
        lo, hi = np.array([p.intervals[key] for p in params]).T
        ax.barh(y + k * height, values, height, xerr=[values - lo, hi - values],
                label=key, color=("tab:blue", "tab:orange")[k], alpha=0.85, capsize=2)
    ax.set_yticks(y + height * (len(keys) - 1) / 2, [p.name for p in params], fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="0.5", lw=0.8)
    ax.set_xlabel("Sobol index" if result.spec.method == "sobol" else
                  "Morris mu* (output change per unit of a parameter's quantile)")
    ax.set_title(f"{result.spec.output}: {result.spec.method}, {result.n_runs} runs", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    return save_figure(fig, path)


def plot_loops(result: LoopsResult, path: str | Path) -> Path:
    """Each loop's gain as a bar on a log scale, gain 1 (a loop that sustains itself) marked."""
    loops = result.loops
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(loops) + 1.5))
    gains = np.array([max(loop.gain, 1e-12) for loop in loops])
    ax.barh(np.arange(len(loops)), gains, color=["tab:red" if g >= 1 else "tab:blue"
                                                 for g in gains])
    ax.set_yticks(np.arange(len(loops)), [loop.name for loop in loops], fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.axvline(1, color="0.3", lw=0.8, ls="--")
    ax.set_xlabel("loop gain (product of the couplings' local gains; 1 = sustains itself)")
    ax.set_title(f"{result.spec.scenario}, day {result.day}: pain {result.pain:.1f}",
                 fontsize=10)
    return save_figure(fig, path)
