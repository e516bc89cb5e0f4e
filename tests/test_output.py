"""`--out DIR` never mixes runs: files are staged and moved in together, an earlier run's files
are replaced or removed, a failed run leaves the earlier one intact, foreign files stay."""

import json

import pytest
import xarray as xr
from typer.testing import CliRunner

from fmsim import FMSimError
from fmsim.cli import app
from fmsim.reports import OutputFolder
from fmsim.reports.output import FILES, MANIFEST, OutputFile

runner = CliRunner()


def _run(folder, files: dict[str, str], command: str = "test") -> None:
    with OutputFolder(folder, command) as out:
        for name, text in files.items():
            out.file(name).write_text(text)


def test_a_run_replaces_the_previous_runs_files_and_keeps_foreign_ones(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    _run(tmp_path, {"a.json": "1", "figures/a.png": "png", "b.txt": "old"})
    _run(tmp_path, {"a.json": "2", "c.txt": "new"})
    assert (tmp_path / "a.json").read_text() == "2" and (tmp_path / "c.txt").exists()
    assert not (tmp_path / "b.txt").exists() and not (tmp_path / "figures" / "a.png").exists()
    assert (tmp_path / "notes.txt").read_text() == "mine"
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert manifest == {"command": "test", "files": ["a.json", "c.txt"]}
    assert not list(tmp_path.glob(".fmsim-staging-*"))


def test_a_file_of_the_user_s_with_a_name_the_run_writes_is_never_replaced(tmp_path):
    (tmp_path / "a.json").write_text("mine")
    with pytest.raises(FMSimError, match=r"a\.json.*no FMSim run into the folder wrote it"):
        _run(tmp_path, {"a.json": "1", "b.txt": "new"})
    assert (tmp_path / "a.json").read_text() == "mine" and not (tmp_path / "b.txt").exists()
    assert not list(tmp_path.glob(".fmsim-staging-*")) and not (tmp_path / MANIFEST).exists()
    (tmp_path / "a.json").unlink()
    _run(tmp_path, {"a.json": "1"})
    _run(tmp_path, {"a.json": "2"})  # a run's own file is replaced by the next run
    assert (tmp_path / "a.json").read_text() == "2"


def test_a_link_an_earlier_run_left_is_removed_not_what_it_points_to(tmp_path):
    _run(tmp_path, {"a.json": "1"})
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "a.json").unlink()
    (tmp_path / "a.json").symlink_to(tmp_path / "notes.txt")
    _run(tmp_path, {"b.json": "2"})
    assert (tmp_path / "notes.txt").read_text() == "mine" and not (tmp_path / "a.json").exists()


def test_an_unreadable_manifest_is_said_before_anything_is_removed(tmp_path):
    _run(tmp_path, {"a.json": "1"})
    (tmp_path / MANIFEST).write_text("{not json")
    with pytest.raises(FMSimError, match="cannot be read, so files there may be yours"):
        _run(tmp_path, {"a.json": "2"})
    assert (tmp_path / "a.json").read_text() == "1"


def test_a_run_that_fails_leaves_the_previous_run_complete(tmp_path):
    _run(tmp_path, {"a.json": "1", "b.txt": "old"})
    with pytest.raises(RuntimeError), OutputFolder(tmp_path, "test") as out:
        out.file("a.json").write_text("half")
        raise RuntimeError("killed while writing")
    assert (tmp_path / "a.json").read_text() == "1" and (tmp_path / "b.txt").read_text() == "old"
    assert not list(tmp_path.glob(".fmsim-staging-*"))


def test_a_stale_staging_folder_of_a_killed_run_is_removed(tmp_path):
    stale = tmp_path / ".fmsim-staging-old"
    stale.mkdir()
    (stale / "trajectory.nc").write_text("truncated")
    _run(tmp_path, {"a.json": "1"})
    assert not stale.exists()


