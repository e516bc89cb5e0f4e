"""Peripheral nociception: metabolite transduction, nociceptor sensitization, nociceptive drive.

Ischemic metabolites activate two populations of muscle afferents: a low-threshold one signalling
fatigue and a high-threshold one signalling pain (Pollak et al. 2014), modelled as two Hill
functions with ``K_F < K_P``. Peripheral sensitization ``N_p`` (priming; ASIC3/P2X/TRPV1 gain)
builds up with metabolites, inflammation, sympathetic activity and injury over about a week
(Vierck 2006; Nagaraja et al. 2023; Yokoyama et al. 2007).

References
----------
Pollak KA et al. (2014), doi:10.1113/expphysiol.2013.075812; Vierck CJ (2006),
doi:10.1016/j.pain.2006.06.001; Nagaraja S et al. (2023), doi:10.3389/fnins.2023.1254154;
Dobreva A et al. (2021), doi:10.1113/JP280883; Cunha FQ et al. (1991),
doi:10.1111/j.1476-5381.1991.tb12502.x; Staud R et al. (2009), doi:10.1016/j.pain.2009.05.020.
"""

from __future__ import annotations

from ..builder import ModelBuilder
from ..ops import hill, sigmoid


def prostaglandin_share(v):
    """Share of inflammatory nociception that is prostaglandin (COX) dependent: small in
    low-grade systemic inflammation, where IL-8-type hyperalgesia is sympathetic rather than
    prostaglandin-mediated (Cunha 1991), large in frank tissue inflammation."""
    return hill(v.I, v.K_PG, v.n_PG)


def nociceptive_drive(v):
    muscle = (v.Np * hill(v.M, v.K_P, v.n_M) + v.N0) * (1 - v.b_loc * v.local_block)
    inflammatory = v.iota_I * v.gain_inflammatory * v.I * (1 - v.cox_inhibition * v.PG)
    return muscle + inflammatory + v.injury


def metabolite_fatigue_signal(v):
    return hill(v.M, v.K_F, v.n_M)


def sensitization_rate(v):
    # COX inhibition removes only the prostaglandin-dependent part of the priming, as in
    # :func:`nociceptive_drive`: the share PG of the inflammatory drive and all of an injury's
    # (frank tissue inflammation); metabolite and sympathetic priming (ASIC3/P2X) are untouched.
    drive = (
        v.a_M * v.M + v.a_I * v.I * (1 - v.cox_inhibition * v.PG)
        + v.a_A * v.A + v.a_inj * v.injury * (1 - v.cox_inhibition) - v.theta_Np
    )
    return (sigmoid(v.k_Np * drive) - v.Np) / v.tau_Np


def add(b: ModelBuilder) -> None:
    b.subsystem("nociception")
    b.input("injury", "nociceptive input from tissue injury (trigger; 1 = a painful injury)",
            bounds=(0.0, 2.0))
    b.input("cox_inhibition", "cyclo-oxygenase inhibition by NSAIDs (0-1)")
    b.input("local_block", "local anaesthetic block of tender-muscle afferents (trigger-point "
            "injection; 0-1)")
    b.state("Np", "peripheral nociceptor sensitization (priming)", sensitization_rate,
            initial=0.05, time_constant="tau_Np")
    b.variable("Fm", "metabolite fatigue signal (low-threshold afferents)",
               metabolite_fatigue_signal)
    b.variable("PG", "prostaglandin-dependent share of inflammatory nociception",
               prostaglandin_share)
    b.variable("N", "nociceptive drive to the dorsal horn", nociceptive_drive)

    b.coupling("M", "N", +1, ["pollak2014", "gerdle2020"], "high metabolite levels evoke ache")
    b.coupling("M", "Fm", +1, ["pollak2014"], "low metabolite levels evoke fatigue")
    b.coupling("Np", "N", +1, ["vierck2006", "nagaraja2023"], "sensitized nociceptors fire more")
    b.coupling("I", "N", +1, ["dobreva2021"], "inflammation lowers pain thresholds")
    b.coupling("injury", "N", +1, ["vierck2006"], "tissue injury is a peripheral pain source")
    b.coupling("M", "Np", +1, ["yokoyama2007", "nagaraja2023"], "fatigue metabolites prime")
    b.coupling("I", "Np", +1, ["nagaraja2023"], "inflammation sensitizes nociceptors")
    b.coupling("A", "Np", +1, ["vierck2006"], "sympathetic activation sensitizes nociceptors")
    b.coupling("injury", "Np", +1, ["nagaraja2023"], "injury primes nociceptors")
    b.coupling("cox_inhibition", "Np", -1, ["dobreva2021", "cunha1991"],
               "NSAIDs block prostaglandin sensitization of nociceptors (the share PG of the "
               "inflammatory priming and that of an injury), not metabolite or sympathetic "
               "priming")
    b.coupling("cox_inhibition", "N", -1, ["derry2017"],
               "NSAIDs block the prostaglandin-mediated inflammatory hyperalgesia, not the "
               "cytokines")
    b.coupling("I", "PG", +1, ["cunha1991", "dobreva2021"],
               "frank inflammation induces COX-2; low-grade cytokines act without prostaglandins")
    b.coupling("local_block", "N", -1, ["staud2009"],
               "blocking tender-muscle afferents lowers the tonic nociceptive input")
