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

Looking one day ahead. The filter is auxiliary (Pitt and Shephard 1999): before the copies are
carried to a logged day, they are resampled in proportion to their weight times how well their
last logged day foretells the day's ratings (each rating's answer probability from the copy's
quantities then, its answer noise widened by :data:`LOOKAHEAD_SD`, the day-to-day change of a
rating's latent value), and each copy's weight on the day is divided by what its ancestor was
promised. The estimate stays unbiased (Pitt, Silva, Giordani and Kohn 2012); the copies that
reach the day are the ones likely to explain it, so fewer are wasted: the estimate's variance
between calls falls by a third on a 60-day diary and by three fifths on a 90-day one, for
about a tenth more time (docs/twin.md).

The measurement model is the one that answers simulated diaries
(:meth:`fmsim.instruments.measurement.MeasurementModel.diary`): a 0-10 rating is ``10 x`` the
model's quantity plus normal answer noise (SD ``sd_diary``), rounded and kept within 0-10, so an
answer ``k`` has the probability of the noise landing in ``[k - 0.5, k + 0.5]`` (the open end at
0 and 10); sleep hours are rounded to the half hour (SD ``sd_sleep_hours``), activity minutes to
the minute (``activity_minutes_full`` times activity, SD ``sd_activity_minutes``). A rating a
person gives with a fraction is read as its nearest whole number.

Where the particles start. A diary does not tell a person's past, and slow states remember it
(fitness over weeks, priming over months, and whether priming has faded). The twin's prior over
that past is :data:`HISTORY`: the person's own baseline, then the injury that gave the
``fm-diary`` woman her FM, two years before the diary; each candidate's particles live it
under the candidate's values, in the model's day-to-day noise. Started instead from one chronic
reference woman, the particles missed the fitness of people who plan more activity and the
half of some people's pasts in which priming fades (docs/twin.md).

The candidates' particles are one engine call per stretch of days, in two groups on two
threads. Each call draws fresh random numbers from a generator seeded once (``seed``), as
pseudo-marginal MCMC needs (Andrieu and Roberts 2009: an unbiased estimate drawn anew for each
proposal, kept for the current state): a run of calls is reproducible from the seed, a single
estimate is noisy.

What the filter integrates over. Parameters a diary tells little about, but that move a
person's days, are not held at the base person's values: each particle carries its own values
of the ``integrated`` parameters, drawn from their population priors where its past begins and
kept for life (they move with the particle when it is resampled). The filter then estimates the
diary's likelihood with those parameters integrated over their prior (for a static parameter
the particles' values at the diary's end are a sample of its posterior given the diary: the
state-augmentation view of Kitagawa 1998), and the particle a posterior draw keeps carries its
values into every what-if. The twin integrates over every parameter that differs between people
and that it does not fit (:data:`fmsim.twin.spec.INTEGRATED`, :data:`NOISE` among them): held at
the base person's values, people who differ in them were predicted with too narrow intervals
(docs/twin.md, misspecification).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import xarray as xr
from scipy.special import log_ndtr, ndtr

from ..engine import simulate
from ..engine.stepper import Stepper
from ..errors import FMSimError, whole_number
from ..instruments.measurement import measurement_parameters
from ..model.models import ModelRef, resolve_model
from ..population import person
from ..population.priors import prior_quantile
from ..studies.scenario import ScenarioSpec, load_scenario
from .diary import NUMBERS, RATINGS, Diary
from .spec import TWIN_MODEL

__all__ = ["BASE_PERSON", "GROUPS", "HISTORY", "HISTORY_DAYS", "LOOKAHEAD_SD", "NOISE",
           "OBSERVED", "DiaryLikelihood", "Filtered", "check_integrated"]

OBSERVED = {"pain": "P", "fatigue": "Fat", "sleep_quality": "SQ", "mood": "D", "stress": "S",
            "cognitive": "Cog", "sleep_hours": "sleep_hours", "activity_minutes": "Act"}
"""Diary column -> the model quantity it reports."""

HISTORY = "fm-diary"
"""The scenario whose first :data:`HISTORY_DAYS` days every candidate is assumed to have lived
before the diary: the base person's own baseline, then the injury that gave her FM on its
day 30. A person's past is not in a diary; this is the twin's prior over it (FM of about two
years' standing), and the one the simulated diaries of its calibration live."""

