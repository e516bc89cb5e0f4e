"""The twin's calibration script (issue 21, deliverable 7) in miniature: it runs end to end
and reports ranks and predictive coverage in range (the full run and its result are in
docs/twin.md)."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from fmsim import resolve_model
from fmsim.twin.fit import FITTED, TwinSpec

ROOT = Path(__file__).parents[1]
SCRIPT = ROOT / "scripts" / "twin_calibration.py"


def _script(path: Path = SCRIPT):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


@pytest.mark.slow(minutes=0.3)
def test_one_simulated_person_is_fitted_ranked_predicted_and_their_drug_estimated():
    script = _script()
    vary = ("sd_sleep", "sd_load")  # integrated over by the twin: their truth is ranked too
    result = script.one(3, 30, 0.1, TwinSpec(particles=30, walkers=12, steps=6, burn=2,
                                             thin=2), vary, treatment=("duloxetine:60", 15))
    assert set(result["ranks"]) == {*FITTED, *vary} == set(result["truth"])
    drug = result["drug"]  # what the drug did (it helped) and the twin's interval for it
    assert drug["truth"] < 0 and drug["low"] <= drug["median"] <= drug["high"]
    assert drug["covered_90"] == (drug["low"] <= drug["truth"] <= drug["high"])
    assert all(0 <= r <= result["draws"] for r in result["ranks"].values())
    assert set(result["final_ranks"]) == set(result["ranks"]) and result["walkers"] == 12
    assert all(0 <= r <= 12 for r in result["final_ranks"].values())
    assert set(result["ess"]) == set(FITTED)  # two kept draws a walker: too few for an ESS
    assert all(ess is None for ess in result["ess"].values())
    assert result["weeks"] == 4  # the weeks ahead are whole, whatever the fitted days miss
    assert 0 <= result["covered_50"] <= result["covered_90"] <= result["weeks"]
    # the PIT's shares of weeks covered: the 90% interval holds the 50% one
    assert 0 <= result["pit_50"] <= result["pit_90"] <= result["weeks"]


def test_people_outside_the_fitted_set_keep_their_fitted_draws():
    """--vary draws more of a person's parameters from the population prior without changing
    the fitted ones' draws, so a misspecified run's people are the well-specified run's people
    with something the twin does not fit."""
    script = _script()
    plain = script.person(np.random.default_rng([2026, 3]))
    varied = script.person(np.random.default_rng([2026, 3]), ("sd_sleep", "sd_stress"))
    assert {k: varied[k] for k in FITTED} == plain
    registry = resolve_model(script.MODEL).registry.parameters
    for name in ("sd_sleep", "sd_stress"):
        lo, hi = registry[name].prior.bounds
        assert lo <= varied[name] <= hi


def test_people_drawn_evenly_fill_their_priors_and_keep_their_fitted_draws():
    """--draw sobol: 32 people's truths lie one in each 32nd of every fitted prior (and of a
    varied one's), where independent draws crowd; the fitted draws do not depend on --vary, and
    the values lie in their priors' bounds."""
    from fmsim.population.priors import prior_cdf

    script = _script()
    vary = ("sd_sleep", "tau_K")
    people = [script.evenly(i, vary) for i in range(32)]
    registry = resolve_model(script.MODEL).registry.parameters
    for name in (*FITTED, *vary):
        prior = registry[name].prior
        places = prior_cdf(prior, registry[name].value, [p[name] for p in people])
        assert sorted(np.floor(places * 32).astype(int)) == list(range(32)), name
        lo, hi = prior.bounds
        assert all(lo <= p[name] <= hi for p in people)
    assert [{k: p[k] for k in FITTED} for p in people] == [script.evenly(i) for i in range(32)]
    drawn = [script.person(np.random.default_rng([2026, i])) for i in range(32)]
    crowded = [np.histogram(prior_cdf(registry[n].prior, registry[n].value,
                                      [p[n] for p in drawn]), bins=32, range=(0, 1))[0].max()
               for n in FITTED]
    assert max(crowded) > 1  # independent draws share a slice somewhere


