"""Global sensitivity (fmsim.analysis.sensitivity): SALib's wiring on a function whose indices are
known, and the model's outputs over its priors."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from fmsim import FMSimError
from fmsim.analysis import Problem, SensitivitySpec, run_sensitivity
from fmsim.analysis.sensitivity import analyse
from fmsim.cli import app

PI = np.pi
ISHIGAMI = Problem(("x1", "x2", "x3"), (lambda u: -PI + 2 * PI * u,) * 3)
"""Ishigami and Homma (1990): three inputs uniform on [-pi, pi]."""
S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
"""Its analytic indices for a = 7, b = 0.1 (Saltelli et al. 2008, Global Sensitivity Analysis:
The Primer, section 4.5)."""


def ishigami(v):
    return np.sin(v["x1"]) + 7 * np.sin(v["x2"]) ** 2 + 0.1 * v["x3"] ** 4 * np.sin(v["x1"])


def test_sobol_indices_of_the_ishigami_function_converge_to_their_values():
    widths = []
    for n in (512, 8192):
        runs, indices = analyse(ISHIGAMI, ishigami, "sobol", n, seed=1)
        assert runs == n * 5
        by_name = {p.name: p for p in indices}
        widths.append(np.mean([np.diff(p.intervals["ST"])[0] for p in indices]))
        if n == 8192:
            for name, p in by_name.items():
                assert p.indices["S1"] == pytest.approx(S1[name], abs=0.02), name
                assert p.indices["ST"] == pytest.approx(ST[name], abs=0.02), name
                lo, hi = p.intervals["ST"]
                assert lo < ST[name] < hi, name
    assert widths[1] < widths[0] / 2  # intervals shrink about as 1/sqrt(N)
    assert [p.name for p in indices] == ["x1", "x2", "x3"]  # ranked by total index


def test_morris_ranks_the_ishigami_inputs_and_ignores_a_dummy():
    problem = Problem((*ISHIGAMI.names, "dummy"), (*ISHIGAMI.quantiles, lambda u: u))
    _, indices = analyse(problem, ishigami, "morris", 64, seed=0)
    by_name = {p.name: p.indices["mu_star"] for p in indices}
    assert by_name["dummy"] == 0 and min(by_name[n] for n in ISHIGAMI.names) > 1


def test_a_deterministic_output_does_not_depend_on_the_noise_sds():
    result = run_sensitivity(SensitivitySpec(
        "chronic_pain", "morris", 8, ("genetic", "theta_C", "sd_stress", "sd_sleep")))
    mu = {p.name: p.indices["mu_star"] for p in result.parameters}
    assert mu["sd_stress"] == mu["sd_sleep"] == 0
    assert mu["genetic"] > 0 and mu["theta_C"] > 0
    assert result.n_runs == 8 * 5
    assert [p.name for p in result.parameters][:2] != ["sd_stress", "sd_sleep"]


def test_the_sample_runs_the_same_on_every_executor():
    spec = SensitivitySpec("diary_sd", "sobol", 8, ("genetic", "sd_stress", "tau_CS"))
    serial = run_sensitivity(spec)
    processes = run_sensitivity(spec, executor="processes")
    assert serial.to_dict() == processes.to_dict()


def test_the_command_prints_json_and_a_ranked_plot(tmp_path):
    result = CliRunner().invoke(app, [
        "analyze", "sensitivity", "--output", "duloxetine_effect", "--method", "sobol",
        "--n", "8", "--parameters", "genetic,g_X,tau_CS", "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["output"], data["method"], data["n_runs"]) == ("duloxetine_effect", "sobol", 40)
    totals = [p["ST"] for p in data["parameters"]]
    assert totals == sorted(totals, reverse=True)
    assert {"name", "S1", "ST", "S1_ci", "ST_ci"} <= set(data["parameters"][0])
    assert {p.name for p in tmp_path.iterdir()} >= {"result.json", "sensitivity.png"}


@pytest.mark.parametrize(("args", "message"), [
    (["--output", "pain"], "'pain' is not one of"),
    (["--output", "tipping", "--n", "100"], "not a power of two"),
    (["--output", "tipping", "--parameters", "genetic,nope"], "unknown parameter"),
    (["--output", "tipping", "--parameters", "genetic,k_C"], "do not vary between people"),
    (["--output", "tipping", "--parameters", "genetic"], "at least two different"),
    (["--output", "tipping", "--parameters", "genetic,genetic"], "at least two different"),
    (["--output", "tipping", "--n", "2"], "--n"),
    (["--output", "tipping", "--executor", "tcp://"], "host and a port"),
])
def test_bad_input_is_one_clear_message(args, message):
    result = CliRunner().invoke(app, ["analyze", "sensitivity", *args])
    assert result.exit_code != 0 and message in result.output, result.output
    assert "Traceback" not in result.output


def test_a_spec_is_checked_when_made():
    with pytest.raises(FMSimError, match="unknown output"):
        SensitivitySpec("nope")
    with pytest.raises(FMSimError, match="unknown method"):
        SensitivitySpec(method="fast")


def test_an_output_that_never_varies_is_refused_for_sobol():
    """Sobol indices share out an output's variance; with none they are 0/0, which is said
    rather than printed as SALib's warnings and NaN."""
    with pytest.raises(FMSimError, match="the output is 3 in all 20 runs"):
        analyse(ISHIGAMI, lambda v: np.full(len(v["x1"]), 3.0), "sobol", 4)
