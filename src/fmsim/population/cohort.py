"""Virtual populations: people from the priors, their life histories, screening and selection.

Every virtual person is drawn from the registry priors, settles for half a year, lives through
a life history, and is then followed for a screening period of 14 weeks in stochastic mode
(long enough to establish three months of symptoms). At the end of screening they answer the
diary, the ACR 2016 and 2011 criteria and the FIQR through the measurement model.

Two histories (``histories.toml``):

``general``
    Major trigger events (an injury, an infection or a psychosocial stressor, at one to two
    times its default intensity) arrive at random over two years at a rate calibrated to the
    general-population prevalence of FM (calibration.md B3.1). Everything else (the sex ratio,
    the symptom distributions with and without FM) is the model's prediction.
``fm-clinic``
    Every candidate lives through a severe six-week injury, which enriches the candidates for
    people who develop FM (about one in three do). The eligible are those meeting the ACR 2016
    criteria with past-week diary pain of at least 4/10; from them a trial cohort is selected
    (Allen et al. 2016, :mod:`.selection`) to match the baseline pain and the share of women of
    FM trial cohorts (calibration.md B1.2, B1.5). Its other baseline values (FIQ, fatigue,
    mood) are predictions.

A cohort is selected on the pain its trial reads (:data:`READINGS`): the past week's diary mean,
or the one rating of the past 24 hours given at the enrolment visit (the Brief Pain Inventory's
average pain in duloxetine's trials). One day's rating is noisier than a week's mean, so
selecting on it at least 4/10 adds regression to the mean.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache, partial

import numpy as np
import xarray as xr

from ..choices import READINGS
from ..engine import run_chunks, simulate, worker_model
from ..errors import FMSimError
from ..instruments.measurement import LATENT, PSQI_LATENT, MeasurementModel
from ..interventions.triggers import TRIGGER_KINDS
from ..model.models import ModelRef, resolve_model
from ..model.registry import packaged_parameters
from .people import people_dataset
from .priors import sample_parameters
from .selection import SelectionTarget, acceptance_probability

__all__ = ["HISTORIES", "READINGS", "READOUTS", "SCORES", "check_reading", "eligible",
           "fm_clinic_cohort", "history_inputs", "population_task", "reading_of", "screen",
           "screening_run"]

HISTORIES = ("general", "fm-clinic")
WARMUP, SCREENING_DAYS = 180, 98
CLINIC_INJURY_DAYS, CLINIC_FOLLOW = 42, 180
MAJOR_EVENTS = ("injury", "infection", "acute-stress")
CHUNK = 8000
"""Candidates per chunk: large chunks spread the engine's per-step overhead (8,000 people
take about half the time per person of 2,000)."""
STEPS_PER_DAY = 2
"""RK4 sub-steps a day for life histories and screening (the engine's default is 4). Screening is
most of the cost of a population or a trial cohort, and at 2 sub-steps the daily pain of
deterministic runs through the FM-clinic history differs from 16 sub-steps by at most 3e-4
(models v1 and v2, 2,000 people from the priors); in stochastic runs the noise is an exact
Ornstein-Uhlenbeck process at any step, and the share who develop FM after the clinic's injury
and the day-to-day SD of pain agree with 4 sub-steps within 0.004 and 0.0003 (8,000 people,
three noise seeds each)."""
MIN_ROUND, ROUNDS = 400, 20
"""Enrolment: the fewest candidates screened in one round, and the most rounds."""

READOUTS = ("muscle_blood_flow", "hrv", "cytokines", "cpm", "temporal_summation", "ppt",
            "tspo", "sleep_efficiency")
"""Physiological read-outs recorded at screening (calibration.md section C)."""

VARIABILITY_DAYS = 28
"""The last days of screening whose daily diary pain gives each person's ``pain_sd`` (its SD:
day-to-day variability, calibration.md B5.1)."""
SCORES = ("pain", "fatigue", "sleep_quality", "mood")
"""Diary answers averaged over the last screening week (0-10)."""
RECORDED = tuple(dict.fromkeys((*LATENT, *READOUTS, *PSQI_LATENT)))
"""The model quantities recorded during screening; their past-week means are kept."""


def check_reading(reading: object) -> str:
    """``reading`` if it is one of :data:`READINGS`.

    Raises
    ------
    FMSimError
        Naming the value and the readings allowed.
    """
    if reading not in READINGS:
        raise FMSimError(f"unknown reading {reading!r}; allowed: {', '.join(READINGS)}")
    return str(reading)


def reading_of(people: xr.Dataset, score: str, reading: str) -> np.ndarray:
    """The people's screening value of ``score`` (one of :data:`SCORES`) as ``reading`` reads
    it: the last screening week's mean, or the rating given on its last day."""
    name = score if check_reading(reading) == "diary" else f"{score}_visit"
    return people[name].values.astype(float)


def eligible(people: xr.Dataset, reading: str) -> np.ndarray:
    """Who may enter an FM-clinic trial that reads pain as ``reading`` does: ACR 2016 positive
    with that pain at least the inclusion minimum (``histories.toml``)."""
    pain = reading_of(people, "pain", reading)
    return people["acr2016"].values.astype(bool) & (pain >= history_parameters()["min_pain"])


