"""The twin's own calibration (issue 21, deliverable 7): simulation-based calibration and
predictive coverage, on diaries of virtual people drawn from the population prior.

For each of ``--n`` people: the fitted parameters drawn from their population priors (everyone
else the ``vulnerable`` preset, as the fit assumes), the person lives the history the fit
assumes (scenario ``fm-diary``: an injury on day 30) and logs from its day 760 (two years on)
``--days`` days plus four more weeks; the twin is fitted to the first ``--days`` days
(``--missing`` of them dropped, never the first or the last, so that the weeks ahead start
where the person's do; the four weeks ahead are whole, as the weekly means to predict).

* **SBC** (Talts et al. 2018, arXiv:1804.06788): the rank of each true value among the
  posterior draws; if the fit is calibrated the ranks are uniform. Reported: each parameter's
  rank histogram (``--bins`` bins) and a chi-square test of uniformity; and the same among
  the walkers' final positions alone (``sbc_final``, :func:`final_ensemble_test`), which are
  independent draws where the kept draws are not.
* **Predictive coverage**: the fit carried forward four weeks carrying on as now (the what-if
  machinery); the share of the four true weekly pain means inside the 50% and 90% posterior
  predictive intervals, as reported (bounds included) and under the randomized probability
  integral transform (``pit_``: a weekly mean of whole-number ratings lies on a grid of
  sevenths, where intervals with their bounds cover more than their rate even when calibrated;
  ``scripts/twin_oracle_coverage.py`` measures by how much); also split by the twin's verdict
  (its shrinkage rule,
  :data:`fmsim.twin.fit.MIN_SHRINKAGE`): the people it would answer and those it would tell
  "not enough data yet".

With ``--treatment SPEC DAY`` each person starts a drug on that diary day: **a treatment period
recovered** is the share of people whose twin's 90% interval for what the drug did to their
pain (``fmsim twin explain``) covers what it did (their run without it on the same noise).

With ``--vary NAME ...`` the people also differ from the twin's base person in those
parameters, drawn from their population priors but not fitted: a person outside the fitted
parameter set, as real people are (misspecification; the fitted parameters' ranks then show
what the twin makes of what it does not fit; ``--vary unfitted``: every one the twin integrates
over). The twin integrates over every parameter that differs between people and that it does
not fit (:data:`fmsim.twin.fit.INTEGRATED`; ``--integrate`` names others, or none): varied,
their ranks are reported too (a particle's values at the diary's end are a draw of their
posterior).

With ``--draw sobol`` the people's truths fill their priors evenly (:func:`evenly`) instead of
being drawn independently: each is still a draw from the prior, but a run's truths no longer
crowd one end of a prior by chance and move its rank histogram with them.

    python scripts/twin_calibration.py --n 200 --out docs/twin-calibration.json
    python scripts/twin_calibration.py --n 200 --resume docs/twin-calibration.json \
        --out docs/twin-calibration.json  # go on from an earlier, shorter run
    python scripts/twin_calibration.py --replot docs/twin-calibration.json  # the histograms
    python scripts/twin_calibration.py --replot docs/twin-calibration.json --part 100 200 \
        --out later.json  # people 100-199 read alone, as a sample of their own
    python scripts/twin_calibration.py --n 80 --vary unfitted \
        --out docs/twin-calibration-unfitted.json  # people differ in everything, integrated
    python scripts/twin_calibration.py --n 40 --vary unfitted --integrate sd_stress sd_sleep \
        sd_inflammation sd_load --out docs/twin-calibration-unfitted-noise.json  # ... only
        # the noise integrated over, the rest held at the base person's
    python scripts/twin_calibration.py --n 30 --days 120 --treatment duloxetine:60 60 \
        --out docs/twin-calibration-duloxetine.json  # a drug started on day 60 of 120
    python scripts/twin_calibration.py --n 256 --vary unfitted --draw sobol \
        --out twin-calibration-sobol.json  # truths filling their priors evenly
    python scripts/twin_calibration.py --n 60 --vary unfitted --fit sd_load \
        --out twin-calibration-sd-load.json  # a seventh parameter fitted, not integrated

One person takes about 75 s at the script's settings (the fit's 450 particles, 16 walkers, 80
steps, every second kept: a 60-day diary) on two cores.
"""

