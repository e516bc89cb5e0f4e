"""A small virtual trial end to end: the DESIGN section 5 JSON, per-patient counting and its
table, seeds."""

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from fmsim import FMSimError, TrialSpec, run_trial
from fmsim.cli import app
from fmsim.population.cohort import history_parameters
from fmsim.studies.conduct import conduct

ARM_KEYS = {"name", "n", "responders_30", "responders_50", "pain_change_mean", "pain_change_sd",
            "fiqr_change_mean", "any_ae", "ae_dropout", "dropout", "completers",
            "responders_30_bocf", "responders_50_bocf", "responders_30_completers",
            "responders_50_completers", "pain_change_mean_completers"}
COMPARISON_KEYS = {"arm", "vs", "rr_30", "rr_50", "nnt_50", "smd_pain", "smd_fiqr",
                   "smd_fatigue", "smd_mood", "smd_sleep"}


@pytest.fixture(scope="module")
def result():
    return run_trial(TrialSpec(("usual-care", "placebo", "duloxetine:60"), weeks=6,
                               n_per_arm=24, seed=3))


@pytest.fixture(scope="module")
def small_trial(result):
    return result.to_dict()


def test_trial_json_has_every_design_field(small_trial):
    for arm in small_trial["arms"]:
        assert ARM_KEYS <= set(arm) and arm["n"] == 24
        assert 0 <= arm["responders_50"] <= arm["responders_30"] <= 1
        assert arm["responders_30"] * 24 == pytest.approx(arm["responders_30_count"])
        assert len(arm["pain_by_week"]) == 7  # baseline week + 6 treatment weeks
    for comparison in small_trial["comparisons"]:
        assert COMPARISON_KEYS <= set(comparison) and comparison["vs"] == "usual-care"
        for key in COMPARISON_KEYS - {"arm", "vs"}:
            assert f"{key}_ci" in comparison


def test_adverse_events_and_dropouts_are_counted_per_arm(small_trial):
    usual, placebo, drug = small_trial["arms"]
    assert usual["any_ae"] == 0 and usual["ae_dropout"] == 0
    assert drug["any_ae"] >= placebo["any_ae"] > 0


def test_the_per_patient_table_adds_up_to_the_arms(result, small_trial):
    """One row per patient and week; the arms' rates and means are the table's, counted per
    patient; observations stop after a patient leaves."""
    table = result.to_dataframe()
    weeks = result.spec.weeks + 1
    assert len(table) == 72 * weeks and table[["patient", "week"]].duplicated().sum() == 0
    assert {"arm", "pain", "fiqr", "dropout_week", "responder_30", "parameters.genetic"} <= set(
        table.columns)
    for arm in small_trial["arms"]:
        rows = table[(table["arm"] == arm["name"]) & (table["week"] == 0)]
        assert len(rows) == arm["n"]
        assert rows["responder_30"].mean() == pytest.approx(arm["responders_30"])
        assert rows["pain"].mean() == pytest.approx(arm["pain_baseline_mean"])
        assert (rows["dropout_week"] == -1).sum() == arm["completers"]
    left = table[(table["dropout_week"] >= 0) & (table["week"] > table["dropout_week"])]
    assert left["pain"].isna().all() and left["fiqr"].isna().all()
    stayed = table[table["dropout_week"] == -1]
    assert stayed["pain"].notna().all()


def test_the_per_patient_table_is_parquet_for_pandas(result, tmp_path):
    path = result.to_parquet(tmp_path / "patients.parquet")
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(back, result.to_dataframe())


def test_the_three_analyses_agree_with_each_other():
    """Dropouts count as non-responders under BOCF, keep their last week under LOCF, and are
    left out of the completers analysis; with nobody leaving, the three coincide."""
    design = TrialSpec(("placebo", "pregabalin:600"), weeks=8, n_per_arm=60, seed=5,
                       withdraw=0.05)
    for arm in run_trial(design).to_dict()["arms"]:
        n, kept = arm["n"], arm["completers"]
        assert arm["dropout"] == pytest.approx(1 - kept / n) and arm["dropout"] >= arm["ae_dropout"]
        for t in (30, 50):
            locf, bocf = arm[f"responders_{t}"], arm[f"responders_{t}_bocf"]
            assert bocf <= locf
            # the completers' responders are exactly the BOCF responders
            assert arm[f"responders_{t}_completers"] * kept == pytest.approx(bocf * n)
    nobody = TrialSpec(("usual-care", "aerobic"), weeks=4, n_per_arm=20, seed=5, withdraw=0.0)
    for arm in run_trial(nobody).to_dict()["arms"]:
        assert arm["completers"] == arm["n"] and arm["dropout"] == 0
        assert arm["responders_30_bocf"] == arm["responders_30_completers"] == arm["responders_30"]


def test_programs_are_attended_at_the_trial_adherence_and_drugs_as_prescribed():
    design = TrialSpec(("placebo", "aerobic+duloxetine:60", "cbt"), weeks=4)
    assert design.program_adherence == pytest.approx(0.8)  # conduct.toml, Sanz-Banos 2018
    placebo, combined, cbt = (design.treatment(spec) for spec in design.arms)
    assert placebo.adherence == 1.0 and combined.adherence == cbt.adherence == 0.8
    assert combined.stop_day == 28


def test_trial_help_states_the_registry_defaults():
    output = CliRunner().invoke(app, ["trial", "--help"]).output
    text = " ".join(output.replace("│", " ").split())  # the help box wraps lines
    for key in ("withdraw_weekly", "adherence"):
        assert f"(default {conduct()[key]:g}, studies/conduct.toml)" in text, key


