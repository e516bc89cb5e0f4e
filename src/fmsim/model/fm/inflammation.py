"""Peripheral (low-grade) inflammation.

A composite pro-inflammatory cytokine index ``I`` (IL-6, IL-8, TNF) driven by infection,
injury, unaccustomed exercise (delayed-onset soreness, less in the fit), sleep loss and
inactivity, and restrained by the cortisol response, whose restraint weakens as the HPA axis
adapts to chronic stress. FM shows modestly raised IL-6, IL-8 and TNF
(Üçeyler et al. 2011; O'Mahony et al. 2021).

References
----------
Dobreva A et al. (2021), doi:10.1113/JP280883; Üçeyler N et al. (2011),
doi:10.1186/1471-2474-12-245; Sluka KA et al. (2018); Gupta S et al. (2007); Karin O et al. (2020);
McHugh MP (2003), doi:10.1034/j.1600-0838.2003.02477.x.
"""

from __future__ import annotations

from functools import partial

from ..builder import ModelBuilder
from ..ops import sigmoid


def inflammation_rate(v, load: bool = False):
    drive = (
        v.infection
        + v.c_inj * v.injury
        + v.c_ex * v.exercise / (1 + v.kappa_K * v.K + v.k_rb * v.Ftr)
        + v.c_SD * v.SD
        + v.c_K * (1 - v.K)
        - v.c_cort * v.cortisol
        + v.sd_inflammation * v.noise_inflammation
        - v.c_diet * v.diet
        - v.theta_I
    )
    if load:
        drive = drive + v.L
    return (sigmoid(v.k_I * drive) - v.I) / v.tau_I


def add(b: ModelBuilder, load: bool = False) -> None:
    """Peripheral inflammation; ``load``: the slow life load of :mod:`.load` (model v2) adds to
    its drive."""
    b.subsystem("inflammation")
    b.input("infection", "inflammatory drive of an infection (trigger; 1 = a febrile infection)",
            bounds=(0.0, 4.0))
    b.input("noise_inflammation", "daily inflammation noise (standard normal scale)",
            bounds=(-3.0, 3.0))
    b.input("diet", "adherence to an anti-inflammatory diet (0-1)")
    b.state("I", "peripheral inflammation (IL-6/IL-8/TNF composite)",
            partial(inflammation_rate, load=load), initial=0.08, time_constant="tau_I")
    b.variable("cytokines", "cytokine index (read-out)", lambda v: v.I)

    b.coupling("infection", "I", +1, ["dobreva2021"], "infection raises cytokines")
    b.coupling("injury", "I", +1, ["vierck2006"], "tissue injury is inflammatory")
    b.coupling("exercise", "I", +1, ["sluka2018", "khataei2023"],
               "unaccustomed exercise causes muscle micro-inflammation (delayed soreness)")
    b.coupling("Ftr", "I", -1, ["mchugh2003"],
               "repeated-bout effect: recent training protects against exercise inflammation")
    b.coupling("SD", "I", +1, ["finan2013"], "sleep loss raises IL-6 (background)")
    b.coupling("K", "I", -1, ["sluka2018"], "sedentary state is pro-inflammatory")
    b.coupling("cortisol", "I", -1, ["gupta2007"], "glucocorticoid restraint")
    b.coupling("diet", "I", -1, ["silva2019"], "anti-inflammatory diet (weak evidence)")
    if load:
        b.coupling("L", "I", +1, ["gomezarguelles2022", "mchugh2003"],
                   "a heavy stretch of life (overexertion, minor infections) inflames")
