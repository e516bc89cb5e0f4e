"""Fitting the twin (issue 21, deliverable 3, first version): a simulated person whose truth is
known is recovered within the posterior, and the fit is saved and read back as NetCDF."""

import json
from dataclasses import replace

import numpy as np
import pytest
from typer.testing import CliRunner

from fmsim import FMSimError, resolve_model
from fmsim.cli import app
from fmsim.engine.stepper import noise_inputs
from fmsim.studies import load_scenario
from fmsim.twin import simulate_diary
from fmsim.twin.explain import drug_effects
from fmsim.twin.fit import (
    FITTED,
    INTEGRATED,
    MAX_RHAT,
    MIN_SHRINKAGE,
    STATISTICS,
    TwinFit,
    TwinSpec,
    fit_twin,
    load_fit,
)
from fmsim.twin.likelihood import NOISE

TRUTH = {"gain_affective": 1.3, "act_plan": 0.7}
"""A woman whose mood pathway is stronger and who plans more activity than the preset's."""


@pytest.fixture(scope="module")
def simulated():
    """The README's diary woman (fm-diary-duloxetine: injured on day 30, duloxetine 60 mg from
    day 60 of her 120-day diary) with :data:`TRUTH`'s values, and a fifth of her days blank."""
    scenario = replace(load_scenario("fm-diary-duloxetine", "fm-v2"), parameters=TRUTH)
    return simulate_diary(scenario, 120, seed=3, missing=0.2)


@pytest.fixture(scope="module")
def fitted(simulated):
    diary = simulated.diary
    return diary, fit_twin(diary, TwinSpec(particles=150, walkers=16, steps=60, burn=30,
                                           thin=2, seed=1))


@pytest.mark.slow(minutes=0.5)
def test_a_known_person_is_recovered_within_the_posterior(fitted):
    """The two parameters a diary tells most about (docs/twin.md) are covered by the 98%
    posterior intervals (a 90% interval misses one truth in ten, so one fit in five would
    miss one of the two), and their 90% intervals are far narrower than the prior's;
    the others stay within the prior."""
    _, fit = fitted
    q = fit.intervals()
    for name, value in TRUTH.items():
        draws = fit.idata.posterior[name].values.ravel()
        assert np.quantile(draws, 0.01) <= value <= np.quantile(draws, 0.99), (name, q[name])
        assert q[name]["shrinkage"] > 0.5, (name, q[name])
    for name in fit.spec.fitted:
        assert q[name]["prior_low"] <= q[name]["median"] <= q[name]["prior_high"], name
    post = fit.idata.posterior
    assert post["state_end"].shape[-1] == len(post.coords["state"])
    # each draw's daily noise at the end, for the forecasts to carry on
    noise = fit.noise_end()
    assert set(noise) == set(noise_inputs(resolve_model(fit.spec.model)))
    assert all(v.shape == (len(fit.people()[1]),) and np.isfinite(v).all()
               for v in noise.values())
    assert 0 < fit.idata.sample_stats.attrs["acceptance"] < 1


@pytest.mark.slow(minutes=0.5)
def test_each_draw_keeps_its_particle_s_values_and_the_verdict_ignores_them(fitted):
    """Every parameter that differs between people and is not fitted is integrated over
    (INTEGRATED: the noise amplitudes, time constants, thresholds...): each posterior draw
    carries the values of the particle that gave its states, within their priors; they are
    reported beside the fitted parameters but never make the verdict "not enough data"; a
    what-if lives each draw with its own."""
    _, fit = fitted
    assert fit.spec.integrated == INTEGRATED and set(NOISE) <= set(INTEGRATED)
    params, states = fit.people()
    registry = resolve_model(fit.spec.model).registry.parameters
    for name in INTEGRATED:
        lo, hi = registry[name].prior.bounds
        assert params[name].shape == (len(states),) and len(np.unique(params[name])) > 3
        assert np.all((params[name] >= lo) & (params[name] <= hi)), name
    assert set(fit.to_dict()["integrated"]) == set(INTEGRATED)
    assert not any(n in r for r in fit.verdict().reasons for n in INTEGRATED)
    shown = [r[0] for r in fit.rows()[1 + len(fit.spec.fitted):]]
    told = [n for n, q in fit.intervals(names=INTEGRATED).items()
            if q["shrinkage"] >= MIN_SHRINKAGE]
    hidden = len(INTEGRATED) - len(told)
    assert shown == [f"{n} (integrated)" for n in told] + ([f"{hidden} more integrated"]
                                                           if hidden else [])


