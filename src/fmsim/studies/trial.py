"""A randomized virtual trial: enrol, randomize, treat, measure, count, compare.

The cohort is a selected FM-clinic cohort (:func:`fmsim.population.fm_clinic_cohort`: ACR
2016 positive, pain at least 4/10, matched to the baseline of FM trial cohorts). Patients are
allocated in permuted blocks. The baseline week is the enrolment week the cohort was selected on
(so regression to the mean happens as in real trials); then come ``weeks`` of each arm's
treatment and optional follow-up, all in stochastic mode. Pain, fatigue, sleep and mood are daily
diary answers with answer noise (the measurement model), read as the trial's ``reading`` reads
them: averaged per week (``diary``, the electronic diaries of pregabalin's trials) or one rating
of the past 24 hours at the visit that ends each week (``visit``, the Brief Pain Inventory of
duloxetine's trials), the cohort selected on the same reading; the FIQR is answered at the end
of every week. Adverse events are drawn per patient from their arm's daily hazards,
and each event leads to discontinuation with probability ``discontinue``; independently, a
patient leaves for another reason (lack of efficacy, lost to follow-up) with probability
``withdraw`` each treatment week. Programs are attended at the trial's ``adherence`` (80% of
sessions by default, the average of FM exercise trials; drugs are taken as prescribed).
Responder rates, adverse events and dropouts are counted per patient, never set, in three
analyses:

* last observation carried forward (the primary analysis: ``responders_30``, ``responders_50``,
  the mean changes and every comparison): a patient who drops out keeps their last observed
  week;
* baseline observation carried forward (``responders_30_bocf``, ``responders_50_bocf``): every
  dropout counts as a non-responder, the conservative rule that the Cochrane pain reviews
  prefer (Moore et al. 2010; background knowledge, see docs/calibration.md);
* completers (``responders_30_completers``, ``responders_50_completers``,
  ``pain_change_mean_completers``): only those who finished.

The placebo response therefore comes from expectation (whose strength varies between people),
regression to the mean (enrolment on a noisy baseline) and natural fluctuation. The free
parameters behind it were fitted to calibration.md's placebo, duloxetine 60 and pregabalin 450
rows (``scripts/trial_calibration.py``, docs/calibration.md); everything else a trial reports
is the model's prediction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np
import xarray as xr

from ..engine import check_executor, simulate
from ..errors import MAX_SEED, FMSimError, whole_number
from ..instruments.measurement import LATENT, diary, score_simulation
from ..interventions.adverse import adverse_event_hazards, discontinue_probability
from ..interventions.catalog import Treatment, TreatmentSpec, arm_inputs
from ..model.models import ModelRef, resolve_model
from ..population import fm_clinic_cohort, parameters_of, states_of
from ..population.cohort import SCORES, check_reading, reading_of
from ..stats import Estimate, hedges_g, number_needed_to_treat, responder_rate, risk_ratio
from .conduct import conduct
from .events import (
    NEVER,
    adverse_event_days,
    carry_forward,
    dropout_days,
    earliest,
    permuted_blocks,
    withdrawal_weeks,
)
from .table import PerPatient

__all__ = ["ArmResult", "Comparison", "TrialResult", "TrialSpec", "run_trial"]


def _probability(label: str, p: object) -> float:
    if isinstance(p, bool) or not isinstance(p, int | float) or not 0 <= p <= 1:
        raise FMSimError(f"{label} must be a probability 0-1, not {p}")
    return float(p)


@dataclass(frozen=True)
class TrialSpec:
    """A parallel-group trial; ``arms`` are treatment SPECs (text or parsed), the first the
    comparator of the others; each is parsed once, here.

    ``discontinue`` is the probability that an adverse event makes a patient leave; by default
    the calibrated value (calibration.md A0.6, ``adverse.toml``). ``withdraw`` is the weekly
    probability of leaving for another reason (``conduct.toml`` by default). ``adherence`` is
    the share of a program's sessions attended; it may be given only when an arm has a program
    (``conduct.toml`` by default; drugs are taken as prescribed). ``reading`` is how the diary
    scores are read at baseline and every week (:data:`fmsim.choices.READINGS`).

    Raises
    ------
    FMSimError
        For fewer than two arms, two arms that are the same treatment, a bad SPEC, a size or
        probability out of range, an adherence without a program to attend, or an unknown
        reading.
    """

    arms: tuple[TreatmentSpec, ...]
    weeks: int = 12
    n_per_arm: int = 100
    follow_up_weeks: int = 0
    discontinue: float = field(default_factory=discontinue_probability)
    withdraw: float = field(default_factory=lambda: conduct()["withdraw_weekly"])
    adherence: float | None = None
    reading: str = "diary"
    seed: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.arms, str) or len(self.arms) < 2:
            raise FMSimError("a trial needs at least two arms (--arm SPEC --arm SPEC)")
        arms = tuple(TreatmentSpec.parse(a) for a in self.arms)
        object.__setattr__(self, "arms", arms)
        for i, a in enumerate(arms):
            for b in arms[:i]:
                if a == b:
                    raise FMSimError(f"arms {str(b)!r} and {str(a)!r} are the same treatment; "
                                     "give each arm once")
        whole_number("weeks", self.weeks, 1, 520)
        whole_number("n", self.n_per_arm, 2, 100_000)
        whole_number("follow-up weeks", self.follow_up_weeks, 0, 520)
        whole_number("seed", self.seed, 0, MAX_SEED)
        check_reading(self.reading)
        _probability("discontinue", self.discontinue)
        if _probability("withdraw", self.withdraw) == 1:
            raise FMSimError("withdraw must be below 1: at 1 every patient leaves in the first "
                             "week")
        if self.adherence is not None:
            _probability("adherence", self.adherence)
            if not any(a.has_program for a in arms):
                raise FMSimError("adherence is the share of a program's sessions attended; no "
                                 f"arm has a program ({', '.join(map(str, arms))})")

    @property
    def program_adherence(self) -> float:
        """The share of program sessions attended (the given one, else ``conduct.toml``'s)."""
        return conduct()["adherence"] if self.adherence is None else self.adherence

    def treatment(self, spec: TreatmentSpec) -> Treatment:
        """One arm's treatment over the treatment weeks; its programs attended at the trial's
        adherence."""
        return Treatment.create(spec, 0, 7 * self.weeks,
                                adherence=self.program_adherence if spec.has_program else 1.0)


@dataclass(frozen=True)
class ArmResult:
    """One arm of a trial: counts, responder rates in three analyses (last observation carried
    forward, the primary one; baseline observation carried forward, ``_bocf``; completers,
    ``_completers``, None when nobody completed), changes from baseline (0-10 pain, 0-100 FIQR)
    and adverse events."""

    name: str
    n: int
    responders_30: float
    responders_50: float
    pain_baseline_mean: float
    fiqr_baseline_mean: float
    pain_change_mean: float
    pain_change_sd: float
    fiqr_change_mean: float
    any_ae: float
    adverse_events: dict[str, float]
    ae_dropout: float
    dropout: float
    completers: int
    responders_30_bocf: float
    responders_50_bocf: float
    responders_30_completers: float | None
    responders_50_completers: float | None
    pain_change_mean_completers: float | None
    pain_by_week: tuple[float, ...]
    responders_30_count: int
    responders_50_count: int

    def pain_change(self, week: int) -> float:
        """Mean pain at ``week`` minus mean pain at baseline (week 0; dropouts carried
        forward)."""
        return self.pain_by_week[week] - self.pain_by_week[0]

    def to_dict(self) -> dict:
        """The arm as in the ``fmsim trial`` JSON."""
        out = asdict(self)
        out["pain_by_week"] = list(self.pain_by_week)
        return out


@dataclass(frozen=True)
class Comparison:
    """An arm against the comparator (the first arm): risk ratios of at least 30% and 50% pain
    relief, the number needed to treat for 50%, and Hedges' g of the changes in pain, FIQR,
    fatigue, mood and sleep (negative favours the arm), each with its 95% interval."""

    arm: str
    vs: str
    rr_30: Estimate
    rr_50: Estimate
    nnt_50: Estimate
    smd_pain: Estimate
    smd_fiqr: Estimate
    smd_fatigue: Estimate
    smd_mood: Estimate
    smd_sleep: Estimate

    ESTIMATES = ("rr_30", "rr_50", "nnt_50", "smd_pain", "smd_fiqr", "smd_fatigue", "smd_mood",
                 "smd_sleep")

    def to_dict(self) -> dict:
        """``arm``, ``vs``, then each estimate as ``name`` and ``name_ci`` ([low, high])."""
        out: dict = {"arm": self.arm, "vs": self.vs}
        for name in self.ESTIMATES:
            out[name], out[f"{name}_ci"] = getattr(self, name).as_json()
        return out


ARM_FIELDS = tuple(f.name for f in fields(ArmResult))
"""The quantities of an arm (for validation targets)."""


def _interval(estimate: Estimate, fmt: str = ".2f") -> str:
    """``value [low, high]``; unbounded ends read -inf and inf."""
    value, (lo, hi) = estimate.as_json()
    if value is None:
        return "-"
    low = "-inf" if lo is None else format(lo, fmt)
    high = "inf" if hi is None else format(hi, fmt)
    return f"{value:{fmt}} [{low}, {high}]"


@dataclass(frozen=True, eq=False)
class TrialResult(PerPatient):
    """A trial's arms, its comparisons with the first arm, how many candidates were screened,
    and its patients: a dataset over ``patient`` and ``week`` (week 0 is baseline).

    Per-patient variables: ``arm`` (the arm's SPEC), ``parameters`` (patient, parameter),
    weekly readings (:attr:`TrialSpec.reading`) of ``pain``, ``fatigue``, ``sleep_quality`` and
    ``mood`` (0-10) and the
    ``fiqr`` (0-100) as observed (NaN after the patient left), ``dropout_week`` (the last week
    observed before leaving; -1 for those who completed), ``ae_dropout`` and ``any_ae``, and
    ``responder_30`` and ``responder_50`` (the primary analysis: last observation carried
    forward).
    """

    VISIT = "week"
    spec: TrialSpec
    arms: tuple[ArmResult, ...]
    comparisons: tuple[Comparison, ...]
    screened: int
    patients: xr.Dataset = field(repr=False)

    def arm(self, name: str) -> ArmResult:
        """The arm given as ``name`` (its SPEC as given)."""
        for a in self.arms:
            if a.name == name:
                return a
        raise FMSimError(f"no arm {name!r}; arms: {', '.join(a.name for a in self.arms)}")

    def comparison(self, name: str) -> Comparison:
        """The comparison of arm ``name`` with the first arm."""
        for c in self.comparisons:
            if c.arm == name:
                return c
        raise FMSimError(f"no comparison for {name!r}; compared: "
                         f"{', '.join(c.arm for c in self.comparisons)}")

    def to_dict(self) -> dict:
        """The DESIGN section 5 ``fmsim trial --json`` object."""
        return {"arms": [a.to_dict() for a in self.arms],
                "comparisons": [c.to_dict() for c in self.comparisons],
                "weeks": self.spec.weeks, "follow_up_weeks": self.spec.follow_up_weeks,
                "reading": self.spec.reading, "seed": self.spec.seed,
                "screened": self.screened}

    def rows(self) -> list[tuple[str, ...]]:
        """The arms as table rows of text, the header first: pain at baseline and its change
        (0-10, SD), responder rates, FIQR change, any adverse event, and the share who left
        the trial (for an adverse event)."""
        rows = [("arm", "n", "pain", "change (SD)", ">=30%", ">=50%", "FIQR", "any AE",
                 "left (AE)")]
        rows += [(a.name, str(a.n), f"{a.pain_baseline_mean:.1f}",
                  f"{a.pain_change_mean:+.2f} ({a.pain_change_sd:.2f})",
                  f"{a.responders_30:.0%}", f"{a.responders_50:.0%}",
                  f"{a.fiqr_change_mean:+.1f}", f"{a.any_ae:.0%}",
                  f"{a.dropout:.0%} ({a.ae_dropout:.0%})") for a in self.arms]
        return rows

    def analysis_rows(self) -> list[tuple[str, ...]]:
        """Each arm's responder rates (at least 30% / 50% relief) in the three analyses, as
        table rows of text, the header first."""
        def rates(low: float | None, high: float | None) -> str:
            return "-" if low is None else f"{low:.0%} / {high:.0%}"

        rows = [("arm", "LOCF (primary)", "BOCF (dropouts fail)", "completers", "completed")]
        rows += [(a.name, rates(a.responders_30, a.responders_50),
                  rates(a.responders_30_bocf, a.responders_50_bocf),
                  rates(a.responders_30_completers, a.responders_50_completers),
                  f"{a.completers} of {a.n}") for a in self.arms]
        return rows

    def comparison_rows(self, names: tuple[str, ...] = Comparison.ESTIMATES
                        ) -> list[tuple[str, ...]]:
        """The comparisons with the first arm as table rows of text (estimates with their 95%
        intervals), the header first."""
        rows = [("comparison", *names)]
        rows += [(f"{c.arm} vs {c.vs}", *(_interval(getattr(c, k), ".1f" if k == "nnt_50"
                                                    else ".2f") for k in names))
                 for c in self.comparisons]
        return rows

    def plot(self, path: str | Path) -> Path:
        """Mean weekly pain per arm and the responder rates (PNG)."""
        from .plots import plot_trial  # here: matplotlib only when drawing
        return plot_trial(self, path)


def _weekly(daily: np.ndarray, weeks: int, reading: str) -> np.ndarray:
    """(patients, days) -> (patients, weeks): each week's mean (``diary``) or its last day's
    rating (``visit``)."""
    if reading == "visit":
        return daily[:, 6 : 7 * weeks : 7]
    n = daily.shape[0]
    return daily[:, : 7 * weeks].reshape(n, weeks, 7).mean(axis=2)


def _completers(percent: np.ndarray, change: np.ndarray) -> tuple[float | None, ...]:
    """The completers analysis of one arm (None when nobody completed)."""
    if not percent.size:
        return None, None, None
    return (responder_rate(percent, 30), responder_rate(percent, 50), float(change.mean()))


def run_trial(spec: TrialSpec, *, executor: str | None = None,
              progress: Callable[[int, int], None] | None = None,
              cohort: xr.Dataset | None = None, model: ModelRef = None) -> TrialResult:
    """Run the trial (see the module docstring).

    ``cohort`` (a dataset as :func:`fmsim.population.fm_clinic_cohort` returns, one patient per
    patient of all arms, selected on the trial's reading) replaces enrolment: calibration
    re-runs one cohort's trial with other parameters; a cohort of another size, or selected on
    another reading, is refused. ``progress(done, total)`` counts enrolled patients.
    """
    check_executor(executor)
    model = resolve_model(model)
    rng = np.random.default_rng(spec.seed)
    k, n_arm = len(spec.arms), spec.n_per_arm
    n = k * n_arm
    screened = 0
    if cohort is None:
        cohort, screened = fm_clinic_cohort(n, seed=spec.seed, executor=executor,
                                            progress=progress, model=model,
                                            reading=spec.reading)
    elif cohort.sizes["patient"] != n:
        raise FMSimError(f"the cohort has {cohort.sizes['patient']} patients; the design needs "
                         f"{k} arms x {n_arm} = {n}")
    elif cohort.attrs.get("reading", spec.reading) != spec.reading:
        raise FMSimError(f"the cohort was selected on the {cohort.attrs['reading']} reading; "
                         f"the trial reads {spec.reading} (select it with reading="
                         f"{spec.reading!r})")
    arm = permuted_blocks(n, k, rng)
    # week 0 is the enrolment week itself (the screening week the cohort was selected on), so
    # regression to the mean happens as in real trials; treatment starts the day after it
    stop = 7 * spec.weeks
    days = stop + 7 * spec.follow_up_weeks
    treatments = [spec.treatment(a) for a in spec.arms]
    per_arm = arm_inputs([[t] for t in treatments], days)
    inputs = {name: u[arm] for name, u in per_arm.items()}
    ds = simulate(model, days, parameters_of(cohort), inputs, states_of(cohort),
                  stochastic=True, seed=spec.seed, record=LATENT)
    answers = diary(ds, seed=spec.seed)
    weeks_total = days // 7
    weekly = {s: np.column_stack([reading_of(cohort, s, spec.reading), _weekly(
        answers[s].values.astype(float), weeks_total, spec.reading)]) for s in SCORES}
    weekly["fiqr"] = np.column_stack([cohort["fiqr"].values] + [
        score_simulation(ds, "fiqr", 7 * w + 6, spec.seed).total for w in range(weeks_total)])

    # adverse events and dropouts, per arm's hazards, during treatment; the week is the last
    # complete week observed (baseline is week 0, treatment week w is week w)
    ae_week = np.full(n, NEVER)
    any_ae = np.zeros(n, dtype=bool)
    incidence: list[dict[str, float]] = [{} for _ in spec.arms]
    for j, treatment in enumerate(treatments):
        members = np.flatnonzero(arm == j)
        hazards = adverse_event_hazards([treatment], stop)
        if not hazards:
            continue
        events = {e: adverse_event_days(np.repeat(h[None, :], members.size, axis=0), rng)
                  for e, h in hazards.items()}
        any_ae[members] = np.any([d != NEVER for d in events.values()], axis=0)
        incidence[j] = {e: float(np.mean(d != NEVER)) for e, d in events.items()}
        leave = dropout_days(events, spec.discontinue, rng)
        ae_week[members] = np.where(leave == NEVER, NEVER, leave // 7)
    dropout_week = earliest(ae_week, withdrawal_weeks(n, spec.weeks, spec.withdraw, rng))
    stayed = dropout_week == NEVER
    ae_dropout = ~stayed & (ae_week == dropout_week)
    observed = {s: carry_forward(v, dropout_week) for s, v in weekly.items()}

    end = spec.weeks  # the last treatment week
    base_pain = observed["pain"][:, 0]
    change = {s: observed[s][:, end] - observed[s][:, 0] for s in (*SCORES, "fiqr")}
    percent = 100 * change["pain"] / np.maximum(base_pain, 1e-9)
    percent_bocf = np.where(stayed, percent, 0.0)  # a dropout is a non-responder

    groups = [np.flatnonzero(arm == j) for j in range(k)]
    resp = {t: [int(np.sum(percent[g] <= -t)) for g in groups] for t in (30, 50)}
    names = [str(a) for a in spec.arms]
    arms = []
    for j, (name, g) in enumerate(zip(names, groups, strict=True)):
        done = g[stayed[g]]
        arms.append(ArmResult(
            name, int(g.size),
            responder_rate(percent[g], 30), responder_rate(percent[g], 50),
            float(base_pain[g].mean()), float(observed["fiqr"][g, 0].mean()),
            float(change["pain"][g].mean()), float(change["pain"][g].std(ddof=1)),
            float(change["fiqr"][g].mean()), float(any_ae[g].mean()), incidence[j],
            float(ae_dropout[g].mean()), float(1 - stayed[g].mean()), int(stayed[g].sum()),
            responder_rate(percent_bocf[g], 30), responder_rate(percent_bocf[g], 50),
            *_completers(percent[done], change["pain"][done]),
            tuple(float(x) for x in observed["pain"][g].mean(axis=0)),
            resp[30][j], resp[50][j]))
    ref = groups[0]
    comparisons = []
    for j in range(1, k):
        g = groups[j]
        rr = {t: risk_ratio(resp[t][j], g.size, resp[t][0], ref.size) for t in (30, 50)}
        smd = {name: hedges_g(values[g], values[ref]) for name, values in (
            ("pain", change["pain"]), ("fiqr", change["fiqr"]), ("fatigue", change["fatigue"]),
            ("mood", change["mood"]), ("sleep", -change["sleep_quality"]))}
        comparisons.append(Comparison(
            names[j], names[0], rr[30], rr[50],
            number_needed_to_treat(resp[50][j], g.size, resp[50][0], ref.size),
            smd["pain"], smd["fiqr"], smd["fatigue"], smd["mood"], smd["sleep"]))

    visit = np.arange(weeks_total + 1)
    seen = stayed[:, None] | (visit[None, :] <= dropout_week[:, None])
    patients = cohort[["parameters"]].assign(
        {"arm": ("patient", np.array(names)[arm])}
        | {s: (("patient", "week"), np.where(seen, v, np.nan)) for s, v in weekly.items()}
        | {"dropout_week": ("patient", dropout_week), "ae_dropout": ("patient", ae_dropout),
           "any_ae": ("patient", any_ae), "responder_30": ("patient", percent <= -30),
           "responder_50": ("patient", percent <= -50)})
    patients = patients.assign_coords(week=visit)
    return TrialResult(spec, tuple(arms), tuple(comparisons), screened, patients)
