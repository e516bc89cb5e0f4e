"""Making virtual people: person presets, sampling from the registry priors, life histories,
screening and the selection of trial cohorts. Every population is a dataset over ``patient``
(:mod:`.people`)."""

from .cohort import HISTORIES, READOUTS, fm_clinic_cohort, population_task, screen
from .people import parameters_of, people_dataset, states_of, with_parameters
from .priors import PERSON_PRESETS, person, sample_parameters
from .simulate import simulate_population

__all__ = ["HISTORIES", "PERSON_PRESETS", "READOUTS", "fm_clinic_cohort", "parameters_of",
           "people_dataset", "person", "population_task", "sample_parameters", "screen",
           "simulate_population", "states_of", "with_parameters"]
