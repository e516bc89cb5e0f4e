"""The model as data: states, inputs, variables, couplings, the builder, ops and registries."""

from . import ops
from .builder import Model, ModelBuilder, ModelError, Namespace
from .kernel import NumpyKernel
from .registry import Evidence, ParameterInfo, Prior, Registry, RegistryError, load_registry
from .spec import Coupling, Input, State, Variable

__all__ = [
    "Coupling",
    "Evidence",
    "Input",
    "Model",
    "ModelBuilder",
    "ModelError",
    "Namespace",
    "NumpyKernel",
    "ParameterInfo",
    "Prior",
    "Registry",
    "RegistryError",
    "State",
    "Variable",
    "load_registry",
    "ops",
]
