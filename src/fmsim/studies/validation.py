"""``fmsim validate``: the model against every calibration.md target it addresses.

Five virtual experiments produce the model's quantities:

* a general population (:func:`fmsim.population.screen`, ``general`` history): prevalence, sex
  ratio, FIQR with and without FM (a :class:`.population.PopulationResult`), and the
  physiological read-outs of people with FM against those without (Hedges g; a
  :class:`.phenotype.PhenotypeResult`);
* a 12-week multi-arm drug trial against placebo in one selected FM-clinic cohort (placebo,
  milnacipran 100, pregabalin 300/450/600, ibuprofen 2400, and usual care for placebo against
  no treatment) that reads pain from weekly diary means, as pregabalin's and milnacipran's
  trials did: responder rates, risk ratios, NNT, adverse events, dropouts, drug minus placebo
  by week, and the cohort's baseline;
* a 12-week trial of duloxetine 20/60/120 against placebo that reads pain as duloxetine's
  trials did, one Brief Pain Inventory rating of the past 24 hours at each visit, its cohort
  selected on the enrolment visit's rating (``reading="visit"``, :class:`.trial.TrialSpec`):
  duloxetine's targets and the placebo changes that duloxetine's trials report (A0.10-A0.12);
* a 12-week exercise trial against usual care (aerobic, resistance, aquatic, and an attention
  control arm): Hedges g for pain, fatigue and mood, the mean pain g of the three programs
  (``exercise.any``, for the pooled "any exercise" meta-analysis), and the attention control
  arm's FIQ change. The Cochrane reviews of exercise for fibromyalgia define the control
  condition as treatment as usual, wait list or physical activity as usual (Bidonde 2017, 2019;
  Busch 2013), no added contact, which is the model's usual care;
* a 52-week trial of oxycodone against usual care (``opioid``): the one-year outcome that
  observational cohorts compare between opioid users and non-users (calibration.md A4.3).

Each target of ``targets.toml`` names one quantity of these results (a :class:`Quantity`), the
published value, and the interval the model must fall in; ``fitted`` marks the targets the
calibration used, every other target is a prediction.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..engine import check_executor
from ..errors import MAX_SEED, FMSimError, whole_number
from ..model.models import ModelRef, model_name
from ..population import fm_clinic_cohort
from ..stats import Estimate, describe, rate, risk_ratio_at
from .phenotype import ABSOLUTE, MEASURED, PhenotypeResult, PhenotypeSpec, phenotype_of
from .population import BASELINE, GROUPS, PopulationResult, PopulationSpec, screen_people
from .trial import ARM_FIELDS, Comparison, TrialResult, TrialSpec, run_trial

__all__ = ["DRUG_ARMS", "DULOXETINE_ARMS", "EXERCISE_ARMS", "OPIOID_ARMS", "STUDY_READING",
           "CohortBaseline", "Quantity", "Target", "TargetResult", "ValidationResult",
           "ValidationSpec", "ValidationStudies", "load_targets", "run_validation"]

DRUG_ARMS = ("placebo", "milnacipran:100", "pregabalin:300", "pregabalin:450", "pregabalin:600",
             "ibuprofen:2400", "usual-care")
DULOXETINE_ARMS = ("placebo", "duloxetine:60", "duloxetine:20", "duloxetine:120")
"""Duloxetine's trial, read at the visits (:data:`STUDY_READING`)."""
EXERCISE_ARMS = ("usual-care", "attention-control", "aerobic", "resistance", "aquatic")
"""The exercise trial: every program against usual care (the reviews' control); attention
control is an arm of its own for A0.13."""
OPIOID_ARMS = ("usual-care", "oxycodone")
OPIOID_WEEKS = 52
CHECKS = ("value", "ci_contains", "ci_above", "ci_below", "ci_not_below")
TRIALS = ("drug", "duloxetine", "exercise", "opioid")
STUDY_READING = {"drug": "diary", "duloxetine": "visit"}
"""How each drug trial reads pain (:data:`fmsim.choices.READINGS`)."""
STATISTICS = ("mean", "median", "p25", "p75", "iqr")
"""What a general-population target reads from a score's distribution in a group."""


