"""The model as data: states, inputs, variables, couplings, the builder, ops and registries."""

from . import ops
from .builder import Model, ModelBuilder, ModelError, Namespace
from .kernel import NumpyKernel
from .models import DEFAULT_MODEL, MODELS, ModelRef, default_model, resolve_model
from .registry import Evidence, ParameterInfo, Prior, Registry, RegistryError, load_registry
from .spec import Coupling, Input, State, Variable

__all__ = [
    "DEFAULT_MODEL",
    "MODELS",
    "Coupling",
    "Evidence",
    "Input",
    "Model",
    "ModelBuilder",
    "ModelError",
    "ModelRef",
    "Namespace",
    "NumpyKernel",
    "ParameterInfo",
    "Prior",
    "Registry",
    "RegistryError",
    "State",
    "Variable",
    "default_model",
    "load_registry",
    "ops",
    "resolve_model",
]
