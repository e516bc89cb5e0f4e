"""The engine: agreement with SciPy, seeds, bounds under any prior draw, results and errors."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from fmsim import (
    FMSimError,
    fm_model,
    load,
    load_registry,
    load_scenario,
    person,
    resolve_model,
    sample_parameters,
    save,
    simulate,
    simulate_reference,
)
from fmsim.engine.inputs import prepare

from .conftest import LASTING_PAIN, MODEL_NAMES

N_DRAWS = 12


@st.composite
def prior_draws(draw):
    """Parameter arrays for N_DRAWS people, each value anywhere inside its prior bounds."""
    out = {}
    for name, info in load_registry().parameters.items():
        if not info.prior.varies:
            continue
        lo, hi = info.prior.bounds
        if info.prior.dist == "bernoulli":
            elements = st.sampled_from([0.0, 1.0])
        else:
            elements = st.floats(lo, hi, allow_nan=False)
        out[name] = draw(hnp.arrays(float, N_DRAWS, elements=elements))
    return out


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=prior_draws(), stochastic=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_any_prior_draw_stays_finite_and_in_bounds(params, stochastic, seed):
    model = fm_model()
    days = 365
    injury = np.zeros(days)
    injury[100:142] = 0.5  # exercise the nonlinear regime too
    ds = simulate(model, days, params, {"injury": injury}, stochastic=stochastic, seed=seed,
                  record=(*model.state_names, "pain", "fatigue"))
    values = ds["trajectory"].values
    assert np.isfinite(values).all() and np.isfinite(ds["final"].values).all()
    for i, state in enumerate(model.states):
        lo, hi = state.bounds
        assert values[:, :, i].min() >= lo and values[:, :, i].max() <= hi, state.name
    pain = ds["trajectory"].sel(variable="pain").values
    assert pain.min() >= 0 and pain.max() <= 10


@pytest.mark.slow
@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_fixed_step_engine_agrees_with_scipy_reference(model_name):
    """50 people drawn from the model's priors, one severe injury each, 365 days: daily pain
    within 1e-3, in both models. The injury tips some of them, so both regimes are compared."""
    model = resolve_model(model_name)
    params = sample_parameters(50, seed=2024, registry=model.registry)
    injury = np.zeros(365)
    injury[30:72] = 1.0
    fast = simulate(model, 365, params, {"injury": injury})
    ref = simulate_reference(model, 365, params, {"injury": injury})
    a = fast["trajectory"].sel(variable="pain").values
    b = ref["trajectory"].sel(variable="pain").values
    rel = np.abs(a - b) / np.maximum(np.abs(b), 1e-12)
    assert rel.max() <= 1e-3, f"largest relative difference {rel.max():.2e}"
    # the draw covers both outcomes, so the comparison is not only of healthy trajectories
    assert (b[:, -1] > LASTING_PAIN[model_name]).any() and (b[:, -1] < 2).any()


def test_same_seed_same_result_different_seed_different_noise():
    model = fm_model()
    p = person("vulnerable")
    a = simulate(model, 60, p, stochastic=True, seed=11, record=("pain", "S"))
    b = simulate(model, 60, p, stochastic=True, seed=11, record=("pain", "S"))
    c = simulate(model, 60, p, stochastic=True, seed=12, record=("pain", "S"))
    assert np.array_equal(a["trajectory"].values, b["trajectory"].values)
    assert not np.allclose(a["trajectory"].values, c["trajectory"].values)
    d1 = simulate(model, 60, p, seed=1, record=("pain",))
    d2 = simulate(model, 60, p, seed=2, record=("pain",))
    assert np.array_equal(d1["trajectory"].values, d2["trajectory"].values)


def test_a_run_can_start_from_given_noise():
    """The daily noise's processes can start where another run left them (a twin's forecast
    carries on its particles'): a high stress noise on day 0 raises stress over the next days
    against a low one on the same seed; both kernels take it alike; it is refused where there
    is no such noise."""
    model = fm_model()
    p = person("vulnerable")
    runs = {level: {kernel: simulate(model, 5, p, stochastic=True, seed=3, record=("S",),
                                     kernel=kernel, noise={"noise_stress": level})
                    for kernel in ("compiled", "numpy")} for level in (-2.5, 2.5)}
    for level in runs:
        np.testing.assert_allclose(runs[level]["compiled"]["trajectory"].values,
                                   runs[level]["numpy"]["trajectory"].values, rtol=1e-9)
    high, low = (runs[v]["compiled"]["trajectory"].values[0, 1:3, 0] for v in (2.5, -2.5))
    assert np.all(high > low)
    with pytest.raises(FMSimError, match="stochastic"):
        simulate(model, 5, p, noise={"noise_stress": 1.0})
    with pytest.raises(FMSimError, match="noise inputs are"):
        simulate(model, 5, p, stochastic=True, noise={"noise_weather": 1.0})


def test_patients_are_independent_columns():
    """A person simulated in a population gets the same trajectory as alone."""
    model = fm_model()
    params = sample_parameters(5, seed=5, registry=model.registry)
    together = simulate(model, 120, params, record=("pain", "CS"))
    alone = simulate(model, 120, {k: v[3] for k, v in params.items()}, record=("pain", "CS"))
    np.testing.assert_allclose(together["trajectory"].values[3], alone["trajectory"].values[0],
                               rtol=1e-12, atol=1e-14)


def test_results_are_labelled_and_survive_netcdf(tmp_path):
    model = fm_model()
    spec = load_scenario("healthy-injury")
    ds = simulate(model, 40, spec.params(), spec.inputs(40))
    assert ds["trajectory"].dims == ("patient", "day", "variable")
    assert set(model.state_names) <= set(ds.coords["variable"].values)
    assert ds["final"].dims == ("patient", "state")
    assert ds["inputs"].dims == ("patient", "day", "input")
    assert ds["inputs"].sel(input="injury").values[0, 35] == 0.5
    path = save(ds, tmp_path / "run.nc")
    back = load(path)
    np.testing.assert_array_equal(back["trajectory"].values, ds["trajectory"].values)
    assert back.attrs["model"] == model.name


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"params": {"no_such_parameter": 1.0}}, "unknown parameter"),
        ({"inputs": {"injury": np.zeros(3)}}, "injury"),
        ({"initial": {"CS": np.nan}}, "non-finite"),
        ({"params": {"genetic": np.zeros(3), "early_life": np.zeros(4)}}, "disagree"),
        ({"record": ("pain", "nonsense")}, "nonsense"),
        ({"refine": 0}, "refine must be a whole number >= 1"),
        ({"steps_per_day": 1.5}, "steps_per_day must be a whole number >= 1"),
    ],
)
def test_bad_engine_input_gets_a_clear_error(kwargs, message):
    with pytest.raises(FMSimError, match=message):
        simulate(fm_model(), 10, **kwargs)


def test_days_must_be_positive():
    with pytest.raises(FMSimError, match="days"):
        simulate(fm_model(), 0)


def test_days_after_an_input_jumps_are_marked():
    """The start and each day whose inputs differ from the day before open a window of days
    (any patient's input counts)."""
    injury = np.zeros((2, 20))
    injury[1, 8:12] = 1.0
    prep = prepare(fm_model(), 20, inputs={"injury": injury})
    assert np.flatnonzero(prep.after_changes(3)).tolist() == [0, 1, 2, 8, 9, 10, 12, 13, 14]
    assert prep.after_changes(1).sum() == 3


def test_refined_steps_after_jumps_buy_the_accuracy_of_twice_the_steps():
    """Model v2 through an injury's start and end, 40 people from the priors: one step a day
    taken in two pieces after each jump errs no more than two steps every day (against 16 steps
    a day), several times less than one step; refine=1 is the plain run, and the kernels
    agree on a refined stochastic run."""
    model = resolve_model("fm-v2")
    params = sample_parameters(40, seed=1, registry=model.registry)
    injury = np.zeros(110)
    injury[30:72] = 1.0

    def pain(**kw):
        ds = simulate(model, 110, params, {"injury": injury}, record=("pain",), **kw)
        return ds["trajectory"].values[:, :, 0]

    truth = pain(steps_per_day=16)

    def error(p):
        return (np.abs(p - truth) / np.abs(truth)).max()

    one, two, refined = (error(pain(steps_per_day=s, refine=r)) for s, r in ((1, 1), (2, 1),
                                                                              (1, 2)))
    assert refined <= 1.1 * two and refined < one / 5, (one, two, refined)
    np.testing.assert_array_equal(pain(steps_per_day=1, refine=1), pain(steps_per_day=1))
    runs = [simulate(model, 110, {k: v[:9] for k, v in params.items()}, {"injury": injury},
                     stochastic=True, seed=4, record=("pain", "I"), steps_per_day=2, refine=3,
                     kernel=kernel)["trajectory"].values for kernel in ("compiled", "numpy")]
    np.testing.assert_allclose(runs[0], runs[1], rtol=1e-9)
