"""Studies: running things on virtual people. One naming scheme throughout: a frozen spec object
in, ``run_*`` runs it, a frozen result object out.

=====================  ==========================  =========================
spec                   runner                      result
=====================  ==========================  =========================
:class:`ScenarioSpec`  :func:`run_scenario`        :class:`ScenarioResult`
:class:`PopulationSpec`  :func:`run_population`    :class:`PopulationResult`
:class:`PhenotypeSpec`   :func:`run_phenotype`     :class:`PhenotypeResult`
:class:`NaturalHistorySpec`  :func:`run_natural_history`  :class:`NaturalHistoryResult`
:class:`TrialSpec`     :func:`run_trial`           :class:`TrialResult`
:class:`ValidationSpec`  :func:`run_validation`    :class:`ValidationResult`
=====================  ==========================  =========================

Every runner takes ``model=`` (a model, a shipped model's name, or None for the default; see
:mod:`fmsim.model.models`) and ``progress=`` (a ``progress(done, total)`` callback); population
runners take ``executor=``. Every result has ``to_dict()`` (the ``--json`` object of its
command); results with people have ``patients`` (an :class:`xarray.Dataset` over ``patient``),
``to_dataframe()`` and ``to_parquet()``; most have ``rows()`` (table rows of text, header
first) and ``plot(path)``.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "demo": ["DemoResult", "run_demo"],
        "natural_history": ["NaturalHistoryResult", "NaturalHistorySpec", "run_natural_history"],
        "phenotype": ["PhenotypeResult", "PhenotypeSpec", "run_phenotype"],
        "population": ["PopulationResult", "PopulationSpec", "run_population"],
        "scenario": [
            "SCENARIO_NAMES", "ScenarioResult", "ScenarioSpec", "load_scenario", "parse_scenario",
            "run_scenario",
        ],
        "trial": ["ArmResult", "Comparison", "TrialResult", "TrialSpec", "run_trial"],
        "validation": ["TargetResult", "ValidationResult", "ValidationSpec", "run_validation"],
    },
)
