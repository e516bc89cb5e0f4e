"""Treatments (first slice of issue 4): catalog, specs, pharmacology and effects over time."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from fmsim import FMSimError, fm_model, load_registry, person, resolve_model, simulate
from fmsim.cli import app
from fmsim.interventions.catalog import (
    Treatment,
    arm_inputs,
    load_catalog,
    parse_spec,
    treatment_inputs,
)
from fmsim.model.registry import TAGS
from fmsim.studies.scenario import parse_scenario

from .conftest import LASTING_PAIN, MODEL_NAMES, chronic_states

in_both_models = pytest.mark.parametrize("model", MODEL_NAMES)
"""The treatment phenomena of DESIGN section 3, shown by every shipped model."""


def test_every_catalog_constant_has_a_tag_and_known_evidence():
    evidence = load_registry().evidence
    inputs = set(fm_model().input_names)
    for name, entry in load_catalog().items():
        assert entry.evidence and set(entry.evidence) <= set(evidence), name
        for v in entry.values():
            assert v.tag in TAGS and v.evidence and set(v.evidence) <= set(evidence), name
        for e in entry.effects:
            assert e.input in inputs, f"{name} drives unknown input {e.input}"


@pytest.mark.parametrize(("spec", "message"), [
    ("aspirin:100", "unknown treatment 'aspirin'; available: placebo, usual-care"),
    ("duloxetine:200", "duloxetine dose 200 mg/day is outside its labelled range 20-120 mg/day"),
    ("duloxetine:-5", "outside its labelled range"),
    ("duloxetine:lots", "dose 'lots' is not a number"),
    ("placebo:3", "placebo takes no dose"),
    ("duloxetine:60+duloxetine:30", "appears twice"),
    ("", "empty treatment SPEC"),
])
def test_bad_specs_get_a_clear_error(spec, message):
    with pytest.raises(FMSimError, match=message):
        parse_spec(spec)


def test_context_arms_differ_only_in_expectation():
    arms = {name: treatment_inputs([Treatment.create(name, 0, 10)], 12)
            for name in ("placebo", "attention-control", "sham-acupuncture", "usual-care")}
    strength = {name: u.get("treatment_context", [0.0])[0] for name, u in arms.items()}
    assert strength["usual-care"] == 0 < strength["attention-control"] < strength["placebo"]
    assert strength["sham-acupuncture"] == strength["placebo"] == 1.0
    assert all(set(u) <= {"treatment_context"} for u in arms.values())


def test_specs_combine_and_use_default_doses():
    spec = parse_spec("pregabalin+duloxetine:30")
    assert [(p.entry.name, p.dose) for p in spec.components] == [("pregabalin", 450.0),
                                                                 ("duloxetine", 30.0)]
    assert str(spec) == "pregabalin+duloxetine:30" and spec == parse_spec("pregabalin:450 + "
                                                                          "duloxetine:30")
    with pytest.raises(FMSimError, match="must come after"):
        Treatment.create("placebo", 10, 5)
    with pytest.raises(FMSimError, match="start_day must be from 0 to 36500"):
        Treatment.create("placebo", -1)


def steady_effect(spec, days=40, name="serotonin_effect"):
    return treatment_inputs([Treatment.create(spec, 0)], days)[name]


def test_duloxetine_dose_response_follows_transporter_occupancy():
    """Above about 80% SERT occupancy the effect saturates: 120 mg adds little to 60 mg,
    20 mg (about 67% occupancy) gives much less (Meyer 2004 threshold; Takano 2006 occupancy)."""
    e20, e60, e120 = (steady_effect(f"duloxetine:{d}")[-1] for d in (20, 60, 120))
    assert e120 == pytest.approx(e60, rel=0.15)
    assert e20 < 0.4 * e60


def test_snri_effect_builds_within_two_weeks_and_washes_out():
    effect = treatment_inputs([Treatment.create("duloxetine:60", 0, 40)], 70)["serotonin_effect"]
    assert effect[13] > 0.9 * effect[39]
    assert effect[40 + 14] < 0.1 * effect[39]


def test_pregabalin_occupancy_matches_its_exposure_response():
    occ = steady_effect("pregabalin:450", name="a2d_occupancy")[-1]
    assert occ == pytest.approx(450 / (450 + 174), rel=0.01)  # Byon 2010 EC50 ~174 mg


def test_ketamine_acts_on_the_day_of_the_infusion_only():
    u = treatment_inputs([Treatment.create("ketamine:0.5", 10)], 30)
    block = u["nmda_block"]
    assert block[10] > 0.05 and block[:10].max() == 0 and block[12:].max() < 1e-4
    assert u["treatment_context"].sum() == 1  # one visit


def arm_courses(model, states, specs, start, stop, days, params=None, extra=None):
    """Pain (0-10) of one person under each SPEC (None: untreated), run side by side."""
    inputs = arm_inputs([[Treatment.create(s, start, stop)] if s else [] for s in specs], days)
    inputs.update(extra or {})
    n = len(specs)
    ds = simulate(resolve_model(model), days, params or person("vulnerable"), inputs,
                  {k: np.full(n, v) for k, v in states.items()}, record=("pain",))
    return ds["trajectory"].values[:, :, 0]


@pytest.mark.parametrize("model", [
    "fm-v1",
    pytest.param("fm-v2", marks=pytest.mark.xfail(strict=True, reason=(
        "v2: in the reference woman 120 mg/day adds 26% to 60 mg/day's effect (v1 24%), past "
        "this test's 25%: v2's fit weighs noradrenaline reuptake more (g_NE 0.86 against "
        "0.52), and 120 mg raises noradrenaline transporter occupancy more than serotonin's. "
        "In validate's trials A1.15 passes (risk ratio 1.21, no significant benefit)"))),
])
def test_duloxetine_dose_response_onset_and_fading(model):
    """Lunn 2014 (calibration.md A1.15/A1.16): 120 mg/day adds little to 60 mg/day and 20 mg/day
    is much weaker - here predicted from transporter occupancy, not fitted. The advantage over
    placebo is there within two weeks and fades after stopping."""
    start, stop, days = 10, 94, 200
    none, placebo, low, mid, high = arm_courses(
        model, chronic_states(model),
        [None, "placebo", "duloxetine:20", "duloxetine:60", "duloxetine:120"], start, stop, days)
    week12 = stop - 1
    effect = {dose: (placebo - pain)[week12] for dose, pain in ((20, low), (60, mid), (120, high))}
    assert abs(effect[120] - effect[60]) < 0.25 * effect[60]
    assert effect[20] < 0.5 * effect[60]
    two_weeks = (placebo - mid)[start + 13]
    assert two_weeks > 0.3 and two_weeks > effect[60] / 3
    relief = none - mid
    at_stop = mid[stop - 1]
    recovered = (mid[stop + 60] - at_stop) / (none[stop + 60] - at_stop)
    assert recovered > 0.5, "the chronic state persists: pain returns after stopping"
    assert relief[-1] < 0.5 * relief[stop - 1]


@in_both_models
def test_nsaids_help_inflammatory_pain_not_central_sensitization(model):
    """Derry 2017 (A1.32): NSAIDs do no better than placebo in FM, where pain is carried by
    central sensitization and low-grade, prostaglandin-independent inflammation. In an
    inflammatory-peripheral phenotype (a non-vulnerable woman with an active inflammatory
    condition, no central sensitization) COX inhibition removes much of the pain. She has had
    the condition a year in v1; a month in v2, where a year of it primes even a non-vulnerable
    woman (priming 0.93, sensitization 0.69: a lasting trigger), so that she is no longer
    the peripheral phenotype."""
    days, start, stop = 70, 10, 66
    fm = arm_courses(model, chronic_states(model), ["placebo", "naproxen", "ibuprofen"], start,
                     stop, days)
    inflamed = {**person("healthy"), "gain_inflammatory": 2.0}
    condition = {"infection": 0.6}
    resolved = resolve_model(model)
    before = simulate(resolved, {"fm-v1": 365, "fm-v2": 30}[model], inflamed, condition,
                      record=())
    states = dict(zip(resolved.state_names, before["final"].values[0].tolist(), strict=True))
    assert states["CS"] < 0.1 and states["I"] > 0.5
    peripheral = arm_courses(model, states, ["placebo", "naproxen", "ibuprofen"], start, stop, days,
                             params=inflamed, extra=condition)
    week8 = stop - 1
    for drug in (1, 2):
        fm_effect = (fm[0] - fm[drug])[week8]
        peripheral_effect = (peripheral[0] - peripheral[drug])[week8]
        assert fm_effect < 0.4
        assert peripheral_effect > 1.0 and peripheral_effect > 3 * fm_effect


@in_both_models
def test_one_ketamine_infusion_helps_for_days_not_weeks(model):
    """The drug's own effect follows its concentration (Noppers 2011): against an identical
    visit (an active placebo), almost nothing remains after the infusion day; against no
    treatment, the infusion day brings clear relief and the visit's expectation keeps a little
    for days, gone within weeks."""
    none, visit, treated = arm_courses(model, chronic_states(model),
                                       [None, "placebo", "ketamine:0.5"], 10, 11, 45)
    relief = none - treated
    assert relief[10] > 0.3
    assert relief[11:14].min() > 0.03  # days
    assert relief[11:14].max() < 0.5 * relief[10]
    assert (visit - treated)[11:].max() < 0.05  # the drug's own part: gone after the day
    assert relief[10 + 28] < 0.5 * relief[11]  # not weeks


EXPECTATION_RELIEF = {"fm-v1": 0.5, "fm-v2": 0.05}
"""The reference woman's relief from a placebo's expectation at day 60 at least. v2 apportions
expectation by placebo against no treatment (A0.15-A0.16, Hedges g 0.19-0.32, where v1 gives
0.82), and the gain of expectation varies between people with a long tail (log-SD 2.7), so
the median woman's share is small (0.12 points); the trials' mean is validate's A0.15-A0.16."""


