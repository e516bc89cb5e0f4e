"""Model v2's slow life load: the weeks-long ups and downs that make flares.

Daily noise alone (stress, sleep and inflammation, each correlated over about a day) gives
day-to-day wobble, not flares: FM flares are most often set off by continuing or intense stress,
overexertion or weather, and last weeks (a mean of 11 weeks in six-month diaries; Gomez-Arguelles
et al. 2022), and pain diaries are autocorrelated, bad days clustering (Schneider et al. 2018). The
time constant ``tau_L`` (3-14 days) is an assumption shorter than that mean; a load of months,
tried on a branch, is in docs/calibration.md (Session 26). ``L`` is the load of life events of the
past days to weeks: the engine's daily noise ``noise_load`` (unit variance, correlated over one
day) low-pass filtered with time constant ``tau_L`` and scaled by ``sqrt(1 + tau_L)``, so that
``L`` has standard deviation ``sd_load`` whatever ``tau_L`` is (the variance of a one-day
Ornstein-Uhlenbeck process filtered by a first-order lag of ``tau_L`` days is ``1 / (1 + tau_L)``).
A heavy stretch of life is stress, bad nights and overexertion or minor infections together, so
``L`` adds, in each system's drive units, to the drives of stress (:mod:`.stress_autonomic`), of
the night's fragmentation (:mod:`.sleep`) and of peripheral inflammation (:mod:`.inflammation`),
the three systems the daily noise moves. In deterministic runs the noise is zero and so is ``L``.
How large ``sd_load`` is differs between people; Harris et al. 2005 found a person's SD of pain
stable over months (r 0.66), which differences in this load do not make (r about 0.2;
docs/calibration.md, Sessions 25-26).

References
----------
Gomez-Arguelles JM et al. (2022), doi:10.5114/reum.2022.118677; Schneider S et al. (2018),
doi:10.1097/j.pain.0000000000001215; Harris RE et al. (2005), doi:10.1002/art.21407.
"""

from __future__ import annotations

from ..builder import ModelBuilder


def load_rate(v):
    return (v.sd_load * (1 + v.tau_L) ** 0.5 * v.noise_load - v.L) / v.tau_L


def add(b: ModelBuilder) -> None:
    b.subsystem("load")
    b.input("noise_load", "daily life-event noise behind the slow load (standard normal "
            "scale; stochastic mode)", bounds=(-3.0, 3.0))
    b.state("L", "slow life load (stress, bad nights, overexertion of the past days to weeks; "
            "0 on average)", load_rate, initial=0.0, bounds=(-10.0, 10.0), time_constant="tau_L")
    b.coupling("noise_load", "L", +1, ["gomezarguelles2022", "schneider2018"],
               "life events accumulate over days to weeks")