def test_people_drawn_evenly_do_not_pair_a_fitted_value_with_an_integrated_one():
    """Over 200 people drawn evenly, no fitted parameter's place in its prior goes with an
    integrated one's more than independent draws would make it (two Sobol' sequences, one
    for each group, had paired their same dimensions: the eighth measurement's correlations
    of -0.94 to 0.89)."""
    from scipy.stats import spearmanr

    from fmsim.population.priors import prior_cdf
    from fmsim.twin.fit import INTEGRATED

    script = _script()
    registry = resolve_model(script.MODEL).registry.parameters
    people = [script.evenly(i, INTEGRATED) for i in range(200)]
    places = np.array([[prior_cdf(registry[n].prior, registry[n].value, p[n])
                        for n in (*FITTED, *INTEGRATED)] for p in people])
    between = spearmanr(places).correlation[:len(FITTED), len(FITTED):]
    assert np.abs(between).max() < 0.3
    with pytest.raises(ValueError, match="draw 'even'"):
        script.lived(0, 30, draw="even")  # the old pairing's name is not taken for another
    with pytest.raises(ValueError, match="no population prior"):
        script.evenly(0, ("w_nothing",))
    # a varied parameter outside the fitted and integrated ones moves no other value
    assert {k: v for k, v in script.evenly(7, ("genetic",)).items() if k != "genetic"} == \
        script.evenly(7)


@pytest.mark.parametrize("names, words", [("w_nothing", "no population prior"),
                                          ("w_PC", "either fitted or integrated")])
def test_a_bad_integrate_is_refused_before_anyone_is_fitted(tmp_path, names, words):
    out = tmp_path / "report.json"
    with pytest.raises(SystemExit, match=words):  # the message, not a traceback
        _script().main(["--n", "1", "--integrate", names, "--out", str(out)])
    assert not out.exists()


@pytest.mark.parametrize("fit, words", [("w_nothing", "no continuous population prior"),
                                        ("female", "yes/no"),
                                        ("sd_load", "walkers must be even")])
def test_a_bad_fit_is_refused_before_anyone_is_fitted(tmp_path, fit, words):
    out = tmp_path / "report.json"
    with pytest.raises(SystemExit, match=words):  # the message, not a traceback
        _script().main(["--n", "1", "--fit", fit, "--walkers", "12", "--out", str(out)])
    assert not out.exists()


@pytest.mark.slow(minutes=0.3)
def test_the_script_runs_a_treated_person_with_a_parameter_moved_to_the_fitted(tmp_path):
    """One small person from the command line, with ``--treatment`` (a drug started on a diary
    day) and ``--fit sd_load`` (the noise amplitude of the life load sampled with the six
    instead of integrated over, and the people differing in it): the report holds the drug's
    estimate and its coverage, says that sd_load was fitted, and ranks and narrows it as a
    fitted one."""
    out = tmp_path / "report.json"
    _script().main(["--n", "1", "--days", "30", "--fit", "sd_load", "--particles", "20",
                    "--walkers", "14", "--steps", "4", "--treatment", "duloxetine:60", "15",
                    "--out", str(out)])
    report = json.loads(out.read_text())
    assert report["treatment"] == ["duloxetine:60", "15"] and report["n"] == 1
    assert 0.0 <= report["drug_covered_90"] <= 1.0 and "drug" in report["people"][0]
    assert report["spec"]["fitted"] == [*FITTED, "sd_load"] and report["vary"] == ["sd_load"]
    assert "sd_load" not in report["spec"]["integrated"]
    assert list(report["sbc"]) == [*FITTED, "sd_load"]
    assert set(report["people"][0]["shrinkage"]) == {*FITTED, "sd_load"}


