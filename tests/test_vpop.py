"""Virtual populations (`fmsim vpop`) and the natural history of an FM cohort."""

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from fmsim import (
    FMSimError,
    NaturalHistorySpec,
    PopulationSpec,
    fm_clinic_cohort,
    run_natural_history,
    run_population,
    screen,
)
from fmsim.cli import app
from fmsim.population.cohort import history_inputs
from fmsim.studies.population import BASELINE


@pytest.fixture(scope="module")
def population():
    return run_population(PopulationSpec(600, "general", seed=2))


@pytest.fixture(scope="module")
def general(population):
    return population.to_dict()


def test_general_population_reports_prevalence_sex_and_baselines(population, general):
    """The JSON's rates and summaries are those of the people in the per-patient table."""
    assert general["population"] == "general" and general["screened"] == 600
    people = population.to_dataframe()
    assert len(people) == 600
    fm = people["acr2016"]
    prev = general["prevalence"]
    assert prev["acr2016"] == pytest.approx(fm.mean())
    assert prev["acr2011"] == pytest.approx(people["acr2011"].mean())
    women = people["parameters.female"] > 0.5
    assert general["female_share"] == pytest.approx(women.mean())
    assert 0.4 < general["female_share"] < 0.6  # the prior: half women
    no_fm = general["baseline"]["no_fm"]
    assert set(no_fm) == set(BASELINE)
    for score in BASELINE:
        values = people.loc[~fm, score]
        assert no_fm[score]["mean"] == pytest.approx(values.mean())
        assert no_fm[score]["median"] == pytest.approx(values.median())
    assert fm.any(), "a population of 600 at seed 2 has people with FM"
    fm_scores = general["baseline"]["fm"]
    for score in ("pain", "fiqr", "psd", "fatigue"):  # worse off with FM on every score
        assert fm_scores[score]["mean"] > no_fm[score]["mean"], score


def test_major_events_arrive_at_their_rate():
    rng = np.random.default_rng(0)
    days, inputs = history_inputs("general", 4000, rng, {"event_rate": 0.5})
    hit = np.zeros(4000, dtype=bool)
    for series in inputs.values():
        assert series.shape == (4000, days)  # patient first
        hit |= series.max(axis=1) > 0
    # P(at least one event in two years) = 1 - exp(-0.5 * 2)
    assert hit.mean() == pytest.approx(1 - np.exp(-1.0), abs=0.03)
    assert not history_inputs("general", 50, rng, {"event_rate": 0.0})[1]


def test_screening_overrides_history_and_model_parameters_for_calibration():
    people = screen(40, 0, "general", {"event_rate": 0.0, "v_female": 0.0, "theta_C": 9.0})
    params = people["parameters"]
    assert np.all(params.sel(parameter="v_female") == 0.0)
    assert np.all(params.sel(parameter="theta_C") == 9.0)
    assert not people["acr2016"].any()  # no events, no switch: nobody has FM
    with pytest.raises(FMSimError, match="no_such_parameter"):
        screen(4, 0, "general", {"no_such_parameter": 1.0})


def test_fm_clinic_cohort_is_eligible_and_mostly_women():
    cohort, screened = fm_clinic_cohort(40, seed=4)
    assert cohort.sizes["patient"] == 40 and screened >= 40
    assert cohort["acr2016"].all() and (cohort["pain"] >= 4).all()
    assert cohort["parameters"].sel(parameter="female").mean() > 0.8
    assert list(cohort.coords["patient"].values) == list(range(40))
    assert cohort.attrs["reading"] == "diary"  # what it was selected on; run_trial checks it


def test_natural_history_follows_the_cohort_year_by_year():
    """The shares are counts of patients in the per-patient table, year by year."""
    result = run_natural_history(NaturalHistorySpec(2, 12, seed=1))
    summary = result.to_dict()
    assert len(summary["psd_by_year"]) == len(summary["criteria_positive_by_year"]) == 3
    assert summary["criteria_positive_by_year"][0] == 1.0  # everyone enrols meeting ACR 2016
    table = result.to_dataframe()
    assert len(table) == 12 * 3 and set(table["year"]) == {0, 1, 2}
    by_year = table.groupby("year")
    assert list(by_year["psd"].mean()) == pytest.approx(summary["psd_by_year"])
    assert list(by_year["acr2016"].mean()) == pytest.approx(
        summary["criteria_positive_by_year"])
    ever_negative = ~table.groupby("patient")["acr2016"].all()
    assert summary["ever_criteria_negative"] == pytest.approx(ever_negative.mean())
    pain = table.pivot(index="patient", columns="year", values="pain")
    change = (pain[2] - pain[0]) / pain[0]
    assert summary["improved"] == pytest.approx((change <= -0.3).mean())
    assert summary["worsened"] == pytest.approx((change >= 0.3).mean())


def test_bad_populations_get_clear_errors():
    with pytest.raises(FMSimError, match="unknown population 'clinic'"):
        PopulationSpec(10, "clinic")
    runner = CliRunner()
    result = runner.invoke(app, ["vpop", "--population", "everyone", "--n", "5"])
    assert result.exit_code == 2 and "'everyone' is not one of" in result.output
    result = runner.invoke(app, ["natural-history", "--years", "0"])
    assert result.exit_code == 2 and "years" in result.output


def test_vpop_and_natural_history_commands_print_json(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["vpop", "--n", "10", "--population", "fm-clinic", "--json",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["prevalence"]["acr2016"] == 1.0 and payload["n"] == 10
    assert json.loads((tmp_path / "result.json").read_text()) == payload
    people = pd.read_parquet(tmp_path / "patients.parquet")
    assert len(people) == 10 and people["acr2016"].all()
    result = runner.invoke(app, ["natural-history", "--years", "1", "--n", "5", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["psd_by_year"]) == 2


def test_a_cohort_is_the_same_on_every_executor():
    serial, screened = fm_clinic_cohort(8, seed=6)
    parallel, screened_too = fm_clinic_cohort(8, seed=6, executor="processes")
    assert screened == screened_too
    assert serial.identical(parallel)
