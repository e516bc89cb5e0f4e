"""Scenarios as data: the built-ins load, bad files get one clear error."""

import numpy as np
import pytest

from fmsim import SCENARIO_NAMES, FMSimError, load_scenario
from fmsim.interventions.triggers import Trigger
from fmsim.studies.scenario import parse_scenario


def test_design_scenario_names_are_built_in():
    expected = {"healthy", "vulnerable", "vulnerable-injury", "vulnerable-infection",
                "vulnerable-stress", "sleep-fragmentation", "healthy-injury"}
    assert expected <= set(SCENARIO_NAMES)
    for name in SCENARIO_NAMES:
        assert load_scenario(name).name == name


def test_sleep_fragmentation_follows_smith_2007():
    spec = load_scenario("sleep-fragmentation")
    (trigger,) = spec.triggers
    assert (trigger.kind, trigger.duration_days, trigger.intensity) == (
        "sleep-fragmentation", 3, 8.0)
    awakenings = spec.inputs(spec.days)["awakenings"]
    assert awakenings.sum() == 24 and np.count_nonzero(awakenings) == 3


def test_triggers_become_time_limited_inputs():
    spec = parse_scenario({"person": "healthy", "triggers": [
        {"kind": "injury", "start_day": 5, "duration_days": 2},
        {"kind": "infection", "start_day": 6, "duration_days": 1, "intensity": 2.0}]}, "t")
    u = spec.inputs(10)
    assert u["injury"].tolist() == [0, 0, 0, 0, 0, 0.5, 0.5, 0, 0, 0]
    assert u["infection"].tolist() == [0, 0, 0, 0, 0, 0, 2.0, 0, 0, 0]
    assert spec.trigger_end == 7


def test_scenario_file_can_be_loaded_by_path(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('person = "vulnerable"\ndays = 90\n[parameters]\ngenetic = 0.9\n'
                    '[[triggers]]\nkind = "acute-stress"\nstart_day = 10\n')
    spec = load_scenario(path)
    assert (spec.name, spec.days, spec.params()["genetic"]) == ("mine", 90, 0.9)
    assert spec.triggers[0].duration_days == 42  # the kind's default


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('person = "healthy"\ncolour = "blue"\n', "unknown key"),
        ('days = 10\n', "'person' is required"),
        ('person = "martian"\n', "unknown person"),
        ('person = "healthy"\n[[triggers]]\nkind = "earthquake"\nstart_day = 1\n',
         "unknown trigger kind"),
        ('person = "healthy"\n[[triggers]]\nkind = "injury"\nstart_day = -3\n', "start_day"),
        ('person = "healthy"\n[[triggers]]\nkind = "injury"\nstart_day = 3\nduration_days = 0\n',
         "duration_days"),
        ('person = "healthy"\n[[triggers]]\nkind = "injury"\nstart_day = 3\nintensity = -1\n',
         "intensity"),
        ('person = "healthy"\n[[triggers]]\nkind = "injury"\n', "start_day"),
        ('person = "healthy"\n[parameters]\nwarp = 9\n', "unknown parameter"),
        ('person = "healthy"\n[parameters]\ngenetic = 7\n', "outside its prior bounds"),
        ('person = "healthy"\ndays = 0\n', "days"),
        ('person = = "healthy"\n', "not valid TOML"),
    ],
)
def test_malformed_scenarios_get_one_clear_error(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(FMSimError, match=message):
        load_scenario(path)


def test_unknown_scenario_name_lists_the_known_ones():
    with pytest.raises(FMSimError, match="vulnerable-injury"):
        load_scenario("no-such-scenario")
    with pytest.raises(FMSimError, match="does not exist"):
        load_scenario("missing-file.toml")


def test_trigger_validation():
    with pytest.raises(FMSimError, match="whole number"):
        Trigger.create("injury", 1.5)
    assert Trigger.create("exercise", 0).end_day == 1
