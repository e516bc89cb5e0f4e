"""Analysis of a model (DESIGN section 9): steady states and their branches over a parameter,
with the folds where a person tips into chronic pain or recovers (:mod:`.bifurcation`), and the
global sensitivity of an output to the parameters over their priors (:mod:`.sensitivity`,
SALib), and the gains of the model's reinforcing loops at a person's state with each loop's
contribution to pain, knocked out in turn (:mod:`.loops`, :mod:`.attribution`).

The steady states rest on the model's exact Jacobian (:mod:`.system`) and a small
pseudo-arclength continuation (:mod:`.continuation`, which says why no library was used).
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "attribution": ["Contribution"],
        "bifurcation": [
            "BifurcationResult", "BifurcationSpec", "Branch", "Fold", "run_bifurcation",
        ],
        "loops": ["Loop", "LoopsResult", "LoopsSpec", "loop_gains", "run_loops"],
        "outputs": ["OUTPUTS", "Output"],
        "sensitivity": [
            "ParameterIndices", "Problem", "SensitivityResult", "SensitivitySpec",
            "run_sensitivity",
        ],
        "steady": ["SteadyState", "attractors"],
        "system": ["System"],
    },
)
