"""The benchmarks still run (tiny sizes; their timings are not asserted, only their output).
Each runs in this process (its ``main(argv)``), which has Python, FMSim and the compiled
kernels loaded already."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"

RUNS = {
    "engine_throughput": ["--patients", "64", "--reference-patients", "2", "--days", "20"],
    "vs_roadrunner": ["--patients", "4", "--days", "40", "--repeats", "1"],
    "population_scale": ["--patient-years", "200", "--scaling-patients", "160"],
    "kernel_efficiency": ["--patients", "64", "--days", "20"],
    "trial_throughput": ["--n", "20", "--weeks", "2"],
    "sensitivity": ["--n", "4", "--reference-rows", "2", "--executor", "serial"],
    "twin": ["--days", "20", "--particles", "20", "--steps", "4", "--weeks", "2"],
    "startup": ["--repeats", "1"],
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_benchmark_prints_a_table_and_writes_json(name, tmp_path, monkeypatch, capsys):
    if name == "vs_roadrunner":
        pytest.importorskip("roadrunner")
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # for their `from common import ...`
    import common

    monkeypatch.setattr(common, "RESULTS", tmp_path)
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, script)  # its functions, for its worker processes
    spec.loader.exec_module(script)
    script.main(RUNS[name])
    assert "|---" in capsys.readouterr().out
    result = json.loads((tmp_path / f"{name}.json").read_text())
    assert result["machine"]["cores"] >= 1
