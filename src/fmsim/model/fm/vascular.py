"""Muscle perfusion, endothelial capacity and ischemic metabolites.

Perfusion follows a reduced form of Roy & Secomb (2014): capacity (endothelial/microvascular
``E``) times metabolic dilation, reduced by sympathetic vasoconstriction that exercise demand
partly overrides (functional sympatholysis). Metabolites rise when demand outruns perfusion; two
Hill thresholds turn them into a fatigue signal (low) and a nociceptive signal (high), as Pollak
et al. (2014) showed with metabolite infusions. ``E`` adapts to regular shear stress over about
four weeks (Guyton long-term autoregulation; training raises vasodilator capacity 20-30%).

References
----------
Roy TK, Secomb TW (2014), doi:10.3389/fphys.2014.00192; Pollak KA et al. (2014),
doi:10.1113/expphysiol.2013.075812; Gerdle B et al. (2010, 2016); Elvin A et al. (2006),
doi:10.1016/j.ejpain.2005.02.001; Katz DL et al. (2007), doi:10.1016/j.mehy.2005.10.037.
"""

from __future__ import annotations

from ..builder import ModelBuilder
from ..ops import hill, sigmoid


def demand(v):
    """Absolute muscle work of the day: habitual activity plus exercise sessions."""
    return v.w_act * v.Act + v.exercise


def relative_demand(v):
    """Work relative to the person's capacity (fitness raises capacity)."""
    return v.W_abs / (1 + v.kappa_K * v.K)


def perfusion_at(v, dilation):
    vasoconstriction = v.alpha_A * v.gain_ischemic * v.A * (1 - v.lambda_sympatholysis * dilation)
    warmth = 1 + v.q_warm * v.warming
    return v.E * warmth * (v.q0 + (1 - v.q0) * dilation) * (1 - vasoconstriction)


def perfusion(v):
    return perfusion_at(v, hill(v.W, v.K_W, 1))


def metabolites(v):
    return sigmoid(v.k_M * (v.W * (1 - v.eps_K * v.K) - v.beta_Q * v.Q - v.theta_M))


def blood_flow_response(v):
    """Perfusion gain from rest to a standard exercise test (read-out; Elvin 2006)."""
    return perfusion_at(v, hill(v.W_test, v.K_W, 1)) - perfusion_at(v, 0)


def endothelium_rate(v):
    drive = v.e_W * v.W_abs - v.e_I * v.I - v.e_A * v.A - v.theta_E
    target = v.E_min + (v.E_max - v.E_min) * sigmoid(v.k_E * drive)
    return (target - v.E) / v.tau_E


def add(b: ModelBuilder) -> None:
    b.subsystem("vascular")
    b.input("exercise", "exercise load of the day (1 = one strenuous 60-min aerobic session)",
            bounds=(0.0, 4.0))
    b.input("warming", "local warming of muscle on the day of a session (heat, warm water; 0-1)")
    b.variable("W_abs", "absolute muscle work of the day", demand)
    b.variable("W", "muscle work relative to capacity", relative_demand)
    b.variable("Q", "muscle perfusion relative to need", perfusion)
    b.variable("M", "ischemic metabolite index (H+, lactate, ATP)", metabolites)
    b.variable("muscle_blood_flow", "muscle blood-flow response to a standard exercise test",
               blood_flow_response)
    b.state("E", "endothelial / microvascular capacity (1 = typical)", endothelium_rate,
            initial=1.0, bounds=(0.5, 1.5), time_constant="tau_E")

    b.coupling("A", "Q", -1, ["vierck2012", "katz2007", "roy_secomb2014", "hanson2024"],
               "sympathetic vasoconstriction")
    b.coupling("E", "Q", +1, ["calbet2012", "guyton2008"], "vasodilator capacity")
    b.coupling("warming", "Q", +1, ["matsushita2008"], "heat dilates muscle vessels")
    b.coupling("Q", "M", -1, ["gerdle2010", "gerdle2020"], "hypoperfusion accumulates metabolites")
    b.coupling("W", "M", +1, ["pollak2014"], "metabolite levels rise with exercise intensity")
    b.coupling("K", "M", -1, ["gerdle2016"], "training lowers metabolites at a given load")
    b.coupling("K", "W", -1, ["banister1975"], "fitness raises work capacity")
    b.coupling("Act", "W_abs", +1, ["sluka2018"], "daily activity is muscle work")
    b.coupling("exercise", "W_abs", +1, ["sluka2018", "banister1975"],
               "exercise sessions are muscle work (fitness, shear stress, metabolites)")
    b.coupling("W_abs", "E", +1, ["calbet2012", "esen2014"], "shear stress remodels vessels")
    b.coupling("I", "E", -1, ["esen2014"], "inflammation and oxidative stress impair endothelium")
    b.coupling("A", "E", -1, ["calbet2012"], "sympathetic activity blunts vasodilator capacity")
