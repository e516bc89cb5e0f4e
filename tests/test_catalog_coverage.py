"""Issue 4, second slice: every drug and program of DESIGN section 5 acts through its own
mechanism, in the right direction and with the right time course; schedules compose."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from fmsim import FMSimError, Trigger, fm_model, person, simulate
from fmsim.cli import app
from fmsim.interventions.adverse import adverse_event_hazards, cumulative_incidence
from fmsim.interventions.catalog import (
    Treatment,
    arm_inputs,
    load_catalog,
    parse_spec,
    treatment_inputs,
)
from fmsim.interventions.programs import attended, session_days, session_trace
from fmsim.studies.scenario import parse_scenario

DESIGN_NAMES = {
    "context": ["placebo", "usual-care", "attention-control", "sham-acupuncture"],
    "drug": ["duloxetine", "milnacipran", "pregabalin", "gabapentin", "amitriptyline",
             "cyclobenzaprine", "fluoxetine", "tramadol-apap", "ibuprofen", "naproxen",
             "oxycodone", "ketamine"],
    "program": ["aerobic", "resistance", "aquatic", "tai-chi", "cbt", "mindfulness",
                "acupuncture", "massage", "sleep-hygiene", "heat", "trigger-point-injection",
                "anti-inflammatory-diet"],
}
DRUGS = DESIGN_NAMES["drug"]
PROGRAMS = DESIGN_NAMES["program"]


def test_the_catalog_holds_every_name_of_design_section_5():
    catalog = load_catalog()
    for kind, names in DESIGN_NAMES.items():
        for name in names:
            assert name in catalog and catalog[name].kind == kind, name
    for name in PROGRAMS:
        assert catalog[name].effects or catalog[name].is_exercise, name


def test_selectivity_follows_each_drug_s_receptor_profile():
    """Fluoxetine acts on serotonin only; milnacipran on both transporters about equally; the
    tricyclics consolidate sleep (H1) at doses far below their reuptake effects; tramadol adds
    mu-opioid agonism; NSAIDs act peripherally only."""
    def steady(spec):
        return {k: v[-1] for k, v in treatment_inputs([Treatment.create(spec, 0)], 60).items()}

    fluoxetine = steady("fluoxetine:20")
    assert fluoxetine["serotonin_effect"] > 0.3 and "ne_effect" not in fluoxetine
    milnacipran = steady("milnacipran:200")
    assert milnacipran["ne_effect"] > 0.3
    for tca in ("amitriptyline:10", "cyclobenzaprine:5"):
        effects = steady(tca)
        assert effects["h1_block"] > 0.6
        assert effects.get("serotonin_effect", 0) < 0.1 and effects["ne_effect"] < 0.1
    tramadol = steady("tramadol-apap:200")
    assert tramadol["mu_agonist"] > 0.3 and tramadol["ne_effect"] > 0.3
    assert set(steady("naproxen")) == {"treatment_context", "cox_inhibition"}


@pytest.mark.parametrize("drug", DRUGS)
def test_every_drug_washes_out_after_stopping(drug):
    """Each drug's effects fall below a tenth within two weeks of stopping (three-day effect
    onsets), fluoxetine (with
    norfluoxetine's week-long half-life) within eight weeks."""
    entry = load_catalog()[drug]
    days, stop = 140, 70
    effects = treatment_inputs([Treatment.create(drug, 0 if entry.route != "iv" else 60, stop)],
                               days)
    effects.pop("treatment_context")
    assert effects, drug
    wait = 56 if drug == "fluoxetine" else 14
    for name, level in effects.items():
        assert level[stop + wait:].max() < 0.1 * max(level.max(), 1e-12), (drug, name)


@pytest.mark.parametrize("drug", DRUGS)
def test_every_drug_has_adverse_events_that_rise_with_dose(drug):
    entry = load_catalog()[drug]
    assert entry.adverse, drug
    lo, hi = entry.dose_range

    def any_event(dose):
        start = 0 if entry.route != "iv" else 10
        hazards = adverse_event_hazards([Treatment.create(f"{drug}:{dose:g}", start, 84)], 84)
        return cumulative_incidence(hazards)["any"][-1]

    assert any_event(hi) > any_event(lo) > 0


def test_sessions_adherence_and_traces():
    on = np.ones(28, dtype=bool)
    sessions = session_days(on, 0, 3)
    assert sessions.sum() == 12 and sessions[0]
    assert attended(sessions, 0.5).sum() == 6
    assert attended(sessions, 1.0).sum() == 12 and attended(sessions, 0.0).sum() == 0
    assert session_days(on, 0, 0.5).sum() == 2  # one session every two weeks
    trace = session_trace(sessions, 0.5, 2.0)
    assert trace[0] == 0.5 and np.all((0 <= trace) & (trace <= 1))
    assert trace[27] < trace[26] or sessions[27]


@pytest.fixture(scope="module")
def program_courses(chronic_fm):
    """Twelve weeks of each program (and of placebo, the same treatment context without the
    program's mechanism) in the chronic FM woman, then twelve weeks without."""
    specs = ["placebo", *PROGRAMS]
    days, start, stop = 180, 10, 94
    inputs = arm_inputs([[Treatment.create(s, start, stop)] for s in specs], days)
    record = ("pain", "B", "S", "SD", "I", "O_endo", "N", "K", "E", "A")
    ds = simulate(fm_model(), days, person("vulnerable"), inputs,
                  {k: np.full(len(specs), v) for k, v in chronic_fm.items()}, record=record)
    values = ds["trajectory"].values
    return {s: {r: values[i, :, j] for j, r in enumerate(record)} for i, s in enumerate(specs)}


# program -> (state it acts through, sign of its change against placebo at week 12)
MECHANISMS = {
    "aerobic": [("K", +1), ("E", +1)],
    "resistance": [("K", +1)],
    "aquatic": [("K", +1), ("E", +1)],
    "tai-chi": [("S", -1), ("K", +1)],
    "cbt": [("B", -1), ("S", -1), ("SD", -1)],
    "mindfulness": [("S", -1)],
    "acupuncture": [("O_endo", +1)],
    "sleep-hygiene": [("SD", -1)],
    "trigger-point-injection": [("N", -1)],
    "anti-inflammatory-diet": [("I", -1)],
}


@pytest.mark.parametrize("program", sorted(MECHANISMS))
def test_each_program_acts_through_its_mechanism(program_courses, program):
    week12 = 93
    placebo, treated = program_courses["placebo"], program_courses[program]
    for state, sign in MECHANISMS[program]:
        change = treated[state][week12] - placebo[state][week12]
        relative = change / max(abs(placebo[state][week12]), 0.05)
        assert sign * relative > 0.03, (program, state, change)


@pytest.mark.parametrize("program", ["massage", "heat"])
def test_massage_and_heat_relax_and_warm_on_the_day_only(program):
    """Lower sympathetic tone and more muscle perfusion on session days, gone within days."""
    u = treatment_inputs([Treatment.create(program, 0, 28)], 40)
    for name in ("relaxation", "warming"):
        level = u[name]
        assert level[0] > 0.4
        assert level[30:].max() < 0.05 * level[0]


def test_learned_skills_outlast_the_program_and_relaxation_does_not(program_courses):
    """Eight weeks after the last session, CBT's relief beyond placebo persists (skills learned
    over months), while massage and heat leave no more than placebo does."""
    after = 94 + 56
    placebo = program_courses["placebo"]["pain"][after]
    assert placebo - program_courses["cbt"]["pain"][after] > 0.3
    for brief in ("massage", "heat"):
        assert abs(placebo - program_courses[brief]["pain"][after]) < 0.15


def test_adherence_scales_a_program():
    full = treatment_inputs([Treatment.create("cbt", 0, 84)], 84)["restructuring"]
    half = treatment_inputs([Treatment.create("cbt", 0, 84, adherence=0.5)], 84)["restructuring"]
    assert 0 < half[-1] < full[-1]
    with pytest.raises(FMSimError, match="adherence applies to programs"):
        Treatment.create("duloxetine:60", 0, 10, adherence=0.5)
    with pytest.raises(FMSimError, match="minutes and intensity apply to exercise"):
        Treatment.create("cbt", 0, 10, minutes=30)
    short = treatment_inputs([Treatment.create("aerobic", 0, 84, minutes=20)], 84)["exercise"]
    assert short.max() < treatment_inputs([Treatment.create("aerobic", 0, 84)], 84)[
        "exercise"].max()


def test_treatments_and_triggers_compose_in_scenarios_and_on_the_command_line():
    scenario = parse_scenario({
        "person": "vulnerable",
        "triggers": [{"kind": "injury", "start_day": 5}],
        "treatments": [{"spec": "aerobic:2+duloxetine:60", "start_day": 10, "stop_day": 40,
                        "adherence": 0.5, "minutes": 30}],
    }, "t")
    u = scenario.inputs(50)
    assert u["injury"][5] > 0 and u["serotonin_effect"][30] > 0.3 and u["exercise"].max() > 0
    assert Trigger.parse("infection:0.8@30/14") == Trigger.create("infection", 30, 14, 0.8)
    runner = CliRunner()
    args = ["simulate", "--scenario", "vulnerable", "--days", "120", "--json"]
    base = json.loads(runner.invoke(app, args).stdout)["pain"]
    result = runner.invoke(app, [*args, "--trigger", "injury:1.0@10/42",
                                 "--treat", "pregabalin:300", "--start-day", "60"])
    assert result.exit_code == 0, result.output
    pain = json.loads(result.stdout)["pain"]
    assert pain[40] > base[40] + 2  # the injury
    for bad, message in ((["--trigger", "injury"], "needs a start day"),
                         (["--trigger", "flood@3"], "unknown trigger kind 'flood'"),
                         (["--trigger", "injury@x"], "day 'x' is not a whole number"),
                         (["--trigger", "injury@3/0"], "duration_days must be from 1 to"),
                         (["--adherence", "0.5"], "belong to --treat"),
                         (["--treat", "cbt", "--start-day", "3", "--adherence", "2"],
                          "less than or equal to 1")):
        result = runner.invoke(app, ["simulate", "--scenario", "healthy", "--days", "20", *bad])
        assert result.exit_code == 2, (bad, result.output)
        assert message in " ".join(result.output.replace("│", " ").split()), bad
        assert "Traceback" not in result.output


def test_the_catalog_command_lists_every_entry():
    result = CliRunner().invoke(app, ["treatments", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)["treatments"]}
    assert set(rows) == set(load_catalog())
    assert rows["duloxetine"]["dose_range"] == [20.0, 120.0]
    assert "restructuring" in rows["cbt"]["acts_on"]


def test_program_doses_are_checked():
    with pytest.raises(FMSimError, match="outside its labelled range"):
        parse_spec("cbt:9")


@pytest.mark.slow
@pytest.mark.parametrize("model", ["fm-v1", "fm-v2"])
def test_committed_treatment_predictions_are_up_to_date(monkeypatch, model):
    """docs/treatments.md (the default model's) and docs/treatments-fm-v1.md are generated by
    scripts/treatment_predictions.py; they must not drift."""
    import importlib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    monkeypatch.syspath_prepend(str(root / "scripts"))
    script = importlib.import_module("treatment_predictions")
    assert script.render(model) == script.path(model).read_text(), "run `make docs`"


def test_h1_block_consolidates_sleep_by_its_own_polysomnographic_weight(monkeypatch):
    """Model v2's ``w_H1`` is what scripts/h1_weight.py derives from polysomnography: in the
    chronic reference woman amitriptyline 25 mg raises sleep efficiency 1.58 times as much as
    pregabalin 450 mg (Everitt 2018 against Roth 2012), not the same as it did when H1 block
    shared pregabalin's ``w_hyp`` (which model v1 keeps)."""
    import importlib
    from pathlib import Path

    from fmsim import resolve_model

    root = Path(__file__).resolve().parents[1]
    monkeypatch.syspath_prepend(str(root / "scripts"))
    script = importlib.import_module("h1_weight")
    registry = resolve_model("fm-v2").registry.parameters
    tca, pregabalin = script.rises(registry["w_H1"].value)
    assert tca / pregabalin == pytest.approx(script.RATIO, abs=0.01)
    shared, _ = script.rises(registry["w_hyp"].value)
    assert shared < 0.75 * tca
    assert resolve_model("fm-v1").registry.parameters["w_H1"].value == \
        resolve_model("fm-v1").registry.parameters["w_hyp"].value


def test_nocebo_follows_a_warning_of_side_effects():
    """Placebo pills and needles carry nocebo complaints (Amanzio 2009); an exercise program,
    CBT or attention control, with no side effects to be warned of, does not."""
    def any_event(spec):
        hazards = adverse_event_hazards([Treatment.create(spec, 0, 84)], 84)
        return cumulative_incidence(hazards)["any"][-1] if hazards else 0.0

    assert any_event("placebo") > 0.3 and any_event("sham-acupuncture") > 0.3
    for spec in ("aerobic", "cbt", "attention-control", "usual-care"):
        assert any_event(spec) == 0.0, spec
