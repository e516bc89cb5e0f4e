"""The model as data: states, inputs, variables, couplings, the builder, ops and registries."""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submodules=["ops"],
    submod_attrs={
        "builder": ["Model", "ModelBuilder", "ModelError", "Namespace"],
        "kernel": ["NumpyKernel"],
        "models": ["DEFAULT_MODEL", "MODELS", "ModelRef", "default_model", "resolve_model"],
        "registry": [
            "Evidence", "ParameterInfo", "Prior", "Registry", "RegistryError", "load_registry",
        ],
        "spec": ["Coupling", "Input", "State", "Variable"],
    },
)
