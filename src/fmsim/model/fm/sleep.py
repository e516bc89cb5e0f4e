"""Sleep continuity, sleep debt and the pain-sleep loop.

Nightly fragmentation rises with pain, sympathetic arousal and depressed mood (a pain/arousal
wake drive in the sense of Phillips & Robinson's flip-flop) and with forced awakenings (the
Smith et al. 2007 protocol: 8 a night). Sleep debt/fragmentation ``SD`` integrates fragmentation
over a few nights and lowers descending inhibition (see :mod:`.central`); sleep predicts next-day
pain more strongly than pain predicts sleep (Edwards et al. 2008; Finan et al. 2013).

References
----------
Smith MT et al. (2007), doi:10.1093/sleep/30.4.494; Finan PH et al. (2013),
doi:10.1016/j.jpain.2013.08.007; Edwards RR et al. (2008); Phillips AJK, Robinson PA (2007),
doi:10.1177/0748730406297512; Crodelle J et al. (2023), doi:10.3389/fnins.2023.1166203.
"""

from __future__ import annotations

from functools import partial

from ..builder import ModelBuilder
from ..ops import hill, sigmoid


def spontaneous_fragmentation(v, load: bool = False):
    drive = v.gain_sleep * (v.w_Pfr * v.P + v.w_Afr * v.A + v.w_Dfr * v.D)
    consolidation = (v.w_hyp * v.hypnotic_effect + v.w_H1 * v.h1_block
                     + v.w_ST * v.sleep_training)
    drive = drive - consolidation + v.sd_sleep * v.noise_sleep - v.theta_fr
    if load:
        drive = drive + v.L
    return sigmoid(v.k_fr * drive)


def fragmentation(v):
    return 1 - (1 - v.frag_spont) * (1 - hill(v.awakenings, v.K_aw, 1))


def sleep_debt_rate(v):
    return (v.Fr - v.SD) / v.tau_SD


def add(b: ModelBuilder, load: bool = False) -> None:
    """Sleep; ``load``: the slow life load of :mod:`.load` (model v2) adds to the drive that
    fragments the night."""
    b.subsystem("sleep")
    b.input("awakenings", "forced awakenings per night (trigger; Smith 2007 used 8)", "1/night",
            bounds=(0.0, 32.0))
    b.input("noise_sleep", "nightly sleep noise (standard normal scale)", bounds=(-3.0, 3.0))
    b.input("hypnotic_effect", "drug consolidation of night sleep by alpha-2-delta ligands "
            "(0-1)")
    b.input("h1_block", "histamine H1 block at night (low-dose tricyclics, cyclobenzaprine; 0-1)")
    b.input("sleep_training", "learned sleep practices (sleep hygiene, CBT for insomnia; 0-1)")
    b.variable("frag_spont", "spontaneous sleep fragmentation of the night",
               partial(spontaneous_fragmentation, load=load))
    b.variable("Fr", "total sleep fragmentation of the night", fragmentation)
    b.variable("SQ", "sleep quality (0-1; 1 = fully restorative)", lambda v: 1 - v.Fr)
    b.variable("sleep_hours", "sleep duration", lambda v: v.sleep_need * (1 - v.h_Fr * v.Fr),
               unit="h")
    b.variable("sleep_efficiency", "sleep efficiency (time asleep / time in bed)",
               lambda v: 1 - v.e_Fr * v.Fr)
    b.state("SD", "sleep debt and fragmentation", sleep_debt_rate, initial=0.05,
            time_constant="tau_SD")

    b.coupling("P", "frag_spont", +1, ["finan2013", "edwards2008"], "pain disturbs sleep")
    b.coupling("A", "frag_spont", +1, ["phillips2007"], "arousal is a wake drive")
    b.coupling("D", "frag_spont", +1, ["cramer2016"], "depression and insomnia")
    b.coupling("frag_spont", "Fr", +1, ["smith2007"], "spontaneous awakenings fragment sleep")
    b.coupling("hypnotic_effect", "frag_spont", -1, ["byon2010", "roth2012"],
               "alpha-2-delta ligands consolidate sleep")
    b.coupling("h1_block", "frag_spont", -1, ["krystal2010", "moldofsky2011", "everitt2018"],
               "H1 antagonists consolidate sleep")
    b.coupling("sleep_training", "frag_spont", -1, ["edinger2005"],
               "sleep hygiene and CBT for insomnia consolidate sleep")
    b.coupling("awakenings", "Fr", +1, ["smith2007"], "forced awakenings fragment sleep")
    if load:
        b.coupling("L", "frag_spont", +1, ["gomezarguelles2022"],
                   "a heavy stretch of life brings bad nights")
    b.coupling("Fr", "SD", +1, ["smith2007"], "fragmented nights accumulate")