@cache
def history_parameters() -> dict[str, float]:
    """The values of ``histories.toml`` (section-free names)."""
    return {k: v.value for k, v in
            packaged_parameters("fmsim.population", "histories.toml").items()}


def clinic_target() -> SelectionTarget:
    """The baseline distribution an FM-clinic trial cohort is selected to (B1.2, B1.5)."""
    p = history_parameters()
    return SelectionTarget(p["pain_mean"], p["pain_sd"], p["min_pain"], 10.0,
                           p["female_share"], "calibration.md B1.2, B1.5 (Mease 2009)")


def history_inputs(history: str, size: int, rng: np.random.Generator,
                   overrides: Mapping[str, float] | None = None
                   ) -> tuple[int, dict[str, np.ndarray]]:
    """Days and daily inputs (people x days) of ``size`` people's life histories before
    screening (see the module docstring); ``overrides`` replace values of ``histories.toml``
    (for calibration)."""
    p = {**history_parameters(), **(overrides or {})}
    if history == "fm-clinic":
        days = WARMUP + CLINIC_INJURY_DAYS + CLINIC_FOLLOW
        u = np.zeros((size, days))
        u[:, WARMUP : WARMUP + CLINIC_INJURY_DAYS] = p["injury_intensity"]
        return days, {"injury": u}
    if history != "general":
        raise FMSimError(f"unknown population {history!r}; allowed: {', '.join(HISTORIES)}")
    span = round(365 * p["history_years"])
    days = WARMUP + span
    counts = rng.poisson(p["event_rate"] * p["history_years"], size)
    person = np.repeat(np.arange(size), counts)  # one entry per event
    kind = rng.integers(len(MAJOR_EVENTS), size=person.size)
    start = WARMUP + rng.integers(span, size=person.size)
    severity = rng.uniform(1.0, p["severity_max"], size=person.size)
    inputs: dict[str, np.ndarray] = {}
    for k, name in enumerate(MAJOR_EVENTS):
        spec, mine = TRIGGER_KINDS[name], kind == k
        if not mine.any():
            continue
        day = start[mine, None] + np.arange(spec.duration_days)[None, :]
        who = np.broadcast_to(person[mine, None], day.shape)
        level = np.broadcast_to((spec.intensity * severity[mine])[:, None], day.shape)
        inside = day < days
        series = inputs.setdefault(spec.input, np.zeros((size, days)))
        np.add.at(series, (who[inside], day[inside]), level[inside])
    return days, inputs


def screen(size: int, seed: int, history: str = "fm-clinic",
           overrides: Mapping[str, float] | None = None, model: ModelRef = None) -> xr.Dataset:
    """A population task: ``size`` people from the priors through ``history`` and screening.

    Returns a dataset over ``patient``: ``acr2016`` and ``acr2011`` (positive), ``psd``,
    ``fiqr``, the last screening week's diary means of :data:`SCORES` and their ratings on its
    last day (``pain_visit`` and so on), ``pain_sd`` (the SD of daily diary pain over the last
    :data:`VARIABILITY_DAYS`), ``eligible`` (:func:`eligible` on the week's diary pain: ACR 2016
    positive with it at least the inclusion minimum), ``latent`` (patient, quantity: the
    past-week means of the :data:`RECORDED` model quantities, the physiological
    :data:`READOUTS` among them), and the people's ``parameters`` and ``states`` at the end
    of screening (:mod:`.people`). ``overrides`` replace values of ``histories.toml``, of the
    measurement model and, for every person, of model parameters (for calibration).
    """
    model = resolve_model(model)
    overrides = overrides or {}
    measure = MeasurementModel(seed, model=model.name)  # its own copy of the parameters
    measure.p.update({k: float(v) for k, v in overrides.items() if k in measure.p})
    params, screening = screening_run(
        size, seed, history, {k: v for k, v in overrides.items() if k not in measure.p}, model)
    last = SCREENING_DAYS - 1
    daily = measure.diary(screening)
    answers = daily.isel(day=slice(-7, None)).mean("day")
    visit = daily.isel(day=-1)
    pain_sd = daily["pain"].isel(day=slice(-VARIABILITY_DAYS, None)).std("day", ddof=1)
    acr2016 = measure.score(screening, "acr2016", last)
    people = people_dataset(params, model.state_names, screening["final"].values)
    people = people.assign(
        {s: ("patient", answers[s].values.astype(float)) for s in SCORES}
        | {f"{s}_visit": ("patient", visit[s].values.astype(float)) for s in SCORES}
        | {"acr2016": ("patient", acr2016.positive),
           "psd": ("patient", acr2016.psd.astype(float)),
           "acr2011": ("patient", measure.score(screening, "acr2011", last).positive),
           "fiqr": ("patient", measure.score(screening, "fiqr", last).total),
           "pain_sd": ("patient", pain_sd.values)})
    people["eligible"] = ("patient", eligible(people, "diary"))
    week = screening["trajectory"].isel(day=slice(-7, None)).mean("day")
    people["latent"] = (("patient", "quantity"), week.values)
    return people.assign_coords(quantity=list(RECORDED))


