"""What-if plans from a fitted twin (issue 21, deliverable 5)."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from fmsim import FMSimError
from fmsim.cli import app
from fmsim.studies import load_scenario
from fmsim.twin import simulate_diary
from fmsim.twin.fit import TwinSpec, fit_twin
from fmsim.twin.whatif import CARRY_ON, Plan, run_whatif


@pytest.fixture(scope="module")
def fit(tmp_path_factory):
    """A quick fit (a few steps) of 70 days of fm-diary-duloxetine's woman: duloxetine from
    the diary's day 10 (scenario day 790 of 850: the last 60 days and 10 before)."""
    diary = simulate_diary(load_scenario("fm-diary-duloxetine", "fm-v2"), 70, seed=2).diary
    result = fit_twin(diary, TwinSpec(particles=60, walkers=12, steps=8, burn=4, thin=2))
    path = result.save(tmp_path_factory.mktemp("fit") / "fit.nc")
    return result, path


@pytest.mark.slow(minutes=0.5)  # the module's fit
def test_plans_run_against_carrying_on_with_the_same_noise(fit):
    result = run_whatif(fit[0], ["pregabalin:450", "aerobic:3@7"], weeks=6, seed=1)
    assert result.plans == [CARRY_ON, "pregabalin:450", "aerobic:3@7"]
    assert result.summary.dims == ("plan", "quantity", "week", "stat")
    assert result.summary.sizes["week"] == 6 and result.draws == 12 * 2
    s = result.summary.sel(quantity="pain")
    assert np.all(s.sel(stat="q05") <= s.sel(stat="median"))
    assert np.all(s.sel(stat="median") <= s.sel(stat="q95"))
    for p in ("pregabalin:450", "aerobic:3@7"):
        assert 0 <= result.better_50[p] <= result.better_30[p] <= 1
    # the summary is made of the draws' weekly values, which the result keeps
    assert result.samples.sizes["draw"] == result.draws
    np.testing.assert_allclose(
        s.sel(stat="q95").values,
        result.samples.sel(quantity="pain").quantile(0.95, dim="draw").values)
    # the drug taken on the diary's last day continues when carrying on
    assert any("duloxetine:60" in n for n in result.notes)
    again = run_whatif(fit[0], ["pregabalin:450", "aerobic:3@7"], weeks=6, seed=1)
    np.testing.assert_array_equal(again.summary.values, result.summary.values)


def test_a_plan_never_doubles_a_drug_taken_now():
    """A plan naming a drug the person takes changes its dose from the plan's day (as a dose
    change in a diary does), leaving the rest of what they take; it never adds a second dose.
    A placebo beside a drug taken now is refused."""
    from fmsim.interventions.catalog import Treatment, treatment_inputs
    from fmsim.twin.whatif import _under_plan

    now = [Treatment.create("duloxetine:60+pregabalin:300", 0)]
    plan = Plan.parse("duloxetine:120")
    treatments, notes = _under_plan(now, plan, 40, 1.0)
    planned = treatment_inputs(treatments, 400)
    alone = treatment_inputs([Treatment.create("duloxetine:120+pregabalin:300", 0)], 400)
    assert set(planned) == set(alone)
    for name, u in alone.items():  # months later, exactly 120 mg beside 300 mg
        np.testing.assert_allclose(planned[name][-30:], u[-30:], atol=1e-9)
    assert notes == ["duloxetine:120: the duloxetine of duloxetine:60+pregabalin:300, taken "
                     "now, changes to the plan's dose from its first day"]
    same, notes = _under_plan(now, Plan.parse("duloxetine:60+aerobic:3"), 40, 0.8)
    assert [str(t.spec) for t in same] == ["duloxetine:60", "pregabalin:300", "aerobic:3"]
    assert [t.stop_day for t in same] == [None, None, None]
    assert notes[0].endswith("goes on unchanged")
    with pytest.raises(FMSimError, match="placebo stands in for duloxetine"):
        _under_plan(now, Plan.parse("placebo"), 40, 1.0)
    cared, notes = _under_plan(now, Plan.parse("usual-care"), 40, 1.0)  # adds nothing
    assert [str(t.spec) for t in cared[:2]] == ["duloxetine:60", "pregabalin:300"] and not notes
    infusions, _ = _under_plan([Treatment.create("ketamine:0.5", 30)], Plan.parse("ketamine:0.5"),
                               40, 1.0)
    assert [t.start_day for t in infusions] == [30, 40]  # an infusion again is a new one


@pytest.mark.slow(minutes=0.5)  # the module's fit
def test_a_plan_of_what_the_person_takes_now_is_carrying_on(fit):
    result = run_whatif(fit[0], ["duloxetine:60", "duloxetine:60+pregabalin:300",
                                 "pregabalin:300"], weeks=3, seed=2)
    pain = result.samples.sel(quantity="pain")
    np.testing.assert_array_equal(pain.sel(plan="duloxetine:60"), pain.sel(plan=CARRY_ON))
    np.testing.assert_array_equal(pain.sel(plan="duloxetine:60+pregabalin:300"),
                                  pain.sel(plan="pregabalin:300"))
    with pytest.raises(FMSimError, match="beside what the diary's person takes now"):
        run_whatif(fit[0], ["placebo"], weeks=2)


