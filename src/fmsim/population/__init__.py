"""Making virtual people: person presets, sampling from the registry priors, life histories,
screening and the selection of trial cohorts. Every population is a dataset over ``patient``
(:mod:`.people`)."""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "cohort": ["HISTORIES", "READOUTS", "fm_clinic_cohort", "population_task", "screen"],
        "people": ["parameters_of", "people_dataset", "states_of", "with_parameters"],
        "priors": ["PERSON_PRESETS", "person", "sample_parameters"],
        "simulate": ["simulate_population"],
    },
)
