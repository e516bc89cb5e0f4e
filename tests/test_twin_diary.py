"""The twin's diary (issue 21, deliverables 1 and 2): the format read whole or refused with
every bad cell named, what a diary tells the model, and simulated diaries with known truth."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from fmsim.cli import app
from fmsim.studies import load_scenario
from fmsim.twin import Diary, DiaryError, read_diary, simulate_diary
from fmsim.twin.diary import COLUMNS, MIN_DAYS

runner = CliRunner()


def days(n, start=1, **columns):
    """``n`` rows from 2026-03-``start`` (a 31-day month: n + start <= 32) with a pain of 5
    and the given columns on every row."""
    return [{"date": f"2026-03-{d:02d}", "pain": 5, **columns} for d in range(start, start + n)]


@pytest.fixture(scope="module")
def simulated():
    return simulate_diary(load_scenario("fm-diary-duloxetine", "fm-v2"), 120, seed=3,
                          missing=0.2)


def test_a_diary_round_trips_through_csv_and_json(simulated, tmp_path):
    diary = simulated.diary
    for suffix in (".csv", ".json"):
        again = read_diary(diary.write(tmp_path / f"diary{suffix}"))
        assert again.start == diary.start and again.days == diary.days
        np.testing.assert_array_equal(again.logged, diary.logged)
        for name in diary.values.data_vars:
            np.testing.assert_array_equal(again.values[name].values, diary.values[name].values)
        assert again.medications == diary.medications and again.events == diary.events
    header = (tmp_path / "diary.csv").read_text().splitlines()[0]
    assert header == ",".join(COLUMNS)


# (rows, the problems expected: (row, column, words of the reason))
BAD = {
    "unknown column": (days(14, weather="sunny"), [(0, "weather", "not a diary column")]),
    "no date column": ([{"pain": 5}] * 14, [(0, "date", "missing")]),  # once, not per row
    "malformed date": (days(13) + [{"date": "03/20/2026", "pain": 5}],
                       [(14, "date", "not a date")]),
    "impossible date": (days(13) + [{"date": "2026-02-30", "pain": 5}],
                        [(14, "date", "not a day of the calendar")]),
    "date twice": (days(14) + days(1, start=14), [(15, "date", "twice (first in row 14)")]),
    "out of order": (days(7, start=20) + days(7, start=1), [(8, "date", "comes before")]),
    "rating out of range": (days(13) + [{"date": "2026-03-20", "pain": 11}],
                            [(14, "pain", "outside 0-10")]),
    "not a number": (days(13) + [{"date": "2026-03-20", "pain": "seven"}],
                     [(14, "pain", "not a number")]),
    "negative hours": (days(14, sleep_hours=-1), [(r, "sleep_hours", "outside 0-24")
                                                  for r in range(1, 15)]),
    "unknown drug": (days(14, medications="duloxetin:60"),
                     [(r, "medications", "'duloxetin', not a drug of the catalog; allowed: ")
                      for r in range(1, 15)]),
    "a program as a drug": (days(14, medications="aerobic"),
                            [(r, "medications", "(exercise goes in the exercise column)")
                             for r in range(1, 15)]),
    "placebo as a drug": (days(14, medications="placebo"),
                          [(r, "medications", "'placebo', not a drug of the catalog")
                           for r in range(1, 15)]),
    "a dose out of range": (days(14, medications="duloxetine:600"),
                            [(r, "medications", "not a drug SPEC") for r in range(1, 15)]),
    "unknown program": (days(14, exercise="jogging"),
                        [(r, "exercise", "not an exercise program") for r in range(1, 15)]),
    "unknown event": (days(14, events="flare"),
                      [(r, "events", "not an event") for r in range(1, 15)]),
    "too few days": (days(MIN_DAYS - 1), [(0, "pain", f"a diary needs at least {MIN_DAYS}")]),
    "a date out of range": (days(14) + [{"date": "9999-12-30", "pain": 5}],
                            [(15, "date", "outside 1900-01-01 to 2199-12-31")]),
    "two doses of one drug": (days(14, medications="duloxetine:60;pregabalin:300;duloxetine:120"),
                              [(r, "medications", "logs duloxetine twice on one day")
                               for r in range(1, 15)]),
    "one event twice": (days(14, events="injury;stressor;injury"),
                        [(r, "events", "logs injury twice") for r in range(1, 15)]),
    "a column without a name": ([{**r, "": ""} for r in days(14)],
                                [(0, "", "a column without a name")]),
    "a name with a space": ([{**r, " mood": 3} for r in days(14)],
                            [(0, " mood", "is not a diary column")]),
    "too few days and a bad cell": (days(8) + [{"date": "2026-03-20", "pain": 12}],
                                    [(0, "pain", "a diary needs at least"),
                                     (9, "pain", "outside 0-10")]),
}


@pytest.mark.parametrize("case", BAD)
def test_every_bad_cell_is_named_by_row_and_column(case):
    rows, expected = BAD[case]
    with pytest.raises(DiaryError) as caught:
        Diary.from_records(rows, "diary.csv")
    problems = caught.value.problems
    assert len(problems) == len(expected), problems
    for problem, (row, column, words) in zip(problems, expected, strict=True):
        assert (problem.row, problem.column) == (row, column), problem
        assert words in problem.reason, problem
    assert "nothing was read" in str(caught.value)


def test_a_diary_with_many_mistakes_lists_them_all_in_row_order(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("date,pain,fatigue,medications,events,weather\n"
                    "2026-01-01,5,6,duloxetine:60,,sunny\n"
                    "2026-01-02,12,six,duloxetin:60,flare,rain\n"
                    "2026-01-02,5,6,aerobic,,\n"
                    "01/05/2026,5,6,,,\n", encoding="utf-8")
    result = runner.invoke(app, ["twin", "check", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    with pytest.raises(DiaryError) as caught:
        read_diary(path)
    where = [(p.row, p.column) for p in caught.value.problems]
    assert where == [(0, "weather"), (0, "pain"), (2, "pain"), (2, "fatigue"),
                     (2, "medications"), (2, "events"), (3, "date"), (3, "medications"),
                     (4, "date")]  # (0, "pain"): four rows are too few days whatever else


def test_a_json_diary_may_leave_cells_out_or_null():
    rows = [{"date": f"2026-03-{d:02d}", "pain": 4.5, "mood": None} for d in range(1, 21)]
    rows[3] = {"date": "2026-03-04"}  # a day logged without a pain rating
    diary = Diary.from_records(rows)
    assert diary.days == 20 and diary.logged.all()
    assert np.isnan(diary.values["pain"].values[3]) and np.isnan(diary.values["mood"]).all()


def test_a_json_diary_may_list_names_and_a_day_may_hold_two_sessions():
    rows = days(14, medications=["duloxetine:60", "pregabalin:300"], events=["stressor"])
    rows[0]["exercise"] = "aerobic;aerobic"  # two sessions of one program on one day
    diary = Diary.from_records(rows)
    assert diary.medications[:2] == ((0, "duloxetine:60"), (0, "pregabalin:300"))
    assert diary.exercise == ((0, "aerobic"), (0, "aerobic")) and len(diary.events) == 14
    assert diary.to_records()[0]["medications"] == "duloxetine:60;pregabalin:300"


def test_a_json_object_or_nested_list_in_a_cell_is_named_as_such():
    rows = days(14)
    rows[0]["medications"] = {"duloxetine": 60}
    rows[1]["pain"] = [3]
    rows[2]["events"] = [["injury"]]
    with pytest.raises(DiaryError) as refused:
        Diary.from_records(rows)
    problems = [(p.row, p.column, p.reason) for p in refused.value.problems]
    assert [(r, c) for r, c, _ in problems] == [(1, "medications"), (2, "pain"), (3, "events")]
    assert all("is a JSON object or a nested list" in m for *_, m in problems)


def test_names_are_read_whatever_their_letter_case():
    rows = days(14, medications="Duloxetine:60", events="Bad-Night", exercise="AEROBIC")
    diary = Diary.from_records(rows)
    assert diary.medications[0] == (0, "duloxetine:60") and diary.events[0] == (0, "bad-night")
    assert diary.exercise[0] == (0, "aerobic")
    rows[1]["events"] = "bad-night;BAD-NIGHT"  # one event, twice on a day
    with pytest.raises(DiaryError, match="logs bad-night twice"):
        Diary.from_records(rows)


def test_drugs_run_across_days_without_a_row_and_stop_on_a_day_without_them():
    rows = days(10, medications="duloxetine:60")  # March 1-10
    rows += [{"date": "2026-03-14", "pain": 5}]  # 11-13 not logged; logged without the drug
    rows += days(7, start=15, medications="duloxetine:60;pregabalin:300")
    diary = Diary.from_records(rows)
    periods = [(str(t.spec), t.start_day, t.stop_day) for t in diary.treatments()]
    assert periods == [("duloxetine:60", 0, 10), ("duloxetine:60", 14, 21),
                       ("pregabalin:300", 14, 21)]


def test_events_and_sessions_become_the_model_s_triggers():
    rows = days(14)
    rows[2]["events"] = "injury;bad-night"
    rows[5]["exercise"] = "aerobic"
    rows[9]["events"] = "stressor"
    triggers = {(t.kind, t.start_day): t for t in Diary.from_records(rows).triggers()}
    assert set(triggers) == {("injury", 2), ("sleep-fragmentation", 2), ("exercise", 5),
                             ("acute-stress", 9)}
    assert triggers[("sleep-fragmentation", 2)].duration_days == 1
    # the catalog's aerobic session: 45 minutes at 0.7 of a strenuous hour
    assert triggers[("exercise", 5)].intensity == pytest.approx(0.7 * 45 / 60)


def test_a_simulated_diary_logs_what_happened_and_keeps_the_truth(simulated):
    diary, truth = simulated.diary, simulated.truth
    assert truth.scenario == "fm-diary-duloxetine" and truth.model == "fm-v2"
    assert truth.first_day == 730 and len(truth.states["P"]) == 120
    # duloxetine starts on scenario day 790, the diary's day 60 (logged from then on)
    (taken,) = diary.treatments()
    assert str(taken.spec) == "duloxetine:60" and 60 <= taken.start_day <= 62
    assert taken.stop_day >= 118
    assert 0.7 < diary.logged.mean() < 0.9  # 20% of days missing
    assert any("injury" in u for u in truth.unlogged)  # before the diary
    # every parameter of the person, so that a fit can be read against all of them
    from fmsim import resolve_model
    assert set(truth.parameters) == set(resolve_model("fm-v2").parameters)
    assert truth.parameters["act_plan"] == 0.4  # the scenario's own (the registry has 0.6)
    # the diary's pain is the model's pain through answer noise
    pain = diary.values["pain"].values
    model = 10 * np.array(truth.states["P"])[: diary.days]
    seen = ~np.isnan(pain)
    assert abs(pain[seen].mean() - model[seen].mean()) < 0.5
    assert np.corrcoef(pain[seen], model[seen])[0, 1] > 0.5
    again = simulate_diary(load_scenario("fm-diary-duloxetine", "fm-v2"), 120, seed=3,
                           missing=0.2)
    assert again.diary.to_csv() == diary.to_csv()


def test_simulate_diary_and_check_from_the_command_line(tmp_path):
    diary, truth = tmp_path / "d.json", tmp_path / "t.json"
    result = runner.invoke(app, ["twin", "simulate-diary", "--scenario", "fm-diary", "--days",
                                 "30", "--seed", "1", "--out", str(diary), "--truth",
                                 str(truth)])
    assert result.exit_code == 0, result.output
    assert json.loads(truth.read_text())["note"].startswith("simulated")
    checked = runner.invoke(app, ["twin", "check", str(diary), "--json"])
    assert checked.exit_code == 0 and json.loads(checked.stdout)["logged"] == 30


def test_check_json_lists_a_bad_diary_s_problems_on_stdout(tmp_path):
    rows = days(14)
    rows[2]["pain"], rows[4]["events"] = 12, "flood"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(rows))
    result = runner.invoke(app, ["twin", "check", str(path), "--json"])
    assert result.exit_code == 2 and "2 problem(s)" in result.stderr
    problems = json.loads(result.stdout)["problems"]
    assert [(p["row"], p["column"], p["value"]) for p in problems] == [
        (3, "pain", "12"), (5, "events", "flood")]
    assert "outside 0-10" in problems[0]["reason"]
    path.write_text("[{")  # not JSON at all: one problem, of the whole diary
    result = runner.invoke(app, ["twin", "check", str(path), "--json"])
    assert result.exit_code == 2 and json.loads(result.stdout)["problems"][0]["row"] == 0


@pytest.mark.parametrize("args, words", [
    (["--days", "5"], "days"),
    (["--days", "900"], "days"),
    (["--days", "30", "--missing", "0.95"], "missing"),
    (["--days", "20", "--missing", "0.9"], "remain"),
    (["--days", "30", "--start", "5 Jan"], "not a date"),
    (["--days", "30", "--scenario", "nowhere"], "scenario"),
])
def test_bad_simulate_diary_options_write_nothing(tmp_path, args, words):
    target = tmp_path / "d.csv"
    base = ["twin", "simulate-diary", "--out", str(target)]
    if "--scenario" not in args:
        base += ["--scenario", "fm-diary"]
    result = runner.invoke(app, base + args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert words in result.output and not target.exists()


def test_a_diary_is_written_as_csv_or_json_only(tmp_path):
    result = runner.invoke(app, ["twin", "simulate-diary", "--scenario", "fm-diary", "--days",
                                 "30", "--out", str(tmp_path / "d.txt")])
    assert result.exit_code == 2 and ".csv or .json" in result.output
    assert not list(tmp_path.iterdir())


def test_a_long_bad_cell_is_shortened_in_the_message_and_kept_whole():
    rows = days(13) + [{"date": "2026-03-20", "pain": "x" * 100_000}]
    with pytest.raises(DiaryError) as caught:
        Diary.from_records(rows, "diary.csv")
    (problem,) = caught.value.problems
    assert len(problem.value) == 100_000  # whole in the problems (and check --json)
    assert "x" * 60 + "...'" in str(caught.value) and len(str(caught.value)) < 300
