"""The benchmarks still run (tiny sizes; their timings are not asserted, only their output)."""

import json
import os
import subprocess
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
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_benchmark_prints_a_table_and_writes_json(name, tmp_path):
    if name == "vs_roadrunner":
        pytest.importorskip("roadrunner")
    env = {**os.environ, "FMSIM_BENCH_RESULTS": str(tmp_path)}
    done = subprocess.run([sys.executable, str(BENCHMARKS / f"{name}.py"), *RUNS[name]],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "|---" in done.stdout
    result = json.loads((tmp_path / f"{name}.json").read_text())
    assert result["machine"]["cores"] >= 1
