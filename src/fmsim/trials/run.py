"""A randomized virtual trial: enrol, randomize, treat, measure, count, compare.

The cohort is a selected FM-clinic cohort (:func:`fmsim.population.cohort.fm_clinic_cohort`: ACR
2016 positive, pain at least 4/10, matched to the baseline of FM trial cohorts). Patients are
allocated in permuted blocks. The baseline week is the enrolment week the cohort was selected on
(so regression to the mean happens as in real trials); then come ``weeks`` of each arm's
treatment and optional follow-up, all in stochastic mode. Pain, fatigue, sleep and mood are daily
diary answers with answer noise (the measurement model), averaged per week; the FIQR is answered
at the end of every week. Adverse events are drawn per patient from their arm's daily hazards,
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
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from ..engine import simulate
from ..errors import FMSimError
from ..instruments.measurement import LATENT, diary, score_simulation
from ..interventions.adverse import adverse_event_hazards, discontinue_probability
from ..interventions.catalog import Treatment, arm_inputs, parse_spec
from ..model.fm import fm_model
from ..model.registry import packaged_parameters
from ..population.cohort import SCORES, fm_clinic_cohort
from ..population.simulate import split_people
from .events import (
    NEVER,
    adverse_event_days,
    carry_forward,
    dropout_days,
    earliest,
    permuted_blocks,
    withdrawal_weeks,
)
from .stats import hedges_g, number_needed_to_treat, responder_rate, risk_ratio

__all__ = ["TrialDesign", "analysis_rows", "arm_rows", "conduct", "run_trial"]


@cache
def conduct() -> dict[str, float]:
    """Default trial conduct (``conduct.toml``): ``withdraw_weekly``, the weekly probability of
    leaving for a reason other than an adverse event, and ``adherence``, the share of program
    sessions attended."""
    return {k: v.value for k, v in packaged_parameters("fmsim.trials", "conduct.toml").items()}


@dataclass(frozen=True)
class TrialDesign:
    """A parallel-group trial; ``arms`` are SPECs, the first is the comparator of the others.

    ``discontinue`` is the probability that an adverse event makes a patient leave; by default
    the calibrated value (calibration.md A0.6, ``adverse.toml``). ``withdraw`` is the weekly
    probability of leaving for another reason and ``adherence`` the share of a program's
    sessions attended (``conduct.toml``; drugs are taken as prescribed).
    """

    arms: tuple[str, ...]
    weeks: int = 12
    n_per_arm: int = 100
    follow_up_weeks: int = 0
    discontinue: float = field(default_factory=discontinue_probability)
    withdraw: float = field(default_factory=lambda: conduct()["withdraw_weekly"])
    adherence: float = field(default_factory=lambda: conduct()["adherence"])
    seed: int = 0

    def __post_init__(self) -> None:
        if len(self.arms) < 2:
            raise FMSimError("a trial needs at least two arms (--arm SPEC --arm SPEC)")
        for spec in self.arms:
            parse_spec(spec)
        for label, value, lo in (("weeks", self.weeks, 1), ("n", self.n_per_arm, 2),
                                 ("follow-up weeks", self.follow_up_weeks, 0)):
            if not isinstance(value, int) or value < lo:
                raise FMSimError(f"{label} must be a whole number >= {lo}, not {value!r}")
        for label, p in (("discontinue", self.discontinue), ("withdraw", self.withdraw),
                         ("adherence", self.adherence)):
            if not 0 <= p <= 1:
                raise FMSimError(f"{label} must be a probability 0-1, not {p}")

    def treatment(self, spec: str) -> Treatment:
        """One arm's treatment over the treatment weeks; its programs attended at the trial's
        adherence."""
        has_program = any(c.entry.kind == "program" for c in parse_spec(spec))
        return Treatment.create(spec, 0, 7 * self.weeks,
                                adherence=self.adherence if has_program else 1.0)


def _weekly(daily: np.ndarray, weeks: int) -> np.ndarray:
    """(patients, days) -> (weeks, patients) weekly means."""
    n = daily.shape[0]
    return daily[:, : 7 * weeks].reshape(n, weeks, 7).mean(axis=2).T


def _completers(percent: np.ndarray, change: np.ndarray) -> dict[str, float | None]:
    """The completers analysis of one arm (None when nobody completed)."""
    if not percent.size:
        return dict.fromkeys(("responders_30_completers", "responders_50_completers",
                              "pain_change_mean_completers"))
    return {"responders_30_completers": responder_rate(percent, 30),
            "responders_50_completers": responder_rate(percent, 50),
            "pain_change_mean_completers": float(change.mean())}


def run_trial(design: TrialDesign, executor: str | None = None,
              progress: Callable[[int, int], None] | None = None,
              cohort: dict[str, np.ndarray] | None = None) -> dict:
    """Run the trial; returns the DESIGN section 5 ``fmsim trial`` JSON object.

    ``cohort`` (columns of :func:`fmsim.population.cohort.fm_clinic_cohort`, one row per
    patient of all arms) replaces enrolment: calibration re-runs one cohort's trial with
    other parameters."""
    rng = np.random.default_rng(design.seed)
    k, n_arm = len(design.arms), design.n_per_arm
    n = k * n_arm
    screened = 0
    if cohort is None:
        cohort, screened = fm_clinic_cohort(n, seed=design.seed, executor=executor,
                                            progress=progress)
    elif len(cohort["pain"]) != n:
        raise FMSimError(f"the cohort has {len(cohort['pain'])} patients; the design needs "
                         f"{k} arms x {n_arm} = {n}")
    params, states = split_people(cohort)
    arm = permuted_blocks(n, k, rng)
    # week 0 is the enrolment week itself (the screening week the cohort was selected on), so
    # regression to the mean happens as in real trials; treatment starts the day after it
    stop = 7 * design.weeks
    days = stop + 7 * design.follow_up_weeks
    treatments = [design.treatment(spec) for spec in design.arms]
    per_arm = arm_inputs([[t] for t in treatments], days)
    inputs = {name: u[:, arm] for name, u in per_arm.items()}
    ds = simulate(fm_model(), days, params, inputs, states, stochastic=True, seed=design.seed,
                  record=LATENT)
    answers = diary(ds, seed=design.seed)
    weeks_total = days // 7
    weekly = {s: np.vstack([cohort[s][None, :], _weekly(answers[s].values.astype(float),
                                                         weeks_total)])
              for s in SCORES}
    fiqr = np.array([cohort["fiqr"]] + [
        [r["total"] for r in score_simulation(ds, "fiqr", 7 * w + 6, design.seed)]
        for w in range(weeks_total)])

    # adverse events and dropouts, per arm's hazards, during treatment; the week is the last
    # complete week observed (baseline is week 0, treatment week w is week w)
    ae_week = np.full(n, NEVER)
    any_ae = np.zeros(n, dtype=bool)
    incidence: list[dict[str, float]] = [{} for _ in design.arms]
    for j, treatment in enumerate(treatments):
        members = np.flatnonzero(arm == j)
        hazards = adverse_event_hazards([treatment], stop)
        if not hazards:
            continue
        events = {e: adverse_event_days(np.repeat(h[:, None], members.size, axis=1), rng)
                  for e, h in hazards.items()}
        any_ae[members] = np.any([d != NEVER for d in events.values()], axis=0)
        incidence[j] = {e: float(np.mean(d != NEVER)) for e, d in events.items()}
        leave = dropout_days(events, design.discontinue, rng)
        ae_week[members] = np.where(leave == NEVER, NEVER, leave // 7)
    dropout_week = earliest(ae_week, withdrawal_weeks(n, design.weeks, design.withdraw, rng))
    stayed = dropout_week == NEVER
    ae_dropout = ~stayed & (ae_week == dropout_week)
    observed = {s: carry_forward(v, dropout_week) for s, v in weekly.items()}
    fiqr = carry_forward(fiqr, dropout_week)

    end = design.weeks  # the last treatment week
    base_pain = observed["pain"][0]
    change = {s: observed[s][end] - observed[s][0] for s in SCORES}
    percent = 100 * change["pain"] / np.maximum(base_pain, 1e-9)
    percent_bocf = np.where(stayed, percent, 0.0)  # a dropout is a non-responder
    fiqr_change = fiqr[end] - fiqr[0]

    groups = [np.flatnonzero(arm == j) for j in range(k)]
    resp = {t: [int(np.sum(percent[g] <= -t)) for g in groups] for t in (30, 50)}
    arms_out = []
    for j, (spec, g) in enumerate(zip(design.arms, groups, strict=True)):
        done = g[stayed[g]]
        arms_out.append({
            "name": spec, "n": int(g.size),
            "responders_30": responder_rate(percent[g], 30),
            "responders_50": responder_rate(percent[g], 50),
            "pain_baseline_mean": float(base_pain[g].mean()),
            "fiqr_baseline_mean": float(fiqr[0][g].mean()),
            "pain_change_mean": float(change["pain"][g].mean()),
            "pain_change_sd": float(change["pain"][g].std(ddof=1)),
            "fiqr_change_mean": float(fiqr_change[g].mean()),
            "any_ae": float(any_ae[g].mean()),
            "adverse_events": incidence[j],
            "ae_dropout": float(ae_dropout[g].mean()),
            "dropout": float(1 - stayed[g].mean()),
            "completers": int(stayed[g].sum()),
            "responders_30_bocf": responder_rate(percent_bocf[g], 30),
            "responders_50_bocf": responder_rate(percent_bocf[g], 50),
            **_completers(percent[done], change["pain"][done]),
            "pain_by_week": [float(x) for x in observed["pain"][:, g].mean(axis=1)],
            "responders_30_count": resp[30][j], "responders_50_count": resp[50][j],
        })
    comparisons = []
    ref = groups[0]
    for j in range(1, k):
        g = groups[j]
        row: dict = {"arm": design.arms[j], "vs": design.arms[0]}
        for t in (30, 50):
            row[f"rr_{t}"], row[f"rr_{t}_ci"] = risk_ratio(resp[t][j], g.size, resp[t][0],
                                                           ref.size).as_json()
        row["nnt_50"], row["nnt_50_ci"] = number_needed_to_treat(
            resp[50][j], g.size, resp[50][0], ref.size).as_json()
        for name, values in (("pain", change["pain"]), ("fiqr", fiqr_change),
                             ("fatigue", change["fatigue"]), ("mood", change["mood"]),
                             ("sleep", -change["sleep_quality"])):
            row[f"smd_{name}"], row[f"smd_{name}_ci"] = hedges_g(values[g], values[ref]).as_json()
        comparisons.append(row)
    return {"arms": arms_out, "comparisons": comparisons, "weeks": design.weeks,
            "follow_up_weeks": design.follow_up_weeks, "seed": design.seed,
            "screened": screened}


def arm_rows(result: dict) -> list[tuple[str, ...]]:
    """The arms of a trial result as table rows of text, the header first (for reports): pain
    at baseline and its change (0-10, SD), responder rates, FIQR change, any adverse event, and
    the share who left the trial (for an adverse event)."""
    rows = [("arm", "n", "pain", "change (SD)", ">=30%", ">=50%", "FIQR", "any AE",
             "left (AE)")]
    rows += [(a["name"], str(a["n"]), f"{a['pain_baseline_mean']:.1f}",
              f"{a['pain_change_mean']:+.2f} ({a['pain_change_sd']:.2f})",
              f"{a['responders_30']:.0%}", f"{a['responders_50']:.0%}",
              f"{a['fiqr_change_mean']:+.1f}", f"{a['any_ae']:.0%}",
              f"{a['dropout']:.0%} ({a['ae_dropout']:.0%})") for a in result["arms"]]
    return rows


def analysis_rows(result: dict) -> list[tuple[str, ...]]:
    """Each arm's responder rates (at least 30% / 50% relief) in the three analyses, as table
    rows of text, the header first."""
    def rates(a: dict, suffix: str) -> str:
        low, high = a[f"responders_30{suffix}"], a[f"responders_50{suffix}"]
        return "-" if low is None else f"{low:.0%} / {high:.0%}"

    rows = [("arm", "LOCF (primary)", "BOCF (dropouts fail)", "completers", "completed")]
    rows += [(a["name"], rates(a, ""), rates(a, "_bocf"), rates(a, "_completers"),
              f"{a['completers']} of {a['n']}") for a in result["arms"]]
    return rows
