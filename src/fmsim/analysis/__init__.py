"""Analysis of a model (DESIGN section 9): steady states and their branches over a parameter,
with the folds where a person tips into chronic pain or recovers (:mod:`.bifurcation`).

The steady states rest on the model's exact Jacobian (:mod:`.system`) and a small
pseudo-arclength continuation (:mod:`.continuation`, which says why no library was used).
"""

from .bifurcation import BifurcationResult, BifurcationSpec, Branch, Fold, run_bifurcation
from .steady import SteadyState, attractors
from .system import System

__all__ = ["BifurcationResult", "BifurcationSpec", "Branch", "Fold", "SteadyState", "System",
           "attractors", "run_bifurcation"]
