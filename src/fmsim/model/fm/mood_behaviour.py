"""Mood, fear-avoidance, expectation, activity and fitness.

Depressed mood ``D`` integrates pain, stress, sleep debt, fatigue and inflammation with
self-reinforcement (Cramer et al. 2016 network dynamics). Fear-avoidance/catastrophizing ``B`` is
a learned prior that pain and mood raise and pain-free activity extinguishes (Eckert et al. 2022;
Ramne & Sensinger 2024). Activity ``Act`` follows the habitual plan, curtailed by pain, fatigue
and avoidance. Fitness ``K`` and training fatigue ``F_tr`` are Banister's two impulse responses.
Expectation ``X`` rises in a treatment context (Byon et al. 2010 placebo time course).

References
----------
Cramer AOJ et al. (2016), doi:10.1371/journal.pone.0167490; Eckert A-L et al. (2022),
doi:10.3389/fpain.2022.966034; Banister EW et al. (1975); Byon W et al. (2010); Vierck CJ (2012);
Stephan KE et al. (2016), doi:10.3389/fnhum.2016.00550.
"""

from __future__ import annotations

from ..builder import ModelBuilder
from ..ops import sigmoid, soft_saturation


def antidepressant(v):
    """Combined monoamine reuptake inhibition (independent action of NE and 5-HT)."""
    return v.ne_effect + v.serotonin_effect - v.ne_effect * v.serotonin_effect


def mood_rate(v):
    drive = v.gain_affective * (
        v.w_PD * v.P + v.w_SDD * v.SD + v.w_ID * v.I + v.w_SxD * v.S + v.w_FD * v.Fat
        + v.w_GD * v.G
    ) - v.w_ActD * v.Act + v.w_DD * v.D - v.w_AD * antidepressant(v) - v.theta_D
    return (sigmoid(v.k_D * drive) - v.D) / v.tau_D


def avoidance_rate(v):
    drive = (v.w_PB * v.P + v.w_DB * v.D - v.w_expo * v.Act * (1 - v.P)
             - v.w_RB * v.restructuring - v.theta_B)
    return (sigmoid(v.k_B * drive) - v.B) / v.tau_B


def activity_rate(v):
    plan = v.act_plan * (1 + v.b_R * v.restructuring)
    target = plan * (1 - v.b_B * v.B) * (1 - v.b_P * v.P) * (1 - v.b_F * v.Fat)
    return (target - v.Act) / v.tau_Act


def fitness_rate(v):
    return (soft_saturation(v.W_abs, v.s_K) - v.K) / v.tau_K


def training_fatigue_rate(v):
    return (soft_saturation(v.W, v.s_F) - v.Ftr) / v.tau_Ftr


def expectation_rate(v):
    return (v.treatment_context - v.X) / v.tau_X


def add(b: ModelBuilder) -> None:
    b.subsystem("mood_behaviour")
    b.input("treatment_context", "being in a treatment context (pill, visit, session): 0 or 1")
    b.input("restructuring", "learned cognitive restructuring and graded activity (CBT; 0-1)")
    b.state("D", "depressed mood", mood_rate, initial=0.05, time_constant="tau_D")
    b.state("B", "fear-avoidance / catastrophizing prior", avoidance_rate, initial=0.05,
            time_constant="tau_B")
    b.state("X", "expectation of relief (placebo)", expectation_rate, initial=0.0,
            time_constant="tau_X")
    b.state("Act", "behavioural activity level", activity_rate, initial=0.5,
            time_constant="tau_Act")
    b.state("K", "fitness (Banister fitness component)", fitness_rate, initial=0.5,
            time_constant="tau_K")
    b.state("Ftr", "training fatigue (Banister fatigue component)", training_fatigue_rate,
            initial=0.1, time_constant="tau_Ftr")

    b.coupling("P", "D", +1, ["vierck2012"], "chronic pain depresses mood")
    b.coupling("S", "D", +1, ["vierck2012"], "stress and depression interact")
    b.coupling("SD", "D", +1, ["cramer2016"], "insomnia-depression edge")
    b.coupling("Fat", "D", +1, ["stephan2016"], "fatigue leads to depression")
    b.coupling("I", "D", +1, ["ji2018"], "inflammation and mood")
    b.coupling("G", "D", +1, ["ji2018"], "neuroinflammation and depressed mood")
    b.coupling("Act", "D", -1, ["vierck2012"], "exercise attenuates depression")
    b.coupling("D", "D", +1, ["cramer2016", "park2024"], "symptom-network self-reinforcement")
    b.coupling("P", "B", +1, ["eckert2022", "ramne2024"], "pain teaches a pain prior")
    b.coupling("D", "B", +1, ["eckert2022"], "low mood feeds catastrophizing")
    b.coupling("Act", "B", -1, ["krypotos2024"], "pain-free activity extinguishes fear")
    b.coupling("B", "Act", -1, ["krypotos2024", "varangot2024"], "fear-avoidance")
    b.coupling("P", "Act", -1, ["staud2010"], "pain curtails activity")
    b.coupling("Fat", "Act", -1, ["okifuji2011"], "fatigue curtails activity")
    b.coupling("W_abs", "K", +1, ["banister1975"], "training impulse builds fitness")
    b.coupling("W", "Ftr", +1, ["banister1975"], "training impulse builds fatigue")
    b.coupling("treatment_context", "X", +1, ["byon2010"], "treatment context builds expectation")
    b.coupling("ne_effect", "D", -1, ["welsch2018"], "antidepressant action (norepinephrine)")
    b.coupling("serotonin_effect", "D", -1, ["welsch2018", "walitt2015"],
               "antidepressant action (serotonin)")
    b.coupling("restructuring", "B", -1, ["bernardy2013", "eckert2022"],
               "CBT restructures catastrophizing")
    b.coupling("restructuring", "Act", +1, ["bernardy2013"], "graded activity and pacing")