@dataclass(frozen=True)
class CohortBaseline:
    """The trial cohort at baseline: share of women, mean diary pain (0-10), FIQR and fatigue,
    and median PSD."""

    female_share: float
    pain_mean: float
    fiqr_mean: float
    fatigue_mean: float
    psd_median: float


@dataclass(frozen=True, eq=False)
class ValidationStudies:
    """The results the targets are read from (a study left out is None)."""

    general: PopulationResult | None = None
    phenotype: PhenotypeResult | None = None
    cohort: CohortBaseline | None = None
    drug: TrialResult | None = None
    duloxetine: TrialResult | None = None
    exercise: TrialResult | None = None
    opioid: TrialResult | None = None


Value = tuple[float | None, tuple[float | None, float | None] | None]
"""A quantity's value and, for an estimate, its 95% interval."""


def _estimate(estimate: Estimate) -> Value:
    value, ci = estimate.as_json()
    return value, tuple(ci)


@dataclass(frozen=True)
class Quantity:
    """A quantity of the validation's results, as a target names it (``model = {...}`` in
    ``targets.toml``).

    ``study`` is one of :class:`ValidationStudies`' results. In a trial (``drug``,
    ``duloxetine``, ``exercise``, ``opioid``): ``field`` of ``arm`` (an
    :class:`~.trial.ArmResult` field, or a :class:`~.trial.Comparison` estimate against the
    first arm); with ``vs``, the arm's field minus arm ``vs``'s (over it with ``ratio``; for
    ``pain_change``, the change to ``week``);
    ``event``, the incidence of an adverse event in ``arm``; ``arms``, the mean of an estimate
    over several arms. In ``general``: ``prevalence``, ``sex_ratio_prevalence``, or a baseline
    score in ``group`` (``fm`` or ``no_fm``): its ``statistic`` (``mean``, ``median``, ``p25``,
    ``p75`` or ``iqr``), or with ``at_least`` the share at that value or more. A risk ratio
    with ``sizes`` (the arm's and the comparator's patients in a published trial; the
    comparator the trial's first arm, or ``vs``) has the interval that trial would have
    reported at the model's response rates (:func:`~fmsim.stats.risk_ratio_at`). In
    ``phenotype``: a read-out's Hedges g or an absolute value. In ``cohort``: a
    :class:`CohortBaseline` field. ``scale`` multiplies the value (0-10 pain as 0-100)."""

    study: str
    field: str | None = None
    arm: str | None = None
    vs: str | None = None
    week: int | None = None
    ratio: bool = False
    event: str | None = None
    arms: tuple[str, ...] = ()
    group: str | None = None
    statistic: str = "mean"
    at_least: float | None = None
    scale: float = 1.0
    sizes: tuple[int, ...] = ()

    @classmethod
    def parse(cls, raw: object, where: str) -> Quantity:
        """A quantity from its ``targets.toml`` table, checked against the result types.

        Raises
        ------
        FMSimError
            For an unknown study, key or field, naming ``where``.
        """
        names = {f.name for f in fields(cls)}
        if not isinstance(raw, dict) or "study" not in raw or set(raw) - names:
            raise FMSimError(f"{where}: model must be a table with 'study' and some of "
                             f"{sorted(names - {'study'})}, not {raw!r}")
        q = cls(**{**raw, "arms": tuple(raw.get("arms", ())), "sizes": tuple(raw.get("sizes", ()))})
        allowed = {"general": ("prevalence", "sex_ratio_prevalence", *BASELINE),
                   "phenotype": (*MEASURED, *ABSOLUTE),
                   "cohort": tuple(f.name for f in fields(CohortBaseline))}
        if q.study in TRIALS:
            numeric = set(ARM_FIELDS) - {"name", "adverse_events", "pain_by_week"}
            if q.event is not None:
                ok = bool(q.arm) and q.field is None
            elif q.arms:
                ok = q.field in Comparison.ESTIMATES and q.arm is None
            elif q.vs is not None and not q.sizes:
                ok = bool(q.arm) and (q.field in numeric or (q.field == "pain_change"
                                                               and q.week is not None))
            else:
                ok = bool(q.arm) and q.field in (*numeric, *Comparison.ESTIMATES)
        else:
            ok = q.study in allowed and q.field in allowed[q.study]
            grouped = q.field in BASELINE
            ok = ok and (q.group in GROUPS if grouped else q.group is None)
            ok = ok and (q.statistic in STATISTICS if grouped else q.statistic == "mean")
            ok = ok and (grouped or q.at_least is None)
        ok = ok and (q.study == "general" or (q.statistic == "mean" and q.at_least is None))
        ok = ok and (not q.sizes or (q.field in ("rr_30", "rr_50") and bool(q.arm)
                                     and len(q.sizes) == 2
                                     and all(isinstance(n, int) and n > 0 for n in q.sizes)))
        if not ok:
            raise FMSimError(f"{where}: {raw!r} names no quantity of the validation's results")
        return q

    def evaluate(self, studies: ValidationStudies) -> Value:
        """The quantity's value (and interval, for an estimate) in ``studies``."""
        result = getattr(studies, self.study)
        if result is None:
            raise FMSimError(f"the validation has no {self.study} study to read {self} from")
        if self.study == "general":
            if self.group is not None:
                values = result.patients[self.field].values[result.group(self.group)]
                if self.at_least is not None:
                    return rate(values >= self.at_least), None
                summary = describe(values)
                if summary is None:
                    return None, None
                if self.statistic == "iqr":
                    return summary.p75 - summary.p25, None
                return getattr(summary, self.statistic), None
            return getattr(result, self.field), None
        if self.study == "phenotype":
            if self.field in result.hedges_g:
                return _estimate(result.hedges_g[self.field])
            return result.absolute[self.field], None
        if self.study == "cohort":
            return getattr(result, self.field) * self.scale, None
        return self._trial(result)

    def _trial(self, trial: TrialResult) -> Value:
        if self.arms:
            values = [getattr(trial.comparison(a), self.field).as_json()[0] for a in self.arms]
            return (float(np.mean(values)) if None not in values else None), None
        arm = trial.arm(self.arm)
        if self.event is not None:
            return arm.adverse_events.get(self.event), None
        if self.sizes:
            responders = "responders_" + self.field.removeprefix("rr_")
            reference = trial.arm(self.vs or trial.comparison(self.arm).vs)
            return _estimate(risk_ratio_at(getattr(arm, responders), self.sizes[0],
                                           getattr(reference, responders), self.sizes[1]))
        if self.vs is not None:
            ref = trial.arm(self.vs)
            if self.field == "pain_change":
                w, a, r = self.week, arm.pain_by_week, ref.pain_by_week
                return a[w] - a[0] - r[w] + r[0], None
            mine, theirs = getattr(arm, self.field), getattr(ref, self.field)
            if self.ratio:
                return (mine / theirs if theirs else None), None
            return mine - theirs, None
        if self.field in Comparison.ESTIMATES:
            return _estimate(getattr(trial.comparison(self.arm), self.field))
        return getattr(arm, self.field), None


