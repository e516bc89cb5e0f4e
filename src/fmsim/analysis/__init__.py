"""Analysis of a model (DESIGN section 9): steady states and their branches over a parameter,
with the folds where a person tips into chronic pain or recovers (:mod:`.bifurcation`), and the
global sensitivity of an output to the parameters over their priors (:mod:`.sensitivity`,
SALib), and the gains of the model's reinforcing loops at a person's state with each loop's
contribution to pain, knocked out in turn (:mod:`.loops`, :mod:`.attribution`).

The steady states rest on the model's exact Jacobian (:mod:`.system`) and a small
pseudo-arclength continuation (:mod:`.continuation`, which says why no library was used).
"""

from .attribution import Contribution
from .bifurcation import BifurcationResult, BifurcationSpec, Branch, Fold, run_bifurcation
from .loops import Loop, LoopsResult, LoopsSpec, loop_gains, run_loops
from .outputs import OUTPUTS, Output
from .sensitivity import (
    ParameterIndices,
    Problem,
    SensitivityResult,
    SensitivitySpec,
    run_sensitivity,
)
from .steady import SteadyState, attractors
from .system import System

__all__ = ["OUTPUTS", "BifurcationResult", "BifurcationSpec", "Branch", "Contribution", "Fold",
           "Loop",
           "LoopsResult", "LoopsSpec", "Output", "ParameterIndices", "Problem",
           "SensitivityResult", "SensitivitySpec", "SteadyState", "System", "attractors",
           "loop_gains", "run_bifurcation", "run_loops", "run_sensitivity"]
