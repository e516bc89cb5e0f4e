"""Virtual trials: designs and runs, allocation, adverse events, dropouts and withdrawals, and
the statistics of arm comparisons."""

from .events import (
                     adverse_event_days,
                     carry_forward,
                     dropout_days,
                     earliest,
                     permuted_blocks,
                     withdrawal_weeks,
)
from .run import TrialDesign, run_trial
from .stats import Estimate, hedges_g, number_needed_to_treat, responder_rate, risk_ratio

__all__ = [
    "Estimate",
    "TrialDesign",
    "adverse_event_days",
    "carry_forward",
    "dropout_days",
    "earliest",
    "hedges_g",
    "number_needed_to_treat",
    "permuted_blocks",
    "responder_rate",
    "risk_ratio",
    "run_trial",
    "withdrawal_weeks",
]
