"""Model v2's core: the seeded constraint search that chose its priming and sensitization values.

Each candidate is a set of the core parameters of :mod:`fmsim.model.fm.priming` (with the
vulnerability weight ``s_VC`` and opioid-induced hyperalgesia ``w_oih``). Every candidate lives
two kinds of lives, all of them columns of one engine run:

1. **The design's people** (DESIGN section 3, deterministic, two years): the healthy and the
   vulnerable woman with and without the built-in triggers, and a moderately vulnerable woman
   (vulnerability index 0.44, activity 0.5) after the injury. Required: the healthy, the
   untriggered and the moderately vulnerable stay unprimed and below 1.5/10; the vulnerable
   woman stays primed after each trigger with pain at least 4 from a month after it ends,
   at 6.5/10 two years on (calibration.md B1.12) with central sensitization at most 0.75 of its
   ceiling; her pain at the 5th and 95th centiles of the priming gain ``w_PC`` at least 3
   points apart (graded severity); a year of mu agonism at oxycodone 20 mg/day's level (0.5)
   from day 300 does not leave her with less pain than none (calibration.md A4.1-A4.3); two
   years of a sustained stressor of half a severe one raise her pain, without priming, to
   2.2-4.5.
2. **A population proxy**: 300 people from the priors (seed 5), each started unprimed, one year
   deterministic without and with a six-week injury of intensity 1 (the FM-clinic history's).
   Required: at least 3% are primed by the injury, at most 1% without it; among those primed,
   pain has median 6.5 (within 0.5), interquartile range at least 2.5 points and 75th centile
   at most 8.3, and central sensitization's median is at most 0.8.

The loss is the sum of squared hinge violations. Round 1 draws uniformly over ``SPACE``; each
later round perturbs the best 15 of the previous one (log-normal, SD 0.08).

    python scripts/v2_core.py --round 1 --seed 11 --n 3000 --out r1.npz
    python scripts/v2_core.py --round 2 --seed 21 --n 300 --previous r1.npz --out r2.npz
    python scripts/v2_core.py --report      # the shipped v2 against the requirements

On 2026-12-05 (docs/calibration.md, "Model v2"), after the symptom network
(``scripts/v2_symptoms.py``): round 1 (seed 11, 3,000 candidates, the design's people only);
rounds 2 and 3 (seeds 21 and 31, 300 each) with an earlier proxy that started the prior people
from the chronic state instead of injuring them; then, with the proxy above, rounds 2 and 3
again (seeds 22 and 32, 300 each, from seed 31's). Seed 32's best was rounded and shipped in
``parameters-v2.toml``. About 5 minutes a round of 300 on 2 cores. ``g_CS`` belongs to the
symptom network and is not searched here.
"""

from __future__ import annotations

import argparse

import numpy as np

from fmsim import load_scenario, resolve_model, simulate
from fmsim.population.priors import sample_parameters

MODEL = "fm-v2"
DAYS = 730
SPACE = {
    "w_PC": (0.4, 1.6), "theta_Pm": (1.0, 2.6), "w_CPm": (0.5, 2.5), "w_PP": (0.5, 1.5),
    "k_Pm": (5.0, 12.0), "s_VPm": (0.5, 2.5), "k_C": (2.0, 6.0),
    "theta_C": (1.0, 2.2), "w_GPm": (0.0, 1.0), "s_VC": (0.3, 1.6), "w_oih": (0.1, 1.0),
    "w_OPm": (0.0, 1.0), "sigma_PC": (0.1, 0.4), "hw_Pm": (0.0, 0.6),
}
"""Searched values; ``sigma_PC`` is the log-SD of the prior of ``w_PC`` and ``hw_Pm`` the
half-width of the uniform prior of ``theta_Pm`` (between-person spread)."""

MU_OXYCODONE = 0.5  # mu agonism at 20 mg/day (catalog ed50 20 mg/day)