def test_coverage_is_split_by_the_twins_verdict():
    """The report splits coverage between the people the twin would answer (every fitted
    parameter narrowed by MIN_SHRINKAGE) and those it would tell "not enough data yet"."""
    import argparse

    from fmsim.twin.fit import MIN_SHRINKAGE

    script = _script()
    tight = dict.fromkeys(FITTED, MIN_SHRINKAGE)
    loose = tight | {"w_PC": MIN_SHRINKAGE - 0.01}
    registry = resolve_model("fm-v2").registry.parameters
    people = [{"ranks": dict.fromkeys(FITTED, 1), "draws": 4, "weeks": 4, "covered_50": c50,
               "truth": {n: registry[n].value for n in FITTED},
               "covered_90": 4, "shrinkage": s, "drug": {"covered_90": drug}}
              for c50, s, drug in ((2, tight, True), (1, tight, False), (4, loose, True))]
    args = argparse.Namespace(days=60, missing=0.0, vary=(), treatment=None, bins=5,
                              draw="random")
    people[0] |= {"pit_50": 1.5, "pit_90": 3.5}  # the PIT's shares, where recorded
    report = script.summary(people, args, TwinSpec())
    assert report["coverage_50"] == 7 / 12 and report["drug_covered_90"] == 2 / 3
    assert report["pit_people"] == 1 and report["pit_coverage_50"] == 1.5 / 4
    answered, refused = (report["by_verdict"][k] for k in ("answered", "not_enough_data"))
    assert answered == {"people": 2, "coverage_50": 3 / 8, "coverage_90": 1.0,
                        "pit_coverage_50": 1.5 / 4, "pit_coverage_90": 3.5 / 4,
                        "pit_people": 1, "drug_covered_90": 0.5}
    assert refused == {"people": 1, "coverage_50": 1.0, "coverage_90": 1.0,
                       "drug_covered_90": 1.0}


def test_part_of_a_report_is_read_again_as_a_sample_of_its_own(tmp_path):
    """``--replot REPORT --part FIRST LAST``: the whole committed run read again gives its
    report's numbers back; a part holds only its people, and a part beyond them is refused.
    The final walkers' rank histograms are drawn beside the others only for a report whose
    people have them."""
    script = _script()
    committed = ROOT / "docs" / "twin-calibration-unfitted-carried.json"
    report = json.loads(committed.read_text())
    whole = script.part(report, 0, report["n"], 5)
    assert whole["sbc"] == report["sbc"] and whole["by_verdict"] == report["by_verdict"]
    assert whole["pit_coverage_90"] == report["pit_coverage_90"]
    out = tmp_path / "later.json"
    script.main(["--replot", str(committed), "--part", "150", "200", "--out", str(out)])
    later = json.loads(out.read_text())
    assert later["n"] == 50 and later["part"] == [150, 200]
    assert [r["person"] for r in later["people"]] == list(range(150, 200))
    assert sum(later["sbc"]["w_PC"]["histogram"]) == 50 and out.with_suffix(".png").is_file()
    assert not (tmp_path / "later-final.png").exists()  # these people have no final ranks
    carried_path = ROOT / "docs" / "twin-calibration-unfitted-carried-400.json"
    carried = json.loads(carried_path.read_text())  # final ranks recorded from person 238 on
    assert "sbc_final" not in script.part(carried, 0, 200, 5)  # none of these people has one
    assert script.part(carried, 200, carried["n"], 5)["sbc_final"]["people"] == (
        carried["n"] - 238)
    whole = tmp_path / "whole.json"  # a copy: the whole report's histograms are drawn beside it
    whole.write_text(json.dumps(carried))
    script.main(["--replot", str(whole)])
    assert (tmp_path / "whole.png").is_file() and (tmp_path / "whole-final.png").is_file()
    with pytest.raises(SystemExit, match="people 0 to 199"):
        script.main(["--replot", str(committed), "--part", "150", "201", "--out", str(out)])


