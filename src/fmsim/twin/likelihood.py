"""The likelihood of a diary under candidate people: a particle filter on the engine's patient
axis.

Why particles. In model v2 the day-to-day noise on stress, sleep and inflammation is not a
residual around a deterministic course: it moves the states (flares last days), and it carries
about 1.5 points of a person's mean pain (docs/calibration.md, model v2). A deterministic core
with a residual process would misplace the mean and treat a flare as independent errors. A
bootstrap particle filter (Gordon, Salmond and Smith 1993; as a state-space likelihood inside
MCMC, Andrieu, Doucet and Holenstein 2010) keeps the model's own noise: each candidate person
has ``particles`` copies that the stochastic model carries from one logged day to the next;
each copy is weighed by how likely the day's answers are under the measurement model, and the
copies are resampled in proportion to those weights. The mean weight of each logged day,
multiplied over the days, estimates the diary's likelihood; days without a row are simply
carried over.

The measurement model is the one that answers simulated diaries
(:meth:`fmsim.instruments.measurement.MeasurementModel.diary`): a 0-10 rating is ``10 x`` the
model's quantity plus normal answer noise (SD ``sd_diary``), rounded and kept within 0-10, so an
answer ``k`` has the probability of the noise landing in ``[k - 0.5, k + 0.5]`` (the open end at
0 and 10); sleep hours are rounded to the half hour (SD ``sd_sleep_hours``), activity minutes to
the minute (``activity_minutes_full`` times activity, SD ``sd_activity_minutes``). A rating a
person gives with a fraction is read as its nearest whole number.

All candidates and all their particles are one engine call per stretch of days. Each call
draws fresh random numbers from a generator seeded once (``seed``), as pseudo-marginal MCMC
needs (Andrieu and Roberts 2009: an unbiased estimate drawn anew for each proposal, kept for
the current state): a run of calls is reproducible from the seed, a single estimate is noisy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.special import log_ndtr

from ..engine import simulate
from ..engine.stepper import Stepper
from ..errors import FMSimError
from ..instruments.measurement import measurement_parameters
from ..interventions.catalog import treatment_inputs
from ..model.models import ModelRef, resolve_model
from ..population import person
from ..studies.scenario import chronic_reference
from .diary import NUMBERS, RATINGS, Diary

__all__ = ["BASE_PERSON", "OBSERVED", "DiaryLikelihood"]

OBSERVED = {"pain": "P", "fatigue": "Fat", "sleep_quality": "SQ", "mood": "D", "stress": "S",
            "cognitive": "Cog", "sleep_hours": "sleep_hours", "activity_minutes": "Act"}
"""Diary column -> the model quantity it reports."""

BASE_PERSON = "vulnerable"
"""The person preset whose values every parameter the twin does not fit takes (a woman with
FM's usual vulnerability)."""


def _log_interval(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``log(Phi(hi) - Phi(lo))`` for standard normal bounds ``lo < hi`` (either may be
    infinite), accurate in both tails."""
    flip = lo > 0  # both bounds in the upper tail: use the mirror image
    a, b = np.where(flip, -hi, lo), np.where(flip, -lo, hi)
    upper, lower = log_ndtr(b), log_ndtr(a)
    return upper + np.log1p(-np.exp(np.minimum(lower - upper, -1e-300)))


@dataclass(frozen=True)
class _Observations:
    """The diary's answers as arrays over logged days: ``values[column]`` (logged days) with
    NaN for a blank cell."""

    days: np.ndarray
    values: dict[str, np.ndarray]


@dataclass(eq=False)
class DiaryLikelihood:
    """The log-likelihood of ``diary`` for candidate values of the ``fitted`` parameters.

    Every other parameter is the ``base`` person's (default: the :data:`BASE_PERSON` preset
    over the registry). Each candidate's particles start from
    the chronic reference state (:func:`fmsim.studies.scenario.chronic_reference`) carried
    ``settle_days`` through the noise under its own values; the diary's drugs, sessions and events
    are the model's inputs. ``columns`` limits the answers weighed (default: every numeric
    column the diary holds).
    """

    diary: Diary
    fitted: tuple[str, ...]
    model: ModelRef = "fm-v2"
    particles: int = 200
    seed: int = 0
    settle_days: int = 120
    base: Mapping[str, float] | None = None
    columns: tuple[str, ...] | None = None
    resample_below: float = 0.5
    _obs: _Observations = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.model = resolve_model(self.model)
        registry = self.model.registry.parameters
        unknown = [p for p in self.fitted if p not in registry]
        if unknown:
            raise FMSimError(f"unknown parameter(s) {unknown} of model {self.model.name}")
        if self.particles < 2:
            raise FMSimError(f"particles must be at least 2, not {self.particles}")
        self.base = dict(person(BASE_PERSON) if self.base is None else self.base)
        self.measure = measurement_parameters(self.model.name)
        days = np.flatnonzero(self.diary.logged)
        chosen = NUMBERS if self.columns is None else self.columns
        unknown = [c for c in chosen if c not in NUMBERS]
        if unknown:
            raise FMSimError(f"unknown diary column(s) {unknown}; allowed: {', '.join(NUMBERS)}")
        values = {c: self.diary.values[c].values[days] for c in chosen
                  if np.any(~np.isnan(self.diary.values[c].values[days]))}
        self._obs = _Observations(days, values)
        inputs = treatment_inputs(self.diary.treatments(), self.diary.days)
        for trigger in self.diary.triggers():
            trigger.apply(inputs, self.diary.days)
        self.inputs = inputs
        self.record = tuple(dict.fromkeys(OBSERVED[c] for c in values))
        self._column_at = {c: self.record.index(OBSERVED[c]) for c in values}
        self.reference = chronic_reference(model=self.model)
        self._rng = np.random.default_rng([self.seed, 7])

    # ---- the measurement model
    def _log_answer(self, column: str, answer: float, latent: np.ndarray) -> np.ndarray:
        """log P(answer | latent) for one diary cell, over particles."""
        m = self.measure
        if column in RATINGS:
            mu, sd, k = 10 * latent, m["sd_diary"], float(np.clip(np.rint(answer), 0, 10))
            lo = -np.inf if k == 0 else (k - 0.5 - mu) / sd
            hi = np.inf if k == 10 else (k + 0.5 - mu) / sd
        elif column == "sleep_hours":
            mu, sd, k = latent, m["sd_sleep_hours"], np.rint(answer * 2) / 2
            lo = -np.inf if k == 0 else (k - 0.25 - mu) / sd
            hi = np.inf if k == 24 else (k + 0.25 - mu) / sd
        else:  # activity minutes
            mu, sd = m["activity_minutes_full"] * latent, m["sd_activity_minutes"]
            k = np.rint(answer)
            lo = -np.inf if k == 0 else (k - 0.5 - mu) / sd
            hi = (k + 0.5 - mu) / sd
        lo, hi = np.broadcast_arrays(np.asarray(lo, float), np.asarray(hi, float))
        return _log_interval(lo, hi)

    def _log_weights(self, i: int, recorded: np.ndarray) -> np.ndarray:
        """log P(logged day ``i``'s answers | each particle's quantities)."""
        total = np.zeros(recorded.shape[0])
        for column, values in self._obs.values.items():
            answer = values[i]
            if np.isnan(answer):
                continue
            total += self._log_answer(column, answer, recorded[:, self._column_at[column]])
        return total

    # ---- the filter
    def start_states(self, theta: np.ndarray) -> dict[str, np.ndarray]:
        """Each particle's states on the diary's first day (candidates x particles, candidate
        by candidate): the chronic reference carried ``settle_days`` through the model's
        day-to-day noise under the candidate's values, so that the particles start from the
        candidate's own spread of states (its noise raises a person's mean pain by about 1.5
        points in model v2, which a start without noise would miss). A quarter of the particles
        are settled apart (:attr:`settled_particles`) and copied."""
        p, k = self.particles, self.settled_particles
        params = {key: np.repeat(v, k) for key, v in self.parameters(theta).items()}
        n = len(theta) * k
        settled = simulate(self.model, self.settle_days, params, None,
                           {key: np.full(n, v) for key, v in self.reference.items()}, record=(),
                           stochastic=True, seed=int(self._rng.integers(2**63)))
        final = settled["final"].values.reshape(len(theta), k, -1)
        final = final[:, np.arange(p) % k].reshape(len(theta) * p, -1)
        names = settled.coords["state"].values
        return {str(s): final[:, j] for j, s in enumerate(names)}

    @property
    def settled_particles(self) -> int:
        """How many particles of each candidate are settled apart (a quarter, at least ten,
        each then copied; the diary's noise sets the copies apart within days)."""
        return min(self.particles, max(10, self.particles // 4))

    def parameters(self, theta: np.ndarray) -> dict[str, np.ndarray]:
        """The base person with each candidate's fitted values (``theta``: candidates x
        fitted)."""
        theta = np.atleast_2d(np.asarray(theta, float))
        n = theta.shape[0]
        params = {k: np.full(n, v) for k, v in self.base.items()}
        params.update({name: theta[:, j] for j, name in enumerate(self.fitted)})
        return params

    def __call__(self, theta: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
        """The log-likelihood of each candidate (rows of ``theta``, columns ``fitted``)."""
        theta = np.atleast_2d(np.asarray(theta, float))
        return self.filter(theta)[0]

    def filter(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Run the filter: each candidate's log-likelihood, and its particles' states at the
        end of the diary's last day (``(candidates, particles, n_states)``, equally weighted:
        resampled after the last logged day), a sample of where the person may be now."""
        theta = np.atleast_2d(np.asarray(theta, float))
        c, p = theta.shape[0], self.particles
        params = {k: np.repeat(v, p) for k, v in self.parameters(theta).items()}
        stepper = Stepper.create(self.model, self.diary.days, params, self.inputs,
                                 self.start_states(theta))
        rng = self._rng
        y, xi = stepper.start(rng)
        loglik = np.zeros(c)
        logw = np.zeros((c, p))  # the particles' weights carried since the last resampling
        day = 0
        for i, logged in enumerate(self._obs.days):
            if logged > day:  # carry the particles over the days without a row
                stepper.advance(y, xi, day, logged - day, rng)
            recorded = stepper.advance(y, xi, logged, 1, rng, self.record)[:, 0, :]
            day = logged + 1
            before = _log_mean_exp(logw)
            logw = logw + self._log_weights(i, recorded).reshape(c, p)
            loglik += _log_mean_exp(logw) - before
            w = _normalized(logw)
            low = 1.0 / np.sum(w**2, axis=1) < self.resample_below * p
            if low.any():  # resample the candidates whose effective sample size fell
                ancestors = np.tile(np.arange(p), (c, 1))
                ancestors[low] = _systematic(w[low], rng)
                flat = (ancestors + p * np.arange(c)[:, None]).ravel()
                y[:], xi[:] = y[:, flat], xi[:, flat]
                logw[low] = 0.0
        flat = (_systematic(_normalized(logw), rng) + p * np.arange(c)[:, None]).ravel()
        y[:], xi[:] = y[:, flat], xi[:, flat]  # equally weighted from here on
        if day < self.diary.days:
            stepper.advance(y, xi, day, self.diary.days - day, rng)
        return loglik, y.T.reshape(c, p, -1)


def _normalized(logw: np.ndarray) -> np.ndarray:
    """Each row of log weights as weights summing to 1."""
    w = np.exp(logw - logw.max(axis=1, keepdims=True))
    return w / w.sum(axis=1, keepdims=True)


def _log_mean_exp(logw: np.ndarray) -> np.ndarray:
    """``log(mean(exp(logw)))`` over each row."""
    peak = logw.max(axis=1)
    return peak + np.log(np.mean(np.exp(logw - peak[:, None]), axis=1))


def _systematic(w: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Systematic resampling of each row of normalized weights ``w`` (candidates x particles):
    ancestor indices, one uniform draw per row (Kitagawa 1996)."""
    c, p = w.shape
    points = (rng.random((c, 1)) + np.arange(p)[None, :]) / p
    cumulative = np.cumsum(w, axis=1)
    cumulative[:, -1] = 1.0
    return np.minimum(np.array([np.searchsorted(cumulative[k], points[k]) for k in range(c)]),
                      p - 1)
