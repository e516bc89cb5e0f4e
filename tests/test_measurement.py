"""The measurement model: virtual people answer the diary and the questionnaires."""

import numpy as np
import pytest

from fmsim import FMSimError, fm_model, load_registry, load_scenario, person, run_scenario, simulate
from fmsim.instruments.measurement import (
    LATENT,
    READOUT_SPREAD,
    MeasurementModel,
    diary,
    measured_readouts,
    respondents,
    score_simulation,
)
from fmsim.instruments.respondent import result_dicts, score_respondent
from fmsim.model.registry import TAGS, packaged_parameters

V1 = "fm-v1"
"""The reference women of model v1, whose FM is one severe level: the woman tipped by the injury
meets ACR 2016 with a typical FIQR. In v2 FM is graded and the median woman's is mild (pain
3.6/10); v2's questionnaires are checked over a general population
(test_model_v2.test_v2_general_population_has_graded_fm_and_a_continuum_below_it)."""


@pytest.fixture(scope="module")
def injured():
    spec = load_scenario("vulnerable-injury", V1)
    return spec, run_scenario(spec, spec.trigger_end + 366, model=V1).dataset


@pytest.fixture(scope="module")
def healthy():
    spec = load_scenario("healthy-injury", V1)
    return spec, run_scenario(spec, spec.trigger_end + 366, model=V1).dataset


@pytest.mark.parametrize("seed", range(5))
def test_fm_after_injury_meets_acr_2016_a_year_later_and_not_before(injured, healthy, seed):
    spec, ds = injured
    year_after = spec.trigger_end + 365
    assert score_simulation(ds, "acr2016", year_after, seed=seed).positive[0]
    assert not score_simulation(ds, "acr2016", spec.triggers[0].start_day - 1,
                                seed=seed).positive[0]
    _, well = healthy
    assert not score_simulation(well, "acr2016", year_after, seed=seed).positive[0]


def test_fiqr_levels_match_population_values(injured, healthy):
    """FIQR with FM about 64.7 and without about 20.7 (calibration.md B2.1, B2.3)."""
    spec, ds = injured
    day = spec.trigger_end + 365
    fm = np.mean([score_simulation(ds, "fiqr", day, seed=s).total[0] for s in range(10)])
    well = np.mean([score_simulation(healthy[1], "fiqr", day, seed=s).total[0]
                    for s in range(10)])
    assert 50 <= fm <= 75 and well <= 25


def test_answer_scale_lifts_the_healthy_and_caps_the_worst(healthy):
    """Items are answered on the scale item_floor .. item_floor + item_range: a symptom-free
    person's FIQR rises by about 100 x item_floor, and with answer noise off no item reaches 10
    even at the model's maximum."""
    _, well = healthy
    day = well.sizes["day"] - 1
    plain = MeasurementModel(noise=False)
    plain.p.update(item_floor=0.0, item_range=1.0)
    scaled = MeasurementModel(noise=False)
    floor, span = scaled.p["item_floor"], scaled.p["item_range"]
    assert 0 < floor and floor + span <= 1
    lifted = scaled.score(well, "fiqr", day).total[0]
    assert lifted > plain.score(well, "fiqr", day).total[0] + 50 * floor
    top = scaled._items(np.ones((1, 21)), 0, day)
    assert top.max() == round(10 * (floor + span)) < 10


def test_readouts_as_measured():
    """Cytokines gain seeded unexplained spread (SD cytokine_sd) around the model's index; the
    pressure threshold is the latent one to the power ppt_exponent; the rest pass through."""
    p = MeasurementModel().p
    latent = {"cytokines": np.full(20000, 0.2), "ppt": np.array([0.1, 0.5, 1.0]),
              "hrv": np.array([0.3])}
    out = measured_readouts(latent, seed=4)
    assert abs(out["cytokines"].mean() - 0.2) < 0.03
    assert abs(out["cytokines"].std() - p["cytokine_sd"]) < 0.02
    np.testing.assert_array_equal(out["cytokines"], measured_readouts(latent, seed=4)["cytokines"])
    assert not np.array_equal(out["cytokines"], measured_readouts(latent, seed=5)["cytokines"])
    np.testing.assert_allclose(out["ppt"], latent["ppt"] ** p["ppt_exponent"])
    assert out["ppt"][0] / out["ppt"][2] > 0.1  # thresholds differ less than the latent gain
    np.testing.assert_array_equal(out["hrv"], latent["hrv"])
    quiet = measured_readouts(latent, noise=False)
    np.testing.assert_array_equal(quiet["cytokines"], latent["cytokines"])


def test_model_v2_read_outs_carry_the_healthy_between_person_spread():
    """In model v2 each physiological read-out is the model's value times a person's factor
    of mean 1 with the coefficient of variation of its parameter (published healthy spread);
    the wind-up ratio is compressed like the pressure threshold; model v1's pass through."""
    v2 = MeasurementModel(seed=2, model="fmsim-fm-v2")
    latent = {name: np.full(40000, 0.4) for name in READOUT_SPREAD}
    out = v2.readouts(latent)
    for name, cv in READOUT_SPREAD.items():
        x = out[name] / (0.4 ** v2.p["ppt_exponent"] if name in ("ppt", "temporal_summation")
                         else 0.4)
        assert v2.p[cv] > 0 and abs(x.mean() - 1) < 0.02, name
        assert abs(x.std() / x.mean() - v2.p[cv]) < 0.03, name
    assert v2.p["ts_exponent"] == v2.p["ppt_exponent"]
    v1 = MeasurementModel(seed=2).readouts(latent)
    for name in READOUT_SPREAD:
        if name != "ppt":
            np.testing.assert_array_equal(v1[name], latent[name])


