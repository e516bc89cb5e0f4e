"""Virtual populations (`fmsim vpop`) and the natural history of an FM cohort."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from fmsim import FMSimError
from fmsim.cli import app
from fmsim.population.cohort import fm_clinic_cohort, history_inputs, screen
from fmsim.population.natural_history import natural_history
from fmsim.population.vpop import BASELINE, virtual_population


@pytest.fixture(scope="module")
def general():
    return virtual_population(600, "general", seed=2)


def test_general_population_reports_prevalence_sex_and_baselines(general):
    assert general["population"] == "general" and general["screened"] == 600
    prev = general["prevalence"]
    assert 0 <= prev["acr2016"] <= 0.2 and 0 <= prev["acr2011"] <= 0.2
    assert 0.4 < general["female_share"] < 0.6  # the prior: half women
    no_fm = general["baseline"]["no_fm"]
    assert set(no_fm) == set(BASELINE)
    assert no_fm["pain"]["p25"] <= no_fm["pain"]["median"] <= no_fm["pain"]["p75"]
    if "fm" in general["baseline"]:  # people with FM are worse off on every score
        fm = general["baseline"]["fm"]
        for score in ("pain", "fiqr", "psd", "fatigue"):
            assert fm[score]["mean"] > no_fm[score]["mean"], score


def test_major_events_arrive_at_their_rate():
    rng = np.random.default_rng(0)
    days, inputs = history_inputs("general", 4000, rng, {"event_rate": 0.5})
    hit = np.zeros(4000, dtype=bool)
    for series in inputs.values():
        assert series.shape == (days, 4000)
        hit |= series.max(axis=0) > 0
    # P(at least one event in two years) = 1 - exp(-0.5 * 2)
    assert hit.mean() == pytest.approx(1 - np.exp(-1.0), abs=0.03)
    assert not history_inputs("general", 50, rng, {"event_rate": 0.0})[1]


def test_screening_overrides_history_and_model_parameters_for_calibration():
    people = screen(40, 0, "general", {"event_rate": 0.0, "v_female": 0.0, "theta_C": 9.0})
    assert np.all(people["param_v_female"] == 0.0) and np.all(people["param_theta_C"] == 9.0)
    assert not people["acr2016"].any()  # no events, no switch: nobody has FM
    with pytest.raises(FMSimError, match="no_such_parameter"):
        screen(4, 0, "general", {"no_such_parameter": 1.0})


def test_fm_clinic_cohort_is_eligible_and_mostly_women():
    cohort, screened = fm_clinic_cohort(40, seed=4)
    assert len(cohort["pain"]) == 40 and screened >= 40
    assert cohort["acr2016"].all() and (cohort["pain"] >= 4).all()
    assert cohort["param_female"].mean() > 0.8


def test_natural_history_follows_the_cohort_year_by_year():
    result = natural_history(2, 12, seed=1)
    assert len(result["psd_by_year"]) == len(result["criteria_positive_by_year"]) == 3
    assert result["criteria_positive_by_year"][0] == 1.0  # everyone enrols meeting ACR 2016
    for key in ("ever_criteria_negative", "improved", "worsened"):
        assert 0 <= result[key] <= 1
    assert result["improved"] + result["worsened"] <= 1
    assert result["ever_criteria_negative"] >= 1 - min(result["criteria_positive_by_year"]) - 1e-12


def test_bad_populations_get_clear_errors():
    with pytest.raises(FMSimError, match="unknown population 'clinic'"):
        virtual_population(10, "clinic")
    runner = CliRunner()
    result = runner.invoke(app, ["vpop", "--population", "everyone", "--n", "5"])
    assert result.exit_code == 2 and "unknown population 'everyone'" in result.output
    result = runner.invoke(app, ["natural-history", "--years", "0"])
    assert result.exit_code == 2 and "years" in result.output


def test_vpop_and_natural_history_commands_print_json():
    runner = CliRunner()
    result = runner.invoke(app, ["vpop", "--n", "10", "--population", "fm-clinic", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["prevalence"]["acr2016"] == 1.0 and payload["n"] == 10
    result = runner.invoke(app, ["natural-history", "--years", "1", "--n", "5", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["psd_by_year"]) == 2


def test_a_cohort_is_the_same_on_every_executor():
    serial, screened = fm_clinic_cohort(8, seed=6)
    parallel, screened_too = fm_clinic_cohort(8, seed=6, executor="processes")
    assert screened == screened_too and serial.keys() == parallel.keys()
    for key, values in serial.items():
        np.testing.assert_array_equal(values, parallel[key], err_msg=key)
