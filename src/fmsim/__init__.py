"""FMSim: fibromyalgia as a multiple-system disorder, simulated.

A mechanistic model of FM's interacting vicious circles, virtual people and their triggers, run
as vectorized populations. Research and education software, not a medical device.

Quick start
-----------
>>> import fmsim
>>> ds = fmsim.run_scenario(fmsim.load_scenario("vulnerable-injury"), days=200)
>>> round(float(ds.trajectory.sel(variable="pain", day=150)[0]), 1) > 4
True
"""

from importlib.metadata import PackageNotFoundError, version

from .engine import load, save, simulate, simulate_reference
from .errors import FMSimError
from .interop import Export, to_antimony, to_sbml
from .interventions.scenario import SCENARIO_NAMES, Scenario, load_scenario, run_scenario
from .interventions.triggers import TRIGGER_KINDS, Trigger
from .model import Model, ModelBuilder, load_registry
from .model.fm import VICIOUS_CIRCLES, fm_model
from .population import person, sample_parameters
from .population.natural_history import natural_history
from .population.vpop import virtual_population
from .trials.run import TrialDesign, run_trial
from .validation import validate

try:
    __version__ = version("fmsim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "SCENARIO_NAMES",
    "TRIGGER_KINDS",
    "VICIOUS_CIRCLES",
    "Export",
    "FMSimError",
    "Model",
    "ModelBuilder",
    "Scenario",
    "TrialDesign",
    "Trigger",
    "__version__",
    "fm_model",
    "load",
    "load_registry",
    "load_scenario",
    "natural_history",
    "person",
    "run_scenario",
    "run_trial",
    "sample_parameters",
    "save",
    "simulate",
    "simulate_reference",
    "to_antimony",
    "to_sbml",
    "validate",
    "virtual_population",
]