from __future__ import annotations

import argparse
import json
import time
import zlib
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np
from scipy.stats import chisquare, norm, qmc

from fmsim.errors import FMSimError
from fmsim.instruments.measurement import MeasurementModel
from fmsim.interventions.catalog import Treatment
from fmsim.model.models import resolve_model
from fmsim.population.priors import prior_cdf, prior_quantile, sample_prior
from fmsim.stats import interval_coverage
from fmsim.studies import load_scenario
from fmsim.studies.scenario import ScenarioSpec
from fmsim.twin import Diary, simulate_diary
from fmsim.twin.explain import drug_effects
from fmsim.twin.fit import FITTED, INTEGRATED, MIN_SHRINKAGE, TwinSpec, fit_twin
from fmsim.twin.likelihood import HISTORY, HISTORY_DAYS, check_integrated
from fmsim.twin.whatif import CARRY_ON, run_whatif

MODEL = "fm-v2"
AHEAD_WEEKS = 4
DRAWS = ("random", "sobol")
"""How the people's truths are drawn: independently from their priors (:func:`person`), or
filling them evenly (:func:`evenly`). A report drawn "even" is the eighth measurement's, whose
pairing of two Sobol' sequences :func:`evenly` no longer makes (docs/twin.md)."""


def person(rng: np.random.Generator, vary: tuple[str, ...] = ()) -> dict[str, float]:
    """The fitted parameters drawn from their population priors, then those of ``vary`` (the
    fitted ones' draws do not depend on ``vary``)."""
    registry = resolve_model(MODEL).registry.parameters
    return {name: float(sample_prior(registry[name].prior, registry[name].value, 1, rng)[0])
            for name in FITTED + vary}


def evenly(i: int, vary: tuple[str, ...] = ()) -> dict[str, float]:
    """Person ``i`` of a run whose truths fill their priors evenly: the fitted parameters and
    those of ``vary`` at the quantiles of the ``i``-th point of one scrambled Sobol' sequence
    (Sobol' 1967; SciPy's linear matrix scrambling and digital shift, Matousek 1998) with a
    dimension for every parameter whose prior varies, in a fixed order (the fitted six, the
    integrated ones, the rest), so that no value depends on ``vary``.

    Each scrambled point is uniform on the unit cube, so each person is still a draw from the
    prior, as simulation-based calibration asks; but the first ``2**m`` people hold exactly one
    point in each of the ``2**m`` equal slices of every prior, where independent draws crowd by
    chance (the sixth measurement: 55 of 200 sleep gains in their prior's lowest fifth, 40
    expected). A chi-square test of the ranks becomes conservative (under a calibrated fit it
    rejects less often than its level, far less for a parameter the diary tells little about,
    whose ranks follow the truths and so come out nearly flat by construction): a pass is
    weaker evidence than with independent draws.

    One sequence, not one for the fitted parameters and another for the rest: two sequences
    scrambled with different seeds pair their same dimensions over a run's people (the eighth
    measurement's, drawn so until session 18: the inflammatory gain's place in its prior
    correlated -0.94 with the HPA time constant's, the priming gain's 0.76 with stress's time
    constant; docs/twin.md), so that the run's people are no sample of priors independent of
    each other. Within one sequence the largest rank correlation of two parameters' places over
    200 people is about that of independent draws (0.24 against 0.25; 0.75 over the first 64),
    though a few pairs' places fall on a checkerboard (5 of 595 over 256 people), which no
    correlation shows."""
    registry = resolve_model(MODEL).registry.parameters
    names = (*FITTED, *INTEGRATED, *sorted(n for n, p in registry.items()
                                           if p.prior.varies and n not in FITTED + INTEGRATED))
    unknown = [n for n in vary if n not in names]
    if unknown:
        raise ValueError(f"{unknown}: no population prior to draw evenly from")
    u = qmc.Sobol(len(names), scramble=True, seed=2026).random_base2(
        int(np.ceil(np.log2(i + 1))))[i]
    return {name: float(prior_quantile(registry[name].prior, registry[name].value, q))
            for name, q in zip(names, u, strict=True) if name in FITTED or name in vary}


