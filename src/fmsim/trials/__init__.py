"""Virtual trials: statistics of arm comparisons (designs and runs follow in issue 5)."""

from .stats import Estimate, hedges_g, number_needed_to_treat, responder_rate, risk_ratio

__all__ = ["Estimate", "hedges_g", "number_needed_to_treat", "responder_rate", "risk_ratio"]
