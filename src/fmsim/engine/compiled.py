"""The compiled kernel: a model's SymPy form printed as scalar code and compiled with Numba.

The NumPy kernel evaluates one equation at a time over the whole patient axis, so every
arithmetic operation walks an array in memory and allocates another. Here the same equations -
taken from :func:`fmsim.model.symbolic.expressions`, which calls the very functions the NumPy
kernel runs - are printed as scalar code (common subexpressions once, powers of parameters once
per patient) and the fixed-step integrator of :mod:`fmsim.engine.integrate` (RK4 with inputs held
over each day, the Ornstein-Uhlenbeck noise advanced with its exact transition) is fused around
it. Patients go through in groups of :data:`LANES`, side by side in vector registers (see
:func:`source` for how LLVM is brought to vectorize, and :mod:`fmsim.engine.vmath`). The noise is
drawn in the same order from the same NumPy generator, so the two kernels give the same numbers to
rounding (the tests hold them within 1e-9).

A power whose exponent is a parameter (a Hill coefficient) costs a logarithm and an exponential.
When every patient of a run shares a whole value from 1 to 4 for such a parameter - the model's
Hill coefficients are fixed at 3 and 4 - a variant of the kernel with that value written in is
used, where the power is a product (see :func:`whole_exponents`); other values use the general
kernel. Each variant is compiled the first time a run needs it.

The generated module is written once per model to a cache folder (``$FMSIM_CACHE``, else
``~/.cache/fmsim``) and Numba caches its machine code beside it, so processes started later
(executors, the next command) load it instead of compiling again.

References
----------
.. [1] Lam SK, Pitrou A, Seibert S (2015). Numba: a LLVM-based Python JIT compiler. Proc. Second
   Workshop on the LLVM Compiler Infrastructure in HPC. doi:10.1145/2833157.2833162
.. [2] Meurer A et al. (2017). SymPy: symbolic computing in Python. PeerJ Comput Sci 3:e103.
   doi:10.7717/peerj-cs.103
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys
import tempfile
import threading
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
import sympy as sp
from sympy.printing.pycode import PythonCodePrinter

from ..model.builder import Model
from ..model.symbolic import expressions
from . import vmath

__all__ = ["available", "compiled_kernel", "exponent_parameters", "source",
           "whole_exponents"]


def available() -> bool:
    """True when Numba can be imported (the compiled kernel is then the default)."""
    return importlib.util.find_spec("numba") is not None


LANES = 8
"""Patients integrated side by side in one vector loop (a compile-time constant): one 512-bit
register of doubles, or two of 256 bits. More lanes were slower (measured: 16 lanes 4% and 32
lanes 10% slower on AVX-512): the buffer ``z`` of the FM model holds 301 slots per lane, 19 KiB
at 8 lanes but 75 KiB at 32, more than a core's 32 KiB first-level data cache."""

INDENT = " " * 8  # statements sit inside the loop over lanes

_VMATH_DIGEST = hashlib.sha256(Path(vmath.__file__).read_bytes()).hexdigest()[:16]
"""Written into the generated source, so that a change to vmath makes a new kernel file (Numba's
cache only watches the file it compiles)."""

WHOLE_POWERS = (1, 2, 3, 4)
"""Exponents that a kernel variant writes in when every patient shares them; the printer makes
their powers products."""

RESERVED = {"z", "lane", "math", "np", "numba", "exp", "power", "N_SLOTS"}
"""Names the generated code uses itself."""


class _Printer(PythonCodePrinter):
    """Scalar code for one lane: :mod:`fmsim.engine.vmath` for exponentials and powers, and
    small whole powers as products, so that LLVM can vectorize the loop over lanes."""

    def _print_exp(self, expr):
        return f"exp({self._print(expr.args[0])})"

    def _print_Pow(self, expr, rational=False):
        base, power = expr.as_base_exp()
        b = self.parenthesize(base, 1000)
        if power.is_Integer:
            if abs(power) in WHOLE_POWERS:
                product = "*".join([b] * abs(int(power)))
                return product if power > 0 else f"1/({product})"
            return f"{b}**{int(power)}"
        return f"power({self._print(base)}, {self._print(power)})"  # bases are >= 0 here


