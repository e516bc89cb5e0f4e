"""How noisy the twin's particle-filter likelihood is: its spread between seeds by the diary
columns weighed and the number of particles (docs/twin.md).

A 90-day diary of the simulated woman of ``fm-diary`` (model v2, seed 4, no day missing) is
weighed at her own priming gain ``w_PC`` (1.529) and at 1.9, five filter seeds each, for pain
alone, pain with sleep quality and mood, and every column; then each column alone at 400
particles (six seeds).

    python scripts/twin_likelihood_variance.py
"""

from __future__ import annotations

import numpy as np

from fmsim.studies import load_scenario
from fmsim.twin import simulate_diary
from fmsim.twin.diary import NUMBERS
from fmsim.twin.likelihood import DiaryLikelihood


def main() -> None:
    diary = simulate_diary(load_scenario("fm-diary", "fm-v2"), 90, seed=4).diary
    theta = np.array([[1.529], [1.9]])
    print("| columns | particles | log-likelihood at 1.529, 1.9 (mean of 5 seeds) | SD |")
    print("|---|---|---|---|")
    for columns in (("pain",), ("pain", "sleep_quality", "mood"), None):
        for particles in (100, 400, 1600):
            values = np.array([DiaryLikelihood(diary, ("w_PC",), particles=particles, seed=s,
                                               columns=columns)(theta) for s in range(5)])
            print(f"| {', '.join(columns) if columns else 'all'} | {particles} | "
                  f"{values.mean(0)[0]:.1f}, {values.mean(0)[1]:.1f} | "
                  f"{values.std(0)[0]:.1f}, {values.std(0)[1]:.1f} |", flush=True)
    print("\n| column alone (400 particles) | log-likelihood (mean of 6 seeds) | SD |")
    print("|---|---|---|")
    for column in NUMBERS:
        values = np.array([DiaryLikelihood(diary, ("w_PC",), particles=400, seed=s,
                                           columns=(column,))(theta[:1])[0] for s in range(6)])
        print(f"| {column} | {values.mean():.1f} | {values.std():.2f} |", flush=True)


if __name__ == "__main__":
    main()
