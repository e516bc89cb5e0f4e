"""The digital twin (issue 21): one person's daily diary in, their mechanisms and what-ifs out.

Research and education software, not a medical device: no diagnosis, no dosing advice.

* :mod:`.diary`: the diary format, read whole or refused with every bad cell named;
* :mod:`.simulate`: diaries of virtual people whose truth is known;
* :mod:`.spec`, :mod:`.likelihood`, :mod:`.fit`: what a fit is asked, the particle filter's
  likelihood of a diary, and the fit itself (:class:`TwinFit`, saved as NetCDF);
* :mod:`.whatif`, :mod:`.explain`: a fit carried forward under plans, and what holds the
  person's symptoms up.

The package loads each module when one of its names is first used.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "diary": ["Diary", "DiaryError", "DiaryProblem", "read_diary"],
        "explain": ["Explanation", "explain_twin"],
        "fit": ["TwinFit", "fit_twin", "load_fit"],
        "simulate": ["SimulatedDiary", "simulate_diary"],
        "spec": ["TwinSpec"],
        "whatif": ["WhatIfResult", "run_whatif"],
    },
)