def _hoist(exprs: list[sp.Expr], parameters: set[sp.Symbol]):
    """Replace what depends on parameters alone - whole subexpressions, and the parameter factors
    of a product or terms of a sum - by symbols computed once per patient (``1/tau`` becomes a
    constant, so a division becomes a product)."""
    found: dict[sp.Expr, sp.Symbol] = {}

    def constant(e: sp.Expr) -> sp.Expr:
        if e.is_Symbol or e.is_Number or (e.is_Mul and len(e.args) == 2 and e.args[0].is_Number
                                          and e.args[1].is_Symbol):
            return e  # a parameter times a number costs no more than loading a constant
        return found.setdefault(e, sp.Symbol(f"_k{len(found)}"))

    def fixed(e: sp.Expr) -> bool:
        return bool(e.free_symbols) and e.free_symbols <= parameters

    def visit(e: sp.Expr) -> sp.Expr:
        if fixed(e):
            return constant(e)
        if isinstance(e, sp.Mul | sp.Add):
            part = [a for a in e.args if fixed(a) or a.is_Number]
            rest = [visit(a) for a in e.args if not (fixed(a) or a.is_Number)]
            if len(part) > 1 or (part and not (part[0].is_Symbol or part[0].is_Number)):
                part = [constant(e.func(*part))]
            return e.func(*part, *rest, evaluate=False)
        return e.func(*(visit(a) for a in e.args)) if e.args else e

    return [visit(e) for e in exprs], found


def _assignments(targets: list[tuple[str, sp.Expr]]) -> list[str]:
    """``name = expression`` lines with common subexpressions computed once, each just before
    its first use (so that it only refers to names already assigned)."""
    replacements, reduced = sp.cse([e for _, e in targets],
                                   symbols=sp.numbered_symbols("_x"), order="none")
    pending = dict(replacements)
    printer = _Printer()
    lines = []

    def emit(expr: sp.Expr) -> None:
        for sym in sorted(expr.free_symbols & pending.keys(), key=lambda s: int(s.name[2:])):
            if sym in pending:
                inner = pending.pop(sym)
                emit(inner)
                lines.append(f"{INDENT}{sym} = {printer.doprint(inner)}")

    for (name, _), expr in zip(targets, reduced, strict=True):
        emit(expr)
        lines.append(f"{INDENT}{name} = {printer.doprint(expr)}")
    return lines


@cache
def exponent_parameters(model: Model) -> tuple[str, ...]:
    """Parameters that are the exponent of a power of something that varies (Hill
    coefficients): each such power costs a logarithm and an exponential unless the exponent is
    written into the kernel (see :func:`source`)."""
    parameters = {sp.Symbol(p) for p in model.parameters}
    found = {
        str(e.exp)
        for expr in expressions(model).values()
        for e in sp.preorder_traversal(expr)
        if e.is_Pow and e.exp in parameters and not e.base.free_symbols <= parameters
    }
    return tuple(p for p in model.parameters if p in found)


def whole_exponents(model: Model, params: np.ndarray) -> dict[str, int]:
    """The exponent parameters (:func:`exponent_parameters`) that every patient in ``params``
    (parameters x patients, in the order of ``model.parameters``) shares, with a value in
    :data:`WHOLE_POWERS`: the kernel variant for these values computes their powers as
    products."""
    out = {}
    for name in exponent_parameters(model):
        row = params[model.parameters.index(name)]
        value = row[0]
        if value in WHOLE_POWERS and (row == value).all():
            out[name] = int(value)
    return out


