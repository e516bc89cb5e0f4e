"""Reports: HTML pages, the model-loop diagram, and what each study's ``--out DIR`` writes
(through output folders that never mix runs)."""

from .analysis import write_bifurcation, write_loops, write_sensitivity
from .html import DISCLAIMER, write_report
from .output import OutputFolder
from .studies import (
    write_demo,
    write_people,
    write_scenario,
    write_trial,
    write_validation,
    write_verdict,
    write_whatif,
)

__all__ = ["DISCLAIMER", "OutputFolder", "write_bifurcation", "write_demo", "write_loops",
           "write_people",
           "write_report", "write_scenario", "write_sensitivity", "write_trial",
           "write_validation", "write_verdict", "write_whatif"]
