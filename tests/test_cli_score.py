"""`fmsim score` as a clinician or researcher meets it."""

import json

import pytest
from typer.testing import CliRunner

from fmsim.cli import app

runner = CliRunner()
E13 = "5,5,5,5,5,5,5,5,5,6,8,7,7,7,7,7,7,7,7,7,7"
E17 = "shoulder-left,shoulder-right,upper-leg-left,upper-leg-right,neck,lower-back,lower-arm-left"


def invoke(*args):
    return runner.invoke(app, ["score", *map(str, args)])


def test_fiqr_json_contract():
    result = invoke("fiqr", "--items", E13, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"total": 64.0, "function": 15.0, "overall": 14.0,
                                         "symptoms": 35.0, "band": "severe", "answered": 21}


def test_fiqr_blank_value_is_a_missing_item():
    items = "5,5,5,5,5,5,5,5,,6,8,7,7,7,7,7,7,7,7,7,7"  # item 9 left blank
    data = json.loads(invoke("fiqr", "--items", items, "--json").stdout)
    assert data["answered"] == 20 and data["function"] == pytest.approx(15.0)


def test_acr2016_json_contract_and_human_output():
    args = ("acr2016", "--areas", E17, "--fatigue", 2, "--unrefreshed", 2, "--cognitive", 1,
            "--months", 3)
    data = json.loads(invoke(*args, "--json").stdout)
    assert {k: data[k] for k in ("wpi", "sss", "regions", "psd", "positive")} == {
        "wpi": 7, "sss": 5, "regions": 5, "psd": 12, "positive": True}
    text = invoke(*args).stdout
    assert "positive" in text and "does not diagnose" in text


def test_acr2010_acr2011_acr1990():
    base = ("--areas", "neck,shoulder-left,hip-right", "--fatigue", 3, "--unrefreshed", 3,
            "--cognitive", 3, "--months", 6, "--json")
    assert json.loads(invoke("acr2011", *base, "--headache", "--abdominal", "--depression")
                      .stdout)["positive"]
    assert json.loads(invoke("acr2010", *base, "--somatic", 3).stdout)["positive"]
    assert not json.loads(invoke("acr2016", *base, "--headache", "--abdominal", "--depression")
                          .stdout)["positive"]
    assert json.loads(invoke("acr1990", "--tender-points", 11, "--widespread", "--json")
                      .stdout)["positive"]
    assert not json.loads(invoke("acr1990", "--tender-points", 10, "--widespread", "--json")
                          .stdout)["positive"]


def test_fiq_from_the_command_line():
    result = invoke("fiq", "--function", ",".join(["1.5"] * 11), "--felt-good", 3,
                    "--missed-work", 2, "--job-difficulty", 6, "--pain", 6, "--fatigue", 6,
                    "--morning-tiredness", 6, "--stiffness", 6, "--anxiety", 6,
                    "--depression", 6, "--json")
    assert json.loads(result.stdout)["total"] == pytest.approx(55.57, abs=0.01)


def test_file_of_respondents_json_and_csv(tmp_path):
    people = [{"id": "A", "items": E13}, {"id": "B", "items": [0] * 21}]
    (tmp_path / "r.json").write_text(json.dumps(people))
    data = json.loads(invoke("fiqr", "--file", tmp_path / "r.json", "--json").stdout)
    assert [(d["id"], d["total"]) for d in data] == [("A", 64.0), ("B", 0.0)]
    (tmp_path / "r.csv").write_text(
        "id,areas,fatigue,unrefreshed,cognitive,headache,abdominal,depression,months\n"
        f'P1,"{E17}",2,2,1,no,no,no,3\n'
        'P2,"neck,chest",3,3,3,yes,yes,yes,12\n')
    data = json.loads(invoke("acr2016", "--file", tmp_path / "r.csv", "--json").stdout)
    assert [(d["id"], d["positive"]) for d in data] == [("P1", True), ("P2", False)]
    table = invoke("acr2016", "--file", tmp_path / "r.csv").stdout
    assert "P1" in table and "row 2: not met" in table


@pytest.mark.parametrize(("args", "message"), [
    (("fiqr", "--items", E13.replace("5,", "11,", 1)), "item 1 (brush or comb hair) is 11"),
    (("fiqr", "--items", E13.replace("7,7", "-1,7", 1)), "is -1; allowed"),
    (("fiqr", "--items", E13.rsplit(",", 1)[0]), "21 items; got 20"),
    (("fiqr", "--items", ",,,,,,,,," + E13[18:]), "function domain has no answered item"),
    (("fiqr",), "give --items"),
    (("acr2016", "--areas", "neck,knee-left", "--fatigue", 1, "--unrefreshed", 1,
      "--cognitive", 1, "--months", 3), "unknown area 'knee-left'"),
    (("acr2016", "--areas", E17, "--fatigue", 4, "--unrefreshed", 1, "--cognitive", 1,
      "--months", 3), "fatigue is 4; allowed: a whole number from 0 to 3"),
    (("acr2016", "--areas", E17, "--fatigue", 1, "--unrefreshed", 1, "--cognitive", 1),
     "missing answer(s): months"),
    (("acr2016", "--areas", E17, "--fatigue", 1, "--unrefreshed", 1, "--cognitive", 1,
      "--months", 3, "--explained-by-other"), "No such option: --explained-by-other"),
    (("acr2011", "--areas", E17, "--fatigue", 1, "--unrefreshed", 1, "--cognitive", 1,
      "--months", 3, "--somatic", 2), "No such option: --somatic"),
    (("acr1990", "--tender-points", 19, "--widespread"), "tender points is 19"),
    (("fiqr", "--file", "no-such-file.json"), "does not exist"),
])
def test_bad_input_is_one_clear_error(args, message):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_bad_rows_in_a_file_name_the_row(tmp_path):
    (tmp_path / "bad.csv").write_text("items\n" + '"' + E13 + '"\n' + '"' + E13[:-2] + '"\n')
    result = invoke("fiqr", "--file", tmp_path / "bad.csv")
    assert result.exit_code == 2 and "bad.csv row 2: the FIQR has 21 items; got 20" in \
        " ".join(result.output.split())
    (tmp_path / "bad.json").write_text("{not json")
    assert "not valid JSON" in invoke("fiqr", "--file", tmp_path / "bad.json").output
    (tmp_path / "extra.json").write_text(json.dumps({"items": E13, "colour": "red"}))
    assert "unknown answer key(s) ['colour']" in invoke(
        "fiqr", "--file", tmp_path / "extra.json").output
    result = invoke("fiqr", "--items", E13, "--file", tmp_path / "extra.json")
    assert result.exit_code == 2 and "not both" in result.output