def lived(i: int, days: int, vary: tuple[str, ...] = (), draw: str = "random") -> tuple[
        dict[str, float], ScenarioSpec]:
    """Calibration person ``i`` (:func:`person`, or :func:`evenly` with ``draw`` "sobol") and
    their scenario: the past the fit assumes (:data:`HISTORY`), lived with their values, then
    ``days`` diary days."""
    if draw not in DRAWS:
        raise ValueError(f"draw {draw!r}: one of {DRAWS}")
    truth = (evenly(i, vary) if draw == "sobol"
             else person(np.random.default_rng([2026, i]), vary))
    history = load_scenario(HISTORY, MODEL)
    return truth, replace(history, name=f"sbc-{i}", parameters={**history.parameters, **truth},
                          days=HISTORY_DAYS + days)


def first_days(diary: Diary, days: int) -> list[dict]:
    """The rows of ``diary``'s first ``days`` days (the fitted window of a longer diary)."""
    end = (diary.start + timedelta(days=days)).isoformat()
    return [r for r in diary.to_records() if r["date"] < end]


def weekly_pain(run, seed: int) -> np.ndarray:
    """Weekly means of the diary pain that ``run``'s people answer (people x weeks; the
    measurement model's answers at ``seed``)."""
    pain = MeasurementModel(seed, model=MODEL).diary(run)["pain"].values
    return pain.reshape(pain.shape[0], -1, 7).mean(axis=2)


def one(i: int, days: int, missing: float, spec: TwinSpec, vary: tuple[str, ...] = (),
        treatment: tuple[str, int] | None = None, draw: str = "random") -> dict:
    truth, scenario = lived(i, days + 7 * AHEAD_WEEKS, vary, draw)
    if treatment is not None:  # started on a diary day and taken to the end
        scenario = scenario.with_additions(
            (Treatment.create(treatment[0], HISTORY_DAYS + treatment[1]),))
    # every day logged, so that the weeks ahead are the person's whole weeks; the fitted days
    # then lose their share of rows
    whole = simulate_diary(scenario, days + 7 * AHEAD_WEEKS, seed=1000 + i)
    records = first_days(whole.diary, days)
    kept = np.random.default_rng([1000 + i, 21]).random(len(records)) >= missing
    kept[[0, -1]] = True  # the fitted window's span stays the truth's: the weeks ahead align
    records = [r for r, k in zip(records, kept, strict=True) if k]
    fit = fit_twin(Diary.from_records(records), spec)
    post = fit.idata.posterior
    ranks = {name: int(np.sum(post[name].values.ravel() < truth[name]))
             for name in ranked(spec, vary)}
    draws = post.sizes["chain"] * post.sizes["draw"]
    final = {name: int(np.sum(post[name].values[:, -1] < truth[name]))  # the last step's walkers
             for name in ranked(spec, vary)}
    whatif = run_whatif(fit, ["usual-care"], weeks=AHEAD_WEEKS, seed=i)  # only carrying on is read
    ahead = whatif.summary.sel(plan=CARRY_ON, quantity="pain")
    pain = whole.diary.values["pain"].values[days:days + 7 * AHEAD_WEEKS]
    true_weeks = np.array([np.nanmean(pain[7 * w:7 * w + 7]) for w in range(AHEAD_WEEKS)])
    seen = ~np.isnan(true_weeks)
    predicted = whatif.samples.sel(plan=CARRY_ON, quantity="pain").values[:, seen]
    in50 = (ahead.sel(stat="q25").values <= true_weeks) & (true_weeks <= ahead.sel(
        stat="q75").values)
    in90 = (ahead.sel(stat="q05").values <= true_weeks) & (true_weeks <= ahead.sel(
        stat="q95").values)
    drug = {}
    if treatment is not None:
        (effect,) = drug_effects(fit, np.arange(draws), seed=i)
        real = whole.truth.effects[treatment[0]]["pain_change"]
        drug = {"drug": {"truth": real, "median": effect.median, "low": effect.low,
                         "high": effect.high, "covered_90": effect.low <= real <= effect.high}}
    return {"person": i, "truth": truth, "ranks": ranks, "draws": int(draws), **drug,
            "final_ranks": final, "walkers": int(post.sizes["chain"]),
            "ess": {name: None if np.isnan(d["ess"]) else round(d["ess"], 1)
                    for name, d in fit.diagnostics().items()},
            "covered_50": int(in50[seen].sum()), "covered_90": int(in90[seen].sum()),
            **{f"pit_{level}": round(float(interval_coverage(
                predicted, true_weeks[seen], level / 100).sum()), 4) for level in (50, 90)},
            "weeks": int(seen.sum()), "shrinkage": {k: round(v["shrinkage"], 3) for k, v in
                                                   fit.intervals().items()}}


