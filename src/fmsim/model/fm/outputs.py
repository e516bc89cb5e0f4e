"""Symptom outputs: fatigue, cognitive dysfunction ("fibro fog") and the 0-10 diary scales.

Fatigue combines the metabolite fatigue signal (Pollak et al. 2014), sleep debt, inflammation,
mood, training fatigue, pain and glial activation, and falls with fitness (Okifuji et al. 2011:
lagged pain -> fatigue; Albrecht et al. 2019: TSPO signal and fatigue).
Cognitive dysfunction rises with sleep debt, pain, fatigue and mood (three-process view of
alertness). The 0-10 scores are what a diary would record; for each, 10 is the worst, except sleep
quality, where 10 is the best night.

References
----------
Pollak KA et al. (2014); Okifuji A et al. (2011), doi:10.1016/j.jpain.2010.05.003; Vierck CJ (2012).
"""

from __future__ import annotations

from ..builder import ModelBuilder
from ..ops import sigmoid


def fatigue(v):
    drive = (
        v.f_M * v.Fm
        + v.f_SD * v.SD
        + v.f_I * v.I
        + v.f_D * v.D
        + v.f_tr * v.Ftr
        + v.f_P * v.P
        + v.f_G * v.G
        - v.f_K * v.K
        - v.theta_F
    )
    return sigmoid(v.k_F * drive)


def cognitive_dysfunction(v):
    drive = (v.cog_SD * v.SD + v.cog_P * v.P + v.cog_F * v.Fat + v.cog_D * v.D
             + v.cog_sed * v.sedation - v.theta_Cog)
    return sigmoid(v.k_Cog * drive)


SCORES = {
    "pain": ("P", "pain, 0-10 NRS"),
    "fatigue": ("Fat", "fatigue, 0-10"),
    "sleep_quality": ("SQ", "sleep quality, 0-10 (10 = best)"),
    "mood": ("D", "depressed mood, 0-10 (10 = worst)"),
    "stress": ("S", "stress, 0-10"),
    "cognitive": ("Cog", "cognitive difficulty, 0-10"),
}
"""Diary score name -> (model name, description); each score is 10 x the model quantity."""


def add(b: ModelBuilder) -> None:
    b.subsystem("outputs")
    b.input("sedation", "daytime drug sedation (H1 antagonists, gabapentinoids; 0-1)")
    b.variable("Fat", "fatigue (0-1)", fatigue)
    b.variable("Cog", "cognitive dysfunction, 'fibro fog' (0-1)", cognitive_dysfunction)
    for score, (source, description) in SCORES.items():
        b.variable(score, description, lambda v, s=source: 10 * v[s], unit="0-10")

    b.coupling("Fm", "Fat", +1, ["pollak2014"], "metabolite fatigue signal")
    b.coupling("SD", "Fat", +1, ["vierck2012"], "unrefreshing sleep")
    b.coupling("I", "Fat", +1, ["albrecht2019"], "neuroinflammation correlates with fatigue")
    b.coupling("D", "Fat", +1, ["vierck2012"], "depression and fatigue")
    b.coupling("Ftr", "Fat", +1, ["banister1975"], "training fatigue")
    b.coupling("P", "Fat", +1, ["okifuji2011"], "pain predicts later fatigue")
    b.coupling("G", "Fat", +1, ["albrecht2019"], "cingulate TSPO signal correlates with fatigue")
    b.coupling("K", "Fat", -1, ["vierck2012"], "exercise attenuates fatigue")
    b.coupling("SD", "Cog", +1, ["vierck2012"], "sleep loss impairs mentation")
    b.coupling("P", "Cog", +1, ["vierck2012"], "pain impairs mentation")
    b.coupling("Fat", "Cog", +1, ["vierck2012"], "fatigue impairs mentation")
    b.coupling("D", "Cog", +1, ["cramer2016"], "depression and concentration")
    b.coupling("sedation", "Cog", +1, ["moldofsky2011", "derry2017"],
               "sedating drugs dull daytime mentation")