@in_both_models
def test_placebo_relief_does_not_outlast_the_treatment(model):
    treated, untreated = arm_courses(model, chronic_states(model), ["placebo", None], 10, 94,
                                     250)
    relief = untreated - treated
    assert relief[60] > EXPECTATION_RELIEF[model]
    assert relief[-1] < 0.2 * relief[60]
    assert treated[-1] > LASTING_PAIN[model]


def test_scenario_files_and_the_command_line_take_treatments():
    spec = parse_scenario({"person": "vulnerable", "treatments": [
        {"spec": "duloxetine:60", "start_day": 5, "stop_day": 20}]}, "t")
    assert spec.inputs(30)["serotonin_effect"][19] > 0.3
    with pytest.raises(FMSimError, match="unknown treatment key"):
        parse_scenario({"person": "healthy", "treatments": [{"spec": "placebo", "start_day": 1,
                                                             "dose": 3}]}, "t")
    runner = CliRunner()
    result = runner.invoke(app, ["simulate", "--scenario", "vulnerable-injury", "--days", "150",
                                 "--treat", "pregabalin:300", "--start-day", "120", "--json"])
    assert result.exit_code == 0, result.output
    pain = json.loads(result.stdout)["pain"]
    assert pain[140] < pain[119]
    for args, message in ((["--treat", "pregabalin:900", "--start-day", "5"], "labelled range"),
                          (["--treat", "placebo"], "needs --start-day"),
                          (["--treat", "nosuchdrug:60"], "unknown treatment 'nosuchdrug'"),
                          (["--start-day", "5"], "belong to --treat"),
                          (["--treat", "placebo", "--start-day", "9", "--stop-day", "3"],
                           "must come after")):
        result = runner.invoke(app, ["simulate", "--scenario", "healthy", "--days", "20", *args])
        assert result.exit_code == 2 and message in result.output, (args, result.output)


