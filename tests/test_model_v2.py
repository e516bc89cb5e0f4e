"""Model v2 (issue 20): FM held up by a latent priming memory, graded by a monostable
central sensitization, fluctuating with a slow life load. Its registry and equations (as for
v1 in test_registry), and what v2 adds: severity below the ceiling that moves with drive and
between people. The phenomena of DESIGN section 3 run in both models in test_phenomena and
test_treatments."""

import itertools

import numpy as np
import pytest
import sympy as sp

import fmsim
from fmsim import PopulationSpec, person, run_population, simulate
from fmsim.model.symbolic import coupling_derivatives, expressions

from .conftest import chronic_states, healthy_states, namespace_at

V2 = "fm-v2"


@pytest.fixture(scope="module")
def v2():
    return fmsim.resolve_model(V2)


@pytest.fixture(scope="module")
def chronic_v2():
    """The vulnerable woman one year after the injury that tipped her (v2 final states)."""
    return chronic_states(V2)


def test_v2_is_shipped_beside_v1_with_its_own_registry(v2):
    v1 = fmsim.fm_model()
    assert fmsim.resolve_model("fm-v1") is v1 and v2 is not v1
    assert set(v2.parameters) == set(v2.registry.parameters)
    assert "w_CC" in v1.parameters and "w_CC" not in v2.parameters
    assert {"Pm", "L"} <= set(v2.state_names) and "Pm" not in v1.state_names
    assert v2.registry.missing_evidence() == []
    for c in v2.couplings:
        assert all(k in v2.registry.evidence for k in c.evidence), (c.source, c.target)
    # v1 is untouched by v2's changes
    assert v1.registry.parameters["k_C"].value == 8.0
    assert v2.registry.parameters["k_C"].value < 4


def test_v2_declares_no_self_excitation_of_sensitization_and_a_priming_loop(v2):
    edges = {(c.source, c.target) for c in v2.couplings}
    assert ("CS", "CS") not in edges and ("Pm", "Pm") in edges
    names = dict(v2.loops)
    assert names["priming"] == ("N", "CS", "Pm", "CS")
    signs = {(c.source, c.target): c.sign for c in v2.couplings}
    for name, path in v2.loops:
        cycle = path[path.index(path[-1]):]
        assert np.prod([signs[e] for e in itertools.pairwise(cycle)]) > 0, name


@pytest.mark.parametrize("where", ["healthy", "chronic"])
def test_v2_coupling_signs_match_its_equations(v2, chronic_v2, where):
    states = chronic_v2 if where == "chronic" else healthy_states(V2)
    values = namespace_at(v2, states, person("healthy" if where == "healthy" else "vulnerable"),
                          {"exercise": 0.5, "awakenings": 1.0, "mu_agonist": 0.2,
                           "noise_load": 0.5})
    subs = {sp.Symbol(k): sp.Float(v) for k, v in values.items()}
    for (source, target), d in coupling_derivatives(v2).items():
        sign = {(c.source, c.target): c.sign for c in v2.couplings}[(source, target)]
        assert np.sign(float(d.xreplace(subs))) == sign, f"{source}->{target}"


def test_v2_symbolic_rates_equal_the_kernel(v2, chronic_v2):
    from fmsim.engine.inputs import prepare
    from fmsim.model import NumpyKernel

    exprs = expressions(v2)
    inputs = {"exercise": 1.0, "noise_load": 0.3}
    kernel = namespace_at(v2, chronic_v2, person("vulnerable"), inputs)
    subs = {sp.Symbol(k): sp.Float(kernel[k])
            for k in (*v2.state_names, *v2.input_names, *v2.parameters)}
    for v in v2.variables:
        subs[sp.Symbol(v.name)] = sp.Float(float(exprs[v.name].xreplace(subs)))
    prep = prepare(v2, 1, person("vulnerable"), inputs, chronic_v2)
    rhs = NumpyKernel(v2).rhs(prep.y0, prep.params, prep.inputs_on(0))[:, 0]
    for i, s in enumerate(v2.state_names):
        assert float(exprs[f"d{s}/dt"].xreplace(subs)) == pytest.approx(rhs[i], rel=1e-9,
                                                                         abs=1e-12), s


