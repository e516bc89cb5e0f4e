"""The measurement model: how a virtual person answers a diary and the clinical questionnaires.

From a simulated result (an :mod:`xarray` Dataset from the engine) to

(a) daily diary answers on 0-10 (pain, fatigue, sleep quality, stress, mood, cognitive
    difficulty) and sleep hours, with seeded answer noise;
(b) the painful WPI areas of the past week: each person has a sensitivity per area, so pain
    spreads from a few areas to many as pain and central sensitization rise; the SSS items;
(c) all 21 FIQR items and the original FIQ items;
(d) physiological read-outs as a study measures them (plasma cytokines, pressure pain
    thresholds) and the PSQI.

Answers are arrays over people (patient first), scored by the same array scorers that score
real respondents (:mod:`fmsim.instruments.respondent`); :meth:`MeasurementModel.respondents`
shows one virtual person's answers as a real respondent would give them. Parameters are in
``measurement.toml`` with their evidence and tags.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import xarray as xr
from scipy.special import expit

from ..errors import FMSimError
from ..model.models import MODELS
from ..model.registry import packaged_parameters
from .areas import WPI_AREAS
from .criteria import (
    acr1990_scores,
    acr2010_scores,
    acr2011_scores,
    acr2016_scores,
    widespread_pain_1990_scores,
)
from .fiqr import FIQ_VAS_ITEMS, fiq_scores, fiqr_scores
from .psqi import PSQIScores, psqi_scores
from .respondent import INSTRUMENTS, Scores

__all__ = ["LATENT", "PSQI_LATENT", "MeasurementModel", "diary", "measured_readouts",
           "measurement_parameters", "respondents", "score_simulation"]

LATENT = ("P", "Fat", "SQ", "S", "D", "Cog", "CS", "Np", "K", "sleep_hours")
"""Model quantities the measurement model reads (record them when simulating)."""

PSQI_LATENT = ("SQ", "Fr", "sleep_hours", "sleep_efficiency", "Fat")
"""Model quantities the PSQI is answered from (past-week means)."""

_COMMON = {"neck", "upper-back", "lower-back", "shoulder-left", "shoulder-right"}
_RARE = {"jaw-left", "jaw-right", "chest", "abdomen"}
# task difficulty offsets (negative = harder): FIQR items 1-9, in order
_FIQR_TASKS = np.array([0.25, 0.0, 0.1, -0.15, -0.15, -0.05, -0.1, 0.0, 0.05])
_FIQ_TASKS = np.linspace(0.25, -0.15, 11)


@cache
def _measurement_values(overlay: str) -> dict[str, float]:
    values = {k: v.value for k, v in packaged_parameters(
        "fmsim.instruments", "measurement.toml").items()}
    if overlay:
        changes = packaged_parameters("fmsim.instruments", overlay)
        unknown = sorted(set(changes) - set(values))
        if unknown:
            raise FMSimError(f"{overlay}: {unknown} are not measurement parameters")
        values |= {k: v.value for k, v in changes.items()}
    return values


def measurement_parameters(model: str = "") -> dict[str, float]:
    """The measurement parameters of the shipped model named ``model`` (its
    :attr:`~fmsim.model.builder.Model.name`): ``measurement.toml`` changed by the model's own
    :attr:`~fmsim.model.builder.Model.measurement` file; ``measurement.toml`` as it is for any
    other name (a copy: callers may change it)."""
    overlay = next((m.measurement for m in (factory() for factory in MODELS.values())
                    if m.name == model), "")
    return dict(_measurement_values(overlay))


def _week(ds: xr.Dataset, day: int) -> dict[str, np.ndarray]:
    """Past-week means (days day-6..day) of the latent quantities, per patient."""
    tr = ds["trajectory"]
    names = set(tr.coords["variable"].values.tolist())
    missing = [n for n in LATENT if n not in names]
    if missing:
        raise FMSimError(f"the result lacks {missing}; simulate with record=None or include "
                         f"{list(LATENT)}")
    days = ds.sizes["day"]
    if not 0 <= day < days:
        raise FMSimError(f"day {day} is outside the simulated days 0-{days - 1}")
    window = tr.isel(day=slice(max(0, day - 6), day + 1))
    return {n: window.sel(variable=n).mean("day").values for n in LATENT}


@dataclass(frozen=True)
class MeasurementModel:
    """Maps a simulated result to answers.

    Parameters
    ----------
    seed : int
        Fixes people's regional sensitivities and symptom thresholds, and the answer noise.
    noise : bool
        Answer noise on or off (off: each person's expected answers).
    shared_traits : bool
        Give every patient column the same person's traits: for sweeps or scenario comparisons
        of one person.
    model : str
        The name of the model whose people answer (:attr:`Model.name
        <fmsim.model.builder.Model.name>`, as a simulation's ``attrs["model"]`` records it):
        the measurement parameters are that model's (:func:`measurement_parameters`).
    p : dict, optional
        The measurement parameters themselves (default: the model's).
    """

    seed: int = 0
    noise: bool = True
    shared_traits: bool = False
    model: str = ""
    p: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.p:
            self.p.update(measurement_parameters(self.model))

    def _rng(self, *key: int) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence([self.seed, *key]))

    def _jitter(self, shape, sd: float, *key: int) -> np.ndarray:
        return self._rng(*key).normal(0.0, sd, shape) if self.noise else np.zeros(shape)

    def person_traits(self, n: int) -> dict[str, np.ndarray]:
        """Per-person regional sensitivities (n, 19) and symptom thresholds (n,)."""
        rng = self._rng(0, 1 if self.shared_traits else n)
        p = self.p
        base = np.array([p["area_common"] if a in _COMMON else p["area_rare"] if a in _RARE
                         else 0.0 for a in WPI_AREAS])
        m = 1 if self.shared_traits else n
        traits = {
            "areas": base + rng.normal(0.0, p["area_sd"], (m, len(WPI_AREAS))),
            "headache": rng.normal(0.0, p["somatic_sd"], m),
            "abdominal": rng.normal(0.0, p["somatic_sd"], m),
        }
        return {k: np.broadcast_to(v, (n, *v.shape[1:])) for k, v in traits.items()}

    # ---- (a) diary
    def diary(self, ds: xr.Dataset) -> xr.Dataset:
        """Daily diary answers (integers 0-10; sleep hours to the half hour; minutes of
        activity when behavioural activity ``Act`` was recorded)."""
        tr = ds["trajectory"]
        latent = {
            "pain": tr.sel(variable="P"), "fatigue": tr.sel(variable="Fat"),
            "sleep_quality": tr.sel(variable="SQ"), "stress": tr.sel(variable="S"),
            "mood": tr.sel(variable="D"), "cognitive": tr.sel(variable="Cog"),
        }
        out = {}
        for i, (name, value) in enumerate(latent.items()):
            noisy = 10 * value.values + self._jitter(value.shape, self.p["sd_diary"], 1, i)
            out[name] = (("patient", "day"), np.clip(np.rint(noisy), 0, 10).astype(int))
        hours = tr.sel(variable="sleep_hours").values
        hours = hours + self._jitter(hours.shape, self.p["sd_sleep_hours"], 1, 99)
        out["sleep_hours"] = (("patient", "day"), np.clip(np.rint(hours * 2) / 2, 0, 24))
        if "Act" in tr.coords["variable"].values:
            active = self.p["activity_minutes_full"] * tr.sel(variable="Act").values
            active = active + self._jitter(active.shape, self.p["sd_activity_minutes"], 1, 98)
            out["activity_minutes"] = (("patient", "day"), np.clip(np.rint(active), 0, 1440))
        return xr.Dataset(out, coords={"patient": ds.coords["patient"], "day": ds.coords["day"]},
                          attrs={"scales": "0-10, 10 worst except sleep_quality (10 best)"})

    # ---- (b) WPI areas and symptom severity
    def painful_areas(self, week: dict, n: int, day: int,
                      traits: np.ndarray | None = None) -> np.ndarray:
        """Boolean (n, 19): which areas hurt in the past week (``traits``: the people's
        regional sensitivities, drawn if not given)."""
        spread = self.p["area_pain"] * week["P"] + self.p["area_cs"] * week["CS"]
        traits = self.person_traits(n)["areas"] if traits is None else traits
        noise = self._jitter(traits.shape, self.p["area_week_sd"], 2, day)
        return spread[:, None] + traits + noise > self.p["area_threshold"]

    def _severity(self, latent: np.ndarray, key: int, day: int) -> np.ndarray:
        value = latent + self._jitter(latent.shape, self.p["sss_sd"], 3, key, day)
        return np.digitize(value, [0.25, 0.5, 0.75])

    def _acr_answers(self, week: dict, n: int, day: int, months: np.ndarray
                     ) -> dict[str, np.ndarray]:
        traits = self.person_traits(n)
        somatic = 0.5 * week["CS"] + 0.5 * week["S"] - self.p["somatic_threshold"]
        return {
            "areas": self.painful_areas(week, n, day, traits["areas"]),
            "fatigue": self._severity(week["Fat"], 0, day),
            "unrefreshed": self._severity(1 - week["SQ"], 1, day),
            "cognitive": self._severity(week["Cog"], 2, day),
            "headache": somatic + traits["headache"] > 0,
            "abdominal": somatic + traits["abdominal"] > 0,
            "depression": week["D"] > self.p["depression_threshold"],
            "months": months,
        }

    # ---- (c) FIQR and FIQ
    def _impairment(self, week: dict) -> np.ndarray:
        p = self.p
        return (p["impair_pain"] * week["P"] + p["impair_fatigue"] * week["Fat"]
                + p["impair_unfit"] * (1 - week["K"]))

    def _burden(self, week: dict) -> np.ndarray:
        return 0.5 * week["P"] + 0.3 * week["Fat"] + 0.2 * week["D"]

    def _items(self, latent01: np.ndarray, key: int, day: int) -> np.ndarray:
        """0-10 integer answers from latent 0-1 values (n, k), with answer noise. Answers use
        the scale from ``item_floor`` to ``item_floor + item_range`` (people without symptoms
        still report some; people at the model's maximum rarely mark the end of the scale)."""
        scaled = self.p["item_floor"] + self.p["item_range"] * latent01
        noisy = 10 * scaled + self._jitter(latent01.shape, self.p["sd_item"], 4, key, day)
        return np.clip(np.rint(noisy), 0, 10).astype(int)

    def _fiqr_answers(self, week: dict, day: int) -> dict[str, np.ndarray]:
        p = self.p
        k = p["function_slope"]
        function = expit(k * (self._impairment(week)[:, None] - p["function_threshold"]
                              - _FIQR_TASKS[None, :]))
        overall = expit(k * (self._burden(week) - p["overall_threshold"]))[:, None]
        overall = np.repeat(overall, 2, axis=1)
        symptoms = np.stack([
            week["P"], week["Fat"],
            (1 - p["stiffness_cs"]) * week["P"] + p["stiffness_cs"] * week["CS"],
            1 - week["SQ"], week["D"], week["Cog"], week["S"],
            p["tenderness_cs"] * week["CS"] + (1 - p["tenderness_cs"]) * week["Np"],
            p["balance_scale"] * (week["Cog"] + week["Fat"]) / 2,
            p["environment_cs"] * week["CS"],
        ], axis=1)
        return {"items": np.concatenate([self._items(function, 0, day),
                                         self._items(overall, 1, day),
                                         self._items(np.clip(symptoms, 0, 1), 2, day)], axis=1)}

    def _fiq_answers(self, week: dict, day: int) -> dict[str, np.ndarray]:
        p = self.p
        k = p["function_slope"]
        impairment = self._impairment(week)
        subitems = 3 * expit(k * (impairment[:, None] - p["function_threshold"]
                                  - _FIQ_TASKS[None, :]))
        subitems = np.clip(np.rint(subitems + self._jitter(subitems.shape, 0.3, 5, day)), 0, 3)
        bad_days = 7 * expit(k * (self._burden(week) - p["overall_threshold"]))
        vas = np.stack([expit(k * (impairment - p["function_threshold"])), week["P"],
                        week["Fat"], 1 - week["SQ"],
                        (1 - p["stiffness_cs"]) * week["P"] + p["stiffness_cs"] * week["CS"],
                        week["S"], week["D"]], axis=1)
        return {"function": subitems.astype(int),
                "felt_good": np.clip(np.rint(7 - bad_days), 0, 7).astype(int),
                "missed_work": np.clip(np.rint(bad_days - 2), 0, 7).astype(int),
                "vas": self._items(vas, 6, day)}

    # ---- (d) physiological read-outs and the PSQI
    def readouts(self, latent: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Read-outs (each an array over people) as a study measures them.

        ``cytokines``: the model's index plus between-person variation it does not explain
        (body mass, age, assay; SD ``cytokine_sd``), so FM-control differences are diluted as
        in plasma studies; ``il6`` and ``tnf`` are two further assays of the same index, each
        with its own unexplained variation (the model has one cytokine index). ``ppt``: the
        model's relative threshold raised to ``ppt_exponent`` (an algometer threshold changes
        less than in proportion to the central pain gain). Both parameters are fitted to
        calibration.md C2.3-C2.5 and C4.6. ``temporal_summation``: the wind-up ratio raised
        to ``ts_exponent`` (1 in model v1; model v2 assumes the pressure threshold's
        compression, since both read the central gain through psychophysics). Each read-out
        of :data:`READOUT_SPREAD` is then multiplied by a person's factor of mean 1 whose
        coefficient of variation is the read-out's published between-person spread among
        healthy adults (what the assay shows of age, body build, genotype and the paradigm,
        which the model does not represent); 0 (model v1) passes the read-out through.
        """
        out = dict(latent)
        if "cytokines" in out:
            c = np.asarray(out["cytokines"], dtype=float)
            out["cytokines"] = c + self._jitter(c.shape, self.p["cytokine_sd"], 7)
            for k, assay in enumerate(("il6", "tnf"), start=1):
                out[assay] = c + self._jitter(c.shape, self.p["cytokine_sd"], 7, k)
        if "ppt" in out:
            out["ppt"] = np.asarray(out["ppt"], dtype=float) ** self.p["ppt_exponent"]
        if "temporal_summation" in out:
            out["temporal_summation"] = (np.asarray(out["temporal_summation"], dtype=float)
                                         ** self.p["ts_exponent"])
        for k, (name, cv) in enumerate(READOUT_SPREAD.items()):
            if name in out and self.p[cv] > 0:
                x = np.asarray(out[name], dtype=float)
                sigma = np.sqrt(np.log1p(self.p[cv] ** 2))
                out[name] = x * np.exp(self._jitter(x.shape, sigma, 9, k) - sigma**2 / 2)
        if "sleep_efficiency" in out:
            out["sleep_efficiency"] = np.minimum(out["sleep_efficiency"], 1.0)
        return out

    def psqi(self, latent: Mapping[str, np.ndarray]) -> PSQIScores:
        """The PSQI answered from past-week means of :data:`PSQI_LATENT` (arrays over people).

        Subjective quality from sleep quality, sleep latency and disturbances from the night's
        fragmentation (the model has no separate sleep-onset process), duration from the
        reported hours, efficiency from the model's sleep efficiency, daytime dysfunction
        from fatigue; no sleeping medication (populations without treatment). Each 0-3
        component is answered like the symptom-severity items, with their answer noise.
        """
        missing = [n for n in PSQI_LATENT if n not in latent]
        if missing:
            raise FMSimError(f"the PSQI needs the past-week means of {missing}")
        value = {n: np.asarray(latent[n], dtype=float) for n in PSQI_LATENT}
        hours = value["sleep_hours"] + self._jitter(value["SQ"].shape,
                                                    self.p["sd_sleep_hours"], 8, 99)
        return psqi_scores(
            quality=self._severity(1 - value["SQ"], 8, 1),
            latency=self._severity(value["Fr"], 8, 2),
            hours=np.clip(hours, 0, 24),
            efficiency=np.clip(value["sleep_efficiency"], 0, 1),
            disturbances=self._severity(value["Fr"], 8, 3),
            medication=np.zeros(value["SQ"].shape, dtype=int),
            dysfunction=self._severity(value["Fat"], 8, 4))

    # ---- the questionnaires, answered and scored
    def answers(self, ds: xr.Dataset, instrument: str, day: int) -> dict[str, np.ndarray]:
        """Every simulated person's answers to ``instrument`` on ``day`` (past-week recall), as
        arrays over people in the form the array scorers take."""
        if instrument not in INSTRUMENTS:
            raise FMSimError(f"unknown instrument {instrument!r}; allowed: "
                             f"{', '.join(INSTRUMENTS)}")
        week = _week(ds, day)
        n = ds.sizes["patient"]
        if instrument == "fiqr":
            return self._fiqr_answers(week, day)
        if instrument == "fiq":
            return self._fiq_answers(week, day)
        answers = self._acr_answers(week, n, day, self._symptom_months(ds, day))
        if instrument == "acr2010":
            answers["somatic"] = (answers.pop("headache").astype(int)
                                  + answers.pop("abdominal") + answers.pop("depression"))
        if instrument == "acr1990":
            count = answers["areas"].sum(axis=1)
            return {"tender_points": np.clip(np.rint(18 * count / 19), 0, 18).astype(int),
                    "areas": answers["areas"], "months": answers["months"]}
        return answers

    def score(self, ds: xr.Dataset, instrument: str, day: int) -> Scores:
        """Every simulated person's ``instrument`` scores on ``day``: arrays over people from
        the scorer that scores real respondents (``result(i)`` gives person ``i``'s)."""
        a = self.answers(ds, instrument, day)
        if instrument == "fiqr":
            return fiqr_scores(a["items"])
        if instrument == "fiq":
            return fiq_scores(a["function"], a["felt_good"], a["missed_work"], a["vas"])
        if instrument == "acr1990":
            return acr1990_scores(a["tender_points"], widespread_pain_1990_scores(a["areas"]),
                                  a["months"])
        severity = [a[k] for k in ("fatigue", "unrefreshed", "cognitive")]
        if instrument == "acr2010":
            return acr2010_scores(a["areas"], *severity, a["somatic"], a["months"])
        scorer = acr2016_scores if instrument == "acr2016" else acr2011_scores
        return scorer(a["areas"], *severity, a["headache"], a["abdominal"], a["depression"],
                      a["months"])

    def respondents(self, ds: xr.Dataset, instrument: str, day: int) -> list[dict]:
        """Every simulated person's answers as a real respondent's answer table (area names,
        yes/no, lists), to show them or to score them as :func:`score_respondent` would."""
        a = self.answers(ds, instrument, day)
        n = ds.sizes["patient"]
        rows = []
        for i in range(n):
            row = {}
            for key, values in a.items():
                if key == "areas":
                    row[key] = [area for area, hurts in zip(WPI_AREAS, values[i], strict=True)
                                if hurts]
                elif key == "vas":
                    row |= {k: int(v) for k, v in zip(FIQ_VAS_ITEMS, values[i], strict=True)}
                else:
                    row[key] = values[i].tolist()
            rows.append(row)
        return rows

    def _symptom_months(self, ds: xr.Dataset, day: int) -> np.ndarray:
        """Months of consecutive days, up to ``day``, with pain above the symptom threshold
        (limited by the simulated record)."""
        pain = ds["trajectory"].sel(variable="P").values[:, : day + 1]
        above = pain > self.p["symptom_pain_threshold"]
        run = np.argmin(above[:, ::-1], axis=1)  # days since the last day below threshold
        run = np.where(above.all(axis=1), above.shape[1], run)
        return run / 30.44


def _model_of(ds: xr.Dataset) -> str:
    """The name of the model that simulated ``ds`` (empty if it does not say)."""
    return str(ds.attrs.get("model", ""))


READOUT_SPREAD = {"muscle_blood_flow": "blood_flow_cv", "hrv": "hrv_cv", "cpm": "cpm_cv",
                  "temporal_summation": "ts_cv", "ppt": "ppt_cv", "tspo": "tspo_cv",
                  "sleep_efficiency": "sleep_efficiency_cv"}
"""Physiological read-out -> the measurement parameter of its unexplained between-person
spread (a coefficient of variation; see :meth:`MeasurementModel.readouts`)."""


def diary(ds: xr.Dataset, seed: int = 0, noise: bool = True) -> xr.Dataset:
    """Daily diary answers of every simulated person (see :class:`MeasurementModel`)."""
    return MeasurementModel(seed, noise, model=_model_of(ds)).diary(ds)


def measured_readouts(latent: Mapping[str, np.ndarray], seed: int = 0, noise: bool = True,
                      model: str = "") -> dict[str, np.ndarray]:
    """Read-outs as a study measures them (see :meth:`MeasurementModel.readouts`)."""
    return MeasurementModel(seed, noise, model=model).readouts(latent)


def respondents(ds: xr.Dataset, instrument: str, day: int, seed: int = 0,
                noise: bool = True, shared_traits: bool = False) -> list[dict]:
    """Every simulated person's answers to ``instrument`` on ``day``, one table each."""
    return MeasurementModel(seed, noise, shared_traits, _model_of(ds)).respondents(
        ds, instrument, day)


def score_simulation(ds: xr.Dataset, instrument: str, day: int, seed: int = 0,
                     noise: bool = True, shared_traits: bool = False) -> Scores:
    """Score every simulated person on ``day`` (arrays over people; see
    :meth:`MeasurementModel.score`)."""
    return MeasurementModel(seed, noise, shared_traits, _model_of(ds)).score(ds, instrument, day)
