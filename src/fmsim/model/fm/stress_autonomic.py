"""Stress load, HPA adaptation and sympathetic tone: the driver of Vierck's vicious circle.

Chronic stress with autonomic dysregulation facilitates pain centrally and, through sympathetic
vasoconstriction, causes painful muscle ischemia; pain is itself stressful (Vierck 2012). Stress
load ``S`` integrates pain, mood, catastrophizing, sleep debt and inflammation; sympathetic tone
``A`` follows stress within the day. Repeated stress shifts the HPA axis over weeks (``H``, gland
adaptation after Karin et al. 2020), blunting cortisol's restraint of inflammation.

References
----------
Vierck CJ (2012), doi:10.1155/2012/951354; Martinez-Lavin M (2007), doi:10.1186/ar2146;
Karin O et al. (2020), doi:10.15252/msb.20209510; Gupta S et al. (2007), doi:10.1186/1742-4682-4-8.
"""

from __future__ import annotations

from functools import partial

from ..builder import ModelBuilder
from ..ops import sigmoid


def vulnerability(v):
    """Composite vulnerability: genetic/familial, early-life adversity, female sex."""
    return v.v_genetic * v.genetic + v.v_early * v.early_life + v.v_female * v.female


def stress_drive(v):
    return (
        v.stress_input
        + v.w_PS * v.P
        + v.w_DS * v.D
        + v.w_BS * v.B
        + v.w_SDS * v.SD
        + v.w_IS * v.I
        + v.s_VS * v.V
        - v.w_KS * v.K
        + v.sd_stress * v.noise_stress
        - v.w_cope * v.stress_coping
        - v.theta_S
    )


def stress_rate(v, load: bool = False):
    """The stress load's rate; with ``load`` (model v2) the slow life load adds to its drive."""
    drive = stress_drive(v)
    if load:
        drive = drive + v.L
    return (sigmoid(v.k_S * drive) - v.S) / v.tau_S


def hpa_rate(v):
    return (sigmoid(v.k_H * (v.S - v.theta_H)) - v.H) / v.tau_H


def cortisol_restraint(v):
    """Acute cortisol response to stress, blunted by chronic HPA adaptation."""
    return v.S * (1 - v.h_H * v.H)


def sympathetic_tone(v):
    return sigmoid(v.k_A * (v.w_SA * v.S + v.w_SDA * v.SD - v.w_KA * v.K
                            - v.w_relax * v.relaxation - v.theta_A))


def add(b: ModelBuilder, load: bool = False) -> None:
    """Stress and autonomic tone; ``load``: the slow life load of :mod:`.load` (model v2) adds
    to the stress drive."""
    b.subsystem("stress_autonomic")
    b.input("stress_input", "acute psychosocial stressor (trigger), added to the stress drive",
            bounds=(0.0, 2.0))
    b.input("noise_stress", "daily stress noise (standard normal scale; stochastic mode)",
            bounds=(-3.0, 3.0))
    b.input("stress_coping", "learned stress coping and reappraisal (CBT, mindfulness, tai chi; "
            "0-1)")
    b.input("relaxation", "relaxation on the day of a session (massage, heat, mind-body; 0-1)")
    b.variable("V", "composite vulnerability (genetic, early-life, sex)", vulnerability)
    b.state("S", "stress load / threat arousal", partial(stress_rate, load=load), initial=0.2,
            time_constant="tau_S")
    b.state("H", "HPA adaptation to chronic stress (gland-mass / GR shift)", hpa_rate,
            initial=0.05, time_constant="tau_H")
    b.variable("cortisol", "stress cortisol response index (restrains inflammation)",
               cortisol_restraint)
    b.variable("A", "sympathetic tone (MSNA proxy)", sympathetic_tone)
    b.variable("hrv", "heart-rate variability index (1 - sympathetic tone)", lambda v: 1 - v.A)

    b.coupling("P", "S", +1, ["vierck2012", "okifuji2011"], "pain is stressful")
    b.coupling("D", "S", +1, ["vierck2012"], "stress and depression interact reciprocally")
    b.coupling("B", "S", +1, ["eckert2022"], "catastrophizing appraisal raises threat")
    b.coupling("SD", "S", +1, ["vierck2012"], "stress and sleep interact reciprocally")
    b.coupling("I", "S", +1, ["ji2018"], "immune-to-brain signalling")
    b.coupling("K", "S", -1, ["vierck2012", "sluka2018"], "exercise attenuates stress")
    b.coupling("V", "S", +1, ["vierck2012", "bmj_bp_fm"], "stress reactivity of vulnerable people")
    if load:
        b.coupling("L", "S", +1, ["gomezarguelles2022"], "a heavy stretch of life sets off flares")
    b.coupling("S", "H", +1, ["karin2020", "gupta2007"], "repeated stress adapts the HPA axis")
    b.coupling("H", "cortisol", -1, ["karin2020", "gupta2007"], "blunted cortisol response")
    b.coupling("S", "A", +1, ["vierck2012", "martinezlavin2007"], "sympathetic hyperactivity")
    b.coupling("stress_coping", "S", -1, ["bernardy2013", "wang2018"],
               "coping skills and reappraisal lower the stress response")
    b.coupling("relaxation", "A", -1, ["field2002", "matsushita2008"],
               "massage and warmth lower sympathetic tone for hours")
    b.coupling("SD", "A", +1, ["vierck2012"], "sleep loss raises sympathetic tone")
    b.coupling("K", "A", -1, ["vierck2012"], "fitness lowers resting sympathetic tone")