def source(model: Model, whole: dict[str, int] | None = None) -> str:
    """Python source of the compiled kernel of ``model``.

    One flat buffer ``z`` holds, for ``LANES`` patients side by side, slots for the states,
    parameters, inputs, parameter constants, rates and variables (slot ``i`` of lane ``l`` at
    ``z[i * LANES + l]``). Every function is one loop over the lanes whose loads and stores all
    fall in ``z`` at offsets known when compiling, so LLVM can prove them independent and
    vectorize it. ``constants(z)`` computes what depends on parameters alone (see
    :func:`_hoist`), ``rhs(z)`` the rates, ``observe(z)`` every variable, and ``advance``
    integrates a block of days for all patients (see :class:`CompiledKernel`).

    ``whole`` maps exponent parameters to the whole value written into this variant (see
    :func:`whole_exponents`); their slots in ``z`` are then not read.
    """
    exprs = expressions(model)
    if whole:
        values = {sp.Symbol(k): sp.Integer(v) for k, v in whole.items()}
        exprs = {k: e.subs(values) for k, e in exprs.items()}
    states, variables = model.state_names, model.variable_names
    clash = RESERVED & {*states, *variables, *model.parameters, *model.input_names}
    if clash:
        raise ValueError(f"model names {sorted(clash)} clash with the compiled kernel's own")
    names = [*variables, *(f"d{s}/dt" for s in states)]
    hoisted, constants = _hoist([exprs[n] for n in names],
                                {sp.Symbol(p) for p in model.parameters})
    exprs = dict(zip(names, hoisted, strict=True))
    blocks = {"S": states, "P": model.parameters, "U": model.input_names,
              "K": tuple(str(c) for c in constants.values()), "R": states, "V": variables}
    first, slot = {}, 0
    for key, members in blocks.items():
        first[key], slot = slot, slot + len(members)

    def at(key: str, j: int) -> str:
        return f"z[{(first[key] + j) * LANES} + lane]"

    def loaded(lines: list[str], *keys: str) -> list[str]:
        """``lines`` with each state, parameter, input or constant they use loaded from ``z``
        just before its first use (short live ranges: fewer values spilled from registers)."""
        slots = {name: at(key, j) for key in keys for j, name in enumerate(blocks[key])}
        out, done = [], set()
        for line in lines:
            for name in re.findall(r"[A-Za-z_]\w*", line.split(" = ", 1)[1]):
                if name in slots and name not in done:
                    done.add(name)
                    out.append(f"{INDENT}{name} = {slots[name]}")
            out.append(line)
        return out

    loop = f"    for lane in range({LANES}):"
    # 'numpy' error model: no division-by-zero checks in the loop; 'contract': fused multiply-adds
    # (one rounding instead of two). The results stay within rounding of the NumPy kernel's.
    jit = "@numba.njit(cache=True, error_model='numpy', fastmath={'contract'})"
    return "\n".join([
        f'"""Compiled kernel of model {model.name!r}, generated by fmsim.engine.compiled'
        f'{f" (exponents written in: {whole})" if whole else ""}."""',
        "import numba",
        "import numpy as np",
        "",
        "from fmsim.engine.vmath import exp, power",
        "",
        f"# vmath {_VMATH_DIGEST}",
        f"N_SLOTS = {slot}",
        "",
        "",
        jit,
        "def constants(z):",
        loop,
        *loaded([f"{INDENT}{at('K', j)} = {_Printer().doprint(e)}"
                 for j, e in enumerate(constants)], "P"),
        "",
        "",
        jit,
        "def rhs(z):",
        loop,
        *loaded(_assignments([*((v, exprs[v]) for v in variables),
                              *((at("R", i), exprs[f"d{s}/dt"]) for i, s in enumerate(states))]),
                "S", "P", "U", "K"),
        "",
        "",
        jit,
        "def observe(z):",
        loop,
        *loaded(_assignments([(v, exprs[v]) for v in variables]), "S", "P", "U", "K"),
        *(f"{INDENT}{at('V', j)} = {v}" for j, v in enumerate(variables)),
        "",
        "",
        _ADVANCE.format(M=LANES, NS=len(states), NP=len(model.parameters),
                        NI=len(model.input_names), P0=first["P"], U0=first["U"],
                        R0=first["R"], V0=first["V"]),
    ]) + "\n"


