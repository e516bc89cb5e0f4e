"""Exchange with the systems-biology ecosystem: SBML Level 3 and Antimony export."""

from .export import Export, to_antimony, to_sbml

__all__ = ["Export", "to_antimony", "to_sbml"]