def ranked(spec: TwinSpec, vary: tuple[str, ...]) -> tuple[str, ...]:
    """The parameters whose truth is ranked among the draws: the fitted ones, and the
    integrated ones that the people vary in."""
    return (*spec.fitted, *(n for n in spec.integrated if n in vary))


def plot(report: dict, path: Path) -> list[Path]:
    """The rank histograms of a report, one panel per parameter, with the band a uniform
    histogram falls in 99% of the time: the ranks among the kept draws at ``path``, and where
    the report has them (``sbc_final``) the ranks among the walkers' final positions beside it
    (``-final`` added to the name). Returns the paths written."""
    which = (f" (people {report['part'][0]} to {report['part'][1] - 1})" if "part" in report
             else "")
    paths = [_histograms(report["sbc"], report["n"], path, (
        f"Rank of the truth among the posterior draws, {report['n']} simulated diaries{which}"
        "\n(uniform if calibrated; grey: 99% band; orange: post-stratified on the truth's "
        "place in its prior)"))]
    final = report.get("sbc_final")
    if final and final["people"]:
        ranked_people = [r["person"] for r in report["people"] if "final_ranks" in r]
        paths.append(_histograms(
            {name: test for name, test in final.items() if name != "people"}, final["people"],
            path.with_name(f"{path.stem}-final{path.suffix}"),
            f"Rank of the truth among the walkers' final positions, {final['people']} "
            f"simulated diaries (people {ranked_people[0]} to {ranked_people[-1]})\n"
            "(independent draws, randomized ranks: uniform if calibrated; grey: 99% band)"))
    return paths


