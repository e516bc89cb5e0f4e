"""The twin's calibration script (issue 21, deliverable 7) in miniature: it runs end to end
and reports ranks and predictive coverage in range (the full run and its result are in
docs/twin.md)."""

import importlib.util
from pathlib import Path

import pytest

from fmsim.twin.fit import FITTED, TwinSpec

SCRIPT = Path(__file__).parents[1] / "scripts" / "twin_calibration.py"


@pytest.mark.slow(minutes=0.3)
def test_one_simulated_person_is_fitted_ranked_and_predicted():
    spec = importlib.util.spec_from_file_location("twin_calibration", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    result = script.one(3, 30, 0.1, TwinSpec(particles=30, walkers=12, steps=6, burn=2,
                                             thin=2))
    assert set(result["ranks"]) == set(FITTED) == set(result["truth"])
    assert all(0 <= r <= result["draws"] for r in result["ranks"].values())
    assert result["weeks"] == 4  # the weeks ahead are whole, whatever the fitted days miss
    assert 0 <= result["covered_50"] <= result["covered_90"] <= result["weeks"]
