"""The twin's particle filter checked alone: is its picture of where a person is now calibrated?

For each of ``--n`` people of the calibration (``scripts/twin_calibration.py``: the same draws,
and with ``--vary unfitted`` every parameter the twin does not fit drawn from its population prior
too), the filter runs once on the person's diary at the person's own values of every parameter,
so that the sampler plays no part. The rank of each true state at the diary's end among the
filter's final particles is uniform if the filter's state posterior is calibrated (the check of
Talts et al. 2018 applied to the states). Reported: each state's rank histogram (five bins), a
chi-square test of uniformity and the mean rank (0.5 if unbiased).

A miss in the twin's predictions that this check does not show lies in the posterior of the
fitted parameters (the sampler and its noisy likelihood), not in the filter (docs/twin.md).

With ``--forecast REPORT`` (a report of ``scripts/twin_calibration.py``) the share of the true
weekly pain means of the four weeks after the diary inside the 50% and 90% intervals (under the
randomized PIT) is set out for three forecasts: a perfect forecaster's (the person's own states
and noise at the diary's end, every parameter known: calibrated by construction, so what it
misses of the rates is the chance of these people's weeks), the filter's particles at the
person's own values, and the twin's own; for the people the twin's verdict answered and those
it held back, with the twin's shortfall against the perfect forecaster and its standard error
(docs/twin.md, "The forecasts beside a perfect forecaster").

    python scripts/twin_filter_check.py --n 120 --vary unfitted   # about 30 s
    python scripts/twin_filter_check.py \
        --forecast docs/twin-calibration-unfitted-carried.json   # its people; about 50 s
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.stats import chisquare

from fmsim.engine import simulate
from fmsim.engine.stepper import Stepper, noise_inputs
from fmsim.model.models import resolve_model
from fmsim.population import person as preset
from fmsim.stats import interval_coverage
from fmsim.studies.scenario import ScenarioSpec, scenario_initial
from fmsim.twin import Diary, simulate_diary
from fmsim.twin.fit import COLUMNS, INTEGRATED, MIN_SHRINKAGE
from fmsim.twin.likelihood import BASE_PERSON, NOISE, DiaryLikelihood
from fmsim.twin.whatif import RECORD

sys.path.insert(0, str(Path(__file__).parent))
from twin_calibration import AHEAD_WEEKS, DRAWS, MODEL, first_days, lived, weekly_pain

STATES = ("S", "I", "G", "CS", "Np", "D", "K", "B")
"""The states ranked: stress, inflammation, glia, sensitization, nociceptor sensitization, mood,
fitness and avoidance (priming is left out: at its ceiling in most people its ranks are
ties)."""


def filter_ranks(n: int, days: int = 60, vary: tuple[str, ...] = NOISE, particles: int = 450,
                 scale_w_pc: float = 1.0) -> dict[str, np.ndarray]:
    """Each state's rank fraction (people) of its true value at the diary's end among the
    filter's final particles; the filter at each person's own values (``scale_w_pc`` times the
    true priming gain: a wrong value, to show what a biased filter looks like)."""
    model = resolve_model(MODEL)
    ranks = {k: np.empty(n) for k in STATES}
    for i in range(n):
        truth, scenario = lived(i, days, vary)
        simulated = simulate_diary(scenario, days, seed=1000 + i)
        likelihood = DiaryLikelihood(simulated.diary, ("w_PC",), model=MODEL,
                                     particles=particles, seed=i, columns=COLUMNS,
                                     base={**preset(BASE_PERSON), **truth})
        states = likelihood.filter(np.array([[scale_w_pc * truth["w_PC"]]])).states
        own, _ = true_end(scenario, 1000 + i, scenario.days)  # where the filter's particles end
        for k in STATES:
            ranks[k][i] = np.mean(states[0, :, model.state_names.index(k)] < own[k])
    return ranks


def true_end(scenario: ScenarioSpec, seed: int, day: int
             ) -> tuple[dict[str, float], dict[str, float]]:
    """The states and noise with which the person of ``scenario`` (simulated as
    :func:`fmsim.twin.simulate_diary` simulates them at ``seed``) starts the scenario's ``day``:
    their run retraced in blocks (:class:`fmsim.engine.stepper.Stepper`, exactly the run
    :func:`fmsim.studies.scenario.run_scenario` makes)."""
    model = resolve_model(MODEL)
    stepper = Stepper.create(model, scenario.days, scenario.params(),
                             scenario.inputs(scenario.days), scenario_initial(scenario, model))
    rng = np.random.default_rng(seed)
    y, xi = stepper.start(rng)
    stepper.advance(y, xi, 0, day, rng)
    return (dict(zip(model.state_names, y[:, 0], strict=True)),
            dict(zip(noise_inputs(model), xi[:, 0], strict=True)))


def forecast_coverage(people: list[dict], days: int, vary: tuple[str, ...],
                      particles: int = 450, scale_w_pc: float = 1.0,
                      draw: str = "random") -> list[dict]:
    """For each person of a calibration report (``people``: its rows), the PIT coverage of
    the true weekly pain means of the four weeks after the diary at 50% and 90% (sums over the
    weeks) by three forecasts: from the person's own states and noise at the diary's end
    (``perfect``: calibrated by construction, so what it misses of the rates is these people's
    chance), from the filter's final particles at the person's own values (``known``;
    ``scale_w_pc`` as in :func:`filter_ranks`), and the twin's (the report's); with the twin's
    verdict (:data:`MIN_SHRINKAGE`). ``draw`` as the report drew its people
    (:func:`twin_calibration.lived`)."""
    ahead = 7 * AHEAD_WEEKS
    rows = []
    for row in people:
        i = row["person"]
        truth, scenario = lived(i, days + ahead, vary, draw)  # as the calibration's people lived
        whole = simulate_diary(scenario, days + ahead, seed=1000 + i)
        diary = Diary.from_records(first_days(whole.diary, days))
        likelihood = DiaryLikelihood(diary, ("w_PC",), model=MODEL, particles=particles,
                                     seed=i, columns=COLUMNS,
                                     base={**preset(BASE_PERSON), **truth})
        theta = np.array([[scale_w_pc * truth["w_PC"]]])
        end = likelihood.filter(theta)
        filtered = ({k: end.states[0, :, j]
                     for j, k in enumerate(likelihood.model.state_names)},
                    {k: end.noise[0, :, j]
                     for j, k in enumerate(noise_inputs(likelihood.model))})
        own = true_end(scenario, 1000 + i, scenario.days - ahead)
        params = likelihood.parameters(np.repeat(theta, particles, axis=0))
        true = whole.diary.values["pain"].values[days:days + ahead].reshape(
            AHEAD_WEEKS, 7).mean(axis=1)
        covered = {}
        for name, (start, noise) in (("known", filtered), ("perfect", own)):
            run = simulate(likelihood.model, ahead, params, {}, start, stochastic=True, seed=i,
                           record=RECORD, noise=noise)  # carried on as the twin's forecasts
            forecast = weekly_pain(run, i)
            covered |= {f"{name}_{level}": float(interval_coverage(forecast, true,
                                                                   level / 100).sum())
                        for level in (50, 90)}
        rows.append({"person": i, "weeks": AHEAD_WEEKS,
                     "answered": min(row["shrinkage"].values()) >= MIN_SHRINKAGE, **covered,
                     **{f"twin_{level}": row[f"pit_{level}"] for level in (50, 90)}})
    return rows


FORECASTS = ("perfect", "known", "twin")
"""The forecasts of :func:`forecast_coverage`'s rows."""