def test_the_final_ensemble_s_ranks_are_uniform_when_its_walkers_are_posterior_draws():
    """Ranked among 16 walkers that are independent draws of a normal posterior holding the
    truth, the randomized ranks are uniform and the truth lies outside every walker about 2
    times in 17; walkers half as spread as the posterior give the U of an over-confident
    fit."""
    script = _script()
    rng = np.random.default_rng(5)

    def people(spread: float) -> list[dict]:
        truths = rng.normal(size=600)  # each truth a draw of its posterior, N(0, 1)
        walkers = spread * rng.normal(size=(600, 16))
        return [{"person": i, "walkers": 16, "final_ranks": {"x": int(np.sum(w < t))}}
                for i, (t, w) in enumerate(zip(truths, walkers, strict=True))]

    calibrated = script.final_ensemble_test(people(1.0), "x", 5)
    assert calibrated["chi2_p"] > 0.01 and sum(calibrated["histogram"]) == 600
    assert calibrated["outside_every_walker"] == pytest.approx(2 / 17, abs=0.04)
    narrow = script.final_ensemble_test(people(0.5), "x", 5)
    low, *_, high = narrow["histogram"]
    assert narrow["chi2_p"] < 1e-6 and min(low, high) > 1.5 * 600 / 5


def test_post_stratifying_on_the_truths_removes_a_lean_they_brought():
    """A posterior that is the prior (calibrated, if uninformative) ranks each truth at its
    place in the prior; truths that happen to crowd the prior's lowest fifth then make the rank
    histogram lean that way, and post-stratified it is flat again."""
    truths = np.concatenate([np.linspace(0.01, 0.19, 30), np.linspace(0.21, 0.99, 40)])
    out = _script().stratified(truths, truths, 5)
    assert out["truth_histogram"] == [30, 10, 10, 10, 10] and out["truth_chi2_p"] < 0.001
    np.testing.assert_allclose(out["stratified_histogram"], 14.0)
    assert out["stratified_chi2_p"] > 0.99
    assert out["stratified_mean_rank_fraction"] == pytest.approx(0.5, abs=0.02)


def test_a_calibrated_forecast_of_weekly_means_overcovers_with_its_bounds_but_not_by_pit():
    """The reference for the twin's coverage: forecasts that are calibrated by construction
    (copies of the person from their own past) cover a weekly mean of whole-number ratings
    above the nominal rate when the intervals' bounds are included (the mean lies on a grid
    of sevenths), and at the nominal rate under the randomized PIT."""
    oracle = _script(SCRIPT.with_name("twin_oracle_coverage.py")).oracle(40)
    assert oracle["included"][50] > 0.52
    assert oracle["pit"][50] == pytest.approx(0.5, abs=0.03)
    assert oracle["pit"][90] == pytest.approx(0.9, abs=0.02)


@pytest.mark.slow(minutes=0.5)
def test_the_filter_alone_places_the_person_where_they_are():
    """The particle filter at a person's own parameters (scripts/twin_filter_check.py, small):
    the true sensitization and glia at the diary's end fall inside the particles' spread, their
    ranks centred; at a priming gain 1.6 times the truth the particles sit above the truth."""
    script = _script(SCRIPT.with_name("twin_filter_check.py"))
    right = script.filter_ranks(16, days=40, particles=150)
    wrong = script.filter_ranks(16, days=40, particles=150, scale_w_pc=1.6)
    for state in ("CS", "G"):
        assert 0.3 < right[state].mean() < 0.7, state
        assert np.mean((right[state] > 0) & (right[state] < 1)) >= 0.75, state
    assert wrong["CS"].mean() < 0.2 < right["CS"].mean()


