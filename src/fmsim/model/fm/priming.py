"""Model v2's central sensitization: a graded amplifier set by a latent priming memory.

Model v1 holds FM up with central sensitization ``CS`` itself: its NMDA self-excitation is strong
enough to be bistable over a broad range of vulnerability, and a one-dimensional self-exciting
sigmoid with a broad bistable window has a saturated upper branch, so everyone with FM is the same
severe person and added drive cannot raise pain (``docs/calibration.md``, models v2 and v3).
Model v2 separates the two jobs, as the biology does:

* **Priming** ``Pm`` is the memory. Sustained dorsal-horn activity and activated glia leave the
  pain system primed: a latent state that produces no pain itself but raises the gain of later
  drive, and that maintains itself (spinal PKMzeta after IL-6 allodynia, Asiedu et al. 2011;
  hyperalgesic priming, Reichling & Levine 2009; primed microglia give larger, longer responses
  to a second hit, Hains et al. 2010; a short morphine course after nerve injury doubles the
  duration of allodynia, Grace et al. 2016). Regular exercise prevents it (Leung et al. 2016).
  Its self-maintenance is bistable in vulnerable people: after a long enough trigger it stays
  on; in others it decays.
* **Sensitization** ``CS`` is the amplifier: a monostable relaxation towards a sigmoid of its
  drives (nociceptive input, glia, stress, descending inhibition, opioid agonism) plus the
  primed gain. With no self-excitation its level in FM is graded: it follows each person's drives
  and still moves with added drive (opioid-induced hyperalgesia, stress, lost sleep) and with
  relief. NMDA block (ketamine) removes the primed, NMDA-dependent part of the drive while
  present.

References
----------
Reichling DB, Levine JD (2009), doi:10.1016/j.tins.2009.07.007; Asiedu MN et al. (2011),
doi:10.1523/JNEUROSCI.6286-10.2011; Hains LE et al. (2010), J Pain 11:1004;
Grace PM et al. (2016), doi:10.1073/pnas.1602070113; Leung A et al. (2016),
doi:10.1097/j.pain.0000000000000312; Baliki MN, Apkarian AV (2015), Neuron
87:474.
"""

from __future__ import annotations

from ..builder import ModelBuilder
from ..ops import sigmoid
from .central import add_drive_couplings, sensitization_relaxation


def priming_rate(v):
    drive = (
        v.w_PP * v.Pm
        + v.w_CPm * v.CS
        + v.w_GPm * v.G
        + v.w_OPm * v.mu_agonist
        + v.s_VPm * v.V
        - v.w_KPm * v.K
        - v.theta_Pm
    )
    return (sigmoid(v.k_Pm * drive) - v.Pm) / v.tau_Pm


def sensitization_rate(v):
    return sensitization_relaxation(v, v.w_PC * v.Pm * (1 - v.nmda_block))


def add(b: ModelBuilder) -> None:
    """Declare ``Pm`` and ``CS`` with their couplings (the ``sensitization`` of
    :func:`.central.add`)."""
    b.state("Pm", "priming of the pain system (latent memory: PKMzeta, primed glia)",
            priming_rate, initial=0.02, time_constant="tau_Pm")
    b.state("CS", "central sensitization (dorsal-horn / thalamocortical gain; graded)",
            sensitization_rate, initial=0.02, time_constant="tau_CS")
    b.coupling("Pm", "Pm", +1, ["asiedu2011", "reichling2009"],
               "priming maintains itself (PKMzeta; bistable in vulnerable people)")
    b.coupling("CS", "Pm", +1, ["asiedu2011", "reichling2009"],
               "sustained dorsal-horn activity consolidates into priming")
    b.coupling("G", "Pm", +1, ["hains2010"], "activated glia become primed")
    b.coupling("mu_agonist", "Pm", +1, ["grace2016"],
               "opioids after a painful insult prolong it (microglial NLRP3)")
    b.coupling("V", "Pm", +1, ["bmj_bp_fm", "baliki2015"],
               "vulnerability lowers the threshold for lasting priming")
    b.coupling("K", "Pm", -1, ["leung2016"], "regular exercise prevents priming (IL-10)")
    b.coupling("Pm", "CS", +1, ["reichling2009", "hains2010"],
               "priming raises the gain of later drive")
    b.coupling("N", "CS", +1, ["vierck2006", "staud2010"], "nociceptive input drives CS")
    add_drive_couplings(b)
    b.coupling("nmda_block", "CS", -1, ["noppers2011"],
               "NMDA block removes the primed, NMDA-dependent drive while present")
