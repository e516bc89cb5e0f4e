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

import lazy_loader

_SUBPACKAGES = ("analysis", "engine", "instruments", "interop", "interventions", "model",
               "population", "reports", "studies", "twin")
"""Reachable as attributes (``fmsim.studies``), loaded when first used like every name here."""

_getattr, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submodules=_SUBPACKAGES,
    submod_attrs={
        "analysis": [
            "BifurcationResult", "BifurcationSpec", "LoopsResult", "LoopsSpec", "SensitivityResult",
            "SensitivitySpec", "run_bifurcation", "run_loops", "run_sensitivity",
        ],
        "engine": ["EXECUTORS", "load", "run_chunks", "save", "simulate", "simulate_reference"],
        "errors": ["FMSimError"],
        "instruments.measurement": ["MeasurementModel", "diary", "score_simulation"],
        "interop": ["Export", "to_antimony", "to_sbml"],
        "interventions.catalog": ["Treatment", "TreatmentSpec", "load_catalog"],
        "interventions.triggers": ["TRIGGER_KINDS", "Trigger"],
        "model": [
            "DEFAULT_MODEL", "MODELS", "Model", "ModelBuilder", "default_model", "load_registry",
            "resolve_model",
        ],
        "model.fm": ["VICIOUS_CIRCLES", "fm_model"],
        "population": ["fm_clinic_cohort", "person", "sample_parameters", "screen"],
        "stats": ["Estimate", "Summary"],
        "studies": [
            "SCENARIO_NAMES", "ArmResult", "Comparison", "DemoResult", "NaturalHistoryResult",
            "NaturalHistorySpec", "PhenotypeResult", "PhenotypeSpec", "PopulationResult",
            "PopulationSpec", "ScenarioResult", "ScenarioSpec", "TargetResult", "TrialResult",
            "TrialSpec", "ValidationResult", "ValidationSpec", "load_scenario", "parse_scenario",
            "run_demo", "run_natural_history", "run_phenotype", "run_population", "run_scenario",
            "run_trial", "run_validation",
        ],
        "twin": ["Diary", "DiaryError", "SimulatedDiary", "read_diary", "simulate_diary"],
    },
)

__all__ = [*(name for name in __all__ if name not in _SUBPACKAGES), "__version__"]


def __getattr__(name: str):
    """A name of the API, imported on first use; ``__version__`` read from the installed
    package's metadata then (importing importlib.metadata takes longer than the rest here)."""
    if name != "__version__":
        return _getattr(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fmsim")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"
