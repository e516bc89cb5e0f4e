"""The twin's likelihood (issue 21, deliverable 3, in progress): the engine advanced in blocks
from states the caller holds, and a particle filter of a diary on the patient axis."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

from fmsim import FMSimError, person, resolve_model, simulate
from fmsim.engine.stepper import Stepper, noise_inputs
from fmsim.studies import load_scenario
from fmsim.studies.scenario import scenario_initial
from fmsim.twin import simulate_diary
from fmsim.twin.likelihood import HISTORY, HISTORY_DAYS, NOISE, DiaryLikelihood, _log_interval

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


def test_reordered_patients_take_their_parameters_with_them():
    """A particle filter's resampling when the particles' parameters differ: after
    ``reorder`` the stepper runs each patient with the parameters of the one it copied."""
    model = resolve_model(V2)
    params = {**person("vulnerable"), "sd_stress": np.linspace(0.1, 0.5, 6),
              "w_PC": np.linspace(1.0, 2.0, 6)}
    index = np.array([5, 5, 0, 3, 1, 1])
    stepper = Stepper.create(model, 30, params)
    rng = np.random.default_rng(2)
    y, xi = stepper.start(rng)
    stepper.advance(y, xi, 0, 10, rng)
    y[:], xi[:] = y[:, index], xi[:, index]
    stepper.reorder(index)
    (y2, xi2), (y3, xi3) = (y.copy(), xi.copy()), (y.copy(), xi.copy())
    moved = stepper.advance(y, xi, 10, 20, np.random.default_rng(3), ("P",))
    again = Stepper.create(model, 30, {k: np.asarray(v)[index] if np.ndim(v) else v
                                       for k, v in params.items()})
    np.testing.assert_array_equal(moved, again.advance(y2, xi2, 10, 20,
                                                       np.random.default_rng(3), ("P",)))
    assert not np.array_equal(moved[0], moved[2])  # the copies of 5 and of 0 differ
    named = Stepper.create(model, 30, params)  # only the parameters that differ, reordered
    named.reorder(index, ("sd_stress", "w_PC"))
    np.testing.assert_array_equal(moved, named.advance(y3, xi3, 10, 20,
                                                       np.random.default_rng(3), ("P",)))


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
    end = lik.filter(theta)
    assert np.all(np.isfinite(end.loglik))
    assert end.states.shape == (2, 100, len(resolve_model(V2).state_names))
    assert end.values.shape == (2, 100, 0)
    # the particles' daily noise: the model's noise inputs, standard normal on average
    assert end.noise.shape == (2, 100, len(noise_inputs(resolve_model(V2))))
    assert np.all(np.isfinite(end.noise)) and np.abs(end.noise).max() < 6


def test_looking_ahead_keeps_the_estimate_and_narrows_it(diary):
    """The auxiliary filter (first-stage weights from each particle's last logged day) and the
    plain bootstrap filter estimate the same likelihood, that of many particles; on a whole
    90-day diary of ratings looking ahead spreads its estimates less (docs/twin.md)."""
    from scipy.special import logsumexp

    def estimates(on, particles, lookahead, n, columns=("pain", "fatigue", "mood")):
        lik = DiaryLikelihood(on, ("w_PC",), model=V2, particles=particles, seed=3,
                              columns=columns, lookahead=lookahead)
        return lik(np.full((n, 1), 1.529))  # n estimates at the woman's own priming gain

    reference = estimates(diary, 2000, False, 8).mean()  # their spread is about 0.4
    for lookahead in (True, False):  # the likelihood, not its logarithm, is unbiased
        values = estimates(diary, 150, lookahead, 64)
        assert logsumexp(values) - np.log(values.size) == pytest.approx(reference, abs=0.75)
    whole = simulate_diary(load_scenario("fm-diary", V2), 90, seed=1).diary
    ratings = ("pain", "fatigue", "mood", "cognitive")
    ahead, plain = (estimates(whole, 150, la, 64, ratings) for la in (True, False))
    assert ahead.std() < 0.9 * plain.std()


def test_particles_carry_their_own_noise_drawn_from_its_prior(diary):
    """Integrated over (NOISE): each line of a candidate's past draws its own amplitudes from
    the population prior and keeps them; the particles left at the diary's end carry values
    drawn at the start, and within the prior's bounds."""
    lik = DiaryLikelihood(diary, ("w_PC",), model=V2, particles=80, seed=3, columns=("pain",),
                          integrated=NOISE)
    registry = resolve_model(V2).registry.parameters
    theta = np.array([[1.3], [1.6]])
    states, drawn = lik.start_states(theta, np.random.default_rng(1))
    assert drawn.shape == (2, 80, len(NOISE)) and states["CS"].shape == (160,)
    for j, name in enumerate(NOISE):
        lo, hi = registry[name].prior.bounds
        assert np.all((drawn[..., j] >= lo) & (drawn[..., j] <= hi)), name
        # one draw for each line of the past (16), not one for everyone
        assert len(np.unique(drawn[0, :, j])) == lik.history_particles
    filtered = lik.filter(theta)
    loglik, end = filtered.loglik, filtered.values  # the integrated values at the end
    assert np.all(np.isfinite(loglik)) and end.shape == (2, 80, len(NOISE))
    bounds = np.array([registry[n].prior.bounds for n in NOISE])
    assert np.all((end >= bounds[:, 0]) & (end <= bounds[:, 1]))
    given = np.tile([registry[n].prior.bounds[1] for n in NOISE], (2, 1))
    _, fixed = lik.start_states(theta, np.random.default_rng(1), given)
    np.testing.assert_array_equal(fixed, np.broadcast_to(given[:, None, :], fixed.shape))


def test_an_integrated_parameter_holds_for_the_whole_past(diary):
    """A particle's value of an integrated parameter that moves the dynamics (the priming
    threshold) is its value from the warm-up on: started from given values, its states are
    those of a person whose base value it is, not the base person's warm-up continued under
    it."""
    theta = np.array([[1.3], [1.6]])
    value = 0.75  # within theta_Pm's prior, far from the base person's 1.087
    own = DiaryLikelihood(diary, ("w_PC",), model=V2, particles=20, seed=3,
                          integrated=("theta_Pm",))
    as_base = DiaryLikelihood(diary, ("w_PC",), model=V2, particles=20, seed=3,
                              base={**person("vulnerable"), "theta_Pm": value})
    states, _ = own.start_states(theta, np.random.default_rng(4), np.full((2, 1), value))
    expected, _ = as_base.start_states(theta, np.random.default_rng(4))
    for name in ("Pm", "CS", "G"):
        np.testing.assert_allclose(states[name], expected[name], rtol=1e-9, err_msg=name)


def test_a_noisier_person_lives_a_worse_and_more_variable_diary(diary):
    """Why the noise is integrated over rather than held at one value: relived from her past
    with the amplitudes at the tops of their priors, the same woman has more pain and more
    day-to-day spread than at their bottoms (model v2: the noise carries about 1.5 points of a
    person's mean pain, docs/calibration.md)."""
    lik = DiaryLikelihood(diary, ("w_PC",), model=V2, particles=1, seed=3, integrated=NOISE)
    registry = resolve_model(V2).registry.parameters
    bounds = np.array([registry[n].prior.bounds for n in NOISE])
    theta = np.full((40, 1), 1.529)
    pain = {}
    for side in (0, 1):
        (run,) = lik.relive(theta, [diary.model_inputs()], np.random.default_rng(5), ("P",),
                            noise_seed=7, values=np.tile(bounds[:, side], (40, 1)))
        pain[side] = 10 * run["trajectory"].sel(variable="P").values
    assert pain[1].mean() > pain[0].mean() + 1.5
    assert np.std(np.diff(pain[1]), axis=1).mean() > 3 * np.std(np.diff(pain[0]), axis=1).mean()


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
    start, _ = lik.start_states(theta, np.random.default_rng(0))
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
    with pytest.raises(FMSimError, match="either fitted or integrated"):
        DiaryLikelihood(diary, ("w_PC", "sd_load"), model=V2, integrated=NOISE)
    with pytest.raises(FMSimError, match="no population prior to integrate"):
        DiaryLikelihood(diary, ("w_PC",), model=V2, integrated=("w_Pfr",))