@pytest.mark.slow(minutes=0.2)
def test_the_filters_particles_carried_on_cover_the_weeks_ahead_at_known_values():
    """The filter's final particles at a person's own values, carried four weeks on
    (scripts/twin_filter_check.py --forecast, small): their 90% intervals cover the true weekly
    means about as often as they should; with the priming gain 1.6 times the truth, far
    less."""
    script = _script(SCRIPT.with_name("twin_filter_check.py"))
    people = [{"person": i, "shrinkage": {"w_PC": 0.0}, "pit_50": 0.0, "pit_90": 0.0}
              for i in range(24)]

    def covered(scale: float) -> float:
        rows = script.forecast_coverage(people, 40, script.NOISE, particles=150,
                                        scale_w_pc=scale)
        assert all(not r["answered"] for r in rows)  # no shrinkage: the verdict holds back
        return sum(r["known_90"] for r in rows) / sum(r["weeks"] for r in rows)

    right, wrong = covered(1.0), covered(1.6)
    assert right > 0.8
    assert wrong < right - 0.1


def test_the_perfect_forecaster_starts_from_the_persons_own_states_and_covers():
    """The reference of ``twin_filter_check.py --forecast``: the person's run retraced in
    blocks reaches the very states their simulated diary's truth records, and forecasts carried
    on from their own states and noise cover the true weeks at about the nominal rate."""
    script = _script(SCRIPT.with_name("twin_filter_check.py"))
    _, scenario = _script().lived(5, 30, script.INTEGRATED)
    truth = script.simulate_diary(scenario, 30, seed=1005).truth
    states, noise = script.true_end(scenario, 1005, scenario.days - 1)
    # the truth records no noise, nor fitness or avoidance (which twin_filter_check ranks):
    # the states it records stand for the rest of the same run
    for name in ("S", "I", "CS", "Pm", "D"):
        assert states[name] == pytest.approx(truth.states[name][-1], abs=1e-5), name
    assert set(noise) == {"noise_stress", "noise_load", "noise_inflammation", "noise_sleep"}
    people = [{"person": i, "shrinkage": {"w_PC": 1.0}, "pit_50": 2.0, "pit_90": 4.0}
              for i in range(24)]
    rows = script.forecast_coverage(people, 40, script.INTEGRATED, particles=150)
    weeks = sum(r["weeks"] for r in rows)
    assert all(r["answered"] for r in rows)
    assert sum(r["perfect_90"] for r in rows) / weeks > 0.8
    assert sum(r["perfect_50"] for r in rows) / weeks == pytest.approx(0.5, abs=0.15)
    # the twin's shortfall is read on the same weeks: its rows' 2 and 4 of 4 weeks
    everyone = script.groups(rows)["all"]
    assert (everyone["people"], everyone["twin_50"], everyone["twin_90"]) == (24, 0.5, 1.0)
    assert everyone["less_50"] == pytest.approx(0.5 - everyone["perfect_50"])
    assert 0 < everyone["se_50"] < 0.2