def shares(rows: list[dict]) -> dict[str, float | None]:
    """For :func:`forecast_coverage`'s ``rows`` (at least one): each forecast's coverage at 50%
    and 90% (``perfect_50`` ...: shares of the rows' weeks), and the twin's shortfall against
    the perfect forecaster on the same weeks (``less_50``, ``less_90``) with its standard error
    (``se_50``, ``se_90``; the person as the unit, since a person's four weeks are not
    independent; None for one person)."""
    weeks = sum(r["weeks"] for r in rows)
    out: dict[str, float | None] = {f"{k}_{v}": sum(r[f"{k}_{v}"] for r in rows) / weeks
                                    for k in FORECASTS for v in (50, 90)}
    for v in (50, 90):
        less = np.array([(r[f"twin_{v}"] - r[f"perfect_{v}"]) / r["weeks"] for r in rows])
        out[f"less_{v}"] = float(less.mean())
        out[f"se_{v}"] = (float(less.std(ddof=1) / np.sqrt(len(less))) if len(less) > 1
                          else None)
    return out


def groups(rows: list[dict]) -> dict[str, dict[str, float]]:
    """:func:`shares` of the people the twin's verdict answered, of those it held back, and of
    all (a group without people left out)."""
    return {name: {"people": len(group), **shares(group)} for name, group in (
        ("answered", [r for r in rows if r["answered"]]),
        ("held_back", [r for r in rows if not r["answered"]]), ("all", rows)) if group}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--particles", type=int, default=450)
    ap.add_argument("--vary", choices=("noise", "unfitted"), default="noise",
                    help="the people differ from the base person in the noise amplitudes, or "
                    "in every parameter the twin does not fit")
    ap.add_argument("--forecast", metavar="REPORT",
                    help="forecast coverage at the people's own values against the twin's, "
                         "for the people of this twin_calibration.py report (who differ as it "
                         "says, whatever --vary)")
    ap.add_argument("--out", metavar="FILE",
                    help="with --forecast: also write the coverage by group and person (JSON)")
    args = ap.parse_args()
    vary = NOISE if args.vary == "noise" else INTEGRATED
    if args.forecast:  # its people differ as the report says, whatever --vary
        try:
            report = json.loads(Path(args.forecast).read_text())
            people, days = report["people"], report["days"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise SystemExit(f"--forecast {args.forecast}: not a report of "
                             f"twin_calibration.py ({error})") from None
        draw = report.get("draw", "random")
        if draw not in DRAWS:
            raise SystemExit(f"--forecast {args.forecast}: its people were drawn {draw!r}, "
                             f"which this script no longer makes (it makes {', '.join(DRAWS)})")
        rows = forecast_coverage(people, days, tuple(report.get("vary", ())), args.particles,
                                 draw=draw)
        summary = groups(rows)
        if args.out:
            Path(args.out).write_text(json.dumps(
                {"report": args.forecast, "particles": args.particles, "groups": summary,
                 "people": rows}, indent=1), encoding="utf-8")
        print(f"{len(rows)} people of {args.forecast}: coverage of the next four weekly pain "
              "means (randomized PIT), 50% / 90%, percent; the twin's shortfall against a "
              "perfect forecaster of the same weeks, points, with its standard error")
        print("| people | n | own states and values (a perfect forecaster) | own values, "
              "filter's states | the twin | the twin less the perfect |")
        print("|---|---|---|---|---|---|")
        for name, g in summary.items():
            cells = [f"{100 * g[f'{k}_50']:.1f} / {100 * g[f'{k}_90']:.1f}" for k in FORECASTS]
            cells.append(" / ".join(
                f"{100 * g[f'less_{v}']:+.1f}" + ("" if g[f"se_{v}"] is None
                                                  else f" ± {100 * g[f'se_{v}']:.1f}")
                for v in (50, 90)))
            print(f"| {name.replace('_', ' ')} | {g['people']} | {' | '.join(cells)} |")
        return
    ranks = filter_ranks(args.n, args.days, vary, args.particles)
    print(f"{args.n} people, {args.days} days, {args.particles} particles, vary {args.vary}")
    print("| state | rank histogram (5 bins) | chi-square p | mean rank |")
    print("|---|---|---|---|")
    for k, r in ranks.items():
        hist = np.histogram(r, bins=5, range=(0, 1))[0]
        print(f"| `{k}` | {', '.join(map(str, hist))} | {chisquare(hist).pvalue:.2g} | "
              f"{r.mean():.2f} |")


if __name__ == "__main__":
    main()
