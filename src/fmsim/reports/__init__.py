"""Reports: HTML pages, the model-loop diagram, and what each study's ``--out DIR`` writes
(through output folders that never mix runs)."""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "analysis": ["write_bifurcation", "write_loops", "write_sensitivity"],
        "html": ["DISCLAIMER", "write_report"],
        "output": ["OutputFolder"],
        "studies": [
            "write_demo", "write_people", "write_scenario", "write_trial", "write_validation",
            "write_verdict", "write_whatif",
        ],
    },
)
