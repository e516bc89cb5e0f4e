"""The fibromyalgia model v1: FM as interacting vicious circles (DESIGN section 3).

One module per subsystem adds its states, variables, inputs and signed couplings to a shared
builder. :func:`fm_model` returns the built model; :data:`VICIOUS_CIRCLES` names the seven
reinforcing loops as paths of couplings (each is checked by the test suite: the path exists and
the product of its signs is positive).
"""

from __future__ import annotations

import dataclasses
from functools import cache, partial

from ..builder import Model, ModelBuilder
from ..registry import derived_registry, load_registry
from . import (
    central,
    inflammation,
    load,
    mood_behaviour,
    nociception,
    outputs,
    priming,
    sleep,
    stress_autonomic,
    vascular,
)

__all__ = ["SUBSYSTEMS", "VICIOUS_CIRCLES", "fm_model", "fm_model_v2"]

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


DESCRIPTION_V2 = (
    DESCRIPTION + " Model v2: FM is graded and fluctuates. A latent priming memory (bistable in "
    "vulnerable people) keeps FM after a trigger, and sets the gain of a monostable central "
    "sensitization that follows each person's drives; a slow life load makes flares."
)

VICIOUS_CIRCLES_V2: dict[str, tuple[str, ...]] = {
    **VICIOUS_CIRCLES,
    # Asiedu 2011, Reichling 2009: sustained sensitization consolidates into a priming that
    # raises the gain of later drive.
    "priming": ("N", "CS", "Pm", "CS"),
}


@cache
def fm_model_v2() -> Model:
    """Build (once) and return the FM model v2: v1's subsystems with central sensitization
    split into a latent priming memory and a graded amplifier (:mod:`.priming`) and a slow life
    load on stress, sleep and inflammation (:mod:`.load`); parameters are v1's changed by
    ``parameters-v2.toml``."""
    builder = ModelBuilder("fmsim-fm-v2", DESCRIPTION_V2)
    steps = (
        partial(stress_autonomic.add, load=True),
        load.add,
        vascular.add,
        nociception.add,
        partial(central.add, sensitization=priming.add),
        partial(inflammation.add, load=True),
        partial(sleep.add, load=True),
        mood_behaviour.add,
        outputs.add,
    )
    for step in steps:
        step(builder)
    model = builder.build(derived_registry("parameters-v2.toml"), VICIOUS_CIRCLES_V2)
    return dataclasses.replace(model, measurement="measurement-v2.toml")
