"""Fitting the twin: the posterior of a person's identifiable parameters given their diary.

The sampler is emcee's affine-invariant ensemble (Foreman-Mackey et al. 2013), vectorized: every
walker's particles run in one engine call a step. It samples each fitted parameter on a standard
normal scale ``z`` mapped through its population prior (``theta = F^-1(Phi(z))``, with ``F`` the
prior's distribution function), so the prior is a standard normal and the bounds hold by
construction. The likelihood is the particle filter of :mod:`.likelihood`, a fresh unbiased
estimate for each proposal while each walker keeps the estimate it was accepted with: emcee
stores the current log-probability, so this is pseudo-marginal MCMC (Andrieu and Roberts
2009), whose chains target the exact posterior however noisy the estimate, at the price of
stickier chains when it is very noisy.
The walkers start near the posterior but wider than it, found by a cheap pilot (:func:`_start`);
after their first ``burn`` steps, every ``thin``-th step is kept; for each kept draw the
filter is run once more and one of its particles gives the person's states at the end of the
diary (the start of any what-if).

Which parameters and which columns (:data:`FITTED`, :data:`COLUMNS`): profiles of the
likelihood of a simulated 90-day diary over each parameter's prior (docs/twin.md) show the
mood, sleep and inflammatory pathway gains, the habitual activity, the fatigue threshold and
the priming gain moving the likelihood by several units or more; the noise amplitudes and the
pain threshold by less than the estimate's own spread. The other parameters that differ between
people, the noise amplitudes among them, are not held at the base person's values but
integrated over (:data:`INTEGRATED`): each particle carries its own, and each posterior draw
keeps those of its particle. Sleep quality, sleep hours and stress
are left out of the weighing for now: with them the filter's estimate is too noisy for a
sampler at a particle count that runs in minutes (docs/twin.md).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import norm

from ..engine.stepper import noise_inputs
from ..errors import FMSimError
from ..instruments.measurement import MeasurementModel
from ..model.models import resolve_model
from ..population import person
from ..population.priors import prior_quantile
from .diary import Diary
from .likelihood import BASE_PERSON, OBSERVED, DiaryLikelihood
from .spec import COLUMNS, FITTED, INTEGRATED, TwinSpec

__all__ = ["COLUMNS", "FITTED", "INTEGRATED", "MAX_RHAT", "MIN_PAIN_DAYS", "MIN_SHRINKAGE",
           "STATISTICS", "WARN_PREDICTIVE_P", "PredictiveCheck", "TwinFit",
           "TwinSpec", "Verdict", "fit_twin", "load_fit"]

MIN_PAIN_DAYS = 28
"""The fewest days with a pain rating before the twin answers a what-if: four weeks, the span
over which the issue's predictive checks and a trial's weekly outcome are read."""

MIN_SHRINKAGE = 0.25
"""The least a fitted parameter's 90% posterior interval must have narrowed against its prior's
(to 75% of its width) before the twin answers a what-if: every plan's effect on pain passes
through all of them (the person's severity, pathways, activity and fatigue)."""

MAX_RHAT = 1.1
"""The most the ensemble's drift R-hat of any fitted parameter may be before the twin answers a
what-if (Gelman and Rubin 1992 proposed 1.1): the R-hat of the kept draws' first half against
their second, every walker pooled, above which the ensemble is still moving (its burn-in was
too short). Walker by walker R-hat does not apply here: in pseudo-marginal sampling a walker
holds a lucky estimate for many steps, so single walkers look stuck (R-hat of 5 or more on a
60-step fit) while the ensemble as a whole is a sample of the posterior (docs/twin.md)."""

MIN_DRAWS_ESS = 4
"""The fewest draws per walker for which an effective sample size is given (ArviZ's own
minimum for its ESS); below it the ESS is NaN."""

WARN_PREDICTIVE_P = 0.005
"""Below this two-sided posterior predictive p-value (Gelman, Meng and Stern 1996) of any of
the diary's summaries (:data:`STATISTICS` of each weighed column) the fit warns that its diary
lies beyond every one of its few hundred simulated diaries on one side. A warning, not a rule
of the verdict: measured so far it fires on a rare diary of a person the model describes (pain
9.2/10 with little spread, the most extreme of 40 of her possible diaries) and stays silent for
a person whose day-to-day noise is twice the population's (docs/twin.md, misspecification)."""

STATISTICS = ("mean", "SD over days", "day-to-day correlation")
"""The summaries of each weighed column that the posterior predictive check compares: the
level, the spread and the persistence (lag-1 correlation) of the answers."""

INFORMED_BY = {"w_PC": "pain", "gain_affective": "mood", "gain_sleep": "pain and fatigue",
               "gain_inflammatory": "pain and fatigue", "act_plan": "activity_minutes",
               "theta_F": "fatigue"}
"""The diary columns that tell most about each fitted parameter (the profiles in
docs/twin.md): what to keep logging when a parameter is not yet constrained."""

NOTICE = ("Research and education software, not a medical device: no diagnosis, no dosing "
          "advice. Every number rests on model v2 and the diary given.")


def _arviz():
    """ArviZ, imported without its notice about a coming refactor."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        import arviz

    return arviz


@dataclass(frozen=True)
class Verdict:
    """Whether a fit constrains the person enough for a what-if (``enough``), and if not, why
    (``reasons``) and what more would help (``advice``)."""

    enough: bool
    reasons: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"enough_data": self.enough, "reasons": list(self.reasons),
                "advice": list(self.advice)}


@dataclass(frozen=True)
class PredictiveCheck:
    """One summary of one diary column: the ``observed`` value, the 99% range of the fit's
    simulated diaries (``low``, ``high``) and the two-sided posterior predictive ``p``."""

    column: str
    statistic: str
    observed: float
    low: float
    high: float
    p: float


def _summaries(x: np.ndarray) -> np.ndarray:
    """:data:`STATISTICS` of answers over days (``(..., days)``, NaN where not answered):
    shape ``(..., 3)``."""
    a, b = x[..., :-1], x[..., 1:]
    both = ~np.isnan(a) & ~np.isnan(b)
    n = both.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        a, b = np.where(both, a, 0.0), np.where(both, b, 0.0)
        da = np.where(both, a - (a.sum(-1) / n)[..., None], 0.0)
        db = np.where(both, b - (b.sum(-1) / n)[..., None], 0.0)
        lag1 = (da * db).sum(-1) / np.sqrt((da**2).sum(-1) * (db**2).sum(-1))
    return np.stack([np.nanmean(x, axis=-1), np.nanstd(x, axis=-1), lag1], axis=-1)


@dataclass(frozen=True, eq=False)
class TwinFit:
    """A fitted twin: the ``spec`` and ``idata``, an ArviZ ``InferenceData`` with groups
    ``posterior`` (the fitted parameters; the integrated ones, ``state_end``, the person's
    states at the end of the diary, of one particle per draw, and ``noise_end``, the same
    particle's daily noise), ``prior`` (draws of the fitted
    and the integrated parameters from the population prior), ``sample_stats`` (``lp``: log
    posterior) and ``observed_data`` (the diary's columns over its days)."""

    spec: TwinSpec
    idata: Any

    @property
    def diary(self) -> Diary:
        """The diary the fit was made from (kept in the fit)."""
        return Diary.from_records(json.loads(self.idata.posterior.attrs["diary"]),
                                  "the fit's diary")

    def people(self, pick: np.ndarray | None = None) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The posterior draws (all, or those at the flat indices ``pick``) as people: the
        base person's values with each draw's fitted ones (name -> array over draws), and each
        draw's states at the diary's end (draws x states)."""
        post = self.idata.posterior
        total = post.sizes["chain"] * post.sizes["draw"]
        pick = np.arange(total) if pick is None else np.asarray(pick)
        params = {k: np.full(pick.size, v) for k, v in person(BASE_PERSON).items()}
        params.update({n: post[n].values.ravel()[pick]
                       for n in (*self.spec.fitted, *self.spec.integrated)})
        return params, post["state_end"].values.reshape(total, -1)[pick]

    def noise_end(self, pick: np.ndarray | None = None) -> dict[str, np.ndarray] | None:
        """The same draws' daily noise at the diary's end (noise input -> array over draws), for
        a forecast that carries it on (:func:`fmsim.engine.simulate`'s ``noise``); None for a
        fit saved before it was kept."""
        post = self.idata.posterior
        if "noise_end" not in post:
            return None
        total = post.sizes["chain"] * post.sizes["draw"]
        pick = np.arange(total) if pick is None else np.asarray(pick)
        values = post["noise_end"].values.reshape(total, -1)[pick]
        return {name: values[:, j] for j, name in enumerate(post.coords["noise"].values)}

    def save(self, path: str | Path) -> Path:
        """Write the fit as NetCDF (:func:`load_fit` reads it back)."""
        path = Path(path)
        if path.suffix.lower() != ".nc":
            raise FMSimError(f"{path.name}: a fit is written as .nc (NetCDF)")
        self.idata.to_netcdf(str(path))
        return path

    def intervals(self, probability: float = 0.9, names: tuple[str, ...] | None = None
                  ) -> dict[str, dict[str, float]]:
        """Per fitted parameter (or each of ``names``, for example the integrated ones): the
        prior's and the posterior's median and central interval of ``probability``, and how
        much narrower the posterior's is (``shrinkage``, 1 - the ratio of widths: 0 when the
        diary told nothing)."""
        lo, hi = (1 - probability) / 2, (1 + probability) / 2
        out = {}
        for name in self.spec.fitted if names is None else names:
            post = self.idata.posterior[name].values.ravel()
            prior = self.idata.prior[name].values.ravel()
            q_post, q_prior = np.quantile(post, [lo, 0.5, hi]), np.quantile(prior, [lo, 0.5, hi])
            width = q_prior[2] - q_prior[0]
            out[name] = {"prior_median": float(q_prior[1]), "prior_low": float(q_prior[0]),
                         "prior_high": float(q_prior[2]), "median": float(q_post[1]),
                         "low": float(q_post[0]), "high": float(q_post[2]),
                         "shrinkage": float(1 - (q_post[2] - q_post[0]) / width) if width else 0.0}
        return out

    def diagnostics(self) -> dict[str, dict[str, float]]:
        """Per fitted parameter: the ensemble's drift R-hat (see :data:`MAX_RHAT`) and the
        bulk effective sample size (ArviZ, walkers as chains: about the number of distinct
        positions the walkers held)."""
        az = _arviz()
        posterior = self.idata.posterior[list(self.spec.fitted)]
        kept = posterior.sizes["draw"]
        ess = az.ess(posterior) if kept >= MIN_DRAWS_ESS else None  # ArviZ warns below it
        out = {}
        for name in self.spec.fitted:
            draws = posterior[name].values  # (walker, draw)
            half = draws.shape[1] // 2
            halves = np.stack([draws[:, :half].ravel(), draws[:, half:2 * half].ravel()])
            drift = float(az.rhat(halves, method="identity")) if half > 1 else float("nan")
            out[name] = {"rhat": drift, "ess": float("nan") if ess is None else float(ess[name])}
        return out

    def predictive_check(self) -> list[PredictiveCheck]:
        """The posterior predictive check (see :data:`WARN_PREDICTIVE_P`): each weighed
        column's :data:`STATISTICS` in the diary against the fit's simulated diaries (one per
        posterior draw, blank where the diary is blank)."""
        if "posterior_predictive" not in self.idata.groups():
            return []
        out = []
        for column in self.idata.posterior_predictive.data_vars:
            observed = self.idata.observed_data[column].values
            if np.sum(~np.isnan(observed)) < 3:
                continue
            simulated = self.idata.posterior_predictive[column].values
            simulated = np.where(np.isnan(observed), np.nan, simulated).reshape(
                -1, observed.size)
            seen, made = _summaries(observed), _summaries(simulated)
            for k, name in enumerate(STATISTICS):
                draws = made[:, k][np.isfinite(made[:, k])]
                if not np.isfinite(seen[k]) or draws.size < 20:
                    continue
                p = 2 * min(np.mean(draws <= seen[k]), np.mean(draws >= seen[k]))
                low, high = np.quantile(draws, [0.005, 0.995])
                out.append(PredictiveCheck(column, name, round(float(seen[k]), 3),
                                           round(float(low), 3), round(float(high), 3),
                                           round(float(min(p, 1.0)), 4)))
        return out

    def warnings(self) -> list[str]:
        """The posterior predictive check's warnings (see :data:`WARN_PREDICTIVE_P`)."""
        return [f"the diary's {c.statistic} of {c.column} ({c.observed:g}) lies outside what "
                f"the fitted twin produces (99%: {c.low:g} to {c.high:g}); the person may differ "
                "from the model in ways the twin does not fit" for c in self.predictive_check()
                if c.p < WARN_PREDICTIVE_P]

    def verdict(self) -> Verdict:
        """The "not enough data yet" rule: at least :data:`MIN_PAIN_DAYS` days with a pain
        rating, and every fitted parameter's posterior at least :data:`MIN_SHRINKAGE` narrower
        than its prior (90% intervals). A fit whose ensemble is still moving (drift R-hat above
        :data:`MAX_RHAT`) is not answered from either."""
        reasons, advice = [], []
        unsettled = {n: d["rhat"] for n, d in self.diagnostics().items()
                     if not d["rhat"] <= MAX_RHAT}
        if unsettled:
            finite = [r for r in unsettled.values() if np.isfinite(r)]  # NaN: too few draws
            reasons.append(f"the sampler has not settled for {', '.join(unsettled)} " + (
                f"(drift R-hat up to {max(finite):.2f}, at most {MAX_RHAT} wanted)" if finite
                else "(too few draws kept to tell)"))
            advice.append(f"fit again with more steps (--steps {2 * self.spec.steps})")
        pain_days = int(np.sum(~np.isnan(self.idata.observed_data["pain"].values)))
        if pain_days < MIN_PAIN_DAYS:
            reasons.append(f"{pain_days} days with a pain rating (at least {MIN_PAIN_DAYS} "
                           "needed)")
            advice.append(f"log pain on {MIN_PAIN_DAYS - pain_days} more days")
        loose = [n for n, q in self.intervals().items() if q["shrinkage"] < MIN_SHRINKAGE]
        for name in loose:
            reasons.append(f"{name} is barely constrained (posterior interval more than "
                           f"{1 - MIN_SHRINKAGE:.0%} of the prior's)")
        columns = sorted({INFORMED_BY.get(n, "pain") for n in loose})
        if columns:
            advice.append("keep logging " + "; ".join(columns) + " (more days narrow these)")
        return Verdict(not reasons, tuple(reasons), tuple(advice))

    def rows(self) -> list[tuple[str, ...]]:
        """The intervals as table rows of text, header first: the fitted parameters, then the
        integrated ones that the diary narrowed as much as the verdict asks of a fitted one
        (:data:`MIN_SHRINKAGE`; the others are counted in a last row, ``to_dict`` has them
        all)."""
        rows = [("parameter", "prior median (90%)", "posterior median (90%)", "shrinkage",
                 "drift R-hat", "ESS")]
        diagnostics = self.diagnostics()
        integrated = self.intervals(names=self.spec.integrated)
        shown = {n: q for n, q in integrated.items() if q["shrinkage"] >= MIN_SHRINKAGE}
        for name, q in {**self.intervals(), **shown}.items():
            fitted = name in diagnostics
            rows.append((name if fitted else f"{name} (integrated)",
                         f"{q['prior_median']:.3g} ({q['prior_low']:.3g}-"
                         f"{q['prior_high']:.3g})",
                         f"{q['median']:.3g} ({q['low']:.3g}-{q['high']:.3g})",
                         f"{q['shrinkage']:.2f}",
                         f"{diagnostics[name]['rhat']:.2f}" if fitted else "",
                         f"{diagnostics[name]['ess']:.0f}" if fitted else ""))
        if len(shown) < len(integrated):
            rows.append((f"{len(integrated) - len(shown)} more integrated", "population prior",
                         "barely moved", "", "", ""))
        return rows

    def to_dict(self) -> dict[str, Any]:
        """The ``fmsim twin fit --json`` object."""
        posterior = self.idata.posterior
        return {"fitted": list(self.spec.fitted), "columns": list(self.spec.columns),
                "intervals": self.intervals(), "diagnostics": self.diagnostics(),
                "integrated": self.intervals(names=self.spec.integrated),
                "predictive_check": [vars(c) for c in self.predictive_check()],
                "warnings": self.warnings(),
                **self.verdict().to_dict(),
                "draws": int(posterior.sizes["chain"] * posterior.sizes["draw"]),
                "acceptance": float(self.idata.sample_stats.attrs["acceptance"]),
                "notice": NOTICE}


def load_fit(path: str | Path) -> TwinFit:
    """Read a fit written by :meth:`TwinFit.save`."""
    az = _arviz()
    path = Path(path)
    if path.is_dir():
        raise FMSimError(f"fit {str(path)!r} is a folder; give the .nc file fmsim twin fit "
                         "wrote")
    if not path.is_file():
        raise FMSimError(f"fit {str(path)!r} does not exist")
    if path.suffix.lower() in (".csv", ".json"):
        raise FMSimError(f"{path.name} looks like a diary, not a fit: fit it first (fmsim twin "
                         "fit DIARY --out fit.nc)")
    try:
        idata = az.from_netcdf(str(path))
        missing = [g for g in FIT_GROUPS if g not in idata.groups()]
        if missing:
            raise ValueError(f"the group(s) {', '.join(missing)}")
        spec = TwinSpec(**{k: (tuple(v) if k in ("fitted", "integrated", "columns") else v)
                           for k, v in _spec_attrs(idata.posterior.attrs).items()})
        names = (*spec.fitted, *spec.integrated)
        missing = [n for n in (*names, "state_end") if n not in idata.posterior]
        missing += [n for n in names if n not in idata.prior]
        missing += [] if "diary" in idata.posterior.attrs else ["the diary"]
        if missing:
            raise ValueError(", ".join(missing))
        fit = TwinFit(spec, idata)
        fit.diary  # noqa: B018 (read now: a fit whose diary does not parse is refused here)
        _check_values(fit)
    except (OSError, KeyError, ValueError, TypeError, AttributeError, FMSimError) as exc:
        raise FMSimError(f"{path.name} is not a twin fit written by this version of fmsim "
                         f"(missing or unreadable: {exc}); fit the diary again") from None
    return fit


FIT_GROUPS = ("posterior", "prior", "sample_stats", "observed_data")
"""The groups of a fit's ``InferenceData`` that every command reads."""


def _check_values(fit: TwinFit) -> None:
    """Raise ValueError unless the fit's model is known, its states at the diary's end are
    that model's, and every draw of its fitted and integrated parameters is a number inside its
    population prior's bounds."""
    model = resolve_model(fit.spec.model)
    registry = model.registry.parameters
    states = fit.idata.posterior["state_end"]
    if states.shape[-1] != len(model.state_names):
        raise ValueError(f"its states at the diary's end number {states.shape[-1]}; model "
                         f"{fit.spec.model} has {len(model.state_names)}")
    for name in (*fit.spec.fitted, *fit.spec.integrated):
        if name not in registry:
            raise ValueError(f"{name!r} is not a parameter of model {fit.spec.model}")
        lo, hi = registry[name].prior.bounds
        values = fit.idata.posterior[name].values
        if not np.all(np.isfinite(values)) or values.min() < lo or values.max() > hi:
            raise ValueError(f"{name} has draws outside its prior's bounds [{lo:g}, {hi:g}]")
    if not np.all(np.isfinite(states.values)):
        raise ValueError("the states at the diary's end are not all numbers")


def _spec_attrs(attrs: dict) -> dict[str, Any]:
    keys = ("particles", "walkers", "steps", "burn", "thin", "seed")
    out = {k: int(attrs[f"twin_{k}"]) for k in keys}
    out["model"] = str(attrs["twin_model"])
    out["fitted"] = str(attrs["twin_fitted"]).split(",")
    out["columns"] = str(attrs["twin_columns"]).split(",")
    out["integrated"] = [n for n in str(attrs["twin_integrated"]).split(",") if n]
    return out


def fit_twin(diary: Diary, spec: TwinSpec = TwinSpec(),
             progress: Callable[[int, int], None] | None = None) -> TwinFit:
    """Fit ``diary`` (see the module docstring); ``progress(done, total)`` counts steps.

    Raises
    ------
    FMSimError
        For an unknown parameter or column, or a fitted parameter without a population prior
        (nothing to fit it within).
    """
    import emcee

    model = resolve_model(spec.model)
    registry = model.registry.parameters
    fixed = [p for p in spec.fitted if p in registry and not registry[p].prior.varies]
    if fixed:
        raise FMSimError(f"{fixed}: no population prior to fit within (the parameter does not "
                         "vary between people)")
    likelihood = DiaryLikelihood(diary, spec.fitted, model, spec.particles, spec.seed,
                                 columns=spec.columns, integrated=spec.integrated)
    priors = [(registry[p].prior, registry[p].value) for p in spec.fitted]

    def theta_of(z: np.ndarray) -> np.ndarray:
        u = norm.cdf(np.clip(z, -8, 8))
        return np.column_stack([prior_quantile(prior, value, u[:, j])
                                for j, (prior, value) in enumerate(priors)])

    def log_posterior(estimate: DiaryLikelihood) -> Callable[[np.ndarray], np.ndarray]:
        """The log posterior on the standard normal scale, the likelihood by ``estimate``."""
        def at(z: np.ndarray) -> np.ndarray:
            z = np.atleast_2d(z)
            return estimate(theta_of(z)) + norm.logpdf(z).sum(axis=1)
        return at

    rng = np.random.default_rng(spec.seed)
    pilot = DiaryLikelihood(diary, spec.fitted, model, max(20, spec.particles // 5),
                            spec.seed + 1, columns=spec.columns, integrated=spec.integrated)
    start = _start(log_posterior(pilot), rng, spec.walkers, len(spec.fitted))
    sampler = emcee.EnsembleSampler(spec.walkers, len(spec.fitted), log_posterior(likelihood),
                                    vectorize=True)
    state = emcee.State(start, random_state=np.random.RandomState(spec.seed).get_state())
    for step, _ in enumerate(sampler.sample(state, iterations=spec.steps), start=1):
        if progress is not None:
            progress(step, spec.steps)
    chain = sampler.get_chain(discard=spec.burn, thin=spec.thin)  # (draw, walker, fitted)
    lp = sampler.get_log_prob(discard=spec.burn, thin=spec.thin)
    draws, walkers = chain.shape[:2]
    theta = theta_of(chain.reshape(-1, len(spec.fitted)))
    end = likelihood.filter(theta)
    pick = np.random.default_rng([spec.seed, 11]).integers(spec.particles, size=len(theta))
    one = (np.arange(len(theta)), pick)  # one particle per draw
    state_end, noise_end, values = end.states[one], end.noise[one], end.values[one]
    prior_theta = np.column_stack([theta_of(rng.normal(size=(4000, len(spec.fitted)))),
                                   likelihood.draw_integrated(rng, (4000,))])
    predictive = _predictive(diary, spec, model, theta, values)
    return TwinFit(spec, _inference_data(diary, spec, model, theta, values,
                                         state_end, noise_end, lp, prior_theta, predictive,
                                         (draws, walkers),
                                         float(np.mean(sampler.acceptance_fraction))))


def _predictive(diary: Diary, spec: TwinSpec, model: Any, theta: np.ndarray,
                values: np.ndarray) -> dict[str, np.ndarray]:
    """Each posterior draw's diary: the draw (its fitted ``theta`` and integrated ``values``)
    lives the diary's days from its own past, with the diary's inputs and fresh noise, answered
    by the measurement model (column -> draws x days), the weighed columns only."""
    past = DiaryLikelihood(diary, spec.fitted, model, 1, spec.seed + 2, columns=spec.columns,
                           integrated=spec.integrated)
    (run,) = past.relive(theta, [diary.model_inputs()], np.random.default_rng([spec.seed, 19]),
                         OBSERVED.values(), values=values)
    answers = MeasurementModel(spec.seed + 3, model=model.name).diary(run)
    return {c: answers[c].values.astype(float) for c in spec.columns if c in answers}


PILOT = 256
"""Candidates per round of the walkers' start (:func:`_start`)."""


def _start(log_posterior: Callable[[np.ndarray], np.ndarray], rng: np.random.Generator,
           walkers: int, ndim: int, rounds: int = 3, elite: float = 0.125) -> np.ndarray:
    """The walkers' start, near the posterior but wider than it: three rounds of the
    cross-entropy method (Rubinstein 1999) on the standard normal scale, each drawing
    :data:`PILOT` candidates (the first from the prior), scoring them with a cheap estimate of
    the log posterior (a fifth of the particles) and fitting a normal to the best eighth; the
    walkers are drawn from the last normal with its spread doubled, so that the ensemble
    contracts onto the posterior rather than having to expand to it (Gelman et al., Bayesian
    Data Analysis, 3rd ed., section 11.4: overdispersed starts). Started from the prior
    instead, the walkers needed more than 60 steps to agree between seeds on a 60-day diary
    (docs/twin.md)."""
    mean, cov = np.zeros(ndim), np.eye(ndim)
    keep = max(ndim + 1, int(elite * PILOT))
    for _ in range(rounds):
        z = rng.multivariate_normal(mean, cov, PILOT)
        best = z[np.argsort(log_posterior(z))[-keep:]]
        mean, cov = best.mean(axis=0), np.cov(best, rowvar=False) + 1e-6 * np.eye(ndim)
    return rng.multivariate_normal(mean, 4.0 * cov, walkers)


def _inference_data(diary: Diary, spec: TwinSpec, model, theta, values, state_end, noise_end,
                    lp, prior_theta, predictive, shape: tuple[int, int], acceptance: float):
    """The fit as ArviZ ``InferenceData`` (walkers as chains; ``shape``: draws, walkers)."""
    az = _arviz()
    draws, walkers = shape

    def by_chain(x: np.ndarray) -> np.ndarray:  # (draw * walker, ...) -> (walker, draw, ...)
        return np.swapaxes(x.reshape(draws, walkers, *x.shape[1:]), 0, 1)

    posterior = {name: by_chain(theta[:, j]) for j, name in enumerate(spec.fitted)}
    posterior.update({name: by_chain(values[:, j]) for j, name in enumerate(spec.integrated)})
    posterior["state_end"] = by_chain(state_end)
    posterior["noise_end"] = by_chain(noise_end)
    attrs = {"twin_particles": spec.particles, "twin_walkers": spec.walkers,
             "twin_steps": spec.steps, "twin_burn": spec.burn, "twin_thin": spec.thin,
             "twin_seed": spec.seed, "twin_model": spec.model,
             "twin_fitted": ",".join(spec.fitted),
             "twin_integrated": ",".join(spec.integrated), "twin_columns": ",".join(spec.columns),
             "diary_start": diary.start.isoformat(), "diary_days": diary.days,
             "diary": diary.to_json(),
             "notice": NOTICE}
    observed = {c: diary.values[c].values for c in diary.values.data_vars}
    with warnings.catch_warnings():  # walkers as chains: more chains than draws is expected
        warnings.simplefilter("ignore", UserWarning)
        idata = az.from_dict(
            posterior=posterior,
            prior={name: prior_theta[None, :, j]
                   for j, name in enumerate((*spec.fitted, *spec.integrated))},
            sample_stats={"lp": np.swapaxes(lp, 0, 1)},
            posterior_predictive={c: by_chain(x) for c, x in predictive.items()},
            observed_data=observed,
            coords={"state": list(model.state_names), "noise": list(noise_inputs(model)),
                    "day": np.arange(diary.days)},
            dims={"state_end": ["state"], "noise_end": ["noise"],
                  **{c: ["day"] for c in observed}},
        )
    idata.posterior.attrs.update(attrs)
    idata.sample_stats.attrs["acceptance"] = acceptance
    return idata