@dataclass(frozen=True)
class Target:
    """One published target (see ``targets.toml``)."""

    id: str
    quantity: str
    model: Quantity
    published: float
    rule: str
    interval: tuple[float, float] | None = None
    check: str = "value"
    fitted: bool | tuple[str, ...] = False
    source: str = ""

    def fitted_in(self, model: ModelRef) -> bool:
        """Whether ``model``'s calibration was fitted to this target (``fitted = true``: every
        model's; a list: those models', by their shipped names)."""
        if not isinstance(self.fitted, tuple):
            return self.fitted
        name = model_name(model)
        return isinstance(name, str) and name in self.fitted

    def passes(self, value: float | None, ci: tuple[float, float] | None) -> bool:
        """Whether the model's ``value`` (and its 95% interval ``ci``) meets the target."""
        if self.check == "value":
            lo, hi = self.interval
            return value is not None and lo <= value <= hi
        if ci is None or None in ci:
            return False
        if self.check == "ci_contains":
            return ci[0] <= self.published <= ci[1]
        if self.check == "ci_above":
            return ci[0] > self.published
        if self.check == "ci_not_below":
            return ci[1] >= self.published
        return ci[1] < self.published


@cache
def load_targets() -> tuple[Target, ...]:
    """The targets of ``targets.toml``, each quantity checked against the result types."""
    text = resources.files("fmsim.studies").joinpath("targets.toml").read_text("utf-8")
    out = []
    for raw in tomllib.loads(text)["target"]:
        fitted = raw.get("fitted", False)
        target = Target(**{**raw, "model": Quantity.parse(raw["model"], f"target {raw['id']}"),
                           "interval": tuple(raw["interval"]) if "interval" in raw else None,
                           "fitted": tuple(fitted) if isinstance(fitted, list) else fitted})
        if target.check not in CHECKS or (target.check == "value") != bool(target.interval):
            raise FMSimError(f"target {target.id}: check must be one of {CHECKS}, with an "
                             "interval exactly when it is 'value'")
        if not target.source.strip():
            raise FMSimError(f"target {target.id}: every target names its published source")
        out.append(target)
    return tuple(out)


