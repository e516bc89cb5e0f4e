"""Shared fixtures: the model, the registry and reference states (healthy and chronic FM)."""

from __future__ import annotations

import numpy as np
import pytest

from fmsim import fm_model, load_registry, person, simulate
from fmsim.studies.scenario import chronic_reference


@pytest.fixture(scope="session")
def model():
    return fm_model()


@pytest.fixture(scope="session")
def registry():
    return load_registry()


@pytest.fixture(scope="session")
def chronic_fm():
    """A vulnerable woman one year after the injury that tipped her into FM (final states)."""
    return chronic_reference()


@pytest.fixture(scope="session")
def healthy_baseline(model):
    ds = simulate(model, 365, person("healthy"), record=())
    return dict(zip(model.state_names, ds["final"].values[0], strict=True))


def namespace_at(model, states, params=None, inputs=None):
    """All values (states, inputs, parameters, variables) of one person at one instant."""
    from fmsim.engine.inputs import prepare
    from fmsim.model import NumpyKernel

    prep = prepare(model, 1, params, inputs, states)
    ns = NumpyKernel(model).namespace(prep.y0, prep.params, prep.inputs_on(0))
    return {k: float(np.asarray(v).ravel()[0]) for k, v in ns.items()}



def _expected_minutes(item) -> float:
    """The minutes a test marked ``slow(minutes=M)`` takes; 0 for the rest."""
    marker = item.get_closest_marker("slow")
    return marker.kwargs.get("minutes", 1.0) if marker else 0.0


def pytest_collection_modifyitems(items):
    """The longest tests first, so that under ``make test`` (pytest-xdist, a worker per core)
    one worker starts the README's regeneration at once while the others share the rest."""
    items.sort(key=_expected_minutes, reverse=True)