def test_the_readme_states_the_committed_calibration_report():
    """The README's paragraph on the twin's calibration quotes the committed report of people
    who differ in everything (docs/twin-calibration-unfitted-carried.json): its size, its
    coverage by the PIT and with bounds counted, and the held-back and answered people's; and
    the same people's with 30% of their days missing, and such people's drug estimates and
    forecasts when they start duloxetine halfway through a 120-day diary."""
    report = json.loads((ROOT / "docs" / "twin-calibration-unfitted-carried.json").read_text())
    readme = " ".join((ROOT / "README.md").read_text().split())
    held, answered = (report["by_verdict"][k] for k in ("not_enough_data", "answered"))

    def pair(part: dict, key: str = "pit_coverage") -> str:
        return f"{100 * part[f'{key}_50']:.1f}% and {100 * part[f'{key}_90']:.1f}%"

    assert f"Over {report['n']} simulated people" in readme
    assert f"covered {pair(report)} of them" in readme
    assert f"as `whatif` prints them, {pair(report, 'coverage')}" in readme
    assert f"at the nominal rates ({pair(held)})" in readme
    assert (f"the {answered['people']} it answers are covered less often "
            f"({pair(answered)})") in readme
    carried = json.loads((ROOT / "docs" / "twin-calibration-unfitted-carried-400.json")
                         .read_text())  # the same run carried on: its final walkers' test
    final = carried["sbc_final"]
    tests = [final[name]["chi2_p"] for name in FITTED]
    assert f"For {final['people']} people (the last {final['people']} of {carried['n']})" in readme
    assert f"all six fitted parameters (p {min(tests):.2f}-{max(tests):.2f})" in readme
    assert f"over all {carried['n']}: {pair(carried)}" in readme
    reference = json.loads((ROOT / "docs" / "twin-calibration-unfitted-carried-perfect.json")
                           .read_text())  # scripts/twin_filter_check.py --forecast
    assert reference["report"] == "docs/twin-calibration-unfitted-carried.json"
    everyone, told = reference["groups"]["all"], reference["groups"]["answered"]
    assert told["people"] == answered["people"] and everyone["people"] == report["n"]
    assert told["twin_90"] == pytest.approx(answered["pit_coverage_90"])

    def perfect(part: dict) -> str:
        return f"{100 * part['perfect_50']:.1f}% and {100 * part['perfect_90']:.1f}%"

    def less(part: dict) -> str:
        return f"{-100 * part['less_90']:.1f}"

    assert (f"covers {perfect(everyone)} of the same weeks, and {perfect(told)} of the "
            "answered people's") in readme
    assert (f"short by {less(everyone)} points (standard error {100 * everyone['se_90']:.1f}) "
            f"over everyone and by {less(told)} ({100 * told['se_90']:.1f})") in readme
    assert (f"picture of their states costs "
            f"{100 * (told['perfect_90'] - told['known_90']):.1f}") in readme
    missing = json.loads((ROOT / "docs" / "twin-calibration-missing30-unfitted.json").read_text())
    assert missing["missing"] == 0.3 and missing["vary"] == report["vary"]
    assert (f"With 30% of days missing, the first {missing['n']} of the same people were covered "
            f"at {pair(missing)}") in readme
    treated = json.loads((ROOT / "docs" / "twin-calibration-duloxetine-unfitted.json")
                         .read_text())
    assert treated["treatment"] == ["duloxetine:60", "60"] and treated["vary"] == report["vary"]
    covered = sum(r["drug"]["covered_90"] for r in treated["people"])
    assert (f"Of {treated['n']} such people who start duloxetine 60 mg halfway through a "
            f"{treated['days']}-day diary") in readme
    assert f"what the drug did to their pain covered {covered} " in readme
    assert f"on the drug, were covered at {pair(treated)}" in readme


def test_the_sensitivity_record_sees_each_column_s_own_parameter():
    """scripts/twin_sensitivity.py's diaries: more planned activity, more minutes logged; a
    stronger mood pathway, a lower mood; and the committed report ranks them first there."""
    script = _script(SCRIPT.with_name("twin_sensitivity.py"))
    low_high = {"act_plan": np.array([0.3, 0.8, 0.55, 0.55]),
                "gain_affective": np.array([1.0, 1.0, 0.7, 1.6])}
    stats = script.diary_statistics(low_high, 30, seed=1)
    assert stats.shape == (4, len(script.COLUMNS), 2)
    mean = {c: stats[:, j, 0] for j, c in enumerate(script.COLUMNS)}
    assert mean["activity_minutes"][1] > mean["activity_minutes"][0] + 10
    assert mean["mood"][3] > mean["mood"][2]  # mood is rated 10 = the lowest
    report = json.loads((ROOT / "docs" / "twin-sensitivity.json").read_text())
    for output, first in (("activity_minutes mean", "act_plan"), ("mood mean", "gain_affective")):
        ranked = max(report["outputs"][output]["parameters"], key=lambda p: p["S1"])
        assert ranked["name"] == first
