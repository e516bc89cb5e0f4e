"""Exchange with the systems-biology ecosystem: SBML Level 3 and Antimony export."""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "export": ["Export", "to_antimony", "to_sbml"],
    },
)
