"""Virtual trials: allocation, adverse events and dropouts, and the statistics of arm
comparisons (designs and runs follow in issue 5)."""

from .events import adverse_event_days, carry_forward, dropout_days, permuted_blocks
from .stats import Estimate, hedges_g, number_needed_to_treat, responder_rate, risk_ratio

__all__ = [
    "Estimate",
    "adverse_event_days",
    "carry_forward",
    "dropout_days",
    "hedges_g",
    "number_needed_to_treat",
    "permuted_blocks",
    "responder_rate",
    "risk_ratio",
]