def _histograms(tests: dict[str, dict], people: int, path: Path, title: str) -> Path:
    """Draw one rank histogram per parameter and write it to ``path``.

    Parameters
    ----------
    tests : dict
        Parameter name -> its rank test's record (``histogram``, ``chi2_p``, and optionally
        ``stratified_histogram``, drawn as a step line).
    people : int
        How many people the histograms count (sets the 99% band of a uniform histogram).
    path : Path
        The PNG to write.
    title : str
        The figure's title.

    Returns
    -------
    Path
        ``path``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from scipy.stats import binom

    names = list(tests)
    columns = min(6, (len(names) + 1) // 2)
    rows = -(-len(names) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(1.8 * columns, 1.9 * rows + 0.6),
                             sharey=True, squeeze=False)
    for ax in axes.ravel()[len(names):]:
        ax.set_visible(False)
    for ax, name in zip(axes.ravel(), names, strict=False):
        hist = tests[name]["histogram"]
        lo, hi = binom.ppf([0.005, 0.995], people, 1 / len(hist))
        ax.axhspan(lo, hi, color="0.85")
        ax.bar(range(len(hist)), hist, color="tab:blue")
        if "stratified_histogram" in tests[name]:
            strata = tests[name]["stratified_histogram"]
            ax.step(np.arange(len(hist) + 1) - 0.5, [*strata, strata[-1]], where="post",
                    color="tab:orange", lw=1.5)
        ax.set_title(f"{name} (p {tests[name]['chi2_p']:.2g})", fontsize=9)
        ax.set_xticks([])
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> None:
    """The command line (``argv``, or the process's arguments)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=40, help="people (the issue asks 200)")
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--missing", type=float, default=0.0)
    ap.add_argument("--particles", type=int, default=TwinSpec.particles)
    ap.add_argument("--walkers", type=int, default=16)
    ap.add_argument("--steps", type=int, default=80)
    ap.add_argument("--bins", type=int, default=5)
    ap.add_argument("--out", default="twin-calibration.json")
    ap.add_argument("--resume", help="go on from this report (same settings) up to --n people")
    ap.add_argument("--replot", help="only draw the histograms of this report (a PNG beside it)")
    ap.add_argument("--part", nargs=2, type=int, metavar=("FIRST", "LAST"),
                    help="with --replot: read that report's people FIRST to LAST-1 alone "
                         "and write their report to --out")
    ap.add_argument("--treatment", nargs=2, metavar=("SPEC", "DAY"),
                    help="a drug each person starts on this diary day (and takes to the end)")
    ap.add_argument("--vary", nargs="+", default=(), metavar="NAME",
                    help="other parameters in which the people differ, drawn from their "
                         "population priors and not fitted ('unfitted': all the twin "
                         "integrates over by default)")
    ap.add_argument("--integrate", nargs="*", default=INTEGRATED, metavar="NAME",
                    help="the parameters the twin integrates over (default: every one that "
                         "differs between people and is not fitted; none when given without "
                         "names)")
    ap.add_argument("--fit", nargs="+", default=(), metavar="NAME",
                    help="parameters fitted besides the twin's six, no longer integrated over "
                         "(for example sd_load: docs/twin.md, Next 6)")
    ap.add_argument("--draw", choices=DRAWS, default="random",
                    help="the people's truths drawn independently from their priors, or "
                         "filling them evenly (a scrambled Sobol' sequence; see evenly)")
    args = ap.parse_args(argv)
    if list(args.vary) == ["unfitted"]:
        args.vary = INTEGRATED
    if args.part and not args.replot:
        raise SystemExit("--part reads a finished report: give it with --replot REPORT")
    if args.replot:
        path = Path(args.replot)
        report = json.loads(path.read_text())
        if args.part:  # that part of the report alone, written to --out
            path = Path(args.out)
            report = part(report, *args.part, args.bins)
            path.write_text(json.dumps(report, indent=1), encoding="utf-8")
        print(*plot(report, path.with_suffix(".png")), sep="\n")
        return
    extra = tuple(dict.fromkeys(n for n in args.fit if n not in FITTED))
    registry = resolve_model(MODEL).registry.parameters
    fixed = [n for n in extra if n not in registry or not registry[n].prior.varies
             or registry[n].prior.dist == "bernoulli"]
    if fixed:
        raise SystemExit(f"--fit {' '.join(fixed)}: no continuous population prior to fit "
                         "against (unknown, the same for everyone, or yes/no)")
    args.vary = tuple(dict.fromkeys((*args.vary, *extra)))  # the people differ in what is fitted
    try:  # refused here, before any person is fitted
        spec = TwinSpec(fitted=FITTED + extra, particles=args.particles, walkers=args.walkers,
                        steps=args.steps, burn=args.steps // 2, thin=2, seed=0,
                        integrated=tuple(n for n in args.integrate if n not in extra))
        check_integrated(MODEL, spec.fitted, spec.integrated)
    except FMSimError as error:
        raise SystemExit(f"--fit/--integrate/--walkers: {error}") from None
    results, start = [], time.time()
    if args.resume:  # the people of an earlier run at the same settings, then the rest
        earlier = json.loads(Path(args.resume).read_text())
        if (earlier["spec"] != spec_record(spec)
                or earlier["days"] != args.days or earlier["missing"] != args.missing
                or earlier.get("vary", []) != list(args.vary)
                or earlier.get("treatment") != args.treatment
                or earlier.get("draw", "random") != args.draw):
            raise SystemExit(f"{args.resume} was run with other settings")
        results = earlier["people"]
    treatment = None
    if args.treatment is not None:  # refused here, before any person is fitted
        drug, day = args.treatment
        if not day.isdigit() or int(day) >= args.days:
            raise SystemExit(f"--treatment {drug} {day}: DAY must be a diary day, 0 to "
                             f"{args.days - 1}")
        try:
            Treatment.create(drug, HISTORY_DAYS + int(day))
        except FMSimError as error:
            raise SystemExit(f"--treatment {drug} {day}: {error}") from None
        treatment = (drug, int(day))
    for i in range(len(results), args.n):  # rewritten after each person: a cut run keeps them
        results.append(one(i, args.days, args.missing, spec, tuple(args.vary), treatment,
                           args.draw))
        print(f"person {i}: {time.time() - start:.0f} s", flush=True)
        Path(args.out).write_text(json.dumps(summary(results, args, spec), indent=1),
                                  encoding="utf-8")
    report = summary(results, args, spec)  # also when resumed with no one left to fit
    Path(args.out).write_text(json.dumps(report, indent=1), encoding="utf-8")
    plot(report, Path(args.out).with_suffix(".png"))
    print(json.dumps({k: v for k, v in report.items() if k != "people"}, indent=1))
    weeks = sum(r["weeks"] for r in results)
    z = (report["coverage_90"] - 0.9) / np.sqrt(0.09 / weeks)
    print(f"90% coverage against 0.9: z {z:+.2f}, p {2 * norm.sf(abs(z)):.2f} (normal "
          f"approximation over {weeks} person-weeks)")


def spec_record(spec: TwinSpec) -> dict:
    """How the people were fitted, as a report records it (and a resumed run must match)."""
    return {**({"fitted": list(spec.fitted)} if spec.fitted != FITTED else {}),
            "particles": spec.particles, "walkers": spec.walkers, "steps": spec.steps,
            "burn": spec.burn, "thin": spec.thin,
            **({"integrated": list(spec.integrated)} if spec.integrated else {})}


def summary(results: list[dict], args: argparse.Namespace, spec: TwinSpec) -> dict:
    """The report of the people fitted so far: rank histograms, their chi-square tests and
    the predictive coverage."""
    report = {"n": len(results), "days": args.days, "missing": args.missing,
              **({"vary": list(args.vary)} if args.vary else {}),
              **({"treatment": args.treatment} if args.treatment else {}),
              **({"draw": args.draw} if args.draw != "random" else {}),
              "spec": spec_record(spec), "people": results}
    return report | analysed(results, ranked(spec, tuple(args.vary)), args.bins)


def part(report: dict, first: int, last: int, bins: int) -> dict:
    """``report`` read again over its people ``first`` to ``last - 1`` alone (``part``
    records which): for example a run's later people, fitted after its first reading, as a
    sample of their own."""
    if not 0 <= first < last <= report["n"]:
        raise SystemExit(f"--part {first} {last}: the report holds people 0 to "
                         f"{report['n'] - 1}; give FIRST < LAST <= {report['n']}")
    people = report["people"][first:last]
    settings = {k: report[k] for k in SETTINGS if k in report}  # nothing read from everyone
    return {"n": len(people), **settings, "part": [first, last], "people": people,
            **analysed(people, tuple(report["sbc"]), bins)}


SETTINGS = ("days", "missing", "vary", "treatment", "draw", "spec")
"""A report's keys that say how its people were drawn and fitted (:func:`summary`); the rest
is read from its people."""


def analysed(results: list[dict], names: tuple[str, ...], bins: int) -> dict:
    """The ``results``' rank histograms of ``names`` with their tests, and their coverage,
    also split by the twin's verdict."""
    draws = results[0]["draws"]
    out = {"sbc": {}}
    registry = resolve_model(MODEL).registry.parameters
    for name in names:
        ranks = np.array([r["ranks"][name] for r in results])
        hist = np.histogram(ranks, bins=bins, range=(0, draws + 1))[0]
        out["sbc"][name] = {"histogram": hist.tolist(),
                            "chi2_p": float(chisquare(hist).pvalue),
                            "mean_rank_fraction": float(ranks.mean() / draws)}
        try:  # the truths' places in their prior, to stratify on
            truths = prior_cdf(registry[name].prior, registry[name].value,
                               [r["truth"][name] for r in results])
        except FMSimError:  # a Bernoulli trait has no place in its prior to stratify on
            continue
        out["sbc"][name] |= stratified(ranks / (draws + 1), truths, bins)
    final = [r for r in results if "final_ranks" in r]
    if final:
        out["sbc_final"] = {"people": len(final), **{
            name: final_ensemble_test(final, name, bins) for name in names}}
    out |= coverage(results)
    # the twin's verdict, its shrinkage rule: does answering only when every fitted parameter
    # has narrowed by MIN_SHRINKAGE keep the answers' intervals at their rates?
    answers = [min(r["shrinkage"].values()) >= MIN_SHRINKAGE for r in results]
    out["by_verdict"] = {
        name: {"people": len(group), **coverage(group)} for name, group in (
            ("answered", [r for r, a in zip(results, answers, strict=True) if a]),
            ("not_enough_data", [r for r, a in zip(results, answers, strict=True) if not a]))}
    return out


def final_ensemble_test(results: list[dict], name: str, bins: int) -> dict:
    """The rank test on each fit's last step alone: the truth's rank among the walkers' final
    positions. The ranks among all kept draws assume independent draws (Talts et al. 2018);
    a walker's successive draws are not (a pseudo-marginal chain holds a lucky estimate for
    many steps), and a fit whose draws are a few dozen distinct positions puts the truth
    outside all of them far more often than 2 times in 321 even when it samples the right
    posterior: a U shape that can come from the draws' correlation rather than their spread
    (Talts et al. 2018 thin a chain to independent draws before ranking). An ensemble
    sampler's walkers are, once it has converged, independent draws of the posterior at any
    one step (its target is the posterior's product over the walkers: Goodman and Weare
    2010), so their final positions are the thinned draws. The rank among W walkers takes
    W + 1 values, which bins do not divide evenly; each is spread over its share of (0, 1) by
    a seeded uniform (a randomized rank, as the PIT of a count), so that a calibrated fit's
    are uniform."""
    u = np.array([(r["final_ranks"][name] + np.random.default_rng(
        [r["person"], zlib.crc32(name.encode())]).random()) / (r["walkers"] + 1)
        for r in results])
    hist = np.histogram(u, bins=bins, range=(0, 1))[0]
    return {"histogram": hist.tolist(), "chi2_p": float(chisquare(hist).pvalue),
            "mean_rank_fraction": float(u.mean()),
            "outside_every_walker": float(np.mean([r["final_ranks"][name] in (0, r["walkers"])
                                                   for r in results]))}


def stratified(ranks: np.ndarray, truths: np.ndarray, bins: int) -> dict:
    """A diagnostic beside the rank test: where the truths fall in their prior (``truths``,
    each person's prior quantile; ``truth_histogram`` and its chi-square ``truth_chi2_p``), and
    the rank histogram post-stratified on it (``ranks`` as fractions of the draws; each person
    weighed by the share of the prior's people in their truth's stratum over the share of the
    run's). Ranks follow the truths where a diary tells little (a posterior like the prior puts
    a truth from the prior's lowest fifth in the lowest fifth of its draws), so a run whose
    truths happen to crowd one end of the prior shows a rank histogram leaning that way even
    from a calibrated fit; post-stratified, that lean is gone and what stays is the fit's
    (Talts et al. 2018 assume truths drawn from the prior; post-stratification only corrects
    the draw's chance imbalance). Its chi-square on weighted counts is approximate."""
    strata = np.minimum((truths * bins).astype(int), bins - 1)
    counts = np.bincount(strata, minlength=bins)
    weights = len(ranks) / bins / counts[strata]
    hist = np.histogram(ranks, bins=bins, range=(0, 1), weights=weights)[0]
    return {"truth_histogram": counts.tolist(), "truth_chi2_p": float(chisquare(counts).pvalue),
            "stratified_histogram": np.round(hist, 2).tolist(),
            "stratified_chi2_p": float(chisquare(hist).pvalue),
            "stratified_mean_rank_fraction": float(np.average(ranks, weights=weights))}


def coverage(results: list[dict]) -> dict:
    """The share of the ``results``' weeks (and drugs) that their intervals cover: the
    intervals as reported (bounds included), and under the randomized probability integral
    transform (``pit_``, :func:`fmsim.stats.interval_coverage`; over the people that record
    it), which a calibrated forecast of a weekly mean on its grid of sevenths meets exactly."""
    weeks = sum(r["weeks"] for r in results)
    out = {"coverage_50": sum(r["covered_50"] for r in results) / weeks if weeks else None,
           "coverage_90": sum(r["covered_90"] for r in results) / weeks if weeks else None}
    recorded = [r for r in results if "pit_50" in r]
    if recorded:
        pit_weeks = sum(r["weeks"] for r in recorded)
        out |= {f"pit_coverage_{level}": sum(r[f"pit_{level}"] for r in recorded) / pit_weeks
                for level in (50, 90)} | {"pit_people": len(recorded)}
    if results and "drug" in results[0]:
        out["drug_covered_90"] = float(np.mean([r["drug"]["covered_90"] for r in results]))
    return out


if __name__ == "__main__":
    main()
