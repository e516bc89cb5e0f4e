"""Plots, the model-loop diagram and HTML reports (matplotlib, headless)."""

from .html import DISCLAIMER, write_report
from .plots import plot_arms, plot_comparison, plot_trajectory, plot_trial, plot_validation

__all__ = ["DISCLAIMER", "plot_arms", "plot_comparison", "plot_trajectory", "plot_trial",
           "plot_validation", "write_report"]