def screening_run(size: int, seed: int, history: str = "fm-clinic",
                  overrides: Mapping[str, float] | None = None, model: ModelRef = None,
                  params: Mapping[str, np.ndarray] | None = None
                  ) -> tuple[dict[str, np.ndarray], xr.Dataset]:
    """The simulations behind :func:`screen`: ``size`` people (from the priors, or ``params``
    as given) through ``history`` and the screening period. Returns their parameters and the
    screening period's simulation (recording :data:`RECORDED`). ``overrides`` replace values
    of ``histories.toml`` and, for every person, of model parameters."""
    model = resolve_model(model)
    rng = np.random.default_rng(seed)
    known = history_parameters()
    overrides = overrides or {}
    params = (sample_parameters(size, seed=seed, registry=model.registry) if params is None
              else dict(params))
    params.update({k: np.full(size, float(v)) for k, v in overrides.items() if k not in known})
    if history == "fm-clinic":
        params["female"] = (rng.uniform(size=size) < known["candidate_female"]).astype(float)
    days, inputs = history_inputs(history, size, rng,
                                  {k: v for k, v in overrides.items() if k in known})
    life = simulate(model, days, params, inputs, stochastic=True, seed=seed, record=(),
                    steps_per_day=STEPS_PER_DAY)
    states = dict(zip(model.state_names, life["final"].values.T, strict=True))
    return params, simulate(model, SCREENING_DAYS, params, None, states, stochastic=True,
                            seed=seed + 1, record=RECORDED, steps_per_day=STEPS_PER_DAY)


def population_task(history: str, model: ModelRef = None, executor: str | None = None,
                    overrides: Mapping[str, float] | None = None
                    ) -> Callable[[int, int], xr.Dataset]:
    """:func:`screen` as a population task for :func:`fmsim.engine.run_chunks` on
    ``executor`` (picklable: the model travels by name, :func:`fmsim.engine.worker_model`)."""
    return partial(screen, history=history, overrides=overrides,
                   model=worker_model(model, executor))


def _enrol(size: int, seed: int, model: ModelRef = None, reading: str = "diary"
           ) -> xr.Dataset:
    """A population task: screen ``size`` FM-clinic candidates; keep those selected on the
    pain that ``reading`` reads (ACR 2016 positive, pain at least the inclusion minimum)."""
    everyone = screen(size, seed, "fm-clinic", model=model)
    pain = reading_of(everyone, "pain", reading)
    ok = eligible(everyone, reading)
    female = everyone["parameters"].sel(parameter="female").values > 0.5
    accept = np.zeros(size)
    accept[ok] = acceptance_probability(pain[ok], female[ok], clinic_target())
    keep = np.random.default_rng([seed, 1]).uniform(size=size) < accept
    return everyone.isel(patient=np.flatnonzero(keep))


def fm_clinic_cohort(n: int, seed: int = 0, executor: str | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     model: ModelRef = None, reading: str = "diary") -> tuple[xr.Dataset, int]:
    """``n`` selected FM-clinic patients (a dataset over ``patient`` as :func:`screen` returns)
    and how many candidates were screened. They are selected on the pain ``reading`` reads
    (:data:`READINGS`). Candidates are screened in rounds (each seeded from ``seed``): the
    first assumes one patient in ten candidates, later ones the yield seen so far."""
    if n < 1:
        raise FMSimError(f"a cohort needs n >= 1 patients, not {n}")
    check_reading(reading)
    ref = worker_model(model, executor)
    found: list[xr.Dataset] = []
    screened = count = 0
    for round_seed in np.random.SeedSequence(seed).spawn(ROUNDS):
        yield_ = max(count / screened, 0.02) if screened else 0.1
        size = max(int(1.15 * (n - count) / yield_), MIN_ROUND)
        part = run_chunks(partial(_enrol, model=ref, reading=reading), size,
                          seed=int(round_seed.generate_state(1)[0]),
                          chunk_size=_chunk(size), executor=executor)
        found.append(part)
        screened += size
        count += part.sizes["patient"]
        if progress:
            progress(min(count, n), n)
        if count >= n:
            break
    else:
        raise FMSimError(f"only {count} of {screened} candidates were selected; ask for fewer")
    cohort = xr.concat(found, dim="patient", data_vars="minimal", coords="minimal",
                       compat="override", join="override").isel(patient=slice(0, n))
    cohort = cohort.assign_coords(patient=np.arange(n))
    cohort.attrs["reading"] = reading  # what it was selected on (run_trial checks it)
    return cohort, screened


def _chunk(size: int) -> int:
    """Chunk size for a round of ``size`` candidates: an even number of equal chunks of at most
    :data:`CHUNK`, so two workers share them evenly (it depends on ``size`` only, so every
    executor gets the same chunks and the same result)."""
    pairs = -(-size // (2 * CHUNK))
    return -(-size // (2 * pairs))