def test_the_twin_integrates_over_everything_a_person_differs_in_but_its_fitted_set():
    """INTEGRATED is every parameter of model v2 with a population prior, less the fitted
    ones and the person's traits (the base person's sex and vulnerability)."""
    registry = resolve_model("fm-v2").registry.parameters
    varies = {n for n, p in registry.items() if p.prior.varies}
    assert set(INTEGRATED) == varies - set(FITTED) - {"genetic", "early_life", "female"}
    assert len(set(INTEGRATED)) == len(INTEGRATED)


@pytest.mark.slow(minutes=0.5)
def test_a_fit_is_saved_and_read_back(fitted, tmp_path):
    diary, fit = fitted
    again = load_fit(fit.save(tmp_path / "fit.nc"))
    assert again.spec == fit.spec
    for name in ("act_plan", "sd_sleep"):
        np.testing.assert_allclose(again.idata.posterior[name].values,
                                   fit.idata.posterior[name].values)
    np.testing.assert_array_equal(again.idata.observed_data["pain"].values,
                                  diary.values["pain"].values)
    for name, values in fit.noise_end().items():
        np.testing.assert_array_equal(again.noise_end()[name], values)
    with pytest.raises(FMSimError, match=r"\.nc"):
        fit.save(tmp_path / "fit.json")
    (tmp_path / "other.nc").write_bytes(b"not netcdf")
    with pytest.raises(FMSimError, match="not a twin fit"):
        load_fit(tmp_path / "other.nc")
    (tmp_path / "diary.csv").write_text("date,pain\n")
    with pytest.raises(FMSimError, match="looks like a diary, not a fit"):
        load_fit(tmp_path / "diary.csv")
    (tmp_path / "folder.nc").mkdir()
    with pytest.raises(FMSimError, match="is a folder"):
        load_fit(tmp_path / "folder.nc")


@pytest.mark.slow(minutes=0.5)
def test_a_damaged_fit_is_refused_with_what_is_wrong(fitted, tmp_path):
    """A file that reads as NetCDF but lacks a group, carries a diary that does not parse,
    names a model it was not fitted in, or holds draws outside the priors is refused when read,
    naming the file and the fault, not later with a traceback."""
    import arviz as az

    _, fit = fitted
    path = fit.save(tmp_path / "fit.nc")

    def damaged(name: str, change):
        idata = az.from_netcdf(str(path))
        change(idata)
        idata.to_netcdf(str(tmp_path / name))
        return tmp_path / name

    def no_prior(idata):
        del idata.prior

    def bad_diary(idata):
        idata.posterior.attrs["diary"] = "not json"

    def other_model(idata):
        idata.posterior.attrs["twin_model"] = "fm-v1"

    def impossible(idata):
        idata.posterior["w_PC"][...] = 1e9

    for name, change, fault in (("a.nc", no_prior, "the group.s. prior"),
                                ("b.nc", bad_diary, "Expecting value"),
                                ("c.nc", other_model, "model fm-v1 has"),
                                ("d.nc", impossible, "w_PC has draws outside its prior")):
        with pytest.raises(FMSimError, match=f"{name} is not a twin fit.*{fault}"):
            load_fit(damaged(name, change))