@dataclass(frozen=True)
class TargetResult:
    """A target with the model's value, its 95% interval (for an estimate) and the verdict."""

    target: Target
    value: float | None
    ci: tuple[float | None, float | None] | None
    fitted: bool = False
    """Whether the validated model's calibration was fitted to the target."""

    @property
    def passes(self) -> bool:
        return self.target.passes(self.value, self.ci)

    def to_dict(self) -> dict:
        """``{id, quantity, model, ci, published, source, interval, check, rule, fitted,
        pass}``."""
        t = self.target
        return {"id": t.id, "quantity": t.quantity, "model": self.value,
                "ci": None if self.ci is None else list(self.ci), "published": t.published,
                "source": t.source,
                "interval": None if t.interval is None else list(t.interval),
                "check": t.check, "rule": t.rule, "fitted": self.fitted, "pass": self.passes}


@dataclass(frozen=True)
class ValidationSpec:
    """Trial arms of ``n_per_arm`` patients and a general population of ``n_general``, from
    ``seed``."""

    n_per_arm: int = 2000
    n_general: int = 24000
    seed: int = 0

    def __post_init__(self) -> None:
        whole_number("n_per_arm", self.n_per_arm, 4, 5000)
        whole_number("n_general", self.n_general, 2, 500_000)
        whole_number("seed", self.seed, 0, MAX_SEED)


def _number(x: float | None) -> str:
    return "-" if x is None else f"{x:.3g}"


