"""The fibromyalgia model v1: FM as interacting vicious circles (DESIGN section 3).

One module per subsystem adds its states, variables, inputs and signed couplings to a shared
builder. :func:`fm_model` returns the built model; :data:`VICIOUS_CIRCLES` names the seven
reinforcing loops as paths of couplings (each is checked by the test suite: the path exists and
the product of its signs is positive).
"""

from __future__ import annotations

from functools import cache

from ..builder import Model, ModelBuilder
from ..registry import load_registry
from . import (
    central,
    inflammation,
    mood_behaviour,
    nociception,
    outputs,
    sleep,
    stress_autonomic,
    vascular,
)

__all__ = ["SUBSYSTEMS", "VICIOUS_CIRCLES", "fm_model"]

SUBSYSTEMS = (
    stress_autonomic,
    vascular,
    nociception,
    central,
    inflammation,
    sleep,
    mood_behaviour,
    outputs,
)

VICIOUS_CIRCLES: dict[str, tuple[str, ...]] = {
    # Vierck 2012: stress -> sympathetic vasoconstriction -> ischemia -> pain -> stress.
    "stress-ischemia": ("S", "A", "Q", "M", "N", "P", "S"),
    # Smith 2007, Finan 2013: pain fragments sleep, fragmentation abolishes inhibition.
    "pain-sleep-inhibition": ("P", "frag_spont", "Fr", "SD", "DI", "P"),
    # Ji 2018, Britton 1996: nociceptive drive sensitizes; CS and glia excite each other.
    "central-amplification": ("N", "CS", "G", "CS"),
    # Vierck 2012, Gerdle 2016: pain curtails activity, deconditioning raises metabolites.
    "deconditioning": ("P", "Act", "W_abs", "K", "W", "M", "N", "P"),
    # Pain depresses mood; low mood depletes descending inhibition.
    "affective": ("P", "D", "DI", "P"),
    # Chronic stress adapts the HPA axis, releasing inflammation that sensitizes via glia.
    "hpa-inflammation": ("S", "H", "cortisol", "I", "G", "CS", "P", "S"),
    # Eckert 2022: pain teaches a pain prior that amplifies pain and curtails exposure.
    "avoidance-expectation": ("P", "B", "P"),
}

DESCRIPTION = (
    "Fibromyalgia as a multiple-system disorder of interacting vicious circles: stress and "
    "autonomic dysregulation with sympathetic vasoconstriction and muscle ischemia (Vierck 2012), "
    "microvascular dysfunction, peripheral and neuroinflammation, deficient pain modulation "
    "(descending inhibition, endogenous opioids, central sensitization), sleep, mood, "
    "fear-avoidance, fatigue and cognitive dysfunction."
)


@cache
def fm_model() -> Model:
    """Build (once) and return the FM model v1 with the shipped parameter registry."""
    builder = ModelBuilder("fmsim-fm-v1", DESCRIPTION)
    for module in SUBSYSTEMS:
        module.add(builder)
    return builder.build(load_registry(), VICIOUS_CIRCLES)
