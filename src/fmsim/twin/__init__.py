"""The digital twin (issue 21): one person's daily diary in, their mechanisms and what-ifs out.

Research and education software, not a medical device: no diagnosis, no dosing advice.

* :mod:`.diary`: the diary format, read whole or refused with every bad cell named;
* :mod:`.simulate`: diaries of virtual people whose truth is known.
"""

from .diary import Diary, DiaryError, DiaryProblem, read_diary
from .simulate import SimulatedDiary, simulate_diary

__all__ = ["Diary", "DiaryError", "DiaryProblem", "SimulatedDiary", "read_diary",
           "simulate_diary"]
