"""How far the compiled kernel is from this machine's floating-point peak.

    python benchmarks/kernel_efficiency.py [--patients 20000]

Operations per patient-day are counted in the kernel's own source (the code that runs: common
subexpressions once, exponentials and powers at the cost of the :mod:`fmsim.engine.vmath`
routines, the RK4 update) and multiplied by the measured patient-days per second. The peak is
measured too: a double-precision matrix product (OpenBLAS DGEMM, which runs near the hardware's
peak) on one core. Prints a Markdown table and writes
benchmarks/results/kernel_efficiency.json.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core, set before NumPy loads OpenBLAS

import argparse
import ast
import inspect
import time

import numpy as np
from common import table, timed, write

from fmsim import fm_model, sample_parameters, simulate
from fmsim.engine import compiled, vmath
from fmsim.engine.inputs import prepare

ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def _constant(node: ast.AST) -> bool:
    return all(isinstance(n, ast.Constant | ast.operator | ast.unaryop | ast.BinOp | ast.UnaryOp)
               for n in ast.walk(node))


def count(tree: ast.AST, calls: dict[str, int]) -> int:
    """Floating-point operations in ``tree``, with calls costed by ``calls``; constant
    expressions (folded when compiling) and index arithmetic are not counted."""
    indexes = {id(n) for sub in ast.walk(tree) if isinstance(sub, ast.Subscript)
               for n in ast.walk(sub.slice)}
    ops = 0
    for node in ast.walk(tree):
        if id(node) in indexes or _constant(node):
            continue
        if isinstance(node, ast.BinOp) and isinstance(node.op, ARITHMETIC):
            ops += 1
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            ops += int(getattr(node.right, "value", 2)) - 1  # small whole powers: products
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            ops += 1
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in calls:
            ops += calls[node.func.id]
    return ops


def function(source: str, name: str) -> ast.FunctionDef:
    return next(n for n in ast.walk(ast.parse(source))
                if isinstance(n, ast.FunctionDef) and n.name == name)


def operations_per_patient_day(steps: int) -> dict[str, int]:
    """Counted from the generated source; the vmath routines from their own source."""
    vm = ast.parse(inspect.getsource(vmath))
    fn = {n.name: n for n in ast.walk(vm) if isinstance(n, ast.FunctionDef)}
    exp_ops = count(fn["exp"], {})
    log_ops = count(fn["log"], {})
    costs = {"exp": exp_ops, "log": log_ops, "power": exp_ops + log_ops + 1}
    model = fm_model()
    prep = prepare(model, 1, sample_parameters(2, seed=1, registry=model.registry))
    params = np.array([prep.params[p] for p in model.parameters])
    text = compiled.source(model, compiled.whole_exponents(model, params))  # the variant that runs
    rhs = count(function(text, "rhs"), costs)
    observe = count(function(text, "observe"), costs)
    n_states = len(model.state_names)
    rk4 = n_states * (2 + 2 + 2 + 7)  # three stage states and the weighted update
    return {"exp": exp_ops, "log": log_ops, "rhs": rhs, "observe": observe,
            "per_patient_day": steps * (4 * rhs + rk4) + observe}


def peak_flops(n: int = 3000, repeats: int = 3) -> float:
    """Double-precision matrix product on one core: ``2 n^3`` operations, best of ``repeats``."""
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n)), rng.random((n, n))
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args(argv)
    model = fm_model()
    params = sample_parameters(args.patients, seed=1, registry=model.registry)
    simulate(model, 2, {k: v[:2] for k, v in params.items()}, record=("pain",))
    _, seconds = timed(simulate, model, args.days, params, record=("pain",))
    patient_days = args.patients * args.days / seconds
    ops = operations_per_patient_day(steps=4)
    achieved = ops["per_patient_day"] * patient_days
    peak = peak_flops()
    result = {**ops, "patient_days_per_s": patient_days, "achieved_flops": achieved,
              "peak_flops": peak, "fraction_of_peak": achieved / peak}
    print(table(["operations per rhs", "per patient-day (4 RK4 steps)", "patient-days/s (1 core)",
                 "achieved GFLOP/s", "measured peak GFLOP/s (DGEMM, 1 core)", "fraction of peak"],
                [[ops["rhs"], ops["per_patient_day"], patient_days, achieved / 1e9, peak / 1e9,
                  f"{achieved / peak:.0%}"]]))
    print(f"\n(vmath exp = {ops['exp']} operations, log = {ops['log']}; observe = "
          f"{ops['observe']} once a day)")
    print(f"\nwrote {write('kernel_efficiency', result)}")


if __name__ == "__main__":
    main()
