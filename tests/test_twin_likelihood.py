"""The twin's likelihood (issue 21, deliverable 3, in progress): the engine advanced in blocks
from states the caller holds, and a particle filter of a diary on the patient axis."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

from fmsim import FMSimError, person, resolve_model, simulate
from fmsim.engine.stepper import Stepper
from fmsim.studies import load_scenario
from fmsim.studies.scenario import scenario_initial
from fmsim.twin import simulate_diary
from fmsim.twin.likelihood import HISTORY, HISTORY_DAYS, DiaryLikelihood, _log_interval

V2 = "fm-v2"


@pytest.fixture(scope="module")
def diary():
    """Sixty days of the simulated woman of fm-diary (model v2), a fifth of the days missing."""
    return simulate_diary(load_scenario("fm-diary", V2), 60, seed=4, missing=0.2).diary


def test_a_run_cut_into_blocks_is_the_run_simulate_makes():
    model = resolve_model(V2)
    params = {**person("vulnerable"), "w_PC": np.linspace(1.0, 2.0, 16)}
    whole = simulate(model, 25, params, None, None, stochastic=True, seed=5, record=("P", "S"))
    stepper = Stepper.create(model, 25, params)
    rng = np.random.default_rng(5)
    y, xi = stepper.start(rng)
    blocks = [stepper.advance(y, xi, d0, n, rng, ("P", "S")) for d0, n in ((0, 1), (1, 10),
                                                                           (11, 14))]
    np.testing.assert_array_equal(np.concatenate(blocks, axis=1),
                                  whole["trajectory"].sel(variable=["P", "S"]).values)
    np.testing.assert_array_equal(y, whole["final"].values.T)


@given(st.floats(-8, 8), st.floats(0.01, 6))
def test_the_answer_interval_is_accurate_in_both_tails(lo, width):
    hi = lo + width
    exact = np.log(norm.sf(lo) - norm.sf(hi)) if lo > 0 else np.log(norm.cdf(hi) - norm.cdf(lo))
    assert _log_interval(np.array([lo]), np.array([hi]))[0] == pytest.approx(exact, rel=1e-6)
    assert _log_interval(np.array([-np.inf]), np.array([hi]))[0] == pytest.approx(
        norm.logcdf(hi), rel=1e-6, abs=1e-12)


def test_estimates_are_reproducible_from_the_seed_and_weigh_only_logged_days(diary):
    """Each call draws fresh random numbers (pseudo-marginal MCMC), from a generator seeded
    once: the same seed gives the same run of estimates."""
    def likelihood():
        return DiaryLikelihood(diary, ("w_PC",), model=V2, particles=100, seed=3,
                               columns=("pain",))

    theta = np.array([[1.3], [1.6]])
    lik = likelihood()
    first, second = lik(theta), lik(theta)
    np.testing.assert_array_equal(first, likelihood()(theta))
    assert not np.array_equal(first, second) and np.all(np.abs(first - second) < 15)
    assert np.all(np.isfinite(first))
    logged, rated = int(diary.logged.sum()), int(np.sum(~np.isnan(diary.values["pain"])))
    assert logged == rated < diary.days
    # each logged pain answer costs at least the best single-answer probability
    best = np.log(norm.cdf(0.5 / 0.7) - norm.cdf(-0.5 / 0.7))
    assert np.all(first < rated * best)
    loglik, states = lik.filter(theta)
    assert np.all(np.isfinite(loglik))
    assert states.shape == (2, 100, len(resolve_model(V2).state_names))


def test_a_person_without_fm_explains_an_fm_diary_far_worse(diary):
    """At the lowest priming gain of the prior the woman's FM does not hold; her diary's pain
    is then much less likely than at the gain that made it (the estimate's spread between seeds
    is about 1-2 at these sizes, docs/twin.md)."""
    lik = DiaryLikelihood(diary, ("w_PC",), model=V2, particles=200, seed=1, columns=("pain",))
    low, true = np.mean([lik(np.array([[0.49], [1.529]])) for _ in range(3)], axis=0)
    assert true - low > 20


def test_particles_start_where_the_persons_history_leaves_them(diary):
    """A woman who plans much activity (fitter than the chronic reference woman) and whose
    priming fades in about half of her possible pasts: the particles' start carries both, as
    her own history (scenario fm-diary, from its day 760) does when lived many times."""
    values = {"w_PC": 1.11, "gain_affective": 0.78, "gain_sleep": 0.67,
              "gain_inflammatory": 0.86, "act_plan": 0.89, "theta_F": 0.67}
    lik = DiaryLikelihood(diary, tuple(values), model=V2, particles=40, seed=2)
    theta = np.tile(list(values.values()), (8, 1))  # 8 x 16 separate histories
    start = lik.start_states(theta, np.random.default_rng(0))
    story = load_scenario(HISTORY, V2)
    params = {k: np.full(80, v) for k, v in {**person("vulnerable"), **values}.items()}
    initial = scenario_initial(replace(story, parameters=values), V2)
    lived = simulate(resolve_model(V2), HISTORY_DAYS, params, story.inputs(HISTORY_DAYS),
                     {k: np.full(80, v) for k, v in initial.items()}, stochastic=True, seed=9,
                     record=())["final"]
    for state, tolerance in (("K", 0.01), ("Pm", 0.25), ("CS", 0.1)):
        truth = float(lived.sel(state=state).mean())
        assert start[state].mean() == pytest.approx(truth, abs=tolerance), state
    faded = lived.sel(state="Pm").values < 0.5
    assert 0.1 < faded.mean() < 0.9 and 0.1 < np.mean(start["Pm"] < 0.5) < 0.9


def test_unknown_names_are_refused(diary):
    with pytest.raises(FMSimError, match="unknown parameter"):
        DiaryLikelihood(diary, ("w_nothing",), model=V2)
    with pytest.raises(FMSimError, match="unknown diary column"):
        DiaryLikelihood(diary, ("w_PC",), model=V2, columns=("weather",))
    with pytest.raises(FMSimError, match="particles"):
        DiaryLikelihood(diary, ("w_PC",), model=V2, particles=0)
