"""The phenomena every shipped model must show (DESIGN section 3; issue 2, and issue 20 for
model v2), each run in both models."""

import numpy as np
import pytest

from fmsim import load_scenario, person, resolve_model, run_scenario, simulate

from .conftest import LASTING_PAIN, MODEL_NAMES, chronic_states, healthy_states

pytestmark = pytest.mark.parametrize("model", MODEL_NAMES)


def pain_of(name, model, days=730):
    return run_scenario(load_scenario(name, model), days, model=model).score("pain")


def test_healthy_person_stays_healthy_for_two_years(model):
    assert pain_of("healthy", model).max() < 2.0


def test_vulnerable_person_without_trigger_stays_healthy_for_two_years(model):
    assert pain_of("vulnerable", model).max() < 2.0


def test_injury_tips_a_vulnerable_person_into_lasting_pain(model):
    spec = load_scenario("vulnerable-injury", model)
    pain = pain_of("vulnerable-injury", model)
    end = spec.trigger_end
    assert pain[: spec.triggers[0].start_day].max() < 2.0, "not healthy before the injury"
    window = pain[end + 30 : end + 211]
    assert window.min() >= LASTING_PAIN[model], (
        f"pain fell to {window.min():.2f} within 30-210 days after")


def test_the_same_injury_leaves_a_healthy_person_well(model):
    spec = load_scenario("healthy-injury", model)
    pain = pain_of("healthy-injury", model)
    end = spec.trigger_end
    assert pain[spec.triggers[0].start_day : end].max() > 3.0, "the injury should hurt"
    assert pain[end : end + 61].min() < 2.0, "not below 2/10 within 60 days after"
    assert pain[end + 60 :].max() < 2.0, "pain came back"


@pytest.mark.parametrize("name", ["vulnerable-infection", "vulnerable-stress"])
def test_other_triggers_can_tip_a_vulnerable_person(name, model):
    spec = load_scenario(name, model)
    pain = pain_of(name, model, spec.trigger_end + 200)
    assert pain[spec.trigger_end + 30 :].min() >= LASTING_PAIN[model]


def test_sleep_fragmentation_lowers_descending_inhibition_within_three_nights(model):
    spec = load_scenario("sleep-fragmentation", model)
    ds = run_scenario(spec, model=model).dataset
    di = ds["trajectory"].sel(variable="DI").isel(patient=0).values
    cpm = ds["trajectory"].sel(variable="cpm").isel(patient=0).values
    first, after = spec.triggers[0].start_day, spec.trigger_end  # morning after the 3rd night
    assert di[after] < 0.95 * di[first - 1], f"DI {di[first - 1]:.3f} -> {di[after]:.3f}"
    assert cpm[after] < cpm[first - 1]
    assert di[-1] > di[after], "inhibition recovers once sleep is restored"


def _bout_effect(model, states, params):
    bout = np.zeros(5)
    bout[1] = 1.0
    resolved = resolve_model(model)
    with_bout = simulate(resolved, 5, params, {"exercise": bout}, states, record=("pain",))
    without = simulate(resolved, 5, params, None, states, record=("pain",))
    return (with_bout["trajectory"] - without["trajectory"]).values[0, :, 0]


def test_one_strenuous_bout_raises_next_day_pain_in_fm_not_in_health(model):
    fm = _bout_effect(model, chronic_states(model), person("vulnerable"))
    healthy = _bout_effect(model, healthy_states(model), person("healthy"))
    assert fm[2] > 0.5, f"FM next-day pain rose only {fm[2]:.2f}"
    assert abs(healthy[2]) < 0.2, f"healthy next-day pain changed {healthy[2]:.2f}"
    assert fm[4] < fm[2], "the flare fades over the following days"


def test_noise_gives_day_to_day_variability_in_fm(model):
    ds = simulate(resolve_model(model), 365, person("vulnerable"), None, chronic_states(model),
                  stochastic=True, seed=3, record=("pain",))
    pain = ds["trajectory"].values[0, :, 0]
    assert pain.std() > 0.3
    assert LASTING_PAIN[model] < pain.mean() < 9.0
