"""FMSim: fibromyalgia as a multiple-system disorder, simulated.

A mechanistic model of FM's interacting vicious circles, virtual people and their triggers and
treatments, run as vectorized populations in studies with typed results. Research and education
software, not a medical device.

Every study follows one scheme: a frozen spec in, ``run_*`` runs it (taking ``model=``,
``progress=`` and, for populations, ``executor=``), a frozen result out with ``to_dict()`` (the
``--json`` object), per-patient data (``patients``, ``to_dataframe()``, ``to_parquet()``) and,
most, ``rows()`` and ``plot()``. Arrays that pass between FMSim's parts have the patient axis
first, then time (day, week or year), then their named axis (variable, state, parameter).

Quick start
-----------
>>> import fmsim
>>> run = fmsim.run_scenario(fmsim.load_scenario("vulnerable-injury"), days=200)
>>> round(float(run.score("pain")[150]), 1) > 4
True
"""

from importlib.metadata import PackageNotFoundError, version

from .analysis import (
    BifurcationResult,
    BifurcationSpec,
    LoopsResult,
    LoopsSpec,
    SensitivityResult,
    SensitivitySpec,
    run_bifurcation,
    run_loops,
    run_sensitivity,
)
from .engine import EXECUTORS, load, run_chunks, save, simulate, simulate_reference
from .errors import FMSimError
from .instruments.measurement import MeasurementModel, diary, score_simulation
from .interop import Export, to_antimony, to_sbml
from .interventions.catalog import Treatment, TreatmentSpec, load_catalog
from .interventions.triggers import TRIGGER_KINDS, Trigger
from .model import (
    DEFAULT_MODEL,
    MODELS,
    Model,
    ModelBuilder,
    default_model,
    load_registry,
    resolve_model,
)
from .model.fm import VICIOUS_CIRCLES, fm_model
from .population import fm_clinic_cohort, person, sample_parameters, screen
from .stats import Estimate, Summary
from .studies import (
    SCENARIO_NAMES,
    ArmResult,
    Comparison,
    DemoResult,
    NaturalHistoryResult,
    NaturalHistorySpec,
    PhenotypeResult,
    PhenotypeSpec,
    PopulationResult,
    PopulationSpec,
    ScenarioResult,
    ScenarioSpec,
    TargetResult,
    TrialResult,
    TrialSpec,
    ValidationResult,
    ValidationSpec,
    load_scenario,
    parse_scenario,
    run_demo,
    run_natural_history,
    run_phenotype,
    run_population,
    run_scenario,
    run_trial,
    run_validation,
)
from .twin import Diary, DiaryError, SimulatedDiary, read_diary, simulate_diary

try:
    __version__ = version("fmsim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "DEFAULT_MODEL",
    "EXECUTORS",
    "MODELS",
    "SCENARIO_NAMES",
    "TRIGGER_KINDS",
    "VICIOUS_CIRCLES",
    "ArmResult",
    "BifurcationResult",
    "BifurcationSpec",
    "Comparison",
    "DemoResult",
    "Diary",
    "DiaryError",
    "Estimate",
    "Export",
    "FMSimError",
    "LoopsResult",
    "LoopsSpec",
    "MeasurementModel",
    "Model",
    "ModelBuilder",
    "NaturalHistoryResult",
    "NaturalHistorySpec",
    "PhenotypeResult",
    "PhenotypeSpec",
    "PopulationResult",
    "PopulationSpec",
    "ScenarioResult",
    "ScenarioSpec",
    "SensitivityResult",
    "SensitivitySpec",
    "SimulatedDiary",
    "Summary",
    "TargetResult",
    "Treatment",
    "TreatmentSpec",
    "TrialResult",
    "TrialSpec",
    "Trigger",
    "ValidationResult",
    "ValidationSpec",
    "__version__",
    "default_model",
    "diary",
    "fm_clinic_cohort",
    "fm_model",
    "load",
    "load_catalog",
    "load_registry",
    "load_scenario",
    "parse_scenario",
    "person",
    "read_diary",
    "resolve_model",
    "run_bifurcation",
    "run_chunks",
    "run_demo",
    "run_loops",
    "run_natural_history",
    "run_phenotype",
    "run_population",
    "run_scenario",
    "run_sensitivity",
    "run_trial",
    "run_validation",
    "sample_parameters",
    "save",
    "score_simulation",
    "screen",
    "simulate",
    "simulate_diary",
    "simulate_reference",
    "to_antimony",
    "to_sbml",
]