def test_scores_rise_monotonically_with_pain_in_a_sweep_of_central_sensitization():
    """One person with central sensitization held at 0, 0.1, ..., 1 (a time constant so long
    that it does not move) while everything else settles."""
    levels = np.linspace(0, 1, 11)
    ds = simulate(fm_model(), 400, {**person("vulnerable"), "tau_CS": 1e9}, None,
                  {"CS": levels})
    np.testing.assert_allclose(ds["trajectory"].sel(variable="CS").values[:, -1], levels,
                               atol=1e-5)
    pain = ds["trajectory"].sel(variable="pain").values[:, -1]
    assert np.all(np.diff(pain) > 0) and pain[0] < 2 and pain[-1] > 6
    acr = score_simulation(ds, "acr2016", 399, noise=False, shared_traits=True)
    fiqr = score_simulation(ds, "fiqr", 399, noise=False, shared_traits=True)
    for key, values in (("wpi", acr.wpi), ("sss", acr.sss), ("fiqr", fiqr.total)):
        assert np.all(np.diff(values) >= 0), f"{key} not monotone: {values}"
        assert values[-1] > values[0], f"{key} does not rise: {values}"
    wpi = acr.wpi
    # from few areas to as many as the ACR 2016 criteria ask for (WPI >= 7)
    assert wpi[0] <= 2 and wpi[-1] >= 7, "pain spreads from few areas to many"


def test_simulated_people_are_scored_like_real_ones(injured):
    """A virtual person's answers, given as a real respondent's (area names, yes/no, lists),
    get the scores the array scorer gave them."""
    spec, ds = injured
    day = spec.trigger_end + 365
    for instrument in ("acr2016", "acr2011", "acr2010", "acr1990", "fiqr", "fiq"):
        answers = respondents(ds, instrument, day, seed=3)[0]
        (simulated,) = result_dicts(instrument, score_simulation(ds, instrument, day, seed=3))
        assert simulated == score_respondent(instrument, answers)


def test_the_psqi_follows_its_published_cut_points():
    """Duration scores 0 above 7 h, 1 from 6 to 7 h, 2 from 5 to 6 h and 3 under 5 h;
    efficiency 0 from 85%, then 75%, 65%; the global score adds the seven components."""
    from fmsim.instruments import PSQI_COMPONENTS, psqi_scores

    hours = np.array([8.0, 7.0, 6.5, 6.0, 5.5, 5.0, 4.9])
    efficiency = np.array([0.9, 0.85, 0.84, 0.75, 0.74, 0.65, 0.64])
    zeros = np.zeros(7, dtype=int)
    scores = psqi_scores(zeros + 1, zeros, hours, efficiency, zeros + 2, zeros, zeros + 3)
    assert scores.components["duration"].tolist() == [0, 1, 1, 1, 2, 2, 3]
    assert scores.components["efficiency"].tolist() == [0, 0, 1, 1, 2, 2, 3]
    assert list(scores.components) == list(PSQI_COMPONENTS)
    assert scores.total.tolist() == (6 + scores.components["duration"]
                                     + scores.components["efficiency"]).tolist()
    with pytest.raises(FMSimError, match="PSQI quality"):
        psqi_scores(zeros + 4, zeros, hours, efficiency, zeros, zeros, zeros)


def test_diary_answers_are_integers_near_the_latent_values_and_seeded(injured):
    _, ds = injured
    a, b, c = diary(ds, seed=1), diary(ds, seed=1), diary(ds, seed=2)
    for name in ("pain", "fatigue", "sleep_quality", "mood", "stress", "cognitive"):
        values = a[name].values
        assert values.dtype.kind == "i" and values.min() >= 0 and values.max() <= 10
        np.testing.assert_array_equal(values, b[name].values)
    assert not np.array_equal(a["pain"].values, c["pain"].values)
    latent = 10 * ds["trajectory"].sel(variable="P").values
    assert abs((a["pain"].values - latent).mean()) < 0.1
    assert 0.3 < (a["pain"].values - latent).std() < 1.2
    exact = diary(ds, noise=False)
    np.testing.assert_array_equal(exact["pain"].values, np.rint(latent))


def test_measurement_registry_is_complete(registry=None):
    registry = load_registry()
    params = packaged_parameters("fmsim.instruments", "measurement.toml")
    assert params
    for name, info in params.items():
        assert info.tag in TAGS and info.evidence, name
        for key in info.evidence:
            assert key in registry.evidence, f"{name}: unknown evidence {key}"


def test_measurement_needs_the_latent_quantities_and_a_valid_day():
    ds = simulate(fm_model(), 10, person("healthy"), record=("pain",))
    with pytest.raises(FMSimError, match="lacks"):
        score_simulation(ds, "fiqr", 5)
    full = simulate(fm_model(), 10, person("healthy"))
    with pytest.raises(FMSimError, match="outside the simulated days"):
        score_simulation(full, "fiqr", 10)
    with pytest.raises(FMSimError, match="unknown instrument"):
        score_simulation(full, "sf36", 5)
    assert set(LATENT) <= set(full["trajectory"].coords["variable"].values.tolist())
