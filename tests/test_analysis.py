"""Steady states and continuation (fmsim.analysis): the exact Jacobian, folds of a system whose
folds are known, and branches checked against long simulations of the same person, in model v1,
whose chronic state is a branch of its switch that ends in folds (v2's is held by a slow
priming memory: its bifurcation diagram is in docs/calibration.md, model v2)."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from fmsim import FMSimError, fm_model, person, simulate
from fmsim.analysis import BifurcationSpec, System, attractors, run_bifurcation
from fmsim.analysis.continuation import continue_branch
from fmsim.cli import app
from fmsim.model import ModelBuilder

V1 = "fm-v1"


@pytest.fixture(scope="module")
def vulnerable():
    return run_bifurcation(BifurcationSpec("vulnerable", "genetic"), model=V1)


def _system(free="genetic"):
    model = fm_model()
    return System(model, {**model.registry.values(), **person("vulnerable")}, {}, free=free)


def test_the_jacobian_is_the_derivative_of_the_rates(chronic_fm):
    system = _system("theta_C")
    model = system.model
    x = np.array([[chronic_fm[s] for s in model.state_names],
                  [s.initial for s in model.states]]).T
    jac, dvalue = system.jacobian(x)
    eps = 1e-6
    for j in range(len(model.state_names)):
        step = np.zeros_like(x)
        step[j] = eps
        numeric = (system.rates(x + step) - system.rates(x - step)) / (2 * eps)
        assert np.allclose(jac[:, :, j], numeric.T, rtol=1e-5, atol=1e-8), model.state_names[j]
    own = system.value
    numeric = (system.rates(x, own + eps) - system.rates(x, own - eps)) / (2 * eps)
    assert np.allclose(dvalue, numeric.T, rtol=1e-5, atol=1e-9)
    # the threshold of central sensitization enters only its rate
    moved = np.flatnonzero(np.abs(dvalue).max(axis=0))
    assert [model.state_names[i] for i in moved] == ["CS"]


def _cubic():
    """dx/dt = r + x - x^3: folds at r = -+2 / (3 sqrt 3) with x = +-1/sqrt 3."""
    b = ModelBuilder("cubic")
    b.state("x", "x", lambda v: (v.r + v.x - v.x**3) / v.tau, initial=-1.0, bounds=(-2, 2),
            time_constant="tau")
    b.variable("pain", "x on 0-10", lambda v: 5 + 2.5 * v.x)
    return b.build({"r": 0.0, "tau": 1.0})


def test_continuation_finds_the_folds_of_a_cubic():
    model = _cubic()
    system = System(model, {"r": 0.0, "tau": 1.0}, free="r")
    curve = continue_branch(system, np.array([-1.0]), 0.0, -1.0, 1.0, direction=1)
    fold = 2 / (3 * np.sqrt(3))
    assert [round(curve.values[i], 6) for i in curve.folds] == [round(fold, 6), round(-fold, 6)]
    # stable, then unstable between the folds, then stable again
    changes = np.flatnonzero(np.diff(curve.stable.astype(int)))
    assert len(changes) == 2 and not curve.stable[changes[0] + 2]
    assert curve.values[0] == pytest.approx(0.0) and curve.values[-1] == pytest.approx(1.0)
    found = attractors(system, 0.0, starts=16)
    assert sorted(round(a.states[0], 9) for a in found) == [-1.0, 1.0]


def test_a_vulnerable_person_is_bistable_and_a_healthy_one_only_far_from_her_value(vulnerable):
    """The healthy woman (genetic 0.1) has one branch around her value (the command's test);
    only far above it would a chronic branch appear."""
    (fold,) = run_bifurcation(BifurcationSpec("healthy", "genetic"), model=V1).folds
    assert fold.kind == "recover" and 0.5 < fold.value
    stable = [b for b in vulnerable.branches if b.stable]
    assert len(stable) == 2 and len(vulnerable.attractors) == 2
    (fold,) = vulnerable.folds
    assert fold.kind == "recover" and fold.value < vulnerable.own_value == 0.8
    assert vulnerable.distance("recover") == pytest.approx(fold.value - 0.8)
    assert vulnerable.distance("tip") is None


def _end_pain(values, starts, seed=0, days=4 * 365):
    """Pain after ``days`` of the vulnerable woman at each of ``values`` of genetic, from
    ``starts`` random states each (one batched run), shape (values, starts)."""
    model = fm_model()
    lo, hi = np.array([s.bounds for s in model.states]).T
    rng = np.random.default_rng(seed)
    n = len(values) * starts
    initial = lo + (hi - lo) * rng.uniform(size=(n, len(lo)))
    params = {**person("vulnerable"), "genetic": np.repeat(values, starts)}
    run = simulate(model, days, params, None, dict(zip(model.state_names, initial.T,
                                                       strict=True)), record=("pain",))
    return run["trajectory"].sel(variable="pain").values[:, -1].reshape(len(values), starts)


def _stable_pains(result, value):
    return [float(np.interp(value, *((b.values, b.pain) if b.values[0] < b.values[-1] else
                                     (b.values[::-1], b.pain[::-1]))))
            for b in result.branches if b.stable and min(b.values) <= value <= max(b.values)]


def test_long_simulations_end_on_the_stable_branches_and_only_there(vulnerable):
    values = np.array([0.05, 0.15, 0.3, 0.5, 0.7, 0.9])
    ends = _end_pain(values, starts=24)
    for value, pains in zip(values, ends, strict=True):
        branches = _stable_pains(vulnerable, value)
        nearest = np.min(np.abs(pains[:, None] - np.array(branches)[None, :]), axis=1)
        assert nearest.max() < 0.02, (value, pains, branches)  # only on stable branches
        reached = {int(np.argmin(np.abs(p - np.array(branches)))) for p in pains}
        assert reached == set(range(len(branches))), (value, branches)  # and on every one


def test_the_fold_is_where_the_chronic_state_stops_holding(vulnerable):
    """From the chronic attractor, 1% of the range below the fold the person recovers; 1%
    above it they stay in chronic pain."""
    (fold,) = vulnerable.folds
    chronic = vulnerable.attractors[-1].states
    model = fm_model()
    width = np.diff(vulnerable.value_range)[0]
    values = np.array([fold.value - 0.01 * width, fold.value + 0.01 * width])
    run = simulate(model, 6 * 365, {**person("vulnerable"), "genetic": values}, None,
                   dict(zip(model.state_names, chronic, strict=True)), record=("pain",))
    below, above = run["trajectory"].sel(variable="pain").values[:, -1]
    assert below < 2 < 5 < above


def test_the_command_prints_json_and_draws_the_diagram(tmp_path):
    result = CliRunner().invoke(app, ["analyze", "bifurcation", "--scenario", "healthy",
                                      "--parameter", "genetic", "--range", "0", "0.5",
                                      "--json", "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["parameter"] == "genetic" and data["range"] == [0.0, 0.5]
    assert data["person"]["value"] == pytest.approx(0.1) and data["folds"] == []
    assert len(data["person"]["attractors"]) == 1  # the healthy woman: one state, one branch
    (branch,) = data["branches"]
    assert all(point["stable"] for point in branch)
    assert {"value", "pain", "stable", "states"} <= set(branch[0])
    assert branch[0]["value"] == 0.0 and branch[-1]["value"] == pytest.approx(0.5)
    assert {p.name for p in (tmp_path / "b").iterdir()} >= {"result.json", "bifurcation.png"}


@pytest.mark.parametrize(("args", "message"), [
    (["--parameter", "nope"], "unknown parameter or input 'nope'"),
    (["--parameter", "k_C"], "does not vary between people"),
    (["--parameter", "female"], "yes or no"),
    (["--parameter", "genetic", "--range", "0.5", "0.2"], "is empty"),
    (["--parameter", "genetic", "--range", "0", "2"], "prior bounds [0, 1]"),
    (["--parameter", "genetic", "--range", "nan", "1"], "give two finite numbers"),
    (["--parameter", "genetic", "--scenario", "nowhere"], "nowhere"),
])
def test_bad_input_is_one_clear_message(args, message):
    if "--scenario" not in args:
        args = ["--scenario", "healthy", *args]
    result = CliRunner().invoke(app, ["analyze", "bifurcation", *args])
    assert result.exit_code != 0 and message in result.output, result.output
    assert "Traceback" not in result.output


def test_a_range_beside_the_person_starts_at_its_nearest_end():
    result = run_bifurcation(BifurcationSpec("vulnerable", "genetic", (0.0, 0.5)), model=V1)
    assert {a.value for a in result.attractors} == {0.5} and result.own_value == 0.8
    with pytest.raises(FMSimError, match="prior bounds"):
        run_bifurcation(BifurcationSpec("vulnerable", "genetic", (-0.1, 0.5)), model=V1)


def test_a_sustained_stressor_tips_the_vulnerable_woman_where_the_healthy_branch_ends():
    """Continuation over an input: past the tip fold the healthy woman's state is gone, and a
    long simulation from it at 1% of the range above the fold ends in chronic pain, 1% below
    it does not."""
    result = run_bifurcation(BifurcationSpec("vulnerable", "stress_input", (1.0, 1.6)), model=V1)
    (fold,) = result.folds
    assert fold.kind == "tip" and result.distance("tip") == pytest.approx(fold.value)
    model = fm_model()
    healthy = result.attractors[0].states
    width = 0.6
    ends = []
    for value in (fold.value - 0.01 * width, fold.value + 0.01 * width):
        run = simulate(model, 6 * 365, person("vulnerable"), {"stress_input": value},
                       dict(zip(model.state_names, healthy, strict=True)), record=("pain",))
        ends.append(float(run["trajectory"].sel(variable="pain").values[0, -1]))
    assert ends[0] < 2 < 5 < ends[1]


def test_an_input_is_varied_only_within_its_declared_bounds():
    with pytest.raises(FMSimError, match=r"declared bounds \[0, 1\]"):
        run_bifurcation(BifurcationSpec("vulnerable", "ne_effect", (0.0, 1.5)), model=V1)
    with pytest.raises(FMSimError, match="unknown parameter or input"):
        run_bifurcation(BifurcationSpec("vulnerable", "pain"), model=V1)


def test_a_branch_away_from_the_persons_value_is_found_and_a_vector_sets_the_person(vulnerable):
    """With genetic set to 0.1 the vulnerable woman has only the healthy state, yet the chronic
    branch that begins at the recover fold further up is traced too."""
    result = run_bifurcation(BifurcationSpec("vulnerable", "genetic", None, {"genetic": 0.1}),
                             model=V1)
    reference = vulnerable
    assert result.own_value == 0.1 and len(result.attractors) == 1
    assert [(f.kind, round(f.value, 4)) for f in result.folds] == \
        [(f.kind, round(f.value, 4)) for f in reference.folds] == [("recover", 0.2043)]
    assert sum(b.stable for b in result.branches) == 2


def test_set_takes_a_parameter_vector_and_refuses_what_a_scenario_would():
    ok = CliRunner().invoke(app, ["analyze", "bifurcation", "--model", V1, "--scenario",
                                  "healthy", "--parameter", "genetic", "--range", "0", "0.1",
                                  "--set", "act_plan=0.5", "--set", "early_life=0.2", "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["overrides"] == {"act_plan": 0.5, "early_life": 0.2}
    for value, message in (("act_plan", "NAME=VALUE"), ("act_plan=x", "NAME=VALUE"),
                           ("k_C=9", "registry value 8"),
                           ("act_plan=7", "outside its prior bounds")):
        bad = CliRunner().invoke(app, ["analyze", "bifurcation", "--model", V1, "--scenario",
                                       "healthy", "--parameter", "genetic", "--set", value])
        assert bad.exit_code != 0 and message in bad.output, bad.output