# One block of days for every patient, LANES at a time (the last group padded with copies of its
# last patient): RK4 with the day's inputs held, the OU noise advanced before each sub-step exactly
# as fmsim.engine.integrate does it, each sub-step taken in the day's number of pieces, the day's
# record taken at its start. The arithmetic of each step is written in the NumPy kernel's order,
# so that both round alike. It releases the GIL, so that callers may advance separate groups of
# patients on separate threads (the twin's filter).
_ADVANCE = '''\
@numba.njit(cache=True, error_model='numpy', nogil=True)
def advance(y, P, U, V, vi, Z, xi, noisy, decay, kick, dt, pieces, rec, daily, day0):
    n = y.shape[1]
    days = U.shape[0]
    steps = Z.shape[1]
    nn = noisy.shape[0]
    z = np.zeros(N_SLOTS * {M})
    y0 = np.empty({NS} * {M})
    k1 = np.empty({NS} * {M})
    k2 = np.empty({NS} * {M})
    k3 = np.empty({NS} * {M})
    xb = np.empty((max(nn, 1), {M}))
    src = np.empty({M}, np.int64)
    slot = np.empty(rec.shape[0], np.int64)
    for r in range(rec.shape[0]):
        slot[r] = rec[r] if rec[r] < {NS} else {V0} + rec[r] - {NS}
    for b0 in range(0, n, {M}):
        m = min({M}, n - b0)
        for lane in range({M}):
            src[lane] = b0 + min(lane, m - 1)
            for j in range({NP}):
                z[({P0} + j) * {M} + lane] = P[j, src[lane]]
            for j in range({NS}):
                y0[j * {M} + lane] = y[j, src[lane]]
            for k in range(nn):
                xb[k, lane] = xi[k, src[lane]]
        constants(z)
        for d in range(days):
            for lane in range({M}):
                for j in range({NI}):
                    z[({U0} + j) * {M} + lane] = U[d, j]
                for q in range(vi.shape[0]):
                    z[({U0} + vi[q]) * {M} + lane] = V[q, d, src[lane]]
                for k in range(nn):
                    z[({U0} + noisy[k]) * {M} + lane] = xb[k, lane]
            if rec.shape[0] > 0:
                z[:{NS} * {M}] = y0
                observe(z)
                for r in range(rec.shape[0]):
                    for lane in range(m):
                        daily[b0 + lane, day0 + d, r] = z[slot[r] * {M} + lane]
            for s in range(steps):
                for k in range(nn):
                    for lane in range({M}):
                        xb[k, lane] = decay * xb[k, lane] + kick * Z[d, s, k, src[lane]]
                        z[({U0} + noisy[k]) * {M} + lane] = xb[k, lane]
                h = dt / pieces[d]
                for _ in range(pieces[d]):
                    z[:{NS} * {M}] = y0
                    rhs(z)
                    for i in range({NS} * {M}):
                        k1[i] = z[{R0} * {M} + i]
                        z[i] = y0[i] + 0.5 * h * k1[i]
                    rhs(z)
                    for i in range({NS} * {M}):
                        k2[i] = z[{R0} * {M} + i]
                        z[i] = y0[i] + 0.5 * h * k2[i]
                    rhs(z)
                    for i in range({NS} * {M}):
                        k3[i] = z[{R0} * {M} + i]
                        z[i] = y0[i] + h * k3[i]
                    rhs(z)
                    for i in range({NS} * {M}):
                        y0[i] = y0[i] + (h / 6.0) * (
                            k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + z[{R0} * {M} + i])
        for lane in range(m):
            for j in range({NS}):
                y[j, b0 + lane] = y0[j * {M} + lane]
            for k in range(nn):
                xi[k, b0 + lane] = xb[k, lane]
'''