def _lives():
    """(label, person overrides, daily inputs, trigger end, candidate transform) per life."""
    oxy = np.zeros(DAYS)
    oxy[300:665] = MU_OXYCODONE
    load = np.zeros(DAYS)
    load[30:] = 0.5

    def life(name, label=None, extra=None, person=None, transform=None):
        spec = load_scenario(name, MODEL)
        inputs = {k: np.asarray(v, float) for k, v in spec.inputs(DAYS).items()}
        for k, v in (extra or {}).items():
            inputs[k] = inputs.get(k, np.zeros(DAYS)) + v
        return (label or name, {**spec.params(), **(person or {})}, inputs, spec.trigger_end,
                transform)

    def spread(sign):
        return lambda c: {"w_PC": c["w_PC"] * np.exp(sign * 1.645 * c["sigma_PC"])}

    return [
        life("healthy"), life("vulnerable"), life("vulnerable-injury"), life("healthy-injury"),
        life("vulnerable-infection"), life("vulnerable-stress"),
        life("vulnerable-injury", "moderate-injury",
             person={"genetic": 0.5, "early_life": 0.2, "act_plan": 0.5}),
        life("vulnerable-injury", "low-gain", transform=spread(-1)),
        life("vulnerable-injury", "high-gain", transform=spread(+1)),
        life("vulnerable-injury", "oxycodone", extra={"mu_agonist": oxy}),
        life("vulnerable", "stressed", extra={"stress_input": load}),
    ]


def design_lives(c: dict[str, np.ndarray]):
    """Pain (0-10), CS and Pm of every candidate in every life: arrays (life, candidate, day)."""
    model = resolve_model(MODEL)
    n = len(c["w_PC"])
    lives = _lives()
    params, inputs = [], []
    for _, person, u, _, transform in lives:
        p = {k: np.full(n, float(v)) for k, v in person.items()}
        p.update({k: np.asarray(v, float) for k, v in c.items() if k in model.parameters})
        p.update(transform(c) if transform else {})
        params.append(p)
        inputs.append({k: np.broadcast_to(v, (n, DAYS)) for k, v in u.items()})
    values = model.registry.values()
    allp = {k: np.concatenate([p.get(k, np.full(n, values[k])) for p in params])
            for k in set().union(*params)}
    allu = {k: np.concatenate([u.get(k, np.zeros((n, DAYS))) for u in inputs])
            for k in set().union(*inputs)}
    tr = simulate(model, DAYS, allp, allu, record=("P", "CS", "Pm"))["trajectory"].values
    tr = tr.reshape(len(lives), n, DAYS, 3)
    return [life[0] for life in lives], [life[3] for life in lives], tr[..., 0] * 10, \
        tr[..., 1], tr[..., 2]


def proxy_lives(c: dict[str, np.ndarray], size: int = 300):
    """Pain, Pm and CS after a year of ``size`` prior people started unprimed, without (axis 0
    = 0) and with (1) a six-week injury of intensity 1 from day 30 (the FM-clinic history's):
    arrays (life, candidate, person)."""
    model = resolve_model(MODEL)
    n = len(c["w_PC"])
    people = sample_parameters(size, seed=5, registry=model.registry)
    rng = np.random.default_rng(99)
    u_pm, z_pc = rng.uniform(-1, 1, size), rng.standard_normal(size)

    def per(v):
        return np.repeat(np.asarray(v, float), size)

    p = {k: np.tile(v, n) for k, v in people.items()}
    p.update({k: per(v) for k, v in c.items() if k in model.parameters})
    p["w_PC"] = per(c["w_PC"]) * np.exp(per(c["sigma_PC"]) * np.tile(z_pc, n))
    p["theta_Pm"] = per(c["theta_Pm"]) + per(c["hw_Pm"]) * np.tile(u_pm, n)
    both = {k: np.concatenate([v, v]) for k, v in p.items()}
    injury = np.zeros((2 * n * size, 365))
    injury[n * size:, 30:72] = 1.0
    tr = simulate(model, 365, both, {"injury": injury}, record=("P", "Pm", "CS"))
    tr = tr["trajectory"].values[:, -1, :].reshape(2, n, size, 3)
    return tr[..., 0] * 10, tr[..., 1], tr[..., 2]


def _hinge(x):
    return np.maximum(x, 0.0) ** 2