def test_each_plan_names_the_mechanisms_it_acts_through(fit):
    result = run_whatif(fit[0], ["pregabalin:450", "aerobic:3", "aquatic"], weeks=2)
    assert any(m.startswith("a2d_occupancy -> CS") for m in result.mechanisms["pregabalin:450"])
    assert any(m.startswith("exercise -> W_abs") for m in result.mechanisms["aerobic:3"])
    assert any(m.startswith("warming -> Q") for m in result.mechanisms["aquatic"])


@pytest.mark.parametrize("plans, words", [
    ([], "at least one plan"),
    (["aerobic", "aerobic"], "twice"),
    (["duloxetine:60", "DULOXETINE:60.0"],
     r"DULOXETINE:60.0: given twice \(also as duloxetine:60\)"),
    (["aerobic@100"], "after the 12 weeks"),
    (["aerobic@soon"], "whole number"),
    (["duloxetin:60"], "unknown treatment"),
])
def test_bad_plans_are_refused(fit, plans, words):
    with pytest.raises(FMSimError, match=words):
        run_whatif(fit[0], plans)


def test_every_bad_plan_is_named():
    from fmsim.twin.whatif import check_plans

    with pytest.raises(FMSimError) as caught:
        check_plans(["aspirin:1", "duloxetine:60@-1", "aerobic", "aerobic", "cbt@999",
                     "pregabalin:300"], 12)
    message = str(caught.value)
    assert message.startswith("4 bad plan(s)")
    for words in ("aspirin:1: unknown treatment", "duloxetine:60@-1:", "aerobic: given twice",
                  "cbt@999: starts after the 12 weeks end"):
        assert words in message
    assert "pregabalin:300" not in message  # a good plan beside them


def test_whatif_from_the_command_line(fit, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["twin", "whatif", str(fit[1]), "--plan", "pregabalin:300",
                                 "--weeks", "3", "--json", "--out", str(tmp_path / "w"),
                                 "--anyway"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload["plans"]) == {CARRY_ON, "pregabalin:300"}
    assert len(payload["plans"]["pregabalin:300"]["pain"]["median"]) == 3
    assert (tmp_path / "w" / "whatif.png").exists() and (tmp_path / "w" / "result.json").exists()
    bad = runner.invoke(app, ["twin", "whatif", str(fit[1]), "--plan", "nothing"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    assert str(Plan.parse("aerobic:3@14")) == "aerobic:3@14"


def test_a_short_diary_gets_not_enough_data_and_advice(tmp_path):
    """Three weeks of diary: fewer pain days than the rule's four weeks, so what-ifs are
    withheld with what would help (issue 21, deliverable 4)."""
    diary = simulate_diary(load_scenario("fm-diary", "fm-v2"), 21, seed=3).diary
    short = fit_twin(diary, TwinSpec(particles=40, walkers=12, steps=4, burn=2, thin=1))
    verdict = short.verdict()
    assert not verdict.enough
    assert any("pain rating" in r for r in verdict.reasons)
    assert any("7 more days" in a for a in verdict.advice)
    # two draws per walker: too few for an effective sample size (ArviZ would warn)
    assert all(np.isnan(d["ess"]) for d in short.diagnostics().values())
    path = short.save(tmp_path / "short.nc")
    result = CliRunner().invoke(app, ["twin", "whatif", str(path), "--plan", "aerobic:3",
                                      "--json", "--out", str(tmp_path / "w")])
    assert result.exit_code == 0 and json.loads(result.stdout)["enough_data"] is False
    assert "plans" not in json.loads(result.stdout)
    # --out keeps the verdict, so a script reading the folder learns why there is no answer
    kept = json.loads((tmp_path / "w" / "result.json").read_text())
    assert kept == json.loads(result.stdout) and not (tmp_path / "w" / "whatif.png").exists()
    # explain still explains, but says first that the answer rests mostly on the prior
    told = CliRunner().invoke(app, ["twin", "explain", str(path)])
    assert told.exit_code == 0, told.output
    text = " ".join(told.output.split())
    assert text.index("Not enough data yet for this person") < text.index("Priming")
    assert "7 more days" in text and "rests mostly on the population's prior" in text
    payload = json.loads(CliRunner().invoke(app, ["twin", "explain", str(path), "--json"]).stdout)
    assert payload["enough_data"] is False and "p_recover_within_a_year" in payload


def test_explain_names_the_loops_recovery_and_what_cannot_be_told_apart(fit):
    from fmsim.twin.explain import explain_twin

    e = explain_twin(fit[0], draws=12)
    assert e.draws == 12 and 0 <= e.recovery <= 1 and 0 <= e.primed <= 1
    assert "priming" in e.loops and all(lo <= m <= hi for m, lo, hi in e.loops.values())
    assert {a[0] for a in e.associations} <= {"sleep_hours", "sleep_quality", "stress",
                                              "activity_minutes", "exercise days",
                                              "events days"}
    assert all(abs(r) >= 0.5 for _, _, r in e.confounded)
    (drug,) = e.drugs  # the diary logs duloxetine from its day 10
    assert drug.spec == "duloxetine:60" and drug.low <= drug.median <= drug.high
    assert any("duloxetine:60" in line for line in e.lines())
    result = CliRunner().invoke(app, ["twin", "explain", str(fit[1]), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert "p_recover_within_a_year" in payload and payload["drugs"][0]["spec"] == "duloxetine:60"
    assert {"enough_data", "reasons", "advice"} <= set(payload)
