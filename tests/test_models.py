"""The model as an argument: every study takes ``model=``; one place chooses the default."""

import dataclasses

import numpy as np
import pytest

import fmsim
from fmsim import FMSimError


def test_the_default_is_chosen_in_one_place_and_names_resolve():
    assert fmsim.DEFAULT_MODEL in fmsim.MODELS
    assert fmsim.DEFAULT_MODEL == "fm-v2"  # issue 20: v2 became the default; v1 stays by name
    assert fmsim.resolve_model(None) is fmsim.default_model() is fmsim.MODELS["fm-v2"]()
    assert fmsim.resolve_model("fm-v1") is fmsim.fm_model()
    assert fmsim.resolve_model(fmsim.DEFAULT_MODEL) is fmsim.default_model()
    with pytest.raises(FMSimError, match="unknown model 'fm-v9'; shipped models: fm-v1"):
        fmsim.resolve_model("fm-v9")


def test_two_models_run_side_by_side_through_the_same_study_code():
    """A second model (here the default with its ceiling of central sensitization lowered, as a
    new registry would set it) runs through the same study; the default model is untouched."""
    base = fmsim.default_model()
    registry = base.registry
    info = registry.parameters["theta_C"]
    other = dataclasses.replace(base, name="fm-lower", registry=dataclasses.replace(
        registry, parameters={**registry.parameters,
                              "theta_C": dataclasses.replace(info, value=info.value + 3)}))
    spec = fmsim.load_scenario("vulnerable-injury")
    default = fmsim.run_scenario(spec, 300)
    changed = fmsim.run_scenario(spec, 300, model=other)
    again = fmsim.run_scenario(spec, 300, model=fmsim.DEFAULT_MODEL)
    np.testing.assert_array_equal(default.score("pain"), again.score("pain"))
    assert changed.score("pain")[250] < default.score("pain")[250] - 2  # no lasting FM


def test_a_model_that_is_not_shipped_runs_only_in_this_process():
    other = dataclasses.replace(fmsim.default_model(), name="mine")
    with pytest.raises(FMSimError, match="runs only in this process"):
        fmsim.run_population(fmsim.PopulationSpec(10), executor="processes", model=other)