def test_out_must_be_a_folder(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(FMSimError, match="is a file, not a folder"):
        _run(tmp_path / "file", {"a.json": "1"})


def test_simulate_then_another_command_into_the_same_folder(tmp_path):
    """A trajectory from simulate, then a trial into the same folder: nothing of the first
    run is left to be mistaken for part of the second."""
    result = runner.invoke(app, ["simulate", "--scenario", "healthy", "--days", "20", "--out",
                                 str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert xr.load_dataset(tmp_path / "trajectory.nc", engine="h5netcdf").sizes["day"] == 20
    result = runner.invoke(app, ["trial", "--arm", "placebo", "--arm", "naproxen", "--weeks",
                                 "1", "--n", "4", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "trajectory.nc").exists() and not (tmp_path / "trajectory.png").exists()
    assert {p.name for p in tmp_path.iterdir()} == {"report.html", "result.json",
                                                   "patients.parquet", "figures", MANIFEST}


def test_a_failing_command_writes_nothing(tmp_path):
    result = runner.invoke(app, ["simulate", "--scenario", "healthy", "--days", "20",
                                 "--trigger", "injury@50", "--out", str(tmp_path / "new")])
    assert result.exit_code == 2 and "after the run's last day" in " ".join(result.output.split())
    assert not (tmp_path / "new").exists()


def test_a_run_that_cannot_move_in_leaves_the_previous_run_untouched(tmp_path):
    """Something in the way of a new file (a folder where a file goes, a file where a folder
    goes) is found before the previous run's files are removed."""
    _run(tmp_path, {"a.json": "1", "b.txt": "old"})
    (tmp_path / "patients.parquet").mkdir()
    with pytest.raises(FMSimError, match="not a file is in the way"):
        _run(tmp_path, {"a.json": "2", "patients.parquet": "table"})
    (tmp_path / "patients.parquet").rmdir()
    (tmp_path / "figures").write_text("a file")
    with pytest.raises(FMSimError, match="is a file, not a folder"):
        _run(tmp_path, {"a.json": "2", "figures/x.png": "png"})
    assert (tmp_path / "a.json").read_text() == "1" and (tmp_path / "b.txt").read_text() == "old"
    assert json.loads((tmp_path / MANIFEST).read_text())["files"] == ["a.json", "b.txt"]


def test_an_output_file_is_written_whole_or_not_at_all(tmp_path):
    """A run's single file (a fit, a diary, an export) is written under a partial name and
    renamed when complete; a run that fails leaves the earlier file as it was, and nothing
    else."""
    target = tmp_path / "sub" / "fit.nc"
    with OutputFile(target) as partial:
        assert partial.parent == target.parent and partial.suffix == ".nc"
        partial.write_text("first")
    assert target.read_text() == "first"
    with pytest.raises(RuntimeError), OutputFile(target) as partial:
        partial.write_text("half")
        raise RuntimeError("killed while writing")
    assert target.read_text() == "first" and sorted(
        p.name for p in target.parent.iterdir()) == [FILES, "fit.nc"]
    with pytest.raises(FMSimError, match="is a folder"), OutputFile(tmp_path):
        pass


def test_an_output_file_replaces_only_what_fmsim_wrote(tmp_path):
    """A single --out FILE replaces the file an FMSim run wrote there, never a file of the
    user's own of that name, nor one the user changed since FMSim wrote it."""
    mine = tmp_path / "diary.csv"
    mine.write_text("date,pain\n2026-01-01,5\n")
    with pytest.raises(FMSimError, match="no FMSim run wrote"), OutputFile(mine):
        pass
    assert mine.read_text() == "date,pain\n2026-01-01,5\n"
    ours = tmp_path / "export.md"
    for text in ("first", "second"):  # a run again over its own file
        with OutputFile(ours) as partial:
            partial.write_text(text)
    assert ours.read_text() == "second"
    ours.write_text("edited by hand, a little longer")  # now the user's
    with pytest.raises(FMSimError, match="changed since"), OutputFile(ours):
        pass
    assert ours.read_text() == "edited by hand, a little longer"
    result = runner.invoke(app, ["twin", "simulate-diary", "--scenario", "fm-diary", "--days",
                                 "14", "--out", str(mine)])
    text = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2 and "no FMSim run wrote" in text, text
    assert mine.read_text() == "date,pain\n2026-01-01,5\n"


@pytest.mark.parametrize("args", [
    ["trial", "--arm", "placebo", "--arm", "aerobic", "--n", "4"],
    ["simulate", "--scenario", "healthy", "--days", "5"],
])
def test_an_out_that_cannot_be_written_is_refused_before_the_run(tmp_path, args, monkeypatch):
    """Checked as the command line is read: a run is not computed to be lost to its --out."""
    import fmsim.studies

    def never(*_, **__):
        raise AssertionError("the run started")

    monkeypatch.setattr(fmsim.studies, "run_trial", never)
    monkeypatch.setattr(fmsim.studies, "run_scenario", never)
    (tmp_path / "a-file").write_text("x")
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "a-file" / "deeper")])
    text = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2 and "is a file, not a folder" in text, text
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(("args", "mine"), [
    (["validate"], "report.html"),
    (["trial", "--arm", "placebo", "--arm", "aerobic", "--n", "4"], "patients.parquet"),
    (["vpop", "--n", "500"], "result.json"),
    (["simulate", "--scenario", "healthy", "--days", "5"], "trajectory.png"),
    (["analyze", "sensitivity", "--output", "chronic_pain"], "sensitivity.png"),
    (["analyze", "loops"], "loops.png"),
    (["phenotype", "--n", "500"], "patients.parquet"),
    (["natural-history", "--n", "100"], "result.json"),
    (["demo"], "figures/trial.png"),
    (["twin", "whatif", "fit.nc", "--plan", "aerobic"], "whatif.png"),
])
def test_a_file_of_the_user_s_in_the_way_is_said_before_the_run(tmp_path, args, mine,
                                                                 monkeypatch):
    """A file of the user's with the name of one the run writes is refused as the command line
    is read, so a long run (validate: minutes) is not computed only to be refused at the end;
    the file is untouched and nothing is written."""
    import fmsim.analysis
    import fmsim.studies
    import fmsim.twin
    from fmsim.cli import demo

    def never(*_, **__):
        raise AssertionError("the run started")

    runners = {fmsim.studies: ("run_trial", "run_scenario", "run_validation", "run_population",
                               "run_phenotype", "run_natural_history"),
               fmsim.analysis: ("run_sensitivity", "run_loops"), demo: ("run_demo",),
               fmsim.twin: ("load_fit",)}  # the commands find them there as they run
    for module, names in runners.items():
        for name in names:
            monkeypatch.setattr(module, name, never)
    (tmp_path / mine).parent.mkdir(exist_ok=True)
    (tmp_path / mine).write_text("mine")
    result = runner.invoke(app, [*args, "--out", str(tmp_path)])
    text = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2 and "no FMSim run into the folder wrote it" in text, text
    assert mine in "".join(text.split())  # named (a long path may wrap inside the box)
    assert (tmp_path / mine).read_text() == "mine"
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
            if p.is_file()] == [mine]


def test_a_run_writes_only_the_files_it_declares(tmp_path):
    """What the command line checks beforehand is all a run may write."""
    with pytest.raises(RuntimeError, match="not among the files"), \
            OutputFolder(tmp_path, "test", ("a.json",)) as out:
        out.file("b.json")
    assert list(tmp_path.iterdir()) == []