def test_v2_fm_sits_below_the_ceiling_and_moves_with_added_drive(v2, chronic_v2):
    """The typical FM state is graded (sensitization at most 0.85 of its ceiling, the issue's
    target), and added drive raises the sensitization that holds it and the pain: a sustained
    stressor (v1's saturated sensitization would move by less than 0.01), and opioid agonism
    (through hyperalgesia, glia and priming, against its analgesia) - a year of
    oxycodone-level mu agonism leaves more pain than none, where v1's saturated switch gave 2
    points of relief."""
    assert chronic_v2["CS"] <= 0.85 and chronic_v2["Pm"] > 0.9
    params = person("vulnerable")
    days = 365

    def end_state(inputs):
        ds = simulate(v2, days, params, inputs, chronic_v2, record=("P", "CS"))
        pain, cs = ds["trajectory"].values[0, -30:, :].mean(axis=0)
        return 10 * pain, cs

    usual, usual_cs = end_state(None)
    stressed, stressed_cs = end_state({"stress_input": 0.3})
    assert stressed_cs > usual_cs + 0.05 and stressed > usual + 0.2
    assert end_state({"mu_agonist": 0.5})[0] > usual


def test_v2_severity_is_graded_between_people_by_the_priming_gain(v2, chronic_v2):
    """Everyone primed, different priming gains (w_PC across its prior): pain spreads over
    several points instead of one severe level, and rises with the gain."""
    info = v2.registry.parameters["w_PC"]
    gains = info.value * np.exp(info.prior.sigma * np.array([-1.645, 0.0, 1.645]))
    params = {**{k: np.full(3, v) for k, v in person("vulnerable").items()}, "w_PC": gains}
    ds = simulate(v2, 730, params, None, {k: np.full(3, v) for k, v in chronic_v2.items()},
                  record=("P", "Pm"))
    pain = 10 * ds["trajectory"].values[:, -1, 0]
    assert np.all(ds["trajectory"].values[:, -1, 1] > 0.9), "someone lost their priming"
    assert np.all(np.diff(pain) > 0) and pain[-1] - pain[0] >= 2.5, pain
    assert pain[-1] >= 4.5, "the most primed-sensitive woman should carry FM-level pain"


def test_the_slow_load_has_its_declared_size_and_memory(v2):
    """In stochastic mode L is a slow process with SD sd_load and correlation time about
    tau_L days; deterministic runs have none."""
    p = v2.registry.values()
    people = {"sd_load": np.full(200, p["sd_load"])}
    ds = simulate(v2, 400, people, None, None, stochastic=True, seed=4, record=("L",))
    load = ds["trajectory"].values[:, 100:, 0]
    assert load.std() == pytest.approx(p["sd_load"], rel=0.15)
    lag = int(p["tau_L"])
    r = np.corrcoef(load[:, :-lag].ravel(), load[:, lag:].ravel())[0, 1]
    assert 0.2 < r < 0.7, r  # about exp(-1) at one time constant
    still = simulate(v2, 50, None, None, None, record=("L",))["trajectory"].values
    assert np.all(still == 0.0)


def test_the_slow_load_makes_pain_flare_for_days_and_more_in_some_people(v2, chronic_v2):
    """Deliverable 3: with her slow load at its prior's upper end, the chronic woman's daily
    pain varies more than 1.5 times as much as with none (the daily noise alone), in stretches
    that last days (lag-1 autocorrelation near 1), not single-day spikes, and more than 1.5
    times as much as at the prior's lower end, so people differ in how much their pain
    fluctuates (Harris 2005, calibration.md B5.1)."""
    lo, hi = v2.registry.parameters["sd_load"].prior.bounds
    n = 40
    params = {**{k: np.full(3 * n, v) for k, v in person("vulnerable").items()},
              "sd_load": np.repeat([0.0, lo, hi], n)}
    ds = simulate(v2, 84, params, None, {k: np.full(3 * n, v) for k, v in chronic_v2.items()},
                  stochastic=True, seed=5, record=("P",))
    pain = 10 * ds["trajectory"].values[:, :, 0]
    sd = pain.std(axis=1, ddof=1).reshape(3, n).mean(axis=1)
    lag1 = np.array([np.corrcoef(x[:-1], x[1:])[0, 1] for x in pain]).reshape(3, n).mean(axis=1)
    assert sd[2] > 1.5 * sd[0] and sd[2] > 1.5 * sd[1], sd
    assert lag1[2] > 0.8, lag1


