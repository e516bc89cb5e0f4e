"""Plots of study results: trajectories, treatment arms, trials and validation (matplotlib, Agg
backend: no display needed). Each study result's ``plot`` method draws with these."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from textwrap import shorten
from typing import TYPE_CHECKING

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import xarray as xr

from ..model.fm.outputs import SCORES

if TYPE_CHECKING:
    from .trial import TrialResult
    from .validation import ValidationResult

__all__ = ["KEY_STATES", "plot_arms", "plot_comparison", "plot_trajectory", "plot_trial",
           "plot_validation", "save_figure"]

PAIN_READ = {"diary": "weekly diary means", "visit": "visit ratings"}
"""How a trial's pain axis is labelled, by its reading."""

KEY_STATES = ("CS", "G", "DI", "Np", "S", "SD", "D", "E", "K")
_LABELS = {
    "CS": "central sensitization",
    "G": "glial activation",
    "DI": "descending inhibition",
    "Np": "nociceptor sensitization",
    "S": "stress load",
    "SD": "sleep debt",
    "D": "depressed mood",
    "E": "endothelial capacity",
    "K": "fitness",
}


def save_figure(fig: plt.Figure, path: str | Path, dpi: int = 110) -> Path:
    """Save a figure as PNG (creating the folder) and free it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches="tight", format="png")
    plt.close(fig)
    return path


def _shade_triggers(ax, ds: xr.Dataset) -> None:
    inputs = ds["inputs"].isel(patient=0)
    for name in ("injury", "infection", "stress_input", "awakenings"):
        if name not in inputs.coords["input"].values:
            continue
        active = inputs.sel(input=name).values > 0
        if active.any():
            days = ds.coords["day"].values[active]
            ax.axvspan(days.min(), days.max() + 1, color="0.85", zorder=0)


def plot_trajectory(ds: xr.Dataset, path: str | Path, title: str = "", patient: int = 0) -> Path:
    """Two panels: the six diary scores (0-10) and the key hidden states, for one patient."""
    tr = ds["trajectory"].isel(patient=patient)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    for score, (_, label) in SCORES.items():
        top.plot(tr.coords["day"], tr.sel(variable=score), label=label, lw=1.4)
    top.set_ylim(0, 10)
    top.set_ylabel("diary score (0-10)")
    top.legend(fontsize=8, ncol=2, loc="upper right")
    top.set_title(title or str(ds.attrs.get("scenario", "")))
    for state in KEY_STATES:
        if state in tr.coords["variable"].values:
            bottom.plot(tr.coords["day"], tr.sel(variable=state), label=_LABELS[state], lw=1.2)
    bottom.set_ylabel("state (normalized)")
    bottom.set_xlabel("day")
    bottom.legend(fontsize=8, ncol=3, loc="upper right")
    for ax in (top, bottom):
        _shade_triggers(ax, ds)
        ax.grid(alpha=0.3)
    fig.text(0.01, 0.005, "grey: trigger active. FMSim: research and education software, "
             "not a medical device.", fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    return save_figure(fig, path)


def plot_comparison(
    runs: Sequence[tuple[str, xr.Dataset]],
    path: str | Path,
    variables: Sequence[str] = ("pain", "fatigue", "sleep_quality", "mood", "stress", "CS"),
) -> Path:
    """One panel per variable, one line per run (e.g. a healthy and a vulnerable person)."""
    n = len(variables)
    cols = 3
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(11, 3.2 * rows), sharex=True, squeeze=False)
    for ax, var in zip(axes.flat, variables, strict=False):
        for label, ds in runs:
            tr = ds["trajectory"].isel(patient=0)
            ax.plot(tr.coords["day"], tr.sel(variable=var), label=label, lw=1.4)
        _shade_triggers(ax, runs[0][1])
        desc = SCORES[var][1] if var in SCORES else _LABELS.get(var, var)
        ax.set_title(desc, fontsize=10)
        ax.grid(alpha=0.3)
        if var in SCORES:
            ax.set_ylim(0, 10)
    for ax in axes.flat[n:]:
        ax.axis("off")
    for ax in axes[-1]:
        ax.set_xlabel("day")
    axes.flat[0].legend(fontsize=8)
    fig.tight_layout()
    return save_figure(fig, path)


def plot_arms(ds: xr.Dataset, labels: Sequence[str], path: str | Path, start: int, stop: int,
              variables: Sequence[str] = ("pain", "sleep_quality", "mood")) -> Path:
    """One panel per diary score, one line per treatment arm (the patient axis of ``ds``), with
    the treatment period shaded."""
    fig, axes = plt.subplots(1, len(variables), figsize=(4 * len(variables), 3.6), sharex=True,
                             squeeze=False)
    tr = ds["trajectory"]
    for ax, var in zip(axes[0], variables, strict=True):
        for i, label in enumerate(labels):
            ax.plot(tr.coords["day"], tr.isel(patient=i).sel(variable=var), label=label, lw=1.3)
        ax.axvspan(start, stop, color="#e3f0ff", zorder=0)
        ax.set_title(SCORES[var][1], fontsize=10)
        ax.set_ylim(0, 10)
        ax.set_xlabel("day")
        ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=7)
    fig.text(0.01, 0.005, "blue: treatment period. Simulated, not clinical advice.", fontsize=7,
             color="0.4")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return save_figure(fig, path)


def plot_trial(result: TrialResult, path: str | Path) -> Path:
    """A trial's two standard figures side by side: mean weekly pain per arm (week 0 is the
    baseline week; dropouts carried forward) and responder rates per arm."""
    fig, (course, bars) = plt.subplots(1, 2, figsize=(11, 3.8))
    arms = result.arms
    for arm in arms:
        weeks = range(len(arm.pain_by_week))
        course.plot(weeks, arm.pain_by_week, marker="o", ms=3, lw=1.4, label=arm.name)
    course.axvline(0.5, color="0.6", lw=0.8, ls="--")
    course.set_xlabel("week (0 = baseline)")
    course.set_ylabel(f"mean pain (0-10), {PAIN_READ[result.spec.reading]}")
    course.grid(alpha=0.3)
    course.legend(fontsize=8)
    width = 0.8 / len(arms)
    for i, arm in enumerate(arms):
        x = [j + (i - (len(arms) - 1) / 2) * width for j in range(2)]
        bars.bar(x, [100 * arm.responders_30, 100 * arm.responders_50], width, label=arm.name)
    bars.set_xticks([0, 1], [">=30% pain reduction", ">=50% pain reduction"])
    bars.set_ylabel("responders (%)")
    bars.grid(alpha=0.3, axis="y")
    fig.text(0.01, 0.005, "Simulated trial. FMSim: research and education "
             "software, not a medical device.", fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return save_figure(fig, path)


def plot_validation(result: ValidationResult, path: str | Path) -> Path:
    """Every target as a row, in two panels.

    Targets with an interval: the model's distance from the published value in units of the
    interval's half-width (inside -1..1 passes). Targets judged by the model's 95% interval (a
    risk ratio that must contain 1, a difference that must lie above 0, ...): the model's
    estimate and interval relative to the published reference, on the log scale for ratios.
    Green passes, red does not; hollow markers are the targets the calibration was fitted to."""
    targets = [t.to_dict() for t in result.targets]
    rows = [t for t in targets if t["interval"] and t["model"] is not None]
    judged = [t for t in targets if not t["interval"] and t["model"] is not None
              and t["ci"] and None not in t["ci"]]
    fig, (ax, ci_ax) = plt.subplots(
        2, 1, figsize=(10, 0.28 * (len(rows) + len(judged)) + 2.6),
        gridspec_kw={"height_ratios": [len(rows) + 1, len(judged) + 1]})

    def mark(axis, x: float, i: int, t: dict, span: tuple[float, float] | None = None) -> None:
        color = "tab:green" if t["pass"] else "tab:red"
        if span:
            axis.plot(span, [i, i], color=color, lw=1.5)
        axis.plot([x], [i], "o", color=color, mfc="white" if t["fitted"] else color)

    def label(axis, targets: list[dict]) -> None:
        names = [shorten(f"{t['id']}: {t['quantity']}", 62, placeholder="\u2026")
                 for t in targets]
        axis.set_yticks(range(len(targets)), names, fontsize=7)
        axis.invert_yaxis()
        axis.axvline(0, color="0.5", lw=0.8)

    for i, t in enumerate(rows):
        lo, hi = t["interval"]
        half = max(hi - t["published"], t["published"] - lo, 1e-12)
        mark(ax, max(-4.0, min(4.0, (t["model"] - t["published"]) / half)), i, t)
    ax.axvspan(-1, 1, color="0.9", zorder=0)
    label(ax, rows)
    ax.set_xlim(-4.2, 4.2)
    ax.set_xlabel("(model - published) / half-width of the target interval; grey: pass; "
                  "hollow: fitted, filled: predicted", fontsize=8)
    ax.set_title(f"FMSim against calibration.md: {result.pass_fraction:.0%} of targets pass")
    for i, t in enumerate(judged):
        ref, ratio = t["published"], "ratio" in t["quantity"] and t["published"] > 0
        x, lo, hi = (max(-4.0, min(4.0, float(np.log(v / ref)) if ratio else v - ref))
                     for v in (t["model"], *t["ci"]))
        mark(ci_ax, x, i, t, (lo, hi))
    label(ci_ax, judged)
    ci_ax.set_xlim(-4.2, 4.2)
    ci_ax.set_xlabel("model estimate and 95% interval minus the published reference (log ratio "
                     "for ratios; cut at 4); each target's rule is in the table", fontsize=8)
    fig.tight_layout()
    return save_figure(fig, path)
