"""The compiled kernel: the NumPy kernel's numbers within 1e-9, its cache, and its errors."""

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from fmsim import FMSimError, fm_model, load_scenario, sample_parameters, simulate
from fmsim.engine import compiled
from fmsim.engine.integrate import _kernel_name

pytestmark = pytest.mark.skipif(not compiled.available(), reason="Numba is not installed")


def both(*args, **kwargs):
    a = simulate(*args, kernel="numpy", **kwargs)
    b = simulate(*args, kernel="compiled", **kwargs)
    return a, b


@pytest.mark.parametrize("stochastic", [False, True])
def test_compiled_kernel_gives_the_numpy_kernels_numbers(stochastic):
    """60 people from the priors over a year with a severe injury (which tips some of them),
    every state and variable every day: within 1e-9, deterministic and stochastic."""
    model = fm_model()
    params = sample_parameters(60, seed=2024, registry=model.registry)
    injury = np.zeros(365)
    injury[30:72] = 1.0
    a, b = both(model, 365, params, {"injury": injury}, stochastic=stochastic, seed=9)
    x, y = a["trajectory"].values, b["trajectory"].values
    assert np.isfinite(y).all()
    scale = np.maximum(np.abs(x), 1.0)
    assert (np.abs(x - y) / scale).max() <= 1e-9
    np.testing.assert_allclose(b["final"].values, a["final"].values, rtol=1e-9, atol=1e-9)
    pain = x[:, -1, list(a["trajectory"].coords["variable"].values).index("pain")]
    assert (pain > 4).any() and (pain < 2).any()  # both regimes compared


def test_compiled_kernel_follows_treatments_and_short_blocks():
    """A scenario with a treatment schedule; a progress callback splits the run into blocks,
    which must not change the numbers."""
    spec = load_scenario("vulnerable-injury")
    model = fm_model()
    days = 200
    calls = []
    a, b = both(model, days, spec.params(), spec.inputs(days), stochastic=True, seed=3,
                record=("pain", "CS", "fatigue"))
    c = simulate(model, days, spec.params(), spec.inputs(days), stochastic=True, seed=3,
                 record=("pain", "CS", "fatigue"), kernel="compiled",
                 progress=lambda done, total: calls.append((done, total)))
    np.testing.assert_allclose(b["trajectory"].values, a["trajectory"].values, rtol=1e-9,
                               atol=1e-12)
    np.testing.assert_array_equal(c["trajectory"].values, b["trajectory"].values)
    assert len(calls) > 1 and calls[-1] == (days, days)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_source_names_every_state_and_variable():
    model = fm_model()
    text = compiled.source(model)
    for name in (*model.state_names, *model.variable_names):
        assert f"    {name} = " in text
    compile(text, "<kernel>", "exec")  # valid Python


def test_kernel_file_is_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("FMSIM_CACHE", str(tmp_path))
    text = compiled.source(fm_model())
    module = compiled._load(text)
    files = list(tmp_path.glob("fmsim_kernel_*.py"))
    assert len(files) == 1 and files[0].read_text() == text
    assert compiled._load(text) is module
    assert callable(module.advance) and callable(module.observe)


def test_two_threads_loading_a_new_variant_both_get_the_whole_module(tmp_path, monkeypatch):
    """The twin's filter advances two groups on two threads; the first use of a kernel variant
    must not hand the second thread a module whose code has not finished running."""
    monkeypatch.setenv("FMSIM_CACHE", str(tmp_path))
    source = compiled.source  # a module whose code takes a while to run, as on first import
    monkeypatch.setattr(compiled, "source", lambda *a: "import time\ntime.sleep(0.3)\n"
                        + source(*a))
    model = fm_model()
    kernel = compiled.CompiledKernel(model)
    params = np.ones((len(model.parameters), 2))
    params[model.parameters.index("n_M")] = 7.0  # a variant no other test loads
    params[model.parameters.index("n_PG")] = 9.0
    barrier = threading.Barrier(2)

    def load(_):
        barrier.wait()
        module = kernel.module(params)
        return module, hasattr(module, "advance")  # whole when handed over, not later

    with ThreadPoolExecutor(2) as pool:
        (first, whole), (second, also) = pool.map(load, range(2))
    assert first is second and whole and also


def test_unknown_kernel_is_refused():
    with pytest.raises(FMSimError, match="kernel must be one of"):
        simulate(fm_model(), 5, kernel="fortran")
    assert _kernel_name("auto") == "compiled"


def test_shared_whole_hill_coefficients_are_written_in():
    """The Hill coefficients (fixed at 3 and 4) become products in the kernel variant that runs
    by default; a coefficient that differs between patients, or is not whole, keeps the power."""
    model = fm_model()
    assert compiled.exponent_parameters(model) == ("n_M", "n_PG")
    params = np.ones((len(model.parameters), 3))
    i, j = model.parameters.index("n_M"), model.parameters.index("n_PG")
    params[i], params[j] = 3.0, [4.0, 4.0, 2.0]
    assert compiled.whole_exponents(model, params) == {"n_M": 3}
    params[i] = 2.5
    assert compiled.whole_exponents(model, params) == {}
    text = compiled.source(model, {"n_M": 3, "n_PG": 4})
    assert "power(M, n_M)" in compiled.source(model) and "power(" not in text.split("def rhs")[1]
    assert "(M)*(M)*(M)" in text


def test_general_kernel_variant_gives_the_numpy_kernels_numbers():
    """Hill coefficients that vary between people take the general variant (powers through
    exp and log); it too stays within 1e-9 of the NumPy kernel."""
    model = fm_model()
    params = sample_parameters(40, seed=7, registry=model.registry)
    params["n_M"] = np.linspace(2.5, 3.5, 40)
    a, b = both(model, 120, params, stochastic=True, seed=1, record=("pain", "M", "Fm"))
    x, y = a["trajectory"].values, b["trajectory"].values
    assert (np.abs(x - y) / np.maximum(np.abs(x), 1.0)).max() <= 1e-9
    assert (("n_PG", 4),) in compiled.compiled_kernel(model)._variants  # n_M not written in
    params["n_M"] = np.full(40, 3.0)
    c = simulate(model, 120, params, stochastic=True, seed=1, record=("pain", "M", "Fm"))
    assert np.abs(c["trajectory"].values - y).max() > 1e-3  # the exponents reached the results
