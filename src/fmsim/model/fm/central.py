"""Central pain processing: sensitization, glia, descending inhibition, opioids and the percept.

Central sensitization ``CS`` is a Wilson-Cowan relaxation with NMDA-type self-excitation
(Britton et al. 1996; Crodelle et al. 2019): with maximal slope ``k_C * w_CC / 4 > 1`` it has a
fold, so vulnerable people (lower effective threshold) are bistable - a healthy and a
chronic-pain attractor - while others are not (the same transition Demori et al. 2024 show for a
thalamocortical loop). Glia ``G`` and ``CS`` excite each other (Ji et al. 2018). Descending
inhibition ``DI`` falls with sleep fragmentation within nights (Smith et al. 2007), with depressed
mood and glial activation, and rises with fitness. Mu-opioid receptor availability ``R`` falls
with sustained endogenous opioid tone (Harris et al. 2007). Pain ``P`` is the sigmoidal percept of
centrally amplified nociceptive drive minus inhibition, plus the catastrophizing prior and minus
expectation.

References
----------
Britton NF et al. (1996); Crodelle J et al. (2019), doi:10.1371/journal.pcbi.1007106; Demori I et
al. (2024), doi:10.1371/journal.pone.0303573; Ji R-R et al. (2018),
doi:10.1097/ALN.0000000000002130; Heinricher MM et al. (2009); Smith MT et al. (2007),
doi:10.1093/sleep/30.4.494; Harris RE et al. (2007), doi:10.1523/JNEUROSCI.2849-07.2007;
Staud R et al. (2001); Eckert A-L et al. (2022); Hutchinson MR et al. (2011),
doi:10.1124/pr.110.004135.
"""

from __future__ import annotations

from collections.abc import Callable

from ..builder import ModelBuilder
from ..ops import sigmoid


def sensitization_relaxation(v, memory):
    """The rate of central sensitization with ``memory``, what keeps it up, in its drive:
    NMDA self-excitation in v1 (:func:`sensitization_rate`), the primed gain in v2
    (:func:`.priming.sensitization_rate`)."""
    drive = (
        v.w_NC * v.N
        + v.w_GC * v.G
        + v.w_SC * v.S**2
        + memory
        - v.w_a2d * v.a2d_occupancy
        - v.w_DC * v.DI
        + v.s_VC * v.V
        + v.w_oih * v.mu_agonist
        - v.theta_C
    )
    return (sigmoid(v.k_C * drive) - v.CS) / v.tau_CS


def sensitization_rate(v):
    return sensitization_relaxation(v, v.w_CC * v.CS * (1 - v.nmda_block))


def glia_rate(v):
    drive = (
        v.w_IG * v.gain_inflammatory * v.I
        + v.w_CG * v.CS
        + v.w_SDG * v.SD
        + v.w_HG * v.H
        - v.w_KG * v.K
        + v.w_OG * v.mu_agonist
        - v.theta_G
    )
    return (sigmoid(v.k_G * drive) - v.G) / v.tau_G


def inhibition_rate(v):
    target = (
        v.DI0
        * (1 - v.s_VDI * v.V)
        * (1 - v.rho_SD * v.SD)
        * (1 - v.rho_D * v.D)
        * (1 - v.rho_G * v.G)
        * (1 + v.rho_K * v.K)
    )
    return (target - v.DI) / v.tau_DI


def endogenous_opioids(v):
    return v.O0 + v.o_S * v.S + v.o_CS * v.CS + v.o_rel * v.opioid_release


def opioid_tone(v):
    """Endogenous plus exogenous mu-opioid agonism."""
    return v.O_endo + v.o_drug * v.mu_agonist


def receptor_rate(v):
    return (1 / (1 + v.r_O * v.O_total) - v.R) / v.tau_R


def pain(v):
    amplification = 1 + v.g_CS * v.CS * (1 - v.nmda_block)
    transmission = v.N * (1 - v.k_a2d * v.a2d_occupancy)
    drive = (
        amplification * transmission
        - v.g_DI * v.DI * (1 + v.g_NE * v.ne_effect + v.g_5HT * v.serotonin_effect)
        - v.g_O * v.R * v.O_total
        + v.w_BP * v.B
        - v.g_X * v.X
        - v.theta_P
    )
    return sigmoid(v.k_P * drive)


def add_drive_couplings(b: ModelBuilder) -> None:
    """The couplings into ``CS`` that both models' sensitization drive shares (see
    :func:`sensitization_relaxation`), after the nociceptive input and the memory."""
    b.coupling("G", "CS", +1, ["ji2018"], "glial cytokines sensitize dorsal horn")
    b.coupling("S", "CS", +1, ["vierck2012", "heinricher2009"],
               "stress facilitates pain centrally (descending facilitation)")
    b.coupling("DI", "CS", -1, ["heinricher2009"], "descending inhibition restrains CS")
    b.coupling("V", "CS", +1, ["bmj_bp_fm", "demori2024"], "vulnerability lowers CS threshold")
    b.coupling("mu_agonist", "CS", +1, ["chu2008"], "opioid-induced hyperalgesia")
    b.coupling("a2d_occupancy", "CS", -1, ["byon2010"], "less release, less sensitization")


def add_switch(b: ModelBuilder) -> None:
    """Model v1's central sensitization: a bistable switch (NMDA self-excitation)."""
    b.state("CS", "central sensitization (dorsal-horn / thalamocortical gain)", sensitization_rate,
            initial=0.02, time_constant="tau_CS")
    b.coupling("N", "CS", +1, ["vierck2006", "staud2010"], "nociceptive input maintains CS")
    b.coupling("CS", "CS", +1, ["britton1996", "crodelle2019", "demori2024"],
               "NMDA self-excitation (bistable switch)")
    add_drive_couplings(b)
    b.coupling("nmda_block", "CS", -1, ["noppers2011", "britton1996"],
               "NMDA block interrupts the self-excitation while present")