def _cache_dir() -> Path:
    root = os.environ.get("FMSIM_CACHE")
    path = Path(root) if root else Path.home() / ".cache" / "fmsim"
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=path, delete=True)
        probe.close()
    except OSError:
        path = Path(tempfile.gettempdir()) / "fmsim-cache"
        path.mkdir(parents=True, exist_ok=True)
    return path


_LOADING = threading.Lock()
"""Held while a kernel module is generated and executed: a module is in ``sys.modules`` before
its code has run, and a second thread (the twin's filter runs two) must not take it then."""


def _load(text: str) -> ModuleType:
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    name = f"fmsim_kernel_{digest}"
    path = _cache_dir() / f"{name}.py"
    if not path.exists():
        with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as f:
            f.write(text)
        os.replace(f.name, path)  # atomic: concurrent processes never see half a file
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # Numba's cache finds the module again by name
    spec.loader.exec_module(module)
    return module


class CompiledKernel:
    """The fused, compiled integrator of one model.

    Parameters
    ----------
    model : Model
    """

    def __init__(self, model: Model) -> None:
        self.model = model
        self._variants: dict[tuple[tuple[str, int], ...], ModuleType] = {}

    def module(self, params: np.ndarray) -> ModuleType:
        """The compiled module for a run with these parameters (parameters x patients): the
        variant with the exponents they share written in, generated and compiled on first use."""
        whole = whole_exponents(self.model, params)
        key = tuple(sorted(whole.items()))
        if key not in self._variants:
            with _LOADING:
                if key not in self._variants:
                    self._variants[key] = _load(source(self.model, whole))
        return self._variants[key]

    def advance(self, y: np.ndarray, params: np.ndarray, shared: np.ndarray,
                personal: np.ndarray, personal_idx: np.ndarray, normals: np.ndarray,
                xi: np.ndarray, noisy: np.ndarray, decay: float, kick: float, dt: float,
                pieces: np.ndarray, record: np.ndarray, daily: np.ndarray, day0: int) -> None:
        """Integrate a block of days in place.

        Parameters
        ----------
        y : ndarray (n_states, n_patients)
            States at the start of the block; overwritten with those at its end.
        params : ndarray (n_parameters, n_patients)
            In the order of ``model.parameters``.
        shared : ndarray (days, n_inputs)
            The block's daily inputs, the same for every patient ...
        personal : ndarray (n_personal, days, n_patients)
            ... except these, which differ between patients ...
        personal_idx : ndarray of int
            ... at these input indices.
        normals : ndarray (days, steps_per_day, n_noisy, n_patients)
            Standard normal draws for the noise, one per sub-step (``n_noisy`` may be 0).
        xi : ndarray (n_noisy, n_patients)
            The Ornstein-Uhlenbeck noise; advanced in place.
        noisy : ndarray of int
            Input indices that the noise drives.
        decay, kick : float
            The OU transition over one sub-step: ``xi <- decay * xi + kick * normal``.
        dt : float
            Sub-step in days.
        pieces : ndarray of int (days,)
            The RK4 steps each sub-step of a day is taken in (1, or more on the days after an
            input jumps; the noise holds over the sub-step).
        record : ndarray of int
            Indices into states followed by variables to record at the start of each day.
        daily : ndarray (n_patients, total_days, len(record))
            Written at days ``day0 .. day0 + days - 1``.
        day0 : int
            First day of the block.
        """
        self.module(params).advance(y, params, shared, personal, personal_idx, normals, xi, noisy,
                                    decay, kick, dt, pieces, record, daily, day0)


@cache
def compiled_kernel(model: Model) -> CompiledKernel:
    """The compiled kernel of ``model``, generated, written and compiled at most once per process.

    Raises
    ------
    ImportError
        When Numba is not installed (see :func:`available`).
    """
    return CompiledKernel(model)