def test_v2_runs_from_the_command_line_and_an_unknown_model_is_refused():
    from typer.testing import CliRunner

    from fmsim.cli import app

    runner = CliRunner()
    ok = runner.invoke(app, ["simulate", "--scenario", "vulnerable-injury", "--days", "200",
                             "--model", V2, "--json"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["vpop", "--n", "10", "--model", "fm-v9"])
    assert bad.exit_code != 0 and "fm-v1, fm-v2" in bad.output


def test_committed_model_v2_doc_is_up_to_date(v2):
    """docs/model.md (the default model's) is generated from the code; regenerate it with
    `make docs`."""
    from pathlib import Path

    from fmsim.model.symbolic import markdown

    committed = Path(__file__).parents[1] / "docs" / "model.md"
    assert committed.read_text(encoding="utf-8") == markdown(v2, v2.registry), (
        "docs/model.md is stale: run `make docs`")


def test_v2_general_population_has_graded_fm_and_a_continuum_below_it():
    """Issue 20's population targets in 6,000 people of a seed the fits never used (the issue
    measures them at 20,000; the margins here allow for the smaller sample): among people
    meeting ACR 2016 severity spreads (FIQR interquartile range, published 36 points, B2.10;
    v1's is under 12), PSD median 15-22 (B2.11), sensitization below the ceiling and four-week
    diary pain fluctuating as diaries show (B5.1); without FM a fifth or more at PSD 4 or more
    (D.5), where v1 has almost nobody."""

    def summary(model):
        result = run_population(PopulationSpec(6000, "general", 3), model=model)
        people, fm = result.patients, result.fm
        q25, q75 = np.percentile(people["fiqr"].values[fm], [25, 75])
        psd = people["psd"].values
        cs = people["latent"].sel(quantity="CS").values
        return {"prevalence": result.prevalence, "fiqr_iqr": q75 - q25,
                "psd": np.median(psd[fm]), "below": (psd[~fm] >= 4).mean(),
                "cs": np.median(cs[fm]), "pain_sd": people["pain_sd"].values[fm].mean()}

    v1, v2 = summary("fm-v1"), summary(V2)
    assert 0.015 < v2["prevalence"] < 0.04, v2
    assert v2["fiqr_iqr"] >= 20 and v1["fiqr_iqr"] < 12, (v1, v2)
    assert 15 <= v2["psd"] <= 22 and v1["psd"] > 22, (v1, v2)
    assert v2["below"] >= 0.2 and v1["below"] < 0.01, (v1, v2)
    assert v2["cs"] <= 0.85 and v1["cs"] > 0.95, (v1, v2)
    assert 1.1 <= v2["pain_sd"] <= 1.61 and v1["pain_sd"] < 1.0, (v1, v2)


def test_v2_vulnerable_woman_is_bistable_between_a_recover_and_a_tip_fold(v2):
    """Over genetic vulnerability the vulnerable woman has a healthy and a chronic attractor,
    between a fold below (the chronic state ends: she recovers) and a fold above (the healthy
    state ends: she tips without a trigger). Six-year simulations end where the continuation
    says: on her own attractors at her value, chronic just past the tip fold from the healthy
    state, healthy just short of the recover fold from the chronic state."""
    from fmsim.analysis import BifurcationSpec, run_bifurcation

    result = run_bifurcation(BifurcationSpec("vulnerable", "genetic"), model=V2)
    folds = {f.kind: f.value for f in result.folds}
    assert set(folds) == {"recover", "tip"}
    assert folds["recover"] < result.own_value < folds["tip"]
    healthy, chronic = sorted(result.attractors, key=lambda a: a.pain)
    assert healthy.stable and chronic.stable and chronic.pain > healthy.pain + 1.5
    genetic = np.array([result.own_value, result.own_value, folds["tip"] + 0.03,
                        folds["recover"] - 0.03])
    starts = np.stack([healthy.states, chronic.states, healthy.states, chronic.states], axis=1)
    params = {**{k: np.full(4, v) for k, v in person("vulnerable").items()}, "genetic": genetic}
    run = simulate(v2, 6 * 365, params, None, dict(zip(v2.state_names, starts, strict=True)),
                   record=("pain",))
    end = run["trajectory"].values[:, -1, 0]
    assert end[:2] == pytest.approx([healthy.pain, chronic.pain], abs=0.05)
    assert end[2] > healthy.pain + 1.0 and end[3] < 2.0, end