def loss(c: dict[str, np.ndarray], proxy: bool = True, chronic_pain: float | None = 6.5,
         lasting_pain: float = 4.0, high_gain_pain: float = 4.0
         ) -> tuple[np.ndarray, list[dict]]:
    """The requirements' violation for every candidate, and what each candidate gave
    (``chronic_pain``: the vulnerable woman's pain two years after each trigger, within 0.4,
    None: not required; ``lasting_pain``: her least pain from a month after each trigger;
    ``high_gain_pain``: the same at the 95th centile of the priming gain)."""
    labels, ends, P, CS, Pm = design_lives(c)
    i = {label: k for k, label in enumerate(labels)}
    total = np.zeros(P.shape[1])
    for s in ("healthy", "vulnerable", "healthy-injury", "moderate-injury"):
        total += 10 * _hinge(Pm[i[s], :, -1] - 0.1) + _hinge(P[i[s], :, -1] - 1.5)
    for s in ("healthy", "vulnerable"):
        total += _hinge(P[i[s]].max(axis=-1) - 2.0)
    for s in ("vulnerable-injury", "vulnerable-infection", "vulnerable-stress", "low-gain",
              "high-gain"):
        k = i[s]
        total += 10 * _hinge(0.8 - Pm[k, :, -1])
        total += 10 * _hinge(CS[k, :, -1] - (0.97 if s == "high-gain" else 0.75))
        if s != "low-gain":
            least = high_gain_pain if s == "high-gain" else lasting_pain
            total += _hinge(least - P[k, :, ends[k] + 30:].min(axis=-1))
    for s in ("vulnerable-injury", "vulnerable-infection", "vulnerable-stress"):
        if chronic_pain is not None:
            total += _hinge(np.abs(P[i[s], :, -1] - chronic_pain) - 0.4)
    total += _hinge(3.0 - (P[i["high-gain"], :, -1] - P[i["low-gain"], :, -1]))
    opioid_relief = P[i["vulnerable-injury"], :, 660] - P[i["oxycodone"], :, 660]
    total += 3 * _hinge(opioid_relief - 0.2)
    stressed = P[i["stressed"], :, -1]
    total += _hinge(2.2 - stressed) + _hinge(stressed - 4.5) + 10 * _hinge(
        Pm[i["stressed"], :, -1] - 0.3)
    report = [{"pain": dict(zip(labels, np.round(P[:, j, -1], 1).tolist(), strict=True)),
               "CS": round(float(CS[i["vulnerable-injury"], j, -1]), 3),
               "opioid relief": round(float(opioid_relief[j]), 2)} for j in range(P.shape[1])]
    if proxy:
        PP, PPm, PCS = proxy_lives(c)
        for j in range(PP.shape[1]):
            stay = PPm[1, j] > 0.5
            frac, spont = stay.mean(), (PPm[0, j] > 0.5).mean()
            q25, q50, q75 = np.percentile(PP[1, j][stay], [25, 50, 75]) if stay.sum() >= 5 \
                else (0.0, 0.0, 0.0)
            cs = np.median(PCS[1, j][stay]) if stay.sum() >= 5 else 1.0
            total[j] += (1000 * _hinge(0.03 - frac) + 1000 * _hinge(spont - 0.01)
                         + _hinge(abs(q50 - 6.5) - 0.5) + _hinge(2.5 - (q75 - q25))
                         + 10 * _hinge(cs - 0.8) + _hinge(q75 - 8.3))
            report[j] |= {"primed by the injury": round(float(frac), 3),
                          "primed pain quartiles": [round(float(q), 1) for q in (q25, q50, q75)],
                          "primed CS median": round(float(cs), 2)}
    return total, report


def shipped() -> dict[str, np.ndarray]:
    """The shipped v2 as a one-candidate search point."""
    reg = resolve_model(MODEL).registry.parameters
    c = {k: np.array([reg[k].value]) for k in SPACE if k in reg}
    c["sigma_PC"] = np.array([reg["w_PC"].prior.sigma])
    lo, hi = reg["theta_Pm"].prior.bounds
    c["hw_Pm"] = np.array([(hi - lo) / 2])
    return c


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--round", type=int, default=1)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--previous", help="the .npz of the previous round")
    ap.add_argument("--out", default="v2_core.npz")
    ap.add_argument("--report", action="store_true", help="the shipped v2's values")
    args = ap.parse_args()
    if args.report:
        total, report = loss(shipped())
        print(f"violation {total[0]:.3f}", report[0])
        return
    rng = np.random.default_rng(args.seed)
    if args.previous:
        prev = np.load(args.previous)
        pick = rng.choice(np.argsort(prev["loss"])[:15], args.n)
        c = {k: np.clip(prev[k][pick] * np.exp(rng.normal(0.0, 0.08, args.n)), *r)
             for k, r in SPACE.items()}
    else:
        c = {k: rng.uniform(*r, args.n) for k, r in SPACE.items()}
    total, report = loss(c, proxy=args.round > 1)
    for j in np.argsort(total)[:5]:
        print(f"{total[j]:.3f}", {k: round(float(v[j]), 3) for k, v in c.items()}, report[j])
    np.savez(args.out, loss=total, **c)


if __name__ == "__main__":
    main()