def test_the_drug_beats_usual_care_on_average(small_trial):
    usual, _, drug = small_trial["arms"]
    assert drug["pain_change_mean"] < usual["pain_change_mean"]


def test_a_trial_is_reproducible_from_its_seed():
    design = TrialSpec(("placebo", "pregabalin:300"), weeks=2, n_per_arm=8, seed=11)
    first, again = run_trial(design), run_trial(design)
    assert first.to_dict() == again.to_dict()
    assert first.patients.equals(again.patients)
    other = run_trial(TrialSpec(("placebo", "pregabalin:300"), weeks=2, n_per_arm=8, seed=12))
    assert other.to_dict() != first.to_dict()


def test_bad_designs_get_clear_errors():
    with pytest.raises(FMSimError, match="at least two arms"):
        TrialSpec(("placebo",))
    with pytest.raises(FMSimError, match="withdraw must be a probability 0-1, not 2"):
        TrialSpec(("placebo", "naproxen"), withdraw=2)
    with pytest.raises(FMSimError, match=r"adherence must be a probability 0-1, not -0\.5"):
        TrialSpec(("usual-care", "aerobic"), adherence=-0.5)
    with pytest.raises(FMSimError, match="unknown treatment 'aspirin'"):
        TrialSpec(("placebo", "aspirin"))
    with pytest.raises(FMSimError, match="are the same treatment"):
        TrialSpec(("placebo", "duloxetine", "duloxetine:60"))
    with pytest.raises(FMSimError, match="no arm has a program"):
        TrialSpec(("placebo", "duloxetine:60"), adherence=0.5)
    runner = CliRunner()
    for args, message in ((["--arm", "placebo", "--arm", "duloxetine:500"], "labelled range"),
                          (["--arm", "placebo"], "at least two arms")):
        result = runner.invoke(app, ["trial", *args, "--n", "4"])
        assert result.exit_code == 2 and message in result.output, result.output


def test_trial_command_prints_json_and_writes_a_report(tmp_path):
    result = CliRunner().invoke(app, ["trial", "--arm", "placebo", "--arm", "naproxen",
                                      "--weeks", "2", "--n", "6", "--json", "--out", tmp_path])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [a["name"] for a in payload["arms"]] == ["placebo", "naproxen"]
    assert json.loads((tmp_path / "result.json").read_text()) == payload
    table = pd.read_parquet(tmp_path / "patients.parquet")
    assert len(table) == 12 * 3 and set(table["arm"]) == {"placebo", "naproxen"}
    html = (tmp_path / "report.html").read_text()
    assert "data:image/png;base64" in html and "naproxen vs placebo" in html
    assert "in three analyses" in html and "BOCF (dropouts fail)" in html
    assert "not a medical device" in html


def test_a_cohort_of_the_wrong_size_gets_a_clear_error():
    import xarray as xr

    cohort = xr.Dataset({"pain": ("patient", np.array([7.0]))})
    with pytest.raises(FMSimError, match="the design needs 2 arms x 5 = 10"):
        run_trial(TrialSpec(("placebo", "naproxen"), n_per_arm=5), cohort=cohort)


def test_a_cohort_selected_on_another_reading_is_refused():
    """A visit trial's cohort is selected on one rating, a diary trial's on a week's mean:
    running one trial on the other's cohort is refused before anything is simulated."""
    import xarray as xr

    cohort = xr.Dataset({"pain": ("patient", np.full(10, 7.0))}, attrs={"reading": "diary"})
    spec = TrialSpec(("placebo", "naproxen"), n_per_arm=5, reading="visit")
    with pytest.raises(FMSimError, match="selected on the diary reading; the trial reads visit"):
        run_trial(spec, cohort=cohort)


def test_a_trial_read_at_the_visits_selects_and_reads_one_rating():
    """``reading="visit"`` (duloxetine's trials: one 24-hour BPI rating at each visit): the
    cohort is selected on the enrolment visit's rating, and baseline and every week are that
    day's whole-number answer, not a week's mean; the same trial read from diaries is not."""
    spec = TrialSpec(("placebo", "duloxetine:60"), weeks=4, n_per_arm=40, seed=5,
                     reading="visit")
    visit = run_trial(spec)
    diary = run_trial(TrialSpec(spec.arms, weeks=4, n_per_arm=40, seed=5))
    pain = visit.patients["pain"].values
    seen = pain[~np.isnan(pain)]
    assert np.array_equal(seen, np.rint(seen))
    assert pain[:, 0].min() >= history_parameters()["min_pain"]
    assert visit.to_dict()["reading"] == "visit" and diary.to_dict()["reading"] == "diary"
    weekly = diary.patients["pain"].values
    assert not np.array_equal(weekly[~np.isnan(weekly)], np.rint(weekly[~np.isnan(weekly)]))
    with pytest.raises(FMSimError, match="unknown reading 'bpi'; allowed: diary, visit"):
        TrialSpec(spec.arms, reading="bpi")


def test_the_visit_reading_takes_each_weeks_last_day():
    """A week's visit is its last day (day 7w + 6, when the FIQR is answered too); the diary
    reading is the week's mean."""
    from fmsim.studies.trial import _weekly

    days = np.arange(28, dtype=float)[None, :]
    assert _weekly(days, 4, "visit").tolist() == [[6, 13, 20, 27]]
    assert _weekly(days, 4, "diary").tolist() == [[3, 10, 17, 24]]