def add(b: ModelBuilder, sensitization: Callable[[ModelBuilder], None] = add_switch) -> None:
    """Central processing; ``sensitization`` declares the state ``CS`` (with its couplings):
    v1's switch by default, model v2's primed amplifier in :mod:`.priming`."""
    b.subsystem("central")
    b.input("ne_effect", "functional norepinephrine reuptake inhibition (SNRIs, TCAs, "
            "tramadol; 0-1, after effect onset)")
    b.input("serotonin_effect", "functional serotonin reuptake inhibition (SSRIs, SNRIs, TCAs, "
            "tramadol; 0-1, after effect onset)")
    b.input("opioid_release", "endogenous opioid release evoked by a treatment (acupuncture; 0-1)")
    b.input("a2d_occupancy", "alpha-2-delta subunit occupancy by gabapentinoids (0-1)")
    b.input("nmda_block", "NMDA receptor block by ketamine (0-1), daily mean")
    b.input("mu_agonist", "mu-opioid receptor agonism by opioid drugs (0-1)")
    sensitization(b)
    b.state("G", "glial activation / neuroinflammation", glia_rate, initial=0.03,
            time_constant="tau_G")
    b.state("DI", "descending inhibition capacity (5-HT/NE; CPM)", inhibition_rate, initial=0.78,
            time_constant="tau_DI")
    b.state("R", "mu-opioid receptor availability", receptor_rate, initial=0.87,
            time_constant="tau_R")
    b.variable("O_endo", "endogenous opioid tone", endogenous_opioids)
    b.variable("O_total", "endogenous plus exogenous opioid tone", opioid_tone)
    b.variable("P", "pain intensity (0-1; x10 for the 0-10 scale)", pain)
    b.variable("cpm", "conditioned pain modulation efficacy (read-out)", lambda v: v.g_DI * v.DI)
    b.variable("temporal_summation", "temporal summation / wind-up gain (read-out)",
               lambda v: 1 + v.g_CS * v.CS)
    b.variable("ppt", "pressure pain threshold, relative units (read-out)",
               lambda v: (v.theta_P + v.g_DI * v.DI) / ((1 + v.g_CS * v.CS) * (1 + v.Np)))
    b.variable("tspo", "glial activation index (TSPO PET read-out)", lambda v: v.G)

    b.coupling("CS", "G", +1, ["ji2018"], "neuronal activity activates glia")
    b.coupling("I", "G", +1, ["ji2018"], "peripheral inflammation reaches glia")
    b.coupling("SD", "G", +1, ["ji2018"], "sleep loss primes glia")
    b.coupling("H", "G", +1, ["karin2020", "ji2018"], "loss of glucocorticoid restraint")
    b.coupling("K", "G", -1, ["sluka2018"], "regular activity is anti-inflammatory")
    b.coupling("SD", "DI", -1, ["smith2007", "edwards2009", "crodelle2023"],
               "fragmentation abolishes DNIC; sleep pressure raises pain sensitivity")
    b.coupling("D", "DI", -1, ["heinricher2009"], "shared monoaminergic depletion")
    b.coupling("G", "DI", -1, ["ji2018"], "neuroinflammation impairs descending control")
    b.coupling("K", "DI", +1, ["sluka2018"], "regular exercise strengthens inhibition")
    b.coupling("V", "DI", -1, ["bmj_bp_fm"], "vulnerable people start with weaker inhibition")
    b.coupling("CS", "O_endo", +1, ["harris2007"], "pain raises endogenous opioid tone")
    b.coupling("S", "O_endo", +1, ["latent2015"], "stress-induced endogenous opioids")
    b.coupling("O_endo", "O_total", +1, ["harris2007"], "endogenous part of opioid tone")
    b.coupling("mu_agonist", "O_total", +1, ["harris2007"], "exogenous part of opioid tone")
    b.coupling("O_total", "R", -1, ["harris2007"],
               "sustained tone lowers MOR availability (tolerance)")
    b.coupling("mu_agonist", "G", +1, ["hutchinson2011"],
               "opioids activate glia (TLR4): pro-inflammatory signalling opposes analgesia")
    b.coupling("N", "P", +1, ["vierck2006"], "nociceptive drive")
    b.coupling("CS", "P", +1, ["staud2001"], "central amplification (wind-up)")
    b.coupling("DI", "P", -1, ["heinricher2009", "smith2007"], "descending inhibition")
    b.coupling("R", "P", -1, ["harris2007"], "opioid analgesia needs receptors")
    b.coupling("O_total", "P", -1, ["harris2007"], "opioid analgesia")
    b.coupling("B", "P", +1, ["eckert2022", "ramne2024"], "catastrophizing prior amplifies pain")
    b.coupling("X", "P", -1, ["byon2010"], "expectation (placebo) lowers pain")
    b.coupling("ne_effect", "P", -1, ["heinricher2009", "bradley2010", "obata2017"],
               "more spinal norepinephrine strengthens descending inhibition (alpha-2)")
    b.coupling("serotonin_effect", "P", -1, ["heinricher2009", "bradley2010", "obata2017"],
               "more serotonin strengthens descending inhibition, less than norepinephrine")
    b.coupling("opioid_release", "O_endo", +1, ["harris2009"],
               "acupuncture evokes endogenous opioid signalling")
    b.coupling("a2d_occupancy", "P", -1, ["byon2010"],
               "alpha-2-delta ligands reduce transmitter release in the dorsal horn")
    b.coupling("nmda_block", "P", -1, ["noppers2011"], "NMDA block removes amplification")
