"""What a twin fit is asked: the parameters it fits and integrates over, the diary columns it
weighs and the sampler's sizes (:class:`TwinSpec`). Light on purpose: the command line offers
its defaults before the fit's machinery is loaded; :mod:`.fit` says why these choices."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import FMSimError, whole_number

__all__ = ["COLUMNS", "FITTED", "INTEGRATED", "TWIN_MODEL", "TwinSpec"]

TWIN_MODEL = "fm-v2"
"""The twin's model, whatever the default: v1's FM is one saturated switch, with nothing in a
diary to fit (issue 20)."""

FITTED = ("w_PC", "gain_affective", "gain_sleep", "gain_inflammatory", "act_plan", "theta_F")
"""The parameters a diary is fitted for (:mod:`.fit` says why)."""

INTEGRATED = ("tau_S", "theta_S", "sd_stress", "tau_H", "gain_ischemic", "tau_E", "tau_Np",
              "tau_CS", "theta_C", "tau_G", "tau_DI", "tau_R", "theta_P", "g_X", "tau_I",
              "sd_inflammation", "tau_SD", "theta_fr", "sd_sleep", "tau_D", "tau_B", "tau_Act",
              "tau_K", "tau_Ftr", "tau_X", "tau_Pm", "theta_Pm", "tau_L", "sd_load")
"""What the filter integrates over by default: every other parameter of model v2 that differs
between people (its time constants, thresholds, noise amplitudes, the ischemic pathway gain and
the expectation gain), each particle with its own draw from the population prior. Only the
person's traits (sex, genetic and early-life vulnerability) stay the base person's. Held at the
base person's values instead, people who differ in them were predicted too confidently and
their fitted parameters' ranks skewed (docs/twin.md, misspecification)."""

COLUMNS = ("pain", "fatigue", "mood", "cognitive", "activity_minutes")
"""The diary columns the likelihood weighs (:mod:`.fit` says why)."""


@dataclass(frozen=True)
class TwinSpec:
    """How to fit: the ``fitted`` parameters, those the filter ``integrated`` over
    (:mod:`.likelihood`), the diary ``columns`` weighed, the filter's ``particles``, the
    sampler's ``walkers``, ``steps``, ``burn`` and ``thin``, the ``seed`` and the ``model``.

    Raises
    ------
    FMSimError
        For fewer walkers than twice the parameters, an odd number of walkers, a burn-in not
        below the steps, or sizes out of range.
    """

    fitted: tuple[str, ...] = FITTED
    integrated: tuple[str, ...] = INTEGRATED
    columns: tuple[str, ...] = COLUMNS
    particles: int = 450
    walkers: int = 16
    steps: int = 80
    burn: int = 40
    thin: int = 4
    seed: int = 0
    model: str = TWIN_MODEL

    def __post_init__(self) -> None:
        whole_number("particles", self.particles, 10, 100_000)
        whole_number("walkers", self.walkers, 2, 1000)
        whole_number("steps", self.steps, 2, 100_000)
        whole_number("burn", self.burn, 0, 100_000)
        whole_number("thin", self.thin, 1, 100_000)
        whole_number("seed", self.seed, 0, 2**63 - 1)
        if not self.fitted:
            raise FMSimError("fit at least one parameter")
        if self.walkers < 2 * len(self.fitted) or self.walkers % 2:
            raise FMSimError(f"walkers must be even and at least twice the {len(self.fitted)} "
                             f"fitted parameters, not {self.walkers}")
        if self.burn >= self.steps:
            raise FMSimError(f"burn ({self.burn}) must be below steps ({self.steps})")
