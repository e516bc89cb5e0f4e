"""``fmsim validate``: the model against every calibration.md target it addresses.

Four virtual experiments produce the model's quantities:

* a general population (:func:`fmsim.population.cohort.screen`, ``general`` history):
  prevalence, sex ratio, FIQR with and without FM, and the physiological read-outs of people
  with FM against those without (Hedges g);
* a 12-week multi-arm drug trial against placebo in one selected FM-clinic cohort (placebo,
  duloxetine 20/60/120, milnacipran 100, pregabalin 300/450/600, ibuprofen 2400): responder
  rates, risk ratios, NNT, adverse events, dropouts, drug minus placebo by week, and the
  cohort's baseline;
* a 12-week exercise trial against attention control (aerobic, resistance, aquatic): Hedges g
  for pain, fatigue and mood, the mean pain g of the three programs (``exercise.any``, for the
  pooled "any exercise" meta-analysis), and the control arm's FIQ change. The published
  exercise trials were controlled by treatment as usual, attention placebo or active therapies
  (Hauser 2010); attention control is the middle of these;
* a 52-week trial of oxycodone against usual care (``opioid``): the one-year outcome that
  observational cohorts compare between opioid users and non-users (calibration.md A4.3).

Each target of ``targets.toml`` names one quantity, the published value, and the interval the
model must fall in; ``fitted`` marks the targets the calibration used, every other target is a
prediction.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from ..errors import FMSimError
from ..population.cohort import CHUNK, fm_clinic_cohort, general_population, prevalence_ratio
from ..population.executors import run_chunks
from ..population.phenotype import compare
from ..trials.run import TrialDesign, run_trial

__all__ = ["DRUG_ARMS", "EXERCISE_ARMS", "OPIOID_ARMS", "Target", "load_targets",
           "model_quantities", "trial_quantities", "validate"]

DRUG_ARMS = ("placebo", "duloxetine:60", "duloxetine:20", "duloxetine:120", "milnacipran:100",
             "pregabalin:300", "pregabalin:450", "pregabalin:600", "ibuprofen:2400")
EXERCISE_ARMS = ("attention-control", "aerobic", "resistance", "aquatic")
OPIOID_ARMS = ("usual-care", "oxycodone")
OPIOID_WEEKS = 52
CHECKS = ("value", "ci_contains", "ci_above", "ci_below", "ci_not_below")


@dataclass(frozen=True)
class Target:
    """One published target (see ``targets.toml``)."""

    id: str
    quantity: str
    model: str
    published: float
    rule: str
    interval: tuple[float, float] | None = None
    check: str = "value"
    fitted: bool = False

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
    """The targets of ``targets.toml``."""
    text = resources.files("fmsim.validation").joinpath("targets.toml").read_text("utf-8")
    out = []
    for raw in tomllib.loads(text)["target"]:
        target = Target(**{**raw, "interval": tuple(raw["interval"]) if "interval" in raw
                           else None})
        if target.check not in CHECKS or (target.check == "value") != bool(target.interval):
            raise FMSimError(f"target {target.id}: check must be one of {CHECKS}, with an "
                             "interval exactly when it is 'value'")
        out.append(target)
    return tuple(out)


Quantities = dict[str, tuple[float | None, tuple[float, float] | None]]


def _general(n: int, seed: int, executor: str | None,
             progress: Callable[[int, int], None] | None) -> Quantities:
    people = run_chunks(general_population, n, seed=seed, chunk_size=CHUNK, executor=executor,
                        progress=progress)
    fm = people["acr2016"].astype(bool)
    female = people["param_female"] > 0.5
    if fm.sum() < 2:
        raise FMSimError(f"only {int(fm.sum())} of {n} people met the criteria; use a larger "
                         "--n-general")
    groups = compare(people, seed)
    q: Quantities = {
        "general.prevalence": (float(fm.mean()), None),
        "general.fiqr_fm": (float(people["fiqr"][fm].mean()), None),
        "general.fiqr_no_fm": (float(people["fiqr"][~fm].mean()), None),
    }
    q["general.sex_ratio_prevalence"] = (prevalence_ratio(fm, female), None)
    for name in ("muscle_blood_flow", "cytokines", "tspo"):
        q[f"general.g_{name}"] = (groups["hedges_g"][name], tuple(groups["hedges_g_ci"][name]))
    q["general.ppt_ratio"] = (groups["absolute"]["ppt_ratio"], None)
    return q


def trial_quantities(result: dict, comparator: str, prefix: str) -> Quantities:
    """Every quantity of a trial result as ``{prefix}.{arm}.{key}: (value, ci)``: the arms'
    rates and changes, each event's incidence, change minus the ``comparator``'s by week
    (``minus_{comparator}_week_{w}``), share with any adverse event minus the comparator's
    (``any_ae_minus_{comparator}``), adverse-event dropout ratio, and the comparisons."""
    arms = {a["name"]: a for a in result["arms"]}
    ref = arms[comparator]
    q: Quantities = {}
    for name, a in arms.items():
        for key in ("responders_30", "responders_50", "responders_30_bocf",
                    "responders_50_bocf", "any_ae", "ae_dropout", "dropout",
                    "pain_change_mean", "fiqr_change_mean"):
            q[f"{prefix}.{name}.{key}"] = (a[key], None)
        for event, rate in a["adverse_events"].items():
            q[f"{prefix}.{name}.event_{event}"] = (rate, None)
        weeks = len(a["pain_by_week"])
        for w in range(1, weeks):
            diff = (a["pain_by_week"][w] - a["pain_by_week"][0]
                    - ref["pain_by_week"][w] + ref["pain_by_week"][0])
            q[f"{prefix}.{name}.minus_{comparator}_week_{w}"] = (diff, None)
        q[f"{prefix}.{name}.any_ae_minus_{comparator}"] = (a["any_ae"] - ref["any_ae"], None)
        ratio = a["ae_dropout"] / ref["ae_dropout"] if ref["ae_dropout"] else None
        q[f"{prefix}.{name}.ae_dropout_ratio"] = (ratio, None)
    for c in result["comparisons"]:
        for key, value in c.items():
            if key in ("arm", "vs") or key.endswith("_ci"):
                continue
            ci = c.get(f"{key}_ci")
            q[f"{prefix}.{c['arm']}.{key}"] = (value, tuple(ci) if ci else None)
    for a, b in (("duloxetine:120", "duloxetine:60"),):
        if a in arms and b in arms:
            q[f"{prefix}.{a}-{b}.responders_50"] = (
                arms[a]["responders_50"] - arms[b]["responders_50"], None)
    return q


def model_quantities(n_per_arm: int = 2000, n_general: int = 24000, seed: int = 0,
                     executor: str | None = None,
                     progress: Callable[[int, int], None] | None = None) -> Quantities:
    """Run the four experiments; every quantity a target can name, as ``(value, ci)``.

    ``progress(done, 100)`` reports percent done (the parts weighted by their usual time)."""
    def part(start: int, share: int) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        return lambda done, total: progress(start + share * done // max(total, 1), 100)

    q = _general(n_general, seed, executor, part(0, 15))
    design = TrialDesign(DRUG_ARMS, weeks=12, n_per_arm=n_per_arm, seed=seed)
    cohort, _ = fm_clinic_cohort(len(DRUG_ARMS) * n_per_arm, seed=seed, executor=executor,
                                 progress=part(15, 40))
    female = cohort["param_female"] > 0.5
    q.update({"cohort.female_share": (float(female.mean()), None),
              "cohort.pain_mean": (float(10 * cohort["pain"].mean()), None),
              "cohort.fiqr_mean": (float(cohort["fiqr"].mean()), None),
              "cohort.fatigue_mean": (float(cohort["fatigue"].mean()), None),
              "cohort.psd_median": (float(np.median(cohort["psd"])), None)})
    q.update(trial_quantities(run_trial(design, cohort=cohort), "placebo", "trial"))
    exercise = TrialDesign(EXERCISE_ARMS, weeks=12, n_per_arm=n_per_arm, seed=seed + 1)
    q.update(trial_quantities(run_trial(exercise, executor=executor, progress=part(65, 20)),
                               "attention-control", "exercise"))
    g = [q[f"exercise.{arm}.smd_pain"][0] for arm in EXERCISE_ARMS[1:]]
    q["exercise.any.smd_pain"] = (float(np.mean(g)) if None not in g else None, None)
    opioid = TrialDesign(OPIOID_ARMS, weeks=OPIOID_WEEKS, n_per_arm=n_per_arm // 2,
                         seed=seed + 2)
    q.update(trial_quantities(run_trial(opioid, executor=executor, progress=part(85, 15)),
                               "usual-care", "opioid"))
    if progress:
        progress(100, 100)
    return q


def validate(n_per_arm: int = 2000, n_general: int = 24000, seed: int = 0,
             executor: str | None = None,
             progress: Callable[[int, int], None] | None = None) -> dict:
    """The ``fmsim validate`` JSON object: ``pass_fraction`` and ``targets``, a list of
    ``{id, quantity, model, published, interval, pass}`` (plus ``ci``, ``rule``, ``fitted``)."""
    q = model_quantities(n_per_arm, n_general, seed, executor, progress)
    rows = []
    for t in load_targets():
        value, ci = q.get(t.model, (None, None))
        rows.append({"id": t.id, "quantity": t.quantity, "model": value, "ci": ci,
                     "published": t.published, "interval": t.interval, "check": t.check,
                     "rule": t.rule, "fitted": t.fitted, "pass": t.passes(value, ci)})
    passed = [r["pass"] for r in rows]
    predictions = [r["pass"] for r in rows if not r["fitted"]]
    return {"pass_fraction": float(np.mean(passed)),
            "pass_fraction_predictions": float(np.mean(predictions)) if predictions else None,
            "n_per_arm": n_per_arm, "n_general": n_general, "seed": seed, "targets": rows}
