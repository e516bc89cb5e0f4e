"""The phenomena the model must show (DESIGN section 3; issue 2)."""

import numpy as np
import pytest

from fmsim import fm_model, load_scenario, person, run_scenario, simulate


def pain_of(result):
    return result.score("pain")


def test_healthy_person_stays_healthy_for_two_years():
    pain = pain_of(run_scenario(load_scenario("healthy"), 730))
    assert pain.max() < 2.0


def test_vulnerable_person_without_trigger_stays_healthy_for_two_years():
    pain = pain_of(run_scenario(load_scenario("vulnerable"), 730))
    assert pain.max() < 2.0


def test_injury_tips_a_vulnerable_person_into_lasting_pain():
    spec = load_scenario("vulnerable-injury")
    pain = pain_of(run_scenario(spec, 730))
    end = spec.trigger_end
    assert pain[: spec.triggers[0].start_day].max() < 2.0, "not healthy before the injury"
    window = pain[end + 30 : end + 211]
    assert window.min() >= 4.0, f"pain fell to {window.min():.2f} within 30-210 days after"


def test_the_same_injury_leaves_a_healthy_person_well():
    spec = load_scenario("healthy-injury")
    pain = pain_of(run_scenario(spec, 730))
    end = spec.trigger_end
    assert pain[spec.triggers[0].start_day : end].max() > 3.0, "the injury should hurt"
    assert pain[end : end + 61].min() < 2.0, "not below 2/10 within 60 days after"
    assert pain[end + 60 :].max() < 2.0, "pain came back"


@pytest.mark.parametrize("name", ["vulnerable-infection", "vulnerable-stress"])
def test_other_triggers_can_tip_a_vulnerable_person(name):
    spec = load_scenario(name)
    pain = pain_of(run_scenario(spec, spec.trigger_end + 200))
    assert pain[spec.trigger_end + 30 :].min() >= 4.0


def test_sleep_fragmentation_lowers_descending_inhibition_within_three_nights():
    spec = load_scenario("sleep-fragmentation")
    ds = run_scenario(spec).dataset
    di = ds["trajectory"].sel(variable="DI").isel(patient=0).values
    cpm = ds["trajectory"].sel(variable="cpm").isel(patient=0).values
    first, after = spec.triggers[0].start_day, spec.trigger_end  # morning after the 3rd night
    assert di[after] < 0.95 * di[first - 1], f"DI {di[first - 1]:.3f} -> {di[after]:.3f}"
    assert cpm[after] < cpm[first - 1]
    assert di[-1] > di[after], "inhibition recovers once sleep is restored"


def _bout_effect(states, params):
    model = fm_model()
    bout = np.zeros(5)
    bout[1] = 1.0
    with_bout = simulate(model, 5, params, {"exercise": bout}, states, record=("pain",))
    without = simulate(model, 5, params, None, states, record=("pain",))
    return (with_bout["trajectory"] - without["trajectory"]).values[0, :, 0]


def test_one_strenuous_bout_raises_next_day_pain_in_fm_not_in_health(
    chronic_fm, healthy_baseline
):
    fm = _bout_effect(chronic_fm, person("vulnerable"))
    healthy = _bout_effect(healthy_baseline, person("healthy"))
    assert fm[2] > 0.5, f"FM next-day pain rose only {fm[2]:.2f}"
    assert abs(healthy[2]) < 0.2, f"healthy next-day pain changed {healthy[2]:.2f}"
    assert fm[4] < fm[2], "the flare fades over the following days"


def test_noise_gives_day_to_day_variability_in_fm(chronic_fm):
    ds = simulate(fm_model(), 365, person("vulnerable"), None, chronic_fm, stochastic=True,
                  seed=3, record=("pain",))
    pain = ds["trajectory"].values[0, :, 0]
    assert pain.std() > 0.3
    assert 4.0 < pain.mean() < 9.0
