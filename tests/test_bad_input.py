"""Inputs that cannot hurt: every bad spec, scenario file, respondent file and command line ends
in one clear message (an FMSimError; exit code 2 and no traceback on the command line), and no
meaningless input runs."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fmsim import FMSimError, ScenarioSpec, TreatmentSpec, load_catalog, parse_scenario
from fmsim.cli import app
from fmsim.instruments import read_respondents, score_respondents

runner = CliRunner()
CATALOG = list(load_catalog())

# ---------------------------------------------------------------- treatment SPECs
part = st.one_of(
    st.sampled_from(CATALOG),
    st.builds(lambda n, d: f"{n}:{d}", st.sampled_from(CATALOG),
              st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(str),
                        st.integers(-10, 5000).map(str), st.just(""), st.text(max_size=4))),
    st.text(max_size=8),
)
specs = st.lists(part, min_size=1, max_size=4).map("+".join)


@settings(max_examples=300, deadline=None)
@given(specs)
def test_any_spec_parses_or_is_refused_clearly(text):
    try:
        spec = TreatmentSpec.parse(text)
    except FMSimError as exc:
        assert str(exc)
        return
    assert TreatmentSpec.parse(str(spec)) == spec
    for c in spec.components:
        assert c.dose is None or c.entry.dose_range[0] <= c.dose <= c.entry.dose_range[1]


@pytest.mark.parametrize(("spec", "message"), [
    ("duloxetine:", "the dose after ':' is missing"),
    ("duloxetine:nan", "is not a number"),
    ("duloxetine:1_0", "is not a number"),
    ("duloxetine:٦٠", "is not a number"),
    ("placebo+usual-care", "both context arms"),
    ("usual-care+aerobic", "combines with nothing"),
    ("placebo+duloxetine:60", "stands in for duloxetine"),
    ("attention-control+aerobic", "stands in for aerobic"),
    ("sham-acupuncture+acupuncture", "stands in for acupuncture"),
    ("duloxetine+duloxetine:30", "appears twice"),
    (60, "is text such as"),
    ("", "empty treatment SPEC"),
])
def test_meaningless_specs_are_refused(spec, message):
    with pytest.raises(FMSimError, match=message):
        TreatmentSpec.parse(spec)


def test_a_placebo_pill_beside_a_program_is_a_factorial_arm():
    assert TreatmentSpec.parse("placebo+aerobic").names == ("placebo", "aerobic")


# ---------------------------------------------------------------- scenario tables
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(),
              st.text(max_size=12)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8,
).filter(lambda v: v is not None)
KEYS = ("description", "person", "days", "warmup_days", "parameters", "triggers", "treatments")
kinds = st.sampled_from(["injury", "infection", "meteor"])
trigger = st.fixed_dictionaries({"kind": kinds | values,
                                 "start_day": st.integers(-5, 10**9) | values},
                                optional={"duration_days": st.integers(-5, 10**9) | values,
                                          "intensity": st.floats() | values})
treatment = st.fixed_dictionaries({"spec": specs | values,
                                   "start_day": st.integers(-5, 10**9) | values},
                                  optional={"stop_day": st.integers(-5, 10**9) | values,
                                            "adherence": st.floats() | values})
tables = st.fixed_dictionaries(
    {"person": st.sampled_from(["healthy", "vulnerable"]) | values},
    optional={"days": st.integers(-5, 10**10) | values,
              "warmup_days": st.integers(-5, 10**10) | values,
              "description": st.text(max_size=20) | values,
              "parameters": st.dictionaries(st.sampled_from(["genetic", "k_S", "tau_S", "warp"]),
                                            st.floats() | values, max_size=2) | values,
              "triggers": st.lists(trigger, max_size=3) | values,
              "treatments": st.lists(treatment, max_size=3) | values})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_any_scenario_table_parses_or_is_refused_clearly(data):
    try:
        spec = parse_scenario(data, "fuzz")
    except FMSimError as exc:
        assert str(exc).startswith("scenario 'fuzz'"), str(exc)
        return
    assert isinstance(spec, ScenarioSpec) and 1 <= spec.days <= 36500
    assert all(isinstance(v, float) for v in spec.parameters.values())


# ---------------------------------------------------------------- respondent files
@settings(max_examples=200, deadline=None)
@given(instrument=st.sampled_from(["fiqr", "fiq", "acr2016", "acr2011", "acr2010", "acr1990"]),
       data=st.one_of(values, st.lists(st.dictionaries(
           st.sampled_from(["items", "areas", "fatigue", "unrefreshed", "cognitive", "months",
                            "headache", "somatic", "tender_points", "widespread", "function",
                            "pain", "id"]), values, max_size=6), max_size=3)))
def test_any_respondent_file_is_scored_or_refused_clearly(instrument, data, tmp_path_factory):
    path = tmp_path_factory.mktemp("r") / "answers.json"
    path.write_text(json.dumps(data))
    try:
        results = score_respondents(instrument, read_respondents(path))
    except FMSimError as exc:
        assert str(exc)
        return
    assert isinstance(results, list) and results


# ---------------------------------------------------------------- the command line
def _files(tmp_path):
    """Bad files of every kind, by name."""
    files = {
        "binary.toml": b"\x00\x01\x02\xff" * 50,
        "utf16.toml": 'person = "healthy"\n'.encode("utf-16"),
        "latin1.toml": 'person = "healthy"\ndescription = "Ren\xe9e"\n'.encode("latin-1"),
        "number-spec.toml": b'person = "healthy"\n[[treatments]]\nspec = 60\nstart_day = 1\n',
        "deep.toml": b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "long.toml": b'person = "healthy"\ndays = 1000000000\n',
        "warmup.toml": b'person = "healthy"\nwarmup_days = 1000000000\n',
        "fixed.toml": b'person = "healthy"\n[parameters]\nk_S = 3.0\n',
        "nan.toml": b'person = "healthy"\n[parameters]\ngenetic = nan\n',
        "true.toml": b'person = "healthy"\ndays = true\n[parameters]\ngenetic = true\n',
        "half-female.toml": b'person = "healthy"\n[parameters]\nfemale = 0.5\n',
        "huge-trigger.toml": b'person = "healthy"\n[[triggers]]\nkind = "injury"\nstart_day = 3'
                             b'\nintensity = 1e300\n',
        "late-trigger.toml": b'person = "healthy"\ndays = 30\n[[triggers]]\nkind = "injury"\n'
                             b'start_day = 40\n',
        "twice.toml": b'person = "healthy"\n[[treatments]]\nspec = "duloxetine"\nstart_day = 1\n'
                      b'[[treatments]]\nspec = "duloxetine:30+cbt"\nstart_day = 5\n',
        "placebo-and-drug.toml": b'person = "healthy"\n[[treatments]]\nspec = "placebo"\n'
                                 b'start_day = 0\n[[treatments]]\nspec = "duloxetine"\n'
                                 b'start_day = 5\n',
        "stacked.toml": b'person = "healthy"\n' + b'[[triggers]]\nkind = "injury"\n'
                        b'start_day = 5\nintensity = 2\n' * 3,
        "huge-int.toml": b'person = "healthy"\ndays = ' + b"9" * 5000 + b"\n",
        "huge-int.json": b'{"items": ' + b"9" * 5000 + b"}",
        "semicolons.csv": b"areas;fatigue;unrefreshed\nneck;1;1\n",
        "items-twice.json": json.dumps({"items": "1,2", "item3": 4}).encode(),
        "half-day.json": json.dumps({"function": "1,1,1,1,1,1,1,1,1,1",
                                     "felt_good": 3.5}).encode(),
        "areas-null.json": json.dumps({"areas": None, "fatigue": 1, "unrefreshed": 1,
                                       "cognitive": 1, "months": 3}).encode(),
        "items-number.json": json.dumps({"items": 5}).encode(),
        "empty-list.json": b"[]",
        "deep.json": b"[" * 100000 + b"]" * 100000,
        "duplicate.json": b'{"items": "1,2", "items": "3"}',
        "duplicate.csv": b"items,Items\n1,2\n",
        "utf16.json": json.dumps({"items": "1"}).encode("utf-16"),
        "bad-rows.csv": ("items\n" + '"' + ",".join(["5"] * 21) + '"\n"1,2"\n"'
                         + ",".join(["11"] * 21) + '"\n').encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


ACR = ["--fatigue", "1", "--unrefreshed", "1", "--cognitive", "1", "--months", "3"]
CORPUS = [
    (["simulate", "--scenario", "{d}/binary.toml"], "not UTF-8 text"),
    (["simulate", "--scenario", "{d}/utf16.toml"], "not UTF-8 text"),
    (["simulate", "--scenario", "{d}/latin1.toml"], "not UTF-8 text"),
    (["simulate", "--scenario", "{d}/number-spec.toml"], "is text such as"),
    (["simulate", "--scenario", "{d}/deep.toml"], "nested too deeply"),
    (["simulate", "--scenario", "{d}/long.toml"], "days must be a whole number from 1 to 36500"),
    (["simulate", "--scenario", "{d}/warmup.toml"], "warmup_days must be a whole number"),
    (["simulate", "--scenario", "{d}/true.toml"], "not true"),  # as TOML writes it
    (["simulate", "--scenario", "{d}/fixed.toml"], "does not vary between people"),
    (["simulate", "--scenario", "{d}/nan.toml"], "must be a number"),
    (["simulate", "--scenario", "{d}/half-female.toml"], "is 0 or 1 (yes or no), not 0.5"),
    (["simulate", "--scenario", "{d}/huge-trigger.toml"], "intensity must be a number above 0"),
    (["simulate", "--scenario", "{d}/late-trigger.toml"], "after the run's last day"),
    (["simulate", "--scenario", "{d}/twice.toml"], "given twice at once"),
    (["simulate", "--scenario", "{d}/placebo-and-drug.toml"], "stands in for duloxetine"),
    (["simulate", "--scenario", "{d}/stacked.toml"], "overlap to an intensity of 6"),
    (["simulate", "--scenario", "healthy", "--trigger", "injury:1.5@5", "--trigger",
      "injury:1@10"], "overlap to an intensity of 2.5"),
    (["simulate", "--scenario", "healthy", "--trigger", "injury:1e300@3"], "intensity must"),
    (["simulate", "--scenario", "healthy", "--days", "30", "--trigger", "injury@40"],
     "after the run's last day"),
    (["simulate", "--scenario", "healthy", "--days", "30", "--treat", "cbt", "--start-day",
      "40"], "after the run's last day"),
    (["simulate", "--scenario", "healthy", "--treat", "duloxetine:", "--start-day", "3"],
     "dose after ':' is missing"),
    (["simulate", "--scenario", "healthy", "--treat", "placebo+duloxetine", "--start-day", "3"],
     "stands in for duloxetine"),
    (["simulate", "--scenario", "healthy", "--treat", "duloxetine", "--start-day", "3",
      "--adherence", "1"], "has no program"),
    (["simulate", "--scenario", "healthy", "--seed", "3"], "--stochastic"),
    (["simulate", "--scenario", "healthy", "--days", "5", "--out", ""], "'--out': is empty"),
    (["model", "doc", "--out", " "], "'--out': is empty"),
    (["model", "export", "--format", "sbml", "--trigger", "injury:1e300@3"], "intensity must"),
    (["model", "export", "--format", "cellml"], "'cellml' is not one of"),
    (["vpop", "--n", "5", "--executor", "tcp://"], "needs a host and a port"),
    (["vpop", "--n", "5", "--executor", "tcp://localhost"], "needs a host and a port"),
    (["vpop", "--n", "5", "--executor", "tcp://localhost:0"], "port must be"),
    (["vpop", "--n", "5", "--executor", "tcp://localhost:99999"], "port must be"),
    (["vpop", "--n", "5", "--executor", "gpu"], "unknown executor"),
    (["vpop", "--n", "5", "--executor", "tcp://host:" + "9" * 5000], "port must be"),
    (["vpop", "--n", "5", "--executor", "tcp://host:٨٠"], "port must be"),
    (["simulate", "--scenario", "{d}/huge-int.toml"], "not valid TOML"),
    (["score", "fiqr", "--file", "{d}/huge-int.json"], "not valid JSON"),
    (["trial", "--arm", "placebo", "--arm", "placebo", "--n", "4"], "same treatment"),
    (["trial", "--arm", "duloxetine", "--arm", "duloxetine:60", "--n", "4"], "same treatment"),
    (["trial", "--arm", "placebo", "--arm", "duloxetine:60", "--adherence", "0.5", "--n", "4"],
     "no arm has a program"),
    (["trial", "--arm", "placebo+usual-care", "--arm", "aerobic", "--n", "4"], "context arms"),
    (["trial", "--arm", "placebo", "--arm", "aerobic", "--n", "4", "--withdraw", "1"],
     "every patient leaves in the first week"),
    (["trial", "--arm", "placebo", "--arm", "aerobic", "--n", "4", "--reading", "weekly"],
     "unknown reading 'weekly'; allowed: diary, visit"),
    (["simulate", "--scenario", ""], "the scenario is empty"),
    (["simulate", "--scenario", "{d}"], "is a folder, not a file"),
    (["simulate", "--scenario", "healthy", "--treat", "duloxetine++cbt", "--start-day", "1"],
     "has an empty part"),
    (["score", "fiqr", "--items", ""], "items is empty"),
    (["score", "fiqr", "--file", ""], "'--file': is empty"),
    (["score", "acr2016", "--file", "{d}/semicolons.csv"], "separate the columns with commas"),
    (["score", "fiqr", "--file", "{d}/items-twice.json"], "not both"),
    (["score", "fiq", "--file", "{d}/half-day.json"], "days felt good is 3.5"),
    (["model", "export", "--format", "sbml", "--out", "{d}/binary.toml/x.xml"],
     "is a file, not a folder"),
    (["model", "export", "--format", "sbml", "--out", "{d}"], "is a folder; give a file name"),
    (["model", "export", "--format", "antimony", "--out", "{d}/x.sbml"],
     "antimony is written as .ant or .antimony or .txt"),
    (["trial", "--arm", "placebo", "--arm", "aerobic", "--out", "{d}/binary.toml"],
     "is a file, not a folder"),
    (["twin", "simulate-diary", "--scenario", "fm-diary", "--days", "20", "--start",
      "9999-12-25", "--out", "{d}/new.csv"], "between 1900-01-01 and 2199-12-31"),
    (["twin", "simulate-diary", "--scenario", "fm-diary", "--days", "20", "--start",
      "20260105", "--out", "{d}/new.csv"], "is not a date YYYY-MM-DD"),
    (["twin", "simulate-diary", "--scenario", "fm-diary", "--days", "20", "--out",
      "{d}/same.json", "--truth", "{d}/same.json"], "are the same file"),
    (["twin", "simulate-diary", "--scenario", "fm-diary", "--days", "20", "--out",
      "{d}/new.csv", "--truth", "{d}/binary.toml/t.json"], "'--truth'"),
    (["twin", "fit", "{d}/nowhere.csv", "--out", "{d}"], "is a folder; give a file name"),
    (["twin", "fit", "{d}/fit.nc", "--out", "{d}/again.nc"], "fit.nc looks like a fit, not a "
     "diary"),
    (["score", "acr1990", "--tender-points", "12", "--widespread", "--areas", "neck"],
     "contradict each other"),
    (["score", "acr2010", "--areas", "neck", *ACR, "--somatic", "1", "--headache"],
     "No such option"),
    (["score", "acr2011", "--areas", "neck", *ACR, "--symptom-window", "past week"],
     "No such option"),
    (["score", "acr2016", "--file", "{d}/areas-null.json"], "not null"),
    (["score", "acr2016", "--areas", "neck,NECK", *ACR], "area 'neck' is given twice"),
    (["score", "fiqr", "--items", "1_0" + ",5" * 20], "must be a number from 0 to 10, not '1_0'"),
    (["simulate", "--scenario", "healthy", "--trigger", "injury@٥"], "is not a whole number"),
    (["simulate", "--scenario", "healthy", "--trigger", "injury@99999999999999999999"],
     "start_day must be from 0 to 36500, not 99999999999999999999"),
    (["score", "fiqr", "--file", "{d}/items-number.json"], "must be a list of answers"),
    (["score", "fiqr", "--file", "{d}/empty-list.json"], "holds no respondents"),
    (["score", "fiqr", "--file", "{d}/deep.json"], "nested too deeply"),
    (["score", "fiqr", "--file", "{d}/duplicate.json"], "appears twice"),
    (["score", "fiqr", "--file", "{d}/duplicate.csv"], "more than once"),
    (["score", "fiqr", "--file", "{d}/utf16.json"], "not UTF-8 text"),
    (["score", "fiqr", "--file", "{d}/bad-rows.csv"], "2 of 3 respondents have bad answers"),
    (["simulate", "--scenario", ":warning:"], "unknown scenario ':warning:'"),  # not an emoji
    (["twin", "fit", "{d}/no[/x]where.csv", "--out", "{d}/f.nc"],  # not Rich markup
     "no[/x]where.csv' does not exist"),
    (["twin", "check", "{d}"], "is a folder, not a file: name a .json or .csv file"),
]


@pytest.mark.parametrize(("args", "message"), CORPUS, ids=lambda x: " ".join(x)[:60]
                         if isinstance(x, list) else None)
def test_bad_invocations_end_in_one_clear_message(args, message, tmp_path):
    folder = _files(tmp_path)
    result = runner.invoke(app, [a.format(d=folder) for a in args])
    text = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2, text
    # Rich wraps a long line wherever it can, inside a path too
    assert message in text or "".join(message.split()) in "".join(text.split()), text
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(
        result.exception, SystemExit)


def test_every_bad_row_of_a_respondent_file_is_listed(tmp_path):
    folder = _files(tmp_path)
    result = runner.invoke(app, ["score", "fiqr", "--file", str(folder / "bad-rows.csv")])
    text = " ".join(result.output.split())
    assert "bad-rows.csv row 2: the FIQR has 21 items; got 2" in text
    assert "bad-rows.csv row 3: FIQR item 1 (brush or comb hair) is 11" in text
    assert "row 1:" not in text


def test_paths_are_printed_as_given_not_read_as_markup(tmp_path):
    """A path with square brackets is the user's; it is neither markup nor an error."""
    out = tmp_path / "d[/x]" / "diary[bold].csv"
    result = runner.invoke(app, ["twin", "simulate-diary", "--scenario", "fm-diary", "--days",
                                 "20", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and f"wrote{out}" in "".join(result.output.split())


def test_a_misspelt_answer_is_named_beside_the_missing_one():
    row = {"areas": "neck", "fatig": 2, "unrefreshed": 1, "cognitive": 1, "months": 4}
    with pytest.raises(FMSimError, match=r"missing answer\(s\): fatigue \(given as 'fatig'\?\)"):
        score_respondents("acr2016", [row])


@pytest.mark.parametrize("ident", [{"a": 1}, [1, 2], True])
def test_a_respondent_s_id_is_text_or_a_number(ident):
    row = {"id": ident, "areas": "neck", "fatigue": 2, "unrefreshed": 1, "cognitive": 1,
           "months": 4}
    with pytest.raises(FMSimError, match=r"id .* is not text or a number"):
        score_respondents("acr2016", [row])
    assert score_respondents("acr2016", [row | {"id": "A7"}])[0]["id"] == "A7"