@in_both_models
def test_strong_opioids_lose_effect_over_months(model):
    """Sustained agonism lowers mu-opioid receptor availability (Harris 2007) and activates glia
    (Hutchinson 2011), so the advantage over placebo shrinks from the first weeks to six months,
    while a drug without tolerance keeps (here: grows) its advantage. In v2 hyperalgesia and
    priming oppose the analgesia from the start (A4.3: a year of opioids does not beat usual
    care), so the early advantage is smaller (0.37 points against v1's 1.1) and is gone by six
    months."""
    days = 240
    inputs = arm_inputs([[Treatment.create(s, 10)] for s in ("placebo", "oxycodone:20",
                                                              "duloxetine:60")], days)
    ds = simulate(resolve_model(model), days, person("vulnerable"), inputs,
                  {k: np.full(3, v) for k, v in chronic_states(model).items()},
                  record=("pain", "R", "G"))
    pain, receptors, glia = (ds["trajectory"].values[:, :, j] for j in range(3))
    opioid = pain[0] - pain[1]
    snri = pain[0] - pain[2]
    assert opioid[24] > {"fm-v1": 0.8, "fm-v2": 0.2}[model]
    assert opioid[200] < 0.85 * opioid[24]
    assert snri[200] > snri[24]
    assert receptors[1, 200] < receptors[1, 9] - 0.1
    assert glia[1, 200] > glia[0, 200] + 0.05