HISTORY_DAYS = 760
"""The diary's first day as a day of :data:`HISTORY`: two years after the injury began."""

GROUPS = 2
"""The candidates of a call are filtered in this many groups, each on its own thread (see
:meth:`DiaryLikelihood.filter`)."""


class Filtered(NamedTuple):
    """What :meth:`DiaryLikelihood.filter` returns for ``c`` candidates of ``p`` particles:
    the particles at the end of the diary's last day, equally weighted (resampled after the
    last logged day), a sample of where the person may be now."""

    loglik: np.ndarray
    """Each candidate's log-likelihood, ``(c,)``."""
    states: np.ndarray
    """The particles' states, ``(c, p, n_states)``."""
    noise: np.ndarray
    """The same particles' daily noise, the values of the model's noise inputs' processes
    (:func:`fmsim.engine.stepper.noise_inputs`), ``(c, p, n_noise)``: a forecast that carries
    them on starts where the filter's answers left today's stress, sleep and inflammation."""
    values: np.ndarray
    """The same particles' values of the integrated parameters, ``(c, p, integrated)``, a
    sample of their posterior."""


NOISE = ("sd_stress", "sd_sleep", "sd_inflammation", "sd_load")
"""Model v2's day-to-day noise amplitudes: they differ between people (population priors from a
third to twice the typical values) and carry about 1.5 points of a person's mean pain, but 90
days of a diary barely tell them apart from the pathway gains (docs/twin.md), so the twin
integrates over them rather than fitting them."""

LOOKAHEAD_SD = 0.6
"""How far (0-10 points, one SD) a rating's latent value moves from one day to the next: the
first-stage weights of the auxiliary filter widen the answer noise by it. Measured on the
simulated women of ``fm-diary`` (model v2; 90 days, seeds 1-3): 0.57, 0.53 and 0.63. It sets
only how well the filter spends its particles, never what it estimates."""

BASE_PERSON = "vulnerable"
"""The person preset whose values every parameter the twin does not fit takes (a woman with
FM's usual vulnerability)."""


def check_integrated(model: ModelRef, fitted: Sequence[str], integrated: Sequence[str]) -> None:
    """Refuse ``integrated`` parameters that are also ``fitted``, or that have no population
    prior in ``model`` to integrate over.

    Raises
    ------
    FMSimError
        Naming the parameters at fault.
    """
    registry = resolve_model(model).registry.parameters
    both = sorted(set(fitted) & set(integrated))
    if both:
        raise FMSimError(f"{both}: a parameter is either fitted or integrated over, not both")
    fixed = [p for p in integrated if p not in registry or not registry[p].prior.varies]
    if fixed:
        raise FMSimError(f"{fixed}: no population prior to integrate over (unknown, or the "
                         "same for everyone)")


_PLAIN = 1e-8
"""Probabilities above which :func:`_log_interval` takes the plain difference of ``ndtr``."""


