"""Loop gains (fmsim.analysis.loops): a two-loop model whose gains are known by hand, the
seven vicious circles' signs against the loop diagram in both models, and what holds each
model's chronic state up."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from fmsim import fm_model, person, resolve_model
from fmsim.analysis import LoopsSpec, System, loop_gains, run_loops
from fmsim.cli import app
from fmsim.model import ModelBuilder

from .conftest import MODEL_NAMES

V1 = "fm-v1"

A, B, C, D = 0.5, 1.2, 2.0, 0.3


def _two_loops():
    """x -> y -> x and x -> z -> y -> x, with z = d x^2 a variable."""
    b = ModelBuilder("two-loops")
    b.state("x", "x", lambda v: (v.a * v.y - v.x) / v.tau_x, initial=0.5, time_constant="tau_x")
    b.state("y", "y", lambda v: (v.b * v.x + v.c * v.z - v.y) / v.tau_y, initial=0.5,
            time_constant="tau_y")
    b.variable("z", "z", lambda v: v.d * v.x**2)
    b.coupling("y", "x", +1, [])
    b.coupling("x", "y", +1, [])
    b.coupling("x", "z", +1, [])
    b.coupling("z", "y", +1, [])
    return b.build({"a": A, "b": B, "c": C, "d": D, "tau_x": 3.0, "tau_y": 7.0},
                   loops={"short": ("x", "y", "x"), "long": ("x", "z", "y", "x")})


def test_gains_of_two_loops_are_the_products_computed_by_hand():
    model = _two_loops()
    system = System(model, {"a": A, "b": B, "c": C, "d": D, "tau_x": 3.0, "tau_y": 7.0})
    x = 0.4
    loops = {loop.name: loop for loop in loop_gains(system, np.array([x, 0.9]))}
    # dx/dt = (a y - x) / tau_x: tau_x d(dx/dt)/dy = a; likewise b, c; dz/dx = 2 d x
    assert loops["short"].edges == pytest.approx((B, A))
    assert loops["short"].gain == pytest.approx(A * B)
    assert loops["long"].edges == pytest.approx((2 * D * x, C, A))
    assert loops["long"].gain == pytest.approx(2 * D * x * C * A)
    assert [loop.name for loop in loop_gains(system, np.array([x, 0.9]))] == ["short", "long"]


@pytest.mark.parametrize("model_name", MODEL_NAMES)
@pytest.mark.parametrize("day", [20, 50, 729])
def test_every_coupling_around_the_vicious_circles_has_the_diagrams_sign(day, model_name):
    model = resolve_model(model_name)
    result = run_loops(LoopsSpec("vulnerable-injury", day), model=model)
    signs = {(c.source, c.target): c.sign for c in model.couplings}
    assert {loop.name for loop in result.loops} >= {name for name, _ in model.loops}
    for loop in result.loops:
        for edge, gain in zip(zip(loop.cycle[:-1], loop.cycle[1:], strict=True), loop.edges,
                              strict=True):
            assert np.sign(gain) == signs[edge], (loop.name, edge, gain)
        assert loop.gain > 0, loop.name


def test_the_switch_sustains_itself_while_it_flips_and_is_saturated_after():
    """Model v1 (the README says so): the loop gains of chronic FM are all far below 1."""
    gains = [{loop.name: loop.gain for loop in run_loops(LoopsSpec("vulnerable-injury",
                                                                   day), model=V1).loops}
             for day in (20, 50, 729)]
    assert gains[0]["CS self-excitation"] < 1 < gains[1]["CS self-excitation"]
    assert max(gains[2].values()) < 0.5


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_the_loops_of_a_system_at_its_own_state_match_the_scenario(model_name):
    model = resolve_model(model_name)
    result = run_loops(LoopsSpec("vulnerable", 100), model=model)
    system = System(model, {**model.registry.values(), **person("vulnerable")})
    x = np.array([result.states[s] for s in model.state_names])
    assert [loop.gain for loop in loop_gains(system, x)] == \
        pytest.approx([loop.gain for loop in result.loops])


def test_the_command_prints_json_and_a_plot(tmp_path):
    result = CliRunner().invoke(app, ["analyze", "loops", "--model", V1, "--scenario",
                                      "vulnerable-injury", "--day", "50", "--json", "--out",
                                      str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["day"] == 50 and data["loops"][0]["name"] == "CS self-excitation"
    assert {"name", "cycle", "lead", "gain", "edges"} <= set(data["loops"][0])
    central = next(loop for loop in data["loops"] if loop["name"] == "central-amplification")
    assert central["lead"] == ["N"] and central["cycle"] == ["CS", "G", "CS"]
    assert {p.name for p in tmp_path.iterdir()} >= {"result.json", "loops.png"}


@pytest.mark.parametrize(("args", "message"), [
    (["--scenario", "nowhere"], "nowhere"),
    (["--scenario", "healthy", "--day", "-1"], "--day"),
    (["--scenario", "healthy", "--day", "40000"], "--day"),
])
def test_bad_input_is_one_clear_message(args, message):
    result = CliRunner().invoke(app, ["analyze", "loops", *args])
    assert result.exit_code != 0 and message in result.output, result.output
    assert "Traceback" not in result.output


def test_a_loop_must_return_along_declared_couplings():
    from fmsim.model.builder import ModelError

    b = ModelBuilder("open")
    b.state("x", "x", lambda v: -v.x / v.tau, initial=0.0, time_constant="tau")
    b.coupling("x", "x", +1, [])
    with pytest.raises(ModelError, match="does not return"):
        b.build({"tau": 1.0}, loops={"open": ("x",)})
    with pytest.raises(ModelError, match=r"x->y"):
        b.build({"tau": 1.0}, loops={"missing": ("x", "y", "x")})


def test_a_cut_holds_the_source_in_the_target_only_and_keeps_a_states_relaxation():
    from fmsim.analysis.attribution import cut_coupling
    from fmsim.model import NumpyKernel

    model = _two_loops()
    params = {"a": A, "b": B, "c": C, "d": D, "tau_x": 3.0, "tau_y": 7.0}
    y = np.array([[0.4], [0.9]])
    held = NumpyKernel(cut_coupling(model, "y", "x", 0.2)).rhs(y, params, {})
    assert held[0, 0] == pytest.approx((A * 0.2 - 0.4) / 3.0)  # x sees y = 0.2
    assert held[1, 0] == pytest.approx((B * 0.4 + C * D * 0.16 - 0.9) / 7.0)  # y untouched
    # a self-coupling: x held at 0.1 in its own rate, its relaxation -x / tau_x kept
    own = NumpyKernel(cut_coupling(model, "x", "x", 0.1)).rhs(y, params, {})
    assert own[0, 0] == pytest.approx((A * 0.9 - 0.4) / 3.0)


def test_knocking_out_the_switch_ends_chronic_pain_and_every_circle_holds_some_of_it():
    """Model v1, whose switch is CS's self-excitation."""
    result = run_loops(LoopsSpec("vulnerable-injury", attribute=True), model=V1)
    by_loop = {c.loop: c for c in result.contributions}
    assert set(by_loop) == {loop.name for loop in result.loops}
    assert by_loop["CS self-excitation"].pain_cut < 2  # without it she recovers
    assert all(c.pain_with == pytest.approx(result.pain, abs=0.05)
               for c in result.contributions)  # the stiff solver settles where the engine is
    for name, _ in fm_model().loops:  # cutting a reinforcing circle lowers pain
        assert by_loop[name].contribution > 0.1, name
    data = result.to_dict()["attribution"]
    assert data[0]["loop"] == "CS self-excitation" and data[0]["cut"] == ["CS", "CS"]


def test_in_v2_cutting_the_priming_ends_chronic_pain_and_every_circle_holds_some_of_it():
    """Model v2, whose chronic state is held by the priming memory: with the priming's hold on
    sensitization cut she is back below 2/10, where she was before the injury; cutting any
    other reinforcing circle lowers her pain too, central amplification and the pain-sleep
    circle most."""
    model = resolve_model("fm-v2")
    result = run_loops(LoopsSpec("vulnerable-injury", attribute=True), model=model)
    by_loop = {c.loop: c for c in result.contributions}
    assert by_loop["priming"].pain_cut < 2 < result.pain
    assert result.to_dict()["attribution"][0]["loop"] == "priming"
    for name, _ in model.loops:
        assert by_loop[name].contribution > 0, name
    assert min(by_loop[n].contribution for n in ("central-amplification",
                                                  "pain-sleep-inhibition")) > 0.2