@in_both_models
def test_graded_aerobic_program(model):
    """12 weeks, 3 sessions a week: the first sessions raise pain for a day or two; by the end
    pain is lower and fitness and endothelial capacity are higher than without it. The size is
    A5.1's in v1's reference woman (pain 7/10); v2's is milder (3.6/10, trial cohorts 6.5), her
    relief smaller in points, and v2's size is checked in validate's trials (A5.1, Hedges g
    -0.43 against -0.46 to -0.17)."""
    days, start, stop = 100, 10, 94
    u = treatment_inputs([Treatment.create("aerobic:3", start, stop)], days)
    sessions = u["exercise"] > 0
    assert sessions[start : start + 7].sum() == 3 and sessions[stop:].sum() == 0
    rec = ("pain", "K", "E")
    resolved, states = resolve_model(model), chronic_states(model)
    treated = simulate(resolved, days, person("vulnerable"), u, states, record=rec)
    untreated = simulate(resolved, days, person("vulnerable"), None, states, record=rec)
    a, b = treated["trajectory"].values[0], untreated["trajectory"].values[0]
    first = start + int(sessions[start:].argmax())
    assert a[first + 1, 0] > b[first + 1, 0] + 0.05  # post-exertional flare the next day
    # Hauser 2010 (A5.1): aerobic exercise versus control, pain SMD -0.31 (CI -0.46 to -0.17);
    # with a pain SD of about 1.6 (B1.5) that is about half a point on the 0-10 scale.
    relief = {"fm-v1": 0.5, "fm-v2": 0.2}[model]
    assert a[stop - 7 : stop, 0].mean() < b[stop - 7 : stop, 0].mean() - relief
    # the benefit builds during the program (repeated-bout effect, McHugh 2003), not only after
    # the last session: by week 8 pain is already clearly below the untreated course
    assert a[start + 49 : start + 56, 0].mean() < b[start + 49 : start + 56, 0].mean() - relief
    assert a[stop - 1, 1] > b[stop - 1, 1] + 0.15  # fitness
    assert a[stop - 1, 2] > b[stop - 1, 2] + 0.1  # endothelial capacity


def test_programs_take_sessions_per_week():
    with pytest.raises(FMSimError, match="aerobic dose 9 sessions/week is outside"):
        parse_spec("aerobic:9")
    one = treatment_inputs([Treatment.create("aerobic:1", 0, 28)], 28)["exercise"]
    assert (one > 0).sum() == 4


def incidence(spec, start=0, stop=84, days=84):
    from fmsim.interventions.adverse import adverse_event_hazards, cumulative_incidence

    return cumulative_incidence(adverse_event_hazards([Treatment.create(spec, start, stop)],
                                                      days))


def test_adverse_events_rise_with_exposure_and_placebo_has_nocebo_events():
    dizzy = [incidence(f"pregabalin:{d}")["dizziness"][-1] for d in (150, 300, 450, 600)]
    assert np.all(np.diff(dizzy) > 0)
    placebo = incidence("placebo")
    assert placebo["dizziness"][-1] < dizzy[0]
    assert 0.2 < placebo["any"][-1] < 0.9  # nocebo: placebo arms report adverse events
    assert incidence("usual-care")["any"][-1] == 0.0
    assert incidence("oxycodone:20")["constipation"][-1] > 2 * placebo["constipation"][-1]


def test_pregabalin_dizziness_follows_exposure_and_weight_gain_occupancy():
    """A3.2 rises in proportion to dose up to 600 mg/day; A3.4 is nearly flat (occupancy)."""
    from fmsim.interventions.adverse import adverse_event_hazards

    def summed(spec, event):
        return adverse_event_hazards([Treatment.create(spec, 0, 84)], 84)[event].sum()

    nocebo = summed("placebo", "dizziness")
    dizzy = [summed(f"pregabalin:{d}", "dizziness") - nocebo for d in (300, 600)]
    assert dizzy[1] / dizzy[0] == pytest.approx(2.0, rel=0.01)
    weight = [summed(f"pregabalin:{d}", "weight_gain") for d in (300, 600)]
    assert weight[1] / weight[0] == pytest.approx((600 / 774) / (300 / 474), rel=0.02)


def test_adverse_event_hazard_stops_when_the_drug_washes_out():
    from fmsim.interventions.adverse import adverse_event_hazards

    hazards = adverse_event_hazards([Treatment.create("pregabalin:450", 0, 30)], 60)
    assert hazards["dizziness"][20] > 0 and hazards["dizziness"][40] < 1e-6
    ketamine = adverse_event_hazards([Treatment.create("ketamine:0.5", 5)], 20)["dissociation"]
    assert ketamine[5] > 0 and ketamine[8:].max() < 1e-6


def test_adverse_events_are_driven_by_the_drugs_own_effects():
    for name, entry in load_catalog().items():
        drivers = {e.input for e in entry.effects} | ({"exposure"} if entry.route == "oral"
                                                      else set())
        for ae in entry.adverse:
            assert ae.driver in drivers, f"{name}: {ae.event} driven by {ae.driver}"
            assert ae.hazard.tag in TAGS and ae.hazard.evidence