def _log_interval(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``log(Phi(hi) - Phi(lo))`` for standard normal bounds ``lo < hi`` (either may be
    infinite), accurate in both tails: the plain difference where it is at least
    :data:`_PLAIN` (then within a relative 1e-8; the filter's hot path), else through
    ``log_ndtr``."""
    flip = lo > 0  # both bounds in the upper tail: use the mirror image
    a, b = np.where(flip, -hi, lo), np.where(flip, -lo, hi)
    p = ndtr(b) - ndtr(a)
    out = np.log(np.maximum(p, _PLAIN))
    tail = p < _PLAIN
    if tail.any():
        upper, lower = log_ndtr(b[tail]), log_ndtr(a[tail])
        out[tail] = upper + np.log1p(-np.exp(np.minimum(lower - upper, -1e-300)))
    return out


@dataclass(frozen=True)
class _Observations:
    """The diary's answers as arrays over logged days: ``values[column]`` (logged days) with
    NaN for a blank cell."""

    days: np.ndarray
    values: dict[str, np.ndarray]


@dataclass(eq=False)
class DiaryLikelihood:
    """The log-likelihood of ``diary`` for candidate values of the ``fitted`` parameters.

    The ``integrated`` parameters (for example :data:`NOISE`) are drawn from their
    population priors particle by particle and integrated over (module docstring); every other
    parameter is the ``base`` person's (default: the :data:`BASE_PERSON` preset over the
    registry). Each candidate's particles start where the first ``history_days``
    days of ``history`` (default: :data:`HISTORY`) leave them under its own values
    (:meth:`start_states`); the diary's drugs, sessions and events are the model's inputs.
    ``columns`` limits the answers weighed (default: every numeric column the diary holds);
    ``lookahead`` False makes the filter a plain bootstrap filter (resampled on every logged
    day).
    """

    diary: Diary
    fitted: tuple[str, ...]
    model: ModelRef = TWIN_MODEL
    particles: int = 200
    seed: int = 0
    settle_days: int = 120
    history: ScenarioSpec | None = None
    history_days: int = HISTORY_DAYS
    base: Mapping[str, float] | None = None
    columns: tuple[str, ...] | None = None
    lookahead: bool = True
    integrated: tuple[str, ...] = ()
    _obs: _Observations = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.model = resolve_model(self.model)
        registry = self.model.registry.parameters
        unknown = [p for p in self.fitted if p not in registry]
        if unknown:
            raise FMSimError(f"unknown parameter(s) {unknown} of model {self.model.name}")
        check_integrated(self.model, self.fitted, self.integrated)
        self._priors = [(registry[p].prior, registry[p].value) for p in self.integrated]
        if self.particles < 1:
            raise FMSimError(f"particles must be at least 1, not {self.particles}")
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
        self.inputs = self.diary.model_inputs()
        self.record = tuple(dict.fromkeys(OBSERVED[c] for c in values))
        self._column_at = {c: self.record.index(OBSERVED[c]) for c in values}
        if self.history is None:
            self.history = load_scenario(HISTORY, self.model)
        whole_number("settle_days", self.settle_days, 1, self.history_days)
        self._rng = np.random.default_rng([self.seed, 7])

    # ---- the measurement model
    def _log_answer(self, column: str, answer: float, latent: np.ndarray,
                    widen: float = 0.0) -> np.ndarray:
        """log P(answer | latent) for one diary cell, over particles (a rating's answer noise
        widened by ``widen``, in points)."""
        m = self.measure
        if column in RATINGS:
            mu, k = 10 * latent, float(np.clip(np.rint(answer), 0, 10))
            sd = float(np.hypot(m["sd_diary"], widen))
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

    def _log_weights(self, i: int, recorded: np.ndarray, ahead: bool = False) -> np.ndarray:
        """log P(logged day ``i``'s answers | each particle's ``recorded`` quantities); with
        ``ahead``, the auxiliary filter's first stage: the day's ratings only, from the
        particles' quantities on their last logged day, the answer noise widened by
        :data:`LOOKAHEAD_SD`."""
        total = np.zeros(recorded.shape[0])
        for column, values in self._obs.values.items():
            answer = values[i]
            if np.isnan(answer) or (ahead and column not in RATINGS):
                continue
            total += self._log_answer(column, answer, recorded[:, self._column_at[column]],
                                      LOOKAHEAD_SD if ahead else 0.0)
        return total

    # ---- the filter
    def start_states(self, theta: np.ndarray, rng: np.random.Generator,
                     values: np.ndarray | None = None
                     ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Each particle's states on the diary's first day (candidates x particles, candidate
        by candidate), and its values of the ``integrated`` parameters (candidates x particles
        x integrated: drawn from their priors, one draw for each line of the past, or each
        candidate's ``values`` (candidates x integrated) for all its particles). The states
        are where the candidate's own :data:`HISTORY` leaves them, lived in the
        model's day-to-day noise (which raises a person's mean pain by about 1.5 points in model
        v2, and now and then lets a person's priming fade; a start without it would miss both).
        The history runs in three stages, each cheaper than running every particle through it:
        each line's deterministic warm-up to its own baseline (the candidate's values and the
        line's of the integrated parameters), the
        history up to its last ``settle_days`` days (:attr:`history_particles` each), those
        days (:attr:`settled_particles` each, copied round from the history's); each settled
        particle is then copied round to ``particles`` (the diary's noise sets the copies apart
        within days)."""
        theta = np.atleast_2d(np.asarray(theta, float))
        c, p, k, h = len(theta), self.particles, self.settled_particles, self.history_particles
        story = self.history
        lived = self.history_days - self.settle_days
        inputs = story.inputs(self.history_days)
        lines = h if lived else k  # the lines of the past: one draw of the integrated each
        if values is None:
            own = self.draw_integrated(rng, (c, lines))
        else:
            own = np.repeat(np.asarray(values, float).reshape(c, 1, -1), lines, axis=1)
        warm = simulate(self.model, story.warmup_days,  # each line to its own baseline
                        self.parameters(np.repeat(theta, lines, axis=0),
                                        own.reshape(c * lines, -1)),
                        record=())["final"].values.reshape(c, lines, -1)

        def live(days: int, first: int, start: np.ndarray, copies: int) -> np.ndarray:
            """``copies`` particles per candidate live ``days`` days of the history from
            ``first``, started round-robin from ``start`` (candidates, n, states)."""
            initial = start[:, np.arange(copies) % start.shape[1]].reshape(c * copies, -1)
            mine = own[:, np.arange(copies) % lines].reshape(c * copies, -1)
            stepper = Stepper.create(self.model, days,
                                     self.parameters(np.repeat(theta, copies, axis=0), mine),
                                     {key: v[first:first + days] for key, v in inputs.items()},
                                     dict(zip(self.model.state_names, initial.T, strict=True)))
            y, xi = stepper.start(rng)
            stepper.advance(y, xi, 0, days, rng)
            return y.T.reshape(c, copies, -1)

        states = live(lived, 0, warm, h) if lived else warm
        states = live(self.settle_days, lived, states, k)
        final = states[:, np.arange(p) % k].reshape(c * p, -1)
        line = np.arange(p) % k % lines
        return ({name: final[:, j] for j, name in enumerate(self.model.state_names)},
                own[:, line])

    def draw_integrated(self, rng: np.random.Generator, shape: tuple[int, ...]
                         ) -> np.ndarray:
        """Draws of the ``integrated`` parameters from their priors, shape ``(*shape,
        integrated)``."""
        u = rng.random((*shape, len(self.integrated)))
        return np.stack([prior_quantile(prior, value, u[..., j])
                         for j, (prior, value) in enumerate(self._priors)], axis=-1
                        ) if self.integrated else u

    def relive(self, theta: np.ndarray, inputs: Sequence[Mapping[str, np.ndarray]],
               rng: np.random.Generator, record: Sequence[str],
               noise_seed: int | None = None, values: np.ndarray | None = None
               ) -> list[xr.Dataset]:
        """Each candidate lives the diary's days from its past (:meth:`start_states`, its first
        particle) once for each set of ``inputs``, on the same noise (``noise_seed``, else
        drawn from ``rng`` after the start), unconditioned on the answers; the runs of
        :func:`fmsim.engine.simulate` recording ``record``. ``values``: each candidate's
        values of the ``integrated`` parameters (candidates x integrated; default: drawn from
        their priors)."""
        theta = np.atleast_2d(np.asarray(theta, float))
        states, own = self.start_states(theta, rng, values)
        start = {k: v.reshape(len(theta), -1)[:, 0] for k, v in states.items()}
        seed = int(rng.integers(2**63)) if noise_seed is None else noise_seed
        params = self.parameters(theta, own[:, 0])
        return [simulate(self.model, self.diary.days, params, u, start, stochastic=True,
                         seed=seed, record=tuple(record)) for u in inputs]

    @property
    def settled_particles(self) -> int:
        """How many particles of each candidate live the history's last ``settle_days`` days
        apart (a quarter, at least ten)."""
        return min(self.particles, max(10, self.particles // 4))

    @property
    def history_particles(self) -> int:
        """How many particles of each candidate live the history before its last
        ``settle_days`` days (16: enough to carry the chance that the priming has faded)."""
        return min(self.settled_particles, 16)

    def parameters(self, theta: np.ndarray, values: np.ndarray | None = None
                   ) -> dict[str, np.ndarray]:
        """The base person with each candidate's fitted values (``theta``: candidates x
        fitted) and, if given, its ``values`` of the integrated parameters (candidates x
        integrated)."""
        theta = np.atleast_2d(np.asarray(theta, float))
        n = theta.shape[0]
        params = {k: np.full(n, v) for k, v in self.base.items()}
        params.update({name: theta[:, j] for j, name in enumerate(self.fitted)})
        if values is not None:
            values = np.asarray(values, float).reshape(n, -1)
            params.update({name: values[:, j] for j, name in enumerate(self.integrated)})
        return params

    def __call__(self, theta: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
        """The log-likelihood of each candidate (rows of ``theta``, columns ``fitted``)."""
        theta = np.atleast_2d(np.asarray(theta, float))
        return self.filter(theta).loglik

    def filter(self, theta: np.ndarray) -> Filtered:
        """Run the filter on the candidates ``theta`` (rows; columns ``fitted``): their
        log-likelihoods and their particles at the diary's end (:class:`Filtered`).

        The candidates are filtered in :data:`GROUPS` groups, each with its own random numbers
        (spawned from the filter's generator) on its own thread: the engine releases the GIL,
        so a call uses two cores, and its result does not depend on the machine's."""
        theta = np.atleast_2d(np.asarray(theta, float))
        groups = np.array_split(np.arange(len(theta)), min(GROUPS, len(theta)))
        rngs = self._rng.spawn(len(groups))
        if len(groups) == 1:
            return self._filter(theta, rngs[0])
        with ThreadPoolExecutor(len(groups)) as pool:
            parts = list(pool.map(self._filter, (theta[g] for g in groups), rngs))
        return Filtered(*(np.concatenate(part) for part in zip(*parts, strict=True)))

    def _filter(self, theta: np.ndarray, rng: np.random.Generator) -> Filtered:
        """:meth:`filter` for one group of candidates, with its own ``rng``."""
        c, p = theta.shape[0], self.particles
        start, own = self.start_states(theta, rng)
        own = own.reshape(c * p, -1)
        params = self.parameters(np.repeat(theta, p, axis=0), own)
        stepper = Stepper.create(self.model, self.diary.days, params, self.inputs, start)
        y, xi = stepper.start(rng)
        loglik = np.zeros(c)
        logw = np.zeros((c, p))  # the particles' weights on the last logged day
        previous = None  # their recorded quantities on it
        day = 0
        for i, logged in enumerate(self._obs.days):
            # first stage: resample by weight times the day's promise (module docstring)
            ahead = (self._log_weights(i, previous, ahead=True).reshape(c, p)
                     if self.lookahead and previous is not None else np.zeros((c, p)))
            first = logw + ahead
            loglik += _log_mean_exp(first) - _log_mean_exp(logw)
            ancestors = _systematic(_normalized(first), rng)
            own = self._resample(stepper, y, xi, own,
                                 (ancestors + p * np.arange(c)[:, None]).ravel())
            if logged > day:  # carry the particles over the days without a row
                stepper.advance(y, xi, day, logged - day, rng)
            previous = stepper.advance(y, xi, logged, 1, rng, self.record)[:, 0, :]
            day = logged + 1
            # second stage: the day's answers, over what each particle's ancestor was promised
            logw = (self._log_weights(i, previous).reshape(c, p)
                    - np.take_along_axis(ahead, ancestors, axis=1))
            loglik += _log_mean_exp(logw)
        flat = (_systematic(_normalized(logw), rng) + p * np.arange(c)[:, None]).ravel()
        own = self._resample(stepper, y, xi, own, flat)  # equally weighted from here on
        if day < self.diary.days:
            stepper.advance(y, xi, day, self.diary.days - day, rng)
        return Filtered(loglik, y.T.reshape(c, p, -1), xi.T.reshape(c, p, xi.shape[0]),
                        own.reshape(c, p, -1))

    def _resample(self, stepper: Stepper, y: np.ndarray, xi: np.ndarray, own: np.ndarray,
                  flat: np.ndarray) -> np.ndarray:
        """Particle ``j`` becomes particle ``flat[j]``: its states and noise (``y``, ``xi`` in
        place), its integrated parameters (in the stepper, and ``own``, returned)."""
        y[:], xi[:] = y[:, flat], xi[:, flat]
        if self.integrated:
            stepper.reorder(flat, self.integrated)
        return own[flat]


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
    rows = np.arange(c)[:, None]  # each row shifted by its index: one sorted array to search
    found = np.searchsorted((cumulative + rows).ravel(), (points + rows).ravel()).reshape(c, p)
    return np.clip(found - p * rows, 0, p - 1)