@dataclass(frozen=True, eq=False)
class ValidationResult:
    """Every target with the model's value, and the study results they were read from."""

    spec: ValidationSpec
    targets: tuple[TargetResult, ...]
    studies: ValidationStudies = field(repr=False)

    @property
    def pass_fraction(self) -> float:
        """The share of targets that pass."""
        return float(np.mean([t.passes for t in self.targets]))

    @property
    def pass_fraction_predictions(self) -> float | None:
        """The share of the predictions (targets not fitted) that pass."""
        predictions = [t.passes for t in self.targets if not t.fitted]
        return float(np.mean(predictions)) if predictions else None

    def to_dict(self) -> dict:
        """The ``fmsim validate --json`` object."""
        return {"pass_fraction": self.pass_fraction,
                "pass_fraction_predictions": self.pass_fraction_predictions,
                "n_per_arm": self.spec.n_per_arm, "n_general": self.spec.n_general,
                "seed": self.spec.seed, "targets": [t.to_dict() for t in self.targets]}

    def summary(self) -> str:
        """One sentence: how many targets and predictions pass."""
        passed = sum(t.passes for t in self.targets)
        return (f"{passed} of {len(self.targets)} targets pass ({self.pass_fraction:.0%}; "
                f"{self.pass_fraction_predictions:.0%} of the predictions, the targets the "
                "calibration did not use).")

    def rows(self) -> list[tuple[str, ...]]:
        """Every target as a row of text, header first: the model's value [95% interval],
        the published value, the interval or rule, fitted or predicted, pass or FAIL."""
        rows = [("id", "quantity", "model", "published", "interval / rule", "fitted", "pass")]
        for t in self.targets:
            shown = _number(t.value)
            if t.ci and None not in t.ci:
                shown += f" [{_number(t.ci[0])}, {_number(t.ci[1])}]"
            interval = t.target.interval
            rows.append((t.target.id, t.target.quantity, shown, _number(t.target.published),
                         f"{interval[0]:.3g} to {interval[1]:.3g}" if interval else
                         t.target.rule, "fitted" if t.fitted else "predicted",
                         "pass" if t.passes else "FAIL"))
        return rows

    def sources(self) -> list[tuple[str, ...]]:
        """Each target's published source, header first."""
        return [("id", "source"), *((t.target.id, t.target.source) for t in self.targets)]

    def plot(self, path: str | Path) -> Path:
        """Every target's distance from its published value (PNG)."""
        from .plots import plot_validation  # here: matplotlib only when drawing
        return plot_validation(self, path)


def run_validation(spec: ValidationSpec, *, executor: str | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   model: ModelRef = None) -> ValidationResult:
    """Run the five experiments and read every target's quantity from their results.

    ``progress(done, 100)`` reports percent done (the parts weighted by their usual time)."""
    check_executor(executor)

    def part(start: int, share: int) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        return lambda done, total: progress(start + share * done // max(total, 1), 100)

    seed, n_arm = spec.seed, spec.n_per_arm
    people = screen_people(spec.n_general, seed, executor, part(0, 15), model)
    general = PopulationResult(PopulationSpec(spec.n_general, "general", seed),
                               spec.n_general, people)
    phenotype = phenotype_of(people, PhenotypeSpec(spec.n_general, seed), "--n-general",
                             model)
    cohort, _ = fm_clinic_cohort(len(DRUG_ARMS) * n_arm, seed=seed, executor=executor,
                                 progress=part(15, 30), model=model,
                                 reading=STUDY_READING["drug"])
    baseline = CohortBaseline(
        float((cohort["parameters"].sel(parameter="female").values > 0.5).mean()),
        float(cohort["pain"].values.mean()), float(cohort["fiqr"].values.mean()),
        float(cohort["fatigue"].values.mean()), float(np.median(cohort["psd"].values)))
    drug = run_trial(TrialSpec(DRUG_ARMS, weeks=12, n_per_arm=n_arm,
                               reading=STUDY_READING["drug"], seed=seed), cohort=cohort,
                     model=model)
    duloxetine = run_trial(TrialSpec(DULOXETINE_ARMS, weeks=12, n_per_arm=n_arm,
                                     reading=STUDY_READING["duloxetine"], seed=seed + 3),
                           executor=executor, progress=part(45, 20), model=model)
    exercise = run_trial(TrialSpec(EXERCISE_ARMS, weeks=12, n_per_arm=n_arm, seed=seed + 1),
                         executor=executor, progress=part(65, 20), model=model)
    opioid = run_trial(TrialSpec(OPIOID_ARMS, weeks=OPIOID_WEEKS, n_per_arm=n_arm // 2,
                                 seed=seed + 2), executor=executor, progress=part(85, 15),
                       model=model)
    if progress:
        progress(100, 100)
    studies = ValidationStudies(general, phenotype, baseline, drug, duloxetine, exercise, opioid)
    targets = tuple(TargetResult(t, *t.model.evaluate(studies), t.fitted_in(model))
                    for t in load_targets())
    return ValidationResult(spec, targets, studies)