@pytest.mark.slow(minutes=0.5)
def test_an_ensemble_still_moving_withholds_the_answer(fitted):
    """The fit reports each parameter's drift R-hat and effective sample size; when the
    walkers sit elsewhere in the second half of the kept draws than in the first, the verdict
    says the sampler has not settled and asks for more steps."""
    _, fit = fitted
    diagnostics = fit.diagnostics()
    assert set(diagnostics) == set(fit.spec.fitted)
    assert all(d["rhat"] < MAX_RHAT and d["ess"] > 10 for d in diagnostics.values()), diagnostics
    assert fit.rows()[0][-2:] == ("drift R-hat", "ESS")
    idata = fit.idata.copy()
    draws = idata.posterior.sizes["draw"]
    idata.posterior["act_plan"][:, draws // 2:] += 0.2
    moving = TwinFit(fit.spec, idata)
    assert moving.diagnostics()["act_plan"]["rhat"] > MAX_RHAT
    verdict = moving.verdict()
    assert not verdict.enough
    assert any("not settled for act_plan" in r for r in verdict.reasons)
    assert any(f"--steps {2 * fit.spec.steps}" in a for a in verdict.advice)


@pytest.mark.slow(minutes=0.5)
def test_a_treatment_period_is_recovered(simulated, fitted):
    """Issue 21, deliverable 7: the woman starts duloxetine on day 60 of her 120-day diary; the
    twin's estimate of what the drug did to her pain covers what it did (her scenario run again
    without it on the same noise, in the truth) and says it helped."""
    sim, (_, fit) = simulated, fitted
    post = fit.idata.posterior
    (effect,) = drug_effects(fit, np.arange(post.sizes["chain"] * post.sizes["draw"]))
    truth = sim.truth.effects["duloxetine:60"]
    assert effect.spec == "duloxetine:60" and abs(effect.first - truth["first"]) <= 3
    assert effect.low <= truth["pain_change"] <= effect.high < 0, (effect, truth)


@pytest.mark.slow(minutes=0.5)
def test_the_fit_carries_its_posterior_predictive_diaries_and_checks_them(fitted, tmp_path):
    """Each posterior draw's own diary (the weighed columns, blank where the diary is blank
    when summarized) is in the fit; the diary's summaries are checked against them, and a diary
    whose pain never moves is flagged as beyond what the fitted twin produces."""
    diary, fit = fitted
    predictive = fit.idata.posterior_predictive
    assert set(predictive.data_vars) == set(fit.spec.columns)
    assert predictive["pain"].shape == (*fit.idata.posterior["act_plan"].shape, diary.days)
    checks = fit.predictive_check()
    assert {(c.column, c.statistic) for c in checks} >= {("pain", s) for s in STATISTICS}
    assert all(0 <= c.p <= 1 and c.low <= c.high for c in checks)
    again = load_fit(fit.save(tmp_path / "fit.nc"))
    assert again.predictive_check() == checks
    idata = fit.idata.copy()
    pain = idata.observed_data["pain"].values
    idata.observed_data["pain"].values[:] = np.where(np.isnan(pain), np.nan, 6.0)
    flat = TwinFit(fit.spec, idata)
    assert any("SD over days of pain (0)" in w for w in flat.warnings()), flat.warnings()


def test_the_spec_is_checked():
    with pytest.raises(FMSimError, match="walkers"):
        TwinSpec(walkers=6)
    with pytest.raises(FMSimError, match="burn"):
        TwinSpec(steps=10, burn=10)
    with pytest.raises(FMSimError, match="no population prior"):
        fit_twin(None, TwinSpec(fitted=("k_P",), walkers=2))


@pytest.mark.slow(minutes=0.5)
def test_fit_from_the_command_line(tmp_path):
    diary, fit_file = tmp_path / "d.csv", tmp_path / "fit.nc"
    runner = CliRunner()
    made = runner.invoke(app, ["twin", "simulate-diary", "--scenario", "fm-diary", "--days",
                               "40", "--out", str(diary)])
    assert made.exit_code == 0, made.output
    result = runner.invoke(app, ["twin", "fit", str(diary), "--out", str(fit_file), "--steps",
                                 "6", "--particles", "40", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload["intervals"]) == set(TwinSpec().fitted)
    assert "not a medical device" in payload["notice"] and fit_file.exists()
    bad = runner.invoke(app, ["twin", "fit", str(diary), "--out", str(tmp_path / "f.txt")])
    assert bad.exit_code == 2 and not (tmp_path / "f.txt").exists()
